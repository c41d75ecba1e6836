package auditclient_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/audit/auditclient"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/web"
)

// token is the demo's API token of Hélène, an NSA officer, who may read the audit log (A11.2).
const token = "cleared_demo_helene"

// liar is the real web server over a real log, with a middleware that can replace the answer to each route: a
// lie sees the request and can ask the honest server (or any handler) for its answer first.
type liar struct {
	real http.Handler
	mu   sync.Mutex
	lies map[string]lie // by URL path
}

// answer is an HTTP answer, as a lie rewrites it.
type answer struct {
	status int
	header http.Header
	body   []byte
}

type lie func(r *http.Request, honest func(*http.Request) answer) answer

func (l *liar) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	f := l.lies[r.URL.Path]
	l.mu.Unlock()
	a := serve(l.real, r)
	if f != nil {
		a = f(r, func(r *http.Request) answer { return serve(l.real, r) })
	}
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(a.status)
	w.Write(a.body)
}

func serve(h http.Handler, r *http.Request) answer {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return answer{rec.Code, rec.Header().Clone(), rec.Body.Bytes()}
}

// tell makes the server answer path with f until the test ends.
func (l *liar) tell(t *testing.T, path string, f lie) {
	l.mu.Lock()
	l.lies[path] = f
	l.mu.Unlock()
	t.Cleanup(func() {
		l.mu.Lock()
		delete(l.lies, path)
		l.mu.Unlock()
	})
}

// logEnv is one installation: its log, its API, and checkpoints signed along the way.
type logEnv struct {
	te  *testenv.Env
	api http.Handler
	// first, kept and latest are checkpoints of a growing log, smallest first; latest is the one the server
	// serves. The auditor kept "kept".
	first, kept, latest auditclient.Checkpoint
}

// newLog builds an installation whose log grows between three signed checkpoints.
func newLog(t *testing.T) *logEnv {
	t.Helper()
	te := testenv.New(t, testenv.Options{Now: time.Now})
	e := &logEnv{te: te, api: web.New(web.Config{Registry: te.Reg, Auth: te.Auth, Log: slog.New(slog.DiscardHandler)})}
	grow := func(n int) {
		for range n {
			if _, err := te.Reg.LatestCheckpoint(te.Ctx, te.As("helene")); err != nil && !errors.Is(err, cleared.ErrNotFound) {
				t.Fatal(err)
			}
		}
	}
	sign := func() auditclient.Checkpoint {
		cp, err := te.Reg.Checkpoint(te.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		c, err := auditclient.OpenCheckpoint(cp.Note, te.VKey)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	e.first = sign()
	grow(11)
	e.kept = sign()
	grow(29)
	e.latest = sign()
	return e
}

// record reads entry seq from the store, as a reference.
func (e *logEnv) record(t *testing.T, seq uint64) audit.Record {
	t.Helper()
	var rs []audit.Record
	err := e.te.Store.View(e.te.Ctx, func(tx store.Tx) (err error) { rs, err = tx.AuditRecords(seq, 1); return err })
	if err != nil || len(rs) != 1 {
		t.Fatalf("entry %d: %v", seq, err)
	}
	return rs[0]
}

// fixture is the lying server over one log, a second, independent log (another tree, another key), and a client
// of the first that trusts its key.
type fixture struct {
	*logEnv
	other  *logEnv
	liar   *liar
	client *auditclient.Client
	seq    uint64 // the entry whose inclusion is asked
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{logEnv: newLog(t), other: newLog(t)}
	f.liar = &liar{real: f.api, lies: map[string]lie{}}
	srv := httptest.NewServer(f.liar)
	t.Cleanup(srv.Close)
	c, err := auditclient.New(srv.URL, token, f.te.VKey)
	if err != nil {
		t.Fatal(err)
	}
	f.client = c
	f.seq = f.kept.Size() + 3
	return f
}

// prove runs what `cleared audit prove --checkpoint kept --seq N` runs: the latest checkpoint, its consistency
// with the kept one, the inclusion of entry seq in it.
func (f *fixture) prove(ctx context.Context) (audit.Entry, error) {
	cp, err := f.client.Checkpoint(ctx)
	if err != nil {
		return audit.Entry{}, err
	}
	if err := f.client.Extends(ctx, f.kept, cp); err != nil {
		return audit.Entry{}, err
	}
	return f.client.Included(ctx, cp, f.seq)
}

// wantRejected fails the test unless err is ErrRejected with a message holding want.
func wantRejected(t *testing.T, err error, want string) {
	t.Helper()
	if !errors.Is(err, auditclient.ErrRejected) {
		t.Fatalf("the lie was not rejected: %v", err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("rejected, but the message does not say %q: %v", want, err)
	}
}

// editJSON rewrites a JSON object's fields.
func editJSON(t *testing.T, a answer, edit func(m map[string]json.RawMessage)) answer {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("the honest server answered %d: %s", a.status, a.body)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	a.body = b
	return a
}

func raw(t *testing.T, v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// proofLie rewrites the proof of an honest answer.
func proofLie(t *testing.T, edit func(p [][]byte) [][]byte) lie {
	return func(r *http.Request, honest func(*http.Request) answer) answer {
		return editJSON(t, honest(r), func(m map[string]json.RawMessage) {
			var p [][]byte
			if err := json.Unmarshal(m["proof"], &p); err != nil {
				t.Fatal(err)
			}
			m["proof"] = raw(t, edit(p))
		})
	}
}

// fieldLie sets a field of an honest answer.
func fieldLie(t *testing.T, name string, v any) lie {
	return func(r *http.Request, honest func(*http.Request) answer) answer {
		return editJSON(t, honest(r), func(m map[string]json.RawMessage) { m[name] = raw(t, v) })
	}
}

// recordLie rewrites the record of an honest inclusion answer.
func recordLie(t *testing.T, edit func(rec *audit.Record, m map[string]json.RawMessage)) lie {
	return func(r *http.Request, honest func(*http.Request) answer) answer {
		return editJSON(t, honest(r), func(m map[string]json.RawMessage) {
			var rec audit.Record
			if err := json.Unmarshal(m["record"], &rec); err != nil {
				t.Fatal(err)
			}
			edit(&rec, nil)
			var fields map[string]json.RawMessage
			if err := json.Unmarshal(raw(t, rec), &fields); err != nil {
				t.Fatal(err)
			}
			edit(&rec, fields)
			m["record"] = raw(t, fields)
		})
	}
}

// askInstead answers with what h answers to the same request with other query parameters.
func askInstead(h http.Handler, set map[string]string) lie {
	return func(r *http.Request, honest func(*http.Request) answer) answer {
		r2 := r.Clone(r.Context())
		q := r2.URL.Query()
		for k, v := range set {
			q.Set(k, v)
		}
		r2.URL.RawQuery = q.Encode()
		r2.RequestURI = r2.URL.RequestURI()
		if h == nil {
			return honest(r2)
		}
		return serve(h, r2)
	}
}

// noteLie answers the checkpoint route with a signed note of its own.
func noteLie(note []byte) lie {
	return func(*http.Request, func(*http.Request) answer) answer {
		return answer{http.StatusOK, http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, note}
	}
}

func u(n uint64) string { return strconv.FormatUint(n, 10) }

// asked is the value of a query parameter of the request: what the client asked.
func asked(r *http.Request, name string) uint64 {
	n, _ := strconv.ParseUint(r.URL.Query().Get(name), 10, 64)
	return n
}

const (
	pathCheckpoint  = "/api/audit/checkpoint"
	pathInclusion   = "/api/audit/proof/inclusion"
	pathConsistency = "/api/audit/proof/consistency"
)

// TestClient_Honest: the honest server's answers are accepted, and the entry returned is the stored one.
func TestClient_Honest(t *testing.T) {
	f := newFixture(t)
	e, err := f.prove(t.Context())
	if err != nil {
		t.Fatalf("the honest server's proofs are refused: %v", err)
	}
	if want := f.record(t, f.seq).Entry; !e.Time.Equal(want.Time) || e.Action != want.Action || e.Actor != want.Actor || e.Seq != want.Seq {
		t.Fatalf("entry %v, stored %v", e, want)
	}
	cp, err := f.client.Checkpoint(t.Context())
	// The server serves the latest checkpoint signed (a later one if it signs as it appends).
	if err != nil || cp.Size() < f.latest.Size() || cp.Size() == f.latest.Size() && !bytes.Equal(cp.Root(), f.latest.Root()) {
		t.Fatalf("checkpoint %+v, %v; want the latest signed, %+v", cp, err, f.latest)
	}
	for _, old := range []auditclient.Checkpoint{f.first, f.kept, f.latest} {
		if err := f.client.Extends(t.Context(), old, cp); err != nil {
			t.Errorf("from size %d: %v", old.Size(), err)
		}
	}
	for _, seq := range []uint64{0, 1, f.kept.Size() - 1, f.latest.Size() - 1} {
		if _, err := f.client.Included(t.Context(), cp, seq); err != nil {
			t.Errorf("entry %d: %v", seq, err)
		}
	}
	if _, err := f.client.Included(t.Context(), cp, cp.Size()); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("entry %d of a log of %d: %v, want ErrInvalid", cp.Size(), cp.Size(), err)
	}
	t.Run("a checkpoint nobody verified, or verified with another log's key, is refused", func(t *testing.T) {
		for _, err := range []error{
			f.client.Extends(t.Context(), auditclient.Checkpoint{}, cp),
			f.client.Extends(t.Context(), f.kept, auditclient.Checkpoint{}),
			f.client.Extends(t.Context(), f.other.kept, cp),
			second(f.client.Included(t.Context(), auditclient.Checkpoint{}, 0)),
			second(f.client.Included(t.Context(), f.other.latest, 0)),
		} {
			if !errors.Is(err, cleared.ErrInvalid) || errors.Is(err, auditclient.ErrRejected) {
				t.Errorf("%v, want ErrInvalid", err)
			}
		}
	})
}

// TestClient_MangledProofs: every byte of every hash of an honest proof flipped in turn, a hash removed, added,
// hashes reordered: each forged proof is rejected, inclusion and consistency alike.
func TestClient_MangledProofs(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{pathInclusion, pathConsistency} {
		t.Run(path, func(t *testing.T) {
			n := 0
			f.liar.tell(t, path, proofLie(t, func(p [][]byte) [][]byte { n = len(p); return p }))
			if _, err := f.prove(t.Context()); err != nil || n < 3 {
				t.Fatalf("honest proof of %d hashes: %v", n, err)
			}
			for k := range n {
				for i := range 32 {
					f.liar.tell(t, path, proofLie(t, func(p [][]byte) [][]byte { p[k][i] ^= 0x01; return p }))
					_, err := f.prove(t.Context())
					if !errors.Is(err, auditclient.ErrRejected) {
						t.Fatalf("hash %d, byte %d flipped: accepted (%v)", k, i, err)
					}
				}
			}
			for _, c := range []struct {
				name string
				edit func(p [][]byte) [][]byte
				want string
			}{
				{"the first hash removed", func(p [][]byte) [][]byte { return p[1:] }, "wrong proof size"},
				{"the last hash removed", func(p [][]byte) [][]byte { return p[:len(p)-1] }, "wrong proof size"},
				{"no hash at all", func([][]byte) [][]byte { return nil }, "does not verify"},
				{"a hash added at the end", func(p [][]byte) [][]byte { return append(p, p[0]) }, "wrong proof size"},
				{"a hash added at the start", func(p [][]byte) [][]byte { return append([][]byte{p[0]}, p...) }, "wrong proof size"},
				{"the first two hashes swapped", func(p [][]byte) [][]byte { p[0], p[1] = p[1], p[0]; return p }, "does not verify"},
				{"the hashes reversed", func(p [][]byte) [][]byte { slices.Reverse(p); return p }, "does not verify"},
				{"a hash of 33 bytes", func(p [][]byte) [][]byte { p[0] = append(p[0], 0); return p }, "33 bytes"},
				{"a hash of 31 bytes", func(p [][]byte) [][]byte { p[0] = p[0][:31]; return p }, "31 bytes"},
			} {
				t.Run(c.name, func(t *testing.T) {
					f.liar.tell(t, path, proofLie(t, c.edit))
					_, err := f.prove(t.Context())
					wantRejected(t, err, c.want)
				})
			}
		})
	}
}

// TestClient_WrongSizes: answers about other entries or sizes than those asked are rejected, whether the answer
// says so or pretends to be the one asked.
func TestClient_WrongSizes(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		name, path string
		lie        lie
		want       string
	}{
		{"inclusion: the size answered is not the size asked", pathInclusion, fieldLie(t, "size", f.latest.Size()-1), "answered one in the tree of"},
		{"inclusion: the proof in a smaller tree, saying so", pathInclusion, askInstead(nil, map[string]string{"size": u(f.kept.Size() + 5)}), "answered one in the tree of"},
		{"inclusion: the proof in a smaller tree, as if it were the tree asked", pathInclusion, func(r *http.Request, honest func(*http.Request) answer) answer {
			return editJSON(t, askInstead(nil, map[string]string{"size": u(f.kept.Size() + 5)})(r, honest), func(m map[string]json.RawMessage) { m["size"] = raw(t, asked(r, "size")) })
		}, "does not verify"},
		{"inclusion: another entry, saying so", pathInclusion, askInstead(nil, map[string]string{"seq": u(f.seq + 1)}), "answered with entry"},
		{"inclusion: another entry's proof under this entry", pathInclusion, func(r *http.Request, honest func(*http.Request) answer) answer {
			other := askInstead(nil, map[string]string{"seq": u(f.seq + 1)})(r, honest)
			return editJSON(t, honest(r), func(m map[string]json.RawMessage) {
				var o map[string]json.RawMessage
				json.Unmarshal(other.body, &o)
				m["proof"] = o["proof"]
			})
		}, "does not verify"},
		{"inclusion: another entry, renumbered as the one asked", pathInclusion, func(r *http.Request, honest func(*http.Request) answer) answer {
			a := askInstead(nil, map[string]string{"seq": u(f.seq + 1)})(r, honest)
			return recordLie(t, func(rec *audit.Record, m map[string]json.RawMessage) {
				if m == nil {
					rec.Seq = f.seq
					rec.LeafHash, _ = rec.Entry.LeafHash()
				}
			})(r, func(*http.Request) answer { return a })
		}, "does not verify"},
		{"consistency: from other than asked", pathConsistency, fieldLie(t, "from", f.kept.Size()+1), "answered one from"},
		{"consistency: to other than asked", pathConsistency, fieldLie(t, "to", f.latest.Size()-1), "answered one from"},
		{"consistency: the proof between other sizes, saying so", pathConsistency, askInstead(nil, map[string]string{"from": u(f.kept.Size() - 1)}), "answered one from"},
		{"consistency: the proof between other sizes, as if asked", pathConsistency, func(r *http.Request, honest func(*http.Request) answer) answer {
			a := askInstead(nil, map[string]string{"from": u(f.kept.Size() - 1)})(r, honest)
			return editJSON(t, a, func(m map[string]json.RawMessage) { m["from"] = raw(t, f.kept.Size()) })
		}, "does not verify"},
		{"consistency: the proof to a smaller tree, as if asked", pathConsistency, func(r *http.Request, honest func(*http.Request) answer) answer {
			a := askInstead(nil, map[string]string{"to": u(asked(r, "to") - 1)})(r, honest)
			return editJSON(t, a, func(m map[string]json.RawMessage) { m["to"] = raw(t, asked(r, "to")) })
		}, "does not verify"},
		{"consistency: no sizes", pathConsistency, func(r *http.Request, honest func(*http.Request) answer) answer {
			return editJSON(t, honest(r), func(m map[string]json.RawMessage) { delete(m, "from"); delete(m, "to") })
		}, "does not say between which sizes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.liar.tell(t, c.path, c.lie)
			_, err := f.prove(t.Context())
			wantRejected(t, err, c.want)
		})
	}
}

// TestClient_AnotherTree: proofs and checkpoints of a second log, signed by its own key, are rejected.
func TestClient_AnotherTree(t *testing.T) {
	f := newFixture(t)
	otherNote, err := f.other.te.Reg.Checkpoint(f.other.te.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The same origin signed by another key: what a server holding another key would sign.
	impostor, err := audit.Sign(plain(f.latest), f.other.te.Signer)
	if err != nil {
		t.Fatal(err)
	}
	// otherTree answers with the other log's proof in its latest tree, as if it were in the tree asked.
	otherTree := func(path, size string) lie {
		return func(r *http.Request, honest func(*http.Request) answer) answer {
			a := askInstead(f.other.api, map[string]string{size: u(f.other.latest.Size())})(r, honest)
			return editJSON(t, a, func(m map[string]json.RawMessage) { m[size] = raw(t, asked(r, size)) })
		}
	}
	for _, c := range []struct {
		name, path string
		lie        lie
		want       string
	}{
		{"an inclusion proof of the other tree", pathInclusion, otherTree(pathInclusion, "size"), "does not verify"},
		{"a consistency proof of the other tree", pathConsistency, otherTree(pathConsistency, "to"), "does not verify"},
		{"the other log's checkpoint", pathCheckpoint, noteLie(otherNote.Note), "not signed by the log's key"},
		{"this log's checkpoint signed by another key of the same name", pathCheckpoint, noteLie(impostor), "not signed by the log's key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.liar.tell(t, c.path, c.lie)
			_, err := f.prove(t.Context())
			wantRejected(t, err, c.want)
		})
	}
}

// TestClient_MangledCheckpoint: every byte of the signed checkpoint flipped in turn; checkpoints that the log's key
// signed but that do not extend the kept one (an older one, a fork); answers of the wrong type.
func TestClient_MangledCheckpoint(t *testing.T) {
	f := newFixture(t)
	latest, err := f.te.Reg.Checkpoint(f.te.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range latest.Note {
		note := slices.Clone(latest.Note)
		note[i] ^= 0x01
		f.liar.tell(t, pathCheckpoint, noteLie(note))
		if _, err := f.prove(t.Context()); !errors.Is(err, auditclient.ErrRejected) {
			t.Fatalf("byte %d (%q) flipped: accepted (%v)", i, latest.Note[i], err)
		}
	}
	signed := func(c audit.Checkpoint) []byte {
		n, err := audit.Sign(c, f.te.Signer)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	other := slices.Clone(f.latest.Root())
	other[0] ^= 1
	for _, c := range []struct {
		name string
		lie  lie
		want string
	}{
		{"an older checkpoint than the one kept", noteLie(signed(plain(f.first))), "fewer than the"},
		{"a fork: the size kept, another root", noteLie(signed(audit.Checkpoint{Origin: f.kept.Origin(), Size: f.kept.Size(), Root: other})), "forked"},
		{"a fork: a later size whose root the proofs do not lead to", noteLie(signed(audit.Checkpoint{Origin: f.latest.Origin(), Size: f.latest.Size(), Root: other})), "does not verify"},
		{"the JSON form, not the note", func(r *http.Request, honest func(*http.Request) answer) answer {
			r2 := r.Clone(r.Context())
			r2.Header.Set("Accept", "application/json")
			return honest(r2)
		}, "not text/plain"},
		{"an empty answer", noteLie(nil), "not a signed note"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.liar.tell(t, pathCheckpoint, c.lie)
			_, err := f.prove(t.Context())
			wantRejected(t, err, c.want)
		})
	}
}

// TestClient_EntryNotItsLeaf: the entry shown must be the one its leaf commits to. A field changed, with or without
// the leaf hash recomputed to match, a field the leaf does not commit to, or a root beside the proof that is not
// the checkpoint's: each is rejected.
func TestClient_EntryNotItsLeaf(t *testing.T) {
	f := newFixture(t)
	rehash := func(rec *audit.Record) {
		rec.LeafHash, _ = rec.Entry.LeafHash()
	}
	for _, c := range []struct {
		name string
		lie  lie
		want string
	}{
		{"another action, the leaf hash kept", recordLie(t, func(rec *audit.Record, m map[string]json.RawMessage) {
			if m == nil {
				rec.Action = "piece.destroy"
			}
		}), "do not hash to the leaf hash"},
		{"another actor, the leaf hash kept", recordLie(t, func(rec *audit.Record, m map[string]json.RawMessage) {
			if m == nil {
				rec.Actor = "per_nobody"
			}
		}), "do not hash to the leaf hash"},
		{"another time, the leaf hash kept", recordLie(t, func(rec *audit.Record, m map[string]json.RawMessage) {
			if m == nil {
				rec.Time = rec.Time.Add(time.Hour)
			}
		}), "do not hash to the leaf hash"},
		{"a refusal shown as allowed, the leaf hash recomputed", recordLie(t, func(rec *audit.Record, m map[string]json.RawMessage) {
			if m == nil {
				rec.Allowed, rec.Rule = !rec.Allowed, map[bool]string{true: "A9.1", false: ""}[rec.Allowed]
				rehash(rec)
			}
		}), "does not verify"},
		{"another object, the leaf hash recomputed", recordLie(t, func(rec *audit.Record, m map[string]json.RawMessage) {
			if m == nil {
				rec.Object = "pce_other"
				rehash(rec)
			}
		}), "does not verify"},
		{"another payload hash, the leaf hash recomputed", recordLie(t, func(rec *audit.Record, m map[string]json.RawMessage) {
			if m == nil {
				rec.PayloadHash[0] ^= 1
				rehash(rec)
			}
		}), "does not verify"},
		{"no leaf hash", recordLie(t, func(rec *audit.Record, m map[string]json.RawMessage) {
			if m != nil {
				delete(m, "leaf_hash")
			}
		}), "do not hash to the leaf hash"},
		{"a field the leaf does not commit to", recordLie(t, func(rec *audit.Record, m map[string]json.RawMessage) {
			if m != nil {
				m["level"] = json.RawMessage(`"TOP SECRET"`)
			}
		}), "unknown field"},
		{"a field beside the proof the API does not have", fieldLie(t, "note", "trust me"), "unknown field"},
		{"a root beside the proof that is not the checkpoint's", fieldLie(t, "root", bytes.Repeat([]byte{7}, 32)), "not the signed checkpoint's"},
		{"no record", func(r *http.Request, honest func(*http.Request) answer) answer {
			return editJSON(t, honest(r), func(m map[string]json.RawMessage) { delete(m, "record") })
		}, "lacks the record"},
		{"two JSON values", func(r *http.Request, honest func(*http.Request) answer) answer {
			a := honest(r)
			a.body = append(a.body, a.body...)
			return a
		}, "more than one JSON value"},
		{"an answer of another type", func(r *http.Request, honest func(*http.Request) answer) answer {
			a := honest(r)
			a.header.Set("Content-Type", "text/html")
			return a
		}, "not application/json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.liar.tell(t, pathInclusion, c.lie)
			_, err := f.prove(t.Context())
			wantRejected(t, err, c.want)
		})
	}
	t.Run("a root beside the proof that is the checkpoint's is accepted", func(t *testing.T) {
		cp, err := f.client.Checkpoint(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		f.liar.tell(t, pathInclusion, fieldLie(t, "root", cp.Root()))
		if _, err := f.client.Included(t.Context(), cp, f.seq); err != nil {
			t.Fatal(err)
		}
	})
}

// TestClient_ServerErrors: a refusal or an error of the server is an error that says what the server answered,
// not a rejection of a proof; the token is never in it.
func TestClient_ServerErrors(t *testing.T) {
	f := newFixture(t)
	t.Run("A11.2 a holder's token is refused, and the error says so without the token", func(t *testing.T) {
		f.liar.tell(t, pathInclusion, func(r *http.Request, honest func(*http.Request) answer) answer {
			r2 := r.Clone(r.Context())
			r2.Header.Set("Authorization", "Bearer cleared_demo_tom")
			return honest(r2)
		})
		_, err := f.prove(t.Context())
		if err == nil || errors.Is(err, auditclient.ErrRejected) || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "A11.2") {
			t.Fatalf("a 403 from the server: %v", err)
		}
		if strings.Contains(err.Error(), token) {
			t.Fatalf("the token is in the error: %v", err)
		}
	})
	t.Run("a redirect is not followed", func(t *testing.T) {
		f.liar.tell(t, pathCheckpoint, func(*http.Request, func(*http.Request) answer) answer {
			return answer{http.StatusFound, http.Header{"Location": {"https://elsewhere.example/"}}, nil}
		})
		if _, err := f.prove(t.Context()); err == nil || !strings.Contains(err.Error(), "302") {
			t.Fatalf("a redirect is followed: %v", err)
		}
	})
	t.Run("an answer too long is refused", func(t *testing.T) {
		f.liar.tell(t, pathCheckpoint, noteLie(bytes.Repeat([]byte("x"), 1<<20)))
		_, err := f.prove(t.Context())
		wantRejected(t, err, "longer than")
	})
}

// TestClient_TLS: over https, with the transport the caller gives (here one that trusts the test server's
// certificate), the checks are the same; a redirect is still not followed.
func TestClient_TLS(t *testing.T) {
	e := newLog(t)
	srv := httptest.NewTLSServer(e.api)
	t.Cleanup(srv.Close)
	c, err := auditclient.New(srv.URL, token, e.te.VKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Checkpoint(t.Context()); err == nil {
		t.Fatal("a certificate nobody trusts is accepted")
	}
	hc := srv.Client()
	hc.CheckRedirect = nil // follow redirects: the client must not
	c.WithHTTPClient(hc)
	cp, err := c.Checkpoint(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Extends(t.Context(), e.kept, cp); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Included(t.Context(), cp, e.kept.Size()); err != nil {
		t.Fatal(err)
	}
	redirect := httptest.NewTLSServer(http.RedirectHandler(srv.URL+"/api/audit/checkpoint", http.StatusFound))
	t.Cleanup(redirect.Close)
	r, _ := auditclient.New(redirect.URL, token, e.te.VKey)
	r.WithHTTPClient(hc)
	if _, err := r.Checkpoint(t.Context()); err == nil || !strings.Contains(err.Error(), "302") {
		t.Fatalf("a redirect is followed: %v", err)
	}
}

// TestNew_ErrInvalid: the client refuses to send its token in clear beyond this machine, and malformed inputs.
func TestNew_ErrInvalid(t *testing.T) {
	_, vkey, _ := audit.NewKey("cleared.test/audit")
	for _, c := range []struct{ url, token, key string }{
		{"http://cleared.example", token, vkey},
		{"ftp://127.0.0.1", token, vkey},
		{"https://user:pw@cleared.example", token, vkey},
		{"https://cleared.example?x=1", token, vkey},
		{"cleared.example", token, vkey},
		{"https://cleared.example", "", vkey},
		{"https://cleared.example", "a b", vkey},
		{"https://cleared.example", token, "not a key"},
	} {
		if _, err := auditclient.New(c.url, c.token, c.key); !errors.Is(err, cleared.ErrInvalid) || strings.Contains(err.Error(), token) && c.token != "" {
			t.Errorf("New(%q, %q, %q) = %v, want ErrInvalid without the token", c.url, c.token, c.key, err)
		}
	}
	for _, ok := range []string{"https://cleared.example", "https://cleared.example/base/", "http://127.0.0.1:8080", "http://[::1]:8080", "http://localhost:8080"} {
		if _, err := auditclient.New(ok, token, vkey); err != nil {
			t.Errorf("New(%q): %v", ok, err)
		}
	}
}

// TestOpenCheckpoint reads the checkpoint form with and without the extension line that chains signed heads, and
// refuses any other extension, malformed lines, and notes not signed by the key.
func TestOpenCheckpoint(t *testing.T) {
	skey, vkey, err := audit.NewKey("cleared.test/audit")
	if err != nil {
		t.Fatal(err)
	}
	otherSkey, _, _ := audit.NewKey("cleared.test/audit")
	_, otherVkey, _ := audit.NewKey("cleared.test/other")
	root := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	prev := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{2}, 32))
	sign := func(text, key string) []byte {
		t.Helper()
		s, err := noteSigner(key)
		if err != nil {
			t.Fatal(err)
		}
		b, err := s(text)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range []struct {
		name, text, key string
		ok              bool
	}{
		{"three lines", "cleared.test/audit\n42\n" + root + "\n", skey, true},
		{"the chain to the previous head", "cleared.test/audit\n42\n" + root + "\nprev 41 " + prev + "\n", skey, true},
		{"the chain from size 0", "cleared.test/audit\n1\n" + root + "\nprev 0 " + prev + "\n", skey, true},
		{"a previous head larger than the checkpoint", "cleared.test/audit\n42\n" + root + "\nprev 43 " + prev + "\n", skey, false},
		{"a previous head of the checkpoint's size", "cleared.test/audit\n42\n" + root + "\nprev 42 " + prev + "\n", skey, false},
		{"another extension", "cleared.test/audit\n42\n" + root + "\nnext 43 " + prev + "\n", skey, false},
		{"two extension lines", "cleared.test/audit\n42\n" + root + "\nprev 41 " + prev + "\nprev 40 " + prev + "\n", skey, false},
		{"a previous hash of 31 bytes", "cleared.test/audit\n42\n" + root + "\nprev 41 " + base64.StdEncoding.EncodeToString(make([]byte, 31)) + "\n", skey, false},
		{"a size with a leading zero", "cleared.test/audit\n042\n" + root + "\n", skey, false},
		{"a negative size", "cleared.test/audit\n-42\n" + root + "\n", skey, false},
		{"a root of 31 bytes", "cleared.test/audit\n42\n" + base64.StdEncoding.EncodeToString(make([]byte, 31)) + "\n", skey, false},
		{"a root in URL base64", "cleared.test/audit\n42\n" + base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32)) + "\n", skey, false},
		{"two lines", "cleared.test/audit\n42\n", skey, false},
		{"signed by another key of the same name", "cleared.test/audit\n42\n" + root + "\n", otherSkey, false},
		{"another log's origin, signed by the log's key", "cleared.test/other\n42\n" + root + "\n", skey, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cp, err := auditclient.OpenCheckpoint(sign(c.text, c.key), vkey)
			switch {
			case c.ok && (err != nil || cp.Size() != 42 && cp.Size() != 1):
				t.Fatalf("refused: %v", err)
			case !c.ok && !errors.Is(err, cleared.ErrInvalid):
				t.Fatalf("accepted: %+v, %v", cp, err)
			}
		})
	}
	if _, err := auditclient.OpenCheckpoint(sign("cleared.test/audit\n42\n"+root+"\n", skey), otherVkey); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("the key of another log: %v", err)
	}
	t.Run("a signature in non-canonical base64 is refused", func(t *testing.T) {
		// The signature is 68 bytes: its last base64 digit before "=" carries two padding bits, which a lax
		// decoder ignores. The note signed is the same; its bytes are not.
		n := sign("cleared.test/audit\n42\n"+root+"\n", skey)
		const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		i := bytes.LastIndexByte(n, '=') - 1
		n[i] = digits[strings.IndexByte(digits, n[i])^1]
		_, err := auditclient.OpenCheckpoint(n, vkey)
		if !errors.Is(err, audit.ErrBadSignature) || !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("%s: %v", n, err)
		}
	})
	t.Run("a witness's cosignature beside the log's is ignored", func(t *testing.T) {
		n := sign("cleared.test/audit\n42\n"+root+"\n", skey)
		w := sign("cleared.test/audit\n42\n"+root+"\n", otherSkey)
		// Append the other signature line to the first note.
		sig := w[bytes.LastIndex(w[:len(w)-1], []byte("\n"))+1:]
		n = append(n, sig...)
		if _, err := auditclient.OpenCheckpoint(n, vkey); err != nil {
			t.Fatal(err)
		}
	})
}

// ExampleClient shows the checks of `cleared audit prove --server`.
func ExampleClient() {
	ctx := context.Background()
	c, err := auditclient.New("https://cleared.example", "cleared_…", "cleared/audit/1a2b3c4d+…")
	if err != nil {
		fmt.Println(err)
		return
	}
	cp, err := c.Checkpoint(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	kept, err := auditclient.OpenCheckpoint([]byte("the checkpoint kept"), "cleared/audit/1a2b3c4d+…")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Extends(ctx, kept, cp); err != nil {
		fmt.Println(err)
		return
	}
	e, err := c.Included(ctx, cp, 42)
	fmt.Println(e, err)
}

func second[T any](_ T, err error) error { return err }

// plain is a verified checkpoint's content, to sign again.
func plain(c auditclient.Checkpoint) audit.Checkpoint {
	return audit.Checkpoint{Origin: c.Origin(), Size: c.Size(), Root: c.Root()}
}

// noteSigner signs any text as a note with a signer key, for checkpoints the server would never write.
func noteSigner(key string) (func(text string) ([]byte, error), error) {
	s, err := note.NewSigner(key)
	if err != nil {
		return nil, err
	}
	return func(text string) ([]byte, error) { return note.Sign(&note.Note{Text: text}, s) }, nil
}
