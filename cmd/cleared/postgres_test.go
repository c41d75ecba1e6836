package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// pgURL returns a URL to a fresh schema of the test PostgreSQL, dropped at the end of the test, and a handle on it.
func pgURL(t *testing.T) (string, *sql.DB) {
	t.Helper()
	base := os.Getenv("CLEARED_TEST_POSTGRES")
	if base == "" {
		t.Skip("CLEARED_TEST_POSTGRES not set: skipping the command line on PostgreSQL")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "cleared_cmd_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() })
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	url := base + sep + "search_path=" + schema
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return url, db
}

// TestPostgresEndToEnd runs init, serve, the API and the audit commands on PostgreSQL, as on SQLite.
func TestPostgresEndToEnd(t *testing.T) {
	url, db := pgURL(t)
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, append(initArgs(dir), "--db", url)...)
	if code != 0 {
		t.Fatalf("init on PostgreSQL: %d %s", code, errs)
	}
	tok := regexp.MustCompile(`cleared_[a-z0-9]{52}`).FindString(out)
	if _, err := os.Stat(filepath.Join(dir, sqliteFile)); err == nil {
		t.Fatal("init with --db made a SQLite database too")
	}
	srv := startServe(t, pass, "--data", dir, "--db", url, "--log-level", "warn")
	req, _ := http.NewRequest("GET", srv.base+"/api/organisations", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("API on PostgreSQL: %v %v", resp, err)
	}
	resp.Body.Close()
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, srv.err.String())
	}
	code, out, errs = run(t, nil, "audit", "verify", "--data", dir, "--db", url)
	if code != 0 || !strings.HasPrefix(out, "OK: 3 entries") {
		t.Fatalf("verify on PostgreSQL: %d %s %s", code, out, errs)
	}
	if code, out, errs := run(t, nil, "audit", "prove", "--data", dir, "--db", url, "--seq", "2", "--size", "3"); code != 0 || !strings.Contains(out, "organisation.list") {
		t.Fatalf("prove on PostgreSQL: %d %s %s", code, out, errs)
	}
	if _, err := db.Exec(`UPDATE audit_entries SET payload = '\x7b7d' WHERE seq = 0`); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, nil, "audit", "verify", "--data", dir, "--db", url)
	if code != 1 || !strings.HasPrefix(out, "FAIL: entry 0:") {
		t.Fatalf("tampering on PostgreSQL not detected: %d %s", code, out)
	}
}
