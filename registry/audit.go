package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// act is one audited action in progress: who, what, on which object, and, if the policy refused, why.
type act struct {
	s       *Service
	actor   cleared.Actor
	action  string
	now     time.Time
	object  string
	payload any // recorded as the entry's JSON payload; never content, never secrets
	refusal *policy.Decision
	raised  *dossierRaise // set when the action raised a dossier (A4.2)
	// cached lets a read use what the service keeps in memory, valid at the store's generation gen, read before
	// the action's transaction began (see cache.go).
	cached bool
	gen    uint64
}

// do runs one audited action (architecture, principles 2 and 3). fn runs in one transaction; if it succeeds, the
// action's entry is appended to the audit log in that same transaction, so the change and its record commit
// together or not at all. If the policy refused (fn returned x.deny), the transaction rolls back and the refusal is
// appended in a transaction of its own. If an append fails, the action fails with cleared.ErrUnavailable and
// nothing happened: no record, no action (fail closed).
func (s *Service) do(ctx context.Context, a cleared.Actor, action string, now time.Time, fn func(tx store.Tx, x *act) error) error {
	x := &act{s: s, actor: a, action: action, now: now}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		x.refusal, x.object, x.payload, x.raised = nil, "", nil, nil // fn may run again when the database retries
		if err := fn(tx, x); err != nil {
			return err
		}
		_, err := x.append(tx, policy.Allow)
		return err
	})
	if x.refusal == nil {
		if err == nil {
			x.observed(policy.Allow)
		}
		return err
	}
	return x.record(ctx, *x.refusal, err)
}

// read runs one audited action that changes nothing but the log: a read, a list, a proof. fn decides on a
// consistent snapshot (a read transaction, which runs in parallel with others), then the entry, allowed or refused,
// is appended through the writer. The caller gets its answer only once the entry is durable, and nothing if the
// entry cannot be written (fail closed): content read by fn is returned by the caller after read returns nil.
func (s *Service) read(ctx context.Context, a cleared.Actor, action string, now time.Time, fn func(tx store.Tx, x *act) error) error {
	x := &act{s: s, actor: a, action: action, now: now, cached: true, gen: s.store.Generation()}
	err := s.store.View(ctx, func(tx store.Tx) error {
		x.refusal, x.object, x.payload = nil, "", nil
		return fn(tx, x)
	})
	if err != nil && x.refusal == nil {
		return err // not an outcome of the policy: bad input, a missing record of one's own, an unavailable part
	}
	d := policy.Allow
	if x.refusal != nil {
		d = *x.refusal
	}
	return x.record(ctx, d, err)
}

// record appends the action's entry with decision d in a transaction of its own, and returns result: the
// action's outcome, with the entry's number on a 403. If the entry cannot be written, the action fails closed.
func (x *act) record(ctx context.Context, d policy.Decision, result error) error {
	var seq uint64
	if aerr := x.s.store.Update(store.AppendOnly(ctx), func(tx store.Tx) error {
		var err error
		seq, err = x.append(tx, d)
		return err
	}); aerr != nil {
		x.s.log.ErrorContext(ctx, "audit append failed", "action", x.action, "error", aerr)
		return cleared.Unavailablef("the audit log cannot record this action: nothing was done or shown")
	}
	x.observed(d)
	// A 403 names the entry that records it; a hidden refusal must look like a missing object, so names none.
	var f *cleared.ErrForbidden
	if errors.As(result, &f) {
		withSeq := *f
		withSeq.AuditSeq = seq
		return &withSeq
	}
	return result
}

// appendNaming appends the entry of decision d in tx and, if refusal is a 403, names that entry in it: for actions
// that record their refusals in their own transaction (a failed sign-in counts towards the lock-out with its entry).
func (x *act) appendNaming(tx store.Tx, d policy.Decision, refusal error) error {
	seq, err := x.append(tx, d)
	if err != nil {
		return err
	}
	var f *cleared.ErrForbidden
	if errors.As(refusal, &f) {
		f.AuditSeq = seq
	}
	return nil
}

// observed tells the service's observer (metrics) of a decision whose entry is committed.
func (x *act) observed(d policy.Decision) {
	if x.s.observe != nil {
		x.s.observe(x.action, d.Allowed, d.Rule)
	}
}

// deny records the policy's refusal of the action on object and returns its error: *cleared.ErrForbidden, or
// cleared.ErrNotFound for a hidden object.
func (x *act) deny(object string, d policy.Decision) error {
	x.object, x.refusal = object, &d
	x.s.log.Info("refused", "action", x.action, "actor", x.actor.Person, "terminal", x.actor.Terminal,
		"object", object, "rule", d.Rule, "reason", d.Reason, "hidden", d.Hidden)
	return d.Err()
}

// hide refuses as if object did not exist: the answer to a missing object and to one the actor may not know must
// be the same, in the reply, in the log and in the time it takes (both append an entry).
func (x *act) hide(object string) error {
	return x.deny(object, policy.Decision{Rule: "A9.1", Reason: "no such object, or not the actor's to know", Hidden: true})
}

// append writes the action's entry with decision d in tx and returns its sequence number.
func (x *act) append(tx store.Tx, d policy.Decision) (uint64, error) {
	payload := []byte("{}")
	if x.payload != nil || !d.Allowed {
		v := x.payload
		if !d.Allowed {
			v = map[string]string{"reason": d.Reason}
		}
		b, err := json.Marshal(v)
		if err != nil {
			return 0, fmt.Errorf("audit payload: %w", err)
		}
		payload = b
	}
	e := audit.Entry{Time: x.now, Actor: x.actor.Person, Terminal: x.actor.Terminal, Action: x.action, Object: x.object,
		Allowed: d.Allowed, Rule: d.Rule}
	if d.Allowed {
		e.Rule = ""
	}
	r, err := audit.Append(tx, e, payload)
	if err != nil {
		if errors.Is(err, cleared.ErrUnavailable) {
			return 0, err
		}
		return 0, cleared.Unavailablef("audit log: %v", err)
	}
	x.s.appended.n.Add(1)
	return r.Seq, nil
}
