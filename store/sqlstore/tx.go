package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/transparency-dev/merkle/compact"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Tx is a [store.Tx]: a View's transaction, or one function's part of an Update's group commit, with the context
// View or Update was given (in Update, without its cancellation: see [Store.Update]).
type Tx struct {
	ctx context.Context
	// tx is begun by View on the first statement (see Tx.prepare): a View whose reads a cache of the service
	// answered costs no transaction.
	tx *sql.Tx
	s  *Store
	// failed is the first statement that failed. PostgreSQL aborts the transaction there; the SQL runs the same
	// on SQLite by refusing every later statement and the commit.
	failed error
	// stmts holds the statements prepared in this transaction, when the dialect asks for it; the functions of
	// one group commit share them.
	stmts map[string]*sql.Stmt
	// cache keeps the statements prepared on the transaction's pool, and unprepared lists the queries this
	// transaction prepared for itself, for the cache to keep once the transaction has ended; the functions of one
	// group commit share the list.
	cache      *stmtCache
	unprepared *[]string
	// update is set in Update, whose reads lock what they guard (Dialect.LockRows).
	update bool
	// batch is what the functions of one group commit share beyond the transaction; nil in View.
	batch *batchState
}

// Tx implements each chapter of the storage contract, one file each in this package.
var (
	_ store.Tx                = (*Tx)(nil)
	_ store.Registers         = (*Tx)(nil)
	_ store.Clearances        = (*Tx)(nil)
	_ store.Authorities       = (*Tx)(nil)
	_ store.Pieces            = (*Tx)(nil)
	_ store.Grants            = (*Tx)(nil)
	_ store.Places            = (*Tx)(nil)
	_ store.Credentials       = (*Tx)(nil)
	_ store.EquivalenceTables = (*Tx)(nil)
	_ store.Settings          = (*Tx)(nil)
	_ store.AuditTx           = (*Tx)(nil)
)

// batchState is what the functions of one group commit share beyond the transaction. It belongs to the writer
// goroutine, which runs them. What a function changed in it is undone with the function's savepoint (mark,
// rollback).
type batchState struct {
	// head is the audit log's head as the batch's appends moved it; written to the database before the commit
	// (see Tx.head).
	head auditHead
	// nodes holds the audit tree's nodes the batch has read or appended (see Tx.AuditNodes); added lists those
	// appended, in order, so that a function's can be forgotten when it is rolled back.
	nodes map[compact.NodeID][]byte
	added []compact.NodeID
	// entries are the entries the batch appended, in order; the first written of them, and the nodes of the
	// first nodesWritten of added, are written to the database (flushAudit).
	entries      []pendingEntry
	written      int
	nodesWritten int
	// erased is set when a function erased data (Dialect.AfterErase).
	erased bool
	// prev is the signed head the batch found (checkSignedHead), nil for a log without one; signed is the head
	// the batch signed (signHead), for the writer to trust once committed.
	prev, signed *signedHead
}

// batchMark is a batch's state when a function starts.
type batchMark struct {
	head                                  auditHead
	added, entries, written, nodesWritten int
}

func (b *batchState) mark() batchMark {
	return batchMark{head: b.head, added: len(b.added), entries: len(b.entries), written: b.written,
		nodesWritten: b.nodesWritten}
}

// rollback forgets what the functions since m did, as the database forgot it rolling back to their savepoint. The
// rows the function wrote (flushAudit), its own and those of earlier functions, are gone with the savepoint: the
// earlier functions' are written again later.
func (b *batchState) rollback(m batchMark) {
	b.head = m.head
	for _, id := range b.added[m.added:] {
		delete(b.nodes, id)
	}
	b.added = b.added[:m.added]
	b.entries = b.entries[:m.entries]
	b.written, b.nodesWritten = m.written, m.nodesWritten
}

var _ store.Tx = (*Tx)(nil)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// exec runs a statement that returns no rows.
func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	if tx.failed != nil {
		return nil, tx.aborted()
	}
	r, err := tx.prepare(query)
	if err != nil {
		tx.failed = err
		return nil, err
	}
	res, err := r.exec(args...)
	if err != nil {
		tx.failed = err
	}
	return res, err
}

// execOne runs an UPDATE and reports whether it changed a row.
func (tx *Tx) execOne(query string, args ...any) (bool, error) {
	res, err := tx.exec(query, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// get runs a query for one row and scans it with scan; sql.ErrNoRows if there is none.
func get[T any](tx *Tx, scan func(scanner) (T, error), query string, args ...any) (T, error) {
	var zero T
	if tx.failed != nil {
		return zero, tx.aborted()
	}
	r, err := tx.prepare(query)
	if err != nil {
		tx.failed = err
		return zero, err
	}
	v, err := scan(r.queryRow(args...))
	if err != nil && !errors.Is(err, sql.ErrNoRows) && !isTampered(err) {
		tx.failed = err
	}
	return v, err
}

// list runs a query and scans every row with scan.
func list[T any](tx *Tx, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	if tx.failed != nil {
		return nil, tx.aborted()
	}
	r, err := tx.prepare(query)
	if err != nil {
		tx.failed = err
		return nil, err
	}
	rows, err := r.query(args...)
	if err != nil {
		tx.failed = err
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if isTampered(err) {
			continue // left out, and raised by the scan (seal.go)
		}
		if err != nil {
			tx.failed = err
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		tx.failed = err
		return nil, err
	}
	return out, nil
}

// runner runs one query in a transaction, prepared or not.
type runner struct {
	tx   *Tx
	text string
	stmt *sql.Stmt
}

// prepare returns how to run query: as a prepared statement if the dialect asks for it (SQLite's driver compiles
// every statement it is given; a group commit or a bulk load would compile the same INSERT again for each object),
// else as plain text (pgx keeps its own cache of prepared statements per connection, so preparing here would only
// add a round trip). A prepared statement is taken from the pool's cache, or prepared in the transaction and
// listed for the cache to keep (see stmtCache).
func (tx *Tx) prepare(query string) (runner, error) {
	if tx.tx == nil {
		sqlTx, err := tx.s.read.BeginTx(tx.ctx, &tx.s.d.View)
		if err != nil {
			return runner{}, tx.s.errorf(err, "begin read-only")
		}
		tx.tx = sqlTx
	}
	if !tx.s.d.Prepare {
		return runner{tx: tx, text: query}, nil
	}
	if st, ok := tx.stmts[query]; ok {
		return runner{tx: tx, stmt: st}, nil
	}
	var st *sql.Stmt
	if kept := tx.cache.get(query); kept != nil {
		st = tx.tx.StmtContext(tx.ctx, kept) // prepared once per connection
	} else {
		var err error
		st, err = tx.tx.PrepareContext(tx.ctx, query) // closed by database/sql when the transaction ends
		if err != nil {
			return runner{}, err
		}
		*tx.unprepared = append(*tx.unprepared, query)
	}
	if tx.stmts == nil {
		tx.stmts = make(map[string]*sql.Stmt)
	}
	tx.stmts[query] = st
	return runner{tx: tx, stmt: st}, nil
}

func (r runner) exec(args ...any) (sql.Result, error) {
	if r.stmt != nil {
		return r.stmt.ExecContext(r.tx.ctx, args...)
	}
	return r.tx.tx.ExecContext(r.tx.ctx, r.text, args...)
}

func (r runner) queryRow(args ...any) *sql.Row {
	if r.stmt != nil {
		return r.stmt.QueryRowContext(r.tx.ctx, args...)
	}
	return r.tx.tx.QueryRowContext(r.tx.ctx, r.text, args...)
}

func (r runner) query(args ...any) (*sql.Rows, error) {
	if r.stmt != nil {
		return r.stmt.QueryContext(r.tx.ctx, args...)
	}
	return r.tx.tx.QueryContext(r.tx.ctx, r.text, args...)
}

func (tx *Tx) aborted() error {
	return fmt.Errorf("transaction aborted by an earlier failed statement: %w", tx.failed)
}

// errorf adds context to err and its kind: "sqlstore: create piece pce_…: conflict: …".
func (tx *Tx) errorf(err error, format string, args ...any) error {
	return tx.s.errorf(err, format, args...)
}

// notFound turns sql.ErrNoRows into an ErrNotFound naming the object, and adds context to any other error.
func (tx *Tx) notFound(err error, kind string, id any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return cleared.NotFoundf("%s %v not found", kind, id)
	}
	return tx.errorf(err, "read %s %v", kind, id)
}

// exists reports whether table has a row whose column equals value. The table and column are constants of the
// callers, never input.
func (tx *Tx) exists(table, column string, value any) (bool, error) {
	_, err := get(tx, scanInt, `SELECT 1 FROM `+table+` WHERE `+column+` = $1`, value)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// checkPage refuses a page with no room: Page.Limit says how many items at most, and a list of none is a bug in
// the caller, better reported than answered with nothing.
func checkPage(limit int) error {
	if limit <= 0 {
		return cleared.Invalidf("page limit must be at least 1, got %d", limit)
	}
	return nil
}

// Times are stored as Unix nanoseconds UTC, which an int64 holds from 1677-09-21 to 2262-04-11.
var (
	minTime = time.Unix(0, math.MinInt64).UTC()
	maxTime = time.Unix(0, math.MaxInt64).UTC()
)

// checkTimes refuses a time that nanoseconds since 1970 cannot hold, rather than store a wrong one. The zero time
// is accepted: it means "unset" and is stored as NULL.
func checkTimes(ts ...time.Time) error {
	for _, t := range ts {
		if !t.IsZero() && (t.Before(minTime) || t.After(maxTime)) {
			return cleared.Invalidf("time %s is outside the range the database stores (%s to %s)",
				t.Format(time.RFC3339), minTime.Format(time.DateOnly), maxTime.Format(time.DateOnly))
		}
	}
	return nil
}

// checkTimeSet is checkTimes for a time that must be given.
func checkTimeSet(name string, t time.Time) error {
	if t.IsZero() {
		return cleared.Invalidf("%s time is required", name)
	}
	return checkTimes(t)
}

// ns is the stored form of t: Unix nanoseconds, or NULL for the zero time. Callers check the range first.
func ns(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// timeScanner reads what ns wrote.
type timeScanner struct{ t *time.Time }

func (s timeScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
	case int64:
		*s.t = time.Unix(0, v).UTC()
	default:
		return fmt.Errorf("sqlstore: cannot read %T as a time", src)
	}
	return nil
}

func ts(t *time.Time) sql.Scanner { return timeScanner{t} }

// null is the stored form of an optional reference or text: NULL when empty.
func null[T ~string](s T) any {
	if s == "" {
		return nil
	}
	return string(s)
}

// textScanner reads what null wrote.
type textScanner[T ~string] struct{ p *T }

func (s textScanner[T]) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.p = ""
	case string:
		*s.p = T(v)
	case []byte:
		*s.p = T(v)
	default:
		return fmt.Errorf("sqlstore: cannot read %T as text", src)
	}
	return nil
}

func opt[T ~string](p *T) sql.Scanner { return textScanner[T]{p} }

// bit is the stored form of a boolean.
func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// joinList is the stored form of a list of codes: comma-separated. A code that is empty or holds a comma could
// not be read back, so it is refused.
func joinList[T ~string](field string, xs []T) (string, error) {
	parts := make([]string, len(xs))
	for i, x := range xs {
		if x == "" || strings.ContainsAny(string(x), ", ") {
			return "", cleared.Invalidf("%s: %q cannot be stored (empty, or holds a comma or space)", field, x)
		}
		parts[i] = string(x)
	}
	return strings.Join(parts, ","), nil
}

// splitList reads what joinList wrote; the empty list reads back as nil.
func splitList[T ~string](s string) []T {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]T, len(parts))
	for i, p := range parts {
		out[i] = T(p)
	}
	return out
}

func scanInt(s scanner) (int64, error) {
	var n int64
	err := s.Scan(&n)
	return n, err
}
