package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func testGrant(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		d := w.dossier(cleared.Secret)
		onPiece, onDossier := w.grant(w.person.ID, p.ID), w.grant(w.person.ID, d.ID)
		create(t, s, p, d, onPiece, onDossier)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Grant{onPiece, onDossier} {
				got, err := tx.Grant(want.ID)
				if err != nil {
					return err
				}
				same(t, "Grant", got, want)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Grant(cleared.NewGrantID())
			wantKind(t, "Grant of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		g := w.grant(w.person.ID, p.ID)
		create(t, s, p, g)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateGrant(g) })
		wantKind(t, "CreateGrant with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid_piece_and_dossier", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		d := w.dossier(cleared.Secret)
		create(t, s, p, d)
		both := w.grant(w.person.ID, p.ID)
		both.Dossier = d.ID
		neither := w.grant(w.person.ID, p.ID)
		neither.Piece = ""
		for _, g := range []cleared.Grant{both, neither} {
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateGrant(g) })
			wantKind(t, "CreateGrant on both or neither of a piece and a dossier", err, cleared.ErrInvalid)
		}
	})
	t.Run("PersonGrants_active_only", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		other := newPerson(w.org.ID)
		p := w.piece(cleared.Secret, day(-1))
		d := w.dossier(cleared.Secret)
		active, onDossier := w.grant(w.person.ID, p.ID), w.grant(w.person.ID, d.ID)
		onDossier.From = day(-40)
		expired := w.grant(w.person.ID, p.ID)
		expired.From, expired.Until = day(-90), day(-60)
		future := w.grant(w.person.ID, p.ID)
		future.From = day(1)
		revoked := w.grant(w.person.ID, p.ID)
		revoked.Revoked = day(-1)
		othersGrant := w.grant(other.ID, p.ID)
		create(t, s, other, p, d, active, onDossier, expired, future, revoked, othersGrant)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.PersonGrants(w.person.ID, t0)
			same(t, "PersonGrants at t0, oldest first", got, []cleared.Grant{onDossier, active})
			return err
		})
	})
	t.Run("PieceGrants_all", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		other := w.piece(cleared.Secret, day(-1))
		g1 := w.grant(w.person.ID, p.ID)
		g2 := w.grant(w.person.ID, p.ID)
		g2.From, g2.Until, g2.Revoked = day(-100), day(-50), day(-70)
		create(t, s, p, other, g1, g2, w.grant(w.person.ID, other.ID))
		view(t, s, func(tx store.Tx) error {
			got, err := tx.PieceGrants(p.ID)
			same(t, "PieceGrants, active or not, oldest first", got, []cleared.Grant{g2, g1})
			return err
		})
	})
	t.Run("Revoke", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		g := w.grant(w.person.ID, p.ID)
		create(t, s, p, g)
		update(t, s, func(tx store.Tx) error { return tx.RevokeGrant(g.ID, t0) })
		g.Revoked = t0
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Grant(g.ID)
			same(t, "Grant after RevokeGrant", got, g)
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RevokeGrant(g.ID, day(1)) })
		wantKind(t, "RevokeGrant of a revoked grant", err, cleared.ErrConflict)
	})
	t.Run("Revoke_ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RevokeGrant(cleared.NewGrantID(), t0) })
		wantKind(t, "RevokeGrant of an unknown ID", err, cleared.ErrNotFound)
	})
}
