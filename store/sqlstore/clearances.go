package sqlstore

import (
	"strconv"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// clearanceCodec seals the rows of clearances.
var clearanceCodec = codec[cleared.Clearance]{table: "clearances",
	key: func(c cleared.Clearance) string { return string(c.ID) },
	row: func(c cleared.Clearance) ([]any, error) {
		return []any{string(c.ID), string(c.HolderKind), null(c.PersonID), null(c.OrganisationID), int64(c.Level),
			ns(c.Issued), ns(c.Expires), string(c.Status), string(c.Source), c.Reference, string(c.RecordedBy),
			ns(c.Recorded)}, nil
	}}

// CreateClearance stores c; ErrConflict if its ID exists, ErrInvalid if its holder does not.
func (tx *Tx) CreateClearance(c cleared.Clearance) error {
	err := checkTimes(c.Issued, c.Expires, c.Recorded)
	var args []any
	if err == nil {
		args, err = sealRow(tx, clearanceCodec, c)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO clearances (`+clearanceColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create clearance %s", c.ID)
	}
	return nil
}

// clearanceColumns are the columns scanClearance reads, and the MAC.
const clearanceColumns = `id, holder_kind, person_id, organisation_id, level, issued, expires, status, source,
	reference, recorded_by, recorded, mac`

func scanClearance(s scanner) (cleared.Clearance, error) {
	var c cleared.Clearance
	err := s.Scan(&c.ID, &c.HolderKind, opt(&c.PersonID), opt(&c.OrganisationID), &c.Level, ts(&c.Issued),
		ts(&c.Expires), &c.Status, &c.Source, &c.Reference, &c.RecordedBy, ts(&c.Recorded))
	return c, err
}

// Clearance returns the clearance with the given ID; ErrNotFound if there is none.
func (tx *Tx) Clearance(id cleared.ClearanceID) (cleared.Clearance, error) {
	c, err := get(tx, checked(tx, clearanceCodec, scanClearance), `SELECT `+clearanceColumns+` FROM clearances WHERE id = $1`, id)
	if err != nil {
		return cleared.Clearance{}, tx.notFound(err, "clearance", id)
	}
	return c, nil
}

// PersonClearances lists every clearance of a person, whatever its status, oldest first.
func (tx *Tx) PersonClearances(person cleared.PersonID) ([]cleared.Clearance, error) {
	cs, err := list(tx, checked(tx, clearanceCodec, scanClearance), `
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
	cs, err := list(tx, checked(tx, clearanceCodec, scanClearance), `
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
	c, err := tx.Clearance(id)
	if err != nil {
		return err
	}
	c.Status = s
	mac, err := macOf(tx, clearanceCodec, c)
	if err == nil {
		_, err = tx.exec(`UPDATE clearances SET status = $2, mac = $3 WHERE id = $1`, id, s, mac)
	}
	if err != nil {
		return tx.errorf(err, "set status of clearance %s", id)
	}
	return nil
}

// ExpiringClearances answers q (A17.1): active person clearances whose expiry, the earlier of the recorded one
// and Art. 17's, falls in [q.From, q.By), and that no later clearance of the same person replaced.
//
// The expiry the law sets is not a column: five years after issue for TRES SECRET, ten for the others. The query
// keeps a clearance when the recorded expiry is before q.By or its issue is before q.By less five or ten years;
// the earlier expiry is never after the recorded one, so a recorded expiry before q.From excludes it. (An issue on
// 29 February expires on 1 March by Art. 17 and may be returned when q.By falls on that day: policy.Agenda decides
// to the nanosecond.) For organisations, the persons are found through persons_organisation and their clearances
// through clearances_person; for All, the clearances are read whole (a register of thousands of rows).
func (tx *Tx) ExpiringClearances(q store.ExpiryQuery) ([]cleared.Clearance, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	if err := checkTimeSet("expiry", q.From); err != nil {
		return nil, tx.errorf(err, "list expiring clearances")
	}
	if err := checkTimeSet("expiry", q.By); err != nil {
		return nil, tx.errorf(err, "list expiring clearances")
	}
	if !q.All && len(q.Organisations) == 0 {
		return nil, nil
	}
	// A17.1: the issue dates whose Art. 17 expiry may fall before q.By.
	topSecretBefore, otherBefore := q.By.AddDate(-5, 0, 0), q.By.AddDate(-10, 0, 0)
	if err := checkTimes(topSecretBefore, otherBefore); err != nil {
		return nil, tx.errorf(err, "list expiring clearances")
	}
	query := `
		SELECT c.id, c.holder_kind, c.person_id, c.organisation_id, c.level, c.issued, c.expires, c.status, c.source,
			c.reference, c.recorded_by, c.recorded, c.mac FROM clearances c
		WHERE c.holder_kind = $1 AND c.status = $2 AND c.expires >= $3
			AND (c.expires < $4 OR c.issued < $5 OR (c.level = $6 AND c.issued < $7))
			AND NOT EXISTS (SELECT 1 FROM clearances n WHERE n.person_id = c.person_id AND n.issued > c.issued)`
	args := []any{cleared.HolderPerson, cleared.ClearanceActive, q.From.UnixNano(), q.By.UnixNano(),
		otherBefore.UnixNano(), int(cleared.TopSecret), topSecretBefore.UnixNano()}
	if !q.All {
		var in []string
		for _, o := range q.Organisations {
			args = append(args, o)
			in = append(in, "$"+strconv.Itoa(len(args)))
		}
		query += ` AND c.person_id IN (SELECT id FROM persons WHERE organisation_id IN (` + strings.Join(in, ", ") + `))`
	}
	args = append(args, q.Limit)
	query += ` ORDER BY c.expires, c.id LIMIT $` + strconv.Itoa(len(args))
	cs, err := list(tx, checked(tx, clearanceCodec, scanClearance), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list expiring clearances")
	}
	return cs, nil
}
