package storetest

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func testEquivalence(t *testing.T, open opener) {
	by := cleared.NewPersonID()
	v1 := cleared.DefaultEquivalence()
	v2 := cleared.DefaultEquivalence()
	v2.Version, v2.ValidFrom, v2.Note = 2, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), "Bilateral agreement with France"
	v2.Schemes["FR"] = map[cleared.Level]string{cleared.Secret: "SECRET", cleared.Confidential: "CONFIDENTIEL DEFENSE"}
	// Version 3 corrects version 2 from an earlier date: the highest version in force wins, not the latest date.
	v3 := cleared.DefaultEquivalence()
	v3.Version, v3.ValidFrom, v3.Note = 3, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC), "Correction"
	put := func(t *testing.T, s store.Store, ts ...cleared.EquivalenceTable) {
		update(t, s, func(tx store.Tx) error {
			for _, e := range ts {
				if err := tx.PutEquivalence(e, by, t0); err != nil {
					return err
				}
			}
			return nil
		})
	}
	at := func(t *testing.T, s store.Store, when time.Time) (cleared.EquivalenceTable, error) {
		var e cleared.EquivalenceTable
		err := s.View(t.Context(), func(tx store.Tx) error {
			var err error
			e, err = tx.Equivalence(when)
			return err
		})
		return e, err
	}
	t.Run("A6.1_version_in_force_at_time", func(t *testing.T) {
		s := open(t)
		put(t, s, v1, v2)
		for _, c := range []struct {
			when time.Time
			want cleared.EquivalenceTable
		}{
			{v1.ValidFrom, v1},
			{time.Date(2010, 5, 5, 0, 0, 0, 0, time.UTC), v1},
			{v2.ValidFrom.Add(-time.Nanosecond), v1},
			{v2.ValidFrom, v2},
			{t0, v2},
		} {
			got, err := at(t, s, c.when)
			if err != nil {
				t.Fatalf("Equivalence(%s): %v", c.when, err)
			}
			same(t, "Equivalence at "+c.when.String(), got, c.want)
		}
	})
	t.Run("A6.1_highest_version_in_force_wins", func(t *testing.T) {
		s := open(t)
		put(t, s, v1, v2, v3)
		got, err := at(t, s, t0)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "Equivalence after a correcting version", got.Version, 3)
		got, err = at(t, s, time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		same(t, "Equivalence before the correction took effect", got.Version, 1)
	})
	t.Run("A6.1_ErrNotFound_before_first_version", func(t *testing.T) {
		s := open(t)
		put(t, s, v1)
		_, err := at(t, s, v1.ValidFrom.Add(-time.Nanosecond))
		wantKind(t, "Equivalence before version 1", err, cleared.ErrNotFound)
	})
	t.Run("A6.1_ErrConflict", func(t *testing.T) {
		s := open(t)
		put(t, s, v1)
		again := v2
		again.Version = 1
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.PutEquivalence(again, by, t0) })
		wantKind(t, "PutEquivalence of an existing version", err, cleared.ErrConflict)
	})
	t.Run("A6.1_versions_oldest_first", func(t *testing.T) {
		s := open(t)
		put(t, s, v2, v1)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.EquivalenceVersions()
			same(t, "EquivalenceVersions", got, []cleared.EquivalenceTable{v1, v2})
			return err
		})
	})
}
