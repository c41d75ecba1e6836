package witness

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared"
)

// testWitness is a witness served over HTTP on loopback.
type testWitness struct {
	*Server
	url, skey, vkey, state string
	http                   *httptest.Server
}

// startWitness runs a witness of the logs (verifier keys) with a fresh key, its state in a temporary file.
func startWitness(t *testing.T, name string, logs ...string) *testWitness {
	t.Helper()
	skey, vkey, err := NewKey(name)
	if err != nil {
		t.Fatal(err)
	}
	w := &testWitness{skey: skey, vkey: vkey, state: filepath.Join(t.TempDir(), "witness.db")}
	w.restart(t, logs...)
	return w
}

// restart stops the witness, if it runs, and starts it again on the same key and state.
func (w *testWitness) restart(t *testing.T, logs ...string) {
	t.Helper()
	if w.http != nil {
		w.http.Close()
		w.Server.Close()
	}
	s, err := New(t.Context(), Config{Key: w.skey, Logs: logs, State: w.state})
	if err != nil {
		t.Fatal(err)
	}
	w.Server, w.http = s, httptest.NewServer(s)
	w.url = w.http.URL
	t.Cleanup(func() { w.http.Close(); s.Close() })
}

// post sends an add-checkpoint body and returns the status, Content-Type and body of the answer.
func (w *testWitness) post(t *testing.T, body []byte) (int, string, string) {
	t.Helper()
	resp, err := http.Post(w.url+"/add-checkpoint", "text/plain", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// latest returns what GET /checkpoint answers for origin.
func (w *testWitness) latest(t *testing.T, origin string) (int, string) {
	t.Helper()
	resp, err := http.Get(w.url + "/checkpoint?origin=" + origin)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// checkCosignature checks a cosignature line against the specification, by hand rather than with the library the
// witness signs with: key name, key ID SHA-256(name || "\n" || 0x04 || key)[:4], then timestamp || Ed25519
// signature over "cosignature/v1\ntime <t>\n" and the checkpoint's whole note body.
func checkCosignature(t *testing.T, vkey string, checkpoint []byte, line string) {
	t.Helper()
	name, rest, _ := strings.Cut(vkey, "+")
	_, key64, _ := strings.Cut(rest, "+")
	key, _ := base64.StdEncoding.DecodeString(key64)
	if len(key) != 33 || key[0] != 0x04 {
		t.Fatalf("witness vkey %q is not of signature type 0x04", vkey)
	}
	sigName, sig64, ok := strings.Cut(strings.TrimPrefix(strings.TrimSuffix(line, "\n"), "— "), " ")
	if !ok || sigName != name || !strings.HasPrefix(line, "— ") {
		t.Fatalf("cosignature line %q does not name the witness %s", line, name)
	}
	sig, err := base64.StdEncoding.DecodeString(sig64)
	if err != nil || len(sig) != 4+8+64 {
		t.Fatalf("cosignature %q: want base64 of key ID, timestamp and Ed25519 signature (76 bytes), got %d", sig64, len(sig))
	}
	if id := keyID(name, key); binary.BigEndian.Uint32(sig) != id {
		t.Fatalf("key ID %x, want %08x", sig[:4], id)
	}
	body, _, _ := bytes.Cut(checkpoint, []byte("\n\n"))
	msg := fmt.Appendf(nil, "cosignature/v1\ntime %d\n%s\n", binary.BigEndian.Uint64(sig[4:]), body)
	if !ed25519.Verify(key[1:], msg, sig[12:]) {
		t.Fatalf("the cosignature does not verify over %q", msg)
	}
}

func TestAddCheckpoint_cosigns_a_log_that_grows(t *testing.T) {
	log := newTestLog(t, "cleared/audit/test").grow(t, "a", 10)
	w := startWitness(t, "witness.test/w1", log.vkey)

	code, _, cosig := w.post(t, log.request(t, 0))
	if code != 200 {
		t.Fatalf("first checkpoint: %d %s", code, cosig)
	}
	checkCosignature(t, w.vkey, log.checkpoint(t), cosig)

	for _, n := range []int{1, 6, 17, 0} {
		old := log.size()
		log.grow(t, "a", n)
		code, _, cosig := w.post(t, log.request(t, old))
		if code != 200 {
			t.Fatalf("from %d to %d: %d %s", old, log.size(), code, cosig)
		}
		checkCosignature(t, w.vkey, log.checkpoint(t), cosig)
		// The cosigned checkpoint, as the log would serve it, verifies with both keys.
		v, _ := NewVerifier(w.vkey)
		lv, _ := note.NewVerifier(log.vkey)
		n, err := note.Open(append(log.checkpoint(t), cosig...), note.VerifierList(v, lv))
		if err != nil || len(n.Sigs) != 2 {
			t.Fatalf("cosigned note: %v, %d signatures", err, len(n.Sigs))
		}
	}
	code, got := w.latest(t, log.origin)
	if code != 200 || !strings.HasPrefix(got, strings.TrimSuffix(string(log.checkpoint(t)), "\n")) {
		t.Fatalf("GET /checkpoint: %d %q", code, got)
	}
}

// TestAddCheckpoint_refuses lists what a witness refuses, with the status tlog-witness gives, and checks each time
// that it still holds and serves the checkpoint it cosigned last.
func TestAddCheckpoint_refuses(t *testing.T) {
	log := newTestLog(t, "cleared/audit/test").grow(t, "a", 20)
	other := newTestLog(t, "cleared/audit/other").grow(t, "o", 3)
	w := startWitness(t, "witness.test/w1", log.vkey, other.vkey)
	if code, _, body := w.post(t, log.request(t, 0)); code != 200 {
		t.Fatalf("first checkpoint: %d %s", code, body)
	}
	_, kept := w.latest(t, log.origin)

	truncated := log.fork(t, 12)
	rewritten := log.fork(t, 7).grow(t, "rewritten", 13) // entry 7 on rewritten, heads signed again with the log's key
	longerFork := log.fork(t, 7).grow(t, "rewritten", 20)
	newKey := newTestLog(t, log.origin).grow(t, "a", 0)
	resigned := log.fork(t, 20).grow(t, "a", 2)
	resignedNote := resigned.signWith(t, newKey.skey)
	huge := append([]byte("old 0\n\n"), bytes.Repeat([]byte("x"), maxRequest)...)
	stranger := newTestLog(t, "cleared/audit/stranger").grow(t, "s", 2)

	cases := []struct {
		name   string
		body   []byte
		status int
		known  string // the size a 409 must give
	}{
		{"a truncated log, from the size the witness knows", Request{Old: 20, Note: truncated.checkpoint(t)}.Marshal(), 400, ""},
		{"a truncated log, from its own size", truncated.request(t, 12), 409, "20"},
		{"a truncated log, from nothing", truncated.request(t, 0), 409, "20"},
		{"a forked log of the same size (an entry rewritten, heads re-signed with the same key)", rewritten.request(t, 20), 409, "20"},
		{"a forked log that grew, with its own consistency proof", Request{Old: 20, Proof: longerFork.proof(t, 20), Note: longerFork.checkpoint(t)}.Marshal(), 422, ""},
		{"a forked log that grew, with the honest log's proof", Request{Old: 20, Proof: log.fork(t, 20).grow(t, "a", 20).proof(t, 20), Note: longerFork.checkpoint(t)}.Marshal(), 422, ""},
		{"a log re-signed with a new key of the same name", Request{Old: 20, Proof: resigned.proof(t, 20), Note: resignedNote}.Marshal(), 403, ""},
		{"a log the witness does not witness", stranger.request(t, 0), 404, ""},
		{"a stale old size", log.fork(t, 20).grow(t, "a", 1).request(t, 10), 409, "20"},
		{"an old size above the checkpoint's", Request{Old: 30, Note: log.checkpoint(t)}.Marshal(), 400, ""},
		{"a proof from size 0", Request{Old: 0, Proof: [][]byte{make([]byte, 32)}, Note: log.checkpoint(t)}.Marshal(), 400, ""},
		{"a malformed request", []byte("old 020\n\n" + string(log.checkpoint(t))), 400, ""},
		{"a request over 64 KiB", huge, 413, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, ctype, body := w.post(t, tc.body)
			if code != tc.status {
				t.Fatalf("status %d (%s), want %d", code, strings.TrimSpace(body), tc.status)
			}
			if tc.status == 409 && (ctype != "text/x.tlog.size" || body != tc.known+"\n") {
				t.Fatalf("409 answered %q as %q, want %q as text/x.tlog.size", body, ctype, tc.known+"\n")
			}
			if _, now := w.latest(t, log.origin); now != kept {
				t.Fatalf("the witness's state changed after a refusal:\n%s\nwas\n%s", now, kept)
			}
		})
	}
	// The other log the witness knows is unaffected, and is cosigned on its own.
	if code, _, body := w.post(t, other.request(t, 0)); code != 200 {
		t.Fatalf("the other log: %d %s", code, body)
	}
}

func TestState_survives_a_restart(t *testing.T) {
	log := newTestLog(t, "cleared/audit/test").grow(t, "a", 9)
	w := startWitness(t, "witness.test/w1", log.vkey)
	if code, _, body := w.post(t, log.request(t, 0)); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	_, before := w.latest(t, log.origin)
	w.restart(t, log.vkey)
	if _, after := w.latest(t, log.origin); after != before {
		t.Fatalf("after a restart the witness serves\n%s\nnot\n%s", after, before)
	}
	// A log that starts again from nothing (truncated to 0 and regrown) is told what the witness knows.
	if code, _, body := w.post(t, log.fork(t, 5).request(t, 0)); code != 409 || body != "9\n" {
		t.Fatalf("after a restart, a restarted log: %d %q, want 409 \"9\\n\"", code, body)
	}
	log.grow(t, "a", 3)
	if code, _, body := w.post(t, log.request(t, 9)); code != 200 {
		t.Fatalf("after a restart, growth: %d %s", code, body)
	}
}

// TestAddCheckpoint_concurrent sends, at once and many times each, an honest checkpoint and two forks, all from
// the size the witness knows, to two witness processes sharing one state file: the check and the save are one
// step, with a compare-and-swap on the size, so exactly one is cosigned, and no two roots for one size ever are.
func TestAddCheckpoint_concurrent(t *testing.T) {
	log := newTestLog(t, "cleared/audit/test").grow(t, "a", 8)
	w := startWitness(t, "witness.test/w1", log.vkey)
	if code, _, body := w.post(t, log.request(t, 0)); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	bodies := [][]byte{
		log.fork(t, 8).grow(t, "honest", 1).request(t, 8),
		log.fork(t, 8).grow(t, "fork A", 2).request(t, 8),
		log.fork(t, 8).grow(t, "fork B", 2).request(t, 8),
	}
	twin, err := New(t.Context(), Config{Key: w.skey, Logs: []string{log.vkey}, State: w.state})
	if err != nil {
		t.Fatal(err)
	}
	defer twin.Close()
	twinHTTP := httptest.NewServer(twin)
	defer twinHTTP.Close()
	urls := []string{w.url, twinHTTP.URL}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := map[int]int{}
	for i := range 30 {
		wg.Go(func() {
			resp, err := http.Post(urls[i%2]+"/add-checkpoint", "text/plain", bytes.NewReader(bodies[i%3]))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			switch resp.StatusCode {
			case 200:
				won[i%3]++
			case 409:
			default:
				t.Errorf("status %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	if len(won) != 1 {
		t.Fatalf("cosigned: %v; want exactly one of the three checkpoints, once", won)
	}
	for k, n := range won {
		if n != 1 {
			t.Fatalf("checkpoint %d cosigned %d times from one old size", k, n)
		}
	}
}

func TestNew_refuses_bad_configuration(t *testing.T) {
	skey, vkey, _ := NewKey("witness.test/w1")
	log := newTestLog(t, "cleared/audit/test")
	state := filepath.Join(t.TempDir(), "w.db")
	for name, cfg := range map[string]Config{
		"no log":            {Key: skey, State: state},
		"a bad log key":     {Key: skey, Logs: []string{"cleared/audit/test+00000000+AAAA"}, State: state},
		"a verifier as key": {Key: vkey, Logs: []string{log.vkey}, State: state},
		"a log key as key":  {Key: log.skey + "x", Logs: []string{log.vkey}, State: state},
	} {
		if _, err := New(context.Background(), cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := NewVerifier(log.vkey); err == nil {
		t.Error("NewVerifier took a log's Ed25519 note key (type 0x01) for a witness's cosignature key")
	}
}

func TestClient(t *testing.T) {
	log := newTestLog(t, "cleared/audit/test").grow(t, "a", 5)
	w := startWitness(t, "witness.test/w1", log.vkey)
	c, err := NewClient(w.url, w.vkey, nil)
	if err != nil {
		t.Fatal(err)
	}
	prove := func(from uint64) ([][]byte, error) { return log.proof(t, from), nil }
	if _, _, err := c.AddCheckpoint(t.Context(), log.checkpoint(t), 0, prove); err != nil {
		t.Fatal(err)
	}
	t.Run("a wrong old size is corrected from the witness's 409", func(t *testing.T) {
		log.grow(t, "a", 4)
		cosig, from, err := c.AddCheckpoint(t.Context(), log.checkpoint(t), 2, prove)
		if err != nil || from != 5 {
			t.Fatalf("from %d: %v", from, err)
		}
		checkCosignature(t, w.vkey, log.checkpoint(t), string(cosig))
	})
	t.Run("a refusal is a RefusedError with its status", func(t *testing.T) {
		fork := log.fork(t, 5).grow(t, "fork", 6)
		_, _, err := c.AddCheckpoint(t.Context(), fork.checkpoint(t), 9, func(from uint64) ([][]byte, error) { return fork.proof(t, from), nil })
		var refused *RefusedError
		if !errors.As(err, &refused) || refused.Status != 422 {
			t.Fatalf("%v, want a 422 RefusedError", err)
		}
	})
	t.Run("a witness that cannot be reached is ErrUnavailable", func(t *testing.T) {
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		c, _ := NewClient(down.URL, w.vkey, nil)
		_, _, err := c.AddCheckpoint(t.Context(), log.checkpoint(t), 9, prove)
		if !errors.Is(err, cleared.ErrUnavailable) {
			t.Fatalf("%v, want ErrUnavailable", err)
		}
	})
	t.Run("an answer that is not the witness's cosignature is refused", func(t *testing.T) {
		impostor := startWitness(t, "witness.test/impostor", log.vkey)
		for name, h := range map[string]http.HandlerFunc{
			"another witness's cosignature": func(rw http.ResponseWriter, r *http.Request) { impostor.ServeHTTP(rw, r) },
			"garbage":                       func(rw http.ResponseWriter, r *http.Request) { rw.Write([]byte("— witness.test/w1 AAAA\n")) },
		} {
			lying := httptest.NewServer(h)
			defer lying.Close()
			c, _ := NewClient(lying.URL, w.vkey, nil)
			if _, _, err := c.AddCheckpoint(t.Context(), log.checkpoint(t), 0, prove); !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("%s: %v, want ErrInvalid", name, err)
			}
		}
	})
}

func TestLatestCheckpoint(t *testing.T) {
	log := newTestLog(t, "cleared/audit/test").grow(t, "a", 3)
	w := startWitness(t, "witness.test/w1", log.vkey)
	if code, body := w.latest(t, log.origin); code != 404 {
		t.Fatalf("before any cosignature: %d %s, want 404", code, body)
	}
	if code, _, body := w.post(t, log.request(t, 0)); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	code, got := w.latest(t, log.origin)
	v, _ := NewVerifier(w.vkey)
	lv, _ := note.NewVerifier(log.vkey)
	if n, err := note.Open([]byte(got), note.VerifierList(v, lv)); code != 200 || err != nil || len(n.Sigs) != 2 {
		t.Fatalf("GET /checkpoint: %d %v %q, want the log's note with both signatures", code, err, got)
	}
	for _, q := range []string{"", "?origin=a&origin=b"} {
		resp, err := http.Get(w.url + "/checkpoint" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("GET /checkpoint%s: %d, want 400", q, resp.StatusCode)
		}
	}
	if code, _ := w.latest(t, "cleared/audit/unknown"); code != 404 {
		t.Errorf("an unknown log: %d, want 404", code)
	}
}
