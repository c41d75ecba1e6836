package sqlstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/cleared/cleared"
)

// equivalenceRow is a row of equivalence_tables as stored: the schemes as the JSON text written, so that the MAC
// covers the very bytes the table is read from.
type equivalenceRow struct {
	t       cleared.EquivalenceTable
	schemes string
	by      cleared.PersonID
	at      time.Time
}

// equivalenceCodec seals the rows of equivalence_tables; their key is the version number.
var equivalenceCodec = codec[equivalenceRow]{table: "equivalence_tables",
	key: func(r equivalenceRow) string { return strconv.Itoa(r.t.Version) },
	row: func(r equivalenceRow) ([]any, error) {
		return []any{int64(r.t.Version), ns(r.t.ValidFrom), r.t.Note, r.schemes, string(r.by), ns(r.at)}, nil
	}}

// PutEquivalence stores a new version of the equivalence table (A6.1); ErrConflict if the version exists. The
// schemes are stored as JSON, levels written by name ("SECRET").
func (tx *Tx) PutEquivalence(t cleared.EquivalenceTable, by cleared.PersonID, at time.Time) error {
	schemes, err := json.Marshal(t.Schemes)
	if err == nil {
		err = checkTimes(t.ValidFrom, at)
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, equivalenceCodec, equivalenceRow{t: t, schemes: string(schemes), by: by, at: at})
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO equivalence_tables (`+equivalenceColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "put equivalence table version %d", t.Version)
	}
	return nil
}

// equivalenceColumns are the columns scanEquivalenceRow reads, and the MAC.
const equivalenceColumns = `version, valid_from, note, schemes, created_by, created, mac`

func scanEquivalenceRow(s scanner) (equivalenceRow, error) {
	var r equivalenceRow
	err := s.Scan(&r.t.Version, ts(&r.t.ValidFrom), &r.t.Note, &r.schemes, &r.by, ts(&r.at))
	return r, err
}

// scanEquivalence reads a row, checks it and decodes its schemes.
func (tx *Tx) scanEquivalence(s scanner) (cleared.EquivalenceTable, error) {
	r, err := checked(tx, equivalenceCodec, scanEquivalenceRow)(s)
	if err != nil {
		return r.t, err
	}
	if err := json.Unmarshal([]byte(r.schemes), &r.t.Schemes); err != nil {
		return r.t, fmt.Errorf("equivalence table version %d: %w", r.t.Version, err)
	}
	return r.t, nil
}

// Equivalence returns the version in force at t (A6.1): the highest version whose ValidFrom is not after t;
// ErrNotFound if no version is yet in force.
//
// Every version is read and checked, newest first, down to the one in force: a newer version whose row fails its
// seal (its start moved into the future, say) must not let an older table apply in its place, so the read fails
// (store.TamperedError) rather than fall back. The table holds a handful of versions.
func (tx *Tx) Equivalence(at time.Time) (cleared.EquivalenceTable, error) {
	if err := checkTimeSet("equivalence", at); err != nil {
		return cleared.EquivalenceTable{}, tx.errorf(err, "read equivalence table")
	}
	type read struct {
		t   cleared.EquivalenceTable
		err error
	}
	rows, err := list(tx, func(s scanner) (read, error) {
		t, err := tx.scanEquivalence(s)
		if isTampered(err) {
			return read{err: err}, nil // kept, to stop at it below
		}
		return read{t: t}, err
	}, `SELECT `+equivalenceColumns+` FROM equivalence_tables ORDER BY version DESC`)
	if err != nil {
		return cleared.EquivalenceTable{}, tx.errorf(err, "read equivalence table")
	}
	for _, r := range rows {
		if r.err != nil {
			return cleared.EquivalenceTable{}, tx.errorf(r.err, "read equivalence table")
		}
		if !r.t.ValidFrom.After(at) {
			return r.t, nil
		}
	}
	return cleared.EquivalenceTable{}, cleared.NotFoundf("equivalence table in force at %v not found", at.UTC().Format(time.RFC3339))
}

// EquivalenceVersions lists every version, oldest first.
func (tx *Tx) EquivalenceVersions() ([]cleared.EquivalenceTable, error) {
	ts, err := list(tx, tx.scanEquivalence, `SELECT `+equivalenceColumns+` FROM equivalence_tables ORDER BY version`)
	if err != nil {
		return nil, tx.errorf(err, "list equivalence tables")
	}
	return ts, nil
}
