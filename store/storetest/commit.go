package storetest

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/compact"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/store"
)

// together runs each of fns in an Update of its own, concurrently, so that a store may gather them into one group
// commit (architecture, principle 2): a first Update holds the writer until the others have queued behind it. It
// returns the error of each fn's Update.
func together(t *testing.T, s store.Store, fns ...func(tx store.Tx) error) []error {
	t.Helper()
	return gather(t, s, 0, fns, false)
}

// inOrder is together with a pause between the Updates, so that they queue (and, in one batch, run) most likely in
// the order given.
func inOrder(t *testing.T, s store.Store, fns ...func(tx store.Tx) error) []error {
	t.Helper()
	return gather(t, s, 5*time.Millisecond, fns, false)
}

func gather(t *testing.T, s store.Store, pause time.Duration, fns []func(tx store.Tx) error, appendOnly bool) []error {
	t.Helper()
	var (
		wg      sync.WaitGroup
		once    sync.Once
		started = make(chan struct{})
		release = make(chan struct{})
		errs    = make([]error, len(fns))
	)
	wg.Go(func() {
		err := s.Update(t.Context(), func(store.Tx) error {
			once.Do(func() { close(started) })
			<-release
			return nil
		})
		if err != nil {
			t.Errorf("holding Update: %v", err)
		}
	})
	<-started
	ctx := t.Context()
	if appendOnly {
		ctx = store.AppendOnly(ctx)
	}
	for i, fn := range fns {
		wg.Go(func() { errs[i] = s.Update(ctx, fn) })
		time.Sleep(pause)
	}
	time.Sleep(20 * time.Millisecond) // long enough for the others to queue; if some have not, they run later
	close(release)
	wg.Wait()
	return errs
}

// present reports whether the organisation exists.
func present(t *testing.T, s store.Store, id cleared.OrganisationID) bool {
	t.Helper()
	err := s.View(t.Context(), func(tx store.Tx) error {
		_, err := tx.Organisation(id)
		return err
	})
	if err != nil && !errors.Is(err, cleared.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

func testGroupCommit(t *testing.T, open opener) {
	t.Run("Errors_stay_with_their_caller", func(t *testing.T) { errorsStay(t, open(t), false) })
	// Append-only functions run without a savepoint of their own: one that fails makes the store run the batch
	// again with savepoints, and the outcome is the same.
	t.Run("Errors_stay_with_their_append_only_caller", func(t *testing.T) { errorsStay(t, open(t), true) })
	testGroupCommitFailures(t, open)
}

// errorsStay runs 100 Updates in group commits, one in seven failing after its change, and checks that each
// failure and its change stay with their own caller.
func errorsStay(t *testing.T, s store.Store, appendOnly bool) {
	const n = 100
	mine := make([]error, n)
	fns := make([]func(store.Tx) error, n)
	for i := range n {
		mine[i] = errors.New("refused " + strconv.Itoa(i))
		fns[i] = func(tx store.Tx) error {
			if err := tx.SetMeta("key"+strconv.Itoa(i), "set"); err != nil {
				return err
			}
			if i%7 == 0 {
				return mine[i]
			}
			return nil
		}
	}
	errs := gather(t, s, 0, fns, appendOnly)
	view(t, s, func(tx store.Tx) error {
		for i, err := range errs {
			_, merr := tx.Meta("key" + strconv.Itoa(i))
			switch {
			case i%7 == 0 && err != mine[i]:
				t.Errorf("Update %d returned %v, want its function's error unchanged", i, err)
			case i%7 == 0 && !errors.Is(merr, cleared.ErrNotFound):
				t.Errorf("Update %d failed, yet its change is there (%v)", i, merr)
			case i%7 != 0 && err != nil:
				t.Errorf("Update %d returned %v; a neighbour's error leaked", i, err)
			case i%7 != 0 && merr != nil:
				t.Errorf("Update %d succeeded, yet its change is missing: %v", i, merr)
			}
		}
		return nil
	})
}

func testGroupCommitFailures(t *testing.T, open opener) {
	t.Run("Failed_statement_stays_with_its_caller", func(t *testing.T) {
		s := open(t)
		existing := newOrganisation()
		create(t, s, existing)
		a, b, c, d := newOrganisation(), newOrganisation(), newOrganisation(), newOrganisation()
		errs := together(t, s,
			func(tx store.Tx) error { return tx.CreateOrganisation(a) },
			func(tx store.Tx) error {
				if err := tx.CreateOrganisation(b); err != nil {
					return err
				}
				return tx.CreateOrganisation(existing)
			},
			func(tx store.Tx) error {
				if err := tx.CreateOrganisation(c); err != nil {
					return err
				}
				_ = tx.CreateOrganisation(existing) // a careless caller
				return nil
			},
			func(tx store.Tx) error { return tx.CreateOrganisation(d) },
		)
		if errs[0] != nil || errs[3] != nil {
			t.Errorf("Updates beside the failed ones returned %v and %v", errs[0], errs[3])
		}
		wantKind(t, "Update creating a duplicate", errs[1], cleared.ErrConflict)
		if errs[2] == nil {
			t.Error("Update whose function ignored a failed statement succeeded")
		}
		for _, o := range []struct {
			id   cleared.OrganisationID
			want bool
		}{{a.ID, true}, {b.ID, false}, {c.ID, false}, {d.ID, true}} {
			if got := present(t, s, o.id); got != o.want {
				t.Errorf("organisation %s present = %t, want %t", o.id, got, o.want)
			}
		}
	})
	t.Run("Panic_stays_with_its_caller", func(t *testing.T) {
		s := open(t)
		a, p, b := newOrganisation(), newOrganisation(), newOrganisation()
		errs := together(t, s,
			func(tx store.Tx) error { return tx.CreateOrganisation(a) },
			func(tx store.Tx) error {
				if err := tx.CreateOrganisation(p); err != nil {
					return err
				}
				panic("service bug")
			},
			func(tx store.Tx) error { return tx.CreateOrganisation(b) },
		)
		if errs[0] != nil || errs[2] != nil {
			t.Errorf("Updates beside the panicking one returned %v and %v", errs[0], errs[2])
		}
		if errs[1] == nil {
			t.Error("Update whose function panicked returned no error")
		}
		if !present(t, s, a.ID) || !present(t, s, b.ID) || present(t, s, p.ID) {
			t.Errorf("after a panic beside them: a %t, b %t (want both), panicking function's %t (want absent)",
				present(t, s, a.ID), present(t, s, b.ID), present(t, s, p.ID))
		}
	})
	t.Run("Audit_append_rolled_back_with_its_caller", func(t *testing.T) {
		// Appends of one batch see each other's; one rolled back frees its seq for the next.
		s := open(t)
		appendEntries(t, s, 1)
		refused := errors.New("refused after appending")
		var seqs [5]uint64
		appendAs := func(i int, fail bool) func(tx store.Tx) error {
			return func(tx store.Tx) error {
				seq, err := appendNext(tx)
				seqs[i] = seq
				if err == nil && fail {
					return refused
				}
				return err
			}
		}
		errs := together(t, s,
			appendAs(0, false),
			appendAs(1, true),
			appendAs(2, false),
			func(tx store.Tx) error { // appends, then a statement fails: a node that exists
				seq, err := appendNext(tx)
				seqs[3] = seq
				if err != nil {
					return err
				}
				_ = tx.AppendAudit(auditRecord(seq+1), auditPayload(seq+1), auditNodes(0), fixedHash("root"))
				return nil
			},
			appendAs(4, false),
		)
		if errs[0] != nil || errs[2] != nil || errs[4] != nil {
			t.Errorf("appends beside the failed ones returned %v, %v, %v", errs[0], errs[2], errs[4])
		}
		if errs[1] != refused || errs[3] == nil {
			t.Errorf("failed appends returned %v and %v, want their own errors", errs[1], errs[3])
		}
		committed := []uint64{seqs[0], seqs[2], seqs[4]}
		slices.Sort(committed)
		same(t, "seqs of the appends that committed, in any order", committed, []uint64{1, 2, 3})
		same(t, "AuditSize", auditSize(t, s), uint64(4))
		view(t, s, func(tx store.Tx) error {
			rs, err := tx.AuditRecords(0, 10)
			same(t, "AuditRecords", rs, []audit.Record{auditRecord(0), auditRecord(1), auditRecord(2), auditRecord(3)})
			return err
		})
		appendEntries(t, s, 1) // and the log goes on from there
		same(t, "AuditSize after one more", auditSize(t, s), uint64(5))
	})
	t.Run("Audit_nodes_of_a_rolled_back_append_are_forgotten", func(t *testing.T) {
		// A store may keep the nodes a batch wrote; those of a function rolled back must go with it.
		s := open(t)
		appendEntries(t, s, 3)
		refused := errors.New("refused after appending")
		errs := inOrder(t, s,
			func(tx store.Tx) error { // appends a leaf with a hash nobody else writes, then fails
				seq, err := tx.AuditSize()
				if err != nil {
					return err
				}
				nodes := auditNodes(seq)
				nodes[0].Hash = fixedHash("rolled back")
				if err := tx.AppendAudit(auditRecord(seq), auditPayload(seq), nodes, fixedHash("root")); err != nil {
					return err
				}
				return refused
			},
			func(tx store.Tx) error { // sees the stored leaves, and none beyond the size
				size, err := tx.AuditSize()
				if err != nil {
					return err
				}
				for seq := range size + 1 {
					h, err := tx.AuditNodes([]compact.NodeID{compact.NewNodeID(0, seq)})
					switch {
					case seq < size && err != nil:
						return err
					case seq < size && !slices.Equal(h[0], treeNode(0, seq)):
						t.Errorf("leaf %d read in the batch has another hash than the one stored", seq)
					case seq == size && !errors.Is(err, cleared.ErrNotFound):
						t.Errorf("leaf %d, beyond the size, read in the batch: %x, %v; want ErrNotFound", seq, h, err)
					}
				}
				return nil
			},
			func(tx store.Tx) error { _, err := appendNext(tx); return err },
		)
		if errs[0] != refused || errs[1] != nil || errs[2] != nil {
			t.Errorf("Updates returned %v, %v, %v; want the refusal, nil, nil", errs[0], errs[1], errs[2])
		}
		view(t, s, func(tx store.Tx) error {
			h, err := tx.AuditNodes([]compact.NodeID{compact.NewNodeID(0, 3)})
			same(t, "leaf 3 after the batch", h, [][]byte{treeNode(0, 3)})
			return err
		})
	})
	t.Run("Views_beside_updates", func(t *testing.T) {
		// Reads run beside the writer, whatever it keeps for itself (run with -race).
		s := open(t)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 10 {
					update(t, s, func(tx store.Tx) error {
						if _, err := appendNext(tx); err != nil {
							return err
						}
						return tx.CreateOrganisation(newOrganisation())
					})
				}
			})
			wg.Go(func() {
				for range 10 {
					view(t, s, func(tx store.Tx) error {
						if _, err := tx.AuditRecords(0, 5); err != nil {
							return err
						}
						_, err := tx.Organisations(store.Page{Limit: 5})
						return err
					})
				}
			})
		}
		wg.Wait()
		same(t, "AuditSize", auditSize(t, s), uint64(40))
	})
	t.Run("Goexit_fails_its_batch_not_the_store", func(t *testing.T) {
		// A function that ends its goroutine (t.FailNow does) cannot be recovered from: its batch is rolled back
		// and every caller in it told, but the store carries on.
		s := open(t)
		o := newOrganisation()
		errs := together(t, s, func(tx store.Tx) error {
			if err := tx.CreateOrganisation(o); err != nil {
				return err
			}
			runtime.Goexit()
			return nil
		})
		if errs[0] == nil {
			t.Error("Update whose function called runtime.Goexit returned no error")
		}
		if present(t, s, o.ID) {
			t.Error("the change of a function that called runtime.Goexit was committed")
		}
		create(t, s, newOrganisation())
	})
	t.Run("Sequential", func(t *testing.T) {
		s := open(t)
		for i := range 20 {
			update(t, s, func(tx store.Tx) error { return tx.SetMeta("counter", strconv.Itoa(i)) })
		}
		view(t, s, func(tx store.Tx) error {
			v, err := tx.Meta("counter")
			same(t, "counter after sequential Updates", v, "19")
			return err
		})
	})
	t.Run("Cancelled_before_start_never_runs", func(t *testing.T) {
		s := open(t)
		var ran atomic.Bool
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		err := s.Update(ctx, func(store.Tx) error { ran.Store(true); return nil })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Update with a cancelled context returned %v, want %v", err, context.Canceled)
		}

		// Cancelled while queued behind a function that holds the writer.
		started, release := make(chan struct{}), make(chan struct{})
		var (
			once sync.Once
			wg   sync.WaitGroup
		)
		wg.Go(func() {
			_ = s.Update(t.Context(), func(store.Tx) error {
				once.Do(func() { close(started) })
				<-release
				return nil
			})
		})
		<-started
		ctx, cancel = context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		err = s.Update(ctx, func(store.Tx) error { ran.Store(true); return nil })
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Update whose context ended in the queue returned %v, want %v", err, context.DeadlineExceeded)
		}
		close(release)
		wg.Wait()
		update(t, s, func(store.Tx) error { return nil }) // the writer has passed the abandoned call
		if ran.Load() {
			t.Error("a function ran although its context had ended before it started")
		}
	})
	t.Run("Close_waits_then_refuses", func(t *testing.T) {
		s := open(t)
		started, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		updated := make(chan error)
		go func() {
			updated <- s.Update(t.Context(), func(tx store.Tx) error {
				once.Do(func() { close(started) })
				<-release
				return tx.SetMeta("k", "v")
			})
		}()
		<-started
		closed := make(chan error)
		go func() { closed <- s.Close() }()
		select {
		case err := <-closed:
			t.Fatalf("Close returned (%v) before the Update in progress", err)
		case <-time.After(20 * time.Millisecond):
		}
		close(release)
		if err := <-updated; err != nil {
			t.Errorf("Update in progress at Close: %v", err)
		}
		if err := <-closed; err != nil {
			t.Errorf("Close: %v", err)
		}
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.SetMeta("k", "w") })
		wantKind(t, "Update after Close", err, cleared.ErrUnavailable)
	})
}
