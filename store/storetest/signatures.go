package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// newSigningCertificate is a certificate of person issued by cleared's CA at issued, its key sealed.
func newSigningCertificate(w world, person cleared.PersonID, serial string, issued time.Time) cleared.SigningCertificate {
	der := []byte("certificate DER " + serial)
	f := sha256.Sum256(der)
	return cleared.SigningCertificate{Fingerprint: hex.EncodeToString(f[:]), Person: person, OrganisationID: w.org.ID,
		Issuer: cleared.IssuerCleared, Serial: serial, NotBefore: issued, NotAfter: issued.AddDate(2, 0, 0), DER: der,
		KEK: "kek-1", SealedKey: []byte("sealed key " + serial), Issued: issued, IssuedBy: w.person.ID}
}

func newSigningCA(w world, name string) cleared.SigningCA {
	der := []byte("CA DER " + name)
	f := sha256.Sum256(der)
	return cleared.SigningCA{Fingerprint: hex.EncodeToString(f[:]), OrganisationID: w.org.ID, Subject: "CN=" + name,
		DER: der, Imported: day(-20), ImportedBy: w.person.ID}
}

func testSigningCertificate(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		mine, later := newSigningCertificate(w, w.person.ID, "01", day(-10)), newSigningCertificate(w, w.person.ID, "02", day(-1))
		imported := newSigningCertificate(w, w.person.ID, "03", day(-5))
		imported.Issuer, imported.KEK, imported.SealedKey = newSigningCA(w, "x").Fingerprint, "", nil
		other := newPerson(w.org.ID)
		theirs := newSigningCertificate(w, other.ID, "04", day(-3))
		create(t, s, other, later, mine, imported, theirs)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.SigningCertificate(imported.Fingerprint)
			same(t, "SigningCertificate of an imported certificate", got, imported)
			if err != nil {
				return err
			}
			list, err := tx.PersonCertificates(w.person.ID)
			same(t, "PersonCertificates, oldest first", list, []cleared.SigningCertificate{mine, imported, later})
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.SigningCertificate(hex.EncodeToString(make([]byte, 32)))
			wantKind(t, "SigningCertificate of an unknown fingerprint", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := newSigningCertificate(w, w.person.ID, "01", day(-10))
		create(t, s, c)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateSigningCertificate(c) })
		wantKind(t, "CreateSigningCertificate with an existing fingerprint", err, cleared.ErrConflict)
		sameSerial := newSigningCertificate(w, w.person.ID, "01b", day(-10))
		sameSerial.Serial = c.Serial
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateSigningCertificate(sameSerial) })
		wantKind(t, "CreateSigningCertificate with an issuer's serial that exists", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid_unknown_person", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := newSigningCertificate(w, cleared.NewPersonID(), "01", day(-10))
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateSigningCertificate(c) })
		wantKind(t, "CreateSigningCertificate of an unknown person", err, cleared.ErrInvalid)
	})
	t.Run("E2_revoke", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := newSigningCertificate(w, w.person.ID, "01", day(-10))
		create(t, s, c)
		update(t, s, func(tx store.Tx) error { return tx.RevokeSigningCertificate(c.Fingerprint, t0, w.person.ID) })
		c.Revoked, c.RevokedBy = t0, w.person.ID
		view(t, s, func(tx store.Tx) error {
			got, err := tx.SigningCertificate(c.Fingerprint)
			same(t, "SigningCertificate after its revocation", got, c)
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RevokeSigningCertificate(c.Fingerprint, t0, w.person.ID) })
		wantKind(t, "RevokeSigningCertificate twice", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error {
			return tx.RevokeSigningCertificate(hex.EncodeToString(make([]byte, 32)), t0, w.person.ID)
		})
		wantKind(t, "RevokeSigningCertificate of an unknown certificate", err, cleared.ErrNotFound)
	})
}

func testSigningCA(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a, b := newSigningCA(w, "a"), newSigningCA(w, "b")
		b.Imported = day(-30)
		other := newWorld(t, s)
		create(t, s, a, b, newSigningCA(other, "c"))
		view(t, s, func(tx store.Tx) error {
			got, err := tx.SigningCAs(w.org.ID)
			same(t, "SigningCAs of the organisation, oldest first", got, []cleared.SigningCA{b, a})
			return err
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newSigningCA(w, "a")
		create(t, s, a)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateSigningCA(a) })
		wantKind(t, "CreateSigningCA twice", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid_unknown_organisation", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newSigningCA(w, "a")
		a.OrganisationID = cleared.NewOrganisationID()
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateSigningCA(a) })
		wantKind(t, "CreateSigningCA for an unknown organisation", err, cleared.ErrInvalid)
	})
}
