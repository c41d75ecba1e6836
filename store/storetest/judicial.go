package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// judicialOrder is an order naming persons on pieces and dossiers, in force from day -1 to day 30.
func (w world) judicialOrder(ref string, persons []cleared.PersonID, pieces []cleared.PieceID, dossiers []cleared.DossierID) cleared.JudicialOrder {
	return cleared.JudicialOrder{ID: cleared.NewJudicialOrderID(), Court: "Tribunal d'arrondissement de Luxembourg",
		Reference: ref, Issued: day(-2), Persons: persons, Pieces: pieces, Dossiers: dossiers, From: day(-1),
		Until: day(30), RecordedBy: w.person.ID, Recorded: day(-1)}
}

func testJudicialOrder(t *testing.T, open opener) {
	t.Run("A9.5_round_trip_end_and_lists", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		judge := newPerson(w.org.ID)
		p := w.piece(cleared.Secret, day(-5))
		d := w.dossier(cleared.Secret)
		create(t, s, judge, p, d)
		o := w.judicialOrder("JI-1", []cleared.PersonID{judge.ID, w.person.ID}, []cleared.PieceID{p.ID}, []cleared.DossierID{d.ID})
		other := w.judicialOrder("JI-2", []cleared.PersonID{w.person.ID}, nil, []cleared.DossierID{d.ID})
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateJudicialOrder(o); err != nil {
				return err
			}
			return tx.CreateJudicialOrder(other)
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.JudicialOrder(o.ID)
			if err != nil {
				return err
			}
			same(t, "JudicialOrder", got, o)
			mine, err := tx.PersonJudicialOrders(judge.ID)
			if err != nil {
				return err
			}
			same(t, "PersonJudicialOrders of the judge", mine, []cleared.JudicialOrder{o})
			all, err := tx.JudicialOrderList(store.Page{Limit: 10})
			if err != nil {
				return err
			}
			if len(all) != 2 || all[0].ID > all[1].ID {
				t.Errorf("JudicialOrderList: %d orders, want both by ID", len(all))
			}
			after, err := tx.JudicialOrderList(store.Page{After: string(all[0].ID), Limit: 10})
			if err != nil {
				return err
			}
			if len(after) != 1 || after[0].ID != all[1].ID {
				t.Errorf("JudicialOrderList after the first: %v, want the second alone", after)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			return tx.EndJudicialOrder(o.ID, day(3), w.person.ID, "levée par ordonnance")
		})
		o.Ended, o.EndedBy, o.EndReason = day(3), w.person.ID, "levée par ordonnance"
		view(t, s, func(tx store.Tx) error {
			got, err := tx.JudicialOrder(o.ID)
			same(t, "JudicialOrder ended", got, o)
			return err
		})
	})
	t.Run("ErrConflict_ended_twice_or_same_reference", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-5))
		create(t, s, p)
		o := w.judicialOrder("JI-1", []cleared.PersonID{w.person.ID}, []cleared.PieceID{p.ID}, nil)
		update(t, s, func(tx store.Tx) error { return tx.CreateJudicialOrder(o) })
		update(t, s, func(tx store.Tx) error { return tx.EndJudicialOrder(o.ID, day(1), w.person.ID, "levée") })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.EndJudicialOrder(o.ID, day(2), w.person.ID, "levée") })
		wantKind(t, "EndJudicialOrder twice", err, cleared.ErrConflict)
		again := w.judicialOrder("JI-1", []cleared.PersonID{w.person.ID}, []cleared.PieceID{p.ID}, nil)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateJudicialOrder(again) })
		wantKind(t, "CreateJudicialOrder with a court and reference recorded", err, cleared.ErrConflict)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.JudicialOrder(cleared.NewJudicialOrderID()); return err })
		wantKind(t, "JudicialOrder", err, cleared.ErrNotFound)
		err = s.Update(t.Context(), func(tx store.Tx) error {
			return tx.EndJudicialOrder(cleared.NewJudicialOrderID(), day(1), w.person.ID, "levée")
		})
		wantKind(t, "EndJudicialOrder", err, cleared.ErrNotFound)
	})
	t.Run("ErrInvalid_unknown_person", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-5))
		create(t, s, p)
		o := w.judicialOrder("JI-1", []cleared.PersonID{cleared.NewPersonID()}, []cleared.PieceID{p.ID}, nil)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateJudicialOrder(o) })
		wantKind(t, "CreateJudicialOrder naming no one known", err, cleared.ErrInvalid)
	})
}
