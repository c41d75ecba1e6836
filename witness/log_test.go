package witness

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// testLog is a transparency log kept in memory with golang.org/x/mod/sumdb/tlog (RFC 6962 hashing, as cleared's
// audit log), an implementation independent of cleared's, signing its checkpoints with an Ed25519 note key and
// one extension line, as cleared's signed heads carry.
type testLog struct {
	origin     string
	skey, vkey string
	entries    [][]byte
	hashes     []tlog.Hash
}

func newTestLog(t testing.TB, origin string) *testLog {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		t.Fatal(err)
	}
	return &testLog{origin: origin, skey: skey, vkey: vkey}
}

// fork returns a copy of the log's first n entries, signed with the same key.
func (l *testLog) fork(t testing.TB, n int) *testLog {
	t.Helper()
	f := &testLog{origin: l.origin, skey: l.skey, vkey: l.vkey}
	f.add(t, l.entries[:n]...)
	return f
}

func (l *testLog) add(t testing.TB, entries ...[]byte) {
	t.Helper()
	for _, e := range entries {
		hs, err := tlog.StoredHashes(int64(len(l.entries)), e, l)
		if err != nil {
			t.Fatal(err)
		}
		l.entries = append(l.entries, e)
		l.hashes = append(l.hashes, hs...)
	}
}

// grow appends n entries with the given label.
func (l *testLog) grow(t testing.TB, label string, n int) *testLog {
	t.Helper()
	for i := range n {
		l.add(t, fmt.Appendf(nil, "%s entry %d of %d", label, len(l.entries), i))
	}
	return l
}

func (l *testLog) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		if x >= int64(len(l.hashes)) {
			return nil, fmt.Errorf("no hash %d", x)
		}
		out[i] = l.hashes[x]
	}
	return out, nil
}

func (l *testLog) size() uint64 { return uint64(len(l.entries)) }

func (l *testLog) root(t testing.TB) tlog.Hash {
	t.Helper()
	h, err := tlog.TreeHash(int64(len(l.entries)), l)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// checkpoint is the log's signed note at its size, with an extension line.
func (l *testLog) checkpoint(t testing.TB) []byte {
	t.Helper()
	return l.signWith(t, l.skey)
}

func (l *testLog) signWith(t testing.TB, skey string) []byte {
	t.Helper()
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	r := l.root(t)
	text := fmt.Sprintf("%s\n%d\n%s\nprev %d %s\n", l.origin, len(l.entries), base64.StdEncoding.EncodeToString(r[:]),
		len(l.entries), base64.StdEncoding.EncodeToString(make([]byte, 32)))
	n, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// proof is the consistency proof from size from to the log's size.
func (l *testLog) proof(t testing.TB, from uint64) [][]byte {
	t.Helper()
	if from == 0 {
		return nil
	}
	p, err := tlog.ProveTree(int64(len(l.entries)), int64(from), l)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]byte, len(p))
	for i := range p {
		out[i] = p[i][:]
	}
	return out
}

// request is an add-checkpoint body from old with the right proof.
func (l *testLog) request(t testing.TB, old uint64) []byte {
	t.Helper()
	return Request{Old: old, Proof: l.proof(t, old), Note: l.checkpoint(t)}.Marshal()
}
