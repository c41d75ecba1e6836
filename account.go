package cleared

import "time"

// Account is how a person signs in to the web UI: a login, a password (stored as an argon2id hash), and a second
// factor, required for every account whose person can see classified content (a TOTP secret, security keys, or
// both). A person has at most one account.
type Account struct {
	ID       AccountID `json:"id"`
	PersonID PersonID  `json:"person_id"`
	Login    string    `json:"login"`
	// PasswordHash is the argon2id hash in PHC form ("$argon2id$v=19$m=…,t=…,p=…$salt$hash").
	PasswordHash string `json:"-"`
	// TOTP is the TOTP secret sealed by the key ring (nil: no TOTP enrolled); TOTPKEK names the key that sealed it.
	TOTP    []byte `json:"-"`
	TOTPKEK string `json:"-"`
	// TOTPLastStep is the last time step whose code was accepted: a code is used once (no replay).
	TOTPLastStep int64 `json:"-"`
	// Failures counts failed sign-ins since the last success; LockedUntil is when the next attempt is allowed.
	Failures    int       `json:"failures"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
	// OIDCSubject is "issuer|subject" of the identity provider's account mapped to this one ("" for none).
	OIDCSubject string    `json:"oidc_subject,omitempty"`
	Created     time.Time `json:"created"`
	CreatedBy   PersonID  `json:"created_by"`
	Disabled    time.Time `json:"disabled,omitzero"`
}

// SessionStage is how far a sign-in has come.
type SessionStage string

// Stages of a session.
const (
	// StageSecondFactor: the password was right; the session serves only the second-factor page.
	StageSecondFactor SessionStage = "second_factor"
	// StageActive: fully signed in.
	StageActive SessionStage = "active"
)

// Session is a signed-in browser. The cookie holds a random secret; the store keeps its SHA-256. A session knows
// the terminal it was opened from (A8.2, A9.3) and is valid only from that terminal.
type Session struct {
	ID        SessionID    `json:"id"`
	AccountID AccountID    `json:"account_id"`
	PersonID  PersonID     `json:"person_id"`
	Hash      []byte       `json:"-"`
	Terminal  TerminalID   `json:"terminal,omitempty"`
	Stage     SessionStage `json:"stage"`
	Method    string       `json:"method"` // how the second factor was given: "totp", "webauthn", "oidc", or "" (none needed)
	Remote    string       `json:"remote,omitempty"`
	Created   time.Time    `json:"created"`
	LastSeen  time.Time    `json:"last_seen"`
	Expires   time.Time    `json:"expires"` // the absolute end, whatever the activity
	Revoked   time.Time    `json:"revoked,omitzero"`
}

// TerminalCertificate is a client certificate the server's certificate authority issued to a terminal: a request
// presenting it comes from that terminal (A8.2, A9.3).
type TerminalCertificate struct {
	Fingerprint []byte     `json:"fingerprint"` // SHA-256 of the certificate's DER
	Terminal    TerminalID `json:"terminal"`
	Serial      string     `json:"serial"`
	NotAfter    time.Time  `json:"not_after"`
	IssuedBy    PersonID   `json:"issued_by"`
	Issued      time.Time  `json:"issued"`
	Revoked     time.Time  `json:"revoked,omitzero"`
}

// WebAuthnCredential is a security key registered to an account. Data is the credential as the WebAuthn library
// serialises it (public key, sign count, flags); only public material.
type WebAuthnCredential struct {
	ID        []byte    `json:"id"`
	AccountID AccountID `json:"account_id"`
	Name      string    `json:"name"`
	Data      []byte    `json:"-"`
	Created   time.Time `json:"created"`
	LastUsed  time.Time `json:"last_used,omitzero"`
}
