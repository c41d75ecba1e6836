package vetting

import (
	"context"
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// NewPost is the input of RecordPost. Here and in the other inputs, a zero From is the time of the action and a
// zero Until is open-ended.
type NewPost struct {
	OrganisationID cleared.OrganisationID `json:"organisation_id"`
	Title          string                 `json:"title"`
	Level          cleared.Level          `json:"level"`
	From           time.Time              `json:"from"`
	Until          time.Time              `json:"until,omitzero"`
}

// NewContract is the input of RecordContract.
type NewContract struct {
	Reference      string                 `json:"reference"`
	OrganisationID cleared.OrganisationID `json:"organisation_id"`
	Contractor     cleared.OrganisationID `json:"contractor"`
	Level          cleared.Level          `json:"level"`
	From           time.Time              `json:"from"`
	Until          time.Time              `json:"until,omitzero"`
}

// NewAssignment is the input of Assign: a person on exactly one of a post and a contract.
type NewAssignment struct {
	PersonID cleared.PersonID   `json:"person_id"`
	Post     cleared.PostID     `json:"post,omitempty"`
	Contract cleared.ContractID `json:"contract,omitempty"`
	From     time.Time          `json:"from"`
	Until    time.Time          `json:"until,omitzero"`
}

// AssignmentView is an assignment with its person's name, the level it requires and, when the person is not
// covered at the time of the read, the flag (A14.1): the rule and why.
type AssignmentView struct {
	cleared.Assignment
	PersonName string        `json:"person_name"`
	Level      cleared.Level `json:"level"`
	InForce    bool          `json:"in_force"`
	Flagged    bool          `json:"flagged"`
	FlagRule   string        `json:"flag_rule,omitempty"`
	FlagReason string        `json:"flag_reason,omitempty"`
}

// PostView is a post with its assignments.
type PostView struct {
	cleared.Post
	Assignments []AssignmentView `json:"assignments"`
}

// ContractView is a contract with its assignments.
type ContractView struct {
	cleared.Contract
	Assignments []AssignmentView `json:"assignments"`
}

// RequiredLevel is what a person's posts and contracts in force require (A16.1): the highest level, and whether
// any is in force (without one, nothing sets a level).
type RequiredLevel struct {
	PersonID    cleared.PersonID `json:"person_id"`
	At          time.Time        `json:"at"`
	Level       cleared.Level    `json:"level"`
	Any         bool             `json:"any"`
	Assignments []AssignmentView `json:"assignments"`
}

// who is the acting person with what the posts' rules ask about him: the organisations he is security officer of
// at now, and whether he acts for the NSA (a cleared NSA officer, A20.1).
type who struct {
	me        cleared.Person
	officerOf []cleared.OrganisationID
	nsa       bool
}

func actor(tx store.Tx, a cleared.Actor, now time.Time) (w who, err error) {
	if w.me, err = facts.ActorPerson(tx, a); err != nil {
		return w, err
	}
	cs, err := tx.PersonClearances(w.me.ID)
	if err != nil {
		return w, err
	}
	w.nsa = policy.NSARegister(w.me, cs, now).Allowed
	w.officerOf, err = facts.OfficerOf(tx, w.me.ID, now)
	return w, err
}

// RecordPost records a post of an organisation and the level it requires (A14.1, A16.1): by the organisation's
// security officer in office, or the NSA.
func (s *Service) RecordPost(ctx context.Context, a cleared.Actor, in NewPost) (p cleared.Post, err error) {
	defer cleared.Wrap(&err, "record post")
	if err := in.OrganisationID.Validate(); err != nil {
		return p, err
	}
	if err := cleared.CheckLine("title", in.Title, 1, maxTitle); err != nil {
		return p, err
	}
	if !in.Level.Classified() {
		return p, cleared.Invalidf("a post requires one of the levels TOP_SECRET, SECRET, CONFIDENTIAL, RESTRICTED (A16.1)")
	}
	now := s.clock()
	per, err := period(in.From, in.Until, now)
	if err != nil {
		return p, err
	}
	err = s.run.Do(ctx, a, act.PostRecord, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		if d := policy.RecordPost(w.officerOf, w.nsa, in.OrganisationID); !d.Allowed {
			return x.Deny(string(in.OrganisationID), d)
		}
		if _, err := tx.Organisation(in.OrganisationID); err != nil {
			return err
		}
		p = cleared.Post{ID: cleared.NewPostID(), OrganisationID: in.OrganisationID, Title: in.Title, Level: in.Level,
			Period: per, CreatedBy: w.me.ID, Created: now}
		x.Object, x.Payload = string(p.ID), p
		return tx.CreatePost(p)
	})
	return p, err
}

// RecordContract records a classified contract awarded by an organisation to a contractor, with the level it
// requires (Art. 14, A14.1, A16.1): by the contracting organisation's security officer in office, or the NSA.
func (s *Service) RecordContract(ctx context.Context, a cleared.Actor, in NewContract) (c cleared.Contract, err error) {
	defer cleared.Wrap(&err, "record contract")
	if err := in.OrganisationID.Validate(); err != nil {
		return c, err
	}
	if err := in.Contractor.Validate(); err != nil {
		return c, err
	}
	if in.Contractor == in.OrganisationID {
		return c, cleared.Invalidf("the contractor is another organisation than the contracting one")
	}
	if err := cleared.CheckLine("reference", in.Reference, 1, maxName); err != nil {
		return c, err
	}
	if !in.Level.Classified() {
		return c, cleared.Invalidf("a classified contract requires one of the levels TOP_SECRET, SECRET, CONFIDENTIAL, RESTRICTED (A16.1)")
	}
	now := s.clock()
	per, err := period(in.From, in.Until, now)
	if err != nil {
		return c, err
	}
	err = s.run.Do(ctx, a, act.ContractRecord, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		if d := policy.RecordPost(w.officerOf, w.nsa, in.OrganisationID); !d.Allowed {
			return x.Deny(string(in.OrganisationID), d)
		}
		for _, o := range []cleared.OrganisationID{in.OrganisationID, in.Contractor} {
			if _, err := tx.Organisation(o); err != nil {
				return err
			}
		}
		c = cleared.Contract{ID: cleared.NewContractID(), Reference: in.Reference, OrganisationID: in.OrganisationID,
			Contractor: in.Contractor, Level: in.Level, Period: per, CreatedBy: w.me.ID, Created: now}
		x.Object, x.Payload = string(c.ID), c
		return tx.CreateContract(c)
	})
	return c, err
}

// Assign assigns a person to a post or a contract for a period (A14.1): by a security officer of the post's
// organisation (of either party to a contract), or the NSA; a person of that organisation; within the post's or
// the contract's period (given no end, it ends with them). A person without the clearance it needs is assigned all the same (the appointment is the
// organisation's) and flagged to the security officer until he holds it.
func (s *Service) Assign(ctx context.Context, a cleared.Actor, in NewAssignment) (v AssignmentView, err error) {
	defer cleared.Wrap(&err, "assign")
	if err := in.PersonID.Validate(); err != nil {
		return v, err
	}
	switch {
	case (in.Post == "") == (in.Contract == ""):
		return v, cleared.Invalidf("an assignment names exactly one of post and contract")
	case in.Post != "":
		err = in.Post.Validate()
	default:
		err = in.Contract.Validate()
	}
	if err != nil {
		return v, err
	}
	now := s.clock()
	per, err := period(in.From, in.Until, now)
	if err != nil {
		return v, err
	}
	err = s.run.Do(ctx, a, act.AssignmentCreate, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		tg, object, err := target(tx, w, in)
		if err != nil {
			if errors.Is(err, cleared.ErrNotFound) {
				return x.Hide(object)
			}
			return err
		}
		if per.Until.IsZero() && !tg.Period.Until.IsZero() && tg.Period.Until.After(per.From) {
			per.Until = tg.Period.Until // given no end, an assignment ends with its post or contract
		}
		p, err := tx.Person(in.PersonID)
		if errors.Is(err, cleared.ErrNotFound) {
			// Another organisation's staff is not the officer's to know (A23.1): missing and foreign read alike.
			p = cleared.Person{ID: in.PersonID}
		} else if err != nil {
			return err
		}
		if d := policy.Assign(w.officerOf, w.nsa, tg, p, per); !d.Allowed {
			return x.Deny(string(in.PersonID), d)
		}
		asg := cleared.Assignment{ID: cleared.NewAssignmentID(), PersonID: p.ID, Post: in.Post, Contract: in.Contract,
			OrganisationID: tg.Organisation, Period: per, CreatedBy: w.me.ID, Created: now}
		x.Object, x.Payload = string(asg.ID), asg
		if err := tx.CreateAssignment(asg); err != nil {
			return err
		}
		v, err = assignmentView(tx, asg, tg.Level, now)
		return err
	})
	return v, err
}

// EndAssignment ends assignment id at until (now if zero), from now on and never later than recorded (A14.1): by who
// may assign to its post or contract; ErrNotFound for an assignment the actor does not answer for. Once ended, the
// person is no longer flagged for it, and its level no longer sets his clearance's ceiling (A16.1).
func (s *Service) EndAssignment(ctx context.Context, a cleared.Actor, id cleared.AssignmentID, until time.Time) (v AssignmentView, err error) {
	defer cleared.Wrap(&err, "end assignment")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	if until.IsZero() {
		until = now
	}
	until = until.UTC().Truncate(time.Microsecond)
	err = s.run.Do(ctx, a, act.AssignmentEnd, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		asg, err := tx.Assignment(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		tg, _, err := target(tx, w, NewAssignment{Post: asg.Post, Contract: asg.Contract})
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		if !until.After(asg.From) {
			return cleared.Invalidf("until must be after the assignment's start")
		}
		if d := policy.EndAssignment(w.officerOf, w.nsa, tg, asg, until, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		asg.Until = until
		x.Object, x.Payload = string(id), asg
		if err := tx.EndAssignment(id, until); err != nil {
			return err
		}
		v, err = assignmentView(tx, asg, tg.Level, now)
		return err
	})
	return v, err
}

// target loads what in assigns to, refusing (hidden) what the actor may not see.
func target(tx store.Tx, w who, in NewAssignment) (policy.AssignTarget, string, error) {
	if in.Post != "" {
		p, err := tx.Post(in.Post)
		if err != nil {
			return policy.AssignTarget{}, string(in.Post), err
		}
		if !policy.SeePosts(w.officerOf, w.nsa, p.OrganisationID).Allowed {
			return policy.AssignTarget{}, string(in.Post), cleared.ErrNotFound
		}
		return policy.AssignTarget{Organisation: p.OrganisationID, Level: p.Level, Period: p.Period}, string(p.ID), nil
	}
	c, err := tx.Contract(in.Contract)
	if err != nil {
		return policy.AssignTarget{}, string(in.Contract), err
	}
	if !policy.SeePosts(w.officerOf, w.nsa, c.OrganisationID, c.Contractor).Allowed {
		return policy.AssignTarget{}, string(in.Contract), cleared.ErrNotFound
	}
	return policy.AssignTarget{Organisation: c.OrganisationID, Contractor: c.Contractor, Level: c.Level, Period: c.Period}, string(c.ID), nil
}

// assignmentView completes an assignment with its person, level and flag at t (A14.1).
func assignmentView(tx store.Tx, asg cleared.Assignment, level cleared.Level, t time.Time) (AssignmentView, error) {
	v := AssignmentView{Assignment: asg, Level: level, InForce: asg.At(t)}
	p, err := tx.Person(asg.PersonID)
	if err != nil {
		return v, err
	}
	v.PersonName = p.Name
	if !v.InForce {
		return v, nil
	}
	cs, err := tx.PersonClearances(p.ID)
	if err != nil {
		return v, err
	}
	exempt, err := facts.Exempt(tx, p, t)
	if err != nil {
		return v, err
	}
	if d := policy.Uncleared(level, cs, exempt, t); !d.Allowed {
		v.Flagged, v.FlagRule, v.FlagReason = true, d.Rule, d.Reason
	}
	return v, nil
}

func assignmentViews(tx store.Tx, as []cleared.Assignment, level cleared.Level, t time.Time) ([]AssignmentView, error) {
	out := make([]AssignmentView, 0, len(as))
	for _, asg := range as {
		v, err := assignmentView(tx, asg, level, t)
		var tampered *store.TamperedError
		switch {
		case errors.As(err, &tampered):
			continue // a person whose row fails its seal is not shown (raised by the store)
		case err != nil:
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Posts lists the posts the actor answers for: of org (if set) among the organisations he is security officer
// of, or any for the NSA (A14.1). Those of other organisations are left out, as if none existed.
func (s *Service) Posts(ctx context.Context, a cleared.Actor, org cleared.OrganisationID, limit int) (ps []cleared.Post, err error) {
	defer cleared.Wrap(&err, "list posts")
	if org != "" {
		if err := org.Validate(); err != nil {
			return nil, err
		}
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.PostList, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		ps = nil
		for _, o := range scope(w, org) {
			l, err := tx.PostsOf(o, page(limit))
			if err != nil {
				return err
			}
			ps = append(ps, l...)
		}
		return nil
	})
	return ps, err
}

// scope is the organisations a list covers: org if the actor answers for it (none otherwise), every one of his,
// or all ("") for the NSA.
func scope(w who, org cleared.OrganisationID) []cleared.OrganisationID {
	switch {
	case org != "" && policy.SeePosts(w.officerOf, w.nsa, org).Allowed:
		return []cleared.OrganisationID{org}
	case org != "":
		return nil
	case w.nsa:
		return []cleared.OrganisationID{""}
	}
	return w.officerOf
}

// Post reads a post with its assignments and their flags at the time of the read (A14.1); ErrNotFound for one
// the actor does not answer for.
func (s *Service) Post(ctx context.Context, a cleared.Actor, id cleared.PostID) (v PostView, err error) {
	defer cleared.Wrap(&err, "read post")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.PostRead, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		p, err := tx.Post(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		if d := policy.SeePosts(w.officerOf, w.nsa, p.OrganisationID); !d.Allowed {
			return x.Deny(string(id), d)
		}
		x.Object = string(id)
		as, err := tx.Assignments(store.AssignmentQuery{Post: id, Limit: maxListLimit})
		if err != nil {
			return err
		}
		v = PostView{Post: p}
		v.Assignments, err = assignmentViews(tx, as, p.Level, now)
		return err
	})
	return v, err
}

// Contracts lists the contracts the actor answers for, as Posts does.
func (s *Service) Contracts(ctx context.Context, a cleared.Actor, org cleared.OrganisationID, limit int) (cs []cleared.Contract, err error) {
	defer cleared.Wrap(&err, "list contracts")
	if org != "" {
		if err := org.Validate(); err != nil {
			return nil, err
		}
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.ContractList, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		cs = nil
		seen := map[cleared.ContractID]bool{}
		for _, o := range scope(w, org) {
			l, err := tx.ContractsOf(o, page(limit))
			if err != nil {
				return err
			}
			for _, c := range l {
				if !seen[c.ID] {
					seen[c.ID] = true
					cs = append(cs, c)
				}
			}
		}
		return nil
	})
	return cs, err
}

// Contract reads a contract with its assignments and their flags (A14.1); ErrNotFound for one the actor does not
// answer for (neither party's officer, nor the NSA).
func (s *Service) Contract(ctx context.Context, a cleared.Actor, id cleared.ContractID) (v ContractView, err error) {
	defer cleared.Wrap(&err, "read contract")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.ContractRead, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, err := tx.Contract(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		if d := policy.SeePosts(w.officerOf, w.nsa, c.OrganisationID, c.Contractor); !d.Allowed {
			return x.Deny(string(id), d)
		}
		x.Object = string(id)
		as, err := tx.Assignments(store.AssignmentQuery{Contract: id, Limit: maxListLimit})
		if err != nil {
			return err
		}
		v = ContractView{Contract: c}
		v.Assignments, err = assignmentViews(tx, as, c.Level, now)
		return err
	})
	return v, err
}

// AssignmentFilter selects the assignments Assignments lists: of one organisation the actor answers for (all of
// his if empty), only those flagged at the time of the read if Flagged.
type AssignmentFilter struct {
	Organisation cleared.OrganisationID
	Flagged      bool
	Limit        int
}

// Assignments lists the assignments the actor answers for (the assignment's organisation or the person's), each
// with its flag at the time of the read (A14.1): the security officer's list of who lacks his clearance.
func (s *Service) Assignments(ctx context.Context, a cleared.Actor, f AssignmentFilter) (out []AssignmentView, err error) {
	defer cleared.Wrap(&err, "list assignments")
	if f.Organisation != "" {
		if err := f.Organisation.Validate(); err != nil {
			return nil, err
		}
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.AssignmentList, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		out = nil
		seen := map[cleared.AssignmentID]bool{}
		for _, o := range scope(w, f.Organisation) {
			as, err := tx.Assignments(store.AssignmentQuery{Organisation: o, Limit: page(f.Limit)})
			if err != nil {
				return err
			}
			for _, asg := range as {
				if seen[asg.ID] {
					continue
				}
				seen[asg.ID] = true
				l, err := facts.AssignmentLevel(tx, asg)
				if err != nil {
					continue // a post or contract that fails its seal shows nothing of its assignments
				}
				v, err := assignmentView(tx, asg, l, now)
				var tampered *store.TamperedError
				switch {
				case errors.As(err, &tampered):
					continue
				case err != nil:
					return err
				}
				if !f.Flagged || v.Flagged {
					out = append(out, v)
				}
			}
		}
		return nil
	})
	return out, err
}

// RequiredLevel reads the level person's posts and contracts in force require (A16.1: the level of a clearance
// comes from the post): for his organisation's security officer and the NSA; ErrNotFound for others.
func (s *Service) RequiredLevel(ctx context.Context, a cleared.Actor, person cleared.PersonID) (r RequiredLevel, err error) {
	defer cleared.Wrap(&err, "required level")
	if err := person.Validate(); err != nil {
		return r, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.PostRequiredLevel, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		p, err := tx.Person(person)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(person))
		} else if err != nil {
			return err
		}
		if d := policy.SeePosts(w.officerOf, w.nsa, p.OrganisationID); !d.Allowed {
			return x.Deny(string(person), d)
		}
		x.Object = string(person)
		ras, err := facts.RequiredAssignments(tx, person)
		if err != nil {
			return err
		}
		r = RequiredLevel{PersonID: person, At: now, Assignments: []AssignmentView{}}
		r.Level, r.Any = policy.RequiredLevel(ras, now)
		for _, ra := range ras {
			if ra.Assignment.At(now) {
				v, err := assignmentView(tx, ra.Assignment, ra.Level, now)
				if err != nil {
					return err
				}
				r.Assignments = append(r.Assignments, v)
			}
		}
		return nil
	})
	return r, err
}
