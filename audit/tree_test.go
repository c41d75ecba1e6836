package audit

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/cleared/cleared"
)

// appendN appends test entries until the log has n.
func appendN(tb testing.TB, m *memLog, n int) {
	tb.Helper()
	for i := int(m.head); i < n; i++ {
		if _, err := Append(m, testEntry(i), testPayload(i)); err != nil {
			tb.Fatalf("Append %d: %v", i, err)
		}
	}
}

// tlogStore is the independent implementation: golang.org/x/mod/sumdb/tlog, the tree of Go's checksum database,
// written apart from transparency-dev/merkle, with its own storage layout.
type tlogStore []tlog.Hash

func (s tlogStore) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		out[i] = s[x]
	}
	return out, nil
}

// toTlog converts a hash; every hash here is 32 bytes, and one that is not would fail the check it is passed to.
func toTlog(h []byte) (th tlog.Hash) {
	copy(th[:], h)
	return th
}

func toTlogs(hs [][]byte) []tlog.Hash {
	out := make([]tlog.Hash, len(hs))
	for i, h := range hs {
		out[i] = toTlog(h)
	}
	return out
}

// TestTreeMatchesTlog cross-checks the tree against an independent implementation, as golang/mod's ct_test.go
// does against Certificate Transparency: the same roots and the same proofs, each verifying with both libraries
// (VerifyInclusion and VerifyConsistency are transparency-dev/merkle's proof package).
func TestTreeMatchesTlog(t *testing.T) {
	const last = 1025
	check := func(n int) bool { return n <= 300 || n == 1000 || n == 1023 || n == 1024 || n == 1025 }
	m := &memLog{}
	var ts tlogStore
	var leaves [][]byte
	var roots [][]byte // roots[n] is the root of size n
	roots = append(roots, rfc6962.DefaultHasher.EmptyRoot())
	for i := range last {
		r, err := Append(m, testEntry(i), testPayload(i))
		if err != nil {
			t.Fatal(err)
		}
		// The independent side hashes the record's bytes itself.
		data, err := r.MarshalLeaf()
		if err != nil {
			t.Fatal(err)
		}
		if want := tlog.RecordHash(data); !bytes.Equal(r.LeafHash, want[:]) {
			t.Fatalf("entry %d: leaf hash %x, tlog.RecordHash %x", i, r.LeafHash, want)
		}
		hs, err := tlog.StoredHashes(int64(i), data, ts)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, hs...)
		leaves = append(leaves, r.LeafHash)

		n := i + 1
		root, err := Root(m, uint64(n))
		if err != nil {
			t.Fatal(err)
		}
		roots = append(roots, root)
		th, err := tlog.TreeHash(int64(n), ts)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(root, th[:]) {
			t.Fatalf("size %d: Root %x, tlog.TreeHash %x", n, root, th)
		}
		if !check(n) {
			continue
		}
		step := 1
		if n > 300 {
			step = 37 // a sample of the larger trees keeps the test fast
		}
		for j := 0; j < n; j += step {
			checkInclusion(t, m, ts, leaves[j], uint64(j), uint64(n), root)
		}
		for k := 1; k <= n; k += step {
			checkConsistency(t, m, ts, uint64(k), uint64(n), roots[k], root)
		}
	}
	// Proofs in past trees, from the stored tree of the largest size.
	for _, c := range [][2]int{{0, 1}, {5, 6}, {6, 7}, {100, 255}, {254, 256}, {511, 512}, {511, 1000}, {1022, 1023}, {1023, 1024}} {
		checkInclusion(t, m, ts, leaves[c[0]], uint64(c[0]), uint64(c[1]), roots[c[1]])
		checkConsistency(t, m, ts, uint64(c[0]+1), uint64(c[1]), roots[c[0]+1], roots[c[1]])
	}
}

func checkInclusion(t *testing.T, m *memLog, ts tlogStore, leaf []byte, index, size uint64, root []byte) {
	t.Helper()
	p, err := InclusionProof(m, index, size)
	if err != nil {
		t.Fatalf("InclusionProof(%d, %d): %v", index, size, err)
	}
	if err := VerifyInclusion(index, size, leaf, p, root); err != nil {
		t.Fatalf("VerifyInclusion(%d, %d): %v", index, size, err)
	}
	if err := tlog.CheckRecord(toTlogs(p), int64(size), toTlog(root), int64(index), toTlog(leaf)); err != nil {
		t.Fatalf("tlog.CheckRecord(%d, %d): %v", index, size, err)
	}
	// RFC 6962 proofs are unique: tlog must build the very same one.
	want, err := tlog.ProveRecord(int64(size), int64(index), ts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(toTlogs(p), want) {
		t.Fatalf("InclusionProof(%d, %d) = %v, tlog.ProveRecord = %v", index, size, toTlogs(p), want)
	}
}

func checkConsistency(t *testing.T, m *memLog, ts tlogStore, size1, size2 uint64, root1, root2 []byte) {
	t.Helper()
	p, err := ConsistencyProof(m, size1, size2)
	if err != nil {
		t.Fatalf("ConsistencyProof(%d, %d): %v", size1, size2, err)
	}
	if err := VerifyConsistency(size1, size2, p, root1, root2); err != nil {
		t.Fatalf("VerifyConsistency(%d, %d): %v", size1, size2, err)
	}
	if err := tlog.CheckTree(toTlogs(p), int64(size2), toTlog(root2), int64(size1), toTlog(root1)); err != nil {
		t.Fatalf("tlog.CheckTree(%d, %d): %v", size1, size2, err)
	}
	want, err := tlog.ProveTree(int64(size2), int64(size1), ts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(toTlogs(p), want) {
		t.Fatalf("ConsistencyProof(%d, %d) = %v, tlog.ProveTree = %v", size1, size2, toTlogs(p), want)
	}
}

func TestAppend(t *testing.T) {
	m := &memLog{}
	appendN(t, m, 6)
	e := testEntry(6)
	e.Seq, e.PayloadHash = 99, [32]byte{1} // Append sets both
	r, err := Append(m, e, []byte("payload"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Seq != 6 || r.PayloadHash != HashPayload([]byte("payload")) {
		t.Errorf("Append set seq %d, payload hash %x; want 6 and the payload's SHA-256", r.Seq, r.PayloadHash)
	}
	if leaf, _ := r.Entry.LeafHash(); !bytes.Equal(leaf, r.LeafHash) {
		t.Errorf("record's leaf hash is not its entry's")
	}
	if got := m.records[6]; got.Seq != 6 || !bytes.Equal(got.LeafHash, r.LeafHash) || string(m.payloads[6].Data) != "payload" {
		t.Errorf("stored %+v, payload %q", got, m.payloads[6].Data)
	}
	// Leaf 6 closes nothing; leaf 7 closes levels 1, 2 and 3: the node table holds every perfect subtree.
	appendN(t, m, 8)
	for l, want := range []int{8, 4, 2, 1} {
		if got := len(m.levels[l]) / hashSize; got != want {
			t.Errorf("level %d holds %d nodes, want %d", l, got, want)
		}
	}
	if root, _ := Root(m, 8); !bytes.Equal(root, m.node(3, 0)) {
		t.Errorf("the root of a perfect tree of 8 is not node (3, 0)")
	}

	t.Run("ErrInvalid without time", func(t *testing.T) {
		e := testEntry(8)
		e.Time = time.Time{}
		if _, err := Append(m, e, nil); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("Append = %v, want ErrInvalid", err)
		}
	})
	t.Run("ErrInvalid for an entry that cannot be encoded", func(t *testing.T) {
		e := testEntry(8)
		e.Action = "piece read"
		if _, err := Append(m, e, nil); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("Append = %v, want ErrInvalid", err)
		}
		if m.head != 8 {
			t.Errorf("a refused append changed the log")
		}
	})
}

func TestRoot(t *testing.T) {
	m := &memLog{}
	root, err := Root(m, 0)
	if err != nil || fmt.Sprintf("%x", root) != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("Root of the empty log = %x, %v; want SHA-256 of the empty string", root, err)
	}
	if _, err := Root(m, 1); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("Root beyond the log = %v, want ErrInvalid", err)
	}
}

func TestProofs_ErrInvalid(t *testing.T) {
	m := &memLog{}
	appendN(t, m, 10)
	for _, tc := range []struct {
		name string
		fn   func() ([][]byte, error)
	}{
		{"inclusion: index equal to size", func() ([][]byte, error) { return InclusionProof(m, 5, 5) }},
		{"inclusion: index beyond size", func() ([][]byte, error) { return InclusionProof(m, 7, 5) }},
		{"inclusion: size 0", func() ([][]byte, error) { return InclusionProof(m, 0, 0) }},
		// Leaf 8's proof in a tree of 9 is node (3, 0), which exists: only the size check refuses it.
		{"inclusion: size beyond the log", func() ([][]byte, error) { return InclusionProof(m, 10, 11) }},
		{"inclusion: size far beyond the log", func() ([][]byte, error) { return InclusionProof(m, 3, 1<<40) }},
		{"consistency: size1 beyond size2", func() ([][]byte, error) { return ConsistencyProof(m, 6, 5) }},
		{"consistency: size1 0", func() ([][]byte, error) { return ConsistencyProof(m, 0, 5) }},
		{"consistency: size2 beyond the log", func() ([][]byte, error) { return ConsistencyProof(m, 8, 16) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.fn()
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("got %d hashes, %v; want ErrInvalid", len(p), err)
			}
			t.Log(err)
		})
	}
	if p, err := ConsistencyProof(m, 7, 7); err != nil || len(p) != 0 {
		t.Errorf("ConsistencyProof(7, 7) = %v, %v; want an empty proof", p, err)
	}
}

// TestVerifyProofs_Mangled flips each byte of valid proofs, roots and leaf hashes, and drops or adds a hash: no
// variant may verify.
func TestVerifyProofs_Mangled(t *testing.T) {
	m := &memLog{}
	appendN(t, m, 13)
	root13, _ := Root(m, 13)
	root6, _ := Root(m, 6)
	leaf := m.records[4].LeafHash
	incl, err := InclusionProof(m, 4, 13)
	if err != nil {
		t.Fatal(err)
	}
	cons, err := ConsistencyProof(m, 6, 13)
	if err != nil {
		t.Fatal(err)
	}
	verifyIncl := func() error { return VerifyInclusion(4, 13, leaf, incl, root13) }
	verifyCons := func() error { return VerifyConsistency(6, 13, cons, root6, root13) }
	if verifyIncl() != nil || verifyCons() != nil {
		t.Fatalf("valid proofs refused: %v, %v", verifyIncl(), verifyCons())
	}
	mangle := func(what string, b []byte, verify func() error) {
		for i := range b {
			b[i] ^= 0x01
			if err := verify(); !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("%s with byte %d flipped: %v, want ErrInvalid", what, i, err)
			}
			b[i] ^= 0x01
		}
	}
	for k := range incl {
		mangle(fmt.Sprintf("inclusion proof hash %d", k), incl[k], verifyIncl)
	}
	mangle("leaf hash", leaf, verifyIncl)
	mangle("root of 13", root13, verifyIncl)
	for k := range cons {
		mangle(fmt.Sprintf("consistency proof hash %d", k), cons[k], verifyCons)
	}
	mangle("root of 6", root6, verifyCons)
	mangle("root of 13", root13, verifyCons)

	if err := VerifyInclusion(4, 13, leaf, incl[:len(incl)-1], root13); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("short inclusion proof: %v", err)
	}
	if err := VerifyConsistency(6, 13, append(cons, root6), root6, root13); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("long consistency proof: %v", err)
	}
	if err := VerifyInclusion(5, 13, leaf, incl, root13); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("inclusion proof for another index: %v", err)
	} else {
		t.Log(err)
	}
}

// TestLoadRange_DamagedStore: a store that answers with too few hashes or hashes of the wrong size is an error,
// never a panic nor a wrong root.
func TestLoadRange_DamagedStore(t *testing.T) {
	m := &memLog{}
	appendN(t, m, 5)
	for _, tc := range []struct {
		name string
		r    NodeReader
	}{
		{"short hash", nodeFunc(func(ids []compact.NodeID) ([][]byte, error) {
			hs, _ := m.AuditNodes(ids)
			hs[0] = hs[0][:31]
			return hs, nil
		})},
		{"missing hash", nodeFunc(func(ids []compact.NodeID) ([][]byte, error) {
			hs, _ := m.AuditNodes(ids)
			return hs[1:], nil
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := storedRoot(tc.r, 5); !errors.Is(err, errCorrupt) {
				t.Errorf("storedRoot = %v, want errCorrupt", err)
			}
		})
	}
}

type nodeFunc func(ids []compact.NodeID) ([][]byte, error)

func (f nodeFunc) AuditNodes(ids []compact.NodeID) ([][]byte, error) { return f(ids) }

// TestHashChildren: the interior hash is RFC 6962's, SHA-256(0x01 || left || right), for hashes of any length (the
// fast path is taken for SHA-256 hashes only).
func TestHashChildren(t *testing.T) {
	for _, n := range [][2]int{{32, 32}, {31, 32}, {32, 33}, {0, 0}, {16, 16}} {
		left, right := bytes.Repeat([]byte{1}, n[0]), bytes.Repeat([]byte{2}, n[1])
		if got, want := hashChildren(left, right), rfc6962.DefaultHasher.HashChildren(left, right); !bytes.Equal(got, want) {
			t.Errorf("hashChildren of %d and %d bytes = %x, want %x", n[0], n[1], got, want)
		}
	}
}

// TestInclusionProof_LastIndex: an entry number is below the tree's size; the entry numbered size is refused as not
// in the tree, with that sentence.
func TestInclusionProof_LastIndex(t *testing.T) {
	m := &memLog{}
	appendN(t, m, 5)
	if _, err := InclusionProof(m, 4, 5); err != nil {
		t.Errorf("entry 4 of 5: %v", err)
	}
	if _, err := InclusionProof(m, 5, 5); !errors.Is(err, cleared.ErrInvalid) || !strings.Contains(cleared.Message(err), "entry 5 is not in a tree of size 5") {
		t.Errorf("entry 5 of 5: %v, want ErrInvalid: entry 5 is not in a tree of size 5", err)
	}
}
