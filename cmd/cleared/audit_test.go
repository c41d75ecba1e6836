package main

import (
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"time"

	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cleared/cleared"

	_ "modernc.org/sqlite"

	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/store"
)

// rootAt returns the root of the log in data folder dir at size, from its stored nodes.
func rootAt(t *testing.T, dir string, size uint64) []byte {
	t.Helper()
	st, err := (&storage{data: dir}).openStore(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var root []byte
	if err := st.View(t.Context(), func(tx store.Tx) (err error) { root, err = audit.Root(tx, size); return err }); err != nil {
		t.Fatal(err)
	}
	return root
}

// copyDir copies a data folder (database, WAL, key ring, verifier key) for one tamper case.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(dst, 0o700); err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		in, err := os.Open(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.OpenFile(filepath.Join(dst, e.Name()), os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			t.Fatal(err)
		}
		in.Close()
		out.Close()
	}
	return dst
}

// tamper runs SQL on a data folder's database directly, as a database administrator could.
func tamper(t *testing.T, dir string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, sqliteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("tamper %q: %v", s, err)
		}
	}
}

// TestAuditVerifyCatchesTampering builds a real log, keeps a checkpoint outside, and shows that `cleared audit
// verify` catches each way a database administrator could rewrite history, naming the entry. This is what lets
// the NSA prove who saw, received and destroyed a piece (A10.2, A11.2, A13.1).
func TestAuditVerifyCatchesTampering(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	srv := startServe(t, pass, "--demo", "--data", dir, "--log-level", "warn")
	if code := srv.stop(); code != 0 { // a clean stop signs a last checkpoint
		t.Fatalf("serve exit %d: %s", code, srv.err.String())
	}
	code, trustedNote, errs := run(t, nil, "audit", "checkpoint", "--data", dir)
	if code != 0 {
		t.Fatalf("audit checkpoint: %d %s", code, errs)
	}
	trusted := filepath.Join(t.TempDir(), "kept-by-the-auditor.txt")
	os.WriteFile(trusted, []byte(trustedNote), 0o600)
	size := regexp.MustCompile(`\n(\d+)\n`).FindStringSubmatch(trustedNote)
	if size == nil {
		t.Fatalf("checkpoint %q", trustedNote)
	}

	t.Run("an untouched log verifies and extends the kept checkpoint", func(t *testing.T) {
		code, out, errs := run(t, nil, "audit", "verify", "--data", dir, "--checkpoint", trusted)
		if code != 0 || !strings.HasPrefix(out, "OK: "+size[1]+" entries") || !strings.Contains(out, "extends the trusted checkpoint") {
			t.Fatalf("exit %d: %s %s", code, out, errs)
		}
	})

	other, _, _ := audit.NewKey("cleared/audit/forged")
	forged, err := audit.Sign(audit.Checkpoint{Origin: "cleared/audit/forged", Size: 40, Root: make([]byte, 32)}, other)
	if err != nil {
		t.Fatal(err)
	}
	// A clean truncation back to 20 entries sets the head's root to the root at 20, which the nodes give.
	root20 := rootAt(t, dir, 20)
	truncate := []string{
		`DELETE FROM audit_entries WHERE seq >= 20`,
		`DELETE FROM audit_nodes WHERE (idx + 1) * (1 << level) > 20`, `DELETE FROM audit_checkpoints WHERE size > 20`,
		`UPDATE audit_head SET size = 20, root = X'` + hex.EncodeToString(root20) + `'`}
	cases := []struct {
		name  string
		sql   []string
		entry string // the entry the verdict must name, "" for any
		args  []string
	}{
		{"(a) a payload edited", []string{`UPDATE audit_entries SET payload = CAST('{"reason":"nothing to see"}' AS BLOB) WHERE seq = 30`}, "30", nil},
		{"(b) an entry's field edited", []string{`UPDATE audit_entries SET actor = 'per_aaaaaaaaaaaaaaaaaaaaaaaaaa' WHERE seq = 31`}, "31", nil},
		{"(c) an entry deleted", []string{`DELETE FROM audit_entries WHERE seq = 33`}, "33", nil},
		{"(d) two entries swapped", []string{
			`UPDATE audit_entries SET seq = 1000000 WHERE seq = 34`, `UPDATE audit_entries SET seq = 34 WHERE seq = 35`, `UPDATE audit_entries SET seq = 35 WHERE seq = 1000000`}, "34", nil},
		{"(e) the log truncated and its checkpoints with it", truncate, "", []string{"--checkpoint", trusted}},
		{"(f) a checkpoint replaced by one signed with another key", []string{
			`DELETE FROM audit_checkpoints WHERE size <> (SELECT MAX(size) FROM audit_checkpoints)`,
			`UPDATE audit_checkpoints SET note = CAST('` + strings.ReplaceAll(string(forged), "'", "''") + `' AS BLOB)`}, "", nil},
		{"(f) a checkpoint's root altered under its signature", []string{
			`UPDATE audit_checkpoints SET note = CAST(replace(CAST(note AS TEXT), char(10) || '` + size[1] + `' || char(10), char(10) || '` + size[1] + `' || char(10) || 'x') AS BLOB)`}, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := copyDir(t, dir)
			tamper(t, d, tc.sql...)
			code, out, errs := run(t, nil, append([]string{"audit", "verify", "--data", d}, tc.args...)...)
			if code != 1 || !strings.HasPrefix(out, "FAIL: entry ") {
				t.Fatalf("tampering not detected: exit %d, %q %s", code, out, errs)
			}
			t.Log(strings.TrimSpace(out))
			if tc.entry != "" && !strings.HasPrefix(out, "FAIL: entry "+tc.entry+":") {
				t.Fatalf("verdict %q does not name entry %s", out, tc.entry)
			}
		})
	}
	t.Run("(b) an entry's field edited and its leaf hash recomputed correctly", func(t *testing.T) {
		// Leaf hashes need no secret: an administrator can recompute one. The signed checkpoints catch it.
		d := copyDir(t, dir)
		db, err := sql.Open("sqlite", filepath.Join(d, sqliteFile))
		if err != nil {
			t.Fatal(err)
		}
		var e audit.Entry
		var timeNS int64
		var actor, terminal, object, rule sql.NullString
		var hash []byte
		err = db.QueryRow(`SELECT seq, time_ns, actor, terminal, action, object, allowed, rule, payload_hash FROM audit_entries WHERE seq = 32`).
			Scan(&e.Seq, &timeNS, &actor, &terminal, &e.Action, &object, &e.Allowed, &rule, &hash)
		if err != nil {
			t.Fatal(err)
		}
		e.Time = time.Unix(0, timeNS).UTC()
		e.Actor, e.Terminal, e.Object, e.Rule = cleared.PersonID(actor.String), cleared.TerminalID(terminal.String), object.String, rule.String
		copy(e.PayloadHash[:], hash)
		e.Actor = "per_aaaaaaaaaaaaaaaaaaaaaaaaaa" // someone else did it
		leaf, err := e.LeafHash()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE audit_entries SET actor = $1, leaf_hash = $2 WHERE seq = 32`, string(e.Actor), leaf); err != nil {
			t.Fatal(err)
		}
		db.Close()
		code, out, _ := run(t, nil, "audit", "verify", "--data", d, "--checkpoint", trusted)
		t.Log(strings.TrimSpace(out))
		if code != 1 || !strings.HasPrefix(out, "FAIL: ") {
			t.Fatalf("a consistently rewritten entry was not detected: %d %s", code, out)
		}
	})
	t.Run("(e) without a checkpoint kept outside, a clean truncation goes unseen: keep checkpoints", func(t *testing.T) {
		d := copyDir(t, dir)
		tamper(t, d, truncate...)
		// The database alone cannot show what was cut off with its checkpoints: this is why auditors keep
		// checkpoints outside the system (docs/audit.md). The remaining log is consistent in itself.
		code, out, _ := run(t, nil, "audit", "verify", "--data", d)
		if code != 0 || !strings.HasPrefix(out, "OK: 20 entries") {
			t.Fatalf("exit %d: %s", code, out)
		}
	})
}

func TestAuditCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(t, pass, initArgs(dir)...); code != 0 {
		t.Fatal(errs)
	}
	code, out, _ := run(t, nil, "audit", "tail", "--data", dir)
	if code != 0 || !strings.Contains(out, "system.bootstrap") || !strings.Contains(out, "token.create") {
		t.Fatalf("tail: %d %s", code, out)
	}
	code, out, _ = run(t, nil, "audit", "show", "--data", dir, "0")
	if code != 0 || !strings.Contains(out, `"action": "system.bootstrap"`) || !strings.Contains(out, "ANS-PSC-2025-0001") {
		t.Fatalf("show: %d %s", code, out)
	}
	code, out, _ = run(t, nil, "audit", "verify", "--data", dir)
	if code != 0 || !strings.HasPrefix(out, "OK: 2 entries") {
		t.Fatalf("verify after init: %d %s", code, out)
	}
	code, out, errs := run(t, nil, "audit", "prove", "--data", dir, "--seq", "1", "--size", "2")
	if code != 0 {
		t.Fatalf("prove: %d %s", code, errs)
	}
	var ip struct {
		Record audit.Record `json:"record"`
		Root   []byte       `json:"root"`
		Proof  [][]byte     `json:"proof"`
	}
	if err := json.Unmarshal([]byte(out), &ip); err != nil {
		t.Fatal(err)
	}
	leaf, _ := ip.Record.Entry.LeafHash()
	if err := audit.VerifyInclusion(1, 2, leaf, ip.Proof, ip.Root); err != nil || ip.Record.Action != "token.create" {
		t.Fatalf("A11.2 the CLI's inclusion proof does not verify: %v %s", err, out)
	}
	if code, out, errs := run(t, nil, "audit", "prove", "--data", dir, "--from", "1", "--to", "2"); code != 0 || !strings.Contains(out, `"proof"`) {
		t.Fatalf("consistency: %d %s %s", code, out, errs)
	}
	for _, bad := range [][]string{{"audit"}, {"audit", "frob"}, {"audit", "prove", "--data", dir}, {"audit", "prove", "--data", dir, "--seq", "1", "--size", "2", "--from", "1"},
		{"audit", "prove", "--data", dir, "--seq", "2", "--size", "2"}, {"audit", "show", "--data", dir, "x"}, {"audit", "tail", "--data", dir, "-n", "0"}} {
		if code, _, _ := run(t, nil, bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
	if code, _, errs := run(t, nil, "audit", "show", "--data", dir, "999"); code != 1 || !strings.Contains(errs, "no audit entry 999") {
		t.Errorf("show 999: %d %s", code, errs)
	}
	if code, _, errs := run(t, nil, "audit", "verify", "--data", dir, "--vkey", filepath.Join(dir, "nope")); code != 1 || !strings.Contains(errs, "verifier key") {
		t.Errorf("missing vkey: %d %s", code, errs)
	}
}
