package storetest

import (
	"slices"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// opinion is a favourable opinion on case c recorded by member at day(3).
func opinion(c cleared.VettingCaseID, member cleared.PersonID) store.Opinion {
	return store.Opinion{Case: c, Advice: cleared.AdviceGrant, Members: []cleared.PersonID{member}, By: member,
		Given: day(3), Reasons: []byte("sealed reasons")}
}

// testOpinions: one opinion per case (A27.2), read back whole; a second conflicts; an opinion on no case, without
// members, without reasons or with an unknown advice is invalid; a case without one reads not found.
func testOpinions(t *testing.T, open opener) {
	t.Run("A27.2_one_reasoned_opinion_per_case", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		c, other := w.vettingCase(w.person.ID, p.ID), w.vettingCase(w.person.ID, p.ID)
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateVettingCase(c, caseKey); err != nil {
				return err
			}
			return tx.CreateVettingCase(other, caseKey)
		})
		second := newPerson(w.org.ID)
		create(t, s, second)
		o := opinion(c.ID, w.person.ID)
		o.Advice, o.Members = cleared.AdviceRefuse, []cleared.PersonID{w.person.ID, second.ID}
		update(t, s, func(tx store.Tx) error { return tx.AddOpinion(o) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.CaseOpinion(c.ID)
			if err != nil {
				return err
			}
			if got.Case != o.Case || got.Advice != o.Advice || !slices.Equal(got.Members, o.Members) || got.By != o.By ||
				!got.Given.Equal(o.Given) || string(got.Reasons) != string(o.Reasons) {
				t.Errorf("CaseOpinion = %+v, want %+v", got, o)
			}
			_, err = tx.CaseOpinion(other.ID)
			wantKind(t, "a case without an opinion", err, cleared.ErrNotFound)
			return nil
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddOpinion(opinion(c.ID, w.person.ID)) })
		wantKind(t, "a second opinion on the case", err, cleared.ErrConflict)
		bad := map[string]func(*store.Opinion){
			"an unknown case":   func(o *store.Opinion) { o.Case = cleared.NewVettingCaseID() },
			"no member":         func(o *store.Opinion) { o.Members = nil },
			"no reasons":        func(o *store.Opinion) { o.Reasons = nil },
			"an unknown advice": func(o *store.Opinion) { o.Advice = "abstain" },
		}
		for name, edit := range bad {
			o := opinion(other.ID, w.person.ID)
			edit(&o)
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddOpinion(o) })
			wantKind(t, name, err, cleared.ErrInvalid)
		}
	})
}
