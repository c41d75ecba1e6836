package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math/bits"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/cleared/cleared"
)

// hashSize is the size of every hash of the tree: SHA-256.
const hashSize = 32

// errCorrupt marks a stored node that cannot be a node of the tree: no hash, or a hash of the wrong size.
var errCorrupt = errors.New("corrupt tree node")

// rangeFactory builds compact ranges with RFC 6962 interior hashing.
var rangeFactory = &compact.RangeFactory{Hash: hashChildren}

// hashChildren is RFC 6962's interior node hash, SHA-256(0x01 || left || right), as
// rfc6962.DefaultHasher.HashChildren computes it, in one allocation instead of three: every append computes the
// new root, one hash per level, and Verify hashes about a million nodes per million entries.
func hashChildren(left, right []byte) []byte {
	if len(left) != hashSize || len(right) != hashSize {
		return rfc6962.DefaultHasher.HashChildren(left, right)
	}
	var b [1 + 2*hashSize]byte
	b[0] = rfc6962.RFC6962NodeHashPrefix
	copy(b[1:], left)
	copy(b[1+hashSize:], right)
	h := sha256.Sum256(b[:])
	return h[:]
}

// NodeReader reads stored node hashes of the tree. A node (level, index) is the root of the perfect subtree over
// leaves [index·2^level, (index+1)·2^level); level 0 holds the leaf hashes. Every perfect subtree the log has
// completed is stored, so any root and any proof for any past size can be computed from them.
type NodeReader interface {
	// AuditNodes returns the hashes of the given nodes, in the order of ids; an error if one is missing.
	AuditNodes(ids []compact.NodeID) ([][]byte, error)
}

// TreeReader reads the stored tree: its size (the number of entries) and its nodes. Root and the proofs refuse a
// size beyond it, so a caller cannot be handed a proof about entries that do not exist.
type TreeReader interface {
	NodeReader
	AuditSize() (uint64, error)
}

// AppendTx is the storage transaction an entry is appended in. AppendAudit must store the record, its payload,
// the nodes and the root, and move the size from r.Seq to r.Seq+1, or fail.
type AppendTx interface {
	TreeReader
	AppendAudit(r Record, payload []byte, nodes []Node, root []byte) error
}

// Append appends entry e with its payload to the log in tx and returns the record stored. It sets e.Seq to the
// log's size and e.PayloadHash to the SHA-256 of payload, computes the leaf hash, and stores, in one AppendAudit
// call, the record, the payload, every node the append completes (the leaf at level 0 and one node for each
// perfect subtree it closes) and the new root. It reads the tree once: the nodes of the compact range [0, size),
// at most one per level.
//
// The caller sets e.Time (time is an argument, never read here). A zero time or an entry MarshalLeaf refuses is
// [cleared.ErrInvalid]; storage errors are returned wrapped.
func Append(tx AppendTx, e Entry, payload []byte) (r Record, err error) {
	defer cleared.Wrap(&err, "audit.Append")
	if e.Time.IsZero() {
		return Record{}, cleared.Invalidf("audit entry: no time")
	}
	size, err := tx.AuditSize()
	if err != nil {
		return Record{}, err
	}
	e.Seq = size
	e.PayloadHash = HashPayload(payload)
	leaf, err := e.LeafHash()
	if err != nil {
		return Record{}, err
	}
	rng, err := loadRange(tx, size)
	if err != nil {
		return Record{}, err
	}
	// Appending leaf number size completes the leaf node and one parent per trailing one bit of size.
	nodes := make([]Node, 0, 1+bits.TrailingZeros64(^size))
	if err := rng.Append(leaf, func(id compact.NodeID, h []byte) {
		nodes = append(nodes, Node{ID: id, Hash: h})
	}); err != nil {
		return Record{}, fmt.Errorf("append leaf %d: %w", size, err)
	}
	root, err := rng.GetRootHash(nil)
	if err != nil {
		return Record{}, fmt.Errorf("root of size %d: %w", size+1, err)
	}
	r = Record{Entry: e, LeafHash: leaf}
	if err := tx.AppendAudit(r, payload, nodes, root); err != nil {
		return Record{}, err
	}
	return r, nil
}

// Root returns the root hash of the tree of the first size entries (the RFC 6962 hash of the empty string for
// size 0). A size beyond the log is [cleared.ErrInvalid].
func Root(r TreeReader, size uint64) (root []byte, err error) {
	defer cleared.Wrap(&err, "audit.Root %d", size)
	if err := checkSize(r, size); err != nil {
		return nil, err
	}
	return storedRoot(r, size)
}

// RootFromNodes returns the root hash of the tree of the first size entries as the stored nodes of its compact
// range give it, whatever size the reader says the log has: for a store that checks, before it extends the log,
// that the nodes it will extend from give the root its latest signed head signs.
func RootFromNodes(r NodeReader, size uint64) (root []byte, err error) {
	defer cleared.Wrap(&err, "audit.RootFromNodes %d", size)
	return storedRoot(r, size)
}

// InclusionProof returns the RFC 6962 inclusion proof (audit path) of entry index in the tree of size size, from
// the lowest level up, in one read of the stored nodes. index must be below size, and size at most the log's size;
// otherwise [cleared.ErrInvalid]. Check it with [VerifyInclusion].
func InclusionProof(r TreeReader, index, size uint64) (p [][]byte, err error) {
	defer cleared.Wrap(&err, "audit.InclusionProof %d in %d", index, size)
	if index >= size {
		return nil, cleared.Invalidf("entry %d is not in a tree of size %d", index, size)
	}
	if err := checkSize(r, size); err != nil {
		return nil, err
	}
	nodes, err := proof.Inclusion(index, size)
	if err != nil {
		return nil, cleared.Invalidf("%v", err)
	}
	return rehash(r, nodes)
}

// ConsistencyProof returns the RFC 6962 consistency proof that the tree of size size2 extends the tree of size
// size1: every entry of the first is in the second, unchanged. It needs 0 < size1 <= size2 <= the log's size
// (the empty tree is a prefix of any tree, there is nothing to prove); otherwise [cleared.ErrInvalid]. The proof
// for size1 == size2 is empty. Check it with [VerifyConsistency].
func ConsistencyProof(r TreeReader, size1, size2 uint64) (p [][]byte, err error) {
	defer cleared.Wrap(&err, "audit.ConsistencyProof %d to %d", size1, size2)
	if size1 == 0 || size1 > size2 {
		return nil, cleared.Invalidf("a consistency proof needs 0 < size1 <= size2, got size1 %d, size2 %d", size1, size2)
	}
	if err := checkSize(r, size2); err != nil {
		return nil, err
	}
	nodes, err := proof.Consistency(size1, size2)
	if err != nil {
		return nil, cleared.Invalidf("%v", err)
	}
	return rehash(r, nodes)
}

// VerifyInclusion checks that proof proves the entry of leaf hash leafHash to be number index in the tree of size
// size and root hash root. A proof that does not verify is [cleared.ErrInvalid], saying why.
//
// Only size and root bind the proof to a log: take both from a checkpoint verified with the log's key, never from
// the answer that carries the proof (the proof of an entry in a tree of 13 entries also verifies in "a tree of 12"
// whose root would be that of 13).
func VerifyInclusion(index, size uint64, leafHash []byte, proofHashes [][]byte, root []byte) error {
	err := checkHashes(proofHashes, leafHash, root)
	if err == nil {
		err = proof.VerifyInclusion(rfc6962.DefaultHasher, index, size, leafHash, proofHashes, root)
	}
	if err != nil {
		return cleared.Invalidf("inclusion proof of entry %d in the tree of size %d does not verify: %s", index, size, proofError(err))
	}
	return nil
}

// VerifyConsistency checks that proof proves the tree of size size2 and root hash root2 to extend the tree of
// size size1 and root hash root1. A proof that does not verify is [cleared.ErrInvalid], saying why.
//
// The library checks no root where it has nothing to hash (equal sizes: any two equal byte strings, even empty;
// size1 0: any root1): here every root is a hash, and the empty tree's root is that of the empty string.
func VerifyConsistency(size1, size2 uint64, proofHashes [][]byte, root1, root2 []byte) error {
	err := checkHashes(proofHashes, root1, root2)
	if err == nil && size1 == 0 && !bytes.Equal(root1, rfc6962.DefaultHasher.EmptyRoot()) {
		err = errors.New("the first root is not the empty tree's, yet its size is 0")
	}
	if err == nil {
		err = proof.VerifyConsistency(rfc6962.DefaultHasher, size1, size2, proofHashes, root1, root2)
	}
	if err != nil {
		return cleared.Invalidf("consistency proof from size %d to size %d does not verify: %s", size1, size2, proofError(err))
	}
	return nil
}

// checkHashes refuses a proof hash or a hash beside it that is not a SHA-256: the proof library hashes what it is
// given, whatever its length.
func checkHashes(proofHashes [][]byte, hashes ...[]byte) error {
	for _, h := range hashes {
		if len(h) != hashSize {
			return fmt.Errorf("a hash of %d bytes, want %d", len(h), hashSize)
		}
	}
	for i, h := range proofHashes {
		if len(h) != hashSize {
			return fmt.Errorf("proof hash %d is of %d bytes, want %d", i, len(h), hashSize)
		}
	}
	return nil
}

// proofError turns the library's error into a sentence: its root mismatch prints raw byte slices.
func proofError(err error) string {
	var m proof.RootMismatchError
	if errors.As(err, &m) {
		return fmt.Sprintf("it leads to root %s, not %s", b64(m.CalculatedRoot), b64(m.ExpectedRoot))
	}
	return err.Error()
}

func b64(h []byte) string { return base64.StdEncoding.EncodeToString(h) }

// checkSize refuses a size beyond the log's: nodes for it do not exist, and some proofs about it could be
// assembled from the nodes that do, proving nothing.
func checkSize(r TreeReader, size uint64) error {
	n, err := r.AuditSize()
	if err != nil {
		return err
	}
	if size > n {
		return cleared.Invalidf("tree size %d is beyond the log's %d entries", size, n)
	}
	return nil
}

// rehash fetches a proof's nodes in one read and hashes the ephemeral node, if any, from its children.
func rehash(r NodeReader, nodes proof.Nodes) ([][]byte, error) {
	hashes, err := readNodes(r, nodes.IDs)
	if err != nil {
		return nil, err
	}
	p, err := nodes.Rehash(hashes, hashChildren)
	if err != nil {
		return nil, fmt.Errorf("rehash proof: %w", err)
	}
	return p, nil
}

// readNodes reads ids in one call and checks that the store gave one hash of the right size for each.
func readNodes(r NodeReader, ids []compact.NodeID) ([][]byte, error) {
	if len(ids) == 0 {
		return [][]byte{}, nil
	}
	hashes, err := r.AuditNodes(ids)
	if err != nil {
		return nil, fmt.Errorf("read %d tree nodes: %w", len(ids), err)
	}
	if len(hashes) != len(ids) {
		return nil, fmt.Errorf("read %d tree nodes: got %d hashes: %w", len(ids), len(hashes), errCorrupt)
	}
	for i, h := range hashes {
		if len(h) != hashSize {
			return nil, fmt.Errorf("tree node (level %d, index %d): hash of %d bytes, want %d: %w", ids[i].Level, ids[i].Index, len(h), hashSize, errCorrupt)
		}
	}
	return hashes, nil
}

// loadRange rebuilds the compact range [0, size) from its stored nodes: the roots of the perfect subtrees that
// cover it, at most one per level.
func loadRange(r NodeReader, size uint64) (*compact.Range, error) {
	ids := compact.RangeNodes(0, size, make([]compact.NodeID, 0, compact.RangeSize(0, size)))
	hashes, err := readNodes(r, ids)
	if err != nil {
		return nil, err
	}
	rng, err := rangeFactory.NewRange(0, size, hashes)
	if err != nil {
		return nil, fmt.Errorf("compact range of size %d: %w", size, err)
	}
	return rng, nil
}

// storedRoot computes the root of size from the stored nodes, without checking size against the log's.
func storedRoot(r NodeReader, size uint64) ([]byte, error) {
	if size == 0 {
		return rfc6962.DefaultHasher.EmptyRoot(), nil
	}
	rng, err := loadRange(r, size)
	if err != nil {
		return nil, err
	}
	return rangeRoot(rng)
}

// rangeRoot returns the root hash of a compact range starting at 0, and the empty tree's for an empty one.
func rangeRoot(rng *compact.Range) ([]byte, error) {
	if rng.End() == 0 {
		return rfc6962.DefaultHasher.EmptyRoot(), nil
	}
	root, err := rng.GetRootHash(nil)
	if err != nil {
		return nil, fmt.Errorf("root of size %d: %w", rng.End(), err)
	}
	return root, nil
}
