package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// readyState asks /readyz and returns its status and the detail of a problem.
func readyState(t *testing.T, base string) (int, string) {
	t.Helper()
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var p struct{ Detail string }
	json.Unmarshal(b, &p)
	return res.StatusCode, p.Detail
}

// waitReady polls /readyz until it answers status (a probe that passed is trusted for a second), and returns the
// detail of the last answer.
func waitReady(t *testing.T, base string, status int) string {
	t.Helper()
	var got int
	var detail string
	for range 40 {
		if got, detail = readyState(t, base); got == status {
			return detail
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("/readyz answers %d (%s), want %d", got, detail, status)
	return ""
}

// apiStatus sends an audited request (the list of organisations) and returns its status.
func apiStatus(t *testing.T, base, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/organisations", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// checkReadyFollowsTheLog: ready while entries are written; 503 saying why while they cannot be (and every audited
// request 503, nothing done); ready again once they can. The probes write no entry.
func checkReadyFollowsTheLog(t *testing.T, base, token string, refuse, allow func()) {
	t.Helper()
	waitReady(t, base, http.StatusOK)
	if s := apiStatus(t, base, token); s != http.StatusOK {
		t.Fatalf("an audited request with the log writable: %d", s)
	}
	refuse()
	if s := apiStatus(t, base, token); s != http.StatusServiceUnavailable {
		t.Errorf("an audited request with the log unwritable: %d, want 503", s)
	}
	if detail := waitReady(t, base, http.StatusServiceUnavailable); !strings.Contains(detail, "audit log cannot be written") {
		t.Errorf("/readyz 503 says %q, want the reason (the audit log cannot be written)", detail)
	}
	allow()
	waitReady(t, base, http.StatusOK)
	if s := apiStatus(t, base, token); s != http.StatusOK {
		t.Errorf("an audited request once the log is writable again: %d", s)
	}
}

func TestServe_ReadyzFollowsTheAuditLog_SQLite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, initArgs(dir)...)
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	token := regexp.MustCompile(`cleared_[a-z0-9]{52}`).FindString(out)
	srv := startServe(t, pass, "--data", dir, "--log-level", "error")
	defer srv.stop()
	dba, err := sql.Open("sqlite", filepath.Join(dir, sqliteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer dba.Close()
	exec := func(q string) func() {
		return func() {
			if _, err := dba.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	}
	checkReadyFollowsTheLog(t, srv.base, token,
		exec(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'no more audit entries'); END`),
		exec(`DROP TRIGGER refuse_audit`))
}

// On PostgreSQL the server runs as a role of its own, as in production (not a superuser, which no right binds),
// and the DBA revokes then grants back its right to insert into the audit log.
func TestServe_ReadyzFollowsTheAuditLog_Postgres(t *testing.T) {
	adminURL, db := pgURL(t)
	var b [4]byte
	rand.Read(b[:])
	role := "cleared_ready_" + hex.EncodeToString(b[:])
	schema := regexp.MustCompile(`search_path=([a-z0-9_]+)`).FindStringSubmatch(adminURL)[1]
	for _, q := range []string{`CREATE ROLE ` + role + ` LOGIN`, `GRANT USAGE, CREATE ON SCHEMA ` + schema + ` TO ` + role} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		db.Exec(`DROP OWNED BY ` + role)
		db.Exec(`DROP ROLE ` + role)
	})
	u, err := url.Parse(adminURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	appURL := u.String()

	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, append(initArgs(dir), "--db", appURL)...)
	if code != 0 {
		t.Fatalf("init on PostgreSQL as %s: %d %s", role, code, errs)
	}
	token := regexp.MustCompile(`cleared_[a-z0-9]{52}`).FindString(out)
	srv := startServe(t, pass, "--data", dir, "--db", appURL, "--log-level", "error")
	defer srv.stop()
	exec := func(q string) func() {
		return func() {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	}
	checkReadyFollowsTheLog(t, srv.base, token,
		exec(`REVOKE INSERT ON `+schema+`.audit_entries FROM `+role),
		exec(`GRANT INSERT ON `+schema+`.audit_entries TO `+role))
}

// A log the server's key did not sign (an entry a DBA appended while it was stopped, its hashes and head made
// consistent) is not extended: every audited request is 503, and /readyz says so too, so that a load balancer
// stops sending requests to a server that can record nothing (issue 17, §2 and §6).
func TestServe_ReadyzRefusesAnUnsignedLog(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, initArgs(dir)...)
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	token := regexp.MustCompile(`cleared_[a-z0-9]{52}`).FindString(out)
	// The head row moved past the last signed head, as a forged append leaves it.
	tamper(t, dir, `UPDATE audit_head SET size = size + 1`)
	srv := startServe(t, pass, "--data", dir, "--log-level", "error")
	defer srv.stop()
	if s := apiStatus(t, srv.base, token); s != http.StatusServiceUnavailable {
		t.Errorf("an audited request on an unsigned log: %d, want 503", s)
	}
	if detail := waitReady(t, srv.base, http.StatusServiceUnavailable); !strings.Contains(detail, "audit log cannot be written") {
		t.Errorf("/readyz 503 says %q, want the reason", detail)
	}
}
