package sqlstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/cleared/cleared"
)

// lawRow is a row of law_parameters as stored.
type lawRow struct {
	version  int
	from     time.Time
	document string
	by       cleared.PersonID
	at       time.Time
}

// lawCodec seals the rows of law_parameters; their key is the version number.
var lawCodec = codec[lawRow]{table: "law_parameters",
	key: func(r lawRow) string { return strconv.Itoa(r.version) },
	row: func(r lawRow) ([]any, error) {
		return []any{int64(r.version), ns(r.from), r.document, string(r.by), ns(r.at)}, nil
	}}

const lawColumns = `version, valid_from, document, created_by, created, mac`

func scanLawRow(s scanner) (lawRow, error) {
	var r lawRow
	err := s.Scan(&r.version, ts(&r.from), &r.document, &r.by, ts(&r.at))
	return r, err
}

func decodeLaw(r lawRow) (cleared.LawParameters, error) {
	var l cleared.LawParameters
	if err := json.Unmarshal([]byte(r.document), &l); err != nil {
		return l, fmt.Errorf("law parameters version %d: %w", r.version, err)
	}
	l.Version, l.ValidFrom = r.version, r.from
	return l, nil
}

// PutLaw stores a new version of the law's parameters; ErrConflict if the version exists.
func (tx *Tx) PutLaw(l cleared.LawParameters, by cleared.PersonID, at time.Time) error {
	l.ValidFrom = l.ValidFrom.UTC()
	doc, err := json.Marshal(l)
	if err == nil {
		err = checkTimes(l.ValidFrom, at)
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, lawCodec, lawRow{version: l.Version, from: l.ValidFrom, document: string(doc), by: by, at: at})
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO law_parameters (`+lawColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "put law parameters version %d", l.Version)
	}
	return nil
}

type lawRead struct {
	l   cleared.LawParameters
	err error
}

func (tx *Tx) readLaws() ([]lawRead, error) {
	return list(tx, func(s scanner) (lawRead, error) {
		r, err := checked(tx, lawCodec, scanLawRow)(s)
		if isTampered(err) {
			return lawRead{err: err}, nil
		}
		if err != nil {
			return lawRead{}, err
		}
		l, err := decodeLaw(r)
		return lawRead{l: l, err: err}, nil
	}, `SELECT `+lawColumns+` FROM law_parameters ORDER BY version`)
}

// Law returns the version in force at t: the highest version whose ValidFrom is not after t; ErrNotFound if none
// is yet. As for the equivalence table, every version is checked, so that a newer row that fails its seal fails
// the read rather than let an older version apply.
func (tx *Tx) Law(at time.Time) (cleared.LawParameters, error) {
	if err := checkTimeSet("law parameters", at); err != nil {
		return cleared.LawParameters{}, tx.errorf(err, "read law parameters")
	}
	ls, err := tx.LawVersions()
	if err != nil {
		return cleared.LawParameters{}, err
	}
	for i := len(ls) - 1; i >= 0; i-- {
		if !ls[i].ValidFrom.After(at) {
			return ls[i], nil
		}
	}
	return cleared.LawParameters{}, cleared.NotFoundf("law parameters in force at %v not found", at.UTC().Format(time.RFC3339))
}

// LawVersions lists every version, oldest first. A row that fails its seal fails the list.
func (tx *Tx) LawVersions() ([]cleared.LawParameters, error) {
	rows, err := tx.readLaws()
	if err != nil {
		return nil, tx.errorf(err, "list law parameters")
	}
	out := make([]cleared.LawParameters, 0, len(rows))
	for _, r := range rows {
		if r.err != nil {
			return nil, tx.errorf(r.err, "list law parameters")
		}
		out = append(out, r.l)
	}
	return out, nil
}
