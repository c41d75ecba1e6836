package sqlstore

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
)

// The audit log's tables are described in the migration that creates them (00002_audit.sql). Hashes are SHA-256
// (RFC 6962), 32 bytes; the store refuses any other length (cleared.ErrInvalid) rather than keep a value no proof
// could use.

// auditHead is the log's head as a transaction sees it: its size and root, and the time of the last entry appended.
type auditHead struct {
	loaded bool
	start  uint64 // the size read from the database
	size   uint64
	root   []byte
	time   time.Time
}

// head returns the log's head. In Update it is read once per group commit, then kept in memory: AppendAudit moves
// it there, and the writer stores it once, just before the commit (writeHead), rather than once per entry. On
// PostgreSQL the read locks the head's row (SELECT … FOR UPDATE) until the commit, so appenders in several server
// processes take turns; SQLite's single writer serializes them already. In View it is read each time.
func (tx *Tx) head() (*auditHead, error) {
	h := new(auditHead)
	if tx.batch != nil {
		h = &tx.batch.head
	}
	if h.loaded {
		return h, nil
	}
	var (
		size       int64
		root       []byte
		latestSize sql.NullInt64
		latestNote []byte
	)
	if tx.batch == nil {
		_, err := get(tx, func(s scanner) (int64, error) { return 0, s.Scan(&size, &root) },
			`SELECT size, root FROM audit_head WHERE id = 1`)
		if err != nil {
			return nil, err
		}
	} else {
		// With the latest signed head, in one statement: the batch checks it before anything is appended.
		_, err := get(tx, func(s scanner) (int64, error) { return 0, s.Scan(&size, &root, &latestSize, &latestNote) }, `
			SELECT size, root,
				(SELECT size FROM audit_checkpoints ORDER BY size DESC LIMIT 1),
				(SELECT note FROM audit_checkpoints ORDER BY size DESC LIMIT 1)
			FROM audit_head WHERE id = 1`+tx.forUpdate())
		if err != nil {
			return nil, err
		}
		var latest *audit.StoredCheckpoint
		if latestSize.Valid {
			latest = &audit.StoredCheckpoint{Size: uint64(latestSize.Int64), Note: latestNote}
		}
		if err := tx.checkSignedHead(uint64(size), root, latest); err != nil {
			return nil, err
		}
	}
	*h = auditHead{loaded: true, start: uint64(size), size: uint64(size), root: root}
	return h, nil
}

// forUpdate ends a SELECT that reads what the transaction will write, in Update, on a dialect that locks rows.
func (tx *Tx) forUpdate() string {
	if tx.update && tx.s.d.LockRows {
		return ` FOR UPDATE`
	}
	return ""
}

// AuditSize returns the number of entries in the audit log, locking the log's head in Update (see Tx.head).
func (tx *Tx) AuditSize() (uint64, error) {
	h, err := tx.head()
	if err != nil {
		return 0, tx.errorf(err, "read audit log size")
	}
	return h.size, nil
}

// AppendAudit stores entry r, its payload and the nodes its append completed, and moves the head from size r.Seq
// to r.Seq+1 with the new root. It is cleared.ErrConflict, and changes nothing, if r.Seq is not the log's size;
// cleared.ErrInvalid if a hash is not 32 bytes or the time cannot be stored. Entries and nodes have primary keys,
// and the head is stored only if it moved from the size the transaction read and the entries end where it says
// (writeHead), so no two entries can share a seq and no size can get two roots, whatever the appenders do.
func (tx *Tx) AppendAudit(r audit.Record, payload []byte, nodes []audit.Node, root []byte) error {
	if err := tx.appendAudit(r, payload, nodes, root); err != nil {
		if errors.Is(err, errFork) && tx.failed == nil {
			// A write that would fork the tree aborts the function, as the failed INSERT it stands for would.
			tx.failed = err
		}
		return tx.errorf(err, "append audit entry %d", r.Seq)
	}
	return nil
}

// errFork marks nodes that are not those an append completes.
var errFork = errors.New("the nodes would fork the tree")

func (tx *Tx) appendAudit(r audit.Record, payload []byte, nodes []audit.Node, root []byte) error {
	if r.Seq > math.MaxInt64-1 {
		return cleared.Invalidf("seq %d is beyond what the database stores", r.Seq)
	}
	if err := checkTimeSet("audit entry", r.Time); err != nil {
		return err
	}
	if err := checkHash("leaf", r.LeafHash); err != nil {
		return err
	}
	if err := checkHash("root", root); err != nil {
		return err
	}
	for _, n := range nodes {
		if err := checkHash("node", n.Hash); err != nil {
			return err
		}
	}
	h, err := tx.head()
	if err != nil {
		return err
	}
	if r.Seq != h.size {
		return cleared.Conflictf("the log holds %d entries: the next entry's seq is %d, not %d", h.size, h.size, r.Seq)
	}
	if err := checkCompleted(r.Seq, nodes); err != nil {
		return err
	}
	if payload == nil {
		payload = []byte{} // NULL means erased
	}
	if tx.batch == nil {
		return errors.New("sqlstore: an audit entry is appended in Update only")
	}
	// Buffered, and written with the batch's other entries in a few multi-row statements before the commit
	// (flushAudit): a group commit of 256 entries costs a handful of statements, not a thousand.
	b := tx.batch
	b.entries = append(b.entries, pendingEntry{r: r, payload: payload})
	for _, n := range nodes {
		b.nodes[n.ID] = bytes.Clone(n.Hash)
		b.added = append(b.added, n.ID)
	}
	h.size, h.root, h.time = r.Seq+1, bytes.Clone(root), r.Time
	return nil
}

// checkCompleted refuses nodes other than those appending leaf seq completes: the leaf (level 0, index seq) and
// one parent per trailing one bit of seq, in that order. A node of another entry would overwrite the tree (a
// fork: cleared.ErrConflict); a missing one would leave a hole in it (cleared.ErrInvalid).
func checkCompleted(seq uint64, nodes []audit.Node) error {
	level, index := uint(0), seq
	for i, n := range nodes {
		if n.ID.Level != level || n.ID.Index != index {
			return fmt.Errorf("%w: %w", errFork, cleared.Conflictf("node (level %d, index %d) is not the %d-th node entry %d completes", n.ID.Level, n.ID.Index, i, seq))
		}
		if index%2 == 0 && i < len(nodes)-1 {
			return fmt.Errorf("%w: %w", errFork, cleared.Conflictf("entry %d completes no node above (level %d, index %d)", seq, level, index))
		}
		level, index = level+1, index/2
	}
	if want := 1 + bits.TrailingZeros64(^seq); len(nodes) != want {
		return cleared.Invalidf("entry %d completes %d tree nodes, not %d", seq, want, len(nodes))
	}
	return nil
}

// nodeStride spaces the levels of the tree whose nodes are stored: the levels 4, 8, 12… Level 0, the leaves, is
// the entries' leaf hashes; a node of another level is hashed, when needed, from the at most 8 stored nodes under
// it (storedUnder). One row per 16 entries instead of two per entry, for proofs that read at most 8 hashes per
// level instead of one.
const nodeStride = 4

// keptLevel reports whether the nodes of level are rows of audit_nodes.
func keptLevel(level uint) bool { return level > 0 && level%nodeStride == 0 }

// AuditKeptLevel reports whether the nodes of level are rows of audit_nodes: the levels 4, 8, 12… (see
// nodeStride). The leaves are the entries' leaf hashes; the nodes of the other levels are hashed from these.
func (tx *Tx) AuditKeptLevel(level uint) bool { return keptLevel(level) }

// pendingEntry is an entry appended in a batch, not yet written (flushAudit).
type pendingEntry struct {
	r       audit.Record
	payload []byte
}

// flushAudit writes the batch's entries, payloads and stored nodes not written yet, in a few multi-row INSERTs.
// Update calls it before the commit, and before any other statement of the batch on the audit log's entries,
// payloads or nodes, so that a function reads what the batch's functions before it appended.
func (tx *Tx) flushAudit() error {
	b := tx.batch
	if b == nil {
		return nil
	}
	for b.written < len(b.entries) {
		n := chunk(len(b.entries) - b.written)
		args := make([]any, 0, 11*n)
		for _, e := range b.entries[b.written : b.written+n] {
			r := e.r
			args = append(args, int64(r.Seq), r.Time.UnixNano(), null(r.Actor), null(r.Terminal), r.Action, null(r.Object),
				bit(r.Allowed), null(r.Rule), r.PayloadHash[:], r.LeafHash, e.payload)
		}
		if _, err := tx.exec(`INSERT INTO audit_entries (`+auditRecordColumns+`, payload) VALUES `+tx.s.placeholders(n, 11), args...); err != nil {
			return err
		}
		b.written += n
	}
	var kept []compact.NodeID
	for _, id := range b.added[b.nodesWritten:] {
		if keptLevel(id.Level) {
			kept = append(kept, id)
		}
	}
	for len(kept) > 0 {
		n := chunk(len(kept))
		args := make([]any, 0, 3*n)
		for _, id := range kept[:n] {
			args = append(args, int64(id.Level), int64(id.Index), b.nodes[id])
		}
		if _, err := tx.exec(`INSERT INTO audit_nodes (level, idx, hash) VALUES `+tx.s.placeholders(n, 3), args...); err != nil {
			return err
		}
		kept = kept[n:]
	}
	b.nodesWritten = len(b.added)
	return nil
}

// chunk returns how many of n rows one INSERT writes: the largest power of two up to 256 not above n, so that a
// few statement texts, each prepared once, serve every batch, and none has too many placeholders.
func chunk(n int) int {
	return 1 << min(bits.Len(uint(n))-1, 8)
}

// writeHead stores the head the batch's appends moved, and its signature (signHead), in the transaction, before
// it commits. It checks first that the entries end where the head says, and stores it only if the stored head is
// still where the batch read it; otherwise the batch fails and nothing is committed (fail closed).
func (tx *Tx) writeHead() error {
	h := &tx.batch.head
	if !h.loaded || h.size == h.start {
		return nil
	}
	if err := tx.flushAudit(); err != nil {
		return tx.errorf(err, "write audit entries %d to %d", h.start, h.size-1)
	}
	end, err := get(tx, scanInt, `SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_entries`)
	if err != nil {
		return tx.errorf(err, "check audit log head")
	}
	if uint64(end) != h.size {
		return fmt.Errorf("sqlstore: audit log head at %d, but its entries end at %d: nothing committed", h.size, end)
	}
	moved, err := tx.execOne(`UPDATE audit_head SET size = $1, root = $2 WHERE id = 1 AND size = $3`,
		int64(h.size), h.root, int64(h.start))
	if err != nil {
		return tx.errorf(err, "move audit log head to %d", h.size)
	}
	if !moved {
		return fmt.Errorf("sqlstore: audit log head moved from %d by another writer: nothing committed", h.start)
	}
	tx.batch.signed, err = tx.signHead(h)
	return err
}

// placeholders returns rows tuples of cols placeholders each: "($1, $2), ($3, $4)", or "(?, ?), (?, ?)" for a
// dialect that binds those faster (Dialect.Anonymous).
func (s *Store) placeholders(rows, cols int) string {
	if s.d.Anonymous {
		tuple := "(" + strings.Repeat("?, ", cols-1) + "?)"
		return strings.Repeat(tuple+", ", rows-1) + tuple
	}
	var b strings.Builder
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(i*cols + j + 1))
		}
		b.WriteByte(')')
	}
	return b.String()
}

func checkHash(what string, h []byte) error {
	if len(h) != sha256.Size {
		return cleared.Invalidf("%s hash of %d bytes, want %d", what, len(h), sha256.Size)
	}
	return nil
}

// AuditNodes returns the hashes of the given nodes, in the order of ids; ErrNotFound naming the first node of ids
// that cannot be had. A leaf is its entry's leaf hash; a node of a stored level (keptLevel) is read from
// audit_nodes; a node of another level is hashed from the stored nodes under it. What is not at hand is read in at
// most two queries. In Update, the nodes the batch has appended or read are at hand: nodes never change once
// written, and every append reads the nodes of the tree's compact range, which the batch's previous appends have
// mostly just read or written.
func (tx *Tx) AuditNodes(ids []compact.NodeID) ([][]byte, error) {
	hashes := make([][]byte, len(ids))
	var missing []compact.NodeID
	seen := make(map[compact.NodeID]bool)
	for i, id := range ids {
		if hashes[i] = tx.memNode(id); hashes[i] != nil || !validNode(id) {
			continue
		}
		for _, s := range storedUnder(id) {
			if !seen[s] && tx.memNode(s) == nil {
				seen[s] = true
				missing = append(missing, s)
			}
		}
	}
	var found map[compact.NodeID][]byte
	if len(missing) > 0 {
		var err error
		if found, err = tx.readStoredNodes(missing); err != nil {
			return nil, tx.errorf(err, "read %d audit nodes", len(missing))
		}
	}
	get := func(id compact.NodeID) []byte {
		if h := tx.memNode(id); h != nil {
			return h
		}
		return found[id]
	}
	for i, id := range ids {
		if hashes[i] == nil && validNode(id) {
			hashes[i] = hashUp(id, get)
			if hashes[i] != nil && tx.batch != nil {
				tx.batch.nodes[id] = hashes[i]
			}
		}
		if hashes[i] == nil {
			return nil, cleared.NotFoundf("audit node (level %d, index %d) not found", id.Level, id.Index)
		}
		hashes[i] = bytes.Clone(hashes[i]) // the caller's to change, without changing what the batch holds
	}
	return hashes, nil
}

// validNode reports whether id can be a node of a tree the database stores.
func validNode(id compact.NodeID) bool {
	return id.Level <= 62 && id.Index <= math.MaxInt64>>id.Level
}

// memNode returns node id if the batch holds it, or the last batch committed it (stored, so unchanging); nil
// otherwise, and always in View.
func (tx *Tx) memNode(id compact.NodeID) []byte {
	if tx.batch == nil {
		return nil
	}
	if h := tx.batch.nodes[id]; h != nil {
		return h
	}
	if h := tx.s.nodes[id]; h != nil {
		tx.batch.nodes[id] = h
		return h
	}
	return nil
}

// storedUnder returns the stored nodes node id is hashed from: itself if its level is stored or is the leaves',
// otherwise the nodes under it at the stored level below (at most 2^(nodeStride-1)).
func storedUnder(id compact.NodeID) []compact.NodeID {
	base := id.Level - id.Level%nodeStride
	if base == id.Level {
		return []compact.NodeID{id}
	}
	width := uint64(1) << (id.Level - base)
	ids := make([]compact.NodeID, width)
	for j := range width {
		ids[j] = compact.NewNodeID(base, id.Index*width+j)
	}
	return ids
}

// hashUp returns node id, hashed from the stored nodes under it that get returns; nil if one is missing.
func hashUp(id compact.NodeID, get func(compact.NodeID) []byte) []byte {
	if id.Level%nodeStride == 0 {
		if h := get(id); len(h) == sha256.Size {
			return h
		}
		return nil
	}
	left := hashUp(compact.NewNodeID(id.Level-1, 2*id.Index), get)
	right := hashUp(compact.NewNodeID(id.Level-1, 2*id.Index+1), get)
	if left == nil || right == nil {
		return nil
	}
	return rfc6962.DefaultHasher.HashChildren(left, right)
}

// readStoredNodes reads the stored nodes of ids that exist: the leaves from audit_entries, the others from
// audit_nodes.
func (tx *Tx) readStoredNodes(ids []compact.NodeID) (map[compact.NodeID][]byte, error) {
	if err := tx.flushAudit(); err != nil {
		return nil, err
	}
	found := make(map[compact.NodeID][]byte, len(ids))
	var leaves, inner []any
	var where strings.Builder
	for _, id := range ids {
		if id.Level == 0 {
			leaves = append(leaves, int64(id.Index))
			continue
		}
		// An OR of (level, idx) pairs rather than a row-value IN: SQLite takes a row-value IN only from a
		// subquery, and PostgreSQL cannot type the placeholders of a VALUES list; both use the primary key for
		// each pair.
		if len(inner) > 0 {
			where.WriteString(" OR ")
		}
		where.WriteString("(level = $" + strconv.Itoa(len(inner)+1) + " AND idx = $" + strconv.Itoa(len(inner)+2) + ")")
		inner = append(inner, int64(id.Level), int64(id.Index))
	}
	scan := func(level uint) func(s scanner) (audit.Node, error) {
		return func(s scanner) (audit.Node, error) {
			var (
				n     audit.Node
				index int64
			)
			err := s.Scan(&index, &n.Hash)
			n.ID = compact.NewNodeID(level, uint64(index))
			return n, err
		}
	}
	if len(leaves) > 0 {
		nodes, err := list(tx, scan(0), `SELECT seq, leaf_hash FROM audit_entries WHERE seq IN (`+inList(len(leaves))+`)`, leaves...)
		if err != nil {
			return nil, err
		}
		for _, n := range nodes {
			found[n.ID] = n.Hash
		}
	}
	if len(inner) > 0 {
		nodes, err := list(tx, func(s scanner) (audit.Node, error) {
			var (
				n            audit.Node
				level, index int64
			)
			err := s.Scan(&level, &index, &n.Hash)
			n.ID = compact.NewNodeID(uint(level), uint64(index))
			return n, err
		}, `SELECT level, idx, hash FROM audit_nodes WHERE `+where.String(), inner...)
		if err != nil {
			return nil, err
		}
		for _, n := range nodes {
			found[n.ID] = n.Hash
		}
	}
	return found, nil
}

// inList returns n placeholders separated by commas: "$1, $2, $3".
func inList(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i+1))
	}
	return b.String()
}

// AuditLevel returns up to limit stored nodes of level level, from index from on, in index order (the primary
// key's); ErrInvalid if limit is below 1.
func (tx *Tx) AuditLevel(level uint, from uint64, limit int) ([]audit.Node, error) {
	if err := tx.flushAudit(); err != nil {
		return nil, tx.errorf(err, "write the batch's audit entries")
	}
	if err := checkPage(limit); err != nil {
		return nil, tx.errorf(err, "list audit nodes")
	}
	if level > 63 || from > math.MaxInt64 {
		return nil, nil
	}
	nodes, err := list(tx, func(s scanner) (audit.Node, error) {
		var (
			n     audit.Node
			index int64
		)
		err := s.Scan(&index, &n.Hash)
		n.ID = compact.NewNodeID(level, uint64(index))
		return n, err
	}, `SELECT idx, hash FROM audit_nodes WHERE level = $1 AND idx >= $2 ORDER BY idx LIMIT $3`,
		int64(level), int64(from), limit)
	if err != nil {
		return nil, tx.errorf(err, "list audit nodes of level %d from %d", level, from)
	}
	return nodes, nil
}

// AuditRoot returns the root hash the log's head records (in Update, as the batch's appends moved it).
func (tx *Tx) AuditRoot() ([]byte, error) {
	h, err := tx.head()
	if err != nil {
		return nil, tx.errorf(err, "read audit log root")
	}
	return bytes.Clone(h.root), nil
}

const auditRecordColumns = `seq, time_ns, actor, terminal, action, object, allowed, rule, payload_hash, leaf_hash`

func scanAuditRecord(s scanner) (audit.Record, error) {
	var (
		r                 audit.Record
		seq               int64
		allowed           int
		payloadHash, leaf []byte
	)
	err := s.Scan(&seq, ts(&r.Time), opt(&r.Actor), opt(&r.Terminal), &r.Action, opt(&r.Object), &allowed, opt(&r.Rule),
		&payloadHash, &leaf)
	if err != nil {
		return r, err
	}
	r.Seq, r.Allowed, r.LeafHash = uint64(seq), allowed == 1, leaf
	if copy(r.PayloadHash[:], payloadHash) != len(r.PayloadHash) || len(payloadHash) != len(r.PayloadHash) {
		return r, errors.New("stored payload hash is not 32 bytes")
	}
	return r, nil
}

// AuditRecords returns up to limit records, from seq from on, in order; none if from is the size or beyond.
// ErrInvalid if limit is below 1.
func (tx *Tx) AuditRecords(from uint64, limit int) ([]audit.Record, error) {
	if err := tx.flushAudit(); err != nil {
		return nil, tx.errorf(err, "write the batch's audit entries")
	}
	if err := checkPage(limit); err != nil {
		return nil, tx.errorf(err, "list audit records")
	}
	if from > math.MaxInt64 {
		return nil, nil
	}
	rs, err := list(tx, scanAuditRecord, `
		SELECT `+auditRecordColumns+` FROM audit_entries
		WHERE seq >= $1 ORDER BY seq LIMIT $2`,
		int64(from), limit)
	if err != nil {
		return nil, tx.errorf(err, "list audit records from %d", from)
	}
	return rs, nil
}

// AuditEntries returns up to limit records from seq from on, in order, with their payloads or erasure markers,
// in one query; ErrInvalid if limit is below 1.
func (tx *Tx) AuditEntries(from uint64, limit int) ([]audit.Record, []audit.Payload, error) {
	if err := tx.flushAudit(); err != nil {
		return nil, nil, tx.errorf(err, "write the batch's audit entries")
	}
	if err := checkPage(limit); err != nil {
		return nil, nil, tx.errorf(err, "list audit entries")
	}
	if from > math.MaxInt64 {
		return nil, nil, nil
	}
	type both struct {
		r audit.Record
		p audit.Payload
	}
	rows, err := list(tx, func(s scanner) (both, error) {
		// Plain destinations: a verifier reads every entry, and the driver's conversions cost more than the row.
		var (
			b                             both
			seq, timeNS                   int64
			allowed                       int64
			actor, terminal, object, rule sql.NullString
			reason                        sql.NullString
			erased                        sql.NullInt64
			payloadHash, leaf             []byte
		)
		err := s.Scan(&seq, &timeNS, &actor, &terminal, &b.r.Action, &object, &allowed, &rule, &payloadHash, &leaf,
			&b.p.Data, &erased, &reason)
		if err != nil {
			return b, err
		}
		b.r.Seq, b.r.Time, b.r.Allowed, b.r.LeafHash = uint64(seq), time.Unix(0, timeNS).UTC(), allowed == 1, leaf
		b.r.Actor, b.r.Terminal = cleared.PersonID(actor.String), cleared.TerminalID(terminal.String)
		b.r.Object, b.r.Rule = object.String, rule.String
		b.p.Seq, b.p.Reason = uint64(seq), reason.String
		if erased.Valid {
			b.p.Erased = time.Unix(0, erased.Int64).UTC()
		}
		if copy(b.r.PayloadHash[:], payloadHash) != len(b.r.PayloadHash) || len(payloadHash) != len(b.r.PayloadHash) {
			return b, errors.New("stored payload hash is not 32 bytes")
		}
		if !erased.Valid && b.p.Data == nil {
			b.p.Data = []byte{}
		}
		return b, nil
	}, `SELECT `+auditRecordColumns+`, payload, erased_ns, erasure_reason FROM audit_entries
		WHERE seq >= $1 ORDER BY seq LIMIT $2`, int64(from), limit)
	if err != nil {
		return nil, nil, tx.errorf(err, "list audit entries from %d", from)
	}
	recs, pays := make([]audit.Record, len(rows)), make([]audit.Payload, len(rows))
	for i, b := range rows {
		recs[i], pays[i] = b.r, b.p
	}
	return recs, pays, nil
}

const auditPayloadColumns = `seq, payload, erased_ns, erasure_reason`

func scanAuditPayload(s scanner) (audit.Payload, error) {
	var (
		p   audit.Payload
		seq int64
	)
	if err := s.Scan(&seq, &p.Data, ts(&p.Erased), opt(&p.Reason)); err != nil {
		return p, err
	}
	p.Seq = uint64(seq)
	if p.Erased.IsZero() && p.Data == nil {
		p.Data = []byte{} // an empty payload, which some drivers read back as nil
	}
	return p, nil
}

// AuditPayload returns the payload of entry seq, or, once it is erased, the marker left in its place (Data nil,
// Erased and Reason set); ErrNotFound if there is no such entry.
func (tx *Tx) AuditPayload(seq uint64) (audit.Payload, error) {
	if err := tx.flushAudit(); err != nil {
		return audit.Payload{}, tx.errorf(err, "write the batch's audit entries")
	}
	if seq > math.MaxInt64 {
		return audit.Payload{}, cleared.NotFoundf("audit entry %d not found", seq)
	}
	p, err := get(tx, scanAuditPayload, `SELECT `+auditPayloadColumns+` FROM audit_entries WHERE seq = $1`, int64(seq))
	if err != nil {
		return audit.Payload{}, tx.notFound(err, "audit entry", seq)
	}
	return p, nil
}

// AuditPayloads returns up to limit payloads or erasure markers, from seq from on, in order; ErrInvalid if limit
// is below 1.
func (tx *Tx) AuditPayloads(from uint64, limit int) ([]audit.Payload, error) {
	if err := tx.flushAudit(); err != nil {
		return nil, tx.errorf(err, "write the batch's audit entries")
	}
	if err := checkPage(limit); err != nil {
		return nil, tx.errorf(err, "list audit payloads")
	}
	if from > math.MaxInt64 {
		return nil, nil
	}
	ps, err := list(tx, scanAuditPayload, `
		SELECT `+auditPayloadColumns+` FROM audit_entries
		WHERE seq >= $1 ORDER BY seq LIMIT $2`,
		int64(from), limit)
	if err != nil {
		return nil, tx.errorf(err, "list audit payloads from %d", from)
	}
	return ps, nil
}

// EraseAuditPayload erases the payload of entry seq for good at its retention deadline (A23.2), leaving a marker
// that says when and why; the entry, its leaf hash (which commits to the payload's hash) and the tree stay, so
// every proof still verifies. ErrInvalid without a reason or time, ErrNotFound if there is no such entry,
// ErrConflict if the payload is erased already.
//
// On SQLite, secure_delete (set on every connection) zeroes the erased bytes in the database file, and the
// write-ahead log, which still holds the pages written before, is checkpointed and truncated once the erasure is
// committed (Dialect.AfterErase). PostgreSQL keeps the old row version until VACUUM reclaims its space, and
// its write-ahead log and backups keep it longer: erasure there is logical.
func (tx *Tx) EraseAuditPayload(seq uint64, at time.Time, reason string) error {
	if err := tx.flushAudit(); err != nil {
		return tx.errorf(err, "write the batch's audit entries")
	}
	if reason == "" {
		return tx.errorf(cleared.Invalidf("an erasure needs its reason (A23.2)"), "erase audit payload %d", seq)
	}
	if err := checkTimeSet("erasure", at); err != nil {
		return tx.errorf(err, "erase audit payload %d", seq)
	}
	if seq > math.MaxInt64 {
		return tx.errorf(cleared.NotFoundf("audit entry %d not found", seq), "erase audit payload %d", seq)
	}
	ok, err := tx.execOne(`
		UPDATE audit_entries SET payload = NULL, erased_ns = $2, erasure_reason = $3
		WHERE seq = $1 AND erased_ns IS NULL`,
		int64(seq), at.UnixNano(), reason)
	if err != nil {
		return tx.errorf(err, "erase audit payload %d", seq)
	}
	if !ok {
		return tx.absentOrDone("audit_entries", "seq", "audit payload", int64(seq), "is erased already")
	}
	if tx.batch != nil {
		tx.batch.erased = true
	}
	return nil
}

// PutCheckpoint keeps a signed checkpoint. Putting the same note for a size again is a no-op; a different note for
// a size already kept is ErrConflict (two signed roots for one size would be a fork). ErrInvalid without a note or
// a creation time.
func (tx *Tx) PutCheckpoint(c audit.StoredCheckpoint) error {
	if err := tx.putCheckpoint(c); err != nil {
		return tx.errorf(err, "put audit checkpoint of size %d", c.Size)
	}
	return nil
}

func (tx *Tx) putCheckpoint(c audit.StoredCheckpoint) error {
	if len(c.Note) == 0 {
		return cleared.Invalidf("no note")
	}
	if err := checkTimeSet("checkpoint", c.Created); err != nil {
		return err
	}
	if c.Size > math.MaxInt64 {
		return cleared.Invalidf("size %d is beyond what the database stores", c.Size)
	}
	added, err := tx.execOne(`
		INSERT INTO audit_checkpoints (size, note, created_ns) VALUES ($1, $2, $3)
		ON CONFLICT (size) DO NOTHING`,
		int64(c.Size), c.Note, c.Created.UnixNano())
	if err != nil || added {
		return err
	}
	kept, err := get(tx, func(s scanner) ([]byte, error) {
		var note []byte
		err := s.Scan(&note)
		return note, err
	}, `SELECT note FROM audit_checkpoints WHERE size = $1`, int64(c.Size))
	if err != nil {
		return err
	}
	if !bytes.Equal(kept, c.Note) {
		return cleared.Conflictf("another checkpoint of that size is kept")
	}
	return nil
}

const auditCheckpointColumns = `size, note, created_ns`

func scanAuditCheckpoint(s scanner) (audit.StoredCheckpoint, error) {
	var (
		c    audit.StoredCheckpoint
		size int64
	)
	err := s.Scan(&size, &c.Note, ts(&c.Created))
	c.Size = uint64(size)
	return c, err
}

// Checkpoints lists every kept checkpoint, smallest size first.
func (tx *Tx) Checkpoints() ([]audit.StoredCheckpoint, error) {
	cs, err := list(tx, scanAuditCheckpoint, `SELECT `+auditCheckpointColumns+` FROM audit_checkpoints ORDER BY size`)
	if err != nil {
		return nil, tx.errorf(err, "list audit checkpoints")
	}
	return cs, nil
}

// AuditCheckpoints returns up to limit kept checkpoints of size from or more, smallest size first; ErrInvalid if
// limit is below 1.
func (tx *Tx) AuditCheckpoints(from uint64, limit int) ([]audit.StoredCheckpoint, error) {
	if err := checkPage(limit); err != nil {
		return nil, tx.errorf(err, "list audit checkpoints")
	}
	if from > math.MaxInt64 {
		return nil, nil
	}
	cs, err := list(tx, scanAuditCheckpoint, `SELECT `+auditCheckpointColumns+` FROM audit_checkpoints
		WHERE size >= $1 ORDER BY size LIMIT $2`, int64(from), limit)
	if err != nil {
		return nil, tx.errorf(err, "list audit checkpoints from %d", from)
	}
	return cs, nil
}

// LatestCheckpoint returns the checkpoint of the largest size; ErrNotFound if none is kept.
func (tx *Tx) LatestCheckpoint() (audit.StoredCheckpoint, error) {
	c, err := get(tx, scanAuditCheckpoint, `
		SELECT `+auditCheckpointColumns+` FROM audit_checkpoints ORDER BY size DESC LIMIT 1`)
	if errors.Is(err, sql.ErrNoRows) {
		return audit.StoredCheckpoint{}, cleared.NotFoundf("no audit checkpoint kept")
	}
	if err != nil {
		return audit.StoredCheckpoint{}, tx.errorf(err, "read latest audit checkpoint")
	}
	return c, nil
}
