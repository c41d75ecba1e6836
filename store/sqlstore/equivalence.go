package sqlstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cleared/cleared"
)

// PutEquivalence stores a new version of the equivalence table (A6.1); ErrConflict if the version exists. The
// schemes are stored as JSON, levels written by name ("SECRET").
func (tx *Tx) PutEquivalence(t cleared.EquivalenceTable, by cleared.PersonID, at time.Time) error {
	schemes, err := json.Marshal(t.Schemes)
	if err == nil {
		err = checkTimes(t.ValidFrom, at)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO equivalence_tables (version, valid_from, note, schemes, created_by, created)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			t.Version, ns(t.ValidFrom), t.Note, string(schemes), by, ns(at))
	}
	if err != nil {
		return tx.errorf(err, "put equivalence table version %d", t.Version)
	}
	return nil
}

const equivalenceColumns = `version, valid_from, note, schemes`

func scanEquivalence(s scanner) (cleared.EquivalenceTable, error) {
	var (
		t       cleared.EquivalenceTable
		schemes string
	)
	if err := s.Scan(&t.Version, ts(&t.ValidFrom), &t.Note, &schemes); err != nil {
		return t, err
	}
	if err := json.Unmarshal([]byte(schemes), &t.Schemes); err != nil {
		return t, fmt.Errorf("equivalence table version %d: %w", t.Version, err)
	}
	return t, nil
}

// Equivalence returns the version in force at t (A6.1): the highest version whose ValidFrom is not after t;
// ErrNotFound if no version is yet in force.
func (tx *Tx) Equivalence(at time.Time) (cleared.EquivalenceTable, error) {
	if err := checkTimeSet("equivalence", at); err != nil {
		return cleared.EquivalenceTable{}, tx.errorf(err, "read equivalence table")
	}
	t, err := get(tx, scanEquivalence, `
		SELECT `+equivalenceColumns+` FROM equivalence_tables
		WHERE valid_from <= $1 ORDER BY version DESC LIMIT 1`,
		at.UnixNano())
	if err != nil {
		return cleared.EquivalenceTable{}, tx.notFound(err, "equivalence table in force at", at.UTC().Format(time.RFC3339))
	}
	return t, nil
}

// EquivalenceVersions lists every version, oldest first.
func (tx *Tx) EquivalenceVersions() ([]cleared.EquivalenceTable, error) {
	ts, err := list(tx, scanEquivalence, `SELECT `+equivalenceColumns+` FROM equivalence_tables ORDER BY version`)
	if err != nil {
		return nil, tx.errorf(err, "list equivalence tables")
	}
	return ts, nil
}
