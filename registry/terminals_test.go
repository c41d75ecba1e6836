package registry_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// newCA gives the env's service a terminal CA in its key ring, as cleared init does.
func (e *env) newCA(t *testing.T) *pki.CA {
	t.Helper()
	ca, err := pki.NewCA("cleared test CA", e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	ca.Store(e.ring)
	got, err := e.svc.TerminalCA()
	if err != nil || !got.Certificate().Equal(ca.Certificate()) {
		t.Fatalf("the service does not find the CA in its ring: %v", err)
	}
	return got
}

// issue issues a certificate to terminal id and returns it with its record.
func (e *env) issue(t *testing.T, ca *pki.CA, id cleared.TerminalID, ttl time.Duration) ([]byte, cleared.TerminalCertificate) {
	t.Helper()
	certPEM, keyPEM, c, err := e.svc.IssueTerminalCertificate(e.ctx, registry.NewTerminalCertificate{Terminal: id, TTL: ttl}, ca)
	if err != nil {
		t.Fatal(err)
	}
	if len(keyPEM) == 0 {
		t.Fatal("no private key returned")
	}
	return certPEM, c
}

func TestTerminalCertificates(t *testing.T) {
	e := newEnv(t)
	w := e.w
	if _, err := e.svc.TerminalCA(); !errors.Is(err, pki.ErrNoCA) {
		t.Fatalf("a ring without a CA: %v, want pki.ErrNoCA", err)
	}
	ca := e.newCA(t)

	t.Run("issue records the certificate and its audit entry", func(t *testing.T) {
		before := e.size(t)
		certPEM, c := e.issue(t, ca, w.ZoneTerm.ID, 24*time.Hour)
		cert, err := pki.ParseCertificate(certPEM)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(c.Fingerprint, pki.Fingerprint(cert.Raw)) || c.Terminal != w.ZoneTerm.ID || c.IssuedBy != w.Anne.ID ||
			!c.NotAfter.Equal(cert.NotAfter) || c.Serial == "" {
			t.Fatalf("record %+v does not describe the certificate", c)
		}
		if got := e.size(t); got != before+1 {
			t.Fatalf("log grew by %d entries, want 1", got-before)
		}
		r := e.last(t, 1)[0]
		if r.Entry.Action != "terminal.certificate.issue" || !r.Entry.Allowed || r.Entry.Object != string(w.ZoneTerm.ID) || r.Entry.Actor != w.Anne.ID {
			t.Fatalf("entry %+v", r.Entry)
		}
		var stored []cleared.TerminalCertificate
		if err := e.st.View(e.ctx, func(tx store.Tx) (err error) { stored, err = tx.TerminalCertificates(w.ZoneTerm.ID); return err }); err != nil || len(stored) != 1 {
			t.Fatalf("stored %v %v", stored, err)
		}
	})
	t.Run("A8.2 A9.3 a good certificate names its terminal, without an audit entry", func(t *testing.T) {
		_, c := e.issue(t, ca, w.OfficeTerm.ID, 24*time.Hour)
		before := e.size(t)
		id, err := e.Auth.TerminalByCertificate(e.ctx, c.Fingerprint)
		if err != nil || id != w.OfficeTerm.ID {
			t.Fatalf("got %s %v, want %s", id, err, w.OfficeTerm.ID)
		}
		if e.size(t) != before {
			t.Fatal("a good certificate was logged: every request would double the log")
		}
	})
	t.Run("issue names who issued it if asked", func(t *testing.T) {
		_, _, c, err := e.svc.IssueTerminalCertificate(e.ctx, registry.NewTerminalCertificate{Terminal: w.Kiosk.ID, IssuedBy: w.Helene.ID, TTL: time.Hour}, ca)
		if err != nil || c.IssuedBy != w.Helene.ID {
			t.Fatalf("%+v %v", c, err)
		}
	})
	t.Run("issue refuses bad input", func(t *testing.T) {
		tests := []struct {
			name string
			in   registry.NewTerminalCertificate
			ca   *pki.CA
			want error
		}{
			{"missing terminal", registry.NewTerminalCertificate{Terminal: cleared.NewTerminalID(), TTL: time.Hour}, ca, cleared.ErrNotFound},
			{"malformed terminal", registry.NewTerminalCertificate{Terminal: "trm_x", TTL: time.Hour}, ca, cleared.ErrInvalid},
			{"unknown issuer", registry.NewTerminalCertificate{Terminal: w.ZoneTerm.ID, IssuedBy: cleared.NewPersonID(), TTL: time.Hour}, ca, cleared.ErrNotFound},
			{"zero TTL", registry.NewTerminalCertificate{Terminal: w.ZoneTerm.ID, TTL: 0}, ca, cleared.ErrInvalid},
			{"TTL over a year", registry.NewTerminalCertificate{Terminal: w.ZoneTerm.ID, TTL: 400 * 24 * time.Hour}, ca, cleared.ErrInvalid},
			{"no CA", registry.NewTerminalCertificate{Terminal: w.ZoneTerm.ID, TTL: time.Hour}, nil, cleared.ErrUnavailable},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := e.size(t)
				_, _, _, err := e.svc.IssueTerminalCertificate(e.ctx, tt.in, tt.ca)
				if !errors.Is(err, tt.want) {
					t.Fatalf("got %v, want %v", err, tt.want)
				}
				if e.size(t) != before {
					t.Fatal("a refused issue was logged as done")
				}
			})
		}
	})

	t.Run("A9.2 only the organisation's security officer or the NSA revokes a terminal", func(t *testing.T) {
		before := e.size(t)
		for _, key := range []string{"luc", "sophie_zone", "paul"} {
			err := e.svc.RevokeTerminal(e.ctx, e.as(key), w.ZoneTerm.ID)
			wantRule(t, err, "A9.2")
		}
		rs := e.last(t, 3)
		for _, r := range rs {
			if r.Entry.Action != "terminal.revoke" || r.Entry.Allowed || r.Entry.Rule != "A9.2" || r.Entry.Object != string(w.ZoneTerm.ID) {
				t.Errorf("refusal not recorded: %+v", r.Entry)
			}
		}
		if e.size(t) != before+3 {
			t.Fatalf("log grew by %d, want 3 refusals", e.size(t)-before)
		}
		if err := e.svc.RevokeTerminal(e.ctx, e.as("anne"), cleared.NewTerminalID()); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("missing terminal: %v", err)
		}
	})

	// The zone terminal, with two certificates, is revoked by the SRE's security officer.
	_, second := e.issue(t, ca, w.ZoneTerm.ID, time.Hour)
	if err := e.svc.RevokeTerminal(e.ctx, e.as("anne"), w.ZoneTerm.ID); err != nil {
		t.Fatalf("A9.2 the organisation's security officer revokes its terminal: %v", err)
	}
	if r := e.last(t, 1)[0]; r.Entry.Action != "terminal.revoke" || !r.Entry.Allowed || r.Entry.Actor != w.Anne.ID {
		t.Fatalf("revocation entry %+v", r.Entry)
	}
	t.Run("a revoked terminal cannot be revoked again nor get a certificate", func(t *testing.T) {
		if err := e.svc.RevokeTerminal(e.ctx, e.as("anne"), w.ZoneTerm.ID); !errors.Is(err, cleared.ErrConflict) {
			t.Fatalf("second revocation: %v", err)
		}
		_, _, _, err := e.svc.IssueTerminalCertificate(e.ctx, registry.NewTerminalCertificate{Terminal: w.ZoneTerm.ID, TTL: time.Hour}, ca)
		if !errors.Is(err, cleared.ErrConflict) {
			t.Fatalf("issue to a revoked terminal: %v", err)
		}
	})
	t.Run("A9.3 a revoked terminal's certificate is refused, and the refusal is logged", func(t *testing.T) {
		e.clock.Add(time.Second)
		before := e.size(t)
		id, err := e.Auth.TerminalByCertificate(e.ctx, second.Fingerprint)
		if !errors.Is(err, cleared.ErrUnauthenticated) || id != "" {
			t.Fatalf("got %q %v, want ErrUnauthenticated", id, err)
		}
		if e.size(t) != before+1 {
			t.Fatal("the refusal was not logged")
		}
		r := e.last(t, 1)[0].Entry
		if r.Action != "terminal.certificate" || r.Allowed || r.Rule != "A9.3" || r.Terminal != w.ZoneTerm.ID ||
			r.Object != "sha256:"+hex.EncodeToString(second.Fingerprint) {
			t.Fatalf("entry %+v", r)
		}
		var rec cleared.TerminalCertificate
		if err := e.st.View(e.ctx, func(tx store.Tx) (err error) { rec, err = tx.TerminalCertificate(second.Fingerprint); return err }); err != nil || rec.Revoked.IsZero() {
			t.Fatalf("the certificate was not revoked with its terminal: %+v %v", rec, err)
		}
	})
	t.Run("A9.3 an unknown certificate is refused and logged", func(t *testing.T) {
		before := e.size(t)
		unknown := pki.Fingerprint([]byte("not a certificate we issued"))
		if _, err := e.Auth.TerminalByCertificate(e.ctx, unknown); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatalf("%v", err)
		}
		r := e.last(t, 1)[0].Entry
		if e.size(t) != before+1 || r.Allowed || r.Terminal != "" || !strings.HasPrefix(r.Object, "sha256:") {
			t.Fatalf("entry %+v", r)
		}
		if _, err := e.Auth.TerminalByCertificate(e.ctx, []byte("short")); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatalf("malformed fingerprint: %v", err)
		}
	})
	t.Run("A9.3 an expired certificate is refused and logged", func(t *testing.T) {
		_, c := e.issue(t, ca, w.MinistryTerm.ID, time.Hour)
		if id, err := e.Auth.TerminalByCertificate(e.ctx, c.Fingerprint); err != nil || id != w.MinistryTerm.ID {
			t.Fatalf("fresh: %s %v", id, err)
		}
		e.clock.Add(time.Hour)
		if _, err := e.Auth.TerminalByCertificate(e.ctx, c.Fingerprint); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatalf("expired: %v", err)
		}
		if r := e.last(t, 1)[0].Entry; r.Allowed || r.Terminal != w.MinistryTerm.ID {
			t.Fatalf("entry %+v", r)
		}
	})
	t.Run("A20.1 an NSA officer revokes any organisation's terminal", func(t *testing.T) {
		if err := e.svc.RevokeTerminal(e.ctx, e.as("helene"), w.MinistryTerm.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the operator's list shows terminals with their certificates", func(t *testing.T) {
		var all []registry.TerminalRecord
		var after cleared.TerminalID
		for {
			page, err := e.svc.TerminalsWithCertificates(e.ctx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page...)
			if len(page) < 2 {
				break
			}
			after = page[len(page)-1].ID
		}
		if len(all) != 4 {
			t.Fatalf("%d terminals, want the demo's 4", len(all))
		}
		for _, r := range all {
			if r.ID == w.ZoneTerm.ID && (len(r.Certificates) != 2 || r.Revoked.IsZero() || r.Certificates[0].Revoked.IsZero()) {
				t.Fatalf("zone terminal %+v", r)
			}
		}
	})
}
