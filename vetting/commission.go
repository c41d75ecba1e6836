package vetting

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// The commission of Art. 27 (A27.2, A27.3, A27.4). The NSA keeps its register from the designation acts: three
// seats, one per designating authority (the Prime Minister, Foreign Affairs, Justice), each with its term and the
// act's reference; it records the president's election from the commission's minutes (the commission elects him
// among its members, for three years). The NSA refers a case whose investigation report is filed (stage reported →
// commission). The members in office holding a valid TRES SECRET clearance then work on it in a workspace: the
// report, the whole file on request, requests for more information answered by an NSA officer, hearings of an NSA
// member and of the person with his observations, and the commission's one reasoned opinion, which goes to the
// deciding authority and is never shown to the person. Every act of a member without a valid TRES SECRET
// clearance, or outside his term, is refused with A27.3. What the requests, hearings and opinion say is personal
// data, sealed under the case's data key (A23.1); the audit entries carry IDs only.

// maxReasons bounds an opinion's reasons; maxMembers the members an opinion names.
const (
	maxReasons = 20000
	maxMembers = policy.CommissionSize
)

// NewSeat is the input of RecordSeat: the designation act of a member.
type NewSeat struct {
	Person     cleared.PersonID `json:"person"`
	Designator string           `json:"designator"`
	From       time.Time        `json:"from"`
	Until      time.Time        `json:"until"`
	Reference  string           `json:"reference"`
}

// Election is the input of ElectPresident: the seat elected, the date of the election and the minutes' reference.
type Election struct {
	Seat    cleared.CommissionSeatID `json:"seat"`
	From    time.Time                `json:"from"`
	Minutes string                   `json:"minutes"`
}

// NewRequest is the input of Request: a request for the whole file (a note optional) or for more information.
type NewRequest struct {
	Kind     cleared.RequestKind `json:"kind"`
	Question string              `json:"question,omitempty"`
}

// NewHearing is the input of RecordHearing: who was heard (the NSA member's person for a hearing of the NSA; the
// person under vetting otherwise), when, the summary and the person's observations.
type NewHearing struct {
	Heard        cleared.Heard    `json:"heard"`
	Person       cleared.PersonID `json:"person,omitempty"`
	Held         time.Time        `json:"held"`
	Summary      string           `json:"summary"`
	Observations string           `json:"observations,omitempty"`
}

// NewOpinion is the input of GiveOpinion: the advice, its reasons, the members who gave it, and whether the one who
// records it does so as president (else as a member acting for the commission).
type NewOpinion struct {
	Advice      cleared.Advice     `json:"advice"`
	Reasons     string             `json:"reasons"`
	Members     []cleared.PersonID `json:"members"`
	AsPresident bool               `json:"as_president,omitempty"`
}

// Workspace is the commission's workspace on a referred case (A27.4), as a member who may act sees it: the case's
// record, the referral, the investigation's part (File: the report, the whole file once a member asked for it), the
// requests and their answers, the hearings, and the opinion once given.
type Workspace struct {
	Case      cleared.VettingCase         `json:"case"`
	Referred  time.Time                   `json:"referred"`
	By        cleared.PersonID            `json:"referred_by"`
	File      *InvestigationFile          `json:"file,omitempty"`
	WholeFile bool                        `json:"whole_file"`
	Requests  []cleared.CommissionRequest `json:"requests"`
	Hearings  []cleared.Hearing           `json:"hearings"`
	Opinion   *cleared.Opinion            `json:"opinion,omitempty"`
	Seat      cleared.CommissionMember    `json:"seat"` // the reader's
	// Names are the names of the persons the workspace mentions (the person, who referred, asked, answered, was
	// heard, gave the opinion): the commission works on the whole case (A27.4), the registers' own rules would
	// hide them from a member who is not of the NSA.
	Names map[cleared.PersonID]string `json:"names"`
}

// InvestigationFile is what the commission receives of a case's investigation (A27.4): the report, and the whole
// file (questionnaire, every item, sources included, and the requests to foreign services) once it asked for it.
type InvestigationFile struct {
	Report *Report   `json:"report,omitempty"`
	Whole  *CaseFile `json:"whole,omitempty"`
}

// investigationFile returns the investigation's part of the workspace on case c: the report, and the whole file if
// whole (file.go). The caller decided that the reader is a member who may act on the case referred (A27.3, A27.4).
func (s *Service) investigationFile(tx store.Tx, c cleared.VettingCase, whole bool) (*InvestigationFile, error) {
	f, err := s.file(tx, c, false)
	if err != nil {
		return nil, err
	}
	out := &InvestigationFile{Report: f.Report}
	if whole {
		out.Whole = &f
	}
	return out, nil
}

// nsaDecision is NSARegister's decision on the actor at now.
func nsaDecision(tx store.Tx, w who, now time.Time) (policy.Decision, error) {
	cs, err := tx.PersonClearances(w.me.ID)
	if err != nil {
		return policy.Decision{}, err
	}
	return policy.NSARegister(w.me, cs, now), nil
}

// caseKey returns the data key of case id.
func caseKey(tx store.Tx, id cleared.VettingCaseID) (keyring.DataKey, error) {
	k, err := tx.VettingCaseKey(id)
	if err != nil {
		return keyring.DataKey{}, err
	}
	return keyring.DataKey{KEK: k.KEK, Wrapped: k.Wrapped}, nil
}

// seal seals text under case id's key as record slot; nil for no text.
func (s *Service) seal(k keyring.DataKey, id cleared.VettingCaseID, slot, text string) ([]byte, error) {
	if text == "" {
		return nil, nil
	}
	return s.ring.SealRecord(string(id), k, slot, []byte(text))
}

// open opens what seal sealed.
func (s *Service) open(k keyring.DataKey, id cleared.VettingCaseID, slot string, sealed []byte) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	b, err := s.ring.OpenRecord(string(id), k, slot, sealed)
	return string(b), err
}

// CommissionRegister returns the commission's register: to the NSA and to those who hold or held a seat; refused
// with A27.2 to others.
func (s *Service) CommissionRegister(ctx context.Context, a cleared.Actor) (out []cleared.CommissionMember, err error) {
	defer cleared.Wrap(&err, "read the commission's register")
	now := s.clock()
	err = s.run.Read(ctx, a, act.CommissionRegister, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		seats, err := tx.CommissionSeats()
		if err != nil {
			return err
		}
		_, seated := policy.CommissionSeatOf(seats, w.me.ID, now)
		if d := policy.SeeRegister(w.nsa, seated); !d.Allowed {
			return x.Deny("commission", d)
		}
		out = seats
		if out == nil {
			out = []cleared.CommissionMember{}
		}
		return nil
	})
	return out, err
}

// RecordSeat records a seat on the commission from its designation act (A27.2): by the NSA; one seat per
// designating authority in force at a time, three in all, one per person.
func (s *Service) RecordSeat(ctx context.Context, a cleared.Actor, in NewSeat) (m cleared.CommissionMember, err error) {
	defer cleared.Wrap(&err, "record a seat on the commission")
	if err := in.Person.Validate(); err != nil {
		return m, err
	}
	if !cleared.ValidDesignator(in.Designator) {
		return m, cleared.Invalidf("designator is one of prime_minister, foreign_affairs, justice (A27.2)")
	}
	if err := cleared.CheckLine("reference", in.Reference, 1, maxName); err != nil {
		return m, err
	}
	if in.Until.IsZero() {
		return m, cleared.Invalidf("until is required: a seat is designated for a term")
	}
	now := s.clock()
	per, err := period(in.From, in.Until, now)
	if err != nil {
		return m, err
	}
	err = s.run.Do(ctx, a, act.CommissionSeatRecord, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		nsa, err := nsaDecision(tx, w, now)
		if err != nil {
			return err
		}
		if !nsa.Allowed {
			return x.Deny(string(in.Person), policy.DesignateMember(nsa, nil, m))
		}
		if _, err := tx.Person(in.Person); errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(in.Person))
		} else if err != nil {
			return err
		}
		seats, err := tx.CommissionSeats()
		if err != nil {
			return err
		}
		m = cleared.CommissionMember{ID: cleared.NewCommissionSeatID(), Person: in.Person, Designator: in.Designator,
			From: per.From, Until: per.Until, Reference: in.Reference, RecordedBy: w.me.ID, Recorded: now}
		if d := policy.DesignateMember(nsa, seats, m); !d.Allowed {
			return x.Deny(string(in.Person), d)
		}
		x.Object, x.Payload = string(m.ID), m
		return tx.AddCommissionSeat(m)
	})
	return m, err
}

// EndSeat ends seat id at until (now if zero) (A27.2): by the NSA, within the seat's term, not in the past.
func (s *Service) EndSeat(ctx context.Context, a cleared.Actor, id cleared.CommissionSeatID, until time.Time) (m cleared.CommissionMember, err error) {
	defer cleared.Wrap(&err, "end a seat on the commission")
	if err := id.Validate(); err != nil {
		return m, err
	}
	now := s.clock()
	if until.IsZero() {
		until = now
	}
	until = until.UTC().Truncate(time.Microsecond)
	err = s.run.Do(ctx, a, act.CommissionSeatEnd, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		nsa, err := nsaDecision(tx, w, now)
		if err != nil {
			return err
		}
		m, err = tx.CommissionSeat(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		x.Object = string(id)
		if d := policy.EndSeat(nsa, m, until, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		m.Until = until
		if !m.PresidentFrom.IsZero() && !m.PresidentFrom.Before(until) {
			m.President, m.PresidentFrom, m.PresidentReference = false, time.Time{}, ""
		}
		x.Payload = map[string]any{"seat": id, "until": until}
		return tx.UpdateCommissionSeat(m)
	})
	return m, err
}

// ElectPresident records, from the commission's minutes, the election of the member of seat in.Seat as its
// president at in.From (now if zero), for three years (A27.3): by the NSA, of a member in office at the election.
// The former president's presidency ends.
func (s *Service) ElectPresident(ctx context.Context, a cleared.Actor, in Election) (m cleared.CommissionMember, err error) {
	defer cleared.Wrap(&err, "record the commission's president")
	if err := in.Seat.Validate(); err != nil {
		return m, err
	}
	if err := cleared.CheckLine("minutes", in.Minutes, 1, maxName); err != nil {
		return m, err
	}
	now := s.clock()
	from := in.From
	if from.IsZero() {
		from = now
	}
	from = from.UTC().Truncate(time.Microsecond)
	err = s.run.Do(ctx, a, act.CommissionPresident, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		nsa, err := nsaDecision(tx, w, now)
		if err != nil {
			return err
		}
		seats, err := tx.CommissionSeats()
		if err != nil {
			return err
		}
		i := slices.IndexFunc(seats, func(m cleared.CommissionMember) bool { return m.ID == in.Seat })
		if i < 0 {
			return x.Hide(string(in.Seat))
		}
		m = seats[i]
		if d := policy.ElectPresident(nsa, m, from); !d.Allowed {
			return x.Deny(string(in.Seat), d)
		}
		for _, o := range seats {
			if o.ID != m.ID && o.President {
				o.President, o.PresidentFrom, o.PresidentReference = false, time.Time{}, ""
				if err := tx.UpdateCommissionSeat(o); err != nil {
					return err
				}
			}
		}
		m.President, m.PresidentFrom, m.PresidentReference = true, from, in.Minutes
		x.Object, x.Payload = string(m.ID), map[string]any{"seat": m.ID, "person": m.Person, "from": from, "minutes": in.Minutes}
		return tx.UpdateCommissionSeat(m)
	})
	return m, err
}

// Refer refers case id to the commission (A27.4): by the NSA, once its investigation report is filed (reported →
// commission). A refusal or withdrawal is decided only on the commission's opinion (A27.2).
func (s *Service) Refer(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (c cleared.VettingCase, err error) {
	defer cleared.Wrap(&err, "refer a case to the commission")
	if err := id.Validate(); err != nil {
		return c, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.CommissionRefer, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		if c, _, err = loadCase(tx, x, w, id); err != nil {
			return err
		}
		nsa, err := nsaDecision(tx, w, now)
		if err != nil {
			return err
		}
		if d := policy.ReferCase(nsa, c); !d.Allowed {
			return x.Deny(string(id), d)
		}
		c.Stage, c.Updated = cleared.StageCommission, now
		x.Payload = map[string]any{"case": c.ID, "stage": c.Stage}
		if err := tx.AddReferral(store.Referral{Case: c.ID, By: w.me.ID, Referred: now}); err != nil {
			return err
		}
		return tx.UpdateVettingCase(c)
	})
	return c, err
}

// bench is the actor's standing before the commission on one referred case.
type bench struct {
	w        who
	c        cleared.VettingCase
	referral store.Referral
	seat     cleared.CommissionMember
	seats    []cleared.CommissionMember
}

// onCase loads referred case id for a member of the commission who may act at now (as president if asPresident):
// ErrNotFound for a case the actor may not know, or that is not referred and not his to see; A27.3 for one who
// holds or held a seat but may not act at now; A27.4 for one who sees the case but has no seat (the person, his
// security officer, the NSA).
func (s *Service) onCase(tx store.Tx, x *act.Act, a cleared.Actor, id cleared.VettingCaseID, asPresident bool, now time.Time) (b bench, err error) {
	if b.w, err = actor(tx, a, now); err != nil {
		return b, err
	}
	b.c, err = tx.VettingCase(id)
	if errors.Is(err, cleared.ErrNotFound) {
		return b, x.Hide(string(id))
	} else if err != nil {
		return b, err
	}
	x.Object = string(id)
	b.referral, err = tx.Referral(id)
	referred := err == nil
	if err != nil && !errors.Is(err, cleared.ErrNotFound) {
		return b, err
	}
	if b.seats, err = tx.CommissionSeats(); err != nil {
		return b, err
	}
	seat, seated := policy.CommissionSeatOf(b.seats, b.w.me.ID, now)
	if seated && referred {
		cs, err := tx.PersonClearances(b.w.me.ID)
		if err != nil {
			return b, err
		}
		if d := policy.CommissionMayAct(seat, cs, asPresident, now); !d.Allowed {
			return b, x.Deny(string(id), d)
		}
		b.seat = seat
		return b, nil
	}
	if _, d := policy.SeeCase(b.w.me.ID, b.w.officerOf, b.w.nsa, b.c); !d.Allowed {
		return b, x.Deny(string(id), d)
	}
	return b, x.Deny(string(id), policy.NotOnCommission())
}

// Workspace returns the commission's workspace on case id (A27.4) to a member who may act (A27.3).
func (s *Service) Workspace(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (v Workspace, err error) {
	defer cleared.Wrap(&err, "read the commission's workspace")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.CommissionWorkspace, now, func(tx store.Tx, x *act.Act) error {
		b, err := s.onCase(tx, x, a, id, false, now)
		if err != nil {
			return err
		}
		v, err = s.workspace(tx, b)
		return err
	})
	return v, err
}

// workspace assembles the workspace of b's case.
func (s *Service) workspace(tx store.Tx, b bench) (Workspace, error) {
	v := Workspace{Case: b.c, Referred: b.referral.Referred, By: b.referral.By, Seat: b.seat}
	k, err := caseKey(tx, b.c.ID)
	if err != nil {
		return v, err
	}
	if v.Requests, err = s.requests(tx, k, b.c.ID); err != nil {
		return v, err
	}
	v.WholeFile = slices.ContainsFunc(v.Requests, func(r cleared.CommissionRequest) bool { return r.Kind == cleared.RequestFile })
	if v.File, err = s.investigationFile(tx, b.c, v.WholeFile); err != nil {
		return v, err
	}
	hs, err := tx.Hearings(b.c.ID)
	if err != nil {
		return v, err
	}
	v.Hearings = []cleared.Hearing{}
	for _, h := range hs {
		sum, err := s.open(k, b.c.ID, "hearing-summary:"+string(h.ID), h.Summary)
		if err != nil {
			return v, err
		}
		obs, err := s.open(k, b.c.ID, "hearing-observations:"+string(h.ID), h.Observations)
		if err != nil {
			return v, err
		}
		v.Hearings = append(v.Hearings, cleared.Hearing{ID: h.ID, Case: h.Case, Heard: h.Heard, Person: h.Person, Held: h.Held,
			RecordedBy: h.RecordedBy, Recorded: h.Recorded, Summary: sum, Observations: obs})
	}
	o, err := s.opinion(tx, k, b.c.ID)
	if err == nil {
		v.Opinion = &o
	} else if !errors.Is(err, cleared.ErrNotFound) {
		return v, err
	}
	ids := []cleared.PersonID{b.c.PersonID, v.By}
	for _, r := range v.Requests {
		ids = append(ids, r.By, r.AnsweredBy)
	}
	for _, h := range v.Hearings {
		ids = append(ids, h.Person, h.RecordedBy)
	}
	if v.Opinion != nil {
		ids = append(ids, v.Opinion.By)
		ids = append(ids, v.Opinion.Members...)
	}
	v.Names = map[cleared.PersonID]string{}
	for _, id := range ids {
		if id == "" || v.Names[id] != "" {
			continue
		}
		p, err := tx.Person(id)
		if err != nil {
			continue // a person whose row fails its seal is left unnamed
		}
		v.Names[id] = p.Name
	}
	return v, nil
}

// requests opens the requests of case id.
func (s *Service) requests(tx store.Tx, k keyring.DataKey, id cleared.VettingCaseID) ([]cleared.CommissionRequest, error) {
	rs, err := tx.CommissionRequests(store.CommissionRequestQuery{Case: id, Limit: maxListLimit})
	if err != nil {
		return nil, err
	}
	out := []cleared.CommissionRequest{}
	for _, r := range rs {
		q, err := s.open(k, id, "request-question:"+string(r.ID), r.Question)
		if err != nil {
			return nil, err
		}
		ans, err := s.open(k, id, "request-answer:"+string(r.ID), r.Answer)
		if err != nil {
			return nil, err
		}
		out = append(out, cleared.CommissionRequest{ID: r.ID, Case: r.Case, Kind: r.Kind, By: r.By, Made: r.Made, Question: q,
			AnsweredBy: r.AnsweredBy, Answered: r.Answered, Answer: ans})
	}
	return out, nil
}

// opinion opens the opinion on case id; ErrNotFound if none.
func (s *Service) opinion(tx store.Tx, k keyring.DataKey, id cleared.VettingCaseID) (cleared.Opinion, error) {
	o, err := tx.CaseOpinion(id)
	if err != nil {
		return cleared.Opinion{}, err
	}
	reasons, err := s.open(k, id, "opinion", o.Reasons)
	if err != nil {
		return cleared.Opinion{}, err
	}
	return cleared.Opinion{Case: o.Case, Advice: o.Advice, Reasons: reasons, Members: o.Members, By: o.By, Given: o.Given}, nil
}

// Request records a request of the commission on case id (A27.4): for the whole file, which the workspace then
// shows, or for more information, which goes on the NSA's agenda. By a member who may act (A27.3), on a case
// before the commission.
func (s *Service) Request(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, in NewRequest) (r cleared.CommissionRequest, err error) {
	defer cleared.Wrap(&err, "record the commission's request")
	if err := id.Validate(); err != nil {
		return r, err
	}
	if !in.Kind.Valid() {
		return r, cleared.Invalidf("kind is file or information (A27.4)")
	}
	min := 0
	if in.Kind == cleared.RequestInformation {
		min = 1
	}
	if err := cleared.CheckText("question", in.Question, min, maxAnswer); err != nil {
		return r, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.CommissionRequest, now, func(tx store.Tx, x *act.Act) error {
		b, err := s.onCase(tx, x, a, id, false, now)
		if err != nil {
			return err
		}
		if d := policy.CommissionWork(b.c, true); !d.Allowed {
			return x.Deny(string(id), d)
		}
		k, err := caseKey(tx, id)
		if err != nil {
			return err
		}
		r = cleared.CommissionRequest{ID: cleared.NewCommissionRequestID(), Case: id, Kind: in.Kind, By: b.w.me.ID, Made: now,
			Question: in.Question}
		q, err := s.seal(k, id, "request-question:"+string(r.ID), in.Question)
		if err != nil {
			return err
		}
		x.Payload = map[string]any{"case": id, "request": r.ID, "kind": r.Kind}
		return tx.AddCommissionRequest(store.CommissionRequest{ID: r.ID, Case: id, Kind: r.Kind, By: r.By, Made: now, Question: q})
	})
	return r, err
}

// Requests lists the commission's requests on case id with their answers (A27.4): to the NSA, which answers them,
// and to the members who may act (A27.3).
func (s *Service) Requests(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (out []cleared.CommissionRequest, err error) {
	defer cleared.Wrap(&err, "list the commission's requests")
	if err := id.Validate(); err != nil {
		return nil, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.CommissionWorkspace, now, func(tx store.Tx, x *act.Act) error {
		if err := s.nsaOrMember(tx, x, a, id, now); err != nil {
			return err
		}
		k, err := caseKey(tx, id)
		if err != nil {
			return err
		}
		out, err = s.requests(tx, k, id)
		return err
	})
	return out, err
}

// nsaOrMember lets through an NSA officer on a referred case he may see, or a member who may act (onCase).
func (s *Service) nsaOrMember(tx store.Tx, x *act.Act, a cleared.Actor, id cleared.VettingCaseID, now time.Time) error {
	w, err := actor(tx, a, now)
	if err != nil {
		return err
	}
	if w.nsa {
		c, _, err := loadCase(tx, x, w, id)
		if err != nil {
			return err
		}
		if _, err := tx.Referral(c.ID); errors.Is(err, cleared.ErrNotFound) {
			return x.Deny(string(id), policy.CommissionWork(c, false))
		} else if err != nil {
			return err
		}
		return nil
	}
	_, err = s.onCase(tx, x, a, id, false, now)
	return err
}

// AnswerRequest records an NSA officer's answer to the commission's request for information rid on case id
// (A27.4), sealed under the case's key.
func (s *Service) AnswerRequest(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, rid cleared.CommissionRequestID, answer string) (r cleared.CommissionRequest, err error) {
	defer cleared.Wrap(&err, "answer the commission's request")
	if err := id.Validate(); err != nil {
		return r, err
	}
	if err := rid.Validate(); err != nil {
		return r, err
	}
	if err := cleared.CheckText("answer", answer, 1, maxAnswer); err != nil {
		return r, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.CommissionAnswer, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, _, err := loadCase(tx, x, w, id)
		if err != nil {
			return err
		}
		stored, err := tx.CommissionRequest(rid)
		if errors.Is(err, cleared.ErrNotFound) || err == nil && stored.Case != id {
			return x.Hide(string(rid))
		} else if err != nil {
			return err
		}
		k, err := caseKey(tx, id)
		if err != nil {
			return err
		}
		rs, err := s.requests(tx, k, id)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(rs, func(r cleared.CommissionRequest) bool { return r.ID == rid })
		if i < 0 {
			return x.Hide(string(rid))
		}
		r = rs[i]
		nsa, err := nsaDecision(tx, w, now)
		if err != nil {
			return err
		}
		if d := policy.AnswerRequest(nsa, c, r); !d.Allowed {
			return x.Deny(string(rid), d)
		}
		sealed, err := s.seal(k, id, "request-answer:"+string(rid), answer)
		if err != nil {
			return err
		}
		stored.AnsweredBy, stored.Answered, stored.Answer = w.me.ID, now, sealed
		r.AnsweredBy, r.Answered, r.Answer = w.me.ID, now, answer
		x.Object, x.Payload = string(rid), map[string]any{"case": id, "request": rid}
		return tx.AnswerCommissionRequest(stored)
	})
	return r, err
}

// RecordHearing records a hearing before the commission on case id (A27.4): of an NSA member (an NSA officer) or of
// the person under vetting, with a summary and the person's observations; by a member who may act (A27.3), on a
// case before the commission, held no later than now.
func (s *Service) RecordHearing(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, in NewHearing) (h cleared.Hearing, err error) {
	defer cleared.Wrap(&err, "record a hearing")
	if err := id.Validate(); err != nil {
		return h, err
	}
	if !in.Heard.Valid() {
		return h, cleared.Invalidf("heard is nsa or person (A27.4)")
	}
	if in.Heard == cleared.HeardNSA {
		if err := in.Person.Validate(); err != nil {
			return h, err
		}
	} else if in.Person != "" {
		return h, cleared.Invalidf("a hearing of the person names no one else: person is for a hearing of the NSA")
	}
	if err := cleared.CheckText("summary", in.Summary, 1, maxAnswer); err != nil {
		return h, err
	}
	if err := cleared.CheckText("observations", in.Observations, 0, maxAnswer); err != nil {
		return h, err
	}
	if in.Heard == cleared.HeardNSA && in.Observations != "" {
		return h, cleared.Invalidf("observations are the person's (A27.4): a hearing of the NSA has a summary only")
	}
	now := s.clock()
	if in.Held.IsZero() {
		return h, cleared.Invalidf("held is required")
	}
	held := in.Held.UTC().Truncate(time.Microsecond)
	if held.After(now) {
		return h, cleared.Invalidf("held is a date past: a hearing is recorded once held")
	}
	err = s.run.Do(ctx, a, act.CommissionHearing, now, func(tx store.Tx, x *act.Act) error {
		b, err := s.onCase(tx, x, a, id, false, now)
		if err != nil {
			return err
		}
		if d := policy.CommissionWork(b.c, true); !d.Allowed {
			return x.Deny(string(id), d)
		}
		if held.Before(b.referral.Referred.Truncate(24 * time.Hour)) {
			return cleared.Invalidf("held is on or after the referral to the commission (%s)", b.referral.Referred.Format(time.DateOnly))
		}
		heard := b.c.PersonID
		if in.Heard == cleared.HeardNSA {
			p, err := tx.Person(in.Person)
			if errors.Is(err, cleared.ErrNotFound) {
				return x.Hide(string(in.Person))
			} else if err != nil {
				return err
			}
			if !p.HasRole(cleared.RoleNSAOfficer) {
				return cleared.Invalidf("person is a member of the NSA (A27.4)")
			}
			heard = p.ID
		}
		k, err := caseKey(tx, id)
		if err != nil {
			return err
		}
		h = cleared.Hearing{ID: cleared.NewHearingID(), Case: id, Heard: in.Heard, Person: heard, Held: held,
			RecordedBy: b.w.me.ID, Recorded: now, Summary: in.Summary, Observations: in.Observations}
		sum, err := s.seal(k, id, "hearing-summary:"+string(h.ID), in.Summary)
		if err != nil {
			return err
		}
		obs, err := s.seal(k, id, "hearing-observations:"+string(h.ID), in.Observations)
		if err != nil {
			return err
		}
		x.Payload = map[string]any{"case": id, "hearing": h.ID, "heard": h.Heard, "held": held}
		return tx.AddHearing(store.Hearing{ID: h.ID, Case: id, Heard: h.Heard, Person: heard, Held: held, RecordedBy: h.RecordedBy,
			Recorded: now, Summary: sum, Observations: obs})
	})
	return h, err
}

// GiveOpinion records the commission's reasoned opinion on case id (A27.2): once, on a case before the commission,
// by the president (AsPresident: within three years of his election) or a member acting for the commission, each
// able to act (A27.3), naming the members in office who gave it. Its reasons are sealed under the case's key; it
// goes to the deciding authority's agenda and is never shown to the person (A27.4).
func (s *Service) GiveOpinion(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, in NewOpinion) (o cleared.Opinion, err error) {
	defer cleared.Wrap(&err, "record the commission's opinion")
	if err := id.Validate(); err != nil {
		return o, err
	}
	if !in.Advice.Valid() {
		return o, cleared.Invalidf("advice is one of grant, refuse, withdraw (A27.2)")
	}
	if err := cleared.CheckText("reasons", in.Reasons, 1, maxReasons); err != nil {
		return o, cleared.Invalidf("reasons: the commission's opinion is reasoned (A27.2): %v", err)
	}
	if len(in.Members) == 0 || len(in.Members) > maxMembers {
		return o, cleared.Invalidf("members names the one to three members who gave the opinion (A27.2)")
	}
	members := slices.Clone(in.Members)
	slices.Sort(members)
	members = slices.Compact(members)
	for _, p := range members {
		if err := p.Validate(); err != nil {
			return o, err
		}
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.CommissionOpinion, now, func(tx store.Tx, x *act.Act) error {
		b, err := s.onCase(tx, x, a, id, in.AsPresident, now)
		if err != nil {
			return err
		}
		_, err = tx.CaseOpinion(id)
		given := err == nil
		if err != nil && !errors.Is(err, cleared.ErrNotFound) {
			return err
		}
		if d := policy.GiveOpinion(b.c, true, given, members, b.seats, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		k, err := caseKey(tx, id)
		if err != nil {
			return err
		}
		sealed, err := s.seal(k, id, "opinion", in.Reasons)
		if err != nil {
			return err
		}
		o = cleared.Opinion{Case: id, Advice: in.Advice, Reasons: in.Reasons, Members: members, By: b.w.me.ID, Given: now}
		x.Payload = map[string]any{"case": id, "advice": o.Advice, "members": members, "as_president": in.AsPresident}
		return tx.AddOpinion(store.Opinion{Case: id, Advice: o.Advice, Members: members, By: o.By, Given: now, Reasons: sealed})
	})
	return o, err
}

// Opinion returns the commission's opinion on case id: to the deciding authority (role decider, A27.1) and to the
// members who may act (A27.3); ErrNotFound to anyone else, the person under vetting first (A27.4), and while no
// opinion is given.
func (s *Service) Opinion(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (o cleared.Opinion, err error) {
	defer cleared.Wrap(&err, "read the commission's opinion")
	if err := id.Validate(); err != nil {
		return o, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.CommissionOpinionRead, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, err := tx.VettingCase(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		seats, err := tx.CommissionSeats()
		if err != nil {
			return err
		}
		seat, seated := policy.CommissionSeatOf(seats, w.me.ID, now)
		cs, err := tx.PersonClearances(w.me.ID)
		if err != nil {
			return err
		}
		if d := policy.SeeOpinion(w.me.ID, c, seat, seated, cs, w.me.HasRole(cleared.RoleDecider), now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		k, err := caseKey(tx, id)
		if err != nil {
			return err
		}
		o, err = s.opinion(tx, k, id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		}
		return err
	})
	return o, err
}

// CommissionCases lists the cases referred to the commission and not closed (A27.4): to the members who may act
// (A27.3) and to the NSA; refused with A27.3 to one with a seat who may not act, with A27.4 to others.
func (s *Service) CommissionCases(ctx context.Context, a cleared.Actor) (out []cleared.VettingCase, err error) {
	defer cleared.Wrap(&err, "list the commission's cases")
	now := s.clock()
	err = s.run.Read(ctx, a, act.CommissionWorkspace, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		seats, err := tx.CommissionSeats()
		if err != nil {
			return err
		}
		seat, seated := policy.CommissionSeatOf(seats, w.me.ID, now)
		cs, err := tx.PersonClearances(w.me.ID)
		if err != nil {
			return err
		}
		if d := policy.SeeCommissionCases(w.nsa, seated, policy.CommissionMayAct(seat, cs, false, now)); !d.Allowed {
			return x.Deny("commission", d)
		}
		refs, err := tx.OpenReferrals(maxListLimit)
		if err != nil {
			return err
		}
		out = []cleared.VettingCase{}
		for _, r := range refs {
			c, err := tx.VettingCase(r.Case)
			if err != nil {
				continue // a case that fails its seal shows nothing
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// commissionAgenda is the commission's part of the agenda (A27.4, A27.2): to a member in office, the referred
// cases awaiting the opinion; to an NSA officer, the requests for information awaiting the answer; to the deciding
// authority, the opinions awaiting the decision.
func commissionAgenda(tx store.Tx, me cleared.Person, nsa bool, t time.Time) ([]policy.AgendaItem, error) {
	seats, err := tx.CommissionSeats()
	if err != nil {
		return nil, err
	}
	seat, seated := policy.CommissionSeatOf(seats, me.ID, t)
	member, decider := seated && seat.InOffice(t), me.HasRole(cleared.RoleDecider)
	var items []policy.AgendaItem
	if member || decider {
		refs, err := tx.OpenReferrals(maxListLimit)
		if err != nil {
			return nil, err
		}
		var cases, opined []cleared.VettingCase
		var givenAt []time.Time
		referred, given := map[cleared.VettingCaseID]time.Time{}, map[cleared.VettingCaseID]bool{}
		for _, r := range refs {
			c, err := tx.VettingCase(r.Case)
			if err != nil {
				continue
			}
			referred[c.ID] = r.Referred
			cases = append(cases, c)
			o, err := tx.CaseOpinion(c.ID)
			if err == nil {
				given[c.ID] = true
				opined, givenAt = append(opined, c), append(givenAt, o.Given)
			} else if !errors.Is(err, cleared.ErrNotFound) {
				continue
			}
		}
		items = append(items, policy.CommissionItems(member, cases, referred, given, t)...)
		items = append(items, policy.OpinionItems(decider, opined, givenAt, t)...)
	}
	if nsa {
		rs, err := tx.CommissionRequests(store.CommissionRequestQuery{Open: true, Limit: maxListLimit})
		if err != nil {
			return nil, err
		}
		var open []cleared.CommissionRequest
		var cases []cleared.VettingCase
		for _, r := range rs {
			c, err := tx.VettingCase(r.Case)
			if err != nil {
				continue
			}
			open, cases = append(open, cleared.CommissionRequest{ID: r.ID, Case: r.Case, Kind: r.Kind, By: r.By, Made: r.Made}), append(cases, c)
		}
		items = append(items, policy.InformationRequestItems(true, open, cases, t)...)
	}
	return items, nil
}

// OfferCommission reports whether the actor keeps the commission's register and answers its requests (an NSA
// officer, policy.NSARegister): the pages offer him their forms. It decides nothing: each action decides again.
func (s *Service) OfferCommission(ctx context.Context, a cleared.Actor) bool {
	now := s.clock()
	nsa := false
	err := s.store.View(ctx, func(tx store.Tx) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		cs, err := tx.PersonClearances(me.ID)
		nsa = err == nil && policy.NSARegister(me, cs, now).Allowed
		return err
	})
	return err == nil && nsa
}

// Now is the service's clock: the pages say with it which seats are in office, as the actions decide.
func (s *Service) Now() time.Time { return s.clock() }
