package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Referral is a case referred by the NSA to the commission (A27.4).
type Referral struct {
	Case     cleared.VettingCaseID
	By       cleared.PersonID
	Referred time.Time
}

// CommissionRequest is a request of the commission as stored: question and answer sealed under the case's data key
// (keyring.SealRecord, records "request-question:<id>" and "request-answer:<id>"), everything else in clear.
type CommissionRequest struct {
	ID         cleared.CommissionRequestID
	Case       cleared.VettingCaseID
	Kind       cleared.RequestKind
	By         cleared.PersonID
	Made       time.Time
	Question   []byte // ciphertext; nil for a request for the file without a note
	AnsweredBy cleared.PersonID
	Answered   time.Time
	Answer     []byte // ciphertext
}

// CommissionRequestQuery selects requests: of Case if set, only requests for information not yet answered if Open;
// by time made, at most Limit.
type CommissionRequestQuery struct {
	Case  cleared.VettingCaseID
	Open  bool
	Limit int
}

// Hearing is a hearing before the commission as stored: summary and observations sealed under the case's data key
// (records "hearing-summary:<id>" and "hearing-observations:<id>").
type Hearing struct {
	ID           cleared.HearingID
	Case         cleared.VettingCaseID
	Heard        cleared.Heard
	Person       cleared.PersonID
	Held         time.Time
	RecordedBy   cleared.PersonID
	Recorded     time.Time
	Summary      []byte // ciphertext
	Observations []byte // ciphertext; nil if none
}

// Commission holds the commission of Art. 27 (A27.2, A27.3, A27.4): its register of seats and the presidency, the
// cases referred to it, its requests to the NSA and its hearings. Seats and referrals decide who may act and on
// what, so their rows are sealed; what requests and hearings say is personal data, sealed under the case's key.
type Commission interface {
	// AddCommissionSeat stores seat m; ErrConflict if its ID exists, ErrInvalid if its person does not exist, its
	// designator is unknown, it has no reference or its term ends before it starts.
	AddCommissionSeat(m cleared.CommissionMember) error
	// UpdateCommissionSeat stores the end of m's term and its presidency; ErrNotFound if there is none.
	UpdateCommissionSeat(m cleared.CommissionMember) error
	// CommissionSeat returns seat id; ErrNotFound if there is none.
	CommissionSeat(id cleared.CommissionSeatID) (cleared.CommissionMember, error)
	// CommissionSeats lists the register, by start of term.
	CommissionSeats() ([]cleared.CommissionMember, error)
	// AddReferral stores r; ErrConflict if the case was referred already, ErrInvalid if it does not exist.
	AddReferral(r Referral) error
	// Referral returns the referral of case id; ErrNotFound if it was not referred.
	Referral(id cleared.VettingCaseID) (Referral, error)
	// OpenReferrals lists the referrals of cases not closed, by time referred, at most limit.
	OpenReferrals(limit int) ([]Referral, error)
	// AddCommissionRequest stores r unanswered; ErrConflict if its ID exists, ErrInvalid if its case does not
	// exist, its kind is unknown or a request for information has no question.
	AddCommissionRequest(r CommissionRequest) error
	// AnswerCommissionRequest stores the answer of r; ErrNotFound if there is none, ErrConflict if it is answered.
	AnswerCommissionRequest(r CommissionRequest) error
	// CommissionRequest returns request id; ErrNotFound if there is none.
	CommissionRequest(id cleared.CommissionRequestID) (CommissionRequest, error)
	// CommissionRequests answers q; see CommissionRequestQuery.
	CommissionRequests(q CommissionRequestQuery) ([]CommissionRequest, error)
	// AddHearing stores h; ErrConflict if its ID exists, ErrInvalid if its case or person does not exist or it has
	// no summary.
	AddHearing(h Hearing) error
	// Hearings lists the hearings of case id, by date held.
	Hearings(id cleared.VettingCaseID) ([]Hearing, error)
}
