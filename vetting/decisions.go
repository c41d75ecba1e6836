package vetting

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/keyring/sign"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Decisions (Art. 15, 16, 27, 29; A15.2, A16.1, A27.1, A27.2, A29.1): the deciding authority (role decider, the
// Prime Minister or who acts for him) grants, refuses or withdraws a clearance on a case whose investigation is
// completed, with reasons, signed; a refusal or withdrawal only on the commission's opinion on that case. A grant
// creates the clearance waiting for the briefing (A18.1); a withdrawal, like a suspension by the NSA or the
// deciding authority, ends the holder's access at once, everywhere: the clearance's status changes and his
// sessions end in the same transaction, which moves the store's generation, so no kept fact (internal/facts) is
// used after it. The person's security officer notifies the decision, with its date; the person then reads it with
// its reasons and appeal route, never the commission's opinion (A27.4). The NSA records appeals and their outcome.

// maxDecisionReasons bounds the reasons of a decision or a suspension.
const maxDecisionReasons = 8000

// NewDecision is the input of Decide: the outcome, the level granted (the case's if not given) and the reasons.
type NewDecision struct {
	Outcome cleared.Outcome `json:"outcome"`
	Level   cleared.Level   `json:"level,omitempty"`
	Reasons string          `json:"reasons"`
}

func (in NewDecision) validate() error {
	if !in.Outcome.Valid() {
		return cleared.Invalidf("outcome is one of grant, refuse, withdraw (A27.1)")
	}
	if in.Outcome != cleared.OutcomeGrant && in.Level != cleared.Unclassified {
		return cleared.Invalidf("level is given only for a grant")
	}
	if err := cleared.CheckText("reasons", strings.TrimSpace(in.Reasons), 1, maxDecisionReasons); err != nil {
		return fmt.Errorf("%w (A27.1: a decision states its reasons)", err)
	}
	return nil
}

// OpinionView is the commission's opinion as the deciding authority reads it (A27.2); never shown to the person
// (A27.4).
type OpinionView struct {
	Advice  cleared.Advice     `json:"advice"`
	Reasons string             `json:"reasons"`
	Members []cleared.PersonID `json:"members"`
	Given   time.Time          `json:"given"`
}

// DecisionView is a decision as its reader may see it (policy.SeeDecision): the reasons and the signed document
// for the deciding authority, the NSA and the person once notified; the commission's opinion for the deciding
// authority only; the appeals for all who see it.
type DecisionView struct {
	cleared.VettingDecision
	Stage  cleared.CaseStage `json:"stage"`
	Person cleared.PersonID  `json:"person"`
	// PersonName is the person's name: whoever sees the decision deals with him (the registers' own rules would
	// hide it from the deciding authority, who is not of the NSA).
	PersonName string           `json:"person_name,omitempty"`
	Document   []byte           `json:"document,omitempty"`
	CMS        []byte           `json:"cms,omitempty"`
	Valid      bool             `json:"valid"`
	Problem    string           `json:"problem,omitempty"`
	Opinion    *OpinionView     `json:"opinion,omitempty"`
	Appeals    []cleared.Appeal `json:"appeals"`
}

// DecisionDocument is the canonical document of a decision, the bytes the deciding authority signs (A27.1): the
// case, the outcome, the level and clearances, the reasons, the appeal route (A29.1), who and when.
func DecisionDocument(d cleared.VettingDecision, person cleared.PersonID) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "cleared vetting decision v1\ncase: %s\nperson: %s\noutcome: %s\n", d.Case, person, d.Outcome)
	if d.Outcome == cleared.OutcomeGrant {
		fmt.Fprintf(&b, "level: %s\n", d.Level)
	}
	for _, c := range d.Clearances {
		fmt.Fprintf(&b, "clearance: %s\n", c)
	}
	fmt.Fprintf(&b, "decided: %s\nby: %s\nreasons: %q\nappeal: %s\n", d.Decided.UTC().Format(time.RFC3339Nano), d.By, d.Reasons, d.AppealRoute)
	return []byte(b.String())
}

// decider is who decides within a transaction.
type deciding struct {
	who
	decides bool
}

func deciderOf(tx store.Tx, a cleared.Actor, now time.Time) (deciding, error) {
	w, err := actor(tx, a, now)
	return deciding{who: w, decides: w.me.HasRole(cleared.RoleDecider)}, err
}

// caseFor loads case id for an act on it by w: hidden from who may not know it exists (policy.SeeCase; the deciding
// authority knows every case).
func caseFor(tx store.Tx, x *act.Act, w deciding, id cleared.VettingCaseID) (cleared.VettingCase, error) {
	c, err := tx.VettingCase(id)
	if errors.Is(err, cleared.ErrNotFound) {
		return c, x.Hide(string(id))
	} else if err != nil {
		return c, err
	}
	x.Object = string(id)
	if w.decides {
		return c, nil
	}
	if _, d := policy.SeeCase(w.me.ID, w.officerOf, w.nsa, c); !d.Allowed {
		return c, x.Deny(string(id), d)
	}
	return c, nil
}

// Decide records the deciding authority's decision on case id (A27.1, A27.2, A15.2, A16.1): see
// policy.DecideCase. A grant creates the person's clearance (source vetting, waiting for the briefing, A18.1) at
// the level given, expiring as the law in force at its issue says (A17.1); a clearance he holds keeps its own
// expiry until the new one replaces it (Art. 17 counts from each clearance's issue, so the new one neither extends
// nor shortens the old). A withdrawal withdraws every clearance of his not withdrawn nor expired and ends his
// sessions. The case closes granted, refused or withdrawn; the decision is signed by the decider over
// DecisionDocument and its reasons sealed under the case's data key. A decided case is cleared.ErrConflict.
func (s *Service) Decide(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, in NewDecision) (v DecisionView, err error) {
	defer cleared.Wrap(&err, "decide on vetting case")
	if err := id.Validate(); err != nil {
		return v, err
	}
	if err := in.validate(); err != nil {
		return v, err
	}
	if s.signer == nil {
		return v, cleared.Unavailablef("the signing service is not available")
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.VettingDecide, now, func(tx store.Tx, x *act.Act) error {
		w, err := deciderOf(tx, a, now)
		if err != nil {
			return err
		}
		c, err := caseFor(tx, x, w, id)
		if err != nil {
			return err
		}
		if _, err := tx.CaseDecision(id); err == nil || c.Stage.Closed() {
			return cleared.Conflictf("case %s is closed (%s): it is decided once (A27.1)", id, c.Stage)
		} else if !errors.Is(err, cleared.ErrNotFound) {
			return err
		}
		_, err = tx.CaseOpinion(id)
		hasOpinion := err == nil
		if err != nil && !errors.Is(err, cleared.ErrNotFound) {
			return err
		}
		var cs []cleared.Clearance
		if c.Facility() {
			cs, err = tx.FacilityClearances(c.OrganisationID)
		} else {
			cs, err = tx.PersonClearances(c.PersonID)
		}
		if err != nil {
			return err
		}
		level := in.Level
		if in.Outcome == cleared.OutcomeGrant && level == cleared.Unclassified {
			level = c.Level
		}
		r := policy.DecisionRequest{Case: c, Outcome: in.Outcome, Level: level, Opinion: hasOpinion, Clearances: cs}
		if d := policy.DecideCase(w.decides, r, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		// A15.1, A21.2: a company is granted only when every organ holds the clearance needed and its means are
		// recorded, at the moment of the grant.
		if c.Facility() && in.Outcome == cleared.OutcomeGrant {
			if d := s.facilityReady(tx, c, now); !d.Allowed {
				return x.Deny(string(id), d)
			}
		}
		d := cleared.VettingDecision{Case: id, Outcome: in.Outcome, Reasons: strings.TrimSpace(in.Reasons),
			AppealRoute: cleared.AppealRoute, By: w.me.ID, Decided: now}
		switch in.Outcome {
		case cleared.OutcomeGrant:
			d.Level = level
			clr, err := s.grantClearance(tx, x, c, level, w.me.ID, now)
			if err != nil {
				return err
			}
			d.Clearances = []cleared.ClearanceID{clr.ID}
			c.Stage = cleared.StageGranted
		case cleared.OutcomeRefuse:
			c.Stage = cleared.StageRefused
		case cleared.OutcomeWithdraw:
			for _, clr := range policy.Withdrawable(cs, now) {
				if err := tx.SetClearanceStatus(clr.ID, cleared.ClearanceWithdrawn); err != nil {
					return err
				}
				d.Clearances = append(d.Clearances, clr.ID)
			}
			if !c.Facility() {
				if err := endSessions(tx, c.PersonID, now); err != nil {
					return err
				}
			}
			c.Stage = cleared.StageWithdrawn
		}
		c.Closed, c.Updated = now, now
		if err := tx.UpdateVettingCase(c); err != nil {
			return err
		}
		doc := DecisionDocument(d, c.PersonID)
		fp, cms, err := s.signer.SignFor(tx, x, w.me, doc)
		if err != nil {
			return err
		}
		d.Certificate, d.Digest = fp, digest(doc)
		key, err := caseKey(tx, id)
		if err != nil {
			return err
		}
		sealed, err := s.ring.SealRecord(string(id), key, "decision", []byte(d.Reasons))
		if err != nil {
			return err
		}
		x.Payload = map[string]any{"case": id, "outcome": d.Outcome, "level": d.Level, "clearances": d.Clearances,
			"certificate": fp, "document_sha256": d.Digest}
		if err := tx.AddDecision(store.Decision{Case: id, Outcome: d.Outcome, Level: d.Level, Clearances: d.Clearances,
			By: d.By, Decided: now, Reasons: sealed, Certificate: fp, CMS: cms, Digest: d.Digest}); err != nil {
			return err
		}
		v = DecisionView{VettingDecision: d, Stage: c.Stage, Person: c.PersonID, PersonName: personName(tx, c.PersonID), Document: doc, CMS: cms, Valid: true,
			Appeals: []cleared.Appeal{}}
		return nil
	})
	return v, err
}

// grantClearance creates the clearance a grant on case c gives: pending the briefing (A18.1), issued now,
// expiring as the law in force now says for its level (A17.1).
func (s *Service) grantClearance(tx store.Tx, x *act.Act, c cleared.VettingCase, level cleared.Level, by cleared.PersonID, now time.Time) (cleared.Clearance, error) {
	law, err := tx.Law(now)
	if errors.Is(err, cleared.ErrNotFound) {
		law = cleared.DefaultLaw()
	} else if err != nil {
		return cleared.Clearance{}, err
	}
	expires, d := policy.ClearanceExpiryUnder(law, level, now)
	if !d.Allowed {
		return cleared.Clearance{}, x.Deny(string(c.ID), d)
	}
	clr := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: c.PersonID,
		Level: level, Issued: now, Expires: expires, Status: cleared.ClearancePending, Source: cleared.SourceVetting,
		Reference: string(c.ID), RecordedBy: by, Recorded: now}
	if c.Facility() {
		// A company signs no declaration (A18.1 is of persons: its organs are briefed on their own clearances), so
		// its facility clearance is active from the grant.
		clr.HolderKind, clr.PersonID, clr.OrganisationID, clr.Status = cleared.HolderFacility, "", c.OrganisationID, cleared.ClearanceActive
	}
	return clr, tx.CreateClearance(clr)
}

// endSessions ends every open session of person p at now (A27.1: a withdrawal or suspension ends his access at
// once): he signs in again to read what no clearance is needed for, his decision among them.
func endSessions(tx store.Tx, p cleared.PersonID, now time.Time) error {
	acc, err := tx.AccountByPerson(p)
	if errors.Is(err, cleared.ErrNotFound) {
		return nil // an API-only person has no sessions
	} else if err != nil {
		return err
	}
	xs, err := tx.AccountSessions(acc.ID, now)
	if err != nil {
		return err
	}
	for _, y := range xs {
		y.Revoked = now
		if err := tx.UpdateSession(y); err != nil {
			return err
		}
	}
	return nil
}

// Decision reads the decision on case id as policy.SeeDecision lets the actor see it; ErrNotFound for a case not
// decided, or one he may not know of (the person's before its notification).
func (s *Service) Decision(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (v DecisionView, err error) {
	defer cleared.Wrap(&err, "read vetting decision")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.VettingDecisionRead, now, func(tx store.Tx, x *act.Act) error {
		w, err := deciderOf(tx, a, now)
		if err != nil {
			return err
		}
		c, err := tx.VettingCase(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		d, err := tx.CaseDecision(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		sight, dec := policy.SeeDecision(w.me.ID, w.officerOf, w.nsa, w.decides, c, !d.Notified.IsZero())
		if !dec.Allowed {
			return x.Deny(string(id), dec)
		}
		x.Object = string(id)
		v, err = s.decisionView(tx, c, d, sight)
		return err
	})
	return v, err
}

// decisionView builds what sight shows of decision d on case c.
func (s *Service) decisionView(tx store.Tx, c cleared.VettingCase, d store.Decision, sight policy.DecisionSight) (DecisionView, error) {
	v := DecisionView{VettingDecision: cleared.VettingDecision{Case: d.Case, Outcome: d.Outcome, Level: d.Level,
		Clearances: d.Clearances, AppealRoute: cleared.AppealRoute, By: d.By, Decided: d.Decided,
		Certificate: d.Certificate, Digest: d.Digest, Notified: d.Notified, NotifiedBy: d.NotifiedBy},
		Stage: c.Stage, Person: c.PersonID, PersonName: personName(tx, c.PersonID)}
	as, err := tx.CaseAppeals(c.ID)
	if err != nil {
		return v, err
	}
	v.Appeals = append([]cleared.Appeal{}, as...)
	if sight < policy.DecisionReasons {
		return v, nil
	}
	key, err := caseKey(tx, c.ID)
	if err != nil {
		return v, err
	}
	reasons, err := s.ring.OpenRecord(string(c.ID), key, "decision", d.Reasons)
	if err != nil {
		return v, err
	}
	v.Reasons = string(reasons)
	v.Document, v.CMS = DecisionDocument(v.VettingDecision, c.PersonID), d.CMS
	roots, err := s.signingRoots()
	if err != nil {
		return v, err
	}
	// Verified as an offline verifier would: a decision signed by another than its decider does not verify.
	signed, err := sign.Verify(d.CMS, v.Document, roots, d.Decided)
	switch {
	case err != nil:
		v.Problem = strings.TrimPrefix(err.Error(), sign.ErrBadSignature.Error()+": ")
	case signed.Certificate.Subject.SerialNumber != string(d.By):
		v.Problem = "signed by another than the deciding authority"
	default:
		v.Valid = true
	}
	if sight < policy.DecisionOpinion {
		return v, nil
	}
	o, err := tx.CaseOpinion(c.ID)
	if errors.Is(err, cleared.ErrNotFound) {
		return v, nil
	} else if err != nil {
		return v, err
	}
	text, err := s.ring.OpenRecord(string(c.ID), key, "opinion", o.Reasons)
	if err != nil {
		return v, err
	}
	v.Opinion = &OpinionView{Advice: o.Advice, Reasons: string(text), Members: o.Members, Given: o.Given}
	return v, nil
}

// PendingCase is a case waiting for the deciding authority: its record (no answers) and whether the commission gave
// its opinion (A27.2).
type PendingCase struct {
	cleared.VettingCase
	Opinion    bool   `json:"opinion"`
	PersonName string `json:"person_name,omitempty"` // for the deciding authority, who decides on him
}

// PendingDecisions lists the cases waiting for a decision (A27.1): the investigation's report filed, or the
// commission's opinion given; to the deciding authority only (A27.1).
func (s *Service) PendingDecisions(ctx context.Context, a cleared.Actor) (out []PendingCase, err error) {
	defer cleared.Wrap(&err, "list cases waiting for a decision")
	now := s.clock()
	err = s.run.Read(ctx, a, act.VettingDecisionList, now, func(tx store.Tx, x *act.Act) error {
		w, err := deciderOf(tx, a, now)
		if err != nil {
			return err
		}
		if !w.decides {
			return x.Deny("", policy.DecideCase(false, policy.DecisionRequest{}, now))
		}
		cs, err := tx.VettingCases(store.VettingCaseQuery{Open: true, Limit: maxListLimit})
		if err != nil {
			return err
		}
		out = []PendingCase{}
		for _, c := range cs {
			if c.Stage != cleared.StageReported && c.Stage != cleared.StageCommission {
				continue
			}
			_, err := tx.CaseOpinion(c.ID)
			if err != nil && !errors.Is(err, cleared.ErrNotFound) {
				return err
			}
			if c.Stage == cleared.StageCommission && err != nil {
				continue // before the commission, which has not given its opinion yet
			}
			out = append(out, PendingCase{VettingCase: c, Opinion: err == nil, PersonName: personName(tx, c.PersonID)})
		}
		return nil
	})
	return out, err
}

// ToNotify lists the decisions on cases of the organisations the actor is security officer of that wait to be
// notified (A27.1): outcome and dates, no reasons.
func (s *Service) ToNotify(ctx context.Context, a cleared.Actor) (out []DecisionView, err error) {
	defer cleared.Wrap(&err, "list decisions to notify")
	now := s.clock()
	err = s.run.Read(ctx, a, act.VettingDecisionList, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		out = []DecisionView{}
		if len(w.officerOf) == 0 {
			return nil
		}
		ds, err := tx.Decisions(store.DecisionQuery{Organisations: w.officerOf, Unnotified: true, Limit: maxListLimit})
		if err != nil {
			return err
		}
		for _, d := range ds {
			c, err := tx.VettingCase(d.Case)
			if err != nil {
				continue // a case whose row fails its seal shows nothing
			}
			v, err := s.decisionView(tx, c, d, policy.DecisionOutcome)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// Notification is the input of Notify: when the security officer notified the decision to the person (now if
// not given).
type Notification struct {
	Notified time.Time `json:"notified,omitzero"`
}

// Notify records that the security officer of the person's organisation notified him the decision on case id, on
// the date given (A27.1): not before the decision, not in the future; once. A case not decided is
// cleared.ErrConflict.
func (s *Service) Notify(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, in Notification) (v DecisionView, err error) {
	defer cleared.Wrap(&err, "notify vetting decision")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	at := in.Notified.UTC().Truncate(time.Microsecond)
	if in.Notified.IsZero() {
		at = now
	}
	if at.After(now) {
		return v, cleared.Invalidf("notified is not in the future")
	}
	err = s.run.Do(ctx, a, act.VettingDecisionNotify, now, func(tx store.Tx, x *act.Act) error {
		w, err := deciderOf(tx, a, now)
		if err != nil {
			return err
		}
		c, err := caseFor(tx, x, w, id)
		if err != nil {
			return err
		}
		if d := policy.Notify(w.officerOf, c); !d.Allowed {
			return x.Deny(string(id), d)
		}
		d, err := tx.CaseDecision(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return cleared.Conflictf("case %s is not decided", id)
		} else if err != nil {
			return err
		}
		if !d.Notified.IsZero() {
			return cleared.Conflictf("the decision on %s was notified on %s", id, d.Notified.Format(time.DateOnly))
		}
		if at.Before(d.Decided) {
			return cleared.Invalidf("notified is not before the decision (%s)", d.Decided.Format(time.RFC3339))
		}
		if err := tx.SetDecisionNotified(id, at, w.me.ID); err != nil {
			return err
		}
		d.Notified, d.NotifiedBy = at, w.me.ID
		x.Payload = map[string]any{"case": id, "notified": at}
		v, err = s.decisionView(tx, c, d, policy.DecisionOutcome)
		return err
	})
	return v, err
}

// NewAppeal is the input of LodgeAppeal: when it was lodged, before which court, its reference.
type NewAppeal struct {
	Lodged    time.Time `json:"lodged"`
	Court     string    `json:"court"`
	Reference string    `json:"reference"`
}

// AppealRuling is the input of RuleAppeal: the outcome and its date.
type AppealRuling struct {
	Outcome cleared.AppealOutcome `json:"outcome"`
	Ruled   time.Time             `json:"ruled"`
}

// appealAct runs fn on the decision on case id for an NSA officer recording an appeal (A29.1): the case hidden
// from who may not know it, the others refused.
func (s *Service) appealAct(ctx context.Context, a cleared.Actor, name act.Name, id cleared.VettingCaseID, fn func(tx store.Tx, x *act.Act, w deciding, c cleared.VettingCase, d store.Decision, now time.Time) error) error {
	now := s.clock()
	return s.run.Do(ctx, a, name, now, func(tx store.Tx, x *act.Act) error {
		w, err := deciderOf(tx, a, now)
		if err != nil {
			return err
		}
		c, err := caseFor(tx, x, w, id)
		if err != nil {
			return err
		}
		d, err := tx.CaseDecision(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return cleared.Conflictf("case %s is not decided", id)
		} else if err != nil {
			return err
		}
		if dec := policy.RecordAppeal(w.nsa, d.Outcome); !dec.Allowed {
			return x.Deny(string(id), dec)
		}
		return fn(tx, x, w, c, d, now)
	})
}

// LodgeAppeal records an appeal lodged against the refusal or withdrawal on case id (A29.1): by the NSA; lodged
// after the decision and not in the future.
func (s *Service) LodgeAppeal(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, in NewAppeal) (ap cleared.Appeal, err error) {
	defer cleared.Wrap(&err, "record appeal")
	if err := id.Validate(); err != nil {
		return ap, err
	}
	if in.Lodged.IsZero() {
		return ap, cleared.Invalidf("lodged is required")
	}
	if err := cleared.CheckLine("court", in.Court, 1, maxName); err != nil {
		return ap, err
	}
	if err := cleared.CheckLine("reference", in.Reference, 1, maxName); err != nil {
		return ap, err
	}
	lodged := in.Lodged.UTC().Truncate(time.Microsecond)
	err = s.appealAct(ctx, a, act.VettingAppealLodge, id, func(tx store.Tx, x *act.Act, w deciding, c cleared.VettingCase, d store.Decision, now time.Time) error {
		if lodged.Before(d.Decided) || lodged.After(now) {
			return cleared.Invalidf("lodged is between the decision and now")
		}
		ap = cleared.Appeal{Case: id, Lodged: lodged, Court: in.Court, Reference: in.Reference, RecordedBy: w.me.ID}
		n, err := tx.AddAppeal(ap)
		ap.Number = n
		x.Payload = map[string]any{"case": id, "appeal": n, "lodged": lodged, "court": in.Court, "reference": in.Reference}
		return err
	})
	return ap, err
}

// RuleAppeal records the outcome of appeal n on case id (A29.1): by the NSA; ruled after it was lodged and not in
// the future; once.
func (s *Service) RuleAppeal(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, n int, in AppealRuling) (ap cleared.Appeal, err error) {
	defer cleared.Wrap(&err, "record appeal outcome")
	if err := id.Validate(); err != nil {
		return ap, err
	}
	if !in.Outcome.Valid() {
		return ap, cleared.Invalidf("outcome is one of upheld, annulled, dismissed")
	}
	if in.Ruled.IsZero() {
		return ap, cleared.Invalidf("ruled is required")
	}
	ruled := in.Ruled.UTC().Truncate(time.Microsecond)
	err = s.appealAct(ctx, a, act.VettingAppealRule, id, func(tx store.Tx, x *act.Act, w deciding, c cleared.VettingCase, d store.Decision, now time.Time) error {
		as, err := tx.CaseAppeals(id)
		if err != nil {
			return err
		}
		for _, e := range as {
			if e.Number != n {
				continue
			}
			if ruled.Before(e.Lodged) || ruled.After(now) {
				return cleared.Invalidf("ruled is between the appeal's lodging and now")
			}
			if err := tx.SetAppealOutcome(id, n, in.Outcome, ruled, w.me.ID); err != nil {
				return err
			}
			ap = e
			ap.Outcome, ap.Ruled, ap.RuledBy = in.Outcome, ruled, w.me.ID
			x.Payload = map[string]any{"case": id, "appeal": n, "outcome": in.Outcome, "ruled": ruled}
			return nil
		}
		return cleared.NotFoundf("no appeal %d on case %s", n, id)
	})
	return ap, err
}

// NewSuspension is the input of Suspend and LiftSuspension: the reasons.
type NewSuspension struct {
	Reasons string `json:"reasons"`
}

func (in NewSuspension) validate() error {
	if err := cleared.CheckText("reasons", strings.TrimSpace(in.Reasons), 1, maxDecisionReasons); err != nil {
		return fmt.Errorf("%w (A27.1: a suspension states its reasons)", err)
	}
	return nil
}

// suspensionAct runs fn on clearance id for an NSA officer or the deciding authority, after policy decision
// decide: the clearance hidden from who may not know it.
func (s *Service) suspensionAct(ctx context.Context, a cleared.Actor, name act.Name, id cleared.ClearanceID,
	decide func(w deciding, knows bool, c cleared.Clearance, now time.Time) policy.Decision,
	fn func(tx store.Tx, x *act.Act, w deciding, c cleared.Clearance, now time.Time) error) error {
	now := s.clock()
	return s.run.Do(ctx, a, name, now, func(tx store.Tx, x *act.Act) error {
		w, err := deciderOf(tx, a, now)
		if err != nil {
			return err
		}
		c, err := tx.Clearance(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		if c.HolderKind != cleared.HolderPerson {
			return x.Hide(string(id)) // a facility clearance is suspended with its case (helper fac)
		}
		x.Object = string(id)
		holder, err := tx.Person(c.PersonID)
		if err != nil {
			return err
		}
		knows := holder.ID == w.me.ID || policy.SeePosts(w.officerOf, false, holder.OrganisationID).Allowed
		if d := decide(w, knows, c, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		return fn(tx, x, w, c, now)
	})
}

// Suspend suspends clearance id (A27.1), by an NSA officer or the deciding authority, with reasons sealed under
// the suspension's own key: the clearance grants nothing from now, and the holder's sessions end, in the same
// transaction. A clearance suspended already is cleared.ErrConflict.
func (s *Service) Suspend(ctx context.Context, a cleared.Actor, id cleared.ClearanceID, in NewSuspension) (out cleared.Suspension, err error) {
	defer cleared.Wrap(&err, "suspend clearance")
	if err := id.Validate(); err != nil {
		return out, err
	}
	if err := in.validate(); err != nil {
		return out, err
	}
	key, err := s.ring.NewDataKey(string(id))
	if err != nil {
		return out, err
	}
	err = s.suspensionAct(ctx, a, act.ClearanceSuspend, id,
		func(w deciding, knows bool, c cleared.Clearance, now time.Time) policy.Decision {
			return policy.Suspend(knows, w.nsa, w.decides, c, now)
		},
		func(tx store.Tx, x *act.Act, w deciding, c cleared.Clearance, now time.Time) error {
			sealed, err := s.ring.SealRecord(string(id), key, "suspension", []byte(strings.TrimSpace(in.Reasons)))
			if err != nil {
				return err
			}
			n, err := tx.AddSuspension(store.Suspension{Clearance: id, Previous: c.Status, By: w.me.ID, Suspended: now,
				Reasons: sealed, Key: store.CaseKey{KEK: key.KEK, Wrapped: key.Wrapped}})
			if err != nil {
				return err
			}
			if err := tx.SetClearanceStatus(id, cleared.ClearanceSuspended); err != nil {
				return err
			}
			out = cleared.Suspension{Clearance: id, Number: n, Previous: c.Status, Reasons: strings.TrimSpace(in.Reasons),
				By: w.me.ID, Suspended: now}
			x.Payload = map[string]any{"clearance": id, "suspension": n, "previous_status": c.Status}
			return endSessions(tx, c.PersonID, now)
		})
	return out, err
}

// LiftSuspension lifts the suspension of clearance id (A27.1), by an NSA officer or the deciding authority, with
// reasons: the clearance returns to the status it had (active, or waiting for the briefing).
func (s *Service) LiftSuspension(ctx context.Context, a cleared.Actor, id cleared.ClearanceID, in NewSuspension) (out cleared.Suspension, err error) {
	defer cleared.Wrap(&err, "lift suspension")
	if err := id.Validate(); err != nil {
		return out, err
	}
	if err := in.validate(); err != nil {
		return out, err
	}
	err = s.suspensionAct(ctx, a, act.ClearanceLiftSuspension, id,
		func(w deciding, knows bool, c cleared.Clearance, _ time.Time) policy.Decision {
			return policy.LiftSuspension(knows, w.nsa, w.decides, c)
		},
		func(tx store.Tx, x *act.Act, w deciding, c cleared.Clearance, now time.Time) error {
			ss, err := tx.ClearanceSuspensions(id)
			if err != nil {
				return err
			}
			if len(ss) == 0 || !ss[len(ss)-1].Lifted.IsZero() {
				return cleared.Conflictf("clearance %s has no suspension to lift", id)
			}
			last := ss[len(ss)-1]
			key := keyring.DataKey{KEK: last.Key.KEK, Wrapped: last.Key.Wrapped}
			sealed, err := s.ring.SealRecord(string(id), key, "lift", []byte(strings.TrimSpace(in.Reasons)))
			if err != nil {
				return err
			}
			if err := tx.LiftSuspension(id, now, w.me.ID, sealed); err != nil {
				return err
			}
			if err := tx.SetClearanceStatus(id, last.Previous); err != nil {
				return err
			}
			out = cleared.Suspension{Clearance: id, Number: last.Number, Previous: last.Previous, By: last.By,
				Suspended: last.Suspended, Lifted: now, LiftedBy: w.me.ID, LiftReasons: strings.TrimSpace(in.Reasons)}
			x.Payload = map[string]any{"clearance": id, "suspension": last.Number, "restored": last.Previous}
			return nil
		})
	return out, err
}

// Offers is what the pages offer one to do besides reading: suspend clearances and lift suspensions (the NSA and
// the deciding authority), record appeals (the NSA). It only chooses the buttons shown: each act decides again.
type Offers struct {
	Suspend bool
	Appeal  bool
}

// DecisionOffers returns the actor's Offers, read without an audit entry: it tells nothing the actor may not know.
func (s *Service) DecisionOffers(ctx context.Context, a cleared.Actor) (o Offers, err error) {
	defer cleared.Wrap(&err, "read decision offers")
	now := s.clock()
	err = s.store.View(ctx, func(tx store.Tx) error {
		w, err := deciderOf(tx, a, now)
		if err != nil {
			return err
		}
		o = Offers{Suspend: w.nsa || w.decides, Appeal: w.nsa}
		return nil
	})
	return o, err
}

// untold returns case c as person me sees it: his own case, decided but the decision not yet notified, reads as it
// stood before the decision (before the commission if it gave its opinion, else reported), since the decision is
// told him by his security officer (A27.1). Anyone else, and he once notified, sees c as it is.
func untold(tx store.Tx, me cleared.PersonID, c cleared.VettingCase) (cleared.VettingCase, error) {
	if me != c.PersonID || (c.Stage != cleared.StageGranted && c.Stage != cleared.StageRefused && c.Stage != cleared.StageWithdrawn) {
		return c, nil
	}
	d, err := tx.CaseDecision(c.ID)
	if errors.Is(err, cleared.ErrNotFound) {
		return c, nil
	} else if err != nil || !d.Notified.IsZero() {
		return c, err
	}
	_, err = tx.CaseOpinion(c.ID)
	switch {
	case err == nil:
		c.Stage = cleared.StageCommission
	case errors.Is(err, cleared.ErrNotFound):
		c.Stage = cleared.StageReported
	default:
		return c, err
	}
	c.Closed = time.Time{}
	return c, nil
}

// personName is the name of person p, empty when his row cannot be read (one failing its seal is not shown).
func personName(tx store.Tx, p cleared.PersonID) string {
	if p == "" {
		return ""
	}
	x, err := tx.Person(p)
	if err != nil {
		return ""
	}
	return x.Name
}
