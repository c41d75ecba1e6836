package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/store"
)

// demoFolder runs the demo server once in a fresh folder and stops it: a data folder with a row in most sealed
// tables.
func demoFolder(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo")
	if code := startServe(t, pass, "--demo", "--data", dir, "--log-level", "error").stop(); code != 0 {
		t.Fatalf("demo exit %d", code)
	}
	return dir
}

// sqlValue reads one value from the SQLite database of dir.
func sqlValue(t *testing.T, dir, query string) string {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, sqliteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow(query).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v
}

// cleared audit verify --registers names every row altered in the database, one per table, and exits 1; on an
// intact database it says OK. Issue 17: "audit verify says OK" after the TOP SECRET piece was re-levelled.
func TestAuditVerifyRegisters_A13_1(t *testing.T) {
	dir := demoFolder(t)
	code, out, errs := run(t, pass, "audit", "verify", "--registers", "--data", dir)
	if code != 0 || !strings.HasPrefix(out, "OK: ") {
		t.Fatalf("intact database: exit %d: %s %s", code, out, errs)
	}
	if code, _, errs := run(t, nil, "audit", "verify", "--registers", "--data", dir); code != 1 || !strings.Contains(errs, "passphrase") {
		t.Errorf("without the passphrase: exit %d: %s", code, errs)
	}

	piece := sqlValue(t, dir, `SELECT id FROM pieces WHERE level = 4 ORDER BY id LIMIT 1`)
	stmts := []string{`UPDATE pieces SET level = 0 WHERE id = '` + piece + `'`}
	var tampered []string
	for _, table := range store.SealedTables {
		if table == "pieces" || sqlValue(t, dir, `SELECT count(*) FROM `+table) == "0" {
			continue
		}
		tampered = append(tampered, table)
		stmts = append(stmts, `UPDATE `+table+` SET mac = zeroblob(32) WHERE rowid = (SELECT min(rowid) FROM `+table+`)`)
	}
	if len(tampered) < 12 {
		t.Fatalf("the demo fills only %d sealed tables: %v", len(tampered), tampered)
	}
	tamper(t, dir, stmts...)
	code, out, errs = run(t, pass, "audit", "verify", "--registers", "--data", dir)
	if code != 1 {
		t.Fatalf("tampered database: exit %d, want 1: %s %s", code, out, errs)
	}
	if !strings.Contains(out, "FAIL: pieces "+piece+": ") {
		t.Errorf("the re-levelled piece %s is not named:\n%s", piece, out)
	}
	for _, table := range tampered {
		if !strings.Contains(out, "FAIL: "+table+" ") {
			t.Errorf("no row of %s named:\n%s", table, out)
		}
	}
	if n := strings.Count(out, "FAIL: "); n != len(tampered)+2 {
		t.Errorf("%d lines FAIL, want %d (one per row altered, and the total):\n%s", n, len(tampered)+2, out)
	}
}

// Issue 17's finding end to end: the TOP SECRET piece re-levelled in the stopped database; after a restart the
// server shows it to no one, counts the row in its metrics and records register.tampered in the audit log.
func TestServe_A13_1_relevelled_piece_after_restart(t *testing.T) {
	dir := demoFolder(t)
	piece := sqlValue(t, dir, `SELECT id FROM pieces WHERE level = 4 ORDER BY id LIMIT 1`)
	tamper(t, dir, `UPDATE pieces SET level = 0 WHERE id = '`+piece+`'`)
	srv := startServe(t, pass, "--demo", "--data", dir, "--log-level", "error")
	get := func(path, who string) (int, string) {
		token := ""
		if who != "" {
			token = "cleared_demo_" + who
		}
		return httpGet(t, srv.base+path, token, "")
	}
	for _, who := range []string{"nina", "sophie_kiosk", "sophie_zone", "helene"} {
		if code, body := get("/api/pieces/"+piece+"/content", who); code == 200 {
			t.Errorf("%s reads the re-levelled piece's content: %d %.80s", who, code, body)
		}
	}
	if _, body := get("/metrics", ""); !strings.Contains(body, `cleared_registers_tampered_total{table="pieces"}`) {
		t.Errorf("/metrics does not count the tampered row")
	}
	if !strings.Contains(srv.err.String(), "failed its seal check") || !strings.Contains(srv.err.String(), piece) {
		t.Errorf("the log does not raise the row: %s", srv.err.String())
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, out, _ := run(t, nil, "audit", "tail", "-n", "50", "--data", dir)
		if strings.Contains(out, "register.tampered") && strings.Contains(out, "pieces/"+piece) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no register.tampered entry in the audit log:\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exit %d", code)
	}
}

// A database made before sealed registers (no MAC on any row, a key ring without a register key) is sealed once
// at start, recorded as register.seal; from then on a row without a MAC is tampering.
func TestServe_upgrade_seals_registers_once(t *testing.T) {
	dir := demoFolder(t)
	var stmts []string
	for _, table := range store.SealedTables {
		stmts = append(stmts, `UPDATE `+table+` SET mac = NULL`)
	}
	tamper(t, dir, stmts...)
	ring, err := keyring.Load(filepath.Join(dir, keyringFile), []byte(pass[passEnv]))
	if err != nil {
		t.Fatal(err)
	}
	ring.DeleteSecret(keyring.RegisterKey)
	if err := keyring.Save(filepath.Join(dir, keyringFile), ring, []byte(pass[passEnv])); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, pass, "audit", "verify", "--registers", "--data", dir); code != 1 || !strings.Contains(errs, "never sealed") {
		t.Fatalf("before the upgrade: exit %d: %s", code, errs)
	}

	srv := startServe(t, pass, "--demo", "--data", dir, "--log-level", "warn")
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, srv.err.String())
	}
	if !strings.Contains(srv.err.String(), "sealed every register row") {
		t.Errorf("the upgrade is not logged: %s", srv.err.String())
	}
	if code, out, errs := run(t, pass, "audit", "verify", "--registers", "--data", dir); code != 0 {
		t.Fatalf("after the upgrade: exit %d: %s %s", code, out, errs)
	}
	if _, out, _ := run(t, nil, "audit", "tail", "-n", "500", "--data", dir); !strings.Contains(out, "register.seal") {
		t.Errorf("no register.seal entry in the audit log")
	}
	if code, out, errs := run(t, pass, "audit", "verify", "--data", dir); code != 0 {
		t.Errorf("audit verify after the upgrade: exit %d: %s %s", code, out, errs)
	}
	// Once the ring holds the key, a row without a MAC is tampering, not a row to seal.
	tamper(t, dir, `UPDATE grants SET mac = NULL WHERE rowid = (SELECT min(rowid) FROM grants)`)
	srv = startServe(t, pass, "--demo", "--data", dir, "--log-level", "warn")
	srv.stop()
	if code, out, _ := run(t, pass, "audit", "verify", "--registers", "--data", dir); code != 1 || !strings.Contains(out, "FAIL: grants ") {
		t.Errorf("a MAC erased after the upgrade: exit %d: %s", code, out)
	}
}

// The same on PostgreSQL: a clearance lengthened and a person given a role by the database's administrator are
// named by audit verify --registers.
func TestAuditVerifyRegisters_PostgreSQL(t *testing.T) {
	url, db := pgURL(t)
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(t, pass, append(initArgs(dir), "--db", url)...); code != 0 {
		t.Fatalf("init on PostgreSQL: %d %s", code, errs)
	}
	if code, out, errs := run(t, pass, "audit", "verify", "--registers", "--data", dir, "--db", url); code != 0 {
		t.Fatalf("intact database: exit %d: %s %s", code, out, errs)
	}
	var clearance, person string
	if err := db.QueryRow(`SELECT id, person_id FROM clearances LIMIT 1`).Scan(&clearance, &person); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`UPDATE clearances SET expires = expires + 315360000000000000 WHERE id = '` + clearance + `'`,
		`UPDATE persons SET roles = roles || ',administrator' WHERE id = '` + person + `'`,
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := run(t, pass, "audit", "verify", "--registers", "--data", dir, "--db", url)
	if code != 1 || !strings.Contains(out, "FAIL: clearances "+clearance+":") || !strings.Contains(out, "FAIL: persons "+person+":") {
		t.Fatalf("exit %d, want 1 naming both rows: %s %s", code, out, errs)
	}
}
