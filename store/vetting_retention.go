package store

import (
	"time"

	"github.com/cleared/cleared"
)

// VettingRetention is the retention record of a case (A23.2): the NSA's hold, with its reason sealed under the
// case's data key (keyring.SealRecord, slot RetentionHoldSlot), its review date, who recorded it and when; and
// the date the case's personal data was purged (zero if not).
type VettingRetention struct {
	Case       cleared.VettingCaseID
	HoldReason []byte
	HoldReview time.Time
	HeldBy     cleared.PersonID
	Held       time.Time
	Purged     time.Time
}

// RetentionHoldSlot is the keyring slot a hold's reason is sealed in.
const RetentionHoldSlot = "retention-hold"

// RetentionQuery selects the closed cases not purged that may be due for erasure at At (the store narrows, policy
// decides): those closed negatively (refused, refused for non-cooperation, withdrawn) at or before NegativeBy,
// and those granted at or before ActivityBy whose person holds no assignment that ends after ActivityBy or not at
// all; either without a hold or with one whose review date is at or before At; by closing, at most Limit.
type RetentionQuery struct {
	NegativeBy time.Time
	ActivityBy time.Time
	At         time.Time
	Limit      int
}

// VettingRetentions holds the retention of vetting cases' personal data (Art. 23 al. 2; A23.2): the NSA's holds,
// the scan for the cases due, and the purge: the fourth chapter of package vetting.
type VettingRetentions interface {
	// PutVettingHold records the hold of r (its case, reason, review date, who and when), replacing any before;
	// ErrInvalid if the case does not exist or a field is missing, ErrConflict if the case was purged.
	PutVettingHold(r VettingRetention) error
	// VettingRetention returns the retention record of case id; ErrNotFound if it was neither held nor purged.
	VettingRetention(id cleared.VettingCaseID) (VettingRetention, error)
	// VettingRetentions lists the records of purged cases if purged, else those of cases held and not purged; by
	// date (the review's, the purge's), at most limit.
	VettingRetentions(purged bool, limit int) ([]VettingRetention, error)
	// RetentionCandidates answers q; see RetentionQuery.
	RetentionCandidates(q RetentionQuery) ([]cleared.VettingCase, error)
	// PurgeVettingCase erases the personal data of case id at at (A23.2): the rows of every table of case data,
	// its wrapped data key (what was sealed under it can no longer be opened), what of it the case's row keeps in
	// clear (a follow-up's trigger, a foreign reference), a hold's reason, and the payloads of the audit entries
	// about the case (their markers say reason), whose sequence numbers it returns in order: the caller records
	// each erasure in the log (audit.ActionErasePayload), or the log no longer verifies. The case stays with its
	// stage and dates, marked purged. ErrNotFound if there is no such case, ErrConflict if it was purged already.
	PurgeVettingCase(id cleared.VettingCaseID, at time.Time, reason string) ([]uint64, error)
}
