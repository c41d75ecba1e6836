// Package act runs audited actions: the one write path of the architecture's principles 2 and 3. Every action of
// every service (registry, auth, and the chapters to come) is one transaction that loads what the policy needs,
// asks package policy, applies the change only on allow, and appends the action's entry to the audit log in that
// same transaction. A refusal is recorded in a transaction of its own. If an entry cannot be written, the action
// fails with cleared.ErrUnavailable and nothing happened: no record, no action (fail closed).
//
// Reads are actions too (the log answers who saw what, A10.2, A11.2, A13.1): Read decides on a snapshot and answers
// only once its entry is durable. Commit serves the actions whose refusal must commit together with its effect (a
// failed sign-in counts towards the lock-out with its entry). The names of the actions are the constants of
// names.go, the list docs/audit.md gives auditors.
package act

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Observer is told of every decision once its audit entry is committed (for metrics); it must be quick.
type Observer func(action Name, allowed bool, rule string)

// Runner runs actions over one store. Its methods are safe for concurrent use.
type Runner struct {
	store    store.Store
	log      *slog.Logger
	observe  Observer
	appended atomic.Uint64
	// failing is set when an action's entry could not be written or committed, and cleared by the next that is
	// (ready.go): /readyz says 503 meanwhile, though a probe rolled back may pass (a full disk).
	failing atomic.Bool
	ready   readiness
}

// New returns a Runner over st that logs refusals to log (the default logger if nil) and tells observe (if set)
// of every committed decision.
func New(st store.Store, log *slog.Logger, observe Observer) *Runner {
	if log == nil {
		log = slog.Default()
	}
	return &Runner{store: st, log: log, observe: observe}
}

// Store is the store the runner writes to.
func (r *Runner) Store() store.Store { return r.store }

// Appended counts the entries appended since the runner started or since the last ResetAppended: the checkpoint
// writer signs a checkpoint every so many entries.
func (r *Runner) Appended() uint64 { return r.appended.Load() }

// ResetAppended sets Appended back to zero.
func (r *Runner) ResetAppended() { r.appended.Store(0) }

// Act is one audited action in progress: who, what, on which object, and, if the policy refused, why.
type Act struct {
	r *Runner
	// Actor may be set by a Commit function that learns who acts inside its transaction (a sign-in).
	Actor  cleared.Actor
	Name   Name
	Now    time.Time
	Object string
	// Payload is recorded as the entry's JSON payload; never content, never secrets.
	Payload any
	// Cached tells a read that it may use what a service keeps in memory, valid at the store's generation Gen,
	// read before the action's snapshot was taken (package facts).
	Cached bool
	Gen    uint64

	refusal *policy.Decision
	// outcome is what a Commit action answers when it refused (ErrUnauthenticated for a failed sign-in).
	outcome error
	// appending is set once Append was called: the transaction's outcome is then the append's (noteAppend).
	appending bool
	// probe marks the readiness probe's entry, which is rolled back and so not counted (ready.go).
	probe bool
}

// Act starts an action outside Do, Read and Commit, to record it with Record (a refusal decided before any
// transaction: an unknown login, a certificate no terminal holds).
func (r *Runner) Act(a cleared.Actor, name Name, now time.Time) *Act {
	return &Act{r: r, Actor: a, Name: name, Now: now}
}

// Do runs one audited action that changes the registers. fn runs in one transaction; if it succeeds, the action's
// entry is appended in that same transaction, so the change and its record commit together or not at all. If the
// policy refused (fn returned x.Deny or x.Hide), the transaction rolls back and the refusal is appended in a
// transaction of its own.
func (r *Runner) Do(ctx context.Context, a cleared.Actor, name Name, now time.Time, fn func(tx store.Tx, x *Act) error) error {
	x := r.Act(a, name, now)
	err := r.store.Update(ctx, func(tx store.Tx) error {
		x.reset(a) // fn may run again when the database retries
		if err := fn(tx, x); err != nil {
			return err
		}
		_, err := x.Append(tx, policy.Allow)
		return err
	})
	r.noteAppend(x, err)
	if x.refusal == nil {
		if err == nil {
			x.observed(policy.Allow)
		}
		return err
	}
	return x.Record(ctx, *x.refusal, err)
}

// Read runs one audited action that changes nothing but the log: a read, a list, a proof. fn decides on a
// consistent snapshot (a read transaction, which runs in parallel with others), then the entry, allowed or refused,
// is appended through the writer. The caller gets its answer only once the entry is durable, and nothing if the
// entry cannot be written: content read by fn is returned by the caller after Read returns nil.
func (r *Runner) Read(ctx context.Context, a cleared.Actor, name Name, now time.Time, fn func(tx store.Tx, x *Act) error) error {
	x := r.Act(a, name, now)
	x.Cached, x.Gen = true, r.store.Generation()
	err := r.store.View(ctx, func(tx store.Tx) error {
		x.reset(a)
		return fn(tx, x)
	})
	if err != nil && x.refusal == nil {
		return err // not an outcome of the policy: bad input, a missing record of one's own, an unavailable part
	}
	d := policy.Allow
	if x.refusal != nil {
		d = *x.refusal
	}
	return x.Record(ctx, d, err)
}

// Commit runs one audited action whose outcome, allowed or refused, commits with what fn wrote: a failed sign-in
// counts towards the lock-out in the transaction that records it, so that no attempt escapes the count and no
// count lacks its entry. fn refuses with x.Refuse, which records the refusal and leaves fn's writes in place; any
// error fn returns rolls everything back and records nothing. Commit returns the refusal's outcome (with the entry's
// number if it is a 403), or nil.
func (r *Runner) Commit(ctx context.Context, a cleared.Actor, name Name, now time.Time, fn func(tx store.Tx, x *Act) error) error {
	x := r.Act(a, name, now)
	var d policy.Decision
	err := r.store.Update(ctx, func(tx store.Tx) error {
		x.reset(a)
		if err := fn(tx, x); err != nil {
			return err
		}
		d = policy.Allow
		if x.refusal != nil {
			d = *x.refusal
		}
		seq, err := x.Append(tx, d)
		if err != nil {
			return err
		}
		x.outcome = named(x.outcome, seq)
		return nil
	})
	r.noteAppend(x, err)
	if err != nil {
		return err
	}
	x.observed(d)
	if d.Allowed {
		return nil
	}
	return x.outcome
}

// Refuse records, in a Commit action, that the policy refused with d, and answers outcome to the caller: d.Err(),
// or cleared.ErrUnauthenticated for a sign-in that must not say more. It returns nil, for fn to return once it has
// written what the refusal changes.
func (x *Act) Refuse(d policy.Decision, outcome error) error {
	d.Allowed = false
	x.refusal, x.outcome = &d, outcome
	if errors.Is(outcome, cleared.ErrUnauthenticated) {
		x.logUnauthenticated()
		return nil
	}
	x.r.log.Info("refused", "action", x.Name, "actor", x.Actor.Person, "terminal", x.Actor.Terminal,
		"object", x.Object, "rule", d.Rule, "reason", d.Reason)
	return nil
}

// logUnauthenticated logs a refusal that answers ErrUnauthenticated (a sign-in, a certificate) without who or why:
// a refused attempt on a login that names no account logs the same line, so that the server log does not tell
// which logins exist. The audit log keeps the account, the rule and the reason.
func (x *Act) logUnauthenticated() {
	x.r.log.Info("refused", "action", x.Name, "terminal", x.Actor.Terminal, "outcome", "unauthenticated")
}

func (x *Act) reset(a cleared.Actor) {
	x.Actor, x.refusal, x.outcome, x.Object, x.Payload, x.appending = a, nil, nil, "", nil, false
}

// Record appends the action's entry with decision d in a transaction of its own, and returns result: the action's
// outcome, with the entry's number on a 403. If the entry cannot be written, the action fails closed.
func (x *Act) Record(ctx context.Context, d policy.Decision, result error) error {
	var seq uint64
	aerr := x.r.store.Update(store.AppendOnly(ctx), func(tx store.Tx) error {
		x.appending = false
		var err error
		seq, err = x.Append(tx, d)
		return err
	})
	x.r.noteAppend(x, aerr)
	if aerr != nil {
		x.r.log.ErrorContext(ctx, "audit append failed", "action", x.Name, "error", aerr)
		return cleared.Unavailablef("the audit log cannot record this action: nothing was done or shown")
	}
	x.observed(d)
	if !d.Allowed && errors.Is(result, cleared.ErrUnauthenticated) {
		x.logUnauthenticated()
	}
	return named(result, seq)
}

// named returns result naming audit entry seq if it is a 403. A hidden refusal must look like a missing object, so
// names none.
func named(result error, seq uint64) error {
	var f *cleared.ErrForbidden
	if errors.As(result, &f) {
		withSeq := *f
		withSeq.AuditSeq = seq
		return &withSeq
	}
	return result
}

// observed tells the runner's observer of a decision whose entry is committed. A hidden refusal is told as a
// missing object is (A9.1): the metrics, like the server log, must not tell which IDs exist by the rule that hid one.
func (x *Act) observed(d policy.Decision) {
	if x.r.observe != nil {
		rule := d.Rule
		if d.Hidden {
			rule = policy.NotKnown().Rule
		}
		x.r.observe(x.Name, d.Allowed, rule)
	}
}

// Deny records the policy's refusal of the action on object and returns its error: *cleared.ErrForbidden, or
// cleared.ErrNotFound for a hidden object. In Do and Read, fn returns it.
func (x *Act) Deny(object string, d policy.Decision) error {
	x.Object, x.refusal = object, &d
	if d.Hidden {
		// A9.1: the line of a hidden refusal is that of a missing object, word for word: a log reader must not learn
		// which IDs exist. The object, rule and reason are in the audit entry, which only auditors read.
		x.r.log.Info("refused", "action", x.Name, "actor", x.Actor.Person, "terminal", x.Actor.Terminal, "outcome", "not found")
		return d.Err()
	}
	x.r.log.Info("refused", "action", x.Name, "actor", x.Actor.Person, "terminal", x.Actor.Terminal,
		"object", object, "rule", d.Rule, "reason", d.Reason)
	return d.Err()
}

// Hide refuses as if object did not exist: the answer to a missing object and to one the actor may not know must
// be the same, in the reply, in the log and in the time it takes (both append an entry).
func (x *Act) Hide(object string) error {
	return x.Deny(object, policy.NotKnown())
}

// Append writes the action's entry with decision d in tx and returns its sequence number.
func (x *Act) Append(tx store.AuditTx, d policy.Decision) (uint64, error) {
	payload := []byte("{}")
	if x.Payload != nil || !d.Allowed {
		v := x.Payload
		if !d.Allowed {
			v = map[string]string{"reason": d.Reason}
		}
		b, err := json.Marshal(v)
		if err != nil {
			return 0, fmt.Errorf("audit payload: %w", err)
		}
		payload = b
	}
	e := audit.Entry{Time: x.Now, Actor: x.Actor.Person, Terminal: x.Actor.Terminal, Action: string(x.Name), Object: x.Object,
		Allowed: d.Allowed, Rule: d.Rule}
	if d.Allowed {
		e.Rule = ""
	}
	x.appending = true
	r, err := audit.Append(tx, e, payload)
	if err != nil {
		if errors.Is(err, cleared.ErrUnavailable) {
			return 0, err
		}
		return 0, cleared.Unavailablef("audit log: %v", err)
	}
	if !x.probe {
		x.r.appended.Add(1)
	}
	return r.Seq, nil
}
