package storetest

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func testLaw(t *testing.T, open opener) {
	by := cleared.NewPersonID()
	v1 := cleared.DefaultLaw()
	reform := cleared.DefaultLaw()
	reform.Version, reform.ValidFrom, reform.Note = 2, day(1), "Bill 8651"
	reform.ClearanceValidityYears[cleared.TopSecret] = 4
	reform.Levels[cleared.Restricted] = cleared.LevelNames{Name: "DIFFUSION RESTREINTE", Marking: "DIFFUSION RESTREINTE LUX"}
	put := func(t *testing.T, s store.Store, ls ...cleared.LawParameters) {
		update(t, s, func(tx store.Tx) error {
			for _, l := range ls {
				if err := tx.PutLaw(l, by, t0); err != nil {
					return err
				}
			}
			return nil
		})
	}
	t.Run("A17.1_version_in_force_at_time", func(t *testing.T) {
		s := open(t)
		put(t, s, v1, reform)
		for _, c := range []struct {
			at   time.Time
			want cleared.LawParameters
		}{
			{v1.ValidFrom, v1},
			{t0, v1},
			{reform.ValidFrom.Add(-time.Nanosecond), v1},
			{reform.ValidFrom, reform},
		} {
			view(t, s, func(tx store.Tx) error {
				got, err := tx.Law(c.at)
				same(t, "Law at "+c.at.String(), got, c.want)
				return err
			})
		}
		view(t, s, func(tx store.Tx) error {
			got, err := tx.LawVersions()
			same(t, "LawVersions", got, []cleared.LawParameters{v1, reform})
			return err
		})
	})
	t.Run("A17.1_ErrNotFound_before_the_first_version", func(t *testing.T) {
		s := open(t)
		put(t, s, v1)
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.Law(v1.ValidFrom.Add(-time.Nanosecond)); return err })
		wantKind(t, "Law before version 1", err, cleared.ErrNotFound)
	})
	t.Run("A17.1_ErrConflict", func(t *testing.T) {
		s := open(t)
		put(t, s, v1)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.PutLaw(v1, by, t0) })
		wantKind(t, "PutLaw of an existing version", err, cleared.ErrConflict)
	})
}
