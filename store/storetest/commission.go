package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// commissionSeat is a seat of person p designated by d from day(0) to day(1000).
func commissionSeat(p cleared.PersonID, d string) cleared.CommissionMember {
	return cleared.CommissionMember{ID: cleared.NewCommissionSeatID(), Person: p, Designator: d, From: day(0),
		Until: day(1000), Reference: "arrêté 2026/17", RecordedBy: p, Recorded: day(0)}
}

// testCommission: the register's seats read back whole, their end and presidency updated, the rest kept; a referral
// once per case, listed while the case is open; requests made, answered once, listed open; hearings listed by
// date. Each invalid or conflicting write is refused with its kind.
func testCommission(t *testing.T, open opener) {
	t.Run("A27.2_A27.3_the_register", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		m := commissionSeat(w.person.ID, cleared.DesignatorPrimeMinister)
		update(t, s, func(tx store.Tx) error { return tx.AddCommissionSeat(m) })
		ended := m
		ended.Until, ended.PresidentFrom, ended.PresidentReference = day(500), day(10), "PV 2026-01"
		ended.Designator, ended.Reference = cleared.DesignatorJustice, "changed" // kept as recorded
		update(t, s, func(tx store.Tx) error { return tx.UpdateCommissionSeat(ended) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.CommissionSeat(m.ID)
			if err != nil {
				return err
			}
			if got.Person != m.Person || got.Designator != m.Designator || got.Reference != m.Reference ||
				!got.From.Equal(m.From) || !got.Until.Equal(day(500)) || !got.President || !got.PresidentFrom.Equal(day(10)) ||
				got.PresidentReference != "PV 2026-01" || got.RecordedBy != m.RecordedBy || !got.Recorded.Equal(m.Recorded) {
				t.Errorf("CommissionSeat = %+v", got)
			}
			all, err := tx.CommissionSeats()
			if err != nil {
				return err
			}
			if len(all) != 1 || all[0].ID != m.ID {
				t.Errorf("CommissionSeats = %+v, want the one seat", all)
			}
			_, err = tx.CommissionSeat(cleared.NewCommissionSeatID())
			wantKind(t, "an unknown seat", err, cleared.ErrNotFound)
			return nil
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddCommissionSeat(m) })
		wantKind(t, "a seat's ID twice", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error {
			e := m
			e.Until = m.From
			return tx.UpdateCommissionSeat(e)
		})
		wantKind(t, "a seat ended at its start", err, cleared.ErrInvalid)
		bad := map[string]func(*cleared.CommissionMember){
			"an unknown person":          func(m *cleared.CommissionMember) { m.Person = cleared.NewPersonID() },
			"an unknown designator":      func(m *cleared.CommissionMember) { m.Designator = "interior" },
			"no reference":               func(m *cleared.CommissionMember) { m.Reference = "" },
			"a term ending at its start": func(m *cleared.CommissionMember) { m.Until = m.From },
		}
		for name, edit := range bad {
			m := commissionSeat(w.person.ID, cleared.DesignatorJustice)
			edit(&m)
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddCommissionSeat(m) })
			wantKind(t, name, err, cleared.ErrInvalid)
		}
	})
	t.Run("A27.4_referrals_requests_hearings", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		c, closed := w.vettingCase(w.person.ID, p.ID), w.vettingCase(w.person.ID, p.ID)
		closed.Stage, closed.Closed = cleared.StageRefused, day(9)
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateVettingCase(c, caseKey); err != nil {
				return err
			}
			if err := tx.CreateVettingCase(closed, caseKey); err != nil {
				return err
			}
			if err := tx.AddReferral(store.Referral{Case: c.ID, By: w.person.ID, Referred: day(2)}); err != nil {
				return err
			}
			return tx.AddReferral(store.Referral{Case: closed.ID, By: w.person.ID, Referred: day(1)})
		})
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.AddReferral(store.Referral{Case: c.ID, By: w.person.ID, Referred: day(3)})
		})
		wantKind(t, "a case referred twice", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error {
			return tx.AddReferral(store.Referral{Case: cleared.NewVettingCaseID(), By: w.person.ID, Referred: day(3)})
		})
		wantKind(t, "a referral of no case", err, cleared.ErrInvalid)

		info := store.CommissionRequest{ID: cleared.NewCommissionRequestID(), Case: c.ID, Kind: cleared.RequestInformation,
			By: w.person.ID, Made: day(3), Question: []byte("sealed question")}
		file := store.CommissionRequest{ID: cleared.NewCommissionRequestID(), Case: c.ID, Kind: cleared.RequestFile,
			By: w.person.ID, Made: day(4)}
		h := store.Hearing{ID: cleared.NewHearingID(), Case: c.ID, Heard: cleared.HeardPerson, Person: w.person.ID,
			Held: day(5), RecordedBy: w.person.ID, Recorded: day(5), Summary: []byte("sealed summary"), Observations: []byte("sealed obs")}
		update(t, s, func(tx store.Tx) error {
			for _, r := range []store.CommissionRequest{info, file} {
				if err := tx.AddCommissionRequest(r); err != nil {
					return err
				}
			}
			return tx.AddHearing(h)
		})
		view(t, s, func(tx store.Tx) error {
			r, err := tx.Referral(c.ID)
			if err != nil {
				return err
			}
			if r.By != w.person.ID || !r.Referred.Equal(day(2)) {
				t.Errorf("Referral = %+v", r)
			}
			open, err := tx.OpenReferrals(10)
			if err != nil {
				return err
			}
			if len(open) != 1 || open[0].Case != c.ID {
				t.Errorf("OpenReferrals = %+v, want the open case only", open)
			}
			rs, err := tx.CommissionRequests(store.CommissionRequestQuery{Open: true, Limit: 10})
			if err != nil {
				return err
			}
			if len(rs) != 1 || rs[0].ID != info.ID || string(rs[0].Question) != "sealed question" {
				t.Errorf("open requests = %+v, want the request for information", rs)
			}
			hs, err := tx.Hearings(c.ID)
			if err != nil {
				return err
			}
			if len(hs) != 1 || hs[0].Heard != h.Heard || !hs[0].Held.Equal(h.Held) || string(hs[0].Summary) != "sealed summary" ||
				string(hs[0].Observations) != "sealed obs" {
				t.Errorf("Hearings = %+v", hs)
			}
			return nil
		})
		answer := info
		answer.AnsweredBy, answer.Answered, answer.Answer = w.person.ID, day(6), []byte("sealed answer")
		update(t, s, func(tx store.Tx) error { return tx.AnswerCommissionRequest(answer) })
		view(t, s, func(tx store.Tx) error {
			r, err := tx.CommissionRequest(info.ID)
			if err != nil {
				return err
			}
			if r.AnsweredBy != w.person.ID || !r.Answered.Equal(day(6)) || string(r.Answer) != "sealed answer" {
				t.Errorf("answered request = %+v", r)
			}
			rs, err := tx.CommissionRequests(store.CommissionRequestQuery{Case: c.ID, Limit: 10})
			if err != nil {
				return err
			}
			if len(rs) != 2 || rs[0].ID != info.ID || rs[1].ID != file.ID {
				t.Errorf("requests of the case = %+v, want both by time", rs)
			}
			open, err := tx.CommissionRequests(store.CommissionRequestQuery{Open: true, Limit: 10})
			if err != nil {
				return err
			}
			if len(open) != 0 {
				t.Errorf("open requests after the answer = %+v", open)
			}
			return nil
		})
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.AnswerCommissionRequest(answer) })
		wantKind(t, "a request answered twice", err, cleared.ErrConflict)
		answer.ID = cleared.NewCommissionRequestID()
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.AnswerCommissionRequest(answer) })
		wantKind(t, "an answer to no request", err, cleared.ErrNotFound)
		noQuestion := info
		noQuestion.ID, noQuestion.Question = cleared.NewCommissionRequestID(), nil
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.AddCommissionRequest(noQuestion) })
		wantKind(t, "a request for information without a question", err, cleared.ErrInvalid)
		noSummary := h
		noSummary.ID, noSummary.Summary = cleared.NewHearingID(), nil
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.AddHearing(noSummary) })
		wantKind(t, "a hearing without a summary", err, cleared.ErrInvalid)
		noCase := h
		noCase.ID, noCase.Case = cleared.NewHearingID(), cleared.NewVettingCaseID()
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.AddHearing(noCase) })
		wantKind(t, "a hearing on no case", err, cleared.ErrInvalid)
	})
}
