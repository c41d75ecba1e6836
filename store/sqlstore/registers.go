package sqlstore

import (
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// organisationCodec seals the rows of organisations.
var organisationCodec = codec[cleared.Organisation]{table: "organisations",
	key: func(o cleared.Organisation) string { return string(o.ID) },
	row: func(o cleared.Organisation) ([]any, error) {
		return []any{string(o.ID), o.Name, string(o.Kind), o.Country, ns(o.Created)}, nil
	}}

// CreateOrganisation stores o; ErrConflict if its ID exists.
func (tx *Tx) CreateOrganisation(o cleared.Organisation) error {
	err := checkTimes(o.Created)
	var args []any
	if err == nil {
		args, err = sealRow(tx, organisationCodec, o)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO organisations (`+organisationColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create organisation %s", o.ID)
	}
	return nil
}

// organisationColumns are the columns scanOrganisation reads, and the MAC.
const organisationColumns = `id, name, kind, country, created, mac`

func scanOrganisation(s scanner) (cleared.Organisation, error) {
	var o cleared.Organisation
	err := s.Scan(&o.ID, &o.Name, &o.Kind, &o.Country, ts(&o.Created))
	return o, err
}

// Organisation returns the organisation with the given ID; ErrNotFound if there is none.
func (tx *Tx) Organisation(id cleared.OrganisationID) (cleared.Organisation, error) {
	o, err := get(tx, checked(tx, organisationCodec, scanOrganisation), `SELECT `+organisationColumns+` FROM organisations WHERE id = $1`, id)
	if err != nil {
		return cleared.Organisation{}, tx.notFound(err, "organisation", id)
	}
	return o, nil
}

// Organisations lists organisations by ID.
func (tx *Tx) Organisations(p store.Page) ([]cleared.Organisation, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	os, err := list(tx, checked(tx, organisationCodec, scanOrganisation), `
		SELECT `+organisationColumns+` FROM organisations
		WHERE id > $1 ORDER BY id LIMIT $2`,
		p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list organisations")
	}
	return os, nil
}

// personCodec seals the rows of persons: their roles among them.
var personCodec = codec[cleared.Person]{table: "persons",
	key: func(p cleared.Person) string { return string(p.ID) },
	row: func(p cleared.Person) ([]any, error) {
		roles, err := joinList("roles", p.Roles)
		if err != nil {
			return nil, err
		}
		return []any{string(p.ID), string(p.OrganisationID), p.Name, p.Email, bit(p.GovernmentMember), roles,
			ns(p.Created)}, nil
	}}

// CreatePerson stores p; ErrConflict if its ID exists, ErrInvalid if its organisation does not.
func (tx *Tx) CreatePerson(p cleared.Person) error {
	err := checkTimes(p.Created)
	var args []any
	if err == nil {
		args, err = sealRow(tx, personCodec, p)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO persons (`+personColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create person %s", p.ID)
	}
	return nil
}

// personColumns are the columns scanPerson reads, and the MAC.
const personColumns = `id, organisation_id, name, email, government_member, roles, created, mac`

func scanPerson(s scanner) (cleared.Person, error) {
	var p cleared.Person
	var roles string
	err := s.Scan(&p.ID, &p.OrganisationID, &p.Name, &p.Email, &p.GovernmentMember, &roles, ts(&p.Created))
	p.Roles = splitList[cleared.Role](roles)
	return p, err
}

// Person returns the person with the given ID; ErrNotFound if there is none.
func (tx *Tx) Person(id cleared.PersonID) (cleared.Person, error) {
	p, err := get(tx, checked(tx, personCodec, scanPerson), `SELECT `+personColumns+` FROM persons WHERE id = $1`, id)
	if err != nil {
		return cleared.Person{}, tx.notFound(err, "person", id)
	}
	return p, nil
}

// Persons lists persons by ID.
func (tx *Tx) Persons(p store.Page) ([]cleared.Person, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	ps, err := list(tx, checked(tx, personCodec, scanPerson), `
		SELECT `+personColumns+` FROM persons
		WHERE id > $1 ORDER BY id LIMIT $2`,
		p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list persons")
	}
	return ps, nil
}

// CountPersons counts every person.
func (tx *Tx) CountPersons() (int, error) {
	n, err := get(tx, scanInt, `SELECT count(*) FROM persons`)
	if err != nil {
		return 0, tx.errorf(err, "count persons")
	}
	return int(n), nil
}

// officerCodec seals the rows of security_officers; their key is organisation, person and start.
var officerCodec = codec[cleared.SecurityOfficer]{table: "security_officers",
	key: func(o cleared.SecurityOfficer) string {
		return string(o.OrganisationID) + "/" + string(o.PersonID) + "/" + o.Since.UTC().Format(time.RFC3339Nano)
	},
	row: func(o cleared.SecurityOfficer) ([]any, error) {
		return []any{string(o.OrganisationID), string(o.PersonID), string(o.DesignatedBy), ns(o.Since),
			ns(o.Until)}, nil
	}}

// CreateSecurityOfficer stores a designation; ErrConflict if the person is already an officer of the organisation
// since the same time.
func (tx *Tx) CreateSecurityOfficer(o cleared.SecurityOfficer) error {
	err := checkTimes(o.Since, o.Until)
	var args []any
	if err == nil {
		args, err = sealRow(tx, officerCodec, o)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO security_officers (`+officerColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create security officer %s of %s", o.PersonID, o.OrganisationID)
	}
	return nil
}

// officerColumns are the columns scanOfficer reads, and the MAC.
const officerColumns = `organisation_id, person_id, designated_by, since, until, mac`

func scanOfficer(s scanner) (cleared.SecurityOfficer, error) {
	var o cleared.SecurityOfficer
	err := s.Scan(&o.OrganisationID, &o.PersonID, &o.DesignatedBy, ts(&o.Since), ts(&o.Until))
	return o, err
}

// SecurityOfficers lists the officers of an organisation, past and present, oldest designation first.
func (tx *Tx) SecurityOfficers(org cleared.OrganisationID) ([]cleared.SecurityOfficer, error) {
	os, err := list(tx, checked(tx, officerCodec, scanOfficer), `
		SELECT `+officerColumns+` FROM security_officers
		WHERE organisation_id = $1 ORDER BY since, person_id`,
		org)
	if err != nil {
		return nil, tx.errorf(err, "list security officers of %s", org)
	}
	return os, nil
}

// OfficerDesignations lists the organisations a person is or was security officer of, oldest first.
func (tx *Tx) OfficerDesignations(person cleared.PersonID) ([]cleared.SecurityOfficer, error) {
	os, err := list(tx, checked(tx, officerCodec, scanOfficer), `
		SELECT `+officerColumns+` FROM security_officers
		WHERE person_id = $1 ORDER BY since, organisation_id`,
		person)
	if err != nil {
		return nil, tx.errorf(err, "list designations of %s", person)
	}
	return os, nil
}
