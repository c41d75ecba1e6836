package store

import (
	"time"

	"github.com/transparency-dev/merkle/compact"

	"github.com/cleared/cleared/audit"
)

// AuditTx is the audit log's storage (package audit). Entries, their payloads, the tree's node hashes and the signed
// checkpoints are separate tables, so a payload can be erased (A23.2) while entries and nodes stay.
type AuditTx interface {
	// AuditSize returns the number of entries. Inside Update it also locks the log's head, so concurrent appenders
	// (several server processes on one PostgreSQL) take turns and can never give two entries one sequence number.
	AuditSize() (uint64, error)
	// AppendAudit stores entry r (whose Seq must equal the current size), its payload, the tree nodes the append
	// created, and the new root; the size becomes Seq+1. A Seq other than the size is ErrConflict.
	AppendAudit(r audit.Record, payload []byte, nodes []audit.Node, root []byte) error
	// AuditNodes returns the hashes of the given nodes, in order; ErrNotFound if one is missing.
	AuditNodes(ids []compact.NodeID) ([][]byte, error)
	// AuditKeptLevel reports whether the nodes of level are stored as rows (levels 4, 8, 12…); the leaves are the
	// entries' leaf hashes, and the nodes of the other levels are hashed from those below when needed.
	AuditKeptLevel(level uint) bool
	// AuditLevel returns up to limit stored nodes of one level, from index from on, in index order, for a verifier
	// that checks every stored node; ErrInvalid if limit is below 1.
	AuditLevel(level uint, from uint64, limit int) ([]audit.Node, error)
	// AuditRoot returns the root hash the log's head records.
	AuditRoot() ([]byte, error)
	// AuditRecords returns up to limit records from seq from, in order.
	AuditRecords(from uint64, limit int) ([]audit.Record, error)
	// AuditEntries returns up to limit records from seq from, in order, with their payloads (or erasure markers),
	// in one read, for a verifier; ErrInvalid if limit is below 1.
	AuditEntries(from uint64, limit int) ([]audit.Record, []audit.Payload, error)
	// AuditPayload returns an entry's payload, or its erasure marker; ErrNotFound if the entry does not exist.
	AuditPayload(seq uint64) (audit.Payload, error)
	// AuditPayloads returns up to limit payloads (or erasure markers) from seq from, in order, for a verifier that
	// pages through them; ErrInvalid if limit is below 1.
	AuditPayloads(from uint64, limit int) ([]audit.Payload, error)
	// EraseAuditPayload deletes a payload for good, leaving the marker (when, why); ErrConflict if already erased.
	EraseAuditPayload(seq uint64, at time.Time, reason string) error
	// PutCheckpoint keeps a signed checkpoint; ErrConflict if one for that size exists with another note. Every
	// group commit that appends puts the log's new signed head this way (sqlstore), in its transaction.
	PutCheckpoint(c audit.StoredCheckpoint) error
	// Checkpoints lists every kept checkpoint, smallest size first.
	Checkpoints() ([]audit.StoredCheckpoint, error)
	// AuditCheckpoints returns up to limit kept checkpoints of size from or more, smallest size first, for a
	// verifier that pages through them (one per group commit); ErrInvalid if limit is below 1.
	AuditCheckpoints(from uint64, limit int) ([]audit.StoredCheckpoint, error)
	// LatestCheckpoint returns the checkpoint of the largest size; ErrNotFound if none.
	LatestCheckpoint() (audit.StoredCheckpoint, error)
}
