// Package store declares what the services need from a database, and holds the test suite every database
// (store/sqlite, store/postgres) must pass, in store/storetest.
//
// A service action runs in one transaction: Update loads what the policy needs, the service decides, and the same
// transaction applies the change (architecture, principle 2). If the function returns an error, nothing is
// committed. Update may run the function more than once (PostgreSQL retries serialization failures), so the
// function must have no effect outside the transaction.
//
// Methods that look up one object return an error of kind cleared.ErrNotFound when there is none, never a zero
// value with a nil error; creating an object whose ID or unique key exists returns cleared.ErrConflict; a database
// that cannot be reached returns cleared.ErrUnavailable.
package store

import (
	"context"
	"time"

	"github.com/transparency-dev/merkle/compact"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
)

// Store opens transactions.
type Store interface {
	// Update runs fn in one read-write transaction and commits if fn returns nil.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction (a consistent snapshot).
	View(ctx context.Context, fn func(Tx) error) error
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Generation is a number that changes whenever what a View could read may have changed: once a committed
	// Update that was not marked AppendOnly has returned to its caller when this process made it, and within
	// GenerationLag when another process (a command run beside the server, another server) made it. A cache keyed
	// by the generation it was filled in is never older than that. While the database cannot be read, it keeps
	// changing, so that nothing cached is trusted.
	Generation() uint64
	Close() error
}

// GenerationLag bounds how late Generation sees a change committed by another process.
const GenerationLag = 250 * time.Millisecond

type appendOnlyKey struct{}

// AppendOnly marks ctx for an Update whose function only appends to the audit log (the entry of a read, of a
// refusal): it leaves Generation as it is, so that what is cached for access decisions outlives the reads it
// serves. An Update so marked that changes anything else breaks that promise; a mark forgotten only costs speed.
func AppendOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, appendOnlyKey{}, true)
}

// IsAppendOnly reports whether ctx was marked by AppendOnly.
func IsAppendOnly(ctx context.Context) bool { v, _ := ctx.Value(appendOnlyKey{}).(bool); return v }

// Page selects a slice of a list ordered by ID: items after After (exclusive; empty for the first page), at most
// Limit of them.
type Page struct {
	After string
	Limit int
}

// PieceCursor is a position in a list of pieces ordered from newest to oldest: Created, then ID descending.
type PieceCursor struct {
	Created time.Time
	ID      cleared.PieceID
}

// VisibleQuery asks for the pieces one person may see at a time: not destroyed, level at most MaxLevel (the
// highest valid clearance the policy found for him), and covered by a grant active at At, on the piece itself or
// on its dossier (A9.1). The results are ordered newest first, after the cursor if one is given.
type VisibleQuery struct {
	Person   cleared.PersonID
	MaxLevel cleared.Level
	At       time.Time
	After    *PieceCursor
	Limit    int
}

// ReviewQuery asks for the pieces one person may see at a time, as VisibleQuery does (not destroyed, level at most
// MaxLevel, covered by a grant active at At on the piece or its dossier, A9.1), whose review date is before By
// (A3.2): overdue or soon due. The results are ordered by review date, then ID; at most Limit of them.
type ReviewQuery struct {
	Person   cleared.PersonID
	MaxLevel cleared.Level
	At, By   time.Time
	Limit    int
}

// ExpiryQuery asks for the active clearances of persons that expire in [From, By), taking as expiry the earlier
// of the recorded one and Art. 17's (A17.1), and that no clearance of the same person issued later replaced: of
// the staff of Organisations, or of every person when All is set (neither: none). The results are ordered by
// recorded expiry, then ID; at most Limit of them. A clearance issued on 29 February, whose Art. 17 expiry is
// 1 March, may be returned when By falls on that day: the caller decides to the nanosecond (policy.Agenda).
type ExpiryQuery struct {
	Organisations []cleared.OrganisationID
	All           bool
	From, By      time.Time
	Limit         int
}

// Content is the encrypted content of an electronic piece. The wrapped data key is stored apart from the
// ciphertext, so that destroying it (crypto-shredding, A10.1) leaves a ciphertext nobody can decrypt.
type Content struct {
	Piece      cleared.PieceID
	KEK        string // which key-encryption key wrapped the data key
	WrappedKey []byte // nil once the key is destroyed
	Ciphertext []byte
}

// Tx is one transaction. Its methods use the values of the context Update or View was given; inside Update, not
// its cancellation: once a function has started in a group commit, it runs to the commit.
type Tx interface {
	CreateOrganisation(o cleared.Organisation) error
	Organisation(id cleared.OrganisationID) (cleared.Organisation, error)
	Organisations(p Page) ([]cleared.Organisation, error)

	CreatePerson(p cleared.Person) error
	Person(id cleared.PersonID) (cleared.Person, error)
	Persons(p Page) ([]cleared.Person, error)
	// CountPersons counts every person; init uses it to refuse to create a second first officer.
	CountPersons() (int, error)

	// CreateSecurityOfficer is ErrConflict if the person is already an officer of the organisation since the same
	// date.
	CreateSecurityOfficer(o cleared.SecurityOfficer) error
	SecurityOfficers(org cleared.OrganisationID) ([]cleared.SecurityOfficer, error)
	// OfficerDesignations lists the organisations a person is (or was) security officer of.
	OfficerDesignations(person cleared.PersonID) ([]cleared.SecurityOfficer, error)

	CreateClearance(c cleared.Clearance) error
	Clearance(id cleared.ClearanceID) (cleared.Clearance, error)
	// PersonClearances lists every clearance of a person, whatever its status.
	PersonClearances(person cleared.PersonID) ([]cleared.Clearance, error)
	// FacilityClearances lists every clearance of a legal entity.
	FacilityClearances(org cleared.OrganisationID) ([]cleared.Clearance, error)
	SetClearanceStatus(id cleared.ClearanceID, s cleared.ClearanceStatus) error
	// ExpiringClearances answers q; see ExpiryQuery.
	ExpiringClearances(q ExpiryQuery) ([]cleared.Clearance, error)

	CreateAuthority(a cleared.ClassifyingAuthority) error
	Authority(id cleared.AuthorityID) (cleared.ClassifyingAuthority, error)
	// PersonAuthorities lists the authorities a person holds or held.
	PersonAuthorities(person cleared.PersonID) ([]cleared.ClassifyingAuthority, error)
	Authorities(p Page) ([]cleared.ClassifyingAuthority, error)
	SetAuthoritySuccessor(id, successor cleared.AuthorityID, until time.Time) error

	CreateDelegation(d cleared.Delegation) error
	Delegation(id cleared.DelegationID) (cleared.Delegation, error)
	// Delegations lists the delegations given to a delegate authority.
	Delegations(delegate cleared.AuthorityID) ([]cleared.Delegation, error)

	CreateDossier(d cleared.Dossier) error
	Dossier(id cleared.DossierID) (cleared.Dossier, error)
	SetDossierLevel(id cleared.DossierID, l cleared.Level) error
	// DossierParts lists the pieces of a dossier, destroyed ones included.
	DossierParts(id cleared.DossierID) ([]cleared.Piece, error)

	CreatePiece(p cleared.Piece) error
	Piece(id cleared.PieceID) (cleared.Piece, error)
	// VisiblePieces answers q; see VisibleQuery.
	VisiblePieces(q VisibleQuery) ([]cleared.Piece, error)
	// ReviewsDue answers q; see ReviewQuery.
	ReviewsDue(q ReviewQuery) ([]cleared.Piece, error)
	// MarkPieceDestroyed sets the piece's destruction time; ErrConflict if it is already destroyed.
	MarkPieceDestroyed(id cleared.PieceID, at time.Time) error

	PutContent(c Content) error
	Content(id cleared.PieceID) (Content, error)
	// DestroyContentKey erases the wrapped data key for good; the ciphertext stays.
	DestroyContentKey(id cleared.PieceID) error

	CreateGrant(g cleared.Grant) error
	Grant(id cleared.GrantID) (cleared.Grant, error)
	// PersonGrants lists the grants of a person active at t (A9.1 needs those only).
	PersonGrants(person cleared.PersonID, at time.Time) ([]cleared.Grant, error)
	// PieceGrants lists every grant on a piece, active or not.
	PieceGrants(id cleared.PieceID) ([]cleared.Grant, error)
	RevokeGrant(id cleared.GrantID, at time.Time) error

	CreatePlace(p cleared.Place) error
	Place(id cleared.PlaceID) (cleared.Place, error)
	Places(p Page) ([]cleared.Place, error)
	CreateTerminal(t cleared.Terminal) error
	Terminal(id cleared.TerminalID) (cleared.Terminal, error)
	// Terminals lists terminals by ID, revoked ones included.
	Terminals(p Page) ([]cleared.Terminal, error)
	// RevokeTerminal ends a terminal and every certificate issued to it; ErrConflict if it is already revoked.
	RevokeTerminal(id cleared.TerminalID, at time.Time) error
	// CreateTerminalCertificate records a client certificate issued to a terminal.
	CreateTerminalCertificate(c cleared.TerminalCertificate) error
	// TerminalCertificate finds a certificate by the SHA-256 of its DER.
	TerminalCertificate(fingerprint []byte) (cleared.TerminalCertificate, error)
	TerminalCertificates(id cleared.TerminalID) ([]cleared.TerminalCertificate, error)
	CreateChannel(c cleared.Channel) error
	Channel(id cleared.ChannelID) (cleared.Channel, error)
	Channels(p Page) ([]cleared.Channel, error)

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

	// PutEquivalence stores a new version of the equivalence table (A6.1); ErrConflict if the version exists.
	PutEquivalence(t cleared.EquivalenceTable, by cleared.PersonID, at time.Time) error
	// Equivalence returns the version in force at t: the highest version whose ValidFrom is not after t.
	Equivalence(at time.Time) (cleared.EquivalenceTable, error)
	// EquivalenceVersions lists every version, oldest first.
	EquivalenceVersions() ([]cleared.EquivalenceTable, error)

	// Meta reads a setting of the installation (ErrNotFound if unset); SetMeta writes one.
	Meta(key string) (string, error)
	SetMeta(key, value string) error

	AuditTx
}

// AuditTx is the audit log's storage (package audit). Entries, their payloads, the tree's node hashes and the signed
// checkpoints are separate tables, so a payload can be erased (A23.2) while entries and nodes stay.
type AuditTx interface {
	// AuditSize returns the number of entries. Inside Update it also locks the log's head, so concurrent appenders
	// (several server processes on one PostgreSQL) take turns and can never give two entries one sequence number.
	AuditSize() (uint64, error)
	// AppendAudit stores entry r (whose Seq must equal the current size), its payload, the tree nodes the append
	// created, and the new root; the size becomes Seq+1. A Seq other than the size is ErrConflict.
	AppendAudit(r audit.Record, payload []byte, nodes []audit.Node, root []byte) error
	// AuditNodes returns the hashes of the given nodes, in order; ErrNotFound if one is missing.
	AuditNodes(ids []compact.NodeID) ([][]byte, error)
	// AuditRecords returns up to limit records from seq from, in order.
	AuditRecords(from uint64, limit int) ([]audit.Record, error)
	// AuditPayload returns an entry's payload, or its erasure marker; ErrNotFound if the entry does not exist.
	AuditPayload(seq uint64) (audit.Payload, error)
	// AuditPayloads returns up to limit payloads (or erasure markers) from seq from, in order, for a verifier that
	// pages through them; ErrInvalid if limit is below 1.
	AuditPayloads(from uint64, limit int) ([]audit.Payload, error)
	// EraseAuditPayload deletes a payload for good, leaving the marker (when, why); ErrConflict if already erased.
	EraseAuditPayload(seq uint64, at time.Time, reason string) error
	// PutCheckpoint keeps a signed checkpoint; ErrConflict if one for that size exists with another note.
	PutCheckpoint(c audit.StoredCheckpoint) error
	// Checkpoints lists every kept checkpoint, smallest size first.
	Checkpoints() ([]audit.StoredCheckpoint, error)
	// LatestCheckpoint returns the checkpoint of the largest size; ErrNotFound if none.
	LatestCheckpoint() (audit.StoredCheckpoint, error)
}
