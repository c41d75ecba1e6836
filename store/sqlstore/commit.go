package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/transparency-dev/merkle/compact"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// maxBatch bounds how many functions one group commit runs. More would make the callers at the end of a batch wait
// longer for the others without saving fsyncs worth having: at 256, the fsync is a small part of the batch.
const maxBatch = 256

// A call is one Update waiting for the writer.
type call struct {
	ctx   context.Context
	fn    func(store.Tx) error
	state atomic.Int32 // queued, then running or abandoned, whichever comes first
	err   error        // the answer, written by the writer before it closes done
	done  chan struct{}
	// answered is set by the writer when it answers, so that it answers once.
	answered bool
}

const (
	queued int32 = iota
	running
	abandoned
)

func (c *call) answer(err error) {
	if !c.answered {
		c.answered = true
		c.err = err
		close(c.done)
	}
}

// Update runs fn in a read-write transaction and commits if fn returns nil; fn's error is returned unchanged.
//
// Calls are gathered into group commits (architecture, principle 2). One writer goroutine takes every call
// waiting for it, up to 256, as one batch: it begins one database transaction and runs each call's fn, in
// order, inside a savepoint of its own. A function that returns an error (or panics, or runs a statement that
// fails) is rolled back to its savepoint alone and its caller gets that error; the others are kept. The writer
// then commits, and answers no caller before the commit is durable. If the commit fails, every caller whose
// function had succeeded gets that error, and none of their changes happened. A writer that is idle starts at
// once with a batch of one, so a lone caller waits no longer than for a transaction of its own.
//
// Functions of one batch see each other's changes (they run one after the other in one transaction), and each
// holds up the whole batch while it runs: fn must be quick, must not wait for another Update (that one cannot
// run before fn returns), and must not call runtime.Goexit (t.FailNow): a batch whose function does is rolled
// back and every one of its callers gets an error.
//
// On PostgreSQL a serialization failure or deadlock (another process wrote what the batch read) aborts the
// whole database transaction, not just one savepoint, so the writer runs the whole batch again, every function
// in it, after a short random pause, up to the dialect's number of attempts.
//
// ctx: a caller whose ctx ends before its fn starts is answered with ctx's error and fn never runs. Once fn has
// started, Update waits for the commit whatever becomes of ctx, because the batch's other functions share the
// transaction: fn's statements run with ctx's values but without its cancellation, and the answer is the
// commit's (so a caller that gave up may still have its change committed). A caller whose ctx ends while its
// batch waits to run again after a serialization failure is answered with ctx's error: its change was not
// committed. After Close, Update is cleared.ErrUnavailable.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlstore: update: %w", err)
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return cleared.Unavailablef("sqlstore: update: store closed")
	}
	s.pending.Add(1)
	s.mu.RUnlock()
	defer s.pending.Done()

	c := &call{ctx: ctx, fn: fn, done: make(chan struct{})}
	select {
	case s.calls <- c:
	case <-ctx.Done():
		return fmt.Errorf("sqlstore: update: %w", ctx.Err())
	}
	select {
	case <-c.done:
	case <-ctx.Done():
		if c.state.CompareAndSwap(queued, abandoned) {
			return fmt.Errorf("sqlstore: update: %w", ctx.Err())
		}
		<-c.done // fn has started: wait for the commit
	}
	return c.err
}

// writer runs the queued calls in batches until Close closes the queue. If a function ends the writer's
// goroutine (runtime.Goexit), the deferred rollback has undone the batch; the batch's callers are told, and a new
// goroutine carries on.
func (s *Store) writer() {
	var batch []*call // the calls now running; nil when none is
	defer func() {
		if batch == nil {
			close(s.stopped)
			return
		}
		for _, c := range batch {
			c.answer(fmt.Errorf("sqlstore: update: a function called runtime.Goexit; the transaction was rolled back"))
		}
		go s.writer()
	}()
	for c := range s.calls {
		taken := []*call{c}
	fill:
		for len(taken) < maxBatch {
			select {
			case c, ok := <-s.calls:
				if !ok {
					break fill
				}
				taken = append(taken, c)
			default:
				break fill
			}
		}
		batch = s.start(taken)
		s.commit(batch)
		batch = nil
	}
}

// start returns the calls whose callers still wait, marked running, and answers those whose ctx has ended.
func (s *Store) start(taken []*call) []*call {
	live := taken[:0]
	for _, c := range taken {
		switch {
		case c.ctx.Err() == nil && c.state.CompareAndSwap(queued, running):
			live = append(live, c)
		case c.state.CompareAndSwap(queued, abandoned):
			c.answer(fmt.Errorf("sqlstore: update: %w", c.ctx.Err()))
		}
		// Otherwise the caller gave up and has returned.
	}
	return live
}

// commit runs a batch in one transaction, again if the dialect says its failure was transient, and answers every
// call.
func (s *Store) commit(batch []*call) {
	guarded := false
	for attempt := 1; len(batch) > 0; attempt++ {
		b := &batchState{nodes: make(map[compact.NodeID][]byte)}
		var unprepared []string
		results, err := s.run(batch, b, &unprepared, guarded)
		s.writeStmts.keep(unprepared) // the transaction has ended: the connection is free
		if err == nil {
			s.nodes = b.nodes
			if b.signed != nil {
				s.trusted = b.signed
			}
			for i, c := range batch {
				c.answer(results[i])
			}
			return
		}
		if errors.Is(err, errUnguarded) {
			guarded, attempt = true, attempt-1 // not the database's failure: no attempt is spent, no wait
			continue
		}
		if attempt >= s.d.Attempts || s.d.Retry == nil || !s.d.Retry(err) {
			for i, c := range batch {
				if results[i] == nil {
					results[i] = err
				}
				c.answer(results[i])
			}
			return
		}
		// Exponential backoff with full jitter: 1, 2, 4… ms up to 64 ms, so that transactions which collided
		// do not collide again in step.
		time.Sleep(time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 6))))
		// A caller who gave up meanwhile is answered now: nothing of his was committed.
		live := batch[:0]
		for _, c := range batch {
			if cerr := c.ctx.Err(); cerr != nil {
				c.answer(fmt.Errorf("sqlstore: update: %w (after %w)", cerr, err))
				continue
			}
			live = append(live, c)
		}
		batch = live
	}
}

// errUnguarded makes commit run a batch again with a savepoint for every function: one run without failed.
var errUnguarded = errors.New("sqlstore: a function without a savepoint failed")

// run runs the batch's functions in one transaction and commits. It returns each function's error, and the error
// that made the whole transaction fail, if one did (then nothing was committed, and results holds the errors of
// the functions that had failed on their own, nil for the others). A single function needs no savepoint: if it
// fails, the transaction is rolled back. Nor, unless guarded, does an append-only function (store.AppendOnly),
// two statements fewer for each audited read: appends fail only when the database does, and if one fails the
// batch fails with errUnguarded, to be run again guarded.
func (s *Store) run(batch []*call, b *batchState, unprepared *[]string, guarded bool) (results []error, err error) {
	results = make([]error, len(batch))
	// The transaction belongs to every caller in the batch, so no caller's ctx may cancel it.
	ctx := context.Background()
	sqlTx, err := s.write.BeginTx(ctx, &s.d.Update)
	if err != nil {
		return results, s.errorf(err, "begin")
	}
	defer sqlTx.Rollback() // a no-op after Commit
	shared := &Tx{ctx: ctx, tx: sqlTx, s: s, update: true, batch: b, cache: s.writeStmts, unprepared: unprepared}
	if s.d.Prepare {
		shared.stmts = make(map[string]*sql.Stmt)
	}
	if s.d.BeginUpdate != "" {
		if _, err := shared.exec(s.d.BeginUpdate); err != nil {
			return results, s.errorf(err, "begin")
		}
	}
	savepoints := len(batch) > 1
	kept, changed := 0, false
	for i, c := range batch {
		guard := savepoints && (guarded || !store.IsAppendOnly(c.ctx))
		if guard {
			if _, err := shared.exec(`SAVEPOINT fn`); err != nil {
				return results, s.errorf(err, "savepoint")
			}
		}
		mark := b.mark()
		tx := *shared
		tx.ctx = context.WithoutCancel(c.ctx)
		ferr := callFn(c.fn, &tx)
		if ferr == nil && tx.failed != nil {
			// PostgreSQL refuses to commit a transaction in which a statement failed; SQLite would commit what
			// the other statements did. Refuse on both, so that a service which ignored an error commits nothing.
			ferr = fmt.Errorf("sqlstore: commit: transaction aborted by an earlier failed statement: %w", tx.failed)
		}
		if s.d.Retry != nil && (ferr != nil && s.d.Retry(ferr) || tx.failed != nil && s.d.Retry(tx.failed)) {
			// A serialization failure aborts the database transaction, savepoints and all.
			if tx.failed != nil {
				ferr = tx.errorf(tx.failed, "update")
			}
			return results, ferr
		}
		results[i] = ferr
		switch {
		case ferr == nil:
			kept++
			changed = changed || !store.IsAppendOnly(c.ctx)
			if guard {
				if _, err := shared.exec(`RELEASE SAVEPOINT fn`); err != nil {
					return results, s.errorf(err, "release savepoint")
				}
			}
		case savepoints && !guard:
			return results, errUnguarded // its statements cannot be undone without the others'
		case savepoints:
			// Rolling back to the savepoint also ends PostgreSQL's aborted state after a failed statement.
			if _, err := shared.exec(`ROLLBACK TO SAVEPOINT fn`); err != nil {
				return results, s.errorf(err, "roll back to savepoint")
			}
			if _, err := shared.exec(`RELEASE SAVEPOINT fn`); err != nil {
				return results, s.errorf(err, "release savepoint")
			}
			b.rollback(mark)
		}
	}
	if kept == 0 {
		return results, nil // nothing to keep: the deferred rollback ends the transaction
	}
	if err := shared.writeHead(); err != nil {
		if errors.Is(err, cleared.ErrUnavailable) || s.d.Retry != nil && s.d.Retry(err) {
			return results, err
		}
		// The batch's entries are written here, at its end: whatever refused them (a constraint, revoked rights),
		// to its callers the audit log cannot be written, and nothing was done (fail closed). The cause is kept
		// as text for the log, not as a second kind the API would have to choose between.
		return results, fmt.Errorf("%w: %v", cleared.Unavailablef("the audit log cannot be written: nothing was committed"), err)
	}
	if changed {
		if _, err := shared.exec(`UPDATE generation SET n = n + 1 WHERE id = 1`); err != nil {
			return results, s.errorf(err, "raise the generation")
		}
		// Raised whatever the commit's outcome (a failed commit may still have been made durable), and before
		// any caller is answered: once an Update returns, no cache filled before it is trusted.
		defer s.gen.Add(1)
	}
	if err := sqlTx.Commit(); err != nil {
		return results, s.errorf(err, "commit")
	}
	if b.erased && s.d.AfterErase != "" {
		// Best effort: the erasure is committed; the bytes it left in the log go at the latest when the log
		// is next overwritten.
		_, _ = s.write.ExecContext(ctx, s.d.AfterErase)
	}
	return results, nil
}

// callFn runs fn, turning a panic into an error for its caller alone: the writer and the batch's other callers
// carry on, and fn's changes are rolled back to its savepoint.
func callFn(fn func(store.Tx) error, tx *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sqlstore: update: the function panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return fn(tx)
}
