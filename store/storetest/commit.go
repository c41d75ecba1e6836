package storetest

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// together runs each of fns in an Update of its own, concurrently, so that a store may gather them into one group
// commit (architecture, principle 2): a first Update holds the writer until the others have queued behind it. It
// returns the error of each fn's Update.
func together(t *testing.T, s store.Store, fns ...func(tx store.Tx) error) []error {
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
	for i, fn := range fns {
		wg.Go(func() { errs[i] = s.Update(t.Context(), fn) })
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
	t.Run("Errors_stay_with_their_caller", func(t *testing.T) {
		s := open(t)
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
		errs := together(t, s, fns...)
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
	})
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
