package registry

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// keyName returns the name inside a note signer key "PRIVATE+KEY+<name>+<hash>+<key>": the log's origin.
func keyName(signerKey string) string {
	parts := strings.SplitN(signerKey, "+", 5) // the key itself is base64 and may hold "+"
	if len(parts) != 5 {
		return ""
	}
	return parts[2]
}

// Checkpoint signs a checkpoint of the audit log at its current size and keeps it, unless the latest kept one is
// already at that size. The checkpoint is a signed note (origin, size, root hash) that anyone holding the log's
// verifier key can check offline, and that an auditor keeps to prove later that the log only grew.
func (s *Service) Checkpoint(ctx context.Context) (cp audit.StoredCheckpoint, err error) {
	defer cleared.Wrap(&err, "audit checkpoint")
	if s.signer == "" {
		return cp, cleared.Unavailablef("no audit signing key: checkpoints cannot be signed")
	}
	now := s.clock()
	err = s.store.Update(ctx, func(tx store.Tx) error {
		size, err := tx.AuditSize()
		if err != nil {
			return err
		}
		latest, err := tx.LatestCheckpoint()
		switch {
		case err == nil && latest.Size == size:
			cp = latest
			return nil
		case err != nil && !errors.Is(err, cleared.ErrNotFound):
			return err
		}
		root, err := audit.Root(tx, size)
		if err != nil {
			return damaged(err)
		}
		note, err := audit.Sign(audit.Checkpoint{Origin: keyName(s.signer), Size: size, Root: root}, s.signer)
		if err != nil {
			return err
		}
		cp = audit.StoredCheckpoint{Size: size, Note: note, Created: now}
		return tx.PutCheckpoint(cp)
	})
	if err == nil {
		s.run.ResetAppended()
	}
	return cp, err
}

// RunCheckpoints signs a checkpoint every interval, and sooner once entries entries were appended since the
// last, until ctx ends; then it signs a last one, so a clean shutdown leaves the whole log checkpointed.
func (s *Service) RunCheckpoints(ctx context.Context, interval time.Duration, entries uint64) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	poll := time.NewTicker(250 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			if _, err := s.Checkpoint(final); err != nil {
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
		if _, err := s.Checkpoint(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("audit checkpoint failed", "error", err)
		}
	}
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
		cp, err = tx.LatestCheckpoint()
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
		p = Inclusion{Record: rs[0], Size: size, Proof: proof}
		return damaged(err)
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
		p = Consistency{From: from, To: to, Proof: proof}
		return damaged(err)
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
