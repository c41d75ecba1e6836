// Package sqlstore implements [store.Store] once, over database/sql, for every SQL database cleared runs on
// (store/sqlite and store/postgres). The SQL is written once, with $1, $2… placeholders, which modernc.org/sqlite
// reads positionally and PostgreSQL natively; the two schemas store the same representations (times as Unix
// nanoseconds UTC, levels and booleans as small integers, lists as text), so one query reads both. Sharing the
// code means the storage test suite (store/storetest) checks one implementation on two engines rather than two
// implementations that could drift apart.
//
// What differs between the engines is small and held by a [Dialect]: how a driver error is classified into the
// root error kinds, the options of read-write and read-only transactions, whether a failed transaction may be
// run again (PostgreSQL's serialization failures), how the writers of several processes take turns, what follows
// an erasure, and whether to prepare statements (SQLite's driver does not cache them).
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
//   - A statement that fails aborts the function Update runs, on SQLite as on PostgreSQL: its later
//     statements fail too and none of its changes is committed, so a service that ignores an error commits
//     nothing. Other functions committed in the same group commit are not affected.
//
// # Sealed registers
//
// Every register row carries a MAC (HMAC-SHA-256 under the key SetSealKey gives, from the key ring) over its
// canonical encoding, written with the row and checked on every read; a row that fails is not used and is raised
// through the hook SetTamperHook sets. An update reads the row, checked, before it writes the new one and its MAC,
// so that no change of cleared seals a row altered outside it. See seal.go.
//
// # Group commit
//
// A durable commit costs one fsync, a few thousand a second, so Update does not commit each function on its own
// (architecture, principle 2). One writer goroutine gathers the Updates waiting for it into one database
// transaction, runs each function inside a savepoint of its own, commits once, and only then answers every caller.
// See [Store.Update].
//
// # The audit log
//
// A group commit writes the audit entries its functions appended at its end, in a few multi-row statements, and
// signs the log's new head with the log's key (SetAuditSigner) in the same transaction, chained to the head before
// it. Before it appends, it checks that the stored head is the latest signed head and that this key signed it, and
// refuses to extend a log it did not sign: the writer then stops, and every later append fails closed
// (cleared.ErrUnavailable). An entry is one row with its payload; the tree keeps the nodes of every fourth level
// (see AuditNodes).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/transparency-dev/merkle/compact"

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
	// Prepare makes the store prepare each distinct query once per connection and reuse it across transactions,
	// for a driver that would otherwise compile every statement it runs.
	Prepare bool
	// Anonymous makes the statements the store builds with many placeholders (the multi-row INSERTs of the audit
	// log) use "?" rather than "$1, $2…": SQLite's driver looks each numbered placeholder up by a scan of the
	// statement's list of them, which costs the square of their number.
	Anonymous bool
	// BeginUpdate, if set, is the first statement of every Update transaction: a lock that makes the writers of
	// several processes take turns before their transactions take their snapshots (PostgreSQL).
	BeginUpdate string
	// LockRows makes a read in Update that guards a later write lock its row (SELECT … FOR UPDATE), so that
	// writers in other processes wait for it (PostgreSQL). SQLite locks the whole database for its one writer.
	LockRows bool
	// AfterErase, if set, runs outside any transaction after a group commit that erased data (A23.2) is
	// durable, to remove the erased bytes from where the database still keeps them (SQLite's write-ahead log).
	AfterErase string
	// Update and View are the options of the transactions the methods of the same names begin.
	Update, View sql.TxOptions
}

// Store is a [store.Store] over database/sql.
type Store struct {
	d       Dialect
	write   *sql.DB
	read    *sql.DB
	release func()

	// calls queues the Updates for the writer goroutine, which runs them in group commits (see Update).
	calls chan *call
	// mu orders Update's check of closed and its pending.Add before Close's pending.Wait.
	mu      sync.RWMutex
	closed  bool
	pending sync.WaitGroup // Updates between their check of closed and their answer
	stopped chan struct{}  // closed when the writer has returned, after Close
	// writeStmts and readStmts keep the statements prepared on each pool (Dialect.Prepare).
	writeStmts, readStmts *stmtCache

	// gen is what Generation returns; the writer raises it after each batch that changed more than the audit
	// log, and watch after each change of the database's counter (made by any process) or failure to read it.
	gen atomic.Uint64
	// unwatch stops watch; watched is closed when it has returned.
	unwatch, watched chan struct{}
	// nodes are the audit tree's nodes the last committed batch read or appended, the writer's alone. A stored
	// node never changes, so the next batch takes the log's right edge from here rather than from the database.
	nodes map[compact.NodeID][]byte
	// seal is the key of the register rows' MACs and the hook that raises a row failing its check (seal.go).
	seal sealer

	// keys are the audit log's keys (SetAuditSigner); nil until set, and then every append is refused.
	keys atomic.Pointer[auditKeys]
	// trusted is the signed head the writer last wrote or verified; broken, once set, is the error every later
	// batch that appends fails with: the stored head was not signed by this log's key. Both are the writer's
	// alone (see checkSignedHead).
	trusted *signedHead
	broken  error
}

var _ store.Store = (*Store)(nil)

// New returns a Store that runs Update on write and View on read (they may be the same *sql.DB: SQLite has one
// writer, so it gets a pool of one connection for writes and another pool for reads). Close closes both, then
// calls release if it is not nil (the pgx pool under PostgreSQL's *sql.DB). New starts the goroutine that runs
// Updates; Close stops it.
func New(d Dialect, write, read *sql.DB, release func()) *Store {
	s := &Store{d: d, write: write, read: read, release: release,
		calls: make(chan *call, maxBatch), stopped: make(chan struct{}),
		writeStmts: newStmtCache(write), readStmts: newStmtCache(read),
		unwatch: make(chan struct{}), watched: make(chan struct{})}
	go s.writer()
	go s.watch(store.GenerationLag)
	return s
}

// Generation implements [store.Store].
func (s *Store) Generation() uint64 { return s.gen.Load() }

// watch reads the database's generation counter every period until Close, and raises s.gen when it moved or
// could not be read.
func (s *Store) watch(period time.Duration) {
	defer close(s.watched)
	t := time.NewTicker(period)
	defer t.Stop()
	var seen int64 = -1
	for {
		select {
		case <-s.unwatch:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), period)
		var n int64
		err := s.read.QueryRowContext(ctx, `SELECT n FROM generation WHERE id = 1`).Scan(&n)
		cancel()
		if err != nil || n != seen {
			s.gen.Add(1)
			seen = n
			if err != nil {
				seen = -1
			}
		}
	}
}

// View runs fn in a read-only transaction, which sees one consistent snapshot.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlstore: view: %w", err)
	}
	var unprepared []string
	tx := &Tx{ctx: ctx, s: s, cache: s.readStmts, unprepared: &unprepared} // begun by its first statement
	defer func() {
		if tx.tx != nil {
			tx.tx.Rollback()             // a read-only transaction has nothing to commit
			s.readStmts.keep(unprepared) // once the connection is back in the pool
		}
	}()
	return fn(tx)
}

// Ping reports whether the database answers; ErrUnavailable if not.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: ping %s: %w: %w", s.d.Name, cleared.ErrUnavailable, err)
	}
	return nil
}

// Close waits for the Updates in progress to be answered, refuses new ones (cleared.ErrUnavailable), stops the
// writer and closes the connections. Calling it again does nothing.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.pending.Wait()
	close(s.calls)
	<-s.stopped
	close(s.unwatch)
	<-s.watched
	err := errors.Join(s.writeStmts.close(), s.readStmts.close(), s.write.Close())
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
