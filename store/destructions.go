package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Destructions holds the records of destruction of pieces (A10.1) and the signatures of their reports (A10.2).
type Destructions interface {
	// CreateDestruction stores d; ErrConflict if its ID exists, ErrInvalid if its piece or destroyer does not.
	CreateDestruction(d cleared.Destruction) error
	// Destruction returns a record by ID; ErrNotFound if there is none.
	Destruction(id cleared.DestructionID) (cleared.Destruction, error)
	// PieceDestructions lists the records of a piece, oldest first.
	PieceDestructions(piece cleared.PieceID) ([]cleared.Destruction, error)
	// PendingDestructions lists the destructions of an organisation's pieces not yet completed, oldest first.
	PendingDestructions(org cleared.OrganisationID) ([]cleared.Destruction, error)
	// CompleteDestruction records that a destruction is complete at t; ErrNotFound if there is none, ErrConflict if
	// it is complete already.
	CompleteDestruction(id cleared.DestructionID, at time.Time) error
	// AddDestructionSignature stores a signature of a destruction's report; ErrConflict if its number exists or
	// its signer signed already, ErrInvalid if the destruction, the signer or the certificate does not exist.
	AddDestructionSignature(s cleared.Signature) error
	// DestructionSignatures lists the signatures of a destruction's report, by number.
	DestructionSignatures(id cleared.DestructionID) ([]cleared.Signature, error)
}
