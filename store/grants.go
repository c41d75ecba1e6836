package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Grants holds the need-to-know grants on pieces and dossiers (A9.1).
type Grants interface {
	CreateGrant(g cleared.Grant) error
	Grant(id cleared.GrantID) (cleared.Grant, error)
	// PersonGrants lists the grants of a person active at t (A9.1 needs those only).
	PersonGrants(person cleared.PersonID, at time.Time) ([]cleared.Grant, error)
	// PieceGrants lists every grant on a piece, active or not.
	PieceGrants(id cleared.PieceID) ([]cleared.Grant, error)
	RevokeGrant(id cleared.GrantID, at time.Time) error
}
