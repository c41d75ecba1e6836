package storetest

import (
	"fmt"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func testCosignature(t *testing.T, open opener) {
	w1, w2 := "witness.a.example/w1+01020304+BA==", "witness.b.example/w2+05060708+BA=="
	cos := func(w string, size uint64, note, sig string) store.Cosignature {
		return store.Cosignature{Witness: w, Size: size, Note: []byte(note), Signature: []byte(sig), Created: t0}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.LatestCosignature(w1)
			wantKind(t, "LatestCosignature before any", err, cleared.ErrNotFound)
			_, err = tx.CosignedCheckpoint()
			wantKind(t, "CosignedCheckpoint before any", err, cleared.ErrNotFound)
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			for _, c := range []store.Cosignature{
				cos(w1, 10, "note 10", "— w1 a\n"), cos(w1, 20, "note 20", "— w1 b\n"), cos(w2, 20, "note 20", "— w2 c\n"),
				cos(w2, 5, "note 5", "— w2 d\n"),
			} {
				if err := tx.PutCosignature(c); err != nil {
					return err
				}
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.LatestCosignature(w1)
			if err != nil {
				return err
			}
			same(t, "LatestCosignature(w1)", got, cos(w1, 20, "note 20", "— w1 b\n"))
			all, err := tx.CosignedCheckpoint()
			if err != nil {
				return err
			}
			same(t, "CosignedCheckpoint", all, []store.Cosignature{cos(w1, 20, "note 20", "— w1 b\n"), cos(w2, 20, "note 20", "— w2 c\n")})
			return nil
		})
		// A newer checkpoint only one witness cosigned yet: the one both cosigned is still the one served.
		update(t, s, func(tx store.Tx) error { return tx.PutCosignature(cos(w1, 30, "note 30", "— w1 e\n")) })
		view(t, s, func(tx store.Tx) error {
			all, err := tx.CosignedCheckpoint()
			same(t, "CosignedCheckpoint with a witness behind", len(all), 2)
			return err
		})
		// Once both have cosigned a newer one, it is.
		update(t, s, func(tx store.Tx) error { return tx.PutCosignature(cos(w2, 30, "note 30", "— w2 f\n")) })
		view(t, s, func(tx store.Tx) error {
			all, err := tx.CosignedCheckpoint()
			same(t, "CosignedCheckpoint after both", all, []store.Cosignature{cos(w1, 30, "note 30", "— w1 e\n"), cos(w2, 30, "note 30", "— w2 f\n")})
			return err
		})
	})
	t.Run("a witness down does not hold the served checkpoint back past 64 sizes", func(t *testing.T) {
		s := open(t)
		update(t, s, func(tx store.Tx) error {
			if err := tx.PutCosignature(cos(w2, 1, "note 1", "— w2\n")); err != nil {
				return err
			}
			for size := uint64(1); size <= 65; size++ {
				if err := tx.PutCosignature(cos(w1, size, fmt.Sprintf("note %d", size), "— w1\n")); err != nil {
					return err
				}
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			all, err := tx.CosignedCheckpoint()
			same(t, "CosignedCheckpoint", all, []store.Cosignature{cos(w1, 65, "note 65", "— w1\n")})
			return err
		})
	})
	t.Run("a newer cosignature of the same checkpoint replaces the signature", func(t *testing.T) {
		s := open(t)
		update(t, s, func(tx store.Tx) error { return tx.PutCosignature(cos(w1, 10, "note 10", "— w1 a\n")) })
		later := cos(w1, 10, "note 10", "— w1 later\n")
		later.Created = day(1)
		update(t, s, func(tx store.Tx) error { return tx.PutCosignature(later) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.LatestCosignature(w1)
			same(t, "LatestCosignature", got, later)
			return err
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		// One witness cosigning two roots for one size would be a fork: the store never keeps both.
		s := open(t)
		update(t, s, func(tx store.Tx) error { return tx.PutCosignature(cos(w1, 10, "note 10", "— w1 a\n")) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.PutCosignature(cos(w1, 10, "forked note 10", "— w1 x\n")) })
		wantKind(t, "PutCosignature of another note for a size kept", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		for name, c := range map[string]store.Cosignature{
			"no witness":   cos("", 1, "n", "s"),
			"no note":      cos(w1, 1, "", "s"),
			"no signature": cos(w1, 1, "n", ""),
			"no time":      {Witness: w1, Size: 1, Note: []byte("n"), Signature: []byte("s")},
		} {
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.PutCosignature(c) })
			wantKind(t, "PutCosignature with "+name, err, cleared.ErrInvalid)
		}
	})
}
