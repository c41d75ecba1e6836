package storetest

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// newDestruction is the record of the destruction of p by w's person at created, with a report.
func newDestruction(w world, p cleared.Piece, created time.Time) cleared.Destruction {
	return cleared.Destruction{ID: cleared.NewDestructionID(), Piece: p.ID, OrganisationID: p.OrganisationID,
		Level: p.Level, Marking: p.Marking(), Method: "crypto-shredding", DestroyedBy: w.person.ID, Created: created,
		Report: true, Document: []byte("PROCES-VERBAL\n" + string(p.ID) + "\n")}
}

func newSignature(d cleared.Destruction, n int, c cleared.SigningCertificate, signed time.Time) cleared.Signature {
	role := cleared.SignerDestroyer
	if n > 1 {
		role = cleared.SignerSecurityOfficer
	}
	return cleared.Signature{Destruction: d.ID, N: n, Role: role, Signer: c.Person, Certificate: c.Fingerprint,
		CMS: []byte("CMS " + c.Serial), Signed: signed}
}

func testDestruction(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-10))
		d := newDestruction(w, p, day(-1))
		low := w.piece(cleared.Restricted, day(-10))
		done := newDestruction(w, low, day(-2))
		done.Report, done.Document, done.Completed, done.Copy = false, nil, day(-2), "copy 2 of 3"
		create(t, s, p, low, d, done)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Destruction{d, done} {
				got, err := tx.Destruction(want.ID)
				same(t, "Destruction", got, want)
				if err != nil {
					return err
				}
			}
			got, err := tx.PieceDestructions(p.ID)
			same(t, "PieceDestructions", got, []cleared.Destruction{d})
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Destruction(cleared.NewDestructionID())
			wantKind(t, "Destruction of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CompleteDestruction(cleared.NewDestructionID(), t0) })
		wantKind(t, "CompleteDestruction of an unknown ID", err, cleared.ErrNotFound)
	})
	t.Run("ErrInvalid_unknown_piece", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		d := newDestruction(w, w.piece(cleared.Secret, day(-1)), t0)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateDestruction(d) })
		wantKind(t, "CreateDestruction of an unknown piece", err, cleared.ErrInvalid)
	})
	t.Run("A10.2_pending_until_completed", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a, b := w.piece(cleared.Secret, day(-10)), w.piece(cleared.TopSecret, day(-10))
		da, db := newDestruction(w, a, day(-2)), newDestruction(w, b, day(-1))
		other := newWorld(t, s)
		op := other.piece(cleared.Secret, day(-10))
		create(t, s, a, b, op, db, da, newDestruction(other, op, day(-1)))
		view(t, s, func(tx store.Tx) error {
			got, err := tx.PendingDestructions(w.org.ID)
			same(t, "PendingDestructions, oldest first, of the organisation only", got, []cleared.Destruction{da, db})
			return err
		})
		update(t, s, func(tx store.Tx) error { return tx.CompleteDestruction(da.ID, t0) })
		da.Completed = t0
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Destruction(da.ID)
			same(t, "Destruction once completed", got, da)
			if err != nil {
				return err
			}
			pending, err := tx.PendingDestructions(w.org.ID)
			same(t, "PendingDestructions without the completed one", pending, []cleared.Destruction{db})
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CompleteDestruction(da.ID, t0) })
		wantKind(t, "CompleteDestruction twice", err, cleared.ErrConflict)
	})
}

func testDestructionSignature(t *testing.T, open opener) {
	setup := func(t *testing.T) (store.Store, world, cleared.Destruction, cleared.SigningCertificate, cleared.SigningCertificate) {
		s := open(t)
		w := newWorld(t, s)
		officer := newPerson(w.org.ID)
		p := w.piece(cleared.Secret, day(-10))
		d := newDestruction(w, p, day(-1))
		mine, theirs := newSigningCertificate(w, w.person.ID, "01", day(-9)), newSigningCertificate(w, officer.ID, "02", day(-9))
		create(t, s, officer, p, d, mine, theirs)
		return s, w, d, mine, theirs
	}
	t.Run("OK", func(t *testing.T) {
		s, _, d, mine, theirs := setup(t)
		first, second := newSignature(d, 1, mine, day(-1)), newSignature(d, 2, theirs, t0)
		create(t, s, second, first)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.DestructionSignatures(d.ID)
			same(t, "DestructionSignatures by number", got, []cleared.Signature{first, second})
			return err
		})
	})
	t.Run("A10.2_one_signature_per_person", func(t *testing.T) {
		s, _, d, mine, _ := setup(t)
		create(t, s, newSignature(d, 1, mine, day(-1)))
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddDestructionSignature(newSignature(d, 2, mine, t0)) })
		wantKind(t, "AddDestructionSignature by the same signer twice", err, cleared.ErrConflict)
	})
	t.Run("ErrConflict_number", func(t *testing.T) {
		s, _, d, mine, theirs := setup(t)
		create(t, s, newSignature(d, 1, mine, day(-1)))
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddDestructionSignature(newSignature(d, 1, theirs, t0)) })
		wantKind(t, "AddDestructionSignature with a number that exists", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid_unknown_certificate", func(t *testing.T) {
		s, w, d, _, _ := setup(t)
		unknown := newSigningCertificate(w, w.person.ID, "99", day(-1))
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddDestructionSignature(newSignature(d, 1, unknown, t0)) })
		wantKind(t, "AddDestructionSignature with an unknown certificate", err, cleared.ErrInvalid)
	})
}
