package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Decision is the deciding authority's decision on a case as stored (A27.1): its reasons sealed under the case's
// data key (keyring.SealRecord, record "decision"), its detached CMS signature over the canonical document, and
// its notification once recorded; everything else in clear.
type Decision struct {
	Case        cleared.VettingCaseID
	Outcome     cleared.Outcome
	Level       cleared.Level
	Clearances  []cleared.ClearanceID
	By          cleared.PersonID
	Decided     time.Time
	Reasons     []byte // ciphertext
	Certificate string
	CMS         []byte
	Digest      string
	Notified    time.Time
	NotifiedBy  cleared.PersonID
}

// DecisionQuery selects decisions: of cases of Organisation (the person's organisation), only those not yet
// notified if Unnotified; by decision, at most Limit.
type DecisionQuery struct {
	Organisations []cleared.OrganisationID
	Unnotified    bool
	Limit         int
}

// Suspension is a clearance's suspension as stored (A27.1): its reasons sealed under its own data key (owner
// "<clearance>/<number>", records "suspension" and "lift"), the key wrapped as a case's is.
type Suspension struct {
	Clearance   cleared.ClearanceID
	Number      int
	Previous    cleared.ClearanceStatus
	By          cleared.PersonID
	Suspended   time.Time
	Reasons     []byte // ciphertext
	Key         CaseKey
	Lifted      time.Time
	LiftedBy    cleared.PersonID
	LiftReasons []byte // ciphertext
}

// Decisions holds the deciding authority's decisions (Art. 27, 29; A27.1, A27.2, A29.1), one per case, with the
// appeals against them, and the suspensions of clearances: decisions and suspensions are sealed, since whether the
// person is told, and what a lifted suspension restores, rest on them.
type Decisions interface {
	// AddDecision stores d; ErrConflict if the case has a decision already, ErrInvalid if the case does not exist,
	// the outcome is unknown, or it carries no reasons or no signature.
	AddDecision(d Decision) error
	// CaseDecision returns the decision on case id; ErrNotFound if there is none.
	CaseDecision(id cleared.VettingCaseID) (Decision, error)
	// SetDecisionNotified records the notification of the decision on case id; ErrNotFound if there is none,
	// ErrConflict if it was notified already.
	SetDecisionNotified(id cleared.VettingCaseID, at time.Time, by cleared.PersonID) error
	// Decisions answers q; see DecisionQuery.
	Decisions(q DecisionQuery) ([]Decision, error)
	// AddAppeal stores a with the next number of its case, which it returns; ErrInvalid if the case has no
	// decision.
	AddAppeal(a cleared.Appeal) (int, error)
	// SetAppealOutcome records the outcome of appeal number n of case id; ErrNotFound if there is none,
	// ErrConflict if it has one.
	SetAppealOutcome(id cleared.VettingCaseID, n int, o cleared.AppealOutcome, ruled time.Time, by cleared.PersonID) error
	// CaseAppeals lists the appeals of case id, by number.
	CaseAppeals(id cleared.VettingCaseID) ([]cleared.Appeal, error)
	// AddSuspension stores s with the next number of its clearance, which it returns; ErrInvalid if the clearance
	// does not exist or the reasons or key are missing, ErrConflict if a suspension of it is not lifted.
	AddSuspension(s Suspension) (int, error)
	// LiftSuspension records the lifting of the open suspension of clearance id; ErrNotFound if there is none.
	LiftSuspension(id cleared.ClearanceID, at time.Time, by cleared.PersonID, reasons []byte) error
	// ClearanceSuspensions lists the suspensions of clearance id, by number.
	ClearanceSuspensions(id cleared.ClearanceID) ([]Suspension, error)
}
