package act

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Readiness: the server is ready when an action can be recorded, for an action whose entry cannot be written fails
// closed (principle 3): with the audit log unwritable (rights revoked, a full disk) every action fails, and a load
// balancer must send the requests elsewhere. Ready answers that without writing an entry to the log on each call:
//
//   - the probe appends an entry in a transaction of the writer, reads it back (so that the store writes it: it may
//     hold a batch's entries until the batch ends) and rolls it back: the append checks the log's signed head as
//     an action's does, its statements run with the server's rights, and nothing is kept (not the entry, not the
//     count of entries the checkpoint writer reads);
//   - a rolled-back append may pass while commits fail (a full disk fails the commit, not the statements), so the
//     runner also remembers whether the last entry an action tried to write was committed. While it was not, Ready
//     also commits a small write of its own (a setting, never an audit entry) and says ready only once that
//     succeeds, after which the next action shows whether entries are written again.
//
// After a probe that passed, Ready answers ready without probing again for readyEvery, so that probes from many
// balancers do not load the writer; a failed probe is not kept, so that recovery is seen at the next call.

// readyEvery is the least time between two probes.
const readyEvery = time.Second

// readyProbe names the probe's entry, which is always rolled back: no committed entry carries it, so it is not
// one of the documented actions (Names).
const readyProbe Name = "system.ready_probe"

// readyMeta is the setting the committed probe writes.
const readyMeta = "ready_probe"

// errProbe rolls the probe's transaction back.
var errProbe = errors.New("act: readiness probe rolled back")

type readiness struct {
	mu     sync.Mutex
	passed time.Time // when the last probe passed; zero after a failure
}

// Ready reports whether the runner can record an action now: nil, or an error of kind cleared.ErrUnavailable
// whose message (cleared.Message) says what cannot be done, and whose text adds the cause for the log.
func (r *Runner) Ready(ctx context.Context) error {
	r.ready.mu.Lock()
	defer r.ready.mu.Unlock()
	if !r.ready.passed.IsZero() && time.Since(r.ready.passed) < readyEvery && !r.failing.Load() {
		return nil
	}
	r.ready.passed = time.Time{}
	err := r.probe(ctx)
	if err == nil && r.failing.Load() {
		if err = r.probeCommit(ctx); err == nil {
			r.failing.Store(false)
		}
	}
	if err == nil {
		r.ready.passed = time.Now()
	}
	return err
}

// probe appends an entry and rolls it back.
func (r *Runner) probe(ctx context.Context) error {
	x := r.Act(cleared.Actor{}, readyProbe, time.Now().UTC().Truncate(time.Microsecond))
	x.probe = true
	err := r.store.Update(ctx, func(tx store.Tx) error {
		seq, err := x.Append(tx, policy.Allow)
		if err != nil {
			return err
		}
		// The store may hold a batch's entries until its end; reading the entry back makes it write them now, with
		// the server's rights, inside the probe's transaction.
		if _, err := tx.AuditPayload(seq); err != nil {
			return err
		}
		return errProbe
	})
	if errors.Is(err, errProbe) {
		return nil
	}
	return fmt.Errorf("%w: %w", cleared.Unavailablef("the audit log cannot be written: every action would fail, and nothing would be done"), err)
}

// probeCommit commits a write that is not an audit entry, through the writer, as an action's commit would.
func (r *Runner) probeCommit(ctx context.Context) error {
	now := time.Now().UTC().Format(time.RFC3339Nano)
	err := r.store.Update(ctx, func(tx store.Tx) error { return tx.SetMeta(readyMeta, now) })
	if err != nil {
		return fmt.Errorf("%w: %w", cleared.Unavailablef("the database does not commit: the last actions could not record their audit entries, and nothing was done"), err)
	}
	return nil
}

// noteAppend remembers the outcome of x's transaction if it tried to append x's entry: err is then the append's
// or the commit's.
func (r *Runner) noteAppend(x *Act, err error) {
	if x.probe || !x.appending {
		return
	}
	r.failing.Store(err != nil)
}
