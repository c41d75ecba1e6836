package vetting

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Briefings and changes of circumstances (Art. 18, A18.1): the security officer of the holder's organisation, or
// the NSA, records that the holder was given the protection instructions; the holder then signs the declaration
// that he received them and undertakes to respect them, and the first declaration makes a clearance granted
// through vetting active. Re-briefings fall due policy.RebriefingMonths after the last declared briefing and an
// overdue one is on the agenda of the holder and of his security officers. A holder reports changes of his
// circumstances himself; what changed is sealed under the report's own data key and read by him and the NSA only.

// Limits of a briefing and of a report.
const (
	maxInstructions = 300
	maxDetails      = 4000
)

// NewBriefing is the input of RecordBriefing: when the instructions were given (now if zero), by whom, and which
// instructions, with their version.
type NewBriefing struct {
	BriefedOn    time.Time `json:"briefed_on,omitzero"`
	BriefedBy    string    `json:"briefed_by"`
	Instructions string    `json:"instructions"`
}

// BriefingsView is what a reader sees of the briefings of a clearance: the clearance, its briefings with their
// declarations, when the next one falls due and whether it is overdue; for the holder, the declaration he is to
// sign when a briefing waits for it.
type BriefingsView struct {
	Clearance cleared.Clearance  `json:"clearance"`
	Briefings []cleared.Briefing `json:"briefings"`
	NextDue   time.Time          `json:"next_due,omitzero"`
	Overdue   bool               `json:"overdue"`
	// Holder is set when the reader is the holder; Declaration is then the text he signs, if a briefing waits.
	Holder      bool   `json:"holder"`
	Declaration string `json:"declaration,omitempty"`
}

// DeclarationDocument is the canonical text of the declaration the holder signs after briefing b of clearance c
// (Art. 18): in French and in English, naming the clearance, the briefing and the instructions.
func DeclarationDocument(c cleared.Clearance, b cleared.Briefing) []byte {
	return fmt.Appendf(nil, "cleared briefing declaration v1\nclearance: %s\nperson: %s\nlevel: %s\nbriefing: %d\nbriefed_on: %s\nbriefed_by: %s\ninstructions: %s\n"+
		"Je déclare avoir reçu les instructions relatives à la protection des pièces classifiées et à la manière de "+
		"l'assurer, prévues à l'article 18 de la loi du 15 juin 2004, et je m'engage à les respecter.\n"+
		"I declare that I have received the instructions on the protection of classified pieces and on how to ensure "+
		"it, under Article 18 of the law of 15 June 2004, and I undertake to respect them.\n",
		c.ID, c.PersonID, c.Level, b.Number, b.BriefedOn.UTC().Format(time.DateOnly), b.BriefedBy, b.Instructions)
}

// loadClearance reads clearance id and its holder as the actor may see them, hiding them (ErrNotFound) from who
// may not know them (A18.1, A23.1).
func loadClearance(tx store.Tx, x *act.Act, w who, id cleared.ClearanceID) (cleared.Clearance, cleared.Person, []cleared.Briefing, error) {
	var p cleared.Person
	c, err := tx.Clearance(id)
	if errors.Is(err, cleared.ErrNotFound) {
		return c, p, nil, x.Hide(string(id))
	} else if err != nil {
		return c, p, nil, err
	}
	if c.HolderKind != cleared.HolderPerson {
		return c, p, nil, x.Hide(string(id)) // a legal entity takes no briefing
	}
	p, err = tx.Person(c.PersonID)
	if err != nil {
		return c, p, nil, err
	}
	if d := policy.SeeBriefings(w.me.ID, w.officerOf, w.nsa, p, c); !d.Allowed {
		return c, p, nil, x.Deny(string(id), d)
	}
	bs, err := tx.Briefings(id)
	x.Object = string(id)
	return c, p, bs, err
}

// briefingsView makes the view of c for w.
func briefingsView(w who, c cleared.Clearance, bs []cleared.Briefing, t time.Time) BriefingsView {
	v := BriefingsView{Clearance: c, Briefings: bs, Overdue: policy.BriefingOverdue(c, bs, t), Holder: w.me.ID == c.PersonID}
	if v.Briefings == nil {
		v.Briefings = []cleared.Briefing{}
	}
	v.NextDue, _ = policy.NextBriefing(bs)
	if b, d := policy.SignDeclaration(w.me.ID, c, bs, t); d.Allowed {
		v.Declaration = string(DeclarationDocument(c, b))
	}
	return v
}

// Briefings reads the briefings of clearance id: to its holder, the security officers of his organisation and the
// NSA (A18.1); ErrNotFound for anyone else.
func (s *Service) Briefings(ctx context.Context, a cleared.Actor, id cleared.ClearanceID) (v BriefingsView, err error) {
	defer cleared.Wrap(&err, "read briefings")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.BriefingRead, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, _, bs, err := loadClearance(tx, x, w, id)
		if err != nil {
			return err
		}
		v = briefingsView(w, c, bs, now)
		return nil
	})
	return v, err
}

func (in *NewBriefing) validate(now time.Time) error {
	if err := cleared.CheckLine("briefed_by", in.BriefedBy, 1, maxName); err != nil {
		return err
	}
	if err := cleared.CheckLine("instructions", in.Instructions, 1, maxInstructions); err != nil {
		return err
	}
	if in.BriefedOn.IsZero() {
		in.BriefedOn = now
	}
	in.BriefedOn = in.BriefedOn.UTC().Truncate(time.Microsecond)
	if in.BriefedOn.After(now) {
		return cleared.Invalidf("briefed_on is a date in the past: a briefing is recorded once given")
	}
	return nil
}

// RecordBriefing records that the holder of clearance id was briefed (A18.1): by the security officer in office of
// his organisation or the NSA, never by the holder; for a clearance pending its declaration or in force, after its
// issue; not while an earlier briefing waits for his declaration.
func (s *Service) RecordBriefing(ctx context.Context, a cleared.Actor, id cleared.ClearanceID, in NewBriefing) (v BriefingsView, err error) {
	defer cleared.Wrap(&err, "record briefing")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	if err := in.validate(now); err != nil {
		return v, err
	}
	err = s.run.Do(ctx, a, act.BriefingRecord, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, p, bs, err := loadClearance(tx, x, w, id)
		if err != nil {
			return err
		}
		if d := policy.RecordBriefing(w.me.ID, w.officerOf, w.nsa, p, c, bs, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		if in.BriefedOn.Before(c.Issued) {
			return cleared.Invalidf("briefed_on is before the clearance was issued")
		}
		b := cleared.Briefing{Clearance: c.ID, Number: len(bs) + 1, Holder: p.ID, BriefedOn: in.BriefedOn, BriefedBy: in.BriefedBy,
			Instructions: in.Instructions, RecordedBy: w.me.ID, Recorded: now}
		if err := tx.AddBriefing(b); err != nil {
			return err
		}
		// IDs, the date and the instructions' name: who gave the briefing is not written in the log.
		x.Payload = map[string]any{"clearance": b.Clearance, "briefing": b.Number, "holder": b.Holder, "briefed_on": b.BriefedOn,
			"instructions": b.Instructions}
		v = briefingsView(w, c, append(bs, b), now)
		return nil
	})
	return v, err
}

// SignDeclaration records the holder's signed declaration after the briefing of clearance id that waits for it
// (A18.1): a detached CMS signature by his certificate (cleared's signing service) over DeclarationDocument. The
// first declaration of a clearance pending it makes it active, in the same action. Only the holder signs; without
// a briefing recorded, nothing is signed.
func (s *Service) SignDeclaration(ctx context.Context, a cleared.Actor, id cleared.ClearanceID) (v BriefingsView, err error) {
	defer cleared.Wrap(&err, "sign declaration")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.BriefingDeclare, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, p, bs, err := loadClearance(tx, x, w, id)
		if err != nil {
			return err
		}
		b, d := policy.SignDeclaration(w.me.ID, c, bs, now)
		if !d.Allowed {
			return x.Deny(string(id), d)
		}
		if s.signer == nil {
			return cleared.Unavailablef("the signing service is not available")
		}
		doc := DeclarationDocument(c, b)
		fp, cms, err := s.signer.SignFor(tx, x, p, doc)
		if err != nil {
			return err
		}
		b.Declared, b.Certificate, b.CMS, b.Digest = now, fp, cms, digest(doc)
		if err := tx.DeclareBriefing(b); err != nil {
			return err
		}
		activated := policy.Activates(c)
		if activated {
			if err := tx.SetClearanceStatus(c.ID, cleared.ClearanceActive); err != nil {
				return err
			}
			c.Status = cleared.ClearanceActive
		}
		x.Payload = map[string]any{"clearance": c.ID, "briefing": b.Number, "certificate": fp, "document_sha256": b.Digest,
			"activated": activated}
		bs[b.Number-1] = b
		v = briefingsView(w, c, bs, now)
		return nil
	})
	return v, err
}

// briefingItems loads what policy.BriefingItems decides on (A18.1): the clearances of the reader and of the staff
// of officerOf that are pending their declaration or whose last declared briefing is older than the interval,
// each with its briefings and holder.
func briefingItems(tx store.Tx, me cleared.PersonID, officerOf []cleared.OrganisationID, t time.Time) ([]policy.AgendaItem, error) {
	// Candidates a day wider than the interval, as months do not subtract exactly; the policy decides to the instant.
	before := t.AddDate(0, -policy.RebriefingMonths, 1)
	due, err := tx.BriefingsDue(store.BriefingQuery{Person: me, Before: before, Limit: maxListLimit})
	if err != nil {
		return nil, err
	}
	if len(officerOf) > 0 {
		staff, err := tx.BriefingsDue(store.BriefingQuery{Organisations: officerOf, Before: before, Limit: maxListLimit})
		if err != nil {
			return nil, err
		}
		due = append(due, staff...)
	}
	var facts []policy.BriefingFact
	seen := map[cleared.ClearanceID]bool{}
	for _, c := range due {
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		p, err := tx.Person(c.PersonID)
		if err != nil {
			continue // a person whose row fails its seal shows nothing
		}
		bs, err := tx.Briefings(c.ID)
		if err != nil {
			return nil, err
		}
		facts = append(facts, policy.BriefingFact{Holder: p, Clearance: c, Briefings: bs})
	}
	return policy.BriefingItems(me, officerOf, facts, t), nil
}

// NewCircumstance is a holder's report of a change of his circumstances: what changed (marriage or partnership,
// travel abroad, debts, other), when if known, and the details.
type NewCircumstance struct {
	Kind    cleared.CircumstanceKind `json:"kind"`
	On      string                   `json:"on,omitempty"` // YYYY-MM-DD
	Details string                   `json:"details"`
}

func (in *NewCircumstance) validate() error {
	if !in.Kind.Valid() {
		return cleared.Invalidf("kind is one of marriage, travel, debts, other")
	}
	if in.On != "" {
		if _, err := time.Parse(time.DateOnly, in.On); err != nil {
			return cleared.Invalidf("on is a date, YYYY-MM-DD")
		}
	}
	return cleared.CheckText("details", in.Details, 1, maxDetails)
}

// CircumstanceView is a report as its reader may see it: the record, and for the holder and the NSA (Full) what
// changed; his security officer sees the record only, that a report was made.
type CircumstanceView struct {
	cleared.CircumstanceReport
	Full    bool                     `json:"full"`
	Kind    cleared.CircumstanceKind `json:"kind,omitempty"`
	On      string                   `json:"on,omitempty"`
	Details string                   `json:"details,omitempty"`
}

// circumstanceSlot is the record slot what changed is sealed in.
const circumstanceSlot = "circumstance"

// ReportCircumstance records a change of his circumstances reported by the actor, a holder of a clearance pending
// or in force (A18.1). What changed is sealed under the report's own data key; the audit entry names the report,
// never its content. The report is on the NSA officers' agenda until one of them takes it up.
func (s *Service) ReportCircumstance(ctx context.Context, a cleared.Actor, in NewCircumstance) (v CircumstanceView, err error) {
	defer cleared.Wrap(&err, "report a change of circumstances")
	if err := in.validate(); err != nil {
		return v, err
	}
	content, err := json.Marshal(in)
	if err != nil {
		return v, err
	}
	id := cleared.NewCircumstanceID()
	key, err := s.ring.NewDataKey(string(id))
	if err != nil {
		return v, err
	}
	sealed, err := s.ring.SealRecord(string(id), key, circumstanceSlot, content)
	if err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.CircumstanceReport, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		cs, err := tx.PersonClearances(w.me.ID)
		if err != nil {
			return err
		}
		if d := policy.ReportCircumstance(cs, now); !d.Allowed {
			return x.Deny(string(w.me.ID), d)
		}
		r := cleared.CircumstanceReport{ID: id, PersonID: w.me.ID, OrganisationID: w.me.OrganisationID, Reported: now}
		x.Object, x.Payload = string(id), r
		v = CircumstanceView{CircumstanceReport: r, Full: true, Kind: in.Kind, On: in.On, Details: in.Details}
		return tx.CreateCircumstance(store.SealedCircumstance{Report: r, Key: store.CaseKey{KEK: key.KEK, Wrapped: key.Wrapped}, Ciphertext: sealed})
	})
	return v, err
}

// loadCircumstance reads report id as the actor may see it, hiding it from who may not know it.
func (s *Service) loadCircumstance(tx store.Tx, x *act.Act, w who, id cleared.CircumstanceID) (CircumstanceView, error) {
	var v CircumstanceView
	r, err := tx.Circumstance(id)
	if errors.Is(err, cleared.ErrNotFound) {
		return v, x.Hide(string(id))
	} else if err != nil {
		return v, err
	}
	sight, d := policy.SeeCircumstance(w.me.ID, w.officerOf, w.nsa, r.Report)
	if !d.Allowed {
		return v, x.Deny(string(id), d)
	}
	x.Object = string(id)
	v.CircumstanceReport = r.Report
	if sight != policy.SightFull {
		return v, nil
	}
	pt, err := s.ring.OpenRecord(string(id), keyring.DataKey{KEK: r.Key.KEK, Wrapped: r.Key.Wrapped}, circumstanceSlot, r.Ciphertext)
	if err != nil {
		return v, err
	}
	var in NewCircumstance
	if err := json.Unmarshal(pt, &in); err != nil {
		return v, fmt.Errorf("read sealed report %s: %w", id, err)
	}
	v.Full, v.Kind, v.On, v.Details = true, in.Kind, in.On, in.Details
	return v, nil
}

// Circumstance reads report id: whole to the holder who made it and the NSA, its record only to his security
// officer (A18.1, A23.1); ErrNotFound for anyone else.
func (s *Service) Circumstance(ctx context.Context, a cleared.Actor, id cleared.CircumstanceID) (v CircumstanceView, err error) {
	defer cleared.Wrap(&err, "read a report of a change of circumstances")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.CircumstanceRead, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		v, err = s.loadCircumstance(tx, x, w, id)
		return err
	})
	return v, err
}

// Circumstances lists the reports the actor may see, records only: his own, those of the staff of the
// organisations he is security officer of, and for the NSA every one (only those not taken up if open).
func (s *Service) Circumstances(ctx context.Context, a cleared.Actor, open bool) (out []cleared.CircumstanceReport, err error) {
	defer cleared.Wrap(&err, "list reports of changes of circumstances")
	now := s.clock()
	err = s.run.Read(ctx, a, act.CircumstanceList, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		out = []cleared.CircumstanceReport{}
		seen := map[cleared.CircumstanceID]bool{}
		add := func(q store.CircumstanceQuery) error {
			q.Open, q.Limit = open, maxListLimit
			rs, err := tx.Circumstances(q)
			for _, r := range rs {
				if !seen[r.ID] {
					seen[r.ID] = true
					out = append(out, r)
				}
			}
			return err
		}
		if err := add(store.CircumstanceQuery{Person: w.me.ID}); err != nil {
			return err
		}
		for _, o := range scope(w, "") {
			if err := add(store.CircumstanceQuery{Organisation: o}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// TakeUpCircumstance records that the actor, an NSA officer, took report id up (A18.1): it leaves the NSA's agenda.
// His organisation's security officer, who knows the report exists, is refused with A18.1; others see nothing.
func (s *Service) TakeUpCircumstance(ctx context.Context, a cleared.Actor, id cleared.CircumstanceID) (v CircumstanceView, err error) {
	defer cleared.Wrap(&err, "take up a report of a change of circumstances")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.CircumstanceTakeUp, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		if v, err = s.loadCircumstance(tx, x, w, id); err != nil {
			return err
		}
		if d := policy.TakeUpCircumstance(w.nsa, v.CircumstanceReport); !d.Allowed {
			return x.Deny(string(id), d)
		}
		v.TakenUpBy, v.TakenUp = w.me.ID, now
		x.Payload = v.CircumstanceReport
		return tx.TakeUpCircumstance(id, w.me.ID, now)
	})
	return v, err
}

// circumstanceItems are, for NSA officer me, the reports not taken up yet that reach him (A18.1): those of holders
// whose latest case he is on, and those of holders no officer is on a case of (policy.CaseOfficerReports).
func circumstanceItems(tx store.Tx, me cleared.PersonID, nsa bool, t time.Time) ([]policy.AgendaItem, error) {
	if !nsa {
		return nil, nil
	}
	rs, err := tx.Circumstances(store.CircumstanceQuery{Open: true, Limit: maxListLimit})
	if err != nil {
		return nil, err
	}
	officers := map[cleared.PersonID][]cleared.PersonID{}
	for _, r := range rs {
		if _, done := officers[r.PersonID]; done {
			continue
		}
		officers[r.PersonID] = nil
		cs, err := tx.VettingCases(store.VettingCaseQuery{Person: r.PersonID, Limit: maxListLimit})
		if err != nil {
			return nil, err
		}
		var latest cleared.VettingCase
		for _, c := range cs {
			if c.Opened.After(latest.Opened) {
				latest = c
			}
		}
		if latest.ID == "" {
			continue
		}
		is, err := tx.Investigators(latest.ID)
		if err != nil {
			return nil, err
		}
		for _, i := range is {
			if i.On() {
				officers[r.PersonID] = append(officers[r.PersonID], i.Person)
			}
		}
	}
	return policy.CircumstanceItems(nsa, policy.CaseOfficerReports(me, rs, officers), t), nil
}
