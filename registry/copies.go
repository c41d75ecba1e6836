package registry

import (
	"context"
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Reproduction (Art. 9 al. 4, A9.4): every copy of a classified piece is numbered (copy n of m), registered and
// tracked like a piece; a copy of a TOP SECRET piece, or of a lower one where a rule profile asks it (A1.1), waits
// for the originator's prior express consent, asked by a copy request.

// maxCopies bounds the copies one request makes or asks for.
const maxCopies = 100

// consentDays is how long an approval stays in force when the originator gives no end.
const consentDays = 30

// NumberedCopy is a copy as shown: its register entry, Of the number of copies made of its piece so far (m of
// "copy n of m"), and the piece's marking, which every copy carries (A7.1).
type NumberedCopy struct {
	cleared.Copy
	Of      int    `json:"of"`
	Marking string `json:"marking"`
	// Destruction is the report of the copy's destruction that awaits its countersignature (A10.2), set by
	// DestroyCopy when one was written.
	Destruction cleared.DestructionID `json:"destruction,omitempty"`
}

// NewCopies is the input of MakeCopies.
type NewCopies struct {
	Copies int    `json:"copies"`
	Reason string `json:"reason"`
	// Holder holds the copies; the maker if empty.
	Holder cleared.PersonID `json:"holder,omitempty"`
	// Location is where physical copies are kept: given, the copies are physical (a print); a physical piece's
	// copies are physical and need it.
	Location cleared.PlaceID `json:"location,omitempty"`
}

func (in NewCopies) validate() error {
	if in.Copies < 1 || in.Copies > maxCopies {
		return cleared.Invalidf("copies must be from 1 to %d", maxCopies)
	}
	if err := cleared.CheckText("reason", in.Reason, 1, maxText); err != nil {
		return err
	}
	if in.Holder != "" {
		if err := in.Holder.Validate(); err != nil {
			return err
		}
	}
	if in.Location != "" {
		return in.Location.Validate()
	}
	return nil
}

// copiesMade is the audit payload of MakeCopies.
type copiesMade struct {
	Copies  []cleared.Copy        `json:"copies"`
	Of      int                   `json:"of"`
	Request cleared.CopyRequestID `json:"request,omitempty"`
}

// MakeCopies makes in.Copies numbered copies of a piece (A9.4). The maker must know the piece (else not found) and
// be able to read it at his terminal (policy.Use: A9.1, A9.3, A8.1, A8.2); for TOP SECRET, and where a rule
// profile asks the originator's consent (A1.1), he holds an approved copy request of his own for this piece, in
// force, whose remaining copies cover these (policy.Copy, policy.Consented); refused with A9.4 otherwise, nothing
// made. The holder (the maker if none is named) must be cleared at the piece's level with need-to-know of it
// (A9.1); a physical copy is kept in a place accredited for its level (A8.1, A8.2, A9.3). Copies are numbered from
// the last made for the piece.
func (s *Service) MakeCopies(ctx context.Context, a cleared.Actor, id cleared.PieceID, in NewCopies) (cs []NumberedCopy, err error) {
	defer cleared.Wrap(&err, "copy %s", id)
	if err := id.Validate(); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.CopyMake, now, func(tx store.Tx, x *act.Act) error {
		cs = nil
		p, sub, tg, err := s.knownPiece(tx, x, id)
		if err != nil {
			return err
		}
		switch {
		case !p.Destroyed.IsZero():
			return cleared.Conflictf("the piece was destroyed on %s", p.Destroyed.Format(time.DateOnly))
		case !p.Level.Classified():
			return cleared.Conflictf("the piece is not classified: its copies are not registered")
		}
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		kind := p.Kind
		if in.Location != "" {
			kind = cleared.Physical
		} else if p.Kind == cleared.Physical {
			return cleared.Invalidf("a copy of a physical piece is physical: give the place where it will be kept (location)")
		}
		// Consent first: a copy made without it is refused with A9.4 whoever holds it and wherever.
		actsFor, err := facts.ActsFor(tx, p.Originator, p.Created)
		if err != nil {
			return err
		}
		req, consent, err := usableConsent(tx, me.ID, p.ID, actsFor, in.Copies, now)
		if err != nil {
			return err
		}
		made := 0
		if req != nil {
			made = req.Used + in.Copies - 1 // the last of these copies must still be covered
		}
		out, err := s.outcome(tx, policy.Copy(sub, tg, consent, actsFor, made, now), policy.ActionReproduce, p, me.OrganisationID, now)
		if err != nil {
			return err
		}
		if !out.Allowed {
			return x.Deny(string(id), out.Decision)
		}
		needConsent := p.Level == cleared.TopSecret
		for _, ob := range out.Obligations {
			switch ob.Duty {
			case policy.DutyCopyNumber: // every copy of a classified piece is numbered
			case policy.DutyOriginatorConsent:
				needConsent = true
				if d := policy.Consented(me.ID, p.ID, consent, actsFor, made, now); !d.Allowed {
					d.Reason = ob.Profile + ": " + d.Reason
					return x.Deny(string(id), d)
				}
			default: // a duty cleared cannot perform for a copy: fail closed (A1.1)
				return x.Deny(string(id), policy.UnperformedDuty(ob, "a copy"))
			}
		}
		holder := me
		if in.Holder != "" && in.Holder != me.ID {
			if holder, err = tx.Person(in.Holder); err != nil {
				return err
			}
		}
		hs, _, err := facts.SubjectOf(tx, holder, "", now)
		if err != nil {
			return err
		}
		if d := policy.CopyHolder(hs, tg, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		if kind == cleared.Physical {
			pl, err := tx.Place(in.Location)
			if err != nil {
				return err
			}
			if d := policy.Custody(pl, p.Level); !d.Allowed {
				return x.Deny(string(id), d)
			}
		}
		existing, err := tx.PieceCopies(p.ID)
		if err != nil {
			return err
		}
		payload := copiesMade{Of: len(existing) + in.Copies}
		if needConsent && req != nil {
			payload.Request = req.ID
			req.Used += in.Copies
			if err := tx.UpdateCopyRequest(*req); err != nil {
				return err
			}
		}
		for i := range in.Copies {
			c := cleared.Copy{ID: cleared.NewCopyID(), Piece: p.ID, Number: len(existing) + i + 1, Kind: kind, Holder: holder.ID,
				OrganisationID: holder.OrganisationID, Reason: in.Reason, Request: payload.Request, Created: now, CreatedBy: me.ID}
			if kind == cleared.Physical {
				c.Location = in.Location
			}
			if err := tx.CreateCopy(c); err != nil {
				return err
			}
			payload.Copies = append(payload.Copies, c)
			cs = append(cs, NumberedCopy{Copy: c, Of: payload.Of, Marking: p.Marking()})
		}
		x.Payload = payload
		return nil
	})
	return cs, err
}

// usableConsent returns the approved copy request of person for piece whose consent is in force at t and still
// covers n copies (policy.Consented), and that consent; nil and nil if there is none.
func usableConsent(tx store.Copies, person cleared.PersonID, piece cleared.PieceID, actsFor []cleared.AuthorityID, n int, t time.Time) (*cleared.CopyRequest, *cleared.CopyConsent, error) {
	rs, err := tx.CopyRequests(store.CopyRequestQuery{Piece: piece, RequestedBy: person, Status: cleared.CopyRequestApproved, Limit: maxListLimit})
	if err != nil {
		return nil, nil, err
	}
	for _, r := range rs {
		if c := r.Consent(); policy.Consented(person, piece, c, actsFor, r.Used+n-1, t).Allowed {
			return &r, c, nil
		}
	}
	return nil, nil, nil
}

// copyViewer describes the actor to SeeCopy: whether he acts for the piece's originator (A5.2), keeps the NSA's
// registers, and which organisations he is security officer of.
func copyViewer(tx store.Tx, me cleared.Person, p cleared.Piece, now time.Time) (policy.CopyViewer, []cleared.AuthorityID, error) {
	v := policy.CopyViewer{Person: me.ID, NSA: me.HasRole(cleared.RoleNSAOfficer)}
	mine, err := authoritiesInOffice(tx, me.ID, now)
	if err != nil {
		return v, nil, err
	}
	actsFor, err := facts.ActsFor(tx, p.Originator, p.Created)
	if err != nil {
		return v, nil, err
	}
	_, d := policy.ConsentAuthority(mine, actsFor)
	v.Originator = d.Allowed
	if v.OfficerOf, err = facts.OfficerOf(tx, me.ID, now); err != nil {
		return v, nil, err
	}
	return v, mine, nil
}

// authoritiesInOffice lists the classifying authorities person holds at t.
func authoritiesInOffice(tx store.Authorities, person cleared.PersonID, t time.Time) ([]cleared.AuthorityID, error) {
	as, err := tx.PersonAuthorities(person)
	if err != nil {
		return nil, err
	}
	var out []cleared.AuthorityID
	for _, au := range as {
		if au.InOfficeAt(t) {
			out = append(out, au.ID)
		}
	}
	return out, nil
}

// PieceCopies lists the copies of a piece, by number, to one who may know the piece (A9.1, else not found): the
// originator (or who acts for it) and the NSA see every copy, a security officer those his organisation holds, a
// holder his own and a maker those he made (policy.SeeCopy). Of counts every copy made.
func (s *Service) PieceCopies(ctx context.Context, a cleared.Actor, id cleared.PieceID) (cs []NumberedCopy, err error) {
	defer cleared.Wrap(&err, "copies of %s", id)
	if err := id.Validate(); err != nil {
		return nil, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.CopyList, now, func(tx store.Tx, x *act.Act) error {
		cs = nil
		p, _, _, err := s.knownPiece(tx, x, id)
		if err != nil {
			return err
		}
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		v, _, err := copyViewer(tx, me, p, now)
		if err != nil {
			return err
		}
		all, err := tx.PieceCopies(p.ID)
		if err != nil {
			return err
		}
		for _, c := range all {
			if policy.SeeCopy(v, c) {
				cs = append(cs, NumberedCopy{Copy: c, Of: len(all), Marking: p.Marking()})
			}
		}
		return nil
	})
	return cs, err
}

// knownCopy loads a copy the actor may see: he may know its piece (A9.1) and SeeCopy lets him see it. Anything
// else answers as a missing copy, audited.
func (s *Service) knownCopy(tx store.Tx, x *act.Act, id cleared.CopyID) (NumberedCopy, cleared.Piece, *policy.Subject, policy.Target, cleared.Person, error) {
	var none NumberedCopy
	c, err := tx.Copy(id)
	var tampered *store.TamperedError
	if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
		return none, cleared.Piece{}, nil, policy.Target{}, cleared.Person{}, x.Hide(string(id))
	}
	if err != nil {
		return none, cleared.Piece{}, nil, policy.Target{}, cleared.Person{}, err
	}
	p, sub, tg, err := s.knownPiece(tx, x, c.Piece)
	if err != nil {
		x.Object = string(id)
		return none, p, nil, tg, cleared.Person{}, err
	}
	me, err := facts.ActorPerson(tx, x.Actor)
	if err != nil {
		return none, p, nil, tg, me, err
	}
	v, _, err := copyViewer(tx, me, p, x.Now)
	if err != nil {
		return none, p, nil, tg, me, err
	}
	if !policy.SeeCopy(v, c) {
		return none, p, nil, tg, me, x.Hide(string(id))
	}
	all, err := tx.PieceCopies(p.ID)
	if err != nil {
		return none, p, nil, tg, me, err
	}
	x.Object = string(id)
	return NumberedCopy{Copy: c, Of: len(all), Marking: p.Marking()}, p, sub, tg, me, nil
}

// Copy returns a copy's register entry to one who may see it (see PieceCopies), else not found.
func (s *Service) Copy(ctx context.Context, a cleared.Actor, id cleared.CopyID) (c NumberedCopy, err error) {
	defer cleared.Wrap(&err, "copy %s", id)
	if err := id.Validate(); err != nil {
		return c, err
	}
	err = s.run.Read(ctx, a, act.CopyRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		c, _, _, _, _, err = s.knownCopy(tx, x, id)
		return err
	})
	return c, err
}

// ReadCopyContent returns an electronic copy's content, which is its piece's, to one who may see the copy and use
// the piece from his terminal (policy.Use: A9.1, A9.3, A8.1, A8.2). A destroyed copy, or one of a destroyed piece,
// has none.
func (s *Service) ReadCopyContent(ctx context.Context, a cleared.Actor, id cleared.CopyID) (c NumberedCopy, p cleared.Piece, content []byte, err error) {
	defer cleared.Wrap(&err, "read content of copy %s", id)
	if err := id.Validate(); err != nil {
		return c, p, nil, err
	}
	now := s.clock()
	var sealed store.Content
	err = s.run.Read(ctx, a, act.CopyReadContent, now, func(tx store.Tx, x *act.Act) error {
		var sub *policy.Subject
		var tg policy.Target
		if c, p, sub, tg, _, err = s.knownCopy(tx, x, id); err != nil {
			return err
		}
		switch {
		case c.Kind != cleared.Electronic:
			return cleared.Conflictf("a physical copy has no content in cleared: ask its holder")
		case !c.Destroyed.IsZero():
			return cleared.Conflictf("the copy was destroyed on %s", c.Destroyed.Format(time.DateOnly))
		case !p.Destroyed.IsZero():
			return cleared.Conflictf("the piece was destroyed on %s", p.Destroyed.Format(time.DateOnly))
		}
		if d := policy.Use(sub, tg, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		sealed, err = s.content(tx, x, p.ID)
		return err
	})
	if err != nil {
		return c, p, nil, err
	}
	content, err = s.ring.Open(p.ID, keyring.BindingOf(p), keyring.Sealed{KEK: sealed.KEK, WrappedKey: sealed.WrappedKey, Ciphertext: sealed.Ciphertext})
	if err != nil {
		if errors.Is(err, keyring.ErrKeyDestroyed) {
			return c, p, nil, err
		}
		if errors.Is(err, keyring.ErrCorrupt) {
			s.log.ErrorContext(ctx, "content failed authentication: possible tampering, an incident is opened (A13.1)",
				"piece", p.ID, "copy", id, "actor", a.Person)
			s.detectContentFailure(ctx, p, id)
		}
		return c, p, nil, cleared.Unavailablef("decrypt content: %v", err)
	}
	return c, p, content, nil
}

// DestroyCopy records the destruction of a copy (Art. 10 al. 1, A10.1) by its holder or the security officer of
// the organisation that holds it (policy.DestroyCopy). Below SECRET, unless a rule profile asks a report (A1.1), the
// copy is destroyed at once. From SECRET, or where a profile asks it, a destruction report naming the copy is
// written and signed by the actor, exactly as for a piece (A10.2, E2): the copy counts as destroyed only when a
// security officer of its organisation countersigns it (Countersign); the copy then carries the report's ID. The
// piece and its data key are untouched: other copies and the piece itself live on. One who may not see the copy
// gets not found.
func (s *Service) DestroyCopy(ctx context.Context, a cleared.Actor, id cleared.CopyID, in NewDestruction) (c NumberedCopy, err error) {
	defer cleared.Wrap(&err, "destroy copy %s", id)
	if err := id.Validate(); err != nil {
		return c, err
	}
	if in.Copy != "" && in.Copy != string(id) {
		return c, cleared.Invalidf("the body names another copy than the route")
	}
	if in.Method != "" {
		if err := cleared.CheckLine("method", in.Method, 1, maxName); err != nil {
			return c, err
		}
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.CopyDestroy, now, func(tx store.Tx, x *act.Act) error {
		var p cleared.Piece
		var me cleared.Person
		if c, p, _, _, me, err = s.knownCopy(tx, x, id); err != nil {
			return err
		}
		officerOf, err := facts.OfficerOf(tx, me.ID, now)
		if err != nil {
			return err
		}
		pending, err := pendingOf(tx, p.ID, id)
		if err != nil {
			return err
		}
		dec := policy.DestroyCopy(me.ID, officerOf, c.Copy, pending != nil)
		if !dec.Allowed && dec.Rule != "" && (!c.Destroyed.IsZero() || pending != nil) {
			// A state, not a standing: 409 as for a piece, the refusal audited all the same.
			_ = x.Deny(string(id), dec)
			return cleared.Conflictf("%s (%s)", dec.Reason, dec.Rule)
		}
		out, err := s.outcome(tx, dec, policy.ActionDestroy, p, c.OrganisationID, now)
		if err != nil {
			return err
		}
		if !out.Allowed {
			return x.Deny(string(id), out.Decision)
		}
		if dec := policy.DestroyDuties(out); !dec.Allowed {
			return x.Deny(string(id), dec)
		}
		if !policy.ReportNeeded(p.Level, has(out, policy.DutyDestructionReport)) {
			if err := tx.MarkCopyDestroyed(c.ID, now, me.ID); err != nil {
				return err
			}
			c.Destroyed, c.DestroyedBy = now, me.ID
			x.Payload = c.Copy
			return nil
		}
		d := cleared.Destruction{ID: cleared.NewDestructionID(), Piece: p.ID, Copy: string(c.ID), OrganisationID: c.OrganisationID,
			Level: p.Level, Marking: p.Marking(), Method: in.Method, DestroyedBy: me.ID, Created: now, Report: true}
		if d.Method == "" {
			if c.Kind != cleared.Electronic {
				return cleared.Invalidf("say how the physical copy was destroyed (method)")
			}
			d.Method = methodCopyWithdrawn
		}
		c.Destruction = d.ID
		return s.writeReport(tx, x, &d, p, me)
	})
	return c, err
}

// methodCopyWithdrawn is the method of an electronic copy's destruction: its content is the piece's, under the
// piece's key, so destroying the copy withdraws its number; the piece and its other copies are not touched.
const methodCopyWithdrawn = "numbered copy withdrawn: its content is served to no one under this number"

// NewCopyRequest is the input of RequestCopies.
type NewCopyRequest struct {
	Copies int    `json:"copies"`
	Reason string `json:"reason"`
}

// RequestCopies asks the originator of a piece for the prior express consent to make in.Copies copies of it (A9.4).
// The requester must know the piece (else not found) and be able to read it at his terminal (policy.Use), since he
// will make the copies.
func (s *Service) RequestCopies(ctx context.Context, a cleared.Actor, id cleared.PieceID, in NewCopyRequest) (r cleared.CopyRequest, err error) {
	defer cleared.Wrap(&err, "request copies of %s", id)
	if err := id.Validate(); err != nil {
		return r, err
	}
	if in.Copies < 1 || in.Copies > maxCopies {
		return r, cleared.Invalidf("copies must be from 1 to %d", maxCopies)
	}
	if err := cleared.CheckText("reason", in.Reason, 1, maxText); err != nil {
		return r, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.CopyRequestCreate, now, func(tx store.Tx, x *act.Act) error {
		p, sub, tg, err := s.knownPiece(tx, x, id)
		if err != nil {
			return err
		}
		if !p.Destroyed.IsZero() {
			return cleared.Conflictf("the piece was destroyed on %s", p.Destroyed.Format(time.DateOnly))
		}
		if d := policy.Use(sub, tg, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		r = cleared.CopyRequest{ID: cleared.NewCopyRequestID(), Piece: p.ID, Copies: in.Copies, Reason: in.Reason,
			RequestedBy: sub.Person, Created: now, Status: cleared.CopyRequestPending}
		x.Object, x.Payload = string(r.ID), r
		return tx.CreateCopyRequest(r)
	})
	return r, err
}

// CopyDecision is the input of ApproveCopyRequest and RefuseCopyRequest.
type CopyDecision struct {
	Note string `json:"note,omitempty"`
	// Until ends an approval; 30 days after it if zero.
	Until time.Time `json:"until,omitzero"`
}

// ApproveCopyRequest gives the originator's prior express consent to a copy request (A9.4): only the authority
// that classified the piece, or one acting for it (its successor, the delegating principal, A5.2), held by the
// actor and in office, decides (policy.ConsentAuthority); the request is pending. One who may not know the piece,
// or may not see the request, gets not found.
func (s *Service) ApproveCopyRequest(ctx context.Context, a cleared.Actor, id cleared.CopyRequestID, in CopyDecision) (cleared.CopyRequest, error) {
	return s.decideCopyRequest(ctx, a, id, in, true)
}

// RefuseCopyRequest refuses a copy request, under the same rule as ApproveCopyRequest.
func (s *Service) RefuseCopyRequest(ctx context.Context, a cleared.Actor, id cleared.CopyRequestID, in CopyDecision) (cleared.CopyRequest, error) {
	return s.decideCopyRequest(ctx, a, id, in, false)
}

func (s *Service) decideCopyRequest(ctx context.Context, a cleared.Actor, id cleared.CopyRequestID, in CopyDecision, approve bool) (r cleared.CopyRequest, err error) {
	name, verb := act.CopyRequestRefuse, "refuse"
	if approve {
		name, verb = act.CopyRequestApprove, "approve"
	}
	defer cleared.Wrap(&err, "%s copy request %s", verb, id)
	if err := id.Validate(); err != nil {
		return r, err
	}
	if err := cleared.CheckText("note", in.Note, 0, maxText); err != nil {
		return r, err
	}
	now := s.clock()
	until := in.Until.UTC()
	if until.IsZero() {
		until = now.AddDate(0, 0, consentDays)
	}
	if approve && !until.After(now) {
		return r, cleared.Invalidf("the consent must end after now (until)")
	}
	err = s.run.Do(ctx, a, name, now, func(tx store.Tx, x *act.Act) error {
		var p cleared.Piece
		var mine []cleared.AuthorityID
		if r, p, _, mine, err = s.knownCopyRequest(tx, x, id, true); err != nil {
			return err
		}
		actsFor, err := facts.ActsFor(tx, p.Originator, p.Created)
		if err != nil {
			return err
		}
		as, d := policy.ConsentAuthority(mine, actsFor)
		if !d.Allowed {
			return x.Deny(string(id), d)
		}
		if r.Status != cleared.CopyRequestPending {
			return cleared.Conflictf("the request was already %s", r.Status)
		}
		r.Status, r.DecidedBy, r.DecidedAs, r.Decided, r.Note = cleared.CopyRequestRefused, a.Person, as, now, in.Note
		if approve {
			r.Status, r.Until = cleared.CopyRequestApproved, until
		}
		x.Payload = r
		return tx.UpdateCopyRequest(r)
	})
	return r, err
}

// knownCopyRequest loads a copy request the actor may see: he may know its piece (A9.1), and he asked for it, acts
// for the piece's originator, or keeps the NSA's registers; anything else answers as a missing request. One
// deciding it needs only know the piece: policy.ConsentAuthority then tells him why he may not (A9.4).
func (s *Service) knownCopyRequest(tx store.Tx, x *act.Act, id cleared.CopyRequestID, deciding bool) (cleared.CopyRequest, cleared.Piece, policy.CopyViewer, []cleared.AuthorityID, error) {
	r, err := tx.CopyRequest(id)
	var tampered *store.TamperedError
	if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
		return r, cleared.Piece{}, policy.CopyViewer{}, nil, x.Hide(string(id))
	}
	if err != nil {
		return r, cleared.Piece{}, policy.CopyViewer{}, nil, err
	}
	p, _, _, err := s.knownPiece(tx, x, r.Piece)
	if err != nil {
		x.Object = string(id)
		return cleared.CopyRequest{}, p, policy.CopyViewer{}, nil, err
	}
	me, err := facts.ActorPerson(tx, x.Actor)
	if err != nil {
		return r, p, policy.CopyViewer{}, nil, err
	}
	v, mine, err := copyViewer(tx, me, p, x.Now)
	if err != nil {
		return r, p, v, nil, err
	}
	if r.RequestedBy != me.ID && !v.Originator && !v.NSA && !deciding {
		return cleared.CopyRequest{}, p, v, nil, x.Hide(string(id))
	}
	x.Object = string(id)
	return r, p, v, mine, nil
}

// CopyRequest returns a copy request to its requester, to who acts for the piece's originator, and to the NSA;
// anyone else gets not found.
func (s *Service) CopyRequest(ctx context.Context, a cleared.Actor, id cleared.CopyRequestID) (r cleared.CopyRequest, err error) {
	defer cleared.Wrap(&err, "copy request %s", id)
	if err := id.Validate(); err != nil {
		return r, err
	}
	err = s.run.Read(ctx, a, act.CopyRequestRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		r, _, _, _, err = s.knownCopyRequest(tx, x, id, false)
		return err
	})
	return r, err
}

// ListedCopyRequest is a copy request in a list, and whether the reader may decide it (he acts for the piece's
// originator, A5.2), so that a page offers approve and refuse only to him.
type ListedCopyRequest struct {
	cleared.CopyRequest
	MayDecide bool `json:"may_decide"`
}

// CopyRequests lists, oldest first, the copy requests the actor made and those he may decide or must know of: on
// the pieces whose originator he acts for (A5.2), every request if he keeps the NSA's registers; only those on the
// pieces he may know (A9.1). pending keeps the pending ones only.
func (s *Service) CopyRequests(ctx context.Context, a cleared.Actor, pending bool) (rs []ListedCopyRequest, err error) {
	defer cleared.Wrap(&err, "list copy requests")
	now := s.clock()
	err = s.run.Read(ctx, a, act.CopyRequestList, now, func(tx store.Tx, x *act.Act) error {
		rs = nil
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		sub, err := s.cache.subjects.Of(tx, x)
		if err != nil {
			return err
		}
		mine, err := authoritiesInOffice(tx, me.ID, now)
		if err != nil {
			return err
		}
		q := store.CopyRequestQuery{Limit: maxListLimit}
		if pending {
			q.Status = cleared.CopyRequestPending
		}
		var candidates []cleared.CopyRequest
		if len(mine) == 0 && !me.HasRole(cleared.RoleNSAOfficer) {
			q.RequestedBy = me.ID
		}
		if candidates, err = tx.CopyRequests(q); err != nil {
			return err
		}
		nsa := me.HasRole(cleared.RoleNSAOfficer)
		originator := map[cleared.PieceID]bool{} // whether the actor acts for the piece's originator
		for _, r := range candidates {
			p, tg, err := s.piece(tx, x, r.Piece)
			if err != nil {
				continue // a piece that cannot be read, or fails its seal, shows nothing of its requests
			}
			if !policy.Know(sub, tg, now).Allowed {
				continue
			}
			acts, seen := originator[p.ID]
			if !seen && len(mine) > 0 {
				actsFor, err := facts.ActsFor(tx, p.Originator, p.Created)
				if err != nil {
					return err
				}
				_, d := policy.ConsentAuthority(mine, actsFor)
				acts, originator[p.ID] = d.Allowed, d.Allowed
			}
			if r.RequestedBy != me.ID && !nsa && !acts {
				continue
			}
			rs = append(rs, ListedCopyRequest{CopyRequest: r, MayDecide: acts})
		}
		return nil
	})
	return rs, err
}

// CopySheet is what the page of a piece's copies shows and offers: the copies the actor may see, the requests on
// the piece he may see, and what the policy would let him do now, so that the page offers only that.
type CopySheet struct {
	Copies       []NumberedCopy
	Requests     []cleared.CopyRequest
	NeedsConsent bool // a copy waits for the originator's consent (A9.4, or a rule profile, A1.1)
	MayCopy      bool // a copy made now would be allowed
	MayRequest   bool // he may ask the originator's consent
	MayDecide    bool // he acts for the originator (A5.2): he approves or refuses the requests
	MayDestroy   map[cleared.CopyID]bool
}

// CopySheet returns the copy sheet of a piece the actor may know (else not found), as PieceCopies lists the copies,
// audited as a list of copies.
func (s *Service) CopySheet(ctx context.Context, a cleared.Actor, id cleared.PieceID) (cs CopySheet, err error) {
	defer cleared.Wrap(&err, "copies of %s", id)
	if err := id.Validate(); err != nil {
		return cs, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.CopyList, now, func(tx store.Tx, x *act.Act) error {
		cs = CopySheet{MayDestroy: map[cleared.CopyID]bool{}}
		p, sub, tg, err := s.knownPiece(tx, x, id)
		if err != nil {
			return err
		}
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		v, _, err := copyViewer(tx, me, p, now)
		if err != nil {
			return err
		}
		cs.MayDecide = v.Originator
		all, err := tx.PieceCopies(p.ID)
		if err != nil {
			return err
		}
		live := p.Destroyed.IsZero() && p.Level.Classified()
		destroy, err := s.outcome(tx, policy.Allow, policy.ActionDestroy, p, me.OrganisationID, now)
		if err != nil {
			return err
		}
		for _, c := range all {
			if policy.SeeCopy(v, c) {
				cs.Copies = append(cs.Copies, NumberedCopy{Copy: c, Of: len(all), Marking: p.Marking()})
				pending, err := pendingOf(tx, p.ID, c.ID)
				if err != nil {
					return err
				}
				cs.MayDestroy[c.ID] = destroy.Allowed && policy.DestroyDuties(destroy).Allowed &&
					policy.DestroyCopy(me.ID, v.OfficerOf, c, pending != nil).Allowed
			}
		}
		use := policy.Use(sub, tg, now)
		cs.MayRequest = live && use.Allowed
		out, err := s.outcome(tx, use, policy.ActionReproduce, p, me.OrganisationID, now)
		if err != nil {
			return err
		}
		known := true
		cs.NeedsConsent = p.Level == cleared.TopSecret
		for _, ob := range out.Obligations {
			switch ob.Duty {
			case policy.DutyCopyNumber:
			case policy.DutyOriginatorConsent:
				cs.NeedsConsent = true
			default:
				known = false
			}
		}
		cs.MayCopy = cs.MayRequest && out.Allowed && known
		if cs.MayCopy && cs.NeedsConsent {
			actsFor, err := facts.ActsFor(tx, p.Originator, p.Created)
			if err != nil {
				return err
			}
			req, _, err := usableConsent(tx, me.ID, p.ID, actsFor, 1, now)
			if err != nil {
				return err
			}
			cs.MayCopy = req != nil
		}
		rs, err := tx.CopyRequests(store.CopyRequestQuery{Piece: p.ID, Limit: maxListLimit})
		if err != nil {
			return err
		}
		for _, r := range rs {
			if r.RequestedBy == me.ID || v.Originator || v.NSA {
				cs.Requests = append(cs.Requests, r)
			}
		}
		return nil
	})
	return cs, err
}
