package store

import (
	"time"

	"github.com/cleared/cleared"
)

// EquivalenceTables holds the versions of the table of equivalence with foreign and international levels (A6.1).
type EquivalenceTables interface {
	// PutEquivalence stores a new version of the equivalence table (A6.1); ErrConflict if the version exists.
	PutEquivalence(t cleared.EquivalenceTable, by cleared.PersonID, at time.Time) error
	// Equivalence returns the version in force at t: the highest version whose ValidFrom is not after t.
	Equivalence(at time.Time) (cleared.EquivalenceTable, error)
	// EquivalenceVersions lists every version, oldest first.
	EquivalenceVersions() ([]cleared.EquivalenceTable, error)
}
