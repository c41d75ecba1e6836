package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// briefing is briefing n of clearance c of holder p, given on day d.
func briefing(c cleared.Clearance, n, d int) cleared.Briefing {
	return cleared.Briefing{Clearance: c.ID, Number: n, Holder: c.PersonID, BriefedOn: day(d), BriefedBy: "Anne Muller",
		Instructions: "Instructions de sécurité, v3", RecordedBy: c.PersonID, Recorded: day(d)}
}

// declared is b with its declaration signed on day d.
func declared(b cleared.Briefing, d int) cleared.Briefing {
	b.Declared, b.Certificate, b.CMS, b.Digest = day(d), "fp-1", []byte("cms"), "0a1b"
	return b
}

// testBriefings: briefings are numbered once per clearance and declared once (A18.1); BriefingsDue finds the
// clearances pending their first declaration and those whose last declared briefing is before the bound, and not
// a clearance of the paper register with no briefing; reports of changes of circumstances keep their sealed
// content apart and are taken up once.
func testBriefings(t *testing.T, open opener) {
	t.Run("A18.1_briefings_numbered_and_declared_once", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.person.ID,
			Level: cleared.Secret, Issued: day(-10), Expires: day(3000), Status: cleared.ClearancePending,
			Source: cleared.SourceVetting, RecordedBy: w.person.ID, Recorded: day(-10)}
		create(t, s, c)
		b1 := briefing(c, 1, -1)
		update(t, s, func(tx store.Tx) error { return tx.AddBriefing(b1) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddBriefing(b1) })
		wantKind(t, "briefing 1 again", err, cleared.ErrConflict)
		for name, b := range map[string]cleared.Briefing{
			"an unknown clearance":     briefing(cleared.Clearance{ID: cleared.NewClearanceID(), PersonID: w.person.ID}, 1, 0),
			"number 0":                 briefing(c, 0, 0),
			"declared when recorded":   declared(briefing(c, 2, 0), 0),
			"without its instructions": func() cleared.Briefing { b := briefing(c, 2, 0); b.Instructions = ""; return b }(),
		} {
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddBriefing(b) })
			wantKind(t, name, err, cleared.ErrInvalid)
		}
		d1 := declared(b1, 0)
		update(t, s, func(tx store.Tx) error { return tx.DeclareBriefing(d1) })
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.DeclareBriefing(d1) })
		wantKind(t, "a second declaration", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.DeclareBriefing(declared(briefing(c, 9, 0), 0)) })
		wantKind(t, "an unknown briefing", err, cleared.ErrNotFound)
		view(t, s, func(tx store.Tx) error {
			bs, err := tx.Briefings(c.ID)
			if err != nil {
				return err
			}
			if len(bs) != 1 || !bs[0].Declared.Equal(day(0)) || string(bs[0].CMS) != "cms" || bs[0].Instructions != b1.Instructions {
				t.Errorf("briefings = %+v, want briefing 1 declared on day 0", bs)
			}
			return nil
		})
	})

	t.Run("A18.1_briefings_due", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		clr := func(st cleared.ClearanceStatus) cleared.Clearance {
			return cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.person.ID,
				Level: cleared.Secret, Issued: day(-800), Expires: day(3000), Status: st, Source: cleared.SourceVetting,
				RecordedBy: w.person.ID, Recorded: day(-800)}
		}
		pending, overdue, fresh, paper := clr(cleared.ClearancePending), clr(cleared.ClearanceActive), clr(cleared.ClearanceActive), clr(cleared.ClearanceActive)
		create(t, s, pending, overdue, fresh, paper)
		update(t, s, func(tx store.Tx) error {
			for _, b := range []cleared.Briefing{briefing(overdue, 1, -400), briefing(fresh, 1, -400), briefing(fresh, 2, -10),
				briefing(pending, 1, -1)} {
				if err := tx.AddBriefing(b); err != nil {
					return err
				}
			}
			for _, b := range []cleared.Briefing{declared(briefing(overdue, 1, -400), -399), declared(briefing(fresh, 1, -400), -399),
				declared(briefing(fresh, 2, -10), -9)} {
				if err := tx.DeclareBriefing(b); err != nil {
					return err
				}
			}
			return nil
		})
		// The bound: a briefing given after it is not due, one given exactly at it is.
		for name, q := range map[string]store.BriefingQuery{
			"of the person":       {Person: w.person.ID, Before: day(-11), Limit: 10},
			"of his organisation": {Organisations: []cleared.OrganisationID{w.org.ID}, Before: day(-11), Limit: 10},
		} {
			view(t, s, func(tx store.Tx) error {
				cs, err := tx.BriefingsDue(q)
				if err != nil {
					return err
				}
				got := map[cleared.ClearanceID]bool{}
				for _, c := range cs {
					got[c.ID] = true
				}
				if len(cs) != 2 || !got[pending.ID] || !got[overdue.ID] {
					t.Errorf("%s: due = %+v, want the pending and the overdue clearances", name, cs)
				}
				return nil
			})
		}
		view(t, s, func(tx store.Tx) error {
			cs, err := tx.BriefingsDue(store.BriefingQuery{Person: w.person.ID, Before: day(-10), Limit: 10})
			if err == nil && len(cs) != 3 {
				t.Errorf("at the last briefing's date, due = %d clearances, want 3", len(cs))
			}
			return err
		})
		view(t, s, func(tx store.Tx) error {
			cs, err := tx.BriefingsDue(store.BriefingQuery{Before: day(0), Limit: 10})
			if err == nil && len(cs) != 0 {
				t.Errorf("neither person nor organisation: %d, want none", len(cs))
			}
			return err
		})
	})

	t.Run("A18.1_circumstances", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		r := store.SealedCircumstance{Report: cleared.CircumstanceReport{ID: cleared.NewCircumstanceID(), PersonID: w.person.ID,
			OrganisationID: w.org.ID, Reported: day(0)}, Key: caseKey, Ciphertext: []byte("sealed")}
		r2 := r
		r2.Report.ID, r2.Report.Reported = cleared.NewCircumstanceID(), day(1)
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateCircumstance(r); err != nil {
				return err
			}
			return tx.CreateCircumstance(r2)
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateCircumstance(r) })
		wantKind(t, "the same report again", err, cleared.ErrConflict)
		noKey := r
		noKey.Report.ID, noKey.Key = cleared.NewCircumstanceID(), store.CaseKey{}
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateCircumstance(noKey) })
		wantKind(t, "a report without its key", err, cleared.ErrInvalid)
		update(t, s, func(tx store.Tx) error { return tx.TakeUpCircumstance(r.Report.ID, w.person.ID, day(2)) })
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.TakeUpCircumstance(r.Report.ID, w.person.ID, day(3)) })
		wantKind(t, "taken up twice", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error {
			return tx.TakeUpCircumstance(cleared.NewCircumstanceID(), w.person.ID, day(3))
		})
		wantKind(t, "an unknown report", err, cleared.ErrNotFound)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Circumstance(r.Report.ID)
			if err != nil {
				return err
			}
			if string(got.Ciphertext) != "sealed" || got.Key.KEK != caseKey.KEK || got.Report.TakenUpBy != w.person.ID ||
				!got.Report.TakenUp.Equal(day(2)) {
				t.Errorf("report = %+v", got)
			}
			all, err := tx.Circumstances(store.CircumstanceQuery{Person: w.person.ID, Limit: 10})
			if err != nil {
				return err
			}
			open, err := tx.Circumstances(store.CircumstanceQuery{Organisation: w.org.ID, Open: true, Limit: 10})
			if err != nil {
				return err
			}
			if len(all) != 2 || all[0].ID != r2.Report.ID || len(open) != 1 || open[0].ID != r2.Report.ID {
				t.Errorf("all = %+v, open = %+v: want both newest first, and only the second open", all, open)
			}
			return nil
		})
	})
}
