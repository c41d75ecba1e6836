package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Investigator is an NSA officer's assignment to a case (A24.1): from Assigned until Ended (zero while he is on
// the case), with who assigned him and who ended it.
type Investigator struct {
	Case       cleared.VettingCaseID
	Person     cleared.PersonID
	AssignedBy cleared.PersonID
	Assigned   time.Time
	Ended      time.Time
	EndedBy    cleared.PersonID
}

// On reports whether the assignment is current.
func (i Investigator) On() bool { return i.Ended.IsZero() }

// SealedRecord is a record of a case's investigation sealed under the case's data key (keyring.SealRecord, with
// Slot as the record's slot): the store sees its ID, its case, when and by whom it was written, never its content
// (A23.1, A24.1).
type SealedRecord struct {
	ID         string
	Case       cleared.VettingCaseID
	Ciphertext []byte
	Written    time.Time
	By         cleared.PersonID
}

// Investigations holds the investigation of the vetting cases (A15.2, A21.1, A24.1, A25.3, A28.1): the officers
// on each case, its items, its requests to and from foreign services, its report and the person's request to see
// his file, each but the assignments sealed under the case's data key. The third chapter of package vetting.
type Investigations interface {
	// AddInvestigator assigns an officer to a case; ErrConflict if he is on it already, ErrInvalid if the case or
	// the person does not exist.
	AddInvestigator(i Investigator) error
	// EndInvestigator ends the current assignment of person to case c at t, by by; ErrNotFound if there is none.
	EndInvestigator(c cleared.VettingCaseID, person cleared.PersonID, t time.Time, by cleared.PersonID) error
	// Investigators lists the assignments of case c, past ones included, by time.
	Investigators(c cleared.VettingCaseID) ([]Investigator, error)
	// AddInvestigationItem stores an item; ErrConflict if its ID exists, ErrInvalid if the case does not.
	AddInvestigationItem(r SealedRecord) error
	// InvestigationItems lists the items of case c, by time and ID.
	InvestigationItems(c cleared.VettingCaseID) ([]SealedRecord, error)
	// PutCooperationRequest stores a request to or from a foreign service, or replaces the sealed content and the
	// time of the one of that ID and case (its answer recorded); ErrInvalid if the case does not exist,
	// ErrNotFound if the ID is of another case.
	PutCooperationRequest(r SealedRecord) error
	// CooperationRequests lists the requests of case c, by ID's first writing.
	CooperationRequests(c cleared.VettingCaseID) ([]SealedRecord, error)
	// AddInvestigationReport stores the report of case r.Case (its ID is ignored); ErrConflict if it has one.
	AddInvestigationReport(r SealedRecord) error
	// InvestigationReport returns the report of case c; ErrNotFound if none is filed.
	InvestigationReport(c cleared.VettingCaseID) (SealedRecord, error)
	// AddFileRequest stores the person's written request to see his file on case r.Case (its ID is ignored);
	// ErrConflict if one is filed.
	AddFileRequest(r SealedRecord) error
	// FileRequest returns the request of case c; ErrNotFound if none is filed.
	FileRequest(c cleared.VettingCaseID) (SealedRecord, error)
	// FileRequests lists the requests filed at or after since, by time, at most limit.
	FileRequests(since time.Time, limit int) ([]SealedRecord, error)
}
