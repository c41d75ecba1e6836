package sign_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/keyring/sign"
)

var now = time.Now().UTC().Truncate(time.Second)

func issue(t *testing.T, ca *sign.CA, h sign.Holder) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	der, key, err := ca.Issue(h, now, sign.PersonLifetime)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func newCA(t *testing.T) (*sign.CA, *x509.CertPool) {
	t.Helper()
	ca, err := sign.NewCA("test signing CA", now)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.Certificate())
	return ca, pool
}

// E2: a signature over a document verifies with the CA, names its signer, and fails over any other bytes.
func TestSignVerify(t *testing.T) {
	ca, pool := newCA(t)
	person := cleared.NewPersonID()
	cert, key := issue(t, ca, sign.Holder{Person: person, Name: "Tom Weber", Organisation: cleared.NewOrganisationID()})
	if got := sign.PersonOf(cert); got != person {
		t.Fatalf("PersonOf = %q, want %q", got, person)
	}
	doc := []byte("PROCES-VERBAL DE DESTRUCTION\npiece: pce_x\n")
	sig, err := sign.Sign(doc, cert, key)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sign.Verify(sig, doc, pool, now)
	if err != nil {
		t.Fatalf("Verify of a good signature: %v", err)
	}
	if !s.Certificate.Equal(cert) || s.Time.IsZero() {
		t.Errorf("Verify = %v at %v, want the signer's certificate and a signing time", s.Certificate.Subject, s.Time)
	}
	t.Run("E2 another document", func(t *testing.T) {
		if _, err := sign.Verify(sig, append(bytes.Clone(doc), ' '), pool, now); !errors.Is(err, sign.ErrBadSignature) {
			t.Errorf("a signature over another document verified: %v", err)
		}
	})
	t.Run("E2 another CA", func(t *testing.T) {
		_, other := newCA(t)
		if _, err := sign.Verify(sig, doc, other, now); !errors.Is(err, sign.ErrBadSignature) {
			t.Errorf("a signature by a certificate of another CA verified: %v", err)
		}
	})
	t.Run("E2 expired certificate", func(t *testing.T) {
		if _, err := sign.Verify(sig, doc, pool, now.Add(3*sign.PersonLifetime)); !errors.Is(err, sign.ErrBadSignature) {
			t.Errorf("a certificate past its end verified: %v", err)
		}
	})
	t.Run("E2 every byte mangled", func(t *testing.T) {
		for i := range sig {
			bad := bytes.Clone(sig)
			bad[i] ^= 0x40
			if _, err := sign.Verify(bad, doc, pool, now); err == nil {
				// A byte of an unsigned part (the certificate's copy is checked by its own signature) must still
				// fail somewhere; none may pass.
				t.Errorf("signature with byte %d of %d changed verified", i, len(sig))
			}
		}
	})
}

// E2: the signature verifies offline with openssl, the CA certificate its only trust.
func TestOpenSSLVerifies(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed (.ci/run installs it)")
	}
	ca, _ := newCA(t)
	cert, key := issue(t, ca, sign.Holder{Person: cleared.NewPersonID(), Name: "Léa Muller", Organisation: cleared.NewOrganisationID()})
	doc := []byte("procès-verbal\r\nbytes as they are\x00\xff")
	sig, err := sign.Sign(doc, cert, key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	caFile, docFile, sigFile := write("ca.pem", ca.CertPEM()), write("doc", doc), write("sig.der", sig)
	out, err := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", sigFile, "-content", docFile,
		"-CAfile", caFile, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl cms -verify: %v\n%s", err, out)
	}
	// Cross-check with an independent implementation: what openssl signs with the same key, Verify accepts.
	pk, _ := x509.MarshalPKCS8PrivateKey(key)
	keyFile := write("signer.key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}))
	certFile := write("signer.pem", sign.EncodePEM(cert.Raw))
	osig := filepath.Join(dir, "openssl.der")
	if out, err := exec.Command(openssl, "cms", "-sign", "-binary", "-in", docFile, "-signer", certFile, "-inkey", keyFile,
		"-md", "sha256", "-outform", "DER", "-out", osig).CombinedOutput(); err != nil {
		t.Fatalf("openssl cms -sign: %v\n%s", err, out)
	}
	ob, _ := os.ReadFile(osig)
	pool := x509.NewCertPool()
	pool.AddCert(ca.Certificate())
	if s, err := sign.Verify(ob, doc, pool, time.Time{}); err != nil || !s.Certificate.Equal(cert) {
		t.Errorf("Verify of openssl's signature: %v", err)
	}
	other := write("other", []byte("another document"))
	if out, err := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", sigFile, "-content", other,
		"-CAfile", caFile, "-purpose", "any", "-out", os.DevNull).CombinedOutput(); err == nil {
		t.Fatalf("openssl verified the signature over another document:\n%s", out)
	}
}

func TestRingKeepsCAAndKeys(t *testing.T) {
	r, _ := keyring.New()
	ca, created, err := sign.Ensure(r, now)
	if err != nil || !created {
		t.Fatalf("Ensure on an empty ring = %v, %v", created, err)
	}
	again, created, err := sign.Ensure(r, now)
	if err != nil || created || !again.Certificate().Equal(ca.Certificate()) {
		t.Fatalf("Ensure again = %v, %v: want the same CA", created, err)
	}
	cert, key := issue(t, ca, sign.Holder{Person: cleared.NewPersonID(), Name: "Max", Organisation: cleared.NewOrganisationID()})
	fp := sign.Fingerprint(cert.Raw)
	kek, sealed, err := sign.SealKey(r, fp, key)
	if err != nil {
		t.Fatal(err)
	}
	if raw, err := key.Bytes(); err != nil || bytes.Contains(sealed, raw) {
		t.Fatal("the sealed key holds the private scalar in clear")
	}
	got, err := sign.OpenKey(r, fp, kek, sealed)
	if err != nil || !got.Equal(key) {
		t.Fatalf("OpenKey = %v: want the key sealed", err)
	}
	if _, err := sign.OpenKey(r, sign.Fingerprint([]byte("another")), kek, sealed); !errors.Is(err, keyring.ErrCorrupt) {
		t.Fatalf("a sealed key opened for another certificate: %v", err)
	}
}
