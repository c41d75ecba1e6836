package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Credentials holds what sign-in needs (package auth): accounts, sessions, API tokens, security keys and their
// ceremonies, and the OIDC nonces already used.
type Credentials interface {
	CreateToken(k cleared.Token) error
	// TokenByHash finds a token by the SHA-256 of its secret.
	TokenByHash(hash []byte) (cleared.Token, error)
	RevokeToken(id cleared.TokenID, at time.Time) error
	Token(id cleared.TokenID) (cleared.Token, error)
	// PersonTokens lists a person's tokens, ended ones included, newest first.
	PersonTokens(p cleared.PersonID) ([]cleared.Token, error)
	// CreateAccount is ErrConflict if the ID, the person, the login or the OIDC subject has one already.
	CreateAccount(a cleared.Account) error
	// UpdateAccount rewrites the password, second factor, failures, lock, OIDC subject and disabling.
	UpdateAccount(a cleared.Account) error
	Account(id cleared.AccountID) (cleared.Account, error)
	AccountByLogin(login string) (cleared.Account, error)
	AccountByPerson(p cleared.PersonID) (cleared.Account, error)
	// AccountByOIDC finds the account mapped to an identity provider's "issuer|subject".
	AccountByOIDC(subject string) (cleared.Account, error)
	// UseOIDCNonce records that an ID token carrying a nonce (its SHA-256) was accepted, to be remembered until
	// until; ErrConflict if it is remembered already. It first forgets the nonces remembered until before now.
	UseOIDCNonce(hash []byte, until, now time.Time) error
	Accounts(p Page) ([]cleared.Account, error)
	// LockedAccounts lists the accounts locked out at t (locked until after t) and not disabled at t, the first
	// unlocked first; at most limit of them.
	LockedAccounts(at time.Time, limit int) ([]cleared.Account, error)
	CreateSession(x cleared.Session) error
	// SessionByHash finds a session by the SHA-256 of its secret, ended ones included.
	SessionByHash(hash []byte) (cleared.Session, error)
	// UpdateSession rewrites a session's stage, method, last activity and revocation.
	UpdateSession(x cleared.Session) error
	// AccountSessions lists an account's sessions not ended at t, newest first.
	AccountSessions(id cleared.AccountID, t time.Time) ([]cleared.Session, error)
	CreateWebAuthnCredential(c cleared.WebAuthnCredential) error
	WebAuthnCredentials(id cleared.AccountID) ([]cleared.WebAuthnCredential, error)
	// UpdateWebAuthnCredential rewrites a key's data (sign counter) and last use.
	UpdateWebAuthnCredential(c cleared.WebAuthnCredential) error
	// DeleteWebAuthnCredential removes one of an account's security keys; ErrNotFound if the account has no such key.
	DeleteWebAuthnCredential(account cleared.AccountID, id []byte) error
	// PutCeremony keeps a security-key ceremony's challenge data under key until expires, replacing any kept
	// under it, after forgetting those expired at now.
	PutCeremony(key string, data []byte, expires, now time.Time) error
	// TakeCeremony returns and forgets the data kept under key; ErrNotFound if none is, or it expired at now.
	TakeCeremony(key string, now time.Time) ([]byte, error)
}
