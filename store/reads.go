package store

import "github.com/cleared/cleared"

// RegisterReads lists the registers read whole, by ID (grants, clearances, delegations: the caller filters them by
// policy), and keeps the history of dossiers' levels (A4.2).
type RegisterReads interface {
	// GrantList lists grants by ID, revoked and expired ones included (A9.1).
	GrantList(p Page) ([]cleared.Grant, error)
	// ClearanceList lists clearances by ID, whatever their status (A16.1).
	ClearanceList(p Page) ([]cleared.Clearance, error)
	// DelegationList lists delegations of the power to classify by ID (A5.1).
	DelegationList(p Page) ([]cleared.Delegation, error)
	// AddDossierLevel appends c to its dossier's level history; ErrConflict if the dossier has an entry with
	// its Seq, ErrInvalid if the dossier does not exist.
	AddDossierLevel(c cleared.DossierLevelChange) error
	// DossierLevels lists a dossier's level history, oldest first (by Seq).
	DossierLevels(id cleared.DossierID) ([]cleared.DossierLevelChange, error)
}
