package store

import (
	"time"

	"github.com/cleared/cleared"
)

// CopyRequestQuery selects copy requests: those on Piece, those RequestedBy, those of Status (each if set), oldest
// first, at most Limit.
type CopyRequestQuery struct {
	Piece       cleared.PieceID
	RequestedBy cleared.PersonID
	Status      cleared.CopyRequestStatus
	Limit       int
}

// Copies holds the copies of classified pieces and the requests for their originator's consent (Art. 9 al. 4,
// A9.4).
type Copies interface {
	CreateCopyRequest(r cleared.CopyRequest) error
	CopyRequest(id cleared.CopyRequestID) (cleared.CopyRequest, error)
	// UpdateCopyRequest stores r's decision and use (status, decided_*, note, until, used); ErrNotFound if there
	// is no such request.
	UpdateCopyRequest(r cleared.CopyRequest) error
	// CopyRequests answers q; see CopyRequestQuery.
	CopyRequests(q CopyRequestQuery) ([]cleared.CopyRequest, error)
	// CreateCopy stores c; ErrConflict if its ID, or its number for the piece, exists.
	CreateCopy(c cleared.Copy) error
	Copy(id cleared.CopyID) (cleared.Copy, error)
	// PieceCopies lists the copies of a piece, destroyed ones included, by number.
	PieceCopies(piece cleared.PieceID) ([]cleared.Copy, error)
	// HeldCopies lists the copies not destroyed that organisation org holds (holder empty) or that holder holds, by
	// piece and number.
	HeldCopies(org cleared.OrganisationID, holder cleared.PersonID) ([]cleared.Copy, error)
	// MarkCopyDestroyed records the copy's destruction at t by person by; ErrConflict if it is already destroyed.
	MarkCopyDestroyed(id cleared.CopyID, at time.Time, by cleared.PersonID) error
}
