package vetting

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Retention (Art. 23 al. 2; A23.2): a case's personal data is destroyed six months after a refusal (a refusal for
// non-cooperation and a withdrawal too) and five years after the person stops the activity needing access
// (policy.RetentionDue), unless an NSA officer records why the reasons for collecting it are still current, with
// the date it is reviewed again. The purge, run daily by the server and by `cleared purge`, deletes the case's
// rows of personal data, erases its wrapped data key (whatever was sealed under it, anywhere, can no longer be
// opened: crypto-shredding, as for a destroyed piece, A10.1), blanks what the case's record held in clear, and
// erases the payloads of the audit entries about the case; the case stays with its stage and dates, purged.

// Limits of the retention jobs.
const (
	// maxPurgeBatch bounds the cases one transaction purges; Purge runs batches until none is due.
	maxPurgeBatch = 200
	// maxRetentionScan bounds the cases one scan decides on; the next run takes the rest.
	maxRetentionScan = 100000
	// maxRetentionList bounds each list of the retention page.
	maxRetentionList = 200
)

// Hold is the input of HoldCase: why the reasons for collecting the case's data are still current, and when the
// NSA reviews that again.
type Hold struct {
	Reason string    `json:"reason"`
	Review time.Time `json:"review"`
}

// RetentionCase is a case as the retention page shows it: its record (the person's ID, stage and dates), when its
// data is due for erasure, the hold if any with its reason, the purge's date if purged.
type RetentionCase struct {
	cleared.VettingCase
	Due        time.Time        `json:"due,omitzero"`
	HoldReason string           `json:"hold_reason,omitempty"`
	HoldReview time.Time        `json:"hold_review,omitzero"`
	HeldBy     cleared.PersonID `json:"held_by,omitempty"`
	Held       time.Time        `json:"held,omitzero"`
	Purged     time.Time        `json:"purged,omitzero"`
}

// RetentionView is the NSA's retention page: the cases due now, those held, those purged.
type RetentionView struct {
	Due    []RetentionCase `json:"due"`
	Held   []RetentionCase `json:"held"`
	Purged []RetentionCase `json:"purged"`
}

// PurgeReport says what a purge erased, or with DryRun what it would erase.
type PurgeReport struct {
	DryRun bool            `json:"dry_run"`
	Cases  []RetentionCase `json:"cases"`
}

// retentionFacts loads what the retention of case c is decided on.
func retentionFacts(tx store.Tx, c cleared.VettingCase) (policy.RetentionFacts, store.VettingRetention, error) {
	f := policy.RetentionFacts{Case: c}
	r, err := tx.VettingRetention(c.ID)
	switch {
	case err == nil:
		f.HoldReview, f.Purged = r.HoldReview, r.Purged
	case !errors.Is(err, cleared.ErrNotFound):
		return f, r, err
	}
	if c.Stage == cleared.StageGranted {
		if f.Assignments, err = tx.Assignments(store.AssignmentQuery{Person: c.PersonID, Limit: maxListLimit}); err != nil {
			return f, r, err
		}
		if f.Clearances, err = tx.PersonClearances(c.PersonID); err != nil {
			return f, r, err
		}
	}
	return f, r, nil
}

// dueCases lists the cases whose data is due for erasure at now, at most limit: the store narrows by stage,
// closing date, activity and hold; policy.PurgeDue decides each.
func dueCases(tx store.Tx, now time.Time, limit int) ([]RetentionCase, error) {
	cs, err := tx.RetentionCandidates(store.RetentionQuery{
		NegativeBy: now.AddDate(0, -policy.RetainNegativeMonths, 0),
		ActivityBy: now.AddDate(-policy.RetainActivityYears, 0, 0),
		At:         now, Limit: maxRetentionScan})
	if err != nil {
		return nil, err
	}
	var out []RetentionCase
	for _, c := range cs {
		f, r, err := retentionFacts(tx, c)
		if err != nil {
			return nil, err
		}
		if !policy.PurgeDue(f, now) {
			continue
		}
		due, _ := policy.RetentionDue(f, now)
		out = append(out, RetentionCase{VettingCase: c, Due: due, HoldReview: r.HoldReview, HeldBy: r.HeldBy, Held: r.Held})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

// HoldCase records, by an NSA officer, why the reasons for collecting the data of closed case id are still
// current, and the date that is reviewed again (A23.2): the data is not purged before it. The reason is sealed
// under the case's key and audited (the audit entry is about the case: a purge erases it with the rest).
// ErrNotFound for a case the actor may not know; refused A23.2 for anyone but a cleared NSA officer, for an open
// or purged case, a review date not after now or beyond policy.MaxHoldYears.
func (s *Service) HoldCase(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, in Hold) (rc RetentionCase, err error) {
	defer cleared.Wrap(&err, "hold vetting case's data")
	if err := id.Validate(); err != nil {
		return rc, err
	}
	if err := cleared.CheckText("reason", in.Reason, 1, maxAnswer); err != nil {
		return rc, fmt.Errorf("%w (A23.2: the NSA records why the reasons for collecting the data are still current)", err)
	}
	if in.Review.IsZero() {
		return rc, cleared.Invalidf("review: the date the hold is reviewed again is required (A23.2)")
	}
	review := in.Review.UTC().Truncate(time.Microsecond)
	now := s.clock()
	err = s.run.Do(ctx, a, act.VettingRetentionHold, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, _, err := loadCase(tx, x, w, id)
		if err != nil {
			return err
		}
		cs, err := tx.PersonClearances(w.me.ID)
		if err != nil {
			return err
		}
		f, _, err := retentionFacts(tx, c)
		if err != nil {
			return err
		}
		if d := policy.RetentionHold(w.me, cs, f, review, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		k, err := tx.VettingCaseKey(id)
		if err != nil {
			return err
		}
		sealed, err := s.ring.SealRecord(string(id), keyring.DataKey{KEK: k.KEK, Wrapped: k.Wrapped}, store.RetentionHoldSlot, []byte(in.Reason))
		if err != nil {
			return err
		}
		x.Payload = map[string]any{"case": id, "reason": in.Reason, "review": review}
		if err := tx.PutVettingHold(store.VettingRetention{Case: id, HoldReason: sealed, HoldReview: review, HeldBy: w.me.ID, Held: now}); err != nil {
			return err
		}
		f.HoldReview = review
		due, _ := policy.RetentionDue(f, now)
		rc = RetentionCase{VettingCase: c, Due: due, HoldReason: in.Reason, HoldReview: review, HeldBy: w.me.ID, Held: now}
		return nil
	})
	return rc, err
}

// Retention is the NSA's retention page (A23.2): the cases whose data is due for erasure now, those held with
// their reasons and review dates, and those purged. Refused A23.2 to anyone but a cleared NSA officer.
func (s *Service) Retention(ctx context.Context, a cleared.Actor) (v RetentionView, err error) {
	defer cleared.Wrap(&err, "read retention")
	now := s.clock()
	err = s.run.Read(ctx, a, act.VettingRetentionList, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		cs, err := tx.PersonClearances(w.me.ID)
		if err != nil {
			return err
		}
		if d := policy.SeeRetention(w.me, cs, now); !d.Allowed {
			return x.Deny("", d)
		}
		v = RetentionView{Due: []RetentionCase{}, Held: []RetentionCase{}, Purged: []RetentionCase{}}
		if v.Due, err = dueCases(tx, now, maxRetentionList); err != nil {
			return err
		}
		if v.Due == nil {
			v.Due = []RetentionCase{}
		}
		held, err := tx.VettingRetentions(false, maxRetentionList)
		if err != nil {
			return err
		}
		for _, r := range held {
			rc, err := s.retentionCase(tx, r, now)
			if err != nil {
				return err
			}
			v.Held = append(v.Held, rc)
		}
		purged, err := tx.VettingRetentions(true, maxRetentionList)
		if err != nil {
			return err
		}
		for _, r := range purged {
			c, err := tx.VettingCase(r.Case)
			if err != nil {
				return err
			}
			v.Purged = append(v.Purged, RetentionCase{VettingCase: c, Purged: r.Purged})
		}
		return nil
	})
	return v, err
}

// retentionCase is held record r's case with its reason opened and its due date.
func (s *Service) retentionCase(tx store.Tx, r store.VettingRetention, now time.Time) (RetentionCase, error) {
	c, err := tx.VettingCase(r.Case)
	if err != nil {
		return RetentionCase{}, err
	}
	k, err := tx.VettingCaseKey(c.ID)
	if err != nil {
		return RetentionCase{}, err
	}
	reason, err := s.ring.OpenRecord(string(c.ID), keyring.DataKey{KEK: k.KEK, Wrapped: k.Wrapped}, store.RetentionHoldSlot, r.HoldReason)
	if err != nil {
		return RetentionCase{}, err
	}
	f, _, err := retentionFacts(tx, c)
	if err != nil {
		return RetentionCase{}, err
	}
	due, _ := policy.RetentionDue(f, now)
	return RetentionCase{VettingCase: c, Due: due, HoldReason: string(reason), HoldReview: r.HoldReview, HeldBy: r.HeldBy, Held: r.Held}, nil
}

// recordErasures appends, for each audit entry whose payload a purge erased, the entry that records the erasure
// with its time and reason, as audit.Verify requires of every erased payload (audit.ActionErasePayload).
func (s *Service) recordErasures(tx store.Tx, seqs []uint64, reason string, now time.Time) error {
	for _, seq := range seqs {
		e := s.run.Act(cleared.Actor{}, act.AuditErasePayload, now)
		e.Payload = map[string]any{"seq": seq, "reason": reason}
		if _, err := e.Append(tx, policy.Allow); err != nil {
			return err
		}
	}
	return nil
}

// Purge erases the personal data of every case due at now (A23.2; see the top of this file), in transactions of
// at most maxPurgeBatch cases, each with its audit entry naming the cases purged (IDs and stages only). With
// dryRun it lists what it would erase and writes nothing, not even an audit entry: a dry run changes nothing, and
// whoever runs it holds the data folder already. A run with nothing due writes nothing either. The server runs
// it daily, `cleared purge` on demand.
func (s *Service) Purge(ctx context.Context, dryRun bool) (rep PurgeReport, err error) {
	defer cleared.Wrap(&err, "purge vetting cases' data")
	now := s.clock()
	rep = PurgeReport{DryRun: dryRun, Cases: []RetentionCase{}}
	if dryRun {
		err = s.store.View(ctx, func(tx store.Tx) error {
			due, err := dueCases(tx, now, maxRetentionScan)
			rep.Cases = append(rep.Cases, due...)
			return err
		})
		return rep, err
	}
	for {
		var due []RetentionCase
		err := s.store.View(ctx, func(tx store.Tx) error {
			due, err = dueCases(tx, now, 1)
			return err
		})
		if err != nil || len(due) == 0 {
			return rep, err
		}
		var batch []RetentionCase
		err = s.run.Do(ctx, cleared.Actor{}, act.VettingRetentionPurge, now, func(tx store.Tx, x *act.Act) error {
			batch = nil
			due, err := dueCases(tx, now, maxPurgeBatch)
			if err != nil {
				return err
			}
			type purged struct {
				Case  cleared.VettingCaseID `json:"case"`
				Stage cleared.CaseStage     `json:"stage"`
				Due   time.Time             `json:"due"`
			}
			var done []purged
			for _, c := range due {
				reason := fmt.Sprintf("A23.2: data of vetting case %s (%s) erased, due %s", c.ID, c.Stage, c.Due.Format(time.DateOnly))
				seqs, err := tx.PurgeVettingCase(c.ID, now, reason)
				if err != nil {
					return err
				}
				if err := s.recordErasures(tx, seqs, reason, now); err != nil {
					return err
				}
				c.Purged = now
				batch = append(batch, c)
				done = append(done, purged{Case: c.ID, Stage: c.Stage, Due: c.Due})
			}
			x.Payload = map[string]any{"purged": done}
			return nil
		})
		if err != nil {
			return rep, err
		}
		rep.Cases = append(rep.Cases, batch...)
		if len(batch) < maxPurgeBatch {
			return rep, nil
		}
	}
}
