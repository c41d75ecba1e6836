package sqlstore

import (
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// blob is b, or NULL when b is empty.
func blob(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// accountCodec seals the rows of accounts: password hash, second factor, lock and disabling among them.
var accountCodec = codec[cleared.Account]{table: "accounts",
	key: func(a cleared.Account) string { return string(a.ID) },
	row: func(a cleared.Account) ([]any, error) {
		return []any{string(a.ID), string(a.PersonID), a.Login, a.PasswordHash, blob(a.TOTP), null(a.TOTPKEK),
			a.TOTPLastStep, a.Failures, ns(a.LockedUntil), null(a.OIDCSubject), ns(a.Created), string(a.CreatedBy),
			ns(a.Disabled)}, nil
	}}

// accountColumns are the columns scanAccount reads, and the MAC.
const accountColumns = `id, person_id, login, password_hash, totp, totp_kek, totp_last_step, failures, locked_until,
	oidc_subject, created, created_by, disabled, mac`

func scanAccount(s scanner) (cleared.Account, error) {
	var a cleared.Account
	err := s.Scan(&a.ID, &a.PersonID, &a.Login, &a.PasswordHash, &a.TOTP, opt(&a.TOTPKEK), &a.TOTPLastStep,
		&a.Failures, ts(&a.LockedUntil), opt(&a.OIDCSubject), ts(&a.Created), &a.CreatedBy, ts(&a.Disabled))
	return a, err
}

// CreateAccount stores a; ErrConflict if its ID, person, login or OIDC subject exists, ErrInvalid if its person
// does not.
func (tx *Tx) CreateAccount(a cleared.Account) error {
	err := checkTimes(a.Created, a.LockedUntil, a.Disabled)
	var args []any
	if err == nil {
		args, err = sealRow(tx, accountCodec, a)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO accounts (`+accountColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create account %s", a.ID)
	}
	return nil
}

// UpdateAccount rewrites what may change in an account: its password, second factor, failures and lock, OIDC
// subject and disabling; ErrNotFound if there is no such account.
func (tx *Tx) UpdateAccount(a cleared.Account) error {
	if err := checkTimes(a.LockedUntil, a.Disabled); err != nil {
		return tx.errorf(err, "update account %s", a.ID)
	}
	// What does not change is taken from the stored row, which must pass its check first.
	cur, err := tx.Account(a.ID)
	if err != nil {
		return err
	}
	cur.PasswordHash, cur.TOTP, cur.TOTPKEK, cur.TOTPLastStep, cur.Failures = a.PasswordHash, a.TOTP, a.TOTPKEK, a.TOTPLastStep, a.Failures
	cur.LockedUntil, cur.OIDCSubject, cur.Disabled = a.LockedUntil, a.OIDCSubject, a.Disabled
	mac, err := macOf(tx, accountCodec, cur)
	if err == nil {
		_, err = tx.exec(`
			UPDATE accounts SET password_hash = $2, totp = $3, totp_kek = $4, totp_last_step = $5, failures = $6,
				locked_until = $7, oidc_subject = $8, disabled = $9, mac = $10
			WHERE id = $1`,
			a.ID, a.PasswordHash, blob(a.TOTP), null(a.TOTPKEK), a.TOTPLastStep, a.Failures, ns(a.LockedUntil),
			null(a.OIDCSubject), ns(a.Disabled), mac)
	}
	if err != nil {
		return tx.errorf(err, "update account %s", a.ID)
	}
	return nil
}

// Account returns the account with the given ID; ErrNotFound if there is none.
func (tx *Tx) Account(id cleared.AccountID) (cleared.Account, error) {
	a, err := get(tx, checked(tx, accountCodec, scanAccount), `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id)
	if err != nil {
		return a, tx.notFound(err, "account", id)
	}
	return a, nil
}

// AccountByLogin returns the account with the given login; ErrNotFound if there is none.
func (tx *Tx) AccountByLogin(login string) (cleared.Account, error) {
	a, err := get(tx, checked(tx, accountCodec, scanAccount), `SELECT `+accountColumns+` FROM accounts WHERE login = $1`, login)
	if err != nil {
		return a, tx.notFound(err, "account", "with this login")
	}
	return a, nil
}

// AccountByPerson returns the account of a person; ErrNotFound if he has none.
func (tx *Tx) AccountByPerson(p cleared.PersonID) (cleared.Account, error) {
	a, err := get(tx, checked(tx, accountCodec, scanAccount), `SELECT `+accountColumns+` FROM accounts WHERE person_id = $1`, p)
	if err != nil {
		return a, tx.notFound(err, "account of person", p)
	}
	return a, nil
}

// AccountByOIDC returns the account mapped to an identity provider's "issuer|subject"; ErrNotFound if none is.
func (tx *Tx) AccountByOIDC(subject string) (cleared.Account, error) {
	a, err := get(tx, checked(tx, accountCodec, scanAccount), `SELECT `+accountColumns+` FROM accounts WHERE oidc_subject = $1`, subject)
	if err != nil {
		return a, tx.notFound(err, "account", "with this identity")
	}
	return a, nil
}

// UseOIDCNonce records the SHA-256 of an accepted ID token's nonce until until, after forgetting those remembered
// until before now; ErrConflict if it is remembered already. The insert skips a duplicate rather than fail on it:
// a failed statement would abort the whole transaction on PostgreSQL, and the caller still has a refusal to
// record in it.
func (tx *Tx) UseOIDCNonce(hash []byte, until, now time.Time) error {
	if len(hash) != 32 {
		return cleared.Invalidf("a nonce is kept as its 32-byte SHA-256, not %d bytes", len(hash))
	}
	if err := checkTimeSet("nonce expiry", until); err != nil {
		return tx.errorf(err, "use nonce")
	}
	if err := checkTimeSet("current", now); err != nil {
		return tx.errorf(err, "use nonce")
	}
	if _, err := tx.exec(`DELETE FROM oidc_nonces WHERE expires < $1`, ns(now)); err != nil {
		return tx.errorf(err, "forget used nonces")
	}
	ok, err := tx.execOne(`INSERT INTO oidc_nonces (hash, expires) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING`,
		hash, ns(until))
	if err != nil {
		return tx.errorf(err, "use nonce")
	}
	if !ok {
		return cleared.Conflictf("this nonce was used already")
	}
	return nil
}

// Accounts lists accounts by ID.
func (tx *Tx) Accounts(p store.Page) ([]cleared.Account, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	as, err := list(tx, checked(tx, accountCodec, scanAccount), `
		SELECT `+accountColumns+` FROM accounts WHERE id > $1 ORDER BY id LIMIT $2`, p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list accounts")
	}
	return as, nil
}

// sessionCodec seals the rows of sessions.
var sessionCodec = codec[cleared.Session]{table: "sessions",
	key: func(x cleared.Session) string { return string(x.ID) },
	row: func(x cleared.Session) ([]any, error) {
		return []any{string(x.ID), string(x.AccountID), string(x.PersonID), x.Hash, null(x.Terminal),
			string(x.Stage), x.Method, x.Remote, ns(x.Created), ns(x.LastSeen), ns(x.Expires), ns(x.Revoked)}, nil
	}}

// sessionColumns are the columns scanSession reads, and the MAC.
const sessionColumns = `id, account_id, person_id, hash, terminal_id, stage, method, remote, created, last_seen,
	expires, revoked, mac`

func scanSession(s scanner) (cleared.Session, error) {
	var x cleared.Session
	err := s.Scan(&x.ID, &x.AccountID, &x.PersonID, &x.Hash, opt(&x.Terminal), &x.Stage, &x.Method, &x.Remote,
		ts(&x.Created), ts(&x.LastSeen), ts(&x.Expires), ts(&x.Revoked))
	return x, err
}

// CreateSession stores x; ErrConflict if its ID or hash exists.
func (tx *Tx) CreateSession(x cleared.Session) error {
	err := checkTimes(x.Created, x.LastSeen, x.Expires, x.Revoked)
	var args []any
	if err == nil {
		args, err = sealRow(tx, sessionCodec, x)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO sessions (`+sessionColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create session %s", x.ID)
	}
	return nil
}

// SessionByHash finds a session by the SHA-256 of its secret, ended ones included; ErrNotFound if there is none.
func (tx *Tx) SessionByHash(hash []byte) (cleared.Session, error) {
	x, err := get(tx, checked(tx, sessionCodec, scanSession), `SELECT `+sessionColumns+` FROM sessions WHERE hash = $1`, hash)
	if err != nil {
		return x, tx.notFound(err, "session", "with this secret")
	}
	return x, nil
}

// UpdateSession rewrites what may change in a session: its stage, second-factor method, last activity and
// revocation; ErrNotFound if there is no such session.
func (tx *Tx) UpdateSession(x cleared.Session) error {
	if err := checkTimes(x.LastSeen, x.Revoked); err != nil {
		return tx.errorf(err, "update session %s", x.ID)
	}
	cur, err := get(tx, checked(tx, sessionCodec, scanSession), `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, x.ID)
	if err != nil {
		return tx.notFound(err, "session", x.ID)
	}
	cur.Stage, cur.Method, cur.LastSeen, cur.Revoked = x.Stage, x.Method, x.LastSeen, x.Revoked
	mac, err := macOf(tx, sessionCodec, cur)
	if err == nil {
		_, err = tx.exec(`
			UPDATE sessions SET stage = $2, method = $3, last_seen = $4, revoked = $5, mac = $6 WHERE id = $1`,
			x.ID, x.Stage, x.Method, ns(x.LastSeen), ns(x.Revoked), mac)
	}
	if err != nil {
		return tx.errorf(err, "update session %s", x.ID)
	}
	return nil
}

// AccountSessions lists an account's sessions that have not ended by t (not revoked, not expired), newest first.
func (tx *Tx) AccountSessions(id cleared.AccountID, t time.Time) ([]cleared.Session, error) {
	xs, err := list(tx, checked(tx, sessionCodec, scanSession), `
		SELECT `+sessionColumns+` FROM sessions
		WHERE account_id = $1 AND revoked IS NULL AND expires > $2 ORDER BY created DESC, id DESC LIMIT 500`,
		id, ns(t))
	if err != nil {
		return nil, tx.errorf(err, "list sessions of account %s", id)
	}
	return xs, nil
}

// webAuthnCodec seals the rows of webauthn_credentials (the public key a security key signs in with); their key
// is the credential's ID, in hex.
var webAuthnCodec = codec[cleared.WebAuthnCredential]{table: "webauthn_credentials",
	key: func(c cleared.WebAuthnCredential) string { return hex.EncodeToString(c.ID) },
	row: func(c cleared.WebAuthnCredential) ([]any, error) {
		return []any{c.ID, string(c.AccountID), c.Name, c.Data, ns(c.Created), ns(c.LastUsed)}, nil
	}}

const webAuthnColumns = `id, account_id, name, data, created, last_used, mac`

func scanWebAuthn(s scanner) (cleared.WebAuthnCredential, error) {
	var c cleared.WebAuthnCredential
	err := s.Scan(&c.ID, &c.AccountID, &c.Name, &c.Data, ts(&c.Created), ts(&c.LastUsed))
	return c, err
}

// CreateWebAuthnCredential stores c; ErrConflict if its ID exists.
func (tx *Tx) CreateWebAuthnCredential(c cleared.WebAuthnCredential) error {
	err := checkTimes(c.Created, c.LastUsed)
	var args []any
	if err == nil {
		args, err = sealRow(tx, webAuthnCodec, c)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO webauthn_credentials (`+webAuthnColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create security key of account %s", c.AccountID)
	}
	return nil
}

// WebAuthnCredentials lists an account's security keys, oldest first.
func (tx *Tx) WebAuthnCredentials(id cleared.AccountID) ([]cleared.WebAuthnCredential, error) {
	cs, err := list(tx, checked(tx, webAuthnCodec, scanWebAuthn), `
		SELECT `+webAuthnColumns+` FROM webauthn_credentials
		WHERE account_id = $1 ORDER BY created, id`,
		id)
	if err != nil {
		return nil, tx.errorf(err, "list security keys of account %s", id)
	}
	return cs, nil
}

// UpdateWebAuthnCredential rewrites a security key's data (its sign counter) and last use; ErrNotFound if there
// is no such key.
func (tx *Tx) UpdateWebAuthnCredential(c cleared.WebAuthnCredential) error {
	if err := checkTimes(c.LastUsed); err != nil {
		return tx.errorf(err, "update security key")
	}
	cur, err := get(tx, checked(tx, webAuthnCodec, scanWebAuthn),
		`SELECT `+webAuthnColumns+` FROM webauthn_credentials WHERE id = $1`, c.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return cleared.NotFoundf("no such security key")
	}
	if err != nil {
		return tx.errorf(err, "update security key")
	}
	cur.Data, cur.LastUsed = c.Data, c.LastUsed
	mac, err := macOf(tx, webAuthnCodec, cur)
	if err == nil {
		_, err = tx.exec(`UPDATE webauthn_credentials SET data = $2, last_used = $3, mac = $4 WHERE id = $1`,
			c.ID, c.Data, ns(c.LastUsed), mac)
	}
	if err != nil {
		return tx.errorf(err, "update security key")
	}
	return nil
}

// DeleteWebAuthnCredential removes one of an account's security keys; ErrNotFound if the account has no such key.
func (tx *Tx) DeleteWebAuthnCredential(account cleared.AccountID, id []byte) error {
	res, err := tx.exec(`DELETE FROM webauthn_credentials WHERE account_id = $1 AND id = $2`, account, id)
	if err != nil {
		return tx.errorf(err, "remove security key")
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return cleared.NotFoundf("no such security key")
	}
	return nil
}

// PutCeremony keeps a security-key ceremony's challenge data under key until expires, replacing any kept under
// it, after forgetting those expired at now.
func (tx *Tx) PutCeremony(key string, data []byte, expires, now time.Time) error {
	if err := errors.Join(checkTimeSet("ceremony expiry", expires), checkTimeSet("current", now)); err != nil {
		return tx.errorf(err, "keep ceremony")
	}
	if _, err := tx.exec(`DELETE FROM webauthn_ceremonies WHERE expires < $1`, ns(now)); err != nil {
		return tx.errorf(err, "forget expired ceremonies")
	}
	_, err := tx.exec(`
		INSERT INTO webauthn_ceremonies (ceremony, data, expires) VALUES ($1, $2, $3)
		ON CONFLICT (ceremony) DO UPDATE SET data = excluded.data, expires = excluded.expires`,
		key, data, ns(expires))
	if err != nil {
		return tx.errorf(err, "keep ceremony")
	}
	return nil
}

// TakeCeremony returns and forgets the data kept under key; ErrNotFound if none is, or it expired at now. Taking
// deletes: of two servers answering the same ceremony, one gets it.
func (tx *Tx) TakeCeremony(key string, now time.Time) ([]byte, error) {
	if err := checkTimeSet("current", now); err != nil {
		return nil, tx.errorf(err, "take ceremony")
	}
	type kept struct {
		data    []byte
		expires int64
	}
	k, err := get(tx, func(s scanner) (kept, error) {
		var k kept
		err := s.Scan(&k.data, &k.expires)
		return k, err
	}, `DELETE FROM webauthn_ceremonies WHERE ceremony = $1 RETURNING data, expires`, key)
	if err != nil {
		return nil, tx.notFound(err, "ceremony", key)
	}
	if k.expires < now.UnixNano() {
		return nil, cleared.NotFoundf("ceremony %s has expired", key)
	}
	return k.data, nil
}

// LockedAccounts lists the accounts locked out at t and not disabled at t, the first to be unlocked first, at most
// limit of them. Accounts are one per person who signs in, so the table is read whole.
func (tx *Tx) LockedAccounts(at time.Time, limit int) ([]cleared.Account, error) {
	if err := checkPage(limit); err != nil {
		return nil, err
	}
	if err := checkTimeSet("lock", at); err != nil {
		return nil, tx.errorf(err, "list locked accounts")
	}
	as, err := list(tx, checked(tx, accountCodec, scanAccount), `
		SELECT `+accountColumns+` FROM accounts
		WHERE locked_until > $1 AND (disabled IS NULL OR disabled > $1)
		ORDER BY locked_until, id LIMIT $2`,
		at.UnixNano(), limit)
	if err != nil {
		return nil, tx.errorf(err, "list locked accounts")
	}
	return as, nil
}

// CreateToken stores k; ErrConflict if its ID or hash exists, ErrInvalid if its person or terminal does not.
func (tx *Tx) CreateToken(k cleared.Token) error {
	err := checkTimes(k.Created, k.Expires, k.Revoked)
	var args []any
	if err == nil {
		args, err = sealRow(tx, tokenCodec, k)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO tokens (`+tokenColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create token %s", k.ID)
	}
	return nil
}

// tokenCodec seals the rows of tokens: person, terminal, expiry, revocation and scopes among them.
var tokenCodec = codec[cleared.Token]{table: "tokens",
	key: func(k cleared.Token) string { return string(k.ID) },
	row: func(k cleared.Token) ([]any, error) {
		scopes, err := joinList("scopes", k.Scopes)
		if err != nil {
			return nil, err
		}
		return []any{string(k.ID), string(k.PersonID), null(k.Terminal), k.Label, k.Hash, ns(k.Created),
			ns(k.Expires), ns(k.Revoked), scopes}, nil
	}}

// tokenColumns are the columns scanToken reads, and the MAC.
const tokenColumns = `id, person_id, terminal_id, label, hash, created, expires, revoked, scopes, mac`

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
	ks, err := list(tx, checked(tx, tokenCodec, scanToken), `
		SELECT `+tokenColumns+` FROM tokens WHERE person_id = $1 ORDER BY created DESC, id DESC LIMIT 500`, p)
	if err != nil {
		return nil, tx.errorf(err, "list tokens of person %s", p)
	}
	return ks, nil
}

// Token returns the token with the given ID; ErrNotFound if there is none.
func (tx *Tx) Token(id cleared.TokenID) (cleared.Token, error) {
	k, err := get(tx, checked(tx, tokenCodec, scanToken), `SELECT `+tokenColumns+` FROM tokens WHERE id = $1`, id)
	if err != nil {
		return k, tx.notFound(err, "token", id)
	}
	return k, nil
}

// TokenByHash finds a token by the SHA-256 of its secret, revoked or expired ones included; ErrNotFound if there is
// none. The hash is not repeated in messages.
func (tx *Tx) TokenByHash(hash []byte) (cleared.Token, error) {
	k, err := get(tx, checked(tx, tokenCodec, scanToken), `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash)
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
	k, err := tx.Token(id)
	if err != nil {
		return err
	}
	if !k.Revoked.IsZero() {
		return cleared.Conflictf("token %v is already revoked", id)
	}
	k.Revoked = at
	mac, err := macOf(tx, tokenCodec, k)
	if err == nil {
		_, err = tx.exec(`UPDATE tokens SET revoked = $2, mac = $3 WHERE id = $1`, id, ns(at), mac)
	}
	if err != nil {
		return tx.errorf(err, "revoke token %s", id)
	}
	return nil
}
