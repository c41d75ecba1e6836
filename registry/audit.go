package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Checkpoint returns the latest signed head of the audit log. Every group commit that appends to the log signs
// its new head in the same transaction (store/sqlstore), so a checkpoint is simply the latest signed head: nothing
// is signed here. ErrNotFound while the log is empty; ErrUnavailable if the latest head does not verify with the
// log's key (logged as a possible compromise).
func (s *Service) Checkpoint(ctx context.Context) (cp audit.StoredCheckpoint, err error) {
	defer cleared.Wrap(&err, "audit checkpoint")
	err = s.store.View(ctx, func(tx store.Tx) error {
		cp, _, err = s.latestHead(tx)
		return err
	})
	if err == nil {
		s.run.ResetAppended()
	}
	return cp, err
}

// RunCheckpoints is the periodic hook of the log's checkpoints: every interval, and sooner once entries entries
// were appended since the last, until ctx ends and once more then, it reads the latest signed head (Checkpoint)
// and logs a head that does not verify. The heads themselves are signed by every group commit.
func (s *Service) RunCheckpoints(ctx context.Context, interval time.Duration, entries uint64) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	poll := time.NewTicker(250 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			if _, err := s.Checkpoint(final); err != nil && !errors.Is(err, cleared.ErrNotFound) {
				s.log.Error("final audit checkpoint failed", "error", err)
			}
			cancel()
			return
		case <-tick.C:
		case <-poll.C:
			if s.run.Appended() < entries {
				continue
			}
		}
		if _, err := s.Checkpoint(ctx); err != nil && ctx.Err() == nil && !errors.Is(err, cleared.ErrNotFound) {
			s.log.Error("audit checkpoint failed", "error", err)
		}
	}
}

// latestHead returns the latest signed head, checked with the log's verifier key: the server serves no head, and
// no proof, that the log's key did not sign. ErrNotFound if none is stored; ErrUnavailable, logged as a possible
// compromise, if it does not verify.
func (s *Service) latestHead(tx store.AuditTx) (audit.StoredCheckpoint, audit.Checkpoint, error) {
	stored, err := tx.LatestCheckpoint()
	if err != nil {
		return stored, audit.Checkpoint{}, err
	}
	vkey, err := audit.VerifierKey(s.signer)
	if err != nil {
		return stored, audit.Checkpoint{}, cleared.Unavailablef("no audit signing key: the log's heads cannot be checked")
	}
	c, err := audit.OpenCheckpoint(stored.Note, vkey)
	if err == nil && c.Size != stored.Size {
		err = fmt.Errorf("the head kept for size %d is signed for size %d", stored.Size, c.Size)
	}
	if err != nil {
		s.log.Error("the audit log's latest head does not verify: possible compromise (A13.1); run cleared audit verify",
			"size", stored.Size, "error", err)
		return stored, c, cleared.Unavailablef("the audit log's latest head does not verify: run cleared audit verify")
	}
	return stored, c, nil
}

// proven checks, before a proof is served, that the tree of size size, as the stored nodes give it, is the tree
// the latest signed head commits to: its root at size, from the stored nodes, must be the signed root, or be
// proven consistent with it. It returns that root. A tampered node, or a size beyond the signed head, is
// ErrUnavailable, logged as a possible compromise: the server never serves a proof that does not verify against
// its latest signed head.
func (s *Service) proven(tx store.AuditTx, size uint64) ([]byte, error) {
	_, head, err := s.latestHead(tx)
	if err != nil {
		return nil, damaged(err)
	}
	root, err := audit.Root(tx, size)
	if err != nil {
		return nil, damaged(err)
	}
	switch {
	case size > head.Size:
		err = fmt.Errorf("tree size %d is beyond the latest signed head at %d", size, head.Size)
	case size == head.Size && !bytes.Equal(root, head.Root):
		err = fmt.Errorf("the stored tree's root at %d is not the signed one", size)
	case size < head.Size:
		var p [][]byte
		if p, err = audit.ConsistencyProof(tx, size, head.Size); err == nil {
			err = audit.VerifyConsistency(size, head.Size, p, root, head.Root)
		}
	}
	if err != nil {
		return nil, s.compromised(err)
	}
	return root, nil
}

// compromised logs a proof that would not verify against the latest signed head, and returns the 503 its caller
// gets instead of it.
func (s *Service) compromised(err error) error {
	s.log.Error("an audit proof does not verify against the latest signed head: possible compromise (A13.1); run cleared audit verify",
		"error", err)
	return cleared.Unavailablef("the audit tree does not match its latest signed head: run cleared audit verify")
}

// requireAuditor checks that the actor may read the audit log: an auditor or an NSA officer.
func requireAuditor(tx store.Registers, x *act.Act) error {
	p, err := facts.ActorPerson(tx, x.Actor)
	if err != nil {
		return err
	}
	if d := policy.AuditReader(p); !d.Allowed {
		return x.Deny("", d)
	}
	return nil
}

// LatestCheckpoint returns the latest signed checkpoint, for an auditor to keep outside the system.
func (s *Service) LatestCheckpoint(ctx context.Context, a cleared.Actor) (cp audit.StoredCheckpoint, err error) {
	defer cleared.Wrap(&err, "latest audit checkpoint")
	err = s.run.Read(ctx, a, act.AuditCheckpoint, s.clock(), func(tx store.Tx, x *act.Act) error {
		if err := requireAuditor(tx, x); err != nil {
			return err
		}
		cp, _, err = s.latestHead(tx)
		return err
	})
	return cp, err
}

// Inclusion is an inclusion proof of one entry in the tree of a given size.
type Inclusion struct {
	Record audit.Record `json:"record"`
	Size   uint64       `json:"size"`
	Proof  [][]byte     `json:"proof"`
}

// InclusionProof proves that entry seq is in the log of size size (a checkpoint's size).
func (s *Service) InclusionProof(ctx context.Context, a cleared.Actor, seq, size uint64) (p Inclusion, err error) {
	defer cleared.Wrap(&err, "inclusion proof of %d in %d", seq, size)
	err = s.run.Read(ctx, a, act.AuditProofInclusion, s.clock(), func(tx store.Tx, x *act.Act) error {
		if err := requireAuditor(tx, x); err != nil {
			return err
		}
		if err := checkSize(tx, size); err != nil {
			return err
		}
		if seq >= size {
			return cleared.Invalidf("entry %d is not in a tree of size %d", seq, size)
		}
		rs, err := tx.AuditRecords(seq, 1)
		if err != nil {
			return err
		}
		if len(rs) != 1 {
			return cleared.Unavailablef("audit entry %d is missing", seq)
		}
		proof, err := audit.InclusionProof(tx, seq, size)
		if err != nil {
			return damaged(err)
		}
		root, err := s.proven(tx, size)
		if err != nil {
			return err
		}
		// The leaf from the entry's fields, not the stored leaf hash: the proof must be of the entry served.
		leaf, err := rs[0].Entry.LeafHash()
		if err == nil {
			err = audit.VerifyInclusion(seq, size, leaf, proof, root)
		}
		if err != nil {
			return s.compromised(err)
		}
		p = Inclusion{Record: rs[0], Size: size, Proof: proof}
		return nil
	})
	return p, err
}

// Consistency is a consistency proof between two tree sizes.
type Consistency struct {
	From  uint64   `json:"from"`
	To    uint64   `json:"to"`
	Proof [][]byte `json:"proof"`
}

// ConsistencyProof proves that the log of size to extends the log of size from: nothing before from was changed.
func (s *Service) ConsistencyProof(ctx context.Context, a cleared.Actor, from, to uint64) (p Consistency, err error) {
	defer cleared.Wrap(&err, "consistency proof from %d to %d", from, to)
	err = s.run.Read(ctx, a, act.AuditProofConsistency, s.clock(), func(tx store.Tx, x *act.Act) error {
		if err := requireAuditor(tx, x); err != nil {
			return err
		}
		if err := checkSize(tx, to); err != nil {
			return err
		}
		if from == 0 || from > to {
			return cleared.Invalidf("want 0 < from <= to, got from %d, to %d", from, to)
		}
		proof, err := audit.ConsistencyProof(tx, from, to)
		if err != nil {
			return damaged(err)
		}
		root, err := s.proven(tx, to)
		if err != nil {
			return err
		}
		old, err := audit.Root(tx, from)
		if err != nil {
			return damaged(err)
		}
		if err := audit.VerifyConsistency(from, to, proof, old, root); err != nil {
			return s.compromised(err)
		}
		p = Consistency{From: from, To: to, Proof: proof}
		return nil
	})
	return p, err
}

// damaged reports a node missing inside the log as the failure it is: the tree is damaged, which no caller
// should read as "no such entry".
func damaged(err error) error {
	if errors.Is(err, cleared.ErrNotFound) {
		return cleared.Unavailablef("the audit tree is damaged (a node is missing): run cleared audit verify")
	}
	return err
}

// checkSize refuses a tree size beyond the log's.
func checkSize(tx store.AuditTx, size uint64) error {
	n, err := tx.AuditSize()
	if err != nil {
		return err
	}
	if size == 0 || size > n {
		return cleared.Invalidf("tree size %d: the log has %d entries", size, n)
	}
	return nil
}

// EraseAuditPayload erases an entry's payload for good at its retention deadline, leaving a marker with the reason
// (A23.2): the entry, its hash of the payload and every proof remain. Only NSA officers erase; the erasure is
// itself an entry of the log.
func (s *Service) EraseAuditPayload(ctx context.Context, a cleared.Actor, seq uint64, reason string) (err error) {
	defer cleared.Wrap(&err, "erase audit payload %d", seq)
	if err := cleared.CheckText("reason", reason, 1, maxText); err != nil {
		return err
	}
	now := s.clock()
	return s.run.Do(ctx, a, act.AuditErasePayload, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.RequireNSA(tx, x); err != nil {
			return err
		}
		x.Payload = map[string]any{"seq": seq, "reason": reason}
		return tx.EraseAuditPayload(seq, now, reason)
	})
}
