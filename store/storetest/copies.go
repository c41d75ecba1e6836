package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// newCopyRequest is a pending request of w's person for n copies of piece.
func (w world) copyRequest(piece cleared.PieceID, n int) cleared.CopyRequest {
	return cleared.CopyRequest{ID: cleared.NewCopyRequestID(), Piece: piece, Copies: n, Reason: "briefing",
		RequestedBy: w.person.ID, Created: day(-2), Status: cleared.CopyRequestPending}
}

// copyOf is copy number n of piece, held by w's person.
func (w world) copyOf(piece cleared.PieceID, n int) cleared.Copy {
	return cleared.Copy{ID: cleared.NewCopyID(), Piece: piece, Number: n, Kind: cleared.Electronic, Holder: w.person.ID,
		OrganisationID: w.org.ID, Reason: "briefing", Created: day(-1), CreatedBy: w.person.ID}
}

func createCopies(t *testing.T, s store.Store, rs []cleared.CopyRequest, cs []cleared.Copy) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for _, r := range rs {
			if err := tx.CreateCopyRequest(r); err != nil {
				return err
			}
		}
		for _, c := range cs {
			if err := tx.CreateCopy(c); err != nil {
				return err
			}
		}
		return nil
	})
}

func testCopyRequest(t *testing.T, open opener) {
	t.Run("A9.4_round_trip_decision_and_use", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.TopSecret, day(-5))
		create(t, s, p)
		r := w.copyRequest(p.ID, 2)
		other := w.copyRequest(p.ID, 1)
		createCopies(t, s, []cleared.CopyRequest{r, other}, nil)
		r.Status, r.DecidedBy, r.DecidedAs, r.Decided, r.Note, r.Until, r.Used =
			cleared.CopyRequestApproved, w.person.ID, w.auth.ID, day(-1), "for the briefing", day(10), 1
		update(t, s, func(tx store.Tx) error { return tx.UpdateCopyRequest(r) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.CopyRequest(r.ID)
			if err != nil {
				return err
			}
			same(t, "CopyRequest", got, r)
			approved, err := tx.CopyRequests(store.CopyRequestQuery{Piece: p.ID, Status: cleared.CopyRequestApproved, Limit: 10})
			if err != nil {
				return err
			}
			same(t, "approved requests", approved, []cleared.CopyRequest{r})
			all, err := tx.CopyRequests(store.CopyRequestQuery{RequestedBy: w.person.ID, Limit: 10})
			if err != nil {
				return err
			}
			same(t, "requests of the person", len(all), 2)
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.CopyRequest(cleared.NewCopyRequestID())
			wantKind(t, "CopyRequest of an unknown ID", err, cleared.ErrNotFound)
			err = tx.UpdateCopyRequest(cleared.CopyRequest{ID: cleared.NewCopyRequestID()})
			wantKind(t, "UpdateCopyRequest of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
}

func testCopy(t *testing.T, open opener) {
	t.Run("A9.4_numbered_round_trip", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-5))
		pl := newPlace(w)
		create(t, s, p, pl)
		first, second := w.copyOf(p.ID, 1), w.copyOf(p.ID, 2)
		second.Kind, second.Location = cleared.Physical, pl.ID
		createCopies(t, s, nil, []cleared.Copy{second, first})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Copy(second.ID)
			if err != nil {
				return err
			}
			same(t, "Copy", got, second)
			cs, err := tx.PieceCopies(p.ID)
			if err != nil {
				return err
			}
			same(t, "PieceCopies, by number", cs, []cleared.Copy{first, second})
			return nil
		})
	})
	t.Run("A9.4_ErrConflict_number_taken", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-5))
		create(t, s, p)
		createCopies(t, s, nil, []cleared.Copy{w.copyOf(p.ID, 1)})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateCopy(w.copyOf(p.ID, 1)) })
		wantKind(t, "CreateCopy with a number the piece has", err, cleared.ErrConflict)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Copy(cleared.NewCopyID())
			wantKind(t, "Copy of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("A10.1_destroyed_copies_are_held_no_more", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		other := newPerson(w.org.ID)
		p := w.piece(cleared.Confidential, day(-5))
		create(t, s, other, p)
		mine, theirs := w.copyOf(p.ID, 1), w.copyOf(p.ID, 2)
		theirs.Holder = other.ID
		createCopies(t, s, nil, []cleared.Copy{mine, theirs})
		update(t, s, func(tx store.Tx) error { return tx.MarkCopyDestroyed(theirs.ID, day(0), w.person.ID) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.MarkCopyDestroyed(theirs.ID, day(0), w.person.ID) })
		wantKind(t, "MarkCopyDestroyed twice", err, cleared.ErrConflict)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Copy(theirs.ID)
			if err != nil {
				return err
			}
			same(t, "destroyed", got.Destroyed, day(0))
			same(t, "destroyed by", got.DestroyedBy, w.person.ID)
			byOrg, err := tx.HeldCopies(w.org.ID, "")
			if err != nil {
				return err
			}
			same(t, "HeldCopies of the organisation", byOrg, []cleared.Copy{mine})
			byHolder, err := tx.HeldCopies("", other.ID)
			if err != nil {
				return err
			}
			same(t, "HeldCopies of a holder whose copy was destroyed", len(byHolder), 0)
			return nil
		})
	})
}
