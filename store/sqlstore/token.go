package sqlstore

import (
	"time"

	"github.com/cleared/cleared"
)

// CreateToken stores k; ErrConflict if its ID or hash exists, ErrInvalid if its person or terminal does not.
func (tx *Tx) CreateToken(k cleared.Token) error {
	err := checkTimes(k.Created, k.Expires, k.Revoked)
	var scopes string
	if err == nil {
		scopes, err = joinList("scopes", k.Scopes)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO tokens (id, person_id, terminal_id, label, hash, created, expires, revoked, scopes)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			k.ID, k.PersonID, null(k.Terminal), k.Label, k.Hash, ns(k.Created), ns(k.Expires), ns(k.Revoked), scopes)
	}
	if err != nil {
		return tx.errorf(err, "create token %s", k.ID)
	}
	return nil
}

const tokenColumns = `id, person_id, terminal_id, label, hash, created, expires, revoked, scopes`

func scanToken(s scanner) (cleared.Token, error) {
	var k cleared.Token
	var scopes string
	err := s.Scan(&k.ID, &k.PersonID, opt(&k.Terminal), &k.Label, &k.Hash, ts(&k.Created), ts(&k.Expires),
		ts(&k.Revoked), &scopes)
	k.Scopes = splitList[cleared.Scope](scopes)
	return k, err
}

// PersonTokens lists a person's tokens, ended ones included, newest first.
func (tx *Tx) PersonTokens(p cleared.PersonID) ([]cleared.Token, error) {
	ks, err := list(tx, scanToken, `
		SELECT `+tokenColumns+` FROM tokens WHERE person_id = $1 ORDER BY created DESC, id DESC LIMIT 500`, p)
	if err != nil {
		return nil, tx.errorf(err, "list tokens of person %s", p)
	}
	return ks, nil
}

// Token returns the token with the given ID; ErrNotFound if there is none.
func (tx *Tx) Token(id cleared.TokenID) (cleared.Token, error) {
	k, err := get(tx, scanToken, `SELECT `+tokenColumns+` FROM tokens WHERE id = $1`, id)
	if err != nil {
		return k, tx.notFound(err, "token", id)
	}
	return k, nil
}

// TokenByHash finds a token by the SHA-256 of its secret, revoked or expired ones included; ErrNotFound if there is
// none. The hash is not repeated in messages.
func (tx *Tx) TokenByHash(hash []byte) (cleared.Token, error) {
	k, err := get(tx, scanToken, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash)
	if err != nil {
		return cleared.Token{}, tx.notFound(err, "token", "with this secret")
	}
	return k, nil
}

// RevokeToken ends a token at t; ErrNotFound if there is no such token, ErrConflict if it is already revoked.
func (tx *Tx) RevokeToken(id cleared.TokenID, at time.Time) error {
	if err := checkTimeSet("revocation", at); err != nil {
		return tx.errorf(err, "revoke token %s", id)
	}
	ok, err := tx.execOne(`UPDATE tokens SET revoked = $2 WHERE id = $1 AND revoked IS NULL`, id, ns(at))
	if err != nil {
		return tx.errorf(err, "revoke token %s", id)
	}
	if ok {
		return nil
	}
	return tx.absentOrDone("tokens", "id", "token", id, "is already revoked")
}
