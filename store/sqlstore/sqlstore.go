// Package sqlstore implements [store.Store] once, over database/sql, for every SQL database cleared runs on
// (store/sqlite and store/postgres). The SQL is written once, with $1, $2… placeholders, which modernc.org/sqlite
// reads positionally and PostgreSQL natively; the two schemas store the same representations (times as Unix
// nanoseconds UTC, levels and booleans as small integers, lists as text), so one query reads both. Sharing the
// code means the storage test suite (store/storetest) checks one implementation on two engines rather than two
// implementations that could drift apart.
//
// What differs between the engines is small and held by a [Dialect]: how a driver error is classified into the
// root error kinds, the options of read-write and read-only transactions, whether a failed transaction may be
// run again (PostgreSQL's serialization failures), and whether to prepare statements (SQLite's driver does not
// cache them).
//
// # Conventions
//
//   - Create methods return cleared.ErrConflict when the ID (or another unique key) exists, and
//     cleared.ErrInvalid when a reference does not exist or a value cannot be stored (a time outside
//     1678–2262, a list code with a comma).
//   - Set methods overwrite; one-way changes (MarkPieceDestroyed, RevokeGrant, RevokeToken,
//     DestroyContentKey) return cleared.ErrConflict when already made, and cleared.ErrNotFound when the object
//     does not exist.
//   - Lists keyed by a parent (PersonGrants, DossierParts…) return an empty list for an unknown parent. Paged
//     lists refuse a limit below 1 (cleared.ErrInvalid).
//   - The zero time is stored as NULL and means "unset"; a required time that is zero is cleared.ErrInvalid.
//   - A statement that fails aborts the transaction, on SQLite as on PostgreSQL: later statements and the
//     commit fail too, so a service that ignores an error commits nothing.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Dialect is what the database packages tell the shared code about their engine.
type Dialect struct {
	// Name names the engine in messages ("sqlite", "postgres").
	Name string
	// Kind classifies a driver error: cleared.ErrConflict (a unique key exists), cleared.ErrInvalid (a foreign
	// key, check or not-null constraint failed), cleared.ErrUnavailable (the database cannot be reached or is
	// busy), or nil when the error is none of these. It reads error codes (SQLSTATE, SQLite result codes), never
	// message text.
	Kind func(err error) error
	// Retry reports whether an Update that failed with err may run again from the start (a serialization failure
	// or a deadlock). Nil means never.
	Retry func(err error) bool
	// Attempts bounds how many times Update runs its function; 0 means once.
	Attempts int
	// Prepare makes a transaction prepare each distinct query once and reuse it, for a driver that would
	// otherwise compile every statement it runs.
	Prepare bool
	// Update and View are the options of the transactions the methods of the same names begin.
	Update, View sql.TxOptions
}

// Store is a [store.Store] over database/sql.
type Store struct {
	d       Dialect
	write   *sql.DB
	read    *sql.DB
	release func()
}

var _ store.Store = (*Store)(nil)

// New returns a Store that runs Update on write and View on read (they may be the same *sql.DB: SQLite has one
// writer, so it gets a pool of one connection for writes and another pool for reads). Close closes both, then
// calls release if it is not nil (the pgx pool under PostgreSQL's *sql.DB).
func New(d Dialect, write, read *sql.DB, release func()) *Store {
	return &Store{d: d, write: write, read: read, release: release}
}

// Update runs fn in one read-write transaction and commits if fn returns nil. When the dialect says the failure
// is a transient conflict between transactions, it runs fn again, a bounded number of times, after a short
// random pause; fn's error is returned unchanged otherwise.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.update(ctx, fn)
		if err == nil || attempt >= s.d.Attempts || s.d.Retry == nil || !s.d.Retry(err) {
			return err
		}
		// Exponential backoff with full jitter: 1, 2, 4… ms up to 64 ms, so that transactions which collided
		// do not collide again in step.
		pause := time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 6)))
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("sqlstore: update: %w (after %w)", ctx.Err(), err)
		case <-t.C:
		}
	}
}

func (s *Store) update(ctx context.Context, fn func(store.Tx) error) error {
	sqlTx, err := s.write.BeginTx(ctx, &s.d.Update)
	if err != nil {
		return s.errorf(err, "begin")
	}
	defer sqlTx.Rollback() // a no-op after Commit
	tx := &Tx{ctx: ctx, tx: sqlTx, s: s}
	if err := fn(tx); err != nil {
		return err
	}
	if tx.failed != nil {
		// PostgreSQL refuses to commit a transaction in which a statement failed; SQLite would commit what
		// the other statements did. Refuse on both, so that a service which ignored an error commits nothing.
		return fmt.Errorf("sqlstore: commit: transaction aborted by an earlier failed statement: %w", tx.failed)
	}
	if err := sqlTx.Commit(); err != nil {
		return s.errorf(err, "commit")
	}
	return nil
}

// View runs fn in a read-only transaction, which sees one consistent snapshot.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	sqlTx, err := s.read.BeginTx(ctx, &s.d.View)
	if err != nil {
		return s.errorf(err, "begin read-only")
	}
	defer sqlTx.Rollback() // a read-only transaction has nothing to commit
	return fn(&Tx{ctx: ctx, tx: sqlTx, s: s})
}

// Ping reports whether the database answers; ErrUnavailable if not.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: ping %s: %w: %w", s.d.Name, cleared.ErrUnavailable, err)
	}
	return nil
}

// Close closes the connections.
func (s *Store) Close() error {
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	if s.release != nil {
		s.release()
	}
	return err
}

// errorf adds context to a driver error and the root kind the dialect gives it, in the form
// "sqlstore: create piece pce_…: conflict: UNIQUE constraint failed: pieces.id (2067)".
func (s *Store) errorf(err error, format string, args ...any) error {
	msg := "sqlstore: " + fmt.Sprintf(format, args...)
	if kind := s.d.Kind(err); kind != nil && !errors.Is(err, kind) {
		return fmt.Errorf("%s: %w: %w", msg, kind, err)
	}
	return fmt.Errorf("%s: %w", msg, err)
}
