package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// vettingCase is a national initial case of person for post, opened at day(-2), due at day(28).
func (w world) vettingCase(person cleared.PersonID, post cleared.PostID) cleared.VettingCase {
	return cleared.VettingCase{ID: cleared.NewVettingCaseID(), PersonID: person, OrganisationID: w.org.ID, Post: post,
		Level: cleared.Secret, Origin: cleared.OriginNational, Kind: cleared.KindInitial, Stage: cleared.StageOpened,
		Deadline: day(28), OpenedBy: w.person.ID, Opened: day(-2), Updated: day(-2)}
}

var caseKey = store.CaseKey{KEK: "kek-1", Wrapped: []byte("wrapped data key of sixty bytes")}

func testVettingCases(t *testing.T, open opener) {
	t.Run("A25.1_cases_round_trip_update_and_lists", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		c1 := w.vettingCase(w.person.ID, p.ID)
		c2 := w.vettingCase(w.person.ID, p.ID)
		c2.Origin, c2.ForeignBody, c2.ForeignReference = cleared.OriginForeignNSA, "BfV", "BfV-2026-7"
		c2.Kind, c2.Trigger, c2.Opened, c2.Updated, c2.Deadline = cleared.KindFollowUp, "dettes signalées", day(-1), day(-1), day(1)
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateVettingCase(c1, caseKey); err != nil {
				return err
			}
			return tx.CreateVettingCase(c2, caseKey)
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.VettingCase(c2.ID)
			if err != nil {
				return err
			}
			same(t, "VettingCase", got, c2)
			k, err := tx.VettingCaseKey(c1.ID)
			if err != nil {
				return err
			}
			if k.KEK != caseKey.KEK || !bytes.Equal(k.Wrapped, caseKey.Wrapped) {
				t.Errorf("key %+v", k)
			}
			return nil
		})
		c1.Stage, c1.Updated, c1.Signed, c1.Consented = cleared.StageSigned, day(0), day(0), day(0)
		c2.Stage, c2.Updated, c2.Closed, c2.CloseCause = cleared.StageClosedNonCooperation, day(1), day(1), cleared.NonCooperationOverdue
		moved := c1
		moved.Level = cleared.TopSecret // what the opening recorded is kept
		update(t, s, func(tx store.Tx) error {
			if err := tx.UpdateVettingCase(moved); err != nil {
				return err
			}
			return tx.UpdateVettingCase(c2)
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.VettingCase(c1.ID)
			if err != nil {
				return err
			}
			same(t, "updated case", got, c1)
			for _, q := range []struct {
				q    store.VettingCaseQuery
				want int
			}{
				{store.VettingCaseQuery{Person: w.person.ID, Limit: 10}, 2},
				{store.VettingCaseQuery{Organisation: w.org.ID, Open: true, Limit: 10}, 1},
				{store.VettingCaseQuery{Organisation: "org_none", Limit: 10}, 0},
				{store.VettingCaseQuery{ClosedSince: day(1), Limit: 10}, 1},
				{store.VettingCaseQuery{ClosedSince: day(1).Add(time.Nanosecond), Limit: 10}, 0},
			} {
				n, err := count(tx.VettingCases(q.q))
				if err != nil {
					return err
				}
				if n != q.want {
					t.Errorf("%+v: %d cases, want %d", q.q, n, q.want)
				}
			}
			return nil
		})
	})
	t.Run("A26.1_due_cases_at_the_deadline_exactly", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		c := w.vettingCase(w.person.ID, p.ID)
		update(t, s, func(tx store.Tx) error { return tx.CreateVettingCase(c, caseKey) })
		view(t, s, func(tx store.Tx) error {
			for _, q := range []struct {
				due  int
				want int
			}{{27, 0}, {28, 1}, {29, 1}} {
				n, err := count(tx.VettingCases(store.VettingCaseQuery{Due: day(q.due), Limit: 10}))
				if err != nil {
					return err
				}
				if n != q.want {
					t.Errorf("due by day(%d): %d, want %d", q.due, n, q.want)
				}
			}
			return nil
		})
	})
	t.Run("A23.1_answers_replace_by_section", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		c := w.vettingCase(w.person.ID, p.ID)
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateVettingCase(c, caseKey); err != nil {
				return err
			}
			for _, a := range []store.VettingAnswers{
				{Case: c.ID, Section: "solvency", Ciphertext: []byte("v1"), Updated: day(-1)},
				{Case: c.ID, Section: "civil_status", Ciphertext: []byte("v1"), Updated: day(-1)},
				{Case: c.ID, Section: "solvency", Ciphertext: []byte("v2"), Updated: day(0)},
			} {
				if err := tx.PutVettingAnswers(a); err != nil {
					return err
				}
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			as, err := tx.VettingAnswers(c.ID)
			if err != nil {
				return err
			}
			if len(as) != 2 || as[0].Section != "civil_status" || string(as[1].Ciphertext) != "v2" || !as[1].Updated.Equal(day(0)) {
				t.Errorf("answers %+v", as)
			}
			return nil
		})
	})
	t.Run("A25.1_A25.2_signatures_once_each", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		c := w.vettingCase(w.person.ID, p.ID)
		g := store.VettingSignature{Case: c.ID, What: "questionnaire", Signer: w.person.ID, Certificate: "ab12",
			CMS: []byte("der"), Digest: "00ff", Signed: day(0)}
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateVettingCase(c, caseKey); err != nil {
				return err
			}
			if err := tx.AddVettingSignature(g); err != nil {
				return err
			}
			consent := g
			consent.What, consent.Signed = "consent", day(1)
			return tx.AddVettingSignature(consent)
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddVettingSignature(g) })
		wantKind(t, "a second signature of the questionnaire", err, cleared.ErrConflict)
		bad := g
		bad.What = "decision"
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.AddVettingSignature(bad) })
		wantKind(t, "a signature of another document", err, cleared.ErrInvalid)
		view(t, s, func(tx store.Tx) error {
			gs, err := tx.VettingSignatures(c.ID)
			if len(gs) != 2 || gs[0].What != "questionnaire" || string(gs[0].CMS) != "der" || !gs[1].Signed.Equal(day(1)) {
				t.Errorf("signatures %+v", gs)
			}
			return err
		})
	})
	t.Run("bad_input_is_refused_and_nothing_stored", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		both := w.vettingCase(w.person.ID, p.ID)
		both.Contract = "ctr_none"
		noKey := w.vettingCase(w.person.ID, p.ID)
		missing := w.vettingCase("per_none", p.ID)
		for name, try := range map[string]func(tx store.Tx) error{
			"post and contract": func(tx store.Tx) error { return tx.CreateVettingCase(both, caseKey) },
			"no key":            func(tx store.Tx) error { return tx.CreateVettingCase(noKey, store.CaseKey{}) },
			"unknown person":    func(tx store.Tx) error { return tx.CreateVettingCase(missing, caseKey) },
			"unknown case's answers": func(tx store.Tx) error {
				return tx.PutVettingAnswers(store.VettingAnswers{Case: "vet_none", Section: "solvency", Ciphertext: []byte("x"), Updated: day(0)})
			},
		} {
			err := s.Update(t.Context(), func(tx store.Tx) error { return try(tx) })
			wantKind(t, name, err, cleared.ErrInvalid)
		}
		view(t, s, func(tx store.Tx) error {
			n, err := count(tx.VettingCases(store.VettingCaseQuery{Limit: 10}))
			if n != 0 {
				t.Errorf("%d cases stored", n)
			}
			_, err2 := tx.VettingCase("vet_none")
			wantKind(t, "missing case", err2, cleared.ErrNotFound)
			return err
		})
	})
}
