package web_test

import (
	"context"
	"crypto/tls"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/web"
)

// tlsEnv is the API served over TLS as `cleared serve --tls` serves it: our CA verifies terminal certificates,
// which are asked for but not required.
type tlsEnv struct {
	*env
	ca  *pki.CA
	srv *httptest.Server
}

func newTLSEnv(t *testing.T) *tlsEnv {
	t.Helper()
	e := newEnv(t, nil)
	ca, err := pki.NewCA("cleared test CA", e.now)
	if err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM, err := ca.IssueServer([]string{"127.0.0.1"}, e.now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(web.New(web.Config{Registry: e.svc, Auth: e.auth,
		Log: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}))
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert},
		ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: ca.Pool()}
	srv.Config.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError) // refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return &tlsEnv{env: e, ca: ca, srv: srv}
}

// terminalCert issues a client certificate to terminal id through the registry, as `cleared terminal issue` does.
func (e *tlsEnv) terminalCert(id cleared.TerminalID) (tls.Certificate, cleared.TerminalCertificate) {
	e.t.Helper()
	certPEM, keyPEM, c, err := e.svc.IssueTerminalCertificate(context.Background(), registry.NewTerminalCertificate{Terminal: id, TTL: time.Hour}, e.ca)
	if err != nil {
		e.t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		e.t.Fatal(err)
	}
	return cert, c
}

// client returns an HTTPS client that trusts our CA and presents cert, if one is given, whatever CAs the server
// says it accepts (Go's client would otherwise quietly send none, where an attacker would send it anyway).
func (e *tlsEnv) client(cert ...tls.Certificate) *http.Client {
	cfg := &tls.Config{RootCAs: e.ca.Pool()}
	if len(cert) == 1 {
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert[0], nil }
	}
	tr := &http.Transport{TLSClientConfig: cfg}
	e.t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// get sends GET path with the bearer token secret through c.
func (e *tlsEnv) get(c *http.Client, secret, path string) (response, error) {
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := c.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}, err
}

func (e *tlsEnv) mustGet(c *http.Client, secret, path string) response {
	e.t.Helper()
	r, err := e.get(c, secret, path)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	return r
}

// me returns the terminal /api/me says the request comes from.
func (e *tlsEnv) me(c *http.Client, secret string) cleared.TerminalID {
	e.t.Helper()
	r := e.mustGet(c, secret, "/api/me")
	wantStatus(e.t, r, http.StatusOK)
	return decodeAs[struct {
		Terminal cleared.TerminalID `json:"terminal"`
	}](e.t, r).Terminal
}

func TestTerminalCertificates(t *testing.T) {
	e := newTLSEnv(t)
	w := e.world
	ctx := context.Background()
	// Sophie holds TRES SECRET with need-to-know of the TRES SECRET piece. This token of hers is bound to no
	// terminal: where she reads from is what her certificate says.
	unbound, _, err := e.auth.CreateToken(ctx, auth.NewToken{PersonID: w.Sophie.ID, Label: "unbound", TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	zoneCert, _ := e.terminalCert(w.ZoneTerm.ID)
	officeCert, _ := e.terminalCert(w.OfficeTerm.ID)
	kioskCert, _ := e.terminalCert(w.Kiosk.ID)
	zone, office, kiosk, none := e.client(zoneCert), e.client(officeCert), e.client(kioskCert), e.client()
	content := "/api/pieces/" + string(w.TopSecret.ID) + "/content"

	t.Run("A8.2 TRES SECRET content is served to a security-zone terminal's certificate", func(t *testing.T) {
		r := e.mustGet(zone, unbound, content)
		wantStatus(t, r, http.StatusOK)
		// A7.1: the text comes on stamped pages (deliver_test.go reads them).
		if !strings.HasPrefix(string(r.body), "%PDF-") || r.header.Get("Classification") == "" {
			t.Fatalf("content %q, classification %q", r.body, r.header.Get("Classification"))
		}
		if got := e.me(zone, unbound); got != w.ZoneTerm.ID {
			t.Fatalf("/api/me says terminal %q, want the certificate's %s", got, w.ZoneTerm.ID)
		}
	})
	t.Run("A8.2 TRES SECRET content is refused 403 on a terminal outside a security zone", func(t *testing.T) {
		wantProblem(t, e.mustGet(office, unbound, content), http.StatusForbidden, "A8.2")
		// A token bound to the office terminal, from the office terminal: the same refusal.
		wantProblem(t, e.mustGet(office, w.Token("sophie_office"), content), http.StatusForbidden, "A8.2")
	})
	t.Run("A9.3 a public place's terminal certificate sees no classified content", func(t *testing.T) {
		wantProblem(t, e.mustGet(kiosk, unbound, content), http.StatusForbidden, "A9.3")
	})
	t.Run("without a certificate a request comes from its token's terminal", func(t *testing.T) {
		wantStatus(t, e.mustGet(none, w.Token("sophie_zone"), content), http.StatusOK)                   // A8.2 allowed
		wantProblem(t, e.mustGet(none, w.Token("sophie_office"), content), http.StatusForbidden, "A8.2") // A8.2 refused
		if got := e.me(none, w.Token("sophie_zone")); got != w.ZoneTerm.ID {
			t.Fatalf("/api/me says %q, want the token's %s", got, w.ZoneTerm.ID)
		}
	})
	t.Run("A9.3 without a certificate nor a bound token a request comes from a public place", func(t *testing.T) {
		wantProblem(t, e.mustGet(none, unbound, content), http.StatusForbidden, "A9.3")
		if got := e.me(none, unbound); got != "" {
			t.Fatalf("/api/me says terminal %q, want none", got)
		}
	})
	t.Run("a token bound to one terminal is refused 401 with another terminal's certificate", func(t *testing.T) {
		// Else a token bound to the office would reach TRES SECRET through a stolen zone certificate, and the other way.
		wantProblem(t, e.mustGet(zone, w.Token("sophie_office"), content), http.StatusUnauthorized, "")
		wantProblem(t, e.mustGet(office, w.Token("sophie_zone"), "/api/me"), http.StatusUnauthorized, "")
	})

	t.Run("A9.3 a revoked terminal's certificate is refused 401 and the refusal is audited", func(t *testing.T) {
		// A second workstation in the zone, so the demo's zone terminal stays for the auditor's own reads.
		ws, err := e.svc.RegisterTerminal(ctx, cleared.Actor{Person: w.Anne.ID}, registry.NewTerminal{Place: w.Zone.ID, Name: "B2-WS02", AccreditedLevel: cleared.TopSecret})
		if err != nil {
			t.Fatal(err)
		}
		cert, rec := e.terminalCert(ws.ID)
		c := e.client(cert)
		wantStatus(t, e.mustGet(c, unbound, content), http.StatusOK)
		if err := e.svc.RevokeTerminal(ctx, cleared.Actor{Person: w.Anne.ID}, ws.ID); err != nil {
			t.Fatal(err)
		}
		before := mxLogSize(t, e.env)
		r := e.mustGet(c, unbound, content)
		wantProblem(t, r, http.StatusUnauthorized, "")
		if strings.Contains(string(r.body), "TRES SECRET") {
			t.Fatalf("refusal shows content: %s", r.body)
		}
		after := mxLogSize(t, e.env)
		if after != before+1 {
			t.Fatalf("the log grew by %d entries, want the one refusal", after-before)
		}
		inc, err := e.svc.InclusionProof(ctx, cleared.Actor{Person: w.Helene.ID, Terminal: w.ZoneTerm.ID}, before, after)
		if err != nil {
			t.Fatal(err)
		}
		got := inc.Record.Entry
		if got.Action != "terminal.certificate" || got.Allowed || got.Rule != "A9.3" || got.Terminal != ws.ID ||
			got.Object != "sha256:"+hex.EncodeToString(rec.Fingerprint) {
			t.Fatalf("audit entry %+v, want the refused certificate of %s", got, ws.ID)
		}
	})

	t.Run("a certificate from another CA fails the TLS handshake", func(t *testing.T) {
		other, err := pki.NewCA("another CA", e.now)
		if err != nil {
			t.Fatal(err)
		}
		certPEM, keyPEM, _, _, err := other.IssueTerminal(w.ZoneTerm.ID, e.now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		forged, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.get(e.client(forged), unbound, content)
		if err == nil {
			t.Fatalf("answered %d: %s", r.status, r.body)
		}
		if !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("want a TLS certificate error, got %v", err)
		}
	})
	t.Run("a server certificate of our CA is no client certificate", func(t *testing.T) {
		certPEM, keyPEM, err := e.ca.IssueServer([]string{"127.0.0.1"}, e.now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := e.get(e.client(cert), unbound, content); err == nil {
			t.Fatalf("answered %d: %s", r.status, r.body)
		}
	})
	t.Run("A9.3 a certificate of our CA the server never recorded is refused 401", func(t *testing.T) {
		certPEM, keyPEM, _, _, err := e.ca.IssueTerminal(w.ZoneTerm.ID, e.now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, e.mustGet(e.client(cert), unbound, content), http.StatusUnauthorized, "")
	})
}
