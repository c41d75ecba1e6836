package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// newMarking returns marking seq of piece p, at p's level, set by w's authority.
func newMarking(w world, p cleared.Piece, seq int) cleared.PieceMarking {
	return cleared.PieceMarking{Piece: p.ID, Seq: seq, Level: p.Level, Marking: p.Marking(), From: p.Created.Add(1),
		Authority: w.auth.ID, By: w.person.ID, Reason: "classification"}
}

// A7.2: the history of a piece's markings is kept whole, in order.
func testPieceMarking(t *testing.T, open opener) {
	t.Run("A7.2_history_in_order", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.TopSecret, day(-10))
		first := newMarking(w, p, 1)
		second := cleared.PieceMarking{Piece: p.ID, Seq: 2, Level: cleared.Secret, Marking: "SECRET LUX", From: day(-1),
			Authority: w.auth.ID, By: w.person.ID, Reason: "the operation is over"}
		third := cleared.PieceMarking{Piece: p.ID, Seq: 3, Level: cleared.Unclassified, Marking: cleared.DeclassifiedMarking,
			From: day(0), Authority: w.auth.ID, By: w.person.ID, Reason: "published", Consent: "NATO/NOS/2025-114"}
		create(t, s, p, third, first, second)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.PieceMarkings(p.ID)
			same(t, "PieceMarkings", got, []cleared.PieceMarking{first, second, third})
			return err
		})
	})
	t.Run("none", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.PieceMarkings(cleared.NewPieceID())
			if len(got) != 0 {
				t.Errorf("markings of an unknown piece: %v", got)
			}
			return err
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		m := newMarking(w, p, 1)
		create(t, s, p, m)
		m.Reason = "a second line of the same rank"
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddPieceMarking(m) })
		wantKind(t, "AddPieceMarking with an existing seq", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid_unknown_piece", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddPieceMarking(newMarking(w, p, 1)) })
		wantKind(t, "AddPieceMarking of an unknown piece", err, cleared.ErrInvalid)
	})
}

// A7.2: a downgrade changes the piece's level; the row stays sealed (it reads back), and so visible at its new
// level (A9.1).
func testSetPieceMarking(t *testing.T, open opener) {
	t.Run("A7.2_level_changed_and_sealed", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.TopSecret, day(-1))
		g := w.grant(w.person.ID, p.ID)
		create(t, s, p, g)
		update(t, s, func(tx store.Tx) error { return tx.SetPieceMarking(p.ID, cleared.Secret, nil) })
		want := p
		want.Level = cleared.Secret
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Piece(p.ID)
			same(t, "Piece after SetPieceMarking", got, want)
			if err != nil {
				return err
			}
			vs, err := tx.VisiblePieces(store.VisibleQuery{Person: w.person.ID, MaxLevel: cleared.Secret, At: t0, Limit: 10})
			if len(vs) != 1 || vs[0].ID != p.ID {
				t.Errorf("A9.1 the piece downgraded to SECRET is not visible up to SECRET: %v", vs)
			}
			return err
		})
	})
	t.Run("A6.1_foreign_marking_follows_the_level", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		p.Foreign = &cleared.ForeignMarking{Scheme: cleared.SchemeNATO, Marking: "NATO SECRET"}
		create(t, s, p)
		nc := &cleared.ForeignMarking{Scheme: cleared.SchemeNATO, Marking: "NATO CONFIDENTIAL"}
		update(t, s, func(tx store.Tx) error { return tx.SetPieceMarking(p.ID, cleared.Confidential, nc) })
		want := p
		want.Level, want.Foreign = cleared.Confidential, nc
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Piece(p.ID)
			same(t, "Piece after SetPieceMarking", got, want)
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.SetPieceMarking(cleared.NewPieceID(), cleared.Secret, nil) })
		wantKind(t, "SetPieceMarking of an unknown piece", err, cleared.ErrNotFound)
	})
}

func testRewrapContentKey(t *testing.T, open opener) {
	setup := func(t *testing.T) (store.Store, store.Content) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		c := store.Content{Piece: p.ID, KEK: "kek-2025-01", WrappedKey: []byte("wrapped data key, 40 bytes of it......."),
			Ciphertext: []byte("nonce and AES-256-GCM ciphertext")}
		create(t, s, p, c)
		return s, c
	}
	t.Run("OK", func(t *testing.T) {
		s, c := setup(t)
		want := c
		want.KEK, want.WrappedKey = "kek-2026-01", []byte("the same data key, wrapped for CONFIDENTIEL")
		update(t, s, func(tx store.Tx) error { return tx.RewrapContentKey(c.Piece, want.KEK, want.WrappedKey) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Content(c.Piece)
			same(t, "Content after RewrapContentKey", got, want)
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RewrapContentKey(cleared.NewPieceID(), "k", []byte("w")) })
		wantKind(t, "RewrapContentKey of a piece without content", err, cleared.ErrNotFound)
	})
	t.Run("A10.1_destroyed_key_stays_destroyed", func(t *testing.T) {
		s, c := setup(t)
		update(t, s, func(tx store.Tx) error { return tx.DestroyContentKey(c.Piece) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RewrapContentKey(c.Piece, "k", []byte("w")) })
		wantKind(t, "RewrapContentKey of a destroyed key", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid_empty_key", func(t *testing.T) {
		s, c := setup(t)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RewrapContentKey(c.Piece, c.KEK, nil) })
		wantKind(t, "RewrapContentKey without a key", err, cleared.ErrInvalid)
	})
}
