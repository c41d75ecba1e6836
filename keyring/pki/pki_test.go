package pki_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/keyring/pki"
)

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func newCA(t testing.TB) *pki.CA {
	t.Helper()
	ca, err := pki.NewCA("cleared test CA", now)
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func parse(t testing.TB, certPEM []byte) *x509.Certificate {
	t.Helper()
	c, err := pki.ParseCertificate(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// verifyClient verifies a terminal certificate as the TLS server does (tls.VerifyClientCertIfGiven).
func verifyClient(c *x509.Certificate, roots *x509.CertPool, at time.Time) error {
	_, err := c.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	return err
}

func TestCA_IssueTerminal(t *testing.T) {
	ca := newCA(t)
	id := cleared.NewTerminalID()
	certPEM, keyPEM, serial, fp, err := ca.IssueTerminal(id, now, 365*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c := parse(t, certPEM)
	t.Run("A8.2 A9.3 the certificate names the terminal and chains to our CA", func(t *testing.T) {
		if c.Subject.CommonName != string(id) {
			t.Errorf("CommonName %q, want the terminal ID %s", c.Subject.CommonName, id)
		}
		if err := verifyClient(c, ca.Pool(), now.Add(time.Hour)); err != nil {
			t.Fatalf("chain does not verify: %v", err)
		}
	})
	t.Run("it is for client authentication only", func(t *testing.T) {
		if len(c.ExtKeyUsage) != 1 || c.ExtKeyUsage[0] != x509.ExtKeyUsageClientAuth || c.IsCA {
			t.Fatalf("ext key usage %v, CA %v", c.ExtKeyUsage, c.IsCA)
		}
		_, err := c.Verify(x509.VerifyOptions{Roots: ca.Pool(), CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		if err == nil {
			t.Fatal("a terminal certificate verifies as a server's")
		}
	})
	t.Run("serial is random 128-bit, fingerprint is the SHA-256 of the DER", func(t *testing.T) {
		if len(serial) != 32 || c.SerialNumber.Text(16) != trimZeros(serial) {
			t.Errorf("serial %q, certificate's %s", serial, c.SerialNumber.Text(16))
		}
		if !bytes.Equal(fp, pki.Fingerprint(c.Raw)) || len(fp) != 32 {
			t.Errorf("fingerprint %x", fp)
		}
		_, _, serial2, fp2, err := ca.IssueTerminal(id, now, time.Hour)
		if err != nil || serial2 == serial || bytes.Equal(fp, fp2) {
			t.Fatalf("a second certificate repeats the first: %s %v", serial2, err)
		}
	})
	t.Run("the key matches the certificate", func(t *testing.T) {
		if _, err := tls.X509KeyPair(certPEM, keyPEM); err != nil {
			t.Fatal(err)
		}
		if b, _ := pem.Decode(keyPEM); b == nil || b.Type != "PRIVATE KEY" {
			t.Fatal("key is not a PKCS#8 PEM block")
		}
	})
	t.Run("an expired certificate is refused", func(t *testing.T) {
		if err := verifyClient(c, ca.Pool(), now.Add(365*24*time.Hour+time.Second)); err == nil {
			t.Fatal("verified after its end")
		}
		var inv x509.CertificateInvalidError
		if err := verifyClient(c, ca.Pool(), now.Add(366*24*time.Hour)); !errors.As(err, &inv) || inv.Reason != x509.Expired {
			t.Fatalf("want expired, got %v", err)
		}
	})
	t.Run("a certificate of another CA is refused", func(t *testing.T) {
		other := newCA(t)
		if err := verifyClient(c, other.Pool(), now); err == nil {
			t.Fatal("verified against another CA")
		}
		forged, _, _, _, err := other.IssueTerminal(id, now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := verifyClient(parse(t, forged), ca.Pool(), now); err == nil {
			t.Fatal("another CA's certificate for the same terminal verified against ours")
		}
	})
	t.Run("a certificate ends no later than its CA", func(t *testing.T) {
		long, _, _, _, err := ca.IssueTerminal(id, now, 20*366*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if got := parse(t, long).NotAfter; !got.Equal(ca.Certificate().NotAfter) {
			t.Fatalf("ends %s, CA ends %s", got, ca.Certificate().NotAfter)
		}
	})
	t.Run("bad input is refused", func(t *testing.T) {
		for name, f := range map[string]func() error{
			"malformed terminal": func() error { _, _, _, _, err := ca.IssueTerminal("bob", now, time.Hour); return err },
			"zero ttl":           func() error { _, _, _, _, err := ca.IssueTerminal(id, now, 0); return err },
			"after the CA ends": func() error {
				_, _, _, _, err := ca.IssueTerminal(id, now.Add(pki.CALifetime), time.Hour)
				return err
			},
		} {
			if err := f(); !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("%s: %v, want ErrInvalid", name, err)
			}
		}
	})
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

func TestCA_IssueServer(t *testing.T) {
	ca := newCA(t)
	certPEM, keyPEM, err := ca.IssueServer([]string{"cleared.example.lu", "localhost", "127.0.0.1", "::1"}, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c := parse(t, certPEM)
	for _, host := range []string{"cleared.example.lu", "localhost", "127.0.0.1", "::1"} {
		_, err := c.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: host, CurrentTime: now})
		if err != nil {
			t.Errorf("%s: %v", host, err)
		}
	}
	if _, err := c.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "evil.example", CurrentTime: now}); err == nil {
		t.Error("verified for a host it does not name")
	}
	if len(c.IPAddresses) != 2 || !c.IPAddresses[1].Equal(net.IPv6loopback) {
		t.Errorf("IP SANs %v", c.IPAddresses)
	}
	if err := verifyClient(c, ca.Pool(), now); err == nil {
		t.Error("a server certificate verifies as a terminal's")
	}
	if _, err := tls.X509KeyPair(certPEM, keyPEM); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{nil, {""}, {"a b"}, {"http://x"}} {
		if _, _, err := ca.IssueServer(bad, now, time.Hour); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("hosts %q: %v", bad, err)
		}
	}
}

func TestLoadCA(t *testing.T) {
	ca := newCA(t)
	t.Run("round trip", func(t *testing.T) {
		back, err := pki.LoadCA(ca.CertPEM(), ca.KeyDER())
		if err != nil {
			t.Fatal(err)
		}
		certPEM, _, _, _, err := back.IssueTerminal(cleared.NewTerminalID(), now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := verifyClient(parse(t, certPEM), ca.Pool(), now); err != nil {
			t.Fatalf("a certificate of the reloaded CA does not verify against the original: %v", err)
		}
	})
	t.Run("the key ring keeps it", func(t *testing.T) {
		ring, _ := keyring.New()
		if _, err := pki.FromRing(ring); !errors.Is(err, pki.ErrNoCA) {
			t.Fatalf("empty ring: %v", err)
		}
		ca.Store(ring)
		back, err := pki.FromRing(ring)
		if err != nil || !back.Certificate().Equal(ca.Certificate()) {
			t.Fatalf("%v", err)
		}
	})
	other := newCA(t)
	leaf, _, _, _, _ := ca.IssueTerminal(cleared.NewTerminalID(), now, time.Hour)
	tests := []struct {
		name    string
		cert    []byte
		key     []byte
		wantErr bool
	}{
		{"another CA's certificate with our key", other.CertPEM(), ca.KeyDER(), true},
		{"our certificate with another key", ca.CertPEM(), other.KeyDER(), true},
		{"a terminal certificate is no CA", leaf, ca.KeyDER(), true},
		{"no PEM", []byte("hello"), ca.KeyDER(), true},
		{"trailing data", append(ca.CertPEM(), "junk"...), ca.KeyDER(), true},
		{"a key PEM instead of DER", ca.CertPEM(), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ca.KeyDER()}), true},
		{"empty key", ca.CertPEM(), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pki.LoadCA(tt.cert, tt.key)
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
		})
	}
	t.Run("every mangled byte of the key is refused or harmless", func(t *testing.T) {
		der := ca.KeyDER()
		for i := range der {
			b := bytes.Clone(der)
			b[i] ^= 0x55
			got, err := pki.LoadCA(ca.CertPEM(), b)
			if err == nil && !bytes.Equal(got.KeyDER(), der) {
				t.Fatalf("byte %d: a different key loaded as our CA's", i)
			}
		}
	})
	t.Run("String hides the key", func(t *testing.T) {
		if s := ca.String(); bytes.Contains([]byte(s), []byte(hex.EncodeToString(ca.KeyDER()))) || s == "" {
			t.Fatal(s)
		}
	})
}

// FuzzLoadCA feeds LoadCA arbitrary bytes, as a damaged or altered data folder would: it must not panic, and it
// must accept nothing but a CA whose key matches its certificate.
func FuzzLoadCA(f *testing.F) {
	ca := newCA(f)
	f.Add(ca.CertPEM(), ca.KeyDER())
	f.Add(ca.CertPEM(), []byte{})
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), ca.KeyDER())
	f.Fuzz(func(t *testing.T, certPEM, keyDER []byte) {
		got, err := pki.LoadCA(certPEM, keyDER)
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("error of no kind: %v", err)
			}
			return
		}
		if _, _, _, _, err := got.IssueTerminal(cleared.NewTerminalID(), got.Certificate().NotBefore.Add(time.Hour), time.Hour); err != nil {
			t.Fatalf("a loaded CA cannot issue: %v", err)
		}
	})
}

// FuzzParseCertificate: the parser of a certificate file must not panic on any input.
func FuzzParseCertificate(f *testing.F) {
	ca := newCA(f)
	f.Add(ca.CertPEM())
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := pki.ParseCertificate(b); err != nil && !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("error of no kind: %v", err)
		}
	})
}
