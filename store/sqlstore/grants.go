package sqlstore

import (
	"time"

	"github.com/cleared/cleared"
)

// grantCodec seals the rows of grants.
var grantCodec = codec[cleared.Grant]{table: "grants",
	key: func(g cleared.Grant) string { return string(g.ID) },
	row: func(g cleared.Grant) ([]any, error) {
		return []any{string(g.ID), string(g.PersonID), null(g.Piece), null(g.Dossier), ns(g.From), ns(g.Until),
			g.Reason, string(g.GrantedBy), ns(g.Created), ns(g.Revoked)}, nil
	}}

// CreateGrant stores g; ErrConflict if its ID exists, ErrInvalid if it names both or neither of a piece and a
// dossier, or a person, piece or dossier that does not exist.
func (tx *Tx) CreateGrant(g cleared.Grant) error {
	err := checkTimes(g.From, g.Until, g.Created, g.Revoked)
	var args []any
	if err == nil {
		args, err = sealRow(tx, grantCodec, g)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO grants (`+grantColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create grant %s", g.ID)
	}
	return nil
}

// grantColumns are the columns scanGrant reads, and the MAC.
const grantColumns = `id, person_id, piece_id, dossier_id, valid_from, valid_until, reason, granted_by, created,
	revoked, mac`

func scanGrant(s scanner) (cleared.Grant, error) {
	var g cleared.Grant
	err := s.Scan(&g.ID, &g.PersonID, opt(&g.Piece), opt(&g.Dossier), ts(&g.From), ts(&g.Until), &g.Reason,
		&g.GrantedBy, ts(&g.Created), ts(&g.Revoked))
	return g, err
}

// Grant returns the grant with the given ID; ErrNotFound if there is none.
func (tx *Tx) Grant(id cleared.GrantID) (cleared.Grant, error) {
	g, err := get(tx, checked(tx, grantCodec, scanGrant), `SELECT `+grantColumns+` FROM grants WHERE id = $1`, id)
	if err != nil {
		return cleared.Grant{}, tx.notFound(err, "grant", id)
	}
	return g, nil
}

// PersonGrants lists the grants of a person active at t (A9.1), as Grant.ActiveAt decides, oldest first.
func (tx *Tx) PersonGrants(person cleared.PersonID, at time.Time) ([]cleared.Grant, error) {
	if err := checkTimeSet("grant", at); err != nil {
		return nil, tx.errorf(err, "list grants of %s", person)
	}
	gs, err := list(tx, checked(tx, grantCodec, scanGrant), `
		SELECT `+grantColumns+` FROM grants
		WHERE person_id = $1 AND valid_from <= $2 AND $2 < valid_until AND (revoked IS NULL OR $2 < revoked)
		ORDER BY valid_from, id`,
		person, at.UnixNano())
	if err != nil {
		return nil, tx.errorf(err, "list grants of %s", person)
	}
	return gs, nil
}

// PieceGrants lists every grant on a piece, active or not, oldest first. Grants on the piece's dossier are not
// included.
func (tx *Tx) PieceGrants(id cleared.PieceID) ([]cleared.Grant, error) {
	gs, err := list(tx, checked(tx, grantCodec, scanGrant), `
		SELECT `+grantColumns+` FROM grants
		WHERE piece_id = $1 ORDER BY valid_from, id`,
		id)
	if err != nil {
		return nil, tx.errorf(err, "list grants on %s", id)
	}
	return gs, nil
}

// RevokeGrant ends a grant at t; ErrNotFound if there is no such grant, ErrConflict if it is already revoked.
func (tx *Tx) RevokeGrant(id cleared.GrantID, at time.Time) error {
	if err := checkTimeSet("revocation", at); err != nil {
		return tx.errorf(err, "revoke grant %s", id)
	}
	g, err := tx.Grant(id)
	if err != nil {
		return err
	}
	if !g.Revoked.IsZero() {
		return cleared.Conflictf("grant %v is already revoked", id)
	}
	g.Revoked = at
	mac, err := macOf(tx, grantCodec, g)
	if err == nil {
		_, err = tx.exec(`UPDATE grants SET revoked = $2, mac = $3 WHERE id = $1`, id, ns(at), mac)
	}
	if err != nil {
		return tx.errorf(err, "revoke grant %s", id)
	}
	return nil
}
