package audit

import (
	"fmt"
	"slices"
	"sort"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/cleared/cleared"
)

// memLog is the audit log in memory, with the storage contract of store.AuditTx: a fixture for the package's own
// algorithms (the databases run the storage suite). Nodes are kept level by level, 32 bytes each, in one slice
// per level, so a tree of ten million leaves fits in 640 MB. Tests tamper with its fields directly, as a database
// administrator would with the tables.
type memLog struct {
	head     uint64    // audit_head.size
	root     []byte    // audit_head.root
	records  []Record  // audit_entries, by seq
	payloads []Payload // audit_payloads, by seq
	levels   [][]byte  // audit_nodes: levels[l][32*i:32*(i+1)] is node (l, i)
	cps      []StoredCheckpoint
}

func (m *memLog) AuditSize() (uint64, error) { return m.head, nil }

func (m *memLog) AppendAudit(r Record, payload []byte, nodes []Node, root []byte) error {
	if r.Seq != m.head {
		return cleared.Conflictf("seq %d, want %d", r.Seq, m.head)
	}
	if len(root) != hashSize || len(r.LeafHash) != hashSize {
		return cleared.Invalidf("bad hash size")
	}
	// Nodes are append-only and complete each level left to right: anything else is a bug in Append.
	for _, n := range nodes {
		for uint(len(m.levels)) <= n.ID.Level {
			m.levels = append(m.levels, nil)
		}
		if have := uint64(len(m.levels[n.ID.Level]) / hashSize); have != n.ID.Index || len(n.Hash) != hashSize {
			return fmt.Errorf("node (%d, %d) appended at level holding %d nodes", n.ID.Level, n.ID.Index, have)
		}
		m.levels[n.ID.Level] = append(m.levels[n.ID.Level], n.Hash...)
	}
	m.records = append(m.records, r)
	m.payloads = append(m.payloads, Payload{Seq: r.Seq, Data: slices.Clone(payload)})
	m.head++
	m.root = slices.Clone(root)
	return nil
}

func (m *memLog) AuditRoot() ([]byte, error) {
	if m.root == nil {
		return rfc6962.DefaultHasher.EmptyRoot(), nil
	}
	return m.root, nil
}

func (m *memLog) AuditKeptLevel(uint) bool { return true }

func (m *memLog) AuditLevel(level uint, from uint64, limit int) ([]Node, error) {
	if level >= uint(len(m.levels)) {
		return nil, nil
	}
	n := uint64(len(m.levels[level]) / hashSize)
	var nodes []Node
	for i := from; i < n && len(nodes) < limit; i++ {
		nodes = append(nodes, Node{ID: compact.NewNodeID(level, i), Hash: m.node(level, i)})
	}
	return nodes, nil
}

func (m *memLog) AuditNodes(ids []compact.NodeID) ([][]byte, error) {
	hashes := make([][]byte, len(ids))
	for i, id := range ids {
		if id.Level >= uint(len(m.levels)) || id.Index >= uint64(len(m.levels[id.Level])/hashSize) {
			return nil, cleared.NotFoundf("node (%d, %d) not found", id.Level, id.Index)
		}
		lo := id.Index * hashSize
		hashes[i] = m.levels[id.Level][lo : lo+hashSize : lo+hashSize]
	}
	return hashes, nil
}

func (m *memLog) AuditRecords(from uint64, limit int) ([]Record, error) {
	i := sort.Search(len(m.records), func(i int) bool { return m.records[i].Seq >= from })
	return m.records[i:min(len(m.records), i+limit)], nil
}

func (m *memLog) AuditPayloads(from uint64, limit int) ([]Payload, error) {
	i := sort.Search(len(m.payloads), func(i int) bool { return m.payloads[i].Seq >= from })
	return m.payloads[i:min(len(m.payloads), i+limit)], nil
}

func (m *memLog) Checkpoints() ([]StoredCheckpoint, error) { return slices.Clone(m.cps), nil }

// pagedLog is a memLog that also pages its checkpoints (CheckpointPager), as the databases do; m.cps must be in
// size order.
type pagedLog struct{ *memLog }

func (p pagedLog) AuditCheckpoints(from uint64, limit int) ([]StoredCheckpoint, error) {
	i := sort.Search(len(p.cps), func(i int) bool { return p.cps[i].Size >= from })
	return slices.Clone(p.cps[i:min(len(p.cps), i+limit)]), nil
}

// node returns the stored hash of node (level, index), to tamper with.
func (m *memLog) node(level uint, index uint64) []byte {
	return m.levels[level][index*hashSize : (index+1)*hashSize]
}

// truncate removes the entries from size on, their payloads and nodes, and moves the head back, as a database
// administrator would to rewrite the log's end.
func (m *memLog) truncate(size uint64) {
	m.records, m.payloads, m.head = m.records[:size], m.payloads[:size], size
	for l := range m.levels {
		m.levels[l] = m.levels[l][:(size>>l)*hashSize]
	}
	m.root, _ = storedRoot(m, size)
}
