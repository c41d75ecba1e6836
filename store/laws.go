package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Laws holds the versions of the law's own parameters (clearance validity, level names), each with its date of
// entry into force.
type Laws interface {
	// PutLaw stores a new version; ErrConflict if the version exists.
	PutLaw(l cleared.LawParameters, by cleared.PersonID, at time.Time) error
	// Law returns the version in force at t: the highest version whose ValidFrom is not after t; ErrNotFound
	// if none is yet. A newer row that fails its seal fails the read.
	Law(at time.Time) (cleared.LawParameters, error)
	// LawVersions lists every version, oldest first.
	LawVersions() ([]cleared.LawParameters, error)
}
