package sqlstore

import (
	"encoding/json"
	"errors"
	"slices"

	"github.com/cleared/cleared"
)

// facilityOrganCodec seals the rows of facility_organs: the organs listed decide whether a facility clearance may
// be granted (A21.2).
var facilityOrganCodec = codec[cleared.FacilityOrgan]{table: "facility_organs",
	key: func(o cleared.FacilityOrgan) string { return string(o.ID) },
	row: func(o cleared.FacilityOrgan) ([]any, error) {
		return []any{string(o.ID), string(o.Case), string(o.PersonID), string(o.Role), null(o.Clearance),
			null(o.OwnCase), string(o.AddedBy), ns(o.Added)}, nil
	}}

const facilityOrganColumns = `id, case_id, person_id, role, clearance_id, own_case_id, added_by, added, mac`

func scanFacilityOrgan(s scanner) (cleared.FacilityOrgan, error) {
	var o cleared.FacilityOrgan
	err := s.Scan(&o.ID, &o.Case, &o.PersonID, &o.Role, opt(&o.Clearance), opt(&o.OwnCase), &o.AddedBy, ts(&o.Added))
	return o, err
}

// meansBody is the stored form of a facility's means: one JSON document.
type meansBody struct {
	Places  []cleared.MeansPlace   `json:"places"`
	Systems []cleared.MeansSystem  `json:"systems"`
	Storage []cleared.MeansStorage `json:"storage"`
}

func meansJSON(m cleared.FacilityMeans) (string, error) {
	b, err := json.Marshal(meansBody{Places: m.Places, Systems: m.Systems, Storage: m.Storage})
	return string(b), err
}

// facilityMeansCodec seals the rows of facility_means: the means recorded decide whether a facility clearance may
// be granted (A15.1).
var facilityMeansCodec = codec[cleared.FacilityMeans]{table: "facility_means",
	key: func(m cleared.FacilityMeans) string { return string(m.Case) },
	row: func(m cleared.FacilityMeans) ([]any, error) {
		body, err := meansJSON(m)
		if err != nil {
			return nil, err
		}
		return []any{string(m.Case), body, string(m.RecordedBy), ns(m.Recorded)}, nil
	}}

const facilityMeansColumns = `case_id, body, recorded_by, recorded, mac`

func scanFacilityMeans(s scanner) (cleared.FacilityMeans, error) {
	var m cleared.FacilityMeans
	var body string
	if err := s.Scan(&m.Case, &body, &m.RecordedBy, ts(&m.Recorded)); err != nil {
		return m, err
	}
	var b meansBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return m, err
	}
	m.Places, m.Systems, m.Storage = b.Places, b.Systems, b.Storage
	return m, nil
}

// facilityCase refuses, as ErrInvalid, a case that does not exist or is not of a legal entity.
func (tx *Tx) facilityCase(id cleared.VettingCaseID) error {
	c, err := tx.VettingCase(id)
	switch {
	case errors.Is(err, cleared.ErrNotFound):
		return cleared.Invalidf("no vetting case %s", id)
	case err != nil:
		return err
	case !c.Facility():
		return cleared.Invalidf("vetting case %s is not a facility case (A21.2)", id)
	}
	return nil
}

// AddFacilityOrgan stores o; ErrConflict if the case lists that person in that role already, ErrInvalid if the case
// is not a facility case, what o names does not exist, or o names both or neither of a clearance and an own case.
func (tx *Tx) AddFacilityOrgan(o cleared.FacilityOrgan) error {
	err := checkTimes(o.Added)
	switch {
	case err != nil:
	case !o.Role.Valid():
		err = cleared.Invalidf("an organ's role is one of director, manager, auditor, contract_runner, security_officer (A21.2)")
	case (o.Clearance == "") == (o.OwnCase == ""):
		err = cleared.Invalidf("an organ names exactly one of his clearance and his own case (A21.2)")
	default:
		err = tx.facilityCase(o.Case)
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, facilityOrganCodec, o)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO facility_organs (`+facilityOrganColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "add organ %s to %s", o.ID, o.Case)
	}
	return nil
}

// RemoveFacilityOrgan removes organ id of case c; ErrNotFound if the case lists none such.
func (tx *Tx) RemoveFacilityOrgan(c cleared.VettingCaseID, id cleared.FacilityOrganID) error {
	found, err := tx.execOne(`DELETE FROM facility_organs WHERE id = $1 AND case_id = $2`, string(id), string(c))
	if err != nil {
		return tx.errorf(err, "remove organ %s of %s", id, c)
	}
	if !found {
		return cleared.NotFoundf("organ %s of %s not found", id, c)
	}
	return nil
}

// FacilityOrgans lists the organs of case c, by role in the order of Art. 21 al. 2, then by addition. The organs
// are read whole, as one fact: a row that fails its seal fails the read (a *store.TamperedError), rather than be
// left out, for an organ left out could make a case ready that is not (A21.2).
func (tx *Tx) FacilityOrgans(c cleared.VettingCaseID) ([]cleared.FacilityOrgan, error) {
	var tampered error
	scan := checked(tx, facilityOrganCodec, scanFacilityOrgan)
	organs, err := list(tx, func(s scanner) (cleared.FacilityOrgan, error) {
		o, err := scan(s)
		if isTampered(err) && tampered == nil {
			tampered = err
		}
		return o, err
	}, `SELECT `+facilityOrganColumns+` FROM facility_organs WHERE case_id = $1 ORDER BY added, id`, string(c))
	if err != nil {
		return nil, tx.errorf(err, "list organs of %s", c)
	}
	if tampered != nil {
		return nil, tampered
	}
	slices.SortStableFunc(organs, func(a, b cleared.FacilityOrgan) int {
		return slices.Index(cleared.OrganRoles, a.Role) - slices.Index(cleared.OrganRoles, b.Role)
	})
	return organs, nil
}

// PutFacilityMeans stores the means of a facility case, replacing those recorded before; ErrInvalid if the case is
// not a facility case.
func (tx *Tx) PutFacilityMeans(m cleared.FacilityMeans) error {
	err := checkTimes(m.Recorded)
	if err == nil {
		err = tx.facilityCase(m.Case)
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, facilityMeansCodec, m)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO facility_means (`+facilityMeansColumns+`) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (case_id) DO UPDATE SET body = excluded.body, recorded_by = excluded.recorded_by,
			recorded = excluded.recorded, mac = excluded.mac`, args...)
	}
	if err != nil {
		return tx.errorf(err, "put means of %s", m.Case)
	}
	return nil
}

// FacilityMeans returns the means recorded on case c; ErrNotFound if none are.
func (tx *Tx) FacilityMeans(c cleared.VettingCaseID) (cleared.FacilityMeans, error) {
	m, err := get(tx, checked(tx, facilityMeansCodec, scanFacilityMeans), `SELECT `+facilityMeansColumns+` FROM facility_means WHERE case_id = $1`, string(c))
	if err != nil {
		return cleared.FacilityMeans{}, tx.notFound(err, "means of", c)
	}
	return m, nil
}
