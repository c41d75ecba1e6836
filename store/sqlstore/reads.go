package sqlstore

import (
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// GrantList lists grants by ID, after p.After, at most p.Limit of them.
func (tx *Tx) GrantList(p store.Page) ([]cleared.Grant, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	gs, err := list(tx, checked(tx, grantCodec, scanGrant), `
		SELECT `+grantColumns+` FROM grants WHERE id > $1 ORDER BY id LIMIT $2`, p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list grants")
	}
	return gs, nil
}

// ClearanceList lists clearances by ID, after p.After, at most p.Limit of them.
func (tx *Tx) ClearanceList(p store.Page) ([]cleared.Clearance, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	cs, err := list(tx, checked(tx, clearanceCodec, scanClearance), `
		SELECT `+clearanceColumns+` FROM clearances WHERE id > $1 ORDER BY id LIMIT $2`, p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list clearances")
	}
	return cs, nil
}

// DelegationList lists delegations by ID, after p.After, at most p.Limit of them.
func (tx *Tx) DelegationList(p store.Page) ([]cleared.Delegation, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	ds, err := list(tx, checked(tx, delegationCodec, scanDelegation), `
		SELECT `+delegationColumns+` FROM delegations WHERE id > $1 ORDER BY id LIMIT $2`, p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list delegations")
	}
	return ds, nil
}

// dossierLevelCodec seals the rows of dossier_levels: a forged history could hide a raise (A4.2). The key is the
// dossier and the entry's number.
var dossierLevelCodec = codec[cleared.DossierLevelChange]{table: "dossier_levels",
	key: func(c cleared.DossierLevelChange) string { return string(c.Dossier) + "/" + strconv.Itoa(c.Seq) },
	row: func(c cleared.DossierLevelChange) ([]any, error) {
		return []any{string(c.Dossier), int64(c.Seq), string(c.Cause), int64(c.From), int64(c.To), null(c.Piece),
			null(c.Authority), c.Reason, string(c.By), ns(c.At)}, nil
	}}

const dossierLevelColumns = `dossier_id, seq, cause, from_level, to_level, piece_id, authority_id, reason, by_person, at`

func scanDossierLevel(s scanner) (cleared.DossierLevelChange, error) {
	var c cleared.DossierLevelChange
	err := s.Scan(&c.Dossier, &c.Seq, &c.Cause, &c.From, &c.To, opt(&c.Piece), opt(&c.Authority), &c.Reason, &c.By, ts(&c.At))
	return c, err
}

// AddDossierLevel appends c to its dossier's level history.
func (tx *Tx) AddDossierLevel(c cleared.DossierLevelChange) error {
	err := checkTimes(c.At)
	if err == nil && (c.Seq < 1 || !c.From.Valid() || !c.To.Valid()) {
		err = cleared.Invalidf("a level history entry has a positive number and valid levels")
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, dossierLevelCodec, c)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO dossier_levels (`+dossierLevelColumns+`, mac)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "add level of dossier %s", c.Dossier)
	}
	return nil
}

// DossierLevels lists a dossier's level history, oldest first; a row that fails its seal is left out.
func (tx *Tx) DossierLevels(id cleared.DossierID) ([]cleared.DossierLevelChange, error) {
	cs, err := list(tx, checked(tx, dossierLevelCodec, scanDossierLevel), `
		SELECT `+dossierLevelColumns+`, mac FROM dossier_levels WHERE dossier_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, tx.errorf(err, "list levels of dossier %s", id)
	}
	return cs, nil
}
