package registry

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/store"
)

// Witness is a witness the audit log's checkpoints are sent to for cosigning (C2SP tlog-witness); a
// *witness.Client is one.
type Witness interface {
	// Key is the witness's verifier key, which its cosignatures are kept under.
	Key() string
	// URL is where it answers, for the log.
	URL() string
	// AddCheckpoint asks the witness to cosign the signed checkpoint from size old, with the consistency proof
	// prove gives from a size (retrying once from the size the witness says it knows), and returns its verified
	// cosignature line(s).
	AddCheckpoint(ctx context.Context, signed []byte, old uint64, prove func(from uint64) ([][]byte, error)) ([]byte, uint64, error)
}

// witnessTimeout bounds one submission to one witness: a witness that hangs must not hold the next tick.
const witnessTimeout = 20 * time.Second

// RunWitnesses sends the latest checkpoint to every witness every interval, until ctx ends (see
// [Service.CosignCheckpoint]). It runs beside RunCheckpoints, never inside an action: a witness that is down delays
// no action and loses nothing, since the next tick sends it the checkpoint of then with a proof from what it last
// acknowledged. report, if not nil, receives each submission's outcome (for metrics).
func (s *Service) RunWitnesses(ctx context.Context, interval time.Duration, ws []Witness, report func(w Witness, err error)) {
	if len(ws) == 0 {
		return
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		s.CosignCheckpoint(ctx, ws, report)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// CosignCheckpoint sends the latest signed checkpoint to each witness that has not cosigned it yet, at once, with a
// consistency proof from the size the witness last cosigned (as kept), and keeps each cosignature it gets back. A
// failure is logged and reported, never returned: the witness is tried again on the next call.
func (s *Service) CosignCheckpoint(ctx context.Context, ws []Witness, report func(w Witness, err error)) {
	var cp audit.StoredCheckpoint
	err := s.store.View(ctx, func(tx store.Tx) (err error) {
		cp, err = tx.LatestCheckpoint()
		return err
	})
	if errors.Is(err, cleared.ErrNotFound) {
		return
	}
	if err != nil {
		s.log.Error("witnesses: cannot read the latest checkpoint", "error", err)
		return
	}
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Go(func() {
			err := s.cosign(ctx, w, cp)
			if errors.Is(err, errCosigned) {
				return // nothing sent
			}
			if err != nil && ctx.Err() == nil {
				s.log.Warn("witness did not cosign the audit checkpoint; it is tried again on the next tick",
					"witness", w.URL(), "size", cp.Size, "error", err)
			}
			if report != nil && ctx.Err() == nil {
				report(w, err)
			}
		})
	}
	wg.Wait()
}

// cosign sends cp to w and keeps the cosignature; errCosigned if w has cosigned it already.
func (s *Service) cosign(ctx context.Context, w Witness, cp audit.StoredCheckpoint) (err error) {
	defer cleared.Wrap(&err, "witness %s", w.URL())
	var old uint64
	err = s.store.View(ctx, func(tx store.Tx) error {
		last, err := tx.LatestCosignature(w.Key())
		switch {
		case errors.Is(err, cleared.ErrNotFound):
			return nil
		case err != nil:
			return err
		}
		old = last.Size
		if last.Size == cp.Size && bytes.Equal(last.Note, cp.Note) {
			return errCosigned
		}
		return nil
	})
	if err != nil {
		return err
	}
	prove := func(from uint64) (p [][]byte, err error) {
		switch {
		case from > cp.Size:
			return nil, cleared.Conflictf("the witness has cosigned the log at %d entries, and the latest checkpoint is of %d: the log was truncated or rolled back", from, cp.Size)
		case from == 0 || from == cp.Size:
			return nil, nil
		}
		err = s.store.View(ctx, func(tx store.Tx) error {
			p, err = audit.ConsistencyProof(tx, from, cp.Size)
			return damaged(err)
		})
		return p, err
	}
	sctx, cancel := context.WithTimeout(ctx, witnessTimeout)
	defer cancel()
	sig, _, err := w.AddCheckpoint(sctx, cp.Note, old, prove)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx store.Tx) error {
		return tx.PutCosignature(store.Cosignature{Witness: w.Key(), Size: cp.Size, Note: cp.Note, Signature: sig, Created: s.clock()})
	})
}

// errCosigned says that the witness has cosigned the checkpoint already: nothing is sent.
var errCosigned = errors.New("already cosigned")

// CosignedCheckpoint returns the newest checkpoint witnesses cosigned, as a note: the log's signed checkpoint with
// every kept cosignature of it appended, which verifies with the log's key and each witness's. Without any
// cosignature kept, it is the latest signed checkpoint alone. Only auditors and NSA officers read it; the read is
// audited as the checkpoint's.
func (s *Service) CosignedCheckpoint(ctx context.Context, a cleared.Actor) (cp audit.StoredCheckpoint, err error) {
	defer cleared.Wrap(&err, "cosigned audit checkpoint")
	err = s.run.Read(ctx, a, act.AuditCheckpoint, s.clock(), func(tx store.Tx, x *act.Act) error {
		if err := requireAuditor(tx, x); err != nil {
			return err
		}
		cs, err := tx.CosignedCheckpoint()
		switch {
		case err == nil:
			cp = CosignedNote(cs)
			return nil
		case !errors.Is(err, cleared.ErrNotFound):
			return err
		}
		cp, err = tx.LatestCheckpoint()
		return err
	})
	return cp, err
}

// CosignedNote appends to the note of cs[0] (a witness's cosignatures, as Cosignatures.CosignedCheckpoint gives
// them) the cosignatures of cs that are of that same note: the cosigned checkpoint.
func CosignedNote(cs []store.Cosignature) audit.StoredCheckpoint {
	out := audit.StoredCheckpoint{Size: cs[0].Size, Note: bytes.Clone(cs[0].Note), Created: cs[0].Created}
	for _, c := range cs {
		if bytes.Equal(c.Note, cs[0].Note) {
			out.Note = append(out.Note, c.Signature...)
			if c.Created.After(out.Created) {
				out.Created = c.Created
			}
		}
	}
	return out
}
