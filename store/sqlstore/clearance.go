package sqlstore

import (
	"github.com/cleared/cleared"
)

// CreateClearance stores c; ErrConflict if its ID exists, ErrInvalid if its holder does not.
func (tx *Tx) CreateClearance(c cleared.Clearance) error {
	err := checkTimes(c.Issued, c.Expires, c.Recorded)
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO clearances (id, holder_kind, person_id, organisation_id, level, issued, expires, status,
				source, reference, recorded_by, recorded)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			c.ID, c.HolderKind, null(c.PersonID), null(c.OrganisationID), int(c.Level), ns(c.Issued), ns(c.Expires),
			c.Status, c.Source, c.Reference, c.RecordedBy, ns(c.Recorded))
	}
	if err != nil {
		return tx.errorf(err, "create clearance %s", c.ID)
	}
	return nil
}

const clearanceColumns = `id, holder_kind, person_id, organisation_id, level, issued, expires, status, source,
	reference, recorded_by, recorded`

func scanClearance(s scanner) (cleared.Clearance, error) {
	var c cleared.Clearance
	err := s.Scan(&c.ID, &c.HolderKind, opt(&c.PersonID), opt(&c.OrganisationID), &c.Level, ts(&c.Issued),
		ts(&c.Expires), &c.Status, &c.Source, &c.Reference, &c.RecordedBy, ts(&c.Recorded))
	return c, err
}

// Clearance returns the clearance with the given ID; ErrNotFound if there is none.
func (tx *Tx) Clearance(id cleared.ClearanceID) (cleared.Clearance, error) {
	c, err := get(tx, scanClearance, `SELECT `+clearanceColumns+` FROM clearances WHERE id = $1`, id)
	if err != nil {
		return cleared.Clearance{}, tx.notFound(err, "clearance", id)
	}
	return c, nil
}

// PersonClearances lists every clearance of a person, whatever its status, oldest first.
func (tx *Tx) PersonClearances(person cleared.PersonID) ([]cleared.Clearance, error) {
	cs, err := list(tx, scanClearance, `
		SELECT `+clearanceColumns+` FROM clearances
		WHERE person_id = $1 ORDER BY issued, id`,
		person)
	if err != nil {
		return nil, tx.errorf(err, "list clearances of %s", person)
	}
	return cs, nil
}

// FacilityClearances lists every clearance of a legal entity, oldest first.
func (tx *Tx) FacilityClearances(org cleared.OrganisationID) ([]cleared.Clearance, error) {
	cs, err := list(tx, scanClearance, `
		SELECT `+clearanceColumns+` FROM clearances
		WHERE organisation_id = $1 ORDER BY issued, id`,
		org)
	if err != nil {
		return nil, tx.errorf(err, "list clearances of %s", org)
	}
	return cs, nil
}

// SetClearanceStatus changes a clearance's status; ErrNotFound if there is no such clearance.
func (tx *Tx) SetClearanceStatus(id cleared.ClearanceID, s cleared.ClearanceStatus) error {
	ok, err := tx.execOne(`UPDATE clearances SET status = $2 WHERE id = $1`, id, s)
	if err != nil {
		return tx.errorf(err, "set status of clearance %s", id)
	}
	if !ok {
		return cleared.NotFoundf("clearance %s not found", id)
	}
	return nil
}
