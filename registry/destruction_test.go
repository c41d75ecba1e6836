package registry_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/keyring/sign"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// unchanged fails t unless the piece is still whole: not destroyed, its content readable by reader.
func (e *env) whole(t *testing.T, id cleared.PieceID, reader cleared.Actor) {
	t.Helper()
	if _, _, err := e.svc.ReadContent(e.ctx, reader, id); err != nil {
		t.Fatalf("the piece should still be whole and readable: %v", err)
	}
}

// shredded fails t unless the piece is marked destroyed and its content opens for no one, even with the key ring
// (A10.1): its wrapped data key is erased, its ciphertext stays.
func (e *env) shredded(t *testing.T, id cleared.PieceID) {
	t.Helper()
	var p cleared.Piece
	var c store.Content
	err := e.st.View(e.ctx, func(tx store.Tx) (err error) {
		if p, err = tx.Piece(id); err != nil {
			return err
		}
		c, err = tx.Content(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.Destroyed.IsZero() {
		t.Error("the piece is not marked destroyed")
	}
	if len(c.WrappedKey) != 0 || len(c.Ciphertext) == 0 {
		t.Errorf("content after destruction: wrapped key %d bytes, ciphertext %d bytes; want the key erased and the ciphertext kept", len(c.WrappedKey), len(c.Ciphertext))
	}
	_, err = e.ring.Open(id, keyring.BindingOf(p), keyring.Sealed{KEK: c.KEK, WrappedKey: c.WrappedKey, Ciphertext: c.Ciphertext})
	if !errors.Is(err, keyring.ErrKeyDestroyed) {
		t.Errorf("opening the content with the key ring after destruction: %v, want ErrKeyDestroyed", err)
	}
	// Even the ciphertext alone, tried under every KEK's reach, is no plaintext: the data key is gone.
	if bytes.Contains(c.Ciphertext, []byte("SECRET")) {
		t.Error("the ciphertext holds the plaintext")
	}
}

// lastRefusal fails t unless the last audit entry records a refusal of action by rule.
func (e *env) lastRefusal(t *testing.T, action act.Name, rule string) {
	t.Helper()
	r := e.Last(t, 1)[0]
	if r.Allowed || r.Action != string(action) || r.Rule != rule {
		t.Errorf("last audit entry: %s allowed=%v rule=%q, want a refusal of %s by %s", r.Action, r.Allowed, r.Rule, action, rule)
	}
}

// TestDestroy_A10_2_secret_done_on_two_signatures_only is the law's case: a SECRET destruction is not done on one
// signature and is done on two, its content then unreadable (A10.1, A10.2, E2).
func TestDestroy_A10_2_secret_done_on_two_signatures_only(t *testing.T) {
	e := newEnv(t)
	tom, luc, anne := e.As("tom"), e.As("luc"), e.As("anne")
	d, err := e.svc.Destroy(e.ctx, tom, e.w.Secret.ID, registry.NewDestruction{})
	if err != nil {
		t.Fatalf("Tom destroys the SECRET note: %v", err)
	}
	if !d.Report || d.Done() || len(d.Document) == 0 {
		t.Fatalf("a SECRET destruction: report %v, done %v, document %d bytes; want a report awaiting its countersignature", d.Report, d.Done(), len(d.Document))
	}
	// One signature: not destroyed.
	e.whole(t, e.w.Secret.ID, tom)
	v, err := e.svc.Destruction(e.ctx, tom, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.State != "awaiting_countersignature" || len(v.Signatures) != 1 || !v.Signatures[0].Valid || v.Signatures[0].Signer != e.w.Tom.ID {
		t.Fatalf("after Tom's signature: %+v", v)
	}
	if v.CanCountersign {
		t.Error("Tom is offered to countersign his own destruction")
	}
	pending, err := e.svc.PendingCountersignatures(e.ctx, luc)
	if err != nil || len(pending) != 1 || pending[0].ID != d.ID {
		t.Fatalf("Luc's destructions to countersign = %v, %v; want this one", pending, err)
	}
	if other, _ := e.svc.PendingCountersignatures(e.ctx, anne); len(other) != 0 {
		t.Errorf("Anne, officer of another organisation, is asked to countersign %v", other)
	}

	t.Run("A10.2 Tom countersigns his own report", func(t *testing.T) {
		_, err := e.svc.Countersign(e.ctx, tom, d.ID, registry.Countersignature{})
		testenv.WantRule(t, err, "A10.2")
		e.lastRefusal(t, act.DestructionCountersign, "A10.2")
		e.whole(t, e.w.Secret.ID, tom)
	})
	t.Run("A10.2 the officer of another organisation", func(t *testing.T) {
		// Anne may not even know the destruction: she is not its organisation's officer and has no need-to-know.
		_, err := e.svc.Countersign(e.ctx, anne, d.ID, registry.Countersignature{})
		if !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("Anne countersigns: %v, want not found", err)
		}
		e.whole(t, e.w.Secret.ID, tom)
	})
	t.Run("A10.2 a holder who is no officer", func(t *testing.T) {
		_, err := e.svc.Countersign(e.ctx, e.As("sophie_zone"), d.ID, registry.Countersignature{})
		testenv.WantRule(t, err, "A10.2")
		e.whole(t, e.w.Secret.ID, tom)
	})
	t.Run("A10.1 a second destruction while one is pending", func(t *testing.T) {
		_, err := e.svc.Destroy(e.ctx, tom, e.w.Secret.ID, registry.NewDestruction{})
		if !errors.Is(err, cleared.ErrConflict) {
			t.Fatalf("a second destruction: %v, want a conflict", err)
		}
		e.lastRefusal(t, act.DestructionRecord, "A10.2")
	})

	// Two signatures: destroyed, the content gone for good.
	done, err := e.svc.Countersign(e.ctx, luc, d.ID, registry.Countersignature{})
	if err != nil {
		t.Fatalf("Luc countersigns: %v", err)
	}
	if !done.Done() {
		t.Fatal("the destruction is not complete after the countersignature")
	}
	e.shredded(t, e.w.Secret.ID)
	if _, _, err := e.svc.ReadContent(e.ctx, tom, e.w.Secret.ID); !errors.Is(err, cleared.ErrConflict) {
		t.Errorf("reading the destroyed piece: %v, want a conflict saying it was destroyed", err)
	}
	v, err = e.svc.Destruction(e.ctx, luc, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.State != "completed" || len(v.Signatures) != 2 || !v.Signatures[0].Valid || !v.Signatures[1].Valid ||
		v.Signatures[1].Role != cleared.SignerSecurityOfficer || v.Signatures[1].Signer != e.w.Luc.ID {
		t.Fatalf("after Luc's countersignature: %+v", v)
	}
	// The metadata and the report stay.
	if _, err := e.svc.DestructionDocument(e.ctx, luc, d.ID); err != nil {
		t.Errorf("the report after destruction: %v", err)
	}

	t.Run("A10.2 countersigning twice", func(t *testing.T) {
		_, err := e.svc.Countersign(e.ctx, luc, d.ID, registry.Countersignature{})
		if !errors.Is(err, cleared.ErrConflict) {
			t.Fatalf("countersigning a complete destruction: %v, want a conflict", err)
		}
		e.lastRefusal(t, act.DestructionCountersign, "A10.2")
	})
	t.Run("A10.1 a piece destroyed already", func(t *testing.T) {
		_, err := e.svc.Destroy(e.ctx, tom, e.w.Secret.ID, registry.NewDestruction{})
		if !errors.Is(err, cleared.ErrConflict) {
			t.Fatalf("destroying a destroyed piece: %v, want a conflict", err)
		}
		e.lastRefusal(t, act.DestructionRecord, "A10.1")
	})
	t.Run("E2 a signature stays valid after a later revocation", func(t *testing.T) {
		e.clock.Add(time.Minute)
		if _, err := e.svc.RevokeCertificate(e.ctx, luc, v.Signatures[0].Certificate); err != nil {
			t.Fatal(err)
		}
		after, err := e.svc.Destruction(e.ctx, luc, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !after.Signatures[0].Valid {
			t.Errorf("Tom's signature, made before his certificate was revoked, no longer verifies: %s", after.Signatures[0].Problem)
		}
	})
}

// A10.1: below SECRET the holder's destruction is done at once, without a report.
func TestDestroy_A10_1_below_secret_at_once(t *testing.T) {
	e := newEnv(t)
	lea := e.As("lea")
	d, err := e.svc.Destroy(e.ctx, lea, e.w.Confidential.ID, registry.NewDestruction{})
	if err != nil {
		t.Fatalf("Léa destroys the CONFIDENTIEL piece: %v", err)
	}
	if d.Report || !d.Done() || d.Method == "" {
		t.Fatalf("a CONFIDENTIEL destruction: %+v, want it complete at once without a report", d)
	}
	e.shredded(t, e.w.Confidential.ID)
	if _, err := e.svc.DestructionDocument(e.ctx, lea, d.ID); !errors.Is(err, cleared.ErrNotFound) {
		t.Errorf("the report of a destruction without one: %v, want not found", err)
	}
}

// A10.1: a stranger may not destroy, and learns nothing; nothing changes.
func TestDestroy_A10_1_stranger(t *testing.T) {
	e := newEnv(t)
	for _, who := range []string{"nina", "lea", "anne"} {
		_, err := e.svc.Destroy(e.ctx, e.As(who), e.w.Secret.ID, registry.NewDestruction{})
		if !errors.Is(err, cleared.ErrNotFound) {
			t.Errorf("%s destroys the SECRET note: %v, want not found", who, err)
		}
		e.lastRefusal(t, act.DestructionRecord, "A9.1")
	}
	e.whole(t, e.w.Secret.ID, e.As("tom"))
	// A8.2: a TRES SECRET piece is not destroyed from an office terminal.
	_, err := e.svc.Destroy(e.ctx, e.As("sophie_office"), e.w.TopSecret.ID, registry.NewDestruction{})
	testenv.WantRule(t, err, "A8.2")
}

// E2: a revoked certificate cannot sign; the security officer issues a new one, which does.
func TestDestroy_E2_revoked_certificate(t *testing.T) {
	e := newEnv(t)
	tom, luc := e.As("tom"), e.As("luc")
	c, err := e.svc.IssueCertificate(e.ctx, luc, e.w.Tom.ID)
	if err != nil {
		t.Fatalf("Luc issues Tom a signing certificate: %v", err)
	}
	if _, err := e.svc.IssueCertificate(e.ctx, tom, e.w.Tom.ID); err == nil {
		t.Error("Tom issued himself a certificate")
	} else {
		testenv.WantRule(t, err, "E2")
	}
	// Tom revokes every certificate he holds (the demo issued him one when he destroyed a note).
	certs, err := e.svc.PersonCertificates(e.ctx, tom, e.w.Tom.ID)
	if err != nil || len(certs) < 2 || certs[len(certs)-1].Fingerprint != c.Fingerprint {
		t.Fatalf("Tom's certificates: %v, %v", certs, err)
	}
	for _, c := range certs {
		if _, err := e.svc.RevokeCertificate(e.ctx, tom, c.Fingerprint); err != nil {
			t.Fatalf("Tom revokes his own certificate: %v", err)
		}
	}
	before := e.Size(t)
	_, err = e.svc.Destroy(e.ctx, tom, e.w.Secret.ID, registry.NewDestruction{})
	testenv.WantRule(t, err, "E2")
	if e.Size(t) != before+1 {
		t.Errorf("the refusal added %d audit entries, want 1", e.Size(t)-before)
	}
	e.lastRefusal(t, act.DestructionRecord, "E2")
	if ds, _, _ := e.svc.PieceDestructions(e.ctx, tom, e.w.Secret.ID); len(ds) != 0 {
		t.Fatalf("a refused destruction left a record: %v", ds)
	}
	e.whole(t, e.w.Secret.ID, tom)
	if _, err := e.svc.IssueCertificate(e.ctx, luc, e.w.Tom.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Destroy(e.ctx, tom, e.w.Secret.ID, registry.NewDestruction{}); err != nil {
		t.Fatalf("with a new certificate: %v", err)
	}
}

// E2: an expired certificate cannot sign.
func TestCountersign_E2_expired_certificate(t *testing.T) {
	e := newEnv(t)
	d, err := e.svc.Destroy(e.ctx, e.As("tom"), e.w.Secret.ID, registry.NewDestruction{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.IssueCertificate(e.ctx, e.As("luc"), e.w.Luc.ID); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(sign.PersonLifetime + 24*time.Hour)
	_, err = e.svc.Countersign(e.ctx, e.As("luc"), d.ID, registry.Countersignature{})
	testenv.WantRule(t, err, "E2")
	e.lastRefusal(t, act.DestructionCountersign, "E2")
}

// orgPKI is a ministry's own PKI: its CA imported into cleared, certificates issued by it to persons and
// registered.
type orgPKI struct {
	ca *sign.CA
}

func (o orgPKI) issue(t *testing.T, e *env, p cleared.Person) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	der, key, err := o.ca.Issue(sign.Holder{Person: p.ID, Name: p.Name, Organisation: p.OrganisationID}, e.clock.Now(), time.Hour*24*30)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	if _, err := e.svc.ImportCertificate(e.ctx, e.As("luc"), p.ID, sign.EncodePEM(der)); err != nil {
		t.Fatalf("Luc imports the certificate of %s: %v", p.Name, err)
	}
	return cert, key
}

// E2: a signature made outside cleared with the organisation's PKI is accepted over the report and by its
// holder only: not over another document, not by another person, not after a revocation.
func TestCountersign_E2_organisation_PKI(t *testing.T) {
	e := newEnv(t)
	tom, luc := e.As("tom"), e.As("luc")
	ca, err := sign.NewCA("Ministère PKI", e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ImportCA(e.ctx, luc, e.w.Ministry.ID, ca.CertPEM()); err == nil {
		t.Fatal("a security officer imported a CA")
	}
	if _, err := e.svc.ImportCA(e.ctx, e.As("helene"), e.w.Ministry.ID, ca.CertPEM()); err != nil {
		t.Fatalf("the NSA imports the ministry's CA: %v", err)
	}
	// Tom signs his report with the certificate cleared issues him at first use; his ministry certificate comes
	// after (one who holds only his organisation's signs outside cleared).
	d, err := e.svc.Destroy(e.ctx, tom, e.w.Secret.ID, registry.NewDestruction{})
	if err != nil {
		t.Fatal(err)
	}
	pki := orgPKI{ca}
	lucCert, lucKey := pki.issue(t, e, e.w.Luc)
	tomCert, tomKey := pki.issue(t, e, e.w.Tom)
	sig := func(doc []byte, cert *x509.Certificate, key *ecdsa.PrivateKey) []byte {
		s, err := sign.Sign(doc, cert, key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	t.Run("E2 a signature over another document", func(t *testing.T) {
		other := append(bytes.Clone(d.Document), []byte("method: something else\n")...)
		_, err := e.svc.Countersign(e.ctx, luc, d.ID, registry.Countersignature{Signature: sig(other, lucCert, lucKey)})
		testenv.WantRule(t, err, "E2")
		e.lastRefusal(t, act.DestructionCountersign, "E2")
		e.whole(t, e.w.Secret.ID, tom)
	})
	t.Run("E2 a signature by another person", func(t *testing.T) {
		_, err := e.svc.Countersign(e.ctx, luc, d.ID, registry.Countersignature{Signature: sig(d.Document, tomCert, tomKey)})
		testenv.WantRule(t, err, "E2")
		e.whole(t, e.w.Secret.ID, tom)
	})
	t.Run("E2 a signature by a certificate of an unknown CA", func(t *testing.T) {
		stranger, _ := sign.NewCA("elsewhere", e.clock.Now())
		der, key, _ := stranger.Issue(sign.Holder{Person: e.w.Luc.ID, Name: e.w.Luc.Name}, e.clock.Now(), 30*24*time.Hour)
		cert, _ := x509.ParseCertificate(der)
		_, err := e.svc.Countersign(e.ctx, luc, d.ID, registry.Countersignature{Signature: sig(d.Document, cert, key)})
		testenv.WantRule(t, err, "E2")
	})
	t.Run("E2 garbage", func(t *testing.T) {
		_, err := e.svc.Countersign(e.ctx, luc, d.ID, registry.Countersignature{Signature: []byte("not a signature")})
		testenv.WantRule(t, err, "E2")
	})
	t.Run("E2 a signature after the revocation", func(t *testing.T) {
		good := sig(d.Document, lucCert, lucKey)
		if _, err := e.svc.RevokeCertificate(e.ctx, luc, sign.Fingerprint(lucCert.Raw)); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.Countersign(e.ctx, luc, d.ID, registry.Countersignature{Signature: good})
		testenv.WantRule(t, err, "E2")
		e.whole(t, e.w.Secret.ID, tom)
	})
	lucCert, lucKey = pki.issue(t, e, e.w.Luc)
	if _, err := e.svc.Countersign(e.ctx, luc, d.ID, registry.Countersignature{Signature: sig(d.Document, lucCert, lucKey)}); err != nil {
		t.Fatalf("Luc countersigns with his ministry certificate: %v", err)
	}
	e.shredded(t, e.w.Secret.ID)
	v, err := e.svc.Destruction(e.ctx, tom, d.ID)
	if err != nil || len(v.Signatures) != 2 || !v.Signatures[1].Valid {
		t.Fatalf("the report after the countersignature: %+v, %v", v, err)
	}
}

// A1.1: a NATO piece's destruction is reported from NATO SECRET, as the NATO profile asks; the law asks the same
// from SECRET, so the profile's duty is met by the same report.
func TestDestroy_A1_1_profile_duty(t *testing.T) {
	e := newEnv(t)
	d, err := e.svc.Destroy(e.ctx, e.As("sophie_zone"), e.w.NATO.ID, registry.NewDestruction{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Report || d.Done() || d.Marking != "NATO SECRET / SECRET LUX" {
		t.Fatalf("a NATO SECRET destruction: %+v", d)
	}
}

// A10.1, A10.2: the custodian of a physical SECRET piece destroys it, saying how; the SRE's officer countersigns.
func TestDestroy_A10_2_physical_piece_by_its_custodian(t *testing.T) {
	e := newEnv(t)
	p, err := e.svc.Classify(e.ctx, e.As("director"), registry.NewPiece{Authority: e.w.DirectorAuth.ID, Kind: cleared.Physical,
		Title: "Carnet de sources", Level: cleared.Secret, Reasons: []cleared.Reason{cleared.ReasonSecurity},
		ReviewOn: e.clock.Now().AddDate(1, 0, 0), Custodian: e.w.Sophie.ID, Location: e.w.Office.ID})
	if err != nil {
		t.Fatal(err)
	}
	sophie := testenv.Who(e.w.Sophie, e.w.OfficeTerm.ID)
	if _, err := e.svc.Destroy(e.ctx, sophie, p.ID, registry.NewDestruction{}); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("a physical piece destroyed without saying how: %v, want invalid", err)
	}
	if _, err := e.svc.Destroy(e.ctx, e.As("tom"), p.ID, registry.NewDestruction{Method: "broyé"}); !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("Tom, neither custodian nor holder, destroys it: %v", err)
	}
	d, err := e.svc.Destroy(e.ctx, sophie, p.ID, registry.NewDestruction{Method: "broyé (niveau P-5)"})
	if err != nil {
		t.Fatalf("the custodian destroys it: %v", err)
	}
	if !d.Report || d.Done() || !bytes.Contains(d.Document, []byte("method: broyé (niveau P-5)\n")) {
		t.Fatalf("the physical piece's destruction: %+v\n%s", d, d.Document)
	}
	if _, err := e.svc.Countersign(e.ctx, e.As("anne"), d.ID, registry.Countersignature{}); err != nil {
		t.Fatalf("Anne, the SRE's security officer, countersigns: %v", err)
	}
	err = e.st.View(e.ctx, func(tx store.Tx) error {
		got, err := tx.Piece(p.ID)
		if err == nil && got.Destroyed.IsZero() {
			t.Error("the physical piece is not marked destroyed")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// E2: a signature made after its certificate's revocation does not verify as valid, though its bytes are a
// correct CMS signature over the report: the record of the revocation decides, at the signature's time.
func TestDestruction_E2_signature_after_revocation_is_not_valid(t *testing.T) {
	e := newEnv(t)
	d, err := e.svc.Destroy(e.ctx, e.As("tom"), e.w.Secret.ID, registry.NewDestruction{})
	if err != nil {
		t.Fatal(err)
	}
	helene := e.As("helene")
	c, err := e.svc.IssueCertificate(e.ctx, helene, e.w.Helene.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Minute)
	if _, err := e.svc.RevokeCertificate(e.ctx, helene, c.Fingerprint); err != nil {
		t.Fatal(err)
	}
	// A signature with the revoked key, as one who held the key could still make it, recorded after the
	// revocation (through the store: no service path accepts it).
	key, err := sign.OpenKey(e.ring, c.Fingerprint, c.KEK, c.SealedKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(c.DER)
	cms, err := sign.Sign(d.Document, cert, key)
	if err != nil {
		t.Fatal(err)
	}
	err = e.st.Update(e.ctx, func(tx store.Tx) error {
		return tx.AddDestructionSignature(cleared.Signature{Destruction: d.ID, N: 2, Role: cleared.SignerSecurityOfficer,
			Signer: e.w.Helene.ID, Certificate: c.Fingerprint, CMS: cms, Signed: e.clock.Now().Add(time.Minute)})
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.Destruction(e.ctx, helene, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Signatures) != 2 || !v.Signatures[0].Valid || v.Signatures[1].Valid || v.Signatures[1].Problem == "" {
		t.Fatalf("signatures: %+v", v.Signatures)
	}
}
