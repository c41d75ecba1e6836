package act_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
	"github.com/cleared/cleared/store/storetest"
)

// Ready fails while the audit log cannot be written, and passes again once it can: here a DBA's trigger on the
// real SQLite database refuses every new audit entry, as revoked rights or a read-only file would. The probe
// itself leaves no entry, however often it runs.
func TestReady_AuditLogUnwritable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "act.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	storetest.Signed(t, st)
	r := act.New(st, slog.New(slog.DiscardHandler), nil)
	dba, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer dba.Close()
	for range 3 {
		if err := r.Ready(ctx); err != nil {
			t.Fatalf("a fresh log: %v", err)
		}
	}
	if n := len(entries(t, st)); n != 0 || r.Appended() != 0 {
		t.Fatalf("the probes left %d entries, counted %d", n, r.Appended())
	}

	if _, err := dba.Exec(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'no more audit entries'); END`); err != nil {
		t.Fatal(err)
	}
	// An action fails closed: nothing done, unavailable.
	actor := cleared.Actor{Person: cleared.NewPersonID()}
	err = r.Do(ctx, actor, act.PlaceRegister, now, func(tx store.Tx, _ *act.Act) error { return tx.SetMeta("k", "v") })
	if !errors.Is(err, cleared.ErrUnavailable) {
		t.Fatalf("an action with the log unwritable: %v, want unavailable", err)
	}
	err = r.Ready(ctx)
	if !errors.Is(err, cleared.ErrUnavailable) || !strings.Contains(cleared.Message(err), "audit log cannot be written") {
		t.Fatalf("Ready with the log unwritable: %v (%q), want unavailable saying why", err, cleared.Message(err))
	}
	if !strings.Contains(err.Error(), "no more audit entries") {
		t.Errorf("the error does not carry the cause for the log: %v", err)
	}

	if _, err := dba.Exec(`DROP TRIGGER refuse_audit`); err != nil {
		t.Fatal(err)
	}
	if err := r.Ready(ctx); err != nil {
		t.Fatalf("Ready once the log is writable again: %v", err)
	}
	if n := len(entries(t, st)); n != 0 {
		t.Fatalf("the probes left %d entries", n)
	}
}

// A full disk fails the commit, not the statements: a probe rolled back passes. Ready then relies on what the
// runner saw: after an action whose entry was not committed, it says unavailable until a commit of its own
// succeeds, and ready again after.
func TestReady_CommitsFailing(t *testing.T) {
	ctx := context.Background()
	_, st, _ := newRunner(t)
	full := &fullDisk{Store: st}
	full.on.Store(true)
	r := act.New(full, slog.New(slog.DiscardHandler), nil)
	if err := r.Ready(ctx); err != nil {
		t.Fatalf("before any action, the rolled-back probe passes: %v", err)
	}
	actor := cleared.Actor{Person: cleared.NewPersonID()}
	err := r.Read(ctx, actor, act.PieceList, now, func(store.Tx, *act.Act) error { return nil })
	if !errors.Is(err, cleared.ErrUnavailable) {
		t.Fatalf("a read whose entry is not committed: %v, want unavailable", err)
	}
	if err := r.Ready(ctx); !errors.Is(err, cleared.ErrUnavailable) {
		t.Fatalf("Ready after an entry failed to commit: %v, want unavailable", err)
	}
	full.on.Store(false)
	if err := r.Ready(ctx); err != nil {
		t.Fatalf("Ready once commits succeed: %v", err)
	}
	if err := r.Read(ctx, actor, act.PieceList, now, func(store.Tx, *act.Act) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if n := len(entries(t, st)); n != 1 {
		t.Fatalf("%d entries, want the read's alone", n)
	}
}

// fullDisk is the real store whose commits fail while on, as a full disk makes them: a function that succeeds is
// rolled back and its caller told the commit failed; one that fails is answered as usual.
type fullDisk struct {
	store.Store
	on atomic.Bool
}

var errDiskFull = errors.New("database or disk is full")

func (f *fullDisk) Update(ctx context.Context, fn func(store.Tx) error) error {
	if !f.on.Load() {
		return f.Store.Update(ctx, fn)
	}
	var ok bool
	err := f.Store.Update(ctx, func(tx store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		ok = true
		return errDiskFull
	})
	if ok {
		return cleared.Unavailablef("commit: %v", errDiskFull)
	}
	return err
}
