package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/registry"
)

// startServeTLS runs `cleared serve --tls args…` and waits until it listens on HTTPS.
func startServeTLS(t *testing.T, env map[string]string, args ...string) server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := server{out: &syncBuffer{}, err: &syncBuffer{}}
	a := &app{stdout: s.out, stderr: s.err, getenv: func(k string) string { return env[k] }}
	done := make(chan int, 1)
	go func() {
		done <- a.main(ctx, append([]string{"serve", "--tls", "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...))
	}()
	s.stop = func() int { cancel(); return <-done }
	listening := regexp.MustCompile(`listening on (https://127\.0\.0\.1:\d+)`)
	for range 200 {
		if m := listening.FindStringSubmatch(s.out.String()); m != nil {
			s.base = m[1]
			return s
		}
		select {
		case code := <-done:
			t.Fatalf("serve --tls exited %d before listening: %s", code, s.err.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve --tls did not start: %s", s.err.String())
	return s
}

// tlsClient trusts the CA in caFile and presents the certificate in dir (terminal.crt, terminal.key) if dir is set.
func tlsClient(t *testing.T, caPath, dir string) *http.Client {
	t.Helper()
	b, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(b) {
		t.Fatalf("%s holds no certificate", caPath)
	}
	cfg := &tls.Config{RootCAs: roots}
	if dir != "" {
		cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "terminal.crt"), filepath.Join(dir, "terminal.key"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	tr := &http.Transport{TLSClientConfig: cfg}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// meTerminal asks /api/me through c with token and returns the status and the terminal it names.
func meTerminal(t *testing.T, c *http.Client, base, token string) (int, cleared.TerminalID) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var me struct {
		Terminal cleared.TerminalID `json:"terminal"`
	}
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &me); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
	}
	return res.StatusCode, me.Terminal
}

// zoneTerminal registers, as the first NSA officer made security officer of the NSA, a security zone and a
// terminal in it, and returns the terminal.
func zoneTerminal(t *testing.T, dir string, officer cleared.PersonID) cleared.TerminalID {
	t.Helper()
	ctx := context.Background()
	st := storage{data: dir}
	a := &app{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return pass[k] }}
	sv, err := st.open(ctx, a, serviceConfig{log: quiet})
	svc, db := sv.reg, sv.db
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	me := cleared.Actor{Person: officer}
	orgs, err := svc.Organisations(ctx, me, "", 10)
	// The NSA, and the national recipients of S2 registered with it.
	i := slices.IndexFunc(orgs, func(o cleared.Organisation) bool { return o.Name == registry.NSAName })
	if err != nil || len(orgs) != 1+len(registry.NationalRecipients) || i < 0 {
		t.Fatalf("organisations after init: %v %v", orgs, err)
	}
	orgs[0] = orgs[i]
	if _, err := svc.DesignateOfficer(ctx, me, registry.NewOfficer{OrganisationID: orgs[0].ID, PersonID: officer,
		DesignatedBy: "Directeur de l'ANS", Since: time.Now().AddDate(0, 0, -1)}); err != nil {
		t.Fatal(err)
	}
	pl, err := svc.RegisterPlace(ctx, me, registry.NewPlace{OrganisationID: orgs[0].ID, Name: "Salle ANS",
		AccreditedLevel: cleared.TopSecret, SecurityZone: true})
	if err != nil {
		t.Fatal(err)
	}
	term, err := svc.RegisterTerminal(ctx, me, registry.NewTerminal{Place: pl.ID, Name: "ANS-WS01", AccreditedLevel: cleared.TopSecret})
	if err != nil {
		t.Fatal(err)
	}
	return term.ID
}

func TestTerminal_InitIssueServeTLS(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, initArgs(dir)...)
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	token := regexp.MustCompile(`cleared_[a-z0-9]{52}`).FindString(out)
	officer := cleared.PersonID(regexp.MustCompile(`per_[a-z2-7]{26}`).FindString(out))
	if fi, err := os.Stat(filepath.Join(dir, "ca.crt")); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("init wrote no ca.crt readable by all: %v", err)
	}
	term := zoneTerminal(t, dir, officer)

	certDir := filepath.Join(t.TempDir(), "ws01")
	t.Run("terminal issue writes the certificate, its key 0600 and the CA, and says how to install them", func(t *testing.T) {
		code, out, errs := run(t, pass, "terminal", "issue", "--data", dir, "--terminal", string(term), "--out", certDir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		for f, mode := range map[string]os.FileMode{"terminal.crt": 0o644, "terminal.key": 0o600, "ca.crt": 0o644} {
			fi, err := os.Stat(filepath.Join(certDir, f))
			if err != nil || fi.Mode().Perm() != mode {
				t.Errorf("%s: %v, mode %v, want %v", f, err, fi.Mode().Perm(), mode)
			}
		}
		if !strings.Contains(out, "openssl pkcs12 -export -in "+filepath.Join(certDir, "terminal.crt")) {
			t.Errorf("no openssl command in:\n%s", out)
		}
		ca1, _ := os.ReadFile(filepath.Join(dir, "ca.crt"))
		ca2, _ := os.ReadFile(filepath.Join(certDir, "ca.crt"))
		if string(ca1) != string(ca2) {
			t.Error("the CA written beside the certificate is not the data folder's")
		}
	})
	t.Run("terminal issue refuses to overwrite a key", func(t *testing.T) {
		code, _, errs := run(t, pass, "terminal", "issue", "--data", dir, "--terminal", string(term), "--out", certDir)
		if code != 1 || !strings.Contains(errs, "already holds terminal.crt") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("terminal list shows the terminal and its certificate", func(t *testing.T) {
		code, out, errs := run(t, pass, "terminal", "list", "--data", dir)
		if code != 0 || !strings.Contains(out, string(term)) || !strings.Contains(out, "security zone") || strings.Count(out, "certificate ") != 1 || !strings.Contains(out, "valid") {
			t.Fatalf("exit %d: %s %s", code, out, errs)
		}
	})

	srv := startServeTLS(t, pass, "--data", dir)
	caPath := filepath.Join(dir, "ca.crt")
	withCert, without := tlsClient(t, caPath, certDir), tlsClient(t, caPath, "")
	if code, got := meTerminal(t, withCert, srv.base, token); code != 200 || got != term {
		t.Fatalf("A8.2 with the terminal's certificate: %d, terminal %q, want %s", code, got, term)
	}
	if code, got := meTerminal(t, without, srv.base, token); code != 200 || got != "" {
		t.Fatalf("A9.3 without a certificate: %d, terminal %q, want none", code, got)
	}
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, srv.err.String())
	}

	t.Run("terminal revoke needs who revokes", func(t *testing.T) {
		code, _, errs := run(t, pass, "terminal", "revoke", "--data", dir, "--terminal", string(term))
		if code != 2 || !strings.Contains(errs, "--by is required") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	if code, out, errs := run(t, pass, "terminal", "revoke", "--data", dir, "--terminal", string(term), "--by", string(officer)); code != 0 {
		t.Fatalf("revoke exit %d: %s %s", code, out, errs)
	}
	srv = startServeTLS(t, pass, "--data", dir)
	if code, _ := meTerminal(t, tlsClient(t, caPath, certDir), srv.base, token); code != http.StatusUnauthorized {
		t.Fatalf("A9.3 a revoked terminal's certificate: %d, want 401", code)
	}
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, srv.err.String())
	}
	if code, out, _ := run(t, nil, "audit", "tail", "--data", dir, "-n", "5"); code != 0 || !strings.Contains(out, "terminal.certificate") {
		t.Fatalf("the refused certificate is not in the audit log:\n%s", out)
	}
}

// oldDataFolder makes a data folder as cleared init made it before terminals had certificates: no CA in the ring.
func oldDataFolder(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "old")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	ring, _ := keyring.New()
	signer, err := newAuditKey(ring, dir)
	if err != nil {
		t.Fatal(err)
	}
	st := storage{data: dir}
	db, err := st.openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ring.NewRegisterKey()
	sv := newServices(db, ring, signer, serviceConfig{log: quiet})
	if _, err := sealStore(db, ring, sv.reg, serviceConfig{log: quiet}); err != nil {
		t.Fatal(err)
	}
	svc := sv.reg
	if _, err := svc.Bootstrap(ctx, registry.FirstOfficer{Name: "Hélène Weber", ClearanceLevel: cleared.TopSecret,
		ClearanceIssued: time.Now().AddDate(-1, 0, 0), ClearanceReference: "ANS-PSC-2025-0001"}); err != nil {
		t.Fatal(err)
	}
	if err := keyring.Save(st.keyringPath(), ring, []byte(pass[passEnv])); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestTerminal_DataFolderWithoutCA(t *testing.T) {
	dir := oldDataFolder(t)
	for _, args := range [][]string{
		{"serve", "--tls", "--addr", "127.0.0.1:0", "--data", dir},
		{"terminal", "issue", "--data", dir, "--terminal", string(cleared.NewTerminalID()), "--out", filepath.Join(t.TempDir(), "x")},
	} {
		code, _, errs := run(t, pass, args...)
		if code != 1 || !strings.Contains(errs, "run 'cleared terminal ca --data "+dir+"'") {
			t.Fatalf("%s: exit %d, does not say what to do: %s", args[:2], code, errs)
		}
	}
	code, out, errs := run(t, pass, "terminal", "ca", "--data", dir)
	if code != 0 || !strings.Contains(out, "Created the terminal CA") {
		t.Fatalf("terminal ca: exit %d: %s %s", code, out, errs)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "ca.crt"))
	code, _, errs = run(t, pass, "terminal", "ca", "--data", dir)
	after, _ := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if code != 1 || !strings.Contains(errs, "already holds a terminal CA") || len(before) == 0 || string(before) != string(after) {
		t.Fatalf("a second terminal ca: exit %d: %s", code, errs)
	}
	if code := startServeTLS(t, pass, "--data", dir).stop(); code != 0 {
		t.Fatalf("serve --tls after terminal ca: exit %d", code)
	}
}

func TestTerminal_BadCommandLines(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"no subcommand", []string{"terminal"}, 2, "want one of: issue, list, revoke, ca"},
		{"issue without terminal", []string{"terminal", "issue", "--out", dir}, 2, "--terminal is required"},
		{"issue without out", []string{"terminal", "issue", "--terminal", "trm_x"}, 2, "--out is required"},
		{"revoke without terminal", []string{"terminal", "revoke", "--by", "per_x"}, 2, "--terminal is required"},
		{"list without init", []string{"terminal", "list", "--data", filepath.Join(dir, "none")}, 1, "run 'cleared init"},
		{"tls key without cert", []string{"serve", "--demo", "--data", filepath.Join(dir, "demo"), "--tls", "--tls-key", "k.pem", "--addr", "127.0.0.1:0"}, 2, "go together"},
		{"tls cert without tls", []string{"serve", "--demo", "--data", filepath.Join(dir, "demo"), "--tls-cert", "c.pem", "--addr", "127.0.0.1:0"}, 2, "need --tls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := run(t, pass, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.says) {
				t.Fatalf("exit %d, want %d; stderr %q does not say %q", code, tt.code, errs, tt.says)
			}
		})
	}
}

func TestServeHosts(t *testing.T) {
	got := serverHosts("cleared.example.lu:8443")
	want := []string{"cleared.example.lu", "localhost", "127.0.0.1", "::1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("%v, want %v", got, want)
	}
	if got := serverHosts("127.0.0.1:0"); len(got) != 3 {
		t.Fatalf("%v: want no duplicate", got)
	}
	name, _ := os.Hostname()
	if got := serverHosts(":8443"); name != "" && got[0] != name {
		t.Fatalf("%v: a server on every interface names this machine first", got)
	}
}
