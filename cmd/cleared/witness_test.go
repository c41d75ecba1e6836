package main

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/witness"
)

// witnessProc is a `cleared witness serve` running in the test, on loopback.
type witnessProc struct {
	dir, vkey, url, addr string
	out, err             *syncBuffer
	stop                 func() int
}

// newWitness makes a witness's folder with `cleared witness init`.
func newWitness(t *testing.T, name string) *witnessProc {
	t.Helper()
	w := &witnessProc{dir: filepath.Join(t.TempDir(), "witness"), addr: "127.0.0.1:0"}
	code, out, errs := run(t, nil, "witness", "init", "--name", name, "--data", w.dir)
	if code != 0 {
		t.Fatalf("witness init: %d %s", code, errs)
	}
	w.vkey = strings.TrimSpace(out)
	if info, err := os.Stat(filepath.Join(w.dir, witnessKeyFile)); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("witness key file: %v %v, want mode 0600", err, info)
	}
	if code, _, _ := run(t, nil, "witness", "init", "--name", name, "--data", w.dir); code == 0 {
		t.Fatal("witness init replaced an existing key")
	}
	return w
}

// start runs the witness for the log whose verifier key file is vkeyFile, on the address it had, if it ran.
func (w *witnessProc) start(t *testing.T, vkeyFile string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w.out, w.err = &syncBuffer{}, &syncBuffer{}
	a := &app{stdout: w.out, stderr: w.err, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- a.main(ctx, []string{"witness", "serve", "--data", w.dir, "--log-file", vkeyFile, "--addr", w.addr, "--log-level", "warn"})
	}()
	w.stop = func() int { cancel(); return <-done }
	t.Cleanup(func() { cancel() })
	listening := regexp.MustCompile(`listening on (http://(127\.0\.0\.1:\d+))`)
	for range 200 {
		if m := listening.FindStringSubmatch(w.out.String()); m != nil {
			w.url, w.addr = m[1], m[2]
			return
		}
		select {
		case code := <-done:
			t.Fatalf("witness serve exited %d: %s", code, w.err.String())
		case <-time.After(25 * time.Millisecond):
		}
	}
	t.Fatalf("witness serve did not start: %s", w.err.String())
}

func httpGet(t *testing.T, url, token, accept string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls cond every 50 ms for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 400 {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestWitnesses runs two witnesses (`cleared witness serve`) beside `cleared serve --witness …`, on loopback with
// real keys, and shows that a log truncated, forked (continued two ways from one point, every head signed with the
// log's key) or signed again with a new key is refused by each witness and caught by `cleared audit verify
// --witness` with no checkpoint kept by hand; that the API serves a checkpoint that verifies with the log's key
// and both witnesses'; and that a witness that is down delays nothing and catches up when it is back.
func TestWitnesses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	srv := startServe(t, pass, "--demo", "--data", dir, "--log-level", "warn")
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, srv.err.String())
	}
	vkeyPath := filepath.Join(dir, vkeyFile)
	b, _ := os.ReadFile(vkeyPath)
	logKey := strings.TrimSpace(string(b))
	forkBase := copyDir(t, dir) // the same log, to be continued another way later: a fork

	w1, w2 := newWitness(t, "witness.ans-a.example/w1"), newWitness(t, "witness.ans-b.example/w2")
	w1.start(t, vkeyPath)
	w2.start(t, vkeyPath)
	witnessFlags := []string{"--witness", w1.url + "=" + w1.vkey, "--witness", w2.url + "=" + w2.vkey,
		"--witness-interval", "100ms", "--checkpoint-interval", "100ms"}
	srv = startServe(t, pass, append([]string{"--demo", "--data", dir, "--log-level", "warn"}, witnessFlags...)...)

	// Reads are audited: each list adds an entry, so checkpoints keep coming.
	cosigned := func(want int) func() bool {
		return func() bool {
			httpGet(t, srv.base+"/api/pieces", "cleared_demo_lea", "")
			_, n := httpGet(t, srv.base+"/api/audit/checkpoint", "cleared_demo_helene", "text/plain")
			return strings.Count(n, "\n— ") == want
		}
	}
	waitFor(t, "both witnesses to cosign", cosigned(3))
	_, served := httpGet(t, srv.base+"/api/audit/checkpoint", "cleared_demo_helene", "text/plain")
	lv, _ := note.NewVerifier(logKey)
	v1, _ := witness.NewVerifier(w1.vkey)
	v2, _ := witness.NewVerifier(w2.vkey)
	if n, err := note.Open([]byte(served), note.VerifierList(lv, v1, v2)); err != nil || len(n.Sigs) != 3 {
		t.Fatalf("the served checkpoint does not verify with the log's key and both witnesses': %v\n%s", err, served)
	}
	if _, err := audit.OpenCheckpoint([]byte(served), logKey); err != nil {
		t.Fatalf("the cosigned checkpoint is no longer a checkpoint an auditor can keep: %v", err)
	}

	// A witness down delays nothing: actions go on, the failure is logged and counted, and the witness, back,
	// cosigns from where it was.
	w2.stop()
	if code, _ := httpGet(t, srv.base+"/api/pieces", "cleared_demo_lea", ""); code != 200 {
		t.Fatalf("an action failed while a witness was down: %d", code)
	}
	waitFor(t, "the failure to be counted", func() bool {
		_, m := httpGet(t, srv.base+"/metrics", "", "")
		return strings.Contains(m, `cleared_witness_submissions_total{outcome="failed",witness="`+w2.url+`"}`)
	})
	if !strings.Contains(srv.err.String(), "witness did not cosign") {
		t.Fatalf("the failure was not logged: %s", srv.err.String())
	}
	// What the stopped witness saved, read from its state file.
	var before string
	if db, err := sql.Open("sqlite", filepath.Join(w2.dir, witnessStateFile)); err != nil {
		t.Fatal(err)
	} else if err := db.QueryRow(`SELECT CAST(note || cosignature AS TEXT) FROM logs`).Scan(&before); err != nil {
		t.Fatal(err)
	} else {
		db.Close()
	}
	w2.start(t, vkeyPath)
	// The server may submit a newer checkpoint the instant the witness is back: it then holds that one, larger. A
	// witness that lost its state would hold none, or start again from a smaller one.
	if _, after := httpGet(t, w2.url+"/checkpoint?origin="+keyName(logKey), "", ""); after != before && treeSize(t, after) <= treeSize(t, before) {
		t.Fatalf("the witness's state did not survive its restart:\n%s\nwas\n%s", after, before)
	}
	waitFor(t, "the witness to catch up", func() bool {
		httpGet(t, srv.base+"/api/pieces", "cleared_demo_lea", "")
		_, after := httpGet(t, w2.url+"/checkpoint?origin="+keyName(logKey), "", "")
		return after != before && strings.Count(after, "\n— ") == 2
	})
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, srv.err.String())
	}

	both := []string{"--witness", w1.vkey + "@" + w1.url, "--witness", w2.vkey + "@" + w2.url}
	t.Run("the log verifies against both witnesses, asked directly or as kept", func(t *testing.T) {
		code, out, errs := run(t, nil, append([]string{"audit", "verify", "--data", dir}, both...)...)
		if code != 0 || !strings.Contains(out, "cosigned by 2 witnesses (quorum 2)") {
			t.Fatalf("exit %d: %s %s", code, out, errs)
		}
		code, out, errs = run(t, nil, "audit", "verify", "--data", dir, "--witness", w1.vkey, "--witness", w2.vkey)
		if code != 0 || !strings.Contains(out, "cosigned by 2 witnesses (quorum 2)") {
			t.Fatalf("kept cosignatures: exit %d: %s %s", code, out, errs)
		}
		code, out, _ = run(t, nil, "audit", "checkpoint", "--data", dir)
		if n, err := note.Open([]byte(out), note.VerifierList(lv, v1, v2)); code != 0 || err != nil || len(n.Sigs) != 3 {
			t.Fatalf("audit checkpoint does not print the cosigned checkpoint: %v %s", err, out)
		}
	})

	// Each tampering below passes `audit verify` without a checkpoint kept by hand, and fails with the witnesses,
	// who say why. (Should the log's own checks catch one first, as the signed heads of every batch may, verify
	// fails before it asks the witnesses: that is detection too.)
	detected := func(t *testing.T, d, want string) {
		t.Helper()
		alone, out, _ := run(t, nil, "audit", "verify", "--data", d)
		t.Logf("without witnesses: %s", strings.TrimSpace(out))
		code, out, errs := run(t, nil, append([]string{"audit", "verify", "--data", d}, both...)...)
		t.Log(strings.TrimSpace(out))
		if code != 1 || !strings.HasPrefix(out, "FAIL: ") {
			t.Fatalf("not detected: exit %d, %q %s", code, out, errs)
		}
		if alone == 0 && (!strings.Contains(out, "FAIL: witness ") || !strings.Contains(out, want)) {
			t.Fatalf("the witnesses' verdict %q does not say %q", out, want)
		}
	}
	t.Run("a truncated log", func(t *testing.T) {
		d := copyDir(t, dir)
		db, err := sql.Open("sqlite", filepath.Join(d, sqliteFile))
		if err != nil {
			t.Fatal(err)
		}
		truncateLog(t, db, 20)
		db.Close()
		if code, out, _ := run(t, nil, "audit", "verify", "--data", d); code != 0 {
			t.Fatalf("the truncation is not consistent: the log's own checks see it: %s", out)
		}
		detected(t, d, "entries were removed")
		// The server, started on it, is refused by each witness (409, then no proof from what they know).
		s := startServe(t, pass, append([]string{"--demo", "--data", d, "--log-level", "warn"}, witnessFlags...)...)
		waitFor(t, "the refusal", func() bool { return strings.Count(s.err.String(), "the log was truncated or rolled back") >= 2 })
		s.stop()
	})
	t.Run("a forked log, every head signed with the log's key", func(t *testing.T) {
		d := copyDir(t, forkBase)
		s := startServe(t, pass, append([]string{"--demo", "--data", d, "--log-level", "warn"}, witnessFlags...)...)
		// Continued another way, and longer than what the witnesses saw.
		for range 200 {
			httpGet(t, s.base+"/api/pieces", "cleared_demo_sophie_zone", "")
		}
		waitFor(t, "each witness to refuse the fork", func() bool {
			httpGet(t, s.base+"/api/pieces", "cleared_demo_sophie_zone", "")
			return strings.Count(s.err.String(), "422 Unprocessable Entity") >= 2
		})
		s.stop()
		if db, err := sql.Open("sqlite", filepath.Join(d, sqliteFile)); err == nil {
			var n int
			db.QueryRow(`SELECT count(*) FROM audit_cosignatures`).Scan(&n)
			db.Close()
			if n != 0 {
				t.Fatalf("a witness cosigned the fork: %d cosignatures kept", n)
			}
		}
		detected(t, d, "(a fork)")
	})
	t.Run("a log signed again with a new key", func(t *testing.T) {
		d := copyDir(t, dir)
		db, err := sql.Open("sqlite", filepath.Join(d, sqliteFile))
		if err != nil {
			t.Fatal(err)
		}
		vkey, _ := resignLog(t, db, logKey)
		var latest []byte
		db.QueryRow(`SELECT note FROM audit_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&latest)
		db.Close()
		os.WriteFile(filepath.Join(d, vkeyFile), []byte(vkey+"\n"), 0o644)
		detected(t, d, "not signed by the log's key")
		// Each witness refuses the new key's checkpoint: 403.
		for _, w := range []*witnessProc{w1, w2} {
			c, err := witness.NewClient(w.url, w.vkey, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = c.AddCheckpoint(t.Context(), latest, 0, func(uint64) ([][]byte, error) { return nil, nil })
			var refused *witness.RefusedError
			if !errorsAs(err, &refused) || refused.Status != 403 {
				t.Fatalf("witness %s: %v, want 403", w.url, err)
			}
		}
	})
	t.Run("a cosignature forged in the database", func(t *testing.T) {
		// A database administrator can write rows, not witness signatures.
		d := copyDir(t, dir)
		db, err := sql.Open("sqlite", filepath.Join(d, sqliteFile))
		if err != nil {
			t.Fatal(err)
		}
		var w string
		var size int64
		var line []byte
		if err := db.QueryRow(`SELECT witness, size, signature FROM audit_cosignatures WHERE witness = $1 ORDER BY size DESC LIMIT 1`, w1.vkey).Scan(&w, &size, &line); err != nil {
			t.Fatal(err)
		}
		head, sig64, _ := strings.Cut(strings.TrimSuffix(string(line), "\n"), " "+keyName(w1.vkey)+" ")
		sig, _ := base64.StdEncoding.DecodeString(sig64)
		sig[len(sig)-1] ^= 1
		forged := head + " " + keyName(w1.vkey) + " " + base64.StdEncoding.EncodeToString(sig) + "\n"
		if _, err := db.Exec(`UPDATE audit_cosignatures SET signature = $1 WHERE witness = $2 AND size = $3`, []byte(forged), w, size); err != nil {
			t.Fatal(err)
		}
		db.Close()
		code, out, _ := run(t, nil, "audit", "verify", "--data", d, "--witness", w1.vkey, "--witness", w2.vkey)
		if code != 1 || !strings.Contains(out, "holds no valid cosignature by this witness") {
			t.Fatalf("exit %d: %s", code, out)
		}
	})
	t.Run("a quorum not met", func(t *testing.T) {
		other := newWitness(t, "witness.ans-c.example/w3")
		code, out, _ := run(t, nil, "audit", "verify", "--data", dir, "--witness", w1.vkey, "--witness", other.vkey)
		if code != 1 || !strings.Contains(out, "FAIL: 1 of the 2 witnesses given") {
			t.Fatalf("exit %d: %s", code, out)
		}
		code, out, _ = run(t, nil, "audit", "verify", "--data", dir, "--witness", w1.vkey, "--witness", other.vkey, "--quorum", "1")
		if code != 0 || !strings.Contains(out, "cosigned by 1 witness (quorum 1)") {
			t.Fatalf("exit %d: %s", code, out)
		}
		for _, bad := range [][]string{{"--quorum", "1"}, {"--witness", w1.vkey, "--quorum", "2"}, {"--witness", logKey}, {"--witness", w1.vkey, "--witness", w1.vkey}} {
			if code, _, _ := run(t, nil, append([]string{"audit", "verify", "--data", dir}, bad...)...); code != 2 {
				t.Errorf("%v: exit %d, want 2", bad, code)
			}
		}
	})
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// truncateLog cuts the log back to its last signed head of at most n entries, as a database administrator who
// wants it to look whole would: later entries, nodes, heads and cosignatures deleted, the head row set to the
// signed head's size and root. What remains is a consistent, signed log, which only witnesses can tell is short.
func truncateLog(t *testing.T, db *sql.DB, n int64) {
	t.Helper()
	var (
		size int64
		body []byte
	)
	if err := db.QueryRow(`SELECT size, note FROM audit_checkpoints WHERE size <= $1 ORDER BY size DESC LIMIT 1`, n).Scan(&size, &body); err != nil {
		t.Fatalf("the signed head to truncate to: %v", err)
	}
	lines := strings.SplitN(string(body), "\n", 4)
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(lines) < 4 {
		t.Fatalf("signed head %q: %v", body, err)
	}
	for _, q := range []string{`DELETE FROM audit_payloads WHERE seq >= $1`, `DELETE FROM audit_entries WHERE seq >= $1`,
		`DELETE FROM audit_nodes WHERE (idx + 1) * (1 << level) > $1`, `DELETE FROM audit_checkpoints WHERE size > $1`,
		`DELETE FROM audit_cosignatures WHERE $1 >= 0`} {
		if _, err := db.Exec(q, size); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := db.Exec(`UPDATE audit_head SET size = $1, root = $2 WHERE id = 1`, size, root); err != nil {
		t.Fatal(err)
	}
}

// resignLog signs every stored head again with a new key of the log's name, as whoever held a copy of the key ring
// could, deletes the kept cosignatures, and returns the new verifier key (for a replaced audit.vkey) and the notes
// as they were, to put back.
func resignLog(t *testing.T, db *sql.DB, logKey string) (vkey string, old map[int64][]byte) {
	t.Helper()
	skey, vkey, err := audit.NewKey(keyName(logKey))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT size, note FROM audit_checkpoints`)
	if err != nil {
		t.Fatal(err)
	}
	old, resigned := map[int64][]byte{}, map[int64][]byte{}
	for rows.Next() {
		var size int64
		var n []byte
		if err := rows.Scan(&size, &n); err != nil {
			t.Fatal(err)
		}
		c, err := audit.OpenCheckpoint(n, logKey)
		if err != nil {
			t.Fatal(err)
		}
		old[size] = n
		if resigned[size], err = audit.Sign(c, skey); err != nil {
			t.Fatal(err)
		}
	}
	rows.Close()
	setNotes(t, db, resigned)
	if _, err := db.Exec(`DELETE FROM audit_cosignatures WHERE size >= 0`); err != nil {
		t.Fatal(err)
	}
	return vkey, old
}

// setNotes stores the given signed heads, by size.
func setNotes(t *testing.T, db *sql.DB, notes map[int64][]byte) {
	t.Helper()
	for size, n := range notes {
		if _, err := db.Exec(`UPDATE audit_checkpoints SET note = $1 WHERE size = $2`, n, size); err != nil {
			t.Fatal(err)
		}
	}
}

func errorsAs[T error](err error, target *T) bool { return errors.As(err, target) }

// TestPostgresWitnesses runs the witnesses beside a server on PostgreSQL: cosignatures kept there, the cosigned
// checkpoint served, and a log signed again with a new key and a truncated one, each consistent on its own,
// caught by audit verify --witness.
func TestPostgresWitnesses(t *testing.T) {
	url, db := pgURL(t)
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, append(initArgs(dir), "--db", url)...)
	if code != 0 {
		t.Fatalf("init on PostgreSQL: %d %s", code, errs)
	}
	tok := regexp.MustCompile(`cleared_[a-z0-9]{52}`).FindString(out)
	vkeyPath := filepath.Join(dir, vkeyFile)
	w1, w2 := newWitness(t, "witness.ans-a.example/w1"), newWitness(t, "witness.ans-b.example/w2")
	w1.start(t, vkeyPath)
	w2.start(t, vkeyPath)
	srv := startServe(t, pass, "--data", dir, "--db", url, "--log-level", "warn",
		"--witness", w1.url+"="+w1.vkey, "--witness", w2.url+"="+w2.vkey, "--witness-interval", "100ms", "--checkpoint-interval", "100ms")
	waitFor(t, "both witnesses to cosign", func() bool {
		httpGet(t, srv.base+"/api/organisations", tok, "")
		_, n := httpGet(t, srv.base+"/api/audit/checkpoint", tok, "text/plain")
		return strings.Count(n, "\n— ") == 3 && !strings.Contains(n, "\n2\n")
	})
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, srv.err.String())
	}
	both := []string{"--witness", w1.vkey + "@" + w1.url, "--witness", w2.vkey + "@" + w2.url}
	code, out, errs = run(t, nil, append([]string{"audit", "verify", "--data", dir, "--db", url}, both...)...)
	if code != 0 || !strings.Contains(out, "cosigned by 2 witnesses (quorum 2)") {
		t.Fatalf("verify on PostgreSQL: %d %s %s", code, out, errs)
	}
	// A log signed again with a new key, audit.vkey replaced: each witness cosigned under the old one.
	logKey := strings.TrimSpace(readFile(t, vkeyPath))
	newKey, notes := resignLog(t, db, logKey)
	writeFile(t, vkeyPath, newKey+"\n")
	if code, out, _ := run(t, nil, "audit", "verify", "--data", dir, "--db", url); code != 0 {
		t.Fatalf("the re-signed log does not pass on its own: the log's own checks see it: %s", out)
	}
	code, out, _ = run(t, nil, append([]string{"audit", "verify", "--data", dir, "--db", url}, both...)...)
	if code != 1 || !strings.Contains(out, "not signed by the log's key") {
		t.Fatalf("a log re-signed with a new key on PostgreSQL was not caught: %d %s", code, out)
	}
	setNotes(t, db, notes)
	writeFile(t, vkeyPath, logKey+"\n")

	truncateLog(t, db, 2)
	if code, out, _ := run(t, nil, "audit", "verify", "--data", dir, "--db", url); code != 0 {
		t.Fatalf("the truncation is not consistent: the log's own checks see it: %s", out)
	}
	code, out, _ = run(t, nil, append([]string{"audit", "verify", "--data", dir, "--db", url}, both...)...)
	if code != 1 || !strings.Contains(out, "entries were removed") {
		t.Fatalf("a truncation on PostgreSQL was not caught: %d %s", code, out)
	}
}

func TestWitnessCommandLines(t *testing.T) {
	w := newWitness(t, "witness.test/w1")
	for _, bad := range [][]string{
		{"witness"}, {"witness", "frob"}, {"witness", "init", "--data", t.TempDir()},
		{"witness", "init", "--name", "with space", "--data", t.TempDir()},
		{"witness", "serve", "--data", w.dir},
		{"serve", "--witness", "http://127.0.0.1:1"},
		{"serve", "--witness", "http://127.0.0.1:1=" + w.vkey + "x"},
		{"serve", "--witness", "ftp://127.0.0.1:1=" + w.vkey},
		{"serve", "--witness-interval", "0s"},
	} {
		if code, _, errs := run(t, nil, bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", bad, code, errs)
		}
	}
	// A key others can read is refused: a witness's key is its word.
	os.Chmod(filepath.Join(w.dir, witnessKeyFile), 0o644)
	code, _, errs := run(t, nil, "witness", "serve", "--data", w.dir, "--log", "cleared/audit/x+00000000+AaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaA")
	if code != 1 || !strings.Contains(errs, "chmod 600") {
		t.Fatalf("a key readable by others: exit %d %s", code, errs)
	}
}

// treeSize reads the tree size of a checkpoint note (its second line), 0 when there is none.
func treeSize(t *testing.T, note string) uint64 {
	t.Helper()
	lines := strings.SplitN(note, "\n", 3)
	if len(lines) < 2 {
		return 0
	}
	n, err := strconv.ParseUint(lines[1], 10, 64)
	if err != nil {
		return 0
	}
	return n
}
