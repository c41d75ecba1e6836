package sqlstore

import (
	"time"

	"github.com/cleared/cleared"
)

// CreateToken stores k; ErrConflict if its ID or hash exists, ErrInvalid if its person or terminal does not.
func (tx *Tx) CreateToken(k cleared.Token) error {
	err := checkTimes(k.Created, k.Expires, k.Revoked)
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO tokens (id, person_id, terminal_id, label, hash, created, expires, revoked)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			k.ID, k.PersonID, null(k.Terminal), k.Label, k.Hash, ns(k.Created), ns(k.Expires), ns(k.Revoked))
	}
	if err != nil {
		return tx.errorf(err, "create token %s", k.ID)
	}
	return nil
}

// TokenByHash finds a token by the SHA-256 of its secret, revoked or expired ones included; ErrNotFound if there is
// none. The hash is not repeated in messages.
func (tx *Tx) TokenByHash(hash []byte) (cleared.Token, error) {
	k, err := get(tx, func(s scanner) (cleared.Token, error) {
		var k cleared.Token
		err := s.Scan(&k.ID, &k.PersonID, opt(&k.Terminal), &k.Label, &k.Hash, ts(&k.Created), ts(&k.Expires),
			ts(&k.Revoked))
		return k, err
	}, `
		SELECT id, person_id, terminal_id, label, hash, created, expires, revoked
		FROM tokens WHERE hash = $1`,
		hash)
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
