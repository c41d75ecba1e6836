package audit

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/cleared/cleared"
)

// TestVerifyInclusion_Bounds holds VerifyInclusion to the sizes a proof allows, at their edges: a verifier that
// trusts the index, size or proof length it is handed instead of checking them accepts proofs of nothing (the
// class of immudb's GHSA-672p-m5jq-mrh8). Each row is one proof a lying server could send. The size is bound to
// the root only by a signed checkpoint: the proof of entry 4 in the tree of 13 also verifies as a proof in a tree
// of 12 whose root would be root13, so a client must take size and root from the checkpoint it verified.
func TestVerifyInclusion_Bounds(t *testing.T) {
	m := &memLog{}
	appendN(t, m, 13)
	root13, _ := Root(m, 13)
	root12, _ := Root(m, 12)
	root1, _ := Root(m, 1)
	leaf := func(i int) []byte { return slices.Clone(m.records[i].LeafHash) }
	proof := func(index, size uint64) [][]byte {
		p, err := InclusionProof(m, index, size)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p4 := proof(4, 13)
	p12 := proof(12, 13)
	for _, c := range []struct {
		name        string
		index, size uint64
		leaf        []byte
		proof       [][]byte
		root        []byte
		ok          bool
	}{
		{"the honest proof verifies", 4, 13, leaf(4), p4, root13, true},
		{"the last entry's honest proof verifies", 12, 13, leaf(12), p12, root13, true},
		{"a tree of one entry: an empty proof, the root is the leaf", 0, 1, leaf(0), nil, root1, true},
		{"index == size is refused", 13, 13, leaf(12), p12, root13, false},
		{"index beyond size is refused", 14, 13, leaf(12), p12, root13, false},
		{"size 0 is refused", 0, 0, leaf(0), nil, rfc6962.DefaultHasher.EmptyRoot(), false},
		{"a tree of one entry with a non-empty proof is refused", 0, 1, leaf(0), [][]byte{leaf(0)}, root1, false},
		{"a proof one hash short is refused", 4, 13, leaf(4), p4[:len(p4)-1], root13, false},
		{"a proof one hash long is refused", 4, 13, leaf(4), append(slices.Clone(p4), root13), root13, false},
		{"a proof with two hashes swapped is refused", 4, 13, leaf(4), swap(p4, 0, 1), root13, false},
		{"the proof of another index is refused", 5, 13, leaf(4), p4, root13, false},
		{"the proof for another size, with that size's root, is refused", 4, 12, leaf(4), p4, root12, false},
		{"a leaf hash of 31 bytes is refused", 4, 13, leaf(4)[:31], p4, root13, false},
		{"a proof hash of 33 bytes is refused", 4, 13, leaf(4), withHash(p4, 0, append(slices.Clone(p4[0]), 0)), root13, false},
		{"a proof hash of 31 bytes is refused", 4, 13, leaf(4), withHash(p4, 0, p4[0][:31]), root13, false},
		{"an empty root is refused", 0, 1, leaf(0), nil, nil, false},
		{"the empty tree's root is refused", 4, 13, leaf(4), p4, rfc6962.DefaultHasher.EmptyRoot(), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := VerifyInclusion(c.index, c.size, c.leaf, c.proof, c.root)
			switch {
			case c.ok && err != nil:
				t.Fatalf("VerifyInclusion(%d, %d) refused an honest proof: %v", c.index, c.size, err)
			case !c.ok && !errors.Is(err, cleared.ErrInvalid):
				t.Fatalf("VerifyInclusion(%d, %d) = %v, want ErrInvalid", c.index, c.size, err)
			}
		})
	}
}

// TestVerifyConsistency_Bounds is TestVerifyInclusion_Bounds for consistency proofs. The proof library accepts
// some of these on its own (equal sizes with any two equal roots, even empty ones; size 0 with any first root):
// VerifyConsistency must not.
func TestVerifyConsistency_Bounds(t *testing.T) {
	m := &memLog{}
	appendN(t, m, 13)
	root := func(n uint64) []byte { r, _ := Root(m, n); return r }
	proof := func(size1, size2 uint64) [][]byte {
		p, err := ConsistencyProof(m, size1, size2)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := rfc6962.DefaultHasher.EmptyRoot()
	p6 := proof(6, 13)
	p4 := proof(4, 13) // 4 is a power of two: its root is not in the proof
	bogus := bytes.Repeat([]byte{0xaa}, 32)
	for _, c := range []struct {
		name         string
		size1, size2 uint64
		proof        [][]byte
		root1, root2 []byte
		ok           bool
	}{
		{"the honest proof verifies", 6, 13, p6, root(6), root(13), true},
		{"the honest proof from a power of two verifies", 4, 13, p4, root(4), root(13), true},
		{"equal sizes, equal roots, an empty proof verifies", 13, 13, nil, root(13), root(13), true},
		{"any tree extends the empty tree", 0, 13, nil, empty, root(13), true},
		{"the empty tree extends itself", 0, 0, nil, empty, empty, true},
		{"size1 > size2 is refused", 13, 6, p6, root(13), root(6), false},
		{"equal sizes with a non-empty proof are refused", 13, 13, [][]byte{root(13)}, root(13), root(13), false},
		{"equal sizes with different roots are refused", 13, 13, nil, root(13), root(12), false},
		{"equal sizes with two empty roots are refused", 13, 13, nil, nil, nil, false},
		{"equal sizes with two equal roots of 31 bytes are refused", 13, 13, nil, root(13)[:31], root(13)[:31], false},
		{"size 0 with a root that is not the empty tree's is refused", 0, 13, nil, bogus, root(13), false},
		{"size 0 with a non-empty proof is refused", 0, 13, [][]byte{root(13)}, empty, root(13), false},
		{"size 0 to 0 with two equal bogus roots is refused", 0, 0, nil, bogus, bogus, false},
		{"size 0 with a second root of 31 bytes is refused", 0, 13, nil, empty, root(13)[:31], false},
		{"an empty proof between different sizes is refused", 6, 13, nil, root(6), root(13), false},
		{"a proof one hash short is refused", 6, 13, p6[:len(p6)-1], root(6), root(13), false},
		{"a proof one hash long is refused", 6, 13, append(slices.Clone(p6), root(6)), root(6), root(13), false},
		{"a proof from a power of two that repeats its root is refused", 4, 13, append([][]byte{root(4)}, p4...), root(4), root(13), false},
		{"a proof with two hashes swapped is refused", 6, 13, swap(p6, 0, 1), root(6), root(13), false},
		{"the proof for other sizes is refused", 5, 13, p6, root(5), root(13), false},
		{"the proof for another second size is refused", 6, 12, p6, root(6), root(12), false},
		{"a proof hash of 33 bytes is refused", 6, 13, withHash(p6, 1, append(slices.Clone(p6[1]), 0)), root(6), root(13), false},
		{"a first root of 31 bytes is refused", 6, 13, p6, root(6)[:31], root(13), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := VerifyConsistency(c.size1, c.size2, c.proof, c.root1, c.root2)
			switch {
			case c.ok && err != nil:
				t.Fatalf("VerifyConsistency(%d, %d) refused an honest proof: %v", c.size1, c.size2, err)
			case !c.ok && !errors.Is(err, cleared.ErrInvalid):
				t.Fatalf("VerifyConsistency(%d, %d) = %v, want ErrInvalid", c.size1, c.size2, err)
			}
		})
	}
}

// swap returns a copy of p with hashes i and j swapped.
func swap(p [][]byte, i, j int) [][]byte {
	q := slices.Clone(p)
	q[i], q[j] = q[j], q[i]
	return q
}

// withHash returns a copy of p with hash i replaced by h.
func withHash(p [][]byte, i int, h []byte) [][]byte {
	q := slices.Clone(p)
	q[i] = h
	return q
}
