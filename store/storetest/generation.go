package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/cleared/cleared/store"
)

// testGeneration checks the promise caches rest on: after an Update that changed more than the audit log
// returns, Generation differs from before it; an append-only Update and a failed one leave it alone.
func testGeneration(t *testing.T, open opener) {
	t.Run("raised_by_a_change_before_Update_returns", func(t *testing.T) {
		s := open(t)
		for i := range 3 {
			g := s.Generation()
			update(t, s, func(tx store.Tx) error { return tx.SetMeta("k", "v") })
			if s.Generation() == g {
				t.Fatalf("change %d: Generation still %d once Update returned", i, g)
			}
		}
	})
	t.Run("kept_by_audit_appends_and_failures", func(t *testing.T) {
		s := open(t)
		update(t, s, func(tx store.Tx) error { return tx.SetMeta("k", "v") })
		settle(s)
		g := s.Generation()
		for range 5 {
			if err := s.Update(store.AppendOnly(t.Context()), func(tx store.Tx) error {
				_, err := appendNext(tx)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		failed := errors.New("refused")
		if err := s.Update(t.Context(), func(tx store.Tx) error {
			if err := tx.SetMeta("k", "w"); err != nil {
				return err
			}
			return failed
		}); !errors.Is(err, failed) {
			t.Fatalf("Update = %v, want %v", err, failed)
		}
		time.Sleep(3 * store.GenerationLag)
		if got := s.Generation(); got != g {
			t.Errorf("Generation moved from %d to %d with only audit appends and a failed Update", g, got)
		}
	})
}

// settle waits until the store's watch of the database's counter has caught up with its own changes.
func settle(s store.Store) {
	deadline := time.Now().Add(20 * store.GenerationLag)
	for g := s.Generation(); time.Now().Before(deadline); {
		time.Sleep(2 * store.GenerationLag)
		h := s.Generation()
		if h == g {
			return
		}
		g = h
	}
}

// GenerationAcrossProcesses checks that a change committed by one store (process) moves the Generation of another
// store open on the same database within store.GenerationLag (plus the time of a read), and that the other's
// append-only Updates do not. Both stores must be open on the same, migrated database.
func GenerationAcrossProcesses(t *testing.T, first, second store.Store) {
	t.Helper()
	update(t, second, func(tx store.Tx) error { return tx.SetMeta("k", "v") })
	settle(first)
	settle(second)
	g := first.Generation()
	for range 3 {
		if err := second.Update(store.AppendOnly(t.Context()), func(tx store.Tx) error {
			_, err := appendNext(tx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(3 * store.GenerationLag)
	if got := first.Generation(); got != g {
		t.Errorf("another store's audit appends moved Generation from %d to %d", g, got)
	}
	update(t, second, func(tx store.Tx) error { return tx.SetMeta("k", "w") })
	deadline := time.Now().Add(4 * store.GenerationLag)
	for first.Generation() == g {
		if time.Now().After(deadline) {
			t.Fatalf("another store's change did not move Generation within %v", 4*store.GenerationLag)
		}
		time.Sleep(store.GenerationLag / 10)
	}
}
