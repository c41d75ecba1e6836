package sqlstore

import (
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// authorityCodec seals the rows of authorities.
var authorityCodec = codec[cleared.ClassifyingAuthority]{table: "authorities",
	key: func(a cleared.ClassifyingAuthority) string { return string(a.ID) },
	row: func(a cleared.ClassifyingAuthority) ([]any, error) {
		return []any{string(a.ID), string(a.PersonID), string(a.Kind), a.Title, ns(a.From), ns(a.Until),
			null(a.Successor), ns(a.Created), string(a.CreatedBy), string(a.OrgID)}, nil
	}}

// CreateAuthority stores a; ErrConflict if its ID exists, ErrInvalid if its person, organisation or successor
// does not.
func (tx *Tx) CreateAuthority(a cleared.ClassifyingAuthority) error {
	err := checkTimes(a.From, a.Until, a.Created)
	var args []any
	if err == nil {
		args, err = sealRow(tx, authorityCodec, a)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO authorities (`+authorityColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create authority %s", a.ID)
	}
	return nil
}

// authorityColumns are the columns scanAuthority reads, and the MAC.
const authorityColumns = `id, person_id, kind, title, valid_from, valid_until, successor, created, created_by,
	organisation_id, mac`

func scanAuthority(s scanner) (cleared.ClassifyingAuthority, error) {
	var a cleared.ClassifyingAuthority
	err := s.Scan(&a.ID, &a.PersonID, &a.Kind, &a.Title, ts(&a.From), ts(&a.Until), opt(&a.Successor),
		ts(&a.Created), &a.CreatedBy, &a.OrgID)
	return a, err
}

// Authority returns the authority with the given ID; ErrNotFound if there is none.
func (tx *Tx) Authority(id cleared.AuthorityID) (cleared.ClassifyingAuthority, error) {
	a, err := get(tx, checked(tx, authorityCodec, scanAuthority), `SELECT `+authorityColumns+` FROM authorities WHERE id = $1`, id)
	if err != nil {
		return cleared.ClassifyingAuthority{}, tx.notFound(err, "authority", id)
	}
	return a, nil
}

// PersonAuthorities lists the authorities a person holds or held, oldest term first.
func (tx *Tx) PersonAuthorities(person cleared.PersonID) ([]cleared.ClassifyingAuthority, error) {
	as, err := list(tx, checked(tx, authorityCodec, scanAuthority), `
		SELECT `+authorityColumns+` FROM authorities
		WHERE person_id = $1 ORDER BY valid_from, id`,
		person)
	if err != nil {
		return nil, tx.errorf(err, "list authorities of %s", person)
	}
	return as, nil
}

// Authorities lists authorities by ID.
func (tx *Tx) Authorities(p store.Page) ([]cleared.ClassifyingAuthority, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	as, err := list(tx, checked(tx, authorityCodec, scanAuthority), `
		SELECT `+authorityColumns+` FROM authorities
		WHERE id > $1 ORDER BY id LIMIT $2`,
		p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list authorities")
	}
	return as, nil
}

// SetAuthoritySuccessor ends an authority's term at until and names its successor (A5.2); ErrNotFound if there is
// no such authority, ErrInvalid if the successor does not exist or until is zero.
func (tx *Tx) SetAuthoritySuccessor(id, successor cleared.AuthorityID, until time.Time) error {
	if err := checkTimeSet("end of term", until); err != nil {
		return tx.errorf(err, "set successor of authority %s", id)
	}
	a, err := tx.Authority(id)
	if err != nil {
		return err
	}
	a.Successor, a.Until = successor, until
	mac, err := macOf(tx, authorityCodec, a)
	if err == nil {
		_, err = tx.exec(`UPDATE authorities SET successor = $2, valid_until = $3, mac = $4 WHERE id = $1`,
			id, successor, ns(until), mac)
	}
	if err != nil {
		return tx.errorf(err, "set successor of authority %s", id)
	}
	return nil
}

// delegationCodec seals the rows of delegations.
var delegationCodec = codec[cleared.Delegation]{table: "delegations",
	key: func(d cleared.Delegation) string { return string(d.ID) },
	row: func(d cleared.Delegation) ([]any, error) {
		return []any{string(d.ID), string(d.Delegate), string(d.Principal), ns(d.From), ns(d.Until), d.Reference,
			string(d.GrantedBy), ns(d.Created)}, nil
	}}

// CreateDelegation stores d; ErrConflict if its ID exists, ErrInvalid if either authority does not.
func (tx *Tx) CreateDelegation(d cleared.Delegation) error {
	err := checkTimes(d.From, d.Until, d.Created)
	var args []any
	if err == nil {
		args, err = sealRow(tx, delegationCodec, d)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO delegations (`+delegationColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create delegation %s", d.ID)
	}
	return nil
}

// delegationColumns are the columns scanDelegation reads, and the MAC.
const delegationColumns = `id, delegate, principal, valid_from, valid_until, reference, granted_by, created, mac`

func scanDelegation(s scanner) (cleared.Delegation, error) {
	var d cleared.Delegation
	err := s.Scan(&d.ID, &d.Delegate, &d.Principal, ts(&d.From), ts(&d.Until), &d.Reference, &d.GrantedBy,
		ts(&d.Created))
	return d, err
}

// Delegation returns the delegation with the given ID; ErrNotFound if there is none.
func (tx *Tx) Delegation(id cleared.DelegationID) (cleared.Delegation, error) {
	d, err := get(tx, checked(tx, delegationCodec, scanDelegation), `SELECT `+delegationColumns+` FROM delegations WHERE id = $1`, id)
	if err != nil {
		return cleared.Delegation{}, tx.notFound(err, "delegation", id)
	}
	return d, nil
}

// Delegations lists the delegations given to a delegate authority, oldest first.
func (tx *Tx) Delegations(delegate cleared.AuthorityID) ([]cleared.Delegation, error) {
	ds, err := list(tx, checked(tx, delegationCodec, scanDelegation), `
		SELECT `+delegationColumns+` FROM delegations
		WHERE delegate = $1 ORDER BY valid_from, id`,
		delegate)
	if err != nil {
		return nil, tx.errorf(err, "list delegations to %s", delegate)
	}
	return ds, nil
}
