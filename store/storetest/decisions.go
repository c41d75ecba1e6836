package storetest

import (
	"slices"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// decision is a refusal of case c by decider at day(4), signed, not notified.
func decision(c cleared.VettingCaseID, decider cleared.PersonID) store.Decision {
	return store.Decision{Case: c, Outcome: cleared.OutcomeRefuse, By: decider, Decided: day(4),
		Reasons: []byte("sealed reasons"), Certificate: "fingerprint", CMS: []byte("cms"), Digest: "digest"}
}

// suspension is a suspension of clearance c by who at day(5), from the status pending briefing.
func suspension(c cleared.ClearanceID, who cleared.PersonID) store.Suspension {
	return store.Suspension{Clearance: c, Previous: cleared.ClearancePending, By: who, Suspended: day(5),
		Reasons: []byte("sealed reasons"), Key: caseKey}
}

// testDecisions: one decision per case, read back whole, notified once (A27.1); a second conflicts; one without
// reasons, signature, known outcome or case is invalid; the unnotified ones of an organisation listed; appeals
// numbered, ruled once (A29.1); suspensions one open at a time, lifted once, the key read back (A27.1).
func testDecisions(t *testing.T, open opener) {
	t.Run("A27.1_one_signed_reasoned_decision_per_case_notified_once", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		c, other := w.vettingCase(w.person.ID, p.ID), w.vettingCase(w.person.ID, p.ID)
		clr := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.person.ID,
			Level: cleared.Secret, Issued: day(4), Expires: day(3000), Status: cleared.ClearancePending,
			Source: cleared.SourceVetting, RecordedBy: w.person.ID, Recorded: day(4)}
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateVettingCase(c, caseKey); err != nil {
				return err
			}
			if err := tx.CreateClearance(clr); err != nil {
				return err
			}
			return tx.CreateVettingCase(other, caseKey)
		})
		d := decision(c.ID, w.person.ID)
		d.Outcome, d.Level, d.Clearances = cleared.OutcomeGrant, cleared.Secret, []cleared.ClearanceID{clr.ID}
		update(t, s, func(tx store.Tx) error { return tx.AddDecision(d) })
		orgs := []cleared.OrganisationID{w.org.ID}
		view(t, s, func(tx store.Tx) error {
			got, err := tx.CaseDecision(c.ID)
			if err != nil {
				return err
			}
			if got.Case != d.Case || got.Outcome != d.Outcome || got.Level != d.Level || !slices.Equal(got.Clearances, d.Clearances) ||
				got.By != d.By || !got.Decided.Equal(d.Decided) || string(got.Reasons) != string(d.Reasons) ||
				got.Certificate != d.Certificate || string(got.CMS) != string(d.CMS) || got.Digest != d.Digest || !got.Notified.IsZero() {
				t.Errorf("CaseDecision = %+v, want %+v", got, d)
			}
			_, err = tx.CaseDecision(other.ID)
			wantKind(t, "a case without a decision", err, cleared.ErrNotFound)
			ds, err := tx.Decisions(store.DecisionQuery{Organisations: orgs, Unnotified: true, Limit: 10})
			if err != nil || len(ds) != 1 || ds[0].Case != c.ID {
				t.Errorf("unnotified decisions = %v, %v; want the one on %s", ds, err, c.ID)
			}
			ds, err = tx.Decisions(store.DecisionQuery{Organisations: []cleared.OrganisationID{cleared.NewOrganisationID()}, Limit: 10})
			if err != nil || len(ds) != 0 {
				t.Errorf("another organisation's decisions = %v, %v; want none", ds, err)
			}
			return nil
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddDecision(decision(c.ID, w.person.ID)) })
		wantKind(t, "a second decision on the case", err, cleared.ErrConflict)
		bad := map[string]func(*store.Decision){
			"an unknown case":    func(d *store.Decision) { d.Case = cleared.NewVettingCaseID() },
			"no reasons":         func(d *store.Decision) { d.Reasons = nil },
			"no signature":       func(d *store.Decision) { d.CMS = nil },
			"an unknown outcome": func(d *store.Decision) { d.Outcome = "postpone" },
		}
		for name, edit := range bad {
			d := decision(other.ID, w.person.ID)
			edit(&d)
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddDecision(d) })
			wantKind(t, name, err, cleared.ErrInvalid)
		}
		update(t, s, func(tx store.Tx) error { return tx.SetDecisionNotified(c.ID, day(6), w.person.ID) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.CaseDecision(c.ID)
			if err != nil {
				return err
			}
			if !got.Notified.Equal(day(6)) || got.NotifiedBy != w.person.ID {
				t.Errorf("notified %v by %s, want %v by %s", got.Notified, got.NotifiedBy, day(6), w.person.ID)
			}
			ds, err := tx.Decisions(store.DecisionQuery{Organisations: orgs, Unnotified: true, Limit: 10})
			if err != nil || len(ds) != 0 {
				t.Errorf("unnotified decisions after the notification = %v, %v", ds, err)
			}
			return nil
		})
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.SetDecisionNotified(c.ID, day(7), w.person.ID) })
		wantKind(t, "a second notification", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.SetDecisionNotified(other.ID, day(7), w.person.ID) })
		wantKind(t, "the notification of no decision", err, cleared.ErrNotFound)
	})
	t.Run("A29.1_appeals_numbered_and_ruled_once", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		c, other := w.vettingCase(w.person.ID, p.ID), w.vettingCase(w.person.ID, p.ID)
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateVettingCase(c, caseKey); err != nil {
				return err
			}
			if err := tx.CreateVettingCase(other, caseKey); err != nil {
				return err
			}
			return tx.AddDecision(decision(c.ID, w.person.ID))
		})
		a := cleared.Appeal{Case: c.ID, Lodged: day(10), Court: "Tribunal administratif", Reference: "TA 1", RecordedBy: w.person.ID}
		var n1, n2 int
		update(t, s, func(tx store.Tx) (err error) {
			if n1, err = tx.AddAppeal(a); err != nil {
				return err
			}
			n2, err = tx.AddAppeal(a)
			return err
		})
		if n1 != 1 || n2 != 2 {
			t.Errorf("appeal numbers %d, %d; want 1, 2", n1, n2)
		}
		update(t, s, func(tx store.Tx) error {
			return tx.SetAppealOutcome(c.ID, 1, cleared.AppealDismissed, day(40), w.person.ID)
		})
		view(t, s, func(tx store.Tx) error {
			as, err := tx.CaseAppeals(c.ID)
			if err != nil {
				return err
			}
			if len(as) != 2 || as[0].Outcome != cleared.AppealDismissed || !as[0].Ruled.Equal(day(40)) || as[0].RuledBy != w.person.ID ||
				as[1].Outcome != "" || as[0].Court != a.Court || as[0].Reference != a.Reference || !as[0].Lodged.Equal(a.Lodged) {
				t.Errorf("appeals %+v", as)
			}
			return nil
		})
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.SetAppealOutcome(c.ID, 1, cleared.AppealUpheld, day(41), w.person.ID)
		})
		wantKind(t, "a second outcome", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error {
			return tx.SetAppealOutcome(c.ID, 3, cleared.AppealUpheld, day(41), w.person.ID)
		})
		wantKind(t, "the outcome of no appeal", err, cleared.ErrNotFound)
		err = s.Update(t.Context(), func(tx store.Tx) error {
			return tx.SetAppealOutcome(c.ID, 2, "quashed", day(41), w.person.ID)
		})
		wantKind(t, "an unknown outcome", err, cleared.ErrInvalid)
		err = s.Update(t.Context(), func(tx store.Tx) error { a.Case = other.ID; _, err := tx.AddAppeal(a); return err })
		wantKind(t, "an appeal on a case without a decision", err, cleared.ErrInvalid)
	})
	t.Run("A27.1_suspensions_one_open_at_a_time", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		clr := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.person.ID,
			Level: cleared.Secret, Issued: day(-4), Expires: day(3000), Status: cleared.ClearanceActive,
			Source: cleared.SourcePaperRegister, Reference: "ANS-1", RecordedBy: w.person.ID, Recorded: day(-4)}
		create(t, s, clr)
		first := suspension(clr.ID, w.person.ID)
		first.Previous = cleared.ClearanceActive
		var n int
		update(t, s, func(tx store.Tx) (err error) { n, err = tx.AddSuspension(first); return err })
		err := s.Update(t.Context(), func(tx store.Tx) error { _, err := tx.AddSuspension(first); return err })
		wantKind(t, "a second open suspension", err, cleared.ErrConflict)
		update(t, s, func(tx store.Tx) error { return tx.LiftSuspension(clr.ID, day(8), w.person.ID, []byte("lift")) })
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.LiftSuspension(clr.ID, day(9), w.person.ID, nil) })
		wantKind(t, "lifting no open suspension", err, cleared.ErrNotFound)
		var m int
		update(t, s, func(tx store.Tx) (err error) { m, err = tx.AddSuspension(first); return err })
		if n != 1 || m != 2 {
			t.Errorf("suspension numbers %d, %d; want 1, 2", n, m)
		}
		view(t, s, func(tx store.Tx) error {
			ss, err := tx.ClearanceSuspensions(clr.ID)
			if err != nil {
				return err
			}
			if len(ss) != 2 || ss[0].Previous != cleared.ClearanceActive || !ss[0].Lifted.Equal(day(8)) || ss[0].LiftedBy != w.person.ID ||
				string(ss[0].LiftReasons) != "lift" || string(ss[0].Reasons) != "sealed reasons" || ss[0].Key.KEK != caseKey.KEK ||
				string(ss[0].Key.Wrapped) != string(caseKey.Wrapped) || !ss[1].Lifted.IsZero() {
				t.Errorf("suspensions %+v", ss)
			}
			return nil
		})
		bad := map[string]func(*store.Suspension){
			"an unknown clearance": func(x *store.Suspension) { x.Clearance = cleared.NewClearanceID() },
			"no reasons":           func(x *store.Suspension) { x.Reasons = nil },
			"no key":               func(x *store.Suspension) { x.Key = store.CaseKey{} },
		}
		for name, edit := range bad {
			x := suspension(clr.ID, w.person.ID)
			edit(&x)
			err := s.Update(t.Context(), func(tx store.Tx) error { _, err := tx.AddSuspension(x); return err })
			wantKind(t, name, err, cleared.ErrInvalid)
		}
	})
}
