package audit

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/transparency-dev/merkle/compact"
	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared"
)

// Source is the stored log that [Verify] reads, in one consistent snapshot (a read transaction). store.Tx
// satisfies it.
type Source interface {
	// AuditSize returns the number of entries the log's head records.
	AuditSize() (uint64, error)
	// AuditRecords returns up to limit records from seq from on, in seq order.
	AuditRecords(from uint64, limit int) ([]Record, error)
	// AuditPayloads returns up to limit payloads or erasure markers from seq from on, in seq order.
	AuditPayloads(from uint64, limit int) ([]Payload, error)
	// Checkpoints returns every kept checkpoint.
	Checkpoints() ([]StoredCheckpoint, error)
}

// EntryReader reads records and their payloads together, in one pass over the store: [Verify] uses it when its
// source has it (store.Tx does), instead of reading records and payloads apart.
type EntryReader interface {
	// AuditEntries returns up to limit records from seq from on, in seq order, and their payloads (or erasure
	// markers), one for each record.
	AuditEntries(from uint64, limit int) ([]Record, []Payload, error)
}

// StoredTree is what a store keeps beside the entries to serve proofs: the head's root and the tree's nodes.
// [Verify] checks both against the tree it recomputes from the entries when its source has them; store.Tx does.
type StoredTree interface {
	TreeReader
	// AuditRoot returns the root hash the log's head records.
	AuditRoot() ([]byte, error)
	// AuditKeptLevel reports whether the nodes of a level are stored as such; the others are hashed from them, or
	// are the entries' leaf hashes, when a proof needs them.
	AuditKeptLevel(level uint) bool
	// AuditLevel returns up to limit stored nodes of one level, from index from on, in index order.
	AuditLevel(level uint, from uint64, limit int) ([]Node, error)
}

// ActionErasePayload is the action of the entry that records the erasure of a payload (A23.2). Its payload is the
// JSON object {"reason": "…", "seq": N}, N the entry whose payload was erased, in the same transaction: [Verify]
// requires one such entry for every erased payload, and none for a payload that is not erased.
const ActionErasePayload = "audit.erase_payload"

// VerifyOptions are the optional inputs of [Verify].
type VerifyOptions struct {
	// Trusted is a signed checkpoint an auditor kept earlier, outside the system. Verify proves that the log today
	// extends it: the entries it covers are still there, unchanged.
	Trusted []byte
	// Progress, if set, is called as entries are verified, with the number done and the log's size.
	Progress func(done, total uint64)
}

// Report is the outcome of [Verify].
type Report struct {
	// Size and Root are the number of entries verified and the root hash recomputed from them: the whole log if
	// FirstBad is nil, the entries before the problem otherwise.
	Size uint64
	Root []byte
	// Checkpoints is the number of stored signed heads verified (the trusted checkpoint is not counted).
	Checkpoints int
	// Nodes is the number of stored tree nodes checked against the recomputed tree.
	Nodes uint64
	// Erased is the number of payloads erased at their retention deadline, leaving their marker (A23.2).
	Erased int
	// FirstBad is the first problem found, nil if the log verifies.
	FirstBad *Problem
}

// Problem is evidence that the log was tampered with or damaged.
type Problem struct {
	// Seq is the first entry the problem may concern. A checkpoint whose root does not match can only say that
	// an entry after the last checkpoint that matched was altered: Seq is then the first entry after it.
	Seq uint64
	// What says what is wrong, in a sentence.
	What string
}

// verifyBatch is how many records and payloads Verify reads at a time: large enough that a database round trip
// costs little per entry, small enough to keep memory flat.
const verifyBatch = 10_000

// Verify checks the whole stored log against itself, its signed checkpoints and, if given, a checkpoint an auditor
// kept (architecture, principle 5). It is the evidence that the NSA's answers on who saw, received or destroyed a
// piece (A10.2, A11.2, A13.1) rest on a record nobody altered. In seq order it checks that:
//
//   - entries are numbered 0, 1, 2… without gap or disorder (a gap is a deleted entry);
//   - each entry's leaf hash, recomputed from its fields, is the stored one (an edited entry);
//   - each payload hashes to the SHA-256 its entry records (an edited payload), unless it was erased at its
//     retention deadline, leaving a marker and no data (A23.2), and then an allowed entry of action
//     [ActionErasePayload] later in the log records that erasure, with the same time and reason; an erasure entry
//     for a payload that is not erased is a problem too (a payload erased, or restored, by hand);
//   - at each stored signed head's size, the head is signed by verifierKey and its root is the root recomputed
//     from the entries, not from stored hashes (an edited entry whose stored leaf hash was recomputed too, or a
//     replaced head), and, when src can read the tree's nodes ([NodeReader]), the root computed from the stored
//     nodes is the same (a tampered node table would serve proofs of another log);
//   - the signed heads form one chain: each head's "prev" line names the stored head before it, by size and hash
//     (a deleted head); heads without one (signed before heads were chained) come only before the first that has
//     one;
//   - every entry is covered by a signed head: the latest head's size is the log's size (an entry appended
//     without the log's key);
//   - when src is a [StoredTree], every stored node is the node recomputed from the entries, none is missing and
//     none is stored beyond the tree (a node altered, deleted or added), and the head's root is the recomputed
//     root;
//   - the log holds as many entries as its head says, and as every checkpoint says (a truncated log);
//   - with opts.Trusted, the recomputed root at the trusted checkpoint's size is its root, and the stored tree
//     gives a consistency proof from it to today's log (a rewritten or truncated log).
//
// A log that fails returns a Report with FirstBad set and a nil error. An error means verification could not run:
// a malformed key or trusted checkpoint ([cleared.ErrInvalid], [ErrBadSignature]), a cancelled ctx, or a storage
// error.
func Verify(ctx context.Context, src Source, verifierKey string, opts VerifyOptions) (rep Report, err error) {
	defer cleared.Wrap(&err, "audit.Verify")
	if _, err := note.NewVerifier(verifierKey); err != nil {
		return Report{}, cleared.Invalidf("malformed verifier key: want <name>+<hash>+<key>")
	}
	v := &verification{src: src, key: verifierKey, rng: rangeFactory.NewEmptyRange(0), erased: make(map[uint64]Payload)}
	v.tree, _ = src.(TreeReader)
	if st, ok := src.(StoredTree); ok {
		v.nodes = &nodeCheck{src: st}
	}
	if opts.Trusted != nil {
		c, err := OpenCheckpoint(opts.Trusted, verifierKey)
		if err != nil {
			return Report{}, fmt.Errorf("trusted checkpoint: %w", err)
		}
		v.trusted = &c
	}
	size, err := src.AuditSize()
	if err != nil {
		return Report{}, err
	}
	v.cps = &headCursor{src: src}
	progress := func(done uint64) {
		if opts.Progress != nil {
			opts.Progress(done, size)
		}
	}

	progress(0)
	p, err := v.atSize()
	if p == nil && err == nil {
		p, err = v.entries(ctx, progress)
	}
	if p == nil && err == nil {
		p, err = v.atEnd(size)
	}
	if err != nil {
		return Report{}, err
	}
	if v.rep.Root, err = rangeRoot(v.rng); err != nil {
		return Report{}, err
	}
	v.rep.Size, v.rep.FirstBad = v.rng.End(), p
	return v.rep, nil
}

// verification is the state of one Verify: the tree recomputed so far and what remains to check.
type verification struct {
	src     Source
	tree    TreeReader // src, if it reads the stored nodes too; nil otherwise
	key     string
	rng     *compact.Range // the compact range of the leaf hashes recomputed so far
	cps     *headCursor    // the stored checkpoints not checked yet, smallest size first
	last    *Checkpoint    // the last stored signed head checked, which the next one must name
	trusted *Checkpoint    // the auditor's checkpoint, if any
	proven  uint64         // the largest size whose signed root the recomputed root matched
	// erased holds the erased payloads no erasure entry has accounted for yet, by seq.
	erased map[uint64]Payload
	nodes  *nodeCheck // nil if src keeps no tree to check
	rep    Report
}

// page is one read of records and their payloads, with the hashes that a second core computes (hashPage) while
// the next page is read.
type page struct {
	recs   []Record
	pays   []Payload
	leaves [][]byte // the leaf hash recomputed from recs[i]'s fields; nil if they cannot be encoded
	sums   []Digest // the SHA-256 of pays[i].Data
}

func hashPage(p *page) {
	p.leaves = make([][]byte, len(p.recs))
	for i := range p.recs {
		p.leaves[i], _ = p.recs[i].Entry.LeafHash()
	}
	p.sums = make([]Digest, len(p.pays))
	for i := range p.pays {
		p.sums[i] = HashPayload(p.pays[i].Data)
	}
}

// entries verifies every record in seq order. It streams: it reads a page of records and payloads while another
// goroutine hashes the page before it, then checks that page; at most three pages are in memory.
func (v *verification) entries(ctx context.Context, progress func(uint64)) (*Problem, error) {
	both, _ := v.src.(EntryReader)
	fetch := func(from uint64) (*page, error) {
		if both != nil {
			recs, pays, err := both.AuditEntries(from, verifyBatch)
			if err != nil || len(recs) == 0 {
				return nil, err
			}
			return &page{recs: recs, pays: pays}, nil
		}
		recs, err := v.src.AuditRecords(from, verifyBatch)
		if err != nil || len(recs) == 0 {
			return nil, err
		}
		pays, err := v.src.AuditPayloads(from, len(recs))
		if err != nil {
			return nil, err
		}
		return &page{recs: recs, pays: pays}, nil
	}
	toHash, hashed, stop := make(chan *page), make(chan *page), make(chan struct{})
	defer func() {
		close(stop)
		close(toHash)
	}()
	go func() {
		for p := range toHash {
			hashPage(p)
			select {
			case hashed <- p:
			case <-stop:
				return
			}
		}
	}()
	cur, err := fetch(0)
	if err != nil || cur == nil {
		return nil, err
	}
	toHash <- cur
	for cur != nil {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var next *page
		if last := cur.recs[len(cur.recs)-1].Seq; last < math.MaxUint64 {
			if next, err = fetch(last + 1); err != nil {
				return nil, err
			}
		}
		<-hashed // cur
		if next != nil {
			toHash <- next
		}
		if p, err := v.page(cur); p != nil || err != nil {
			return p, err
		}
		progress(v.rng.End())
		cur = next
	}
	return nil, nil
}

// page checks the records of a page, in order, and the signed heads at the sizes they reach.
func (v *verification) page(pg *page) (*Problem, error) {
	recs := pg.recs
	for i := range recs {
		if p := order(recs[i:], v.rng.End()); p != nil {
			return p, nil
		}
		var (
			pay *Payload
			sum Digest
		)
		if i < len(pg.pays) {
			pay, sum = &pg.pays[i], pg.sums[i]
		}
		if p := v.entry(&recs[i], pg.leaves[i], pay, sum); p != nil {
			return p, nil
		}
		if v.nodes != nil && v.nodes.err != nil {
			// A storage error, not evidence against the log: verification could not run.
			return nil, fmt.Errorf("read the stored tree: %w", v.nodes.err)
		}
		if p, err := v.atSize(); p != nil || err != nil {
			return p, err
		}
	}
	return nil, nil
}

// order reports records out of seq order: recs[0] should be entry seq, and is not, but seq comes later.
func order(recs []Record, seq uint64) *Problem {
	if recs[0].Seq == seq {
		return nil
	}
	for _, r := range recs[1:] {
		if r.Seq == seq {
			return &Problem{seq, fmt.Sprintf("entry %d is stored before entry %d: entries were reordered", recs[0].Seq, seq)}
		}
	}
	if recs[0].Seq < seq {
		return &Problem{seq, fmt.Sprintf("entry %d is stored again where entry %d should be: entries were reordered or duplicated", recs[0].Seq, seq)}
	}
	return nil // a gap: entry reports it
}

// entry checks the next record, whose leaf hash recomputed is leaf, and its payload (nil if the page had none for
// it), whose SHA-256 is sum, and adds the recomputed leaf hash to the tree.
func (v *verification) entry(r *Record, leaf []byte, pay *Payload, sum Digest) *Problem {
	seq := v.rng.End()
	if r.Seq != seq {
		return &Problem{seq, fmt.Sprintf("entry %d is missing (deleted): the next entry stored is %d", seq, r.Seq)}
	}
	if leaf == nil {
		_, err := r.Entry.LeafHash()
		return &Problem{seq, fmt.Sprintf("entry %d cannot be encoded, so was never appended as it is: %s", seq, cleared.Message(err))}
	}
	if !bytes.Equal(leaf, r.LeafHash) {
		return &Problem{seq, fmt.Sprintf("entry %d does not match its stored leaf hash: a field was altered", seq)}
	}
	switch {
	case pay == nil || pay.Seq != seq:
		return &Problem{seq, fmt.Sprintf("the payload of entry %d is missing (deleted without an erasure marker)", seq)}
	case !pay.Erased.IsZero() && len(pay.Data) > 0:
		return &Problem{seq, fmt.Sprintf("the payload of entry %d is marked erased on %s but its data is still stored", seq, pay.Erased.UTC().Format("2006-01-02"))}
	case !pay.Erased.IsZero():
		v.rep.Erased++ // A23.2: the entry still commits to the hash of what was erased
		v.erased[seq] = *pay
	case sum != r.PayloadHash:
		return &Problem{seq, fmt.Sprintf("the payload of entry %d does not match the hash its entry records: it was altered", seq)}
	}
	if r.Action == ActionErasePayload && r.Allowed {
		if p := v.erasure(r, pay); p != nil {
			return p
		}
	}
	// The tree grows from the recomputed leaf hash, not the stored one: what checkpoints are checked against is
	// what the entries say now.
	var visit func(compact.NodeID, []byte)
	if v.nodes != nil {
		visit = v.nodes.visit
	}
	if err := v.rng.Append(leaf, visit); err != nil {
		return &Problem{seq, fmt.Sprintf("entry %d: %v", seq, err)}
	}
	if v.nodes != nil && v.nodes.bad != nil {
		return v.nodes.bad
	}
	return nil
}

// erasure checks an entry that records the erasure of a payload (A23.2): the payload it names was erased, at the
// entry's time, for the reason it gives, and no other entry recorded that erasure already.
func (v *verification) erasure(r *Record, pay *Payload) *Problem {
	seq := r.Seq
	if !pay.Erased.IsZero() {
		return &Problem{seq, fmt.Sprintf("entry %d records an erasure, and its own payload, which names the erased entry, is erased", seq)}
	}
	var what struct {
		Seq    *uint64 `json:"seq"`
		Reason string  `json:"reason"`
	}
	if err := json.Unmarshal(pay.Data, &what); err != nil || what.Seq == nil || *what.Seq >= seq {
		return &Problem{seq, fmt.Sprintf("entry %d records an erasure but its payload names no earlier entry", seq)}
	}
	target := *what.Seq
	marker, ok := v.erased[target]
	switch {
	case !ok:
		return &Problem{target, fmt.Sprintf("entry %d records the erasure of the payload of entry %d, which is not erased (restored by hand), or was erased already", seq, target)}
	case !marker.Erased.Equal(r.Time) || marker.Reason != what.Reason:
		return &Problem{target, fmt.Sprintf("the erasure marker of entry %d does not say what entry %d, which records its erasure, says (time and reason)", target, seq)}
	}
	delete(v.erased, target)
	return nil
}

// atSize checks the stored checkpoints, and the trusted one, of the size the recomputed tree has reached.
func (v *verification) atSize() (*Problem, error) {
	size := v.rng.End()
	var root []byte
	next, err := v.cps.peek()
	if err != nil {
		return nil, err
	}
	if next != nil && next.Size == size || v.trusted != nil && v.trusted.Size == size {
		var err error
		if root, err = rangeRoot(v.rng); err != nil {
			return nil, err
		}
	}
	for ; next != nil && next.Size == size; next, err = v.cps.peek() {
		c, p := v.open(*next)
		if p != nil {
			return p, nil
		}
		if p := v.chain(c); p != nil {
			return p, nil
		}
		v.last = &c
		v.cps.pop()
		if !bytes.Equal(c.Root, root) {
			return &Problem{v.proven, fmt.Sprintf("the entries do not hash to the root signed in the checkpoint of size %d: %s was altered, or the checkpoint replaced", size, suspects(v.proven, size))}, nil
		}
		// A source whose stored nodes are all checked one by one (nodeCheck) needs no root from them per head.
		if v.nodes == nil {
			if p, err := v.storedTree(size, root); p != nil || err != nil {
				return p, err
			}
		}
		v.proven = size
		v.rep.Checkpoints++
	}
	if err != nil {
		return nil, err
	}
	if v.trusted != nil && v.trusted.Size == size && !bytes.Equal(v.trusted.Root, root) {
		if v.proven == size {
			// Both roots are signed by the key: the key signed a rewritten log, so no stored checkpoint vouches for
			// any entry any more.
			return &Problem{0, fmt.Sprintf("the log does not extend the trusted checkpoint of size %d, and a checkpoint of the same size with another root is signed by the same key: the log was rewritten and signed again", size)}, nil
		}
		return &Problem{v.proven, fmt.Sprintf("the log does not extend the trusted checkpoint of size %d: %s was altered, or the log rewritten", size, suspects(v.proven, size))}, nil
	}
	if v.trusted != nil && v.trusted.Size == size {
		v.proven = size
	}
	return nil, nil
}

// open checks a stored checkpoint's signature and that it commits to the size it is kept for.
func (v *verification) open(cp StoredCheckpoint) (Checkpoint, *Problem) {
	c, err := OpenCheckpoint(cp.Note, v.key)
	switch {
	case errors.Is(err, ErrBadSignature):
		return c, &Problem{v.proven, fmt.Sprintf("the checkpoint of size %d has a bad signature: %s", cp.Size, cleared.Message(err))}
	case err != nil:
		return c, &Problem{v.proven, fmt.Sprintf("the checkpoint of size %d is malformed: %s", cp.Size, cleared.Message(err))}
	case c.Size != cp.Size:
		return c, &Problem{v.proven, fmt.Sprintf("the checkpoint kept for size %d is signed for size %d", cp.Size, c.Size)}
	}
	return c, nil
}

// CheckpointPager reads the stored signed heads a page at a time, smallest size first: [Verify] uses it when its
// source has it (store.Tx does), so that a log with a signed head per group commit, millions of them, is verified
// without holding them all.
type CheckpointPager interface {
	// AuditCheckpoints returns up to limit stored checkpoints of size from or more, smallest size first.
	AuditCheckpoints(from uint64, limit int) ([]StoredCheckpoint, error)
}

// headCursor walks the stored checkpoints in size order, a page at a time if the source pages them.
type headCursor struct {
	src     Source
	page    []StoredCheckpoint
	next    uint64 // the size the next page starts from
	started bool
	done    bool // no page after this one
}

// peek returns the next checkpoint, nil when there is none left.
func (h *headCursor) peek() (*StoredCheckpoint, error) {
	if len(h.page) == 0 && !h.done {
		if err := h.fill(); err != nil {
			return nil, err
		}
	}
	if len(h.page) == 0 {
		return nil, nil
	}
	return &h.page[0], nil
}

func (h *headCursor) pop() { h.page = h.page[1:] }

func (h *headCursor) fill() error {
	pager, ok := h.src.(CheckpointPager)
	if !ok {
		if h.started {
			h.done = true
			return nil
		}
		cps, err := h.src.Checkpoints()
		if err != nil {
			return err
		}
		h.started, h.done = true, true
		h.page = slices.SortedStableFunc(slices.Values(cps), func(a, b StoredCheckpoint) int { return cmp.Compare(a.Size, b.Size) })
		return nil
	}
	page, err := pager.AuditCheckpoints(h.next, verifyBatch)
	if err != nil {
		return err
	}
	h.page, h.done = page, len(page) < verifyBatch
	if len(page) > 0 {
		h.next = page[len(page)-1].Size + 1
	}
	return nil
}

// chain checks that signed head c names the stored head before it: a head deleted from the chain is named by
// the one after it. Heads signed before heads were chained carry no link, and may only come first.
func (v *verification) chain(c Checkpoint) *Problem {
	switch {
	case c.Prev == nil && v.last != nil && v.last.Prev != nil:
		return &Problem{v.proven, fmt.Sprintf("the signed head of size %d names no previous head, but the head of size %d before it is chained: the chain of signed heads is broken", c.Size, v.last.Size)}
	case c.Prev == nil:
		return nil
	case v.last == nil:
		return &Problem{v.proven, fmt.Sprintf("the signed head of size %d names a previous head of size %d that is not stored: a signed head was deleted", c.Size, c.Prev.Size)}
	case *c.Prev != v.last.Link():
		if c.Prev.Size > v.last.Size {
			return &Problem{v.proven, fmt.Sprintf("the signed head of size %d names a previous head of size %d that is not stored: a signed head was deleted", c.Size, c.Prev.Size)}
		}
		return &Problem{v.proven, fmt.Sprintf("the signed head of size %d names a previous head of size %d, not the stored head of size %d: the chain of signed heads is broken", c.Size, c.Prev.Size, v.last.Size)}
	}
	return nil
}

// storedTree checks that the stored nodes give root at size: proofs are served from them, so they must describe
// the log the entries describe. It does nothing if the source does not read nodes.
func (v *verification) storedTree(size uint64, root []byte) (*Problem, error) {
	if v.tree == nil {
		return nil, nil
	}
	stored, err := storedRoot(v.tree, size)
	switch {
	case errors.Is(err, cleared.ErrNotFound) || errors.Is(err, errCorrupt):
		return &Problem{v.proven, fmt.Sprintf("the stored tree at size %d is damaged: %v", size, err)}, nil
	case err != nil:
		return nil, err
	case !bytes.Equal(stored, root):
		return &Problem{v.proven, fmt.Sprintf("the stored tree at size %d does not match the entries: %s was altered after it was appended, or a node of the tree was (proofs served from it would not be of this log)", size, suspects(v.proven, size))}, nil
	}
	return nil, nil
}

// atEnd checks, once every record is read, that nothing is missing or stored beyond the head, and the stored tree
// and the trusted checkpoint against the whole log.
func (v *verification) atEnd(head uint64) (*Problem, error) {
	n := v.rng.End()
	switch {
	case n < head:
		return &Problem{n, fmt.Sprintf("%s missing (deleted): the log's head records %d entries", span(n, head-1), head)}, nil
	case n > head:
		return &Problem{head, fmt.Sprintf("%s stored beyond the log's head at %d entries", span(head, n-1), head)}, nil
	}
	cp, err := v.cps.peek()
	if err != nil {
		return nil, err
	}
	if cp != nil {
		// A checkpoint beyond the log proves entries were removed only if it is genuine.
		if _, p := v.open(*cp); p != nil {
			return p, nil
		}
		return &Problem{n, fmt.Sprintf("the checkpoint of size %d was signed when the log had %d entries, it now has %d: entries were removed", cp.Size, cp.Size, n)}, nil
	}
	if v.trusted != nil && v.trusted.Size > n {
		return &Problem{n, fmt.Sprintf("the trusted checkpoint is of size %d, the log now has %d entries: entries were removed", v.trusted.Size, n)}, nil
	}
	covered := uint64(0)
	if v.last != nil {
		covered = v.last.Size
	}
	if covered < n {
		latest := "none is stored"
		if v.last != nil {
			latest = fmt.Sprintf("the latest is at %d", covered)
		}
		return &Problem{covered, fmt.Sprintf("%s not covered by a signed head (%s): appended without the log's key, or its signed heads were deleted", span(covered, n-1), latest)}, nil
	}
	for seq, marker := range v.erased {
		return &Problem{seq, fmt.Sprintf("the payload of entry %d is marked erased on %s, and no entry records that erasure: it was erased by hand", seq, marker.Erased.UTC().Format("2006-01-02"))}, nil
	}
	root, err := rangeRoot(v.rng)
	if err != nil {
		return nil, err
	}
	if p, err := v.storedTree(n, root); p != nil || err != nil {
		return p, err
	}
	if v.nodes != nil {
		if p, err := v.nodes.end(n, root); p != nil || err != nil {
			return p, err
		}
		v.rep.Nodes = v.nodes.checked
	}
	if v.tree == nil || v.trusted == nil || v.trusted.Size == 0 {
		return nil, nil
	}
	// Give the auditor's proof: the one a client would ask the server for, from the stored nodes.
	proof, err := ConsistencyProof(v.tree, v.trusted.Size, n)
	switch {
	case errors.Is(err, cleared.ErrNotFound) || errors.Is(err, errCorrupt):
		return &Problem{v.trusted.Size, fmt.Sprintf("the stored tree is damaged: %v", err)}, nil
	case err != nil:
		return nil, err
	}
	if err := VerifyConsistency(v.trusted.Size, n, proof, v.trusted.Root, root); err != nil {
		return &Problem{v.trusted.Size, fmt.Sprintf("the stored tree gives no valid consistency proof from the trusted checkpoint: %s", cleared.Message(err))}, nil
	}
	return nil, nil
}

// span names entries a to b, one or more: "entry 7 is", "entries 7 to 9 are".
func span(a, b uint64) string {
	if a == b {
		return fmt.Sprintf("entry %d is", a)
	}
	return fmt.Sprintf("entries %d to %d are", a, b)
}

// suspects names the entries from, from+1 … to-1, one of which was altered.
func suspects(from, to uint64) string {
	switch {
	case to == from+1:
		return fmt.Sprintf("entry %d", from)
	case to > from+1:
		return fmt.Sprintf("one of entries %d to %d", from, to-1)
	}
	return "an entry"
}
