package audit

import (
	"bytes"
	"fmt"

	"github.com/transparency-dev/merkle/compact"
)

// nodePage is how many stored nodes of one level nodeCheck reads at a time.
const nodePage = 4096

// nodeCheck compares the stored tree, level by level, with the nodes [Verify] recomputes from the entries, as they
// complete: every stored node must be the recomputed one, none may be missing, none stored beyond the tree. It
// streams: one page of stored nodes per level at a time.
type nodeCheck struct {
	src     StoredTree
	levels  []nodeLevel
	checked uint64
	// bad is the first problem found, err the first storage error; the visitor cannot return them.
	bad *Problem
	err error
}

// nodeLevel is the read position in one level's stored nodes.
type nodeLevel struct {
	page []Node
	next uint64 // the index the next page starts from
	done bool   // no stored node at or after next
}

// peek returns the next stored node of level l, or nil if there is none.
func (c *nodeCheck) peek(l uint) *Node {
	for uint(len(c.levels)) <= l {
		c.levels = append(c.levels, nodeLevel{})
	}
	lv := &c.levels[l]
	if len(lv.page) == 0 && !lv.done {
		page, err := c.src.AuditLevel(l, lv.next, nodePage)
		if err != nil {
			c.err = err
			return nil
		}
		lv.page, lv.done = page, len(page) < nodePage
		if len(page) > 0 {
			lv.next = page[len(page)-1].ID.Index + 1
		}
	}
	if len(lv.page) == 0 {
		return nil
	}
	return &lv.page[0]
}

// visit compares the node recomputed at id with the next stored node of its level, if the level is stored.
func (c *nodeCheck) visit(id compact.NodeID, hash []byte) {
	if c.bad != nil || c.err != nil || !c.src.AuditKeptLevel(id.Level) {
		return
	}
	first := id.Index << id.Level // the first entry under the node
	n := c.peek(id.Level)
	switch {
	case c.err != nil:
		return
	case n == nil || n.ID.Index > id.Index:
		c.bad = &Problem{first, fmt.Sprintf("the stored tree lacks node (level %d, index %d): proofs that need it cannot be served", id.Level, id.Index)}
		return
	case n.ID.Index < id.Index:
		c.bad = &Problem{n.ID.Index << id.Level, fmt.Sprintf("the stored tree holds node (level %d, index %d) twice or out of order", id.Level, n.ID.Index)}
		return
	case !bytes.Equal(n.Hash, hash):
		c.bad = &Problem{first, fmt.Sprintf("stored tree node (level %d, index %d) is not the hash of the entries under it: the node table was altered (proofs served from it would not verify)", id.Level, id.Index)}
		return
	}
	c.levels[id.Level].page = c.levels[id.Level].page[1:]
	c.checked++
}

// end checks, once every entry is read, that no node is stored beyond the tree of size entries, and that the
// head's stored root is root.
func (c *nodeCheck) end(size uint64, root []byte) (*Problem, error) {
	for l := uint(0); l < 64; l++ {
		if !c.src.AuditKeptLevel(l) {
			continue
		}
		n := c.peek(l)
		if c.err != nil {
			return nil, c.err
		}
		if n != nil {
			return &Problem{size, fmt.Sprintf("the stored tree holds node (level %d, index %d), beyond the log's %d entries: a node was added", l, n.ID.Index, size)}, nil
		}
	}
	stored, err := c.src.AuditRoot()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(stored, root) {
		return &Problem{size, fmt.Sprintf("the log's head records root %s, but the entries hash to %s: the head was altered", b64(stored), b64(root))}, nil
	}
	return nil, nil
}
