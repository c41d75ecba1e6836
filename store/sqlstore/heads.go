package sqlstore

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
)

// Signed heads (architecture, principle 5). Every group commit that appends to the audit log signs the log's new
// head (size and root) with the log's key, chained to the previous signed head, and stores it in audit_checkpoints
// in the same transaction. Before it appends, a batch checks that the stored head is the latest signed head and
// that the log's key signed it: a store never extends a log it did not sign, so an entry a database
// administrator added, or a head he moved, stops every write instead of being signed over.

// auditKeys are the log's keys: the signer key signs heads, the verifier key checks the heads a batch finds.
type auditKeys struct {
	signer   *audit.Signer
	verifier string
}

// signedHead is a signed head the writer wrote or verified: while the stored head and the latest stored note are
// still these bytes, it trusts them without checking the signature again.
type signedHead struct {
	note []byte
	cp   audit.Checkpoint
}

// SetAuditSigner gives the store the audit log's note signer key (see audit.NewKey), with which every group commit
// that appends to the log signs its new head. Until it is set, every append to the log is refused
// (cleared.ErrUnavailable): a store cannot leave entries no signed head covers. A malformed key is
// cleared.ErrInvalid. Call it before the first Update that appends; calling it again replaces the key for the
// batches that start after.
func (s *Store) SetAuditSigner(signerKey string) error {
	vkey, err := audit.VerifierKey(signerKey)
	if err != nil {
		return fmt.Errorf("sqlstore: set audit signer: %w", err)
	}
	signer, err := audit.NewSigner(signerKey)
	if err != nil {
		return fmt.Errorf("sqlstore: set audit signer: %w", err)
	}
	s.keys.Store(&auditKeys{signer: signer, verifier: vkey})
	return nil
}

// errNotSigned builds the error that stops the writer: the log's head is not what this log's key signed.
func errNotSigned(size uint64, why string) error {
	return cleared.Unavailablef("the audit log's head at %d is not signed by this log's key (%s): possible tampering; nothing is written", size, why)
}

// checkSignedHead checks, in an Update, that the stored head (size, root) is the latest signed head (latest, nil if
// none is stored) and that this log's key signed it, and keeps that head in the batch for the new head to chain to. The signature is checked
// only when the latest note is not the one the writer last wrote or verified (another server process on the same
// PostgreSQL wrote since, or someone edited the tables). A head that fails stops the writer: this batch and every
// later one fail with the same error (cleared.ErrUnavailable) until the store is opened again.
func (tx *Tx) checkSignedHead(size uint64, root []byte, latest *audit.StoredCheckpoint) error {
	s := tx.s
	keys := s.keys.Load()
	if keys == nil {
		return cleared.Unavailablef("the audit log has no signing key: nothing is written (the store's SetAuditSigner was not called)")
	}
	if s.broken != nil {
		return s.broken
	}
	if latest == nil {
		if size != 0 {
			s.broken = errNotSigned(size, "no signed head is stored")
			return s.broken
		}
		tx.batch.prev = nil
		return nil
	}
	if t := s.trusted; t != nil && bytes.Equal(t.note, latest.Note) && t.cp.Size == size && bytes.Equal(t.cp.Root, root) {
		tx.batch.prev = t
		return nil
	}
	c, err := audit.OpenCheckpoint(latest.Note, keys.verifier)
	switch {
	case err != nil:
		s.broken = errNotSigned(size, "the latest stored head does not verify: "+cleared.Message(err))
	case c.Size != latest.Size:
		s.broken = errNotSigned(size, fmt.Sprintf("the head stored for size %d is signed for size %d", latest.Size, c.Size))
	case c.Size != size:
		s.broken = errNotSigned(size, fmt.Sprintf("the latest signed head is at %d", c.Size))
	case !bytes.Equal(c.Root, root):
		s.broken = errNotSigned(size, "the stored root is not the signed one")
	}
	if s.broken != nil {
		return s.broken
	}
	// The next appends extend the tree from the stored nodes of its right edge: they must give the signed root, or
	// the next head would be signed over a tree someone altered.
	edge, err := audit.RootFromNodes(tx, size)
	switch {
	case errors.Is(err, cleared.ErrNotFound):
		s.broken = errNotSigned(size, "a node of the stored tree's right edge is missing")
		return s.broken
	case err != nil:
		return err
	case !bytes.Equal(edge, c.Root):
		s.broken = errNotSigned(size, "the stored tree's right edge does not give the signed root")
		return s.broken
	}
	s.trusted = &signedHead{note: latest.Note, cp: c}
	tx.batch.prev = s.trusted
	return nil
}

// signHead signs the head the batch's appends moved to, chained to the head the batch found, and stores it in the
// transaction. It returns the signed head, for the writer to trust once the commit is durable.
func (tx *Tx) signHead(h *auditHead) (*signedHead, error) {
	keys := tx.s.keys.Load()
	if keys == nil {
		return nil, cleared.Unavailablef("the audit log has no signing key: nothing is written")
	}
	c := audit.Checkpoint{Origin: keys.signer.Origin(), Size: h.size, Root: h.root}
	if p := tx.batch.prev; p != nil {
		link := p.cp.Link()
		c.Prev = &link
	}
	note, err := keys.signer.Sign(c)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: sign the audit log's head at %d: %w", h.size, err)
	}
	created := h.time
	if created.IsZero() {
		created = time.Unix(0, 0).UTC()
	}
	if err := tx.PutCheckpoint(audit.StoredCheckpoint{Size: h.size, Note: note, Created: created}); err != nil {
		return nil, err
	}
	return &signedHead{note: note, cp: c}, nil
}
