package cleared

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// Identifiers are opaque, random and never sequential (a sequential ID would tell how many pieces exist). Each kind
// has its own type and prefix, so that a piece ID cannot be passed where a person ID is expected, and a person
// reading an ID knows what it names: "pce_" followed by 26 characters of lower-case base32 (128 random bits).
type (
	OrganisationID string
	PersonID       string
	ClearanceID    string
	AuthorityID    string
	DelegationID   string
	PieceID        string
	DossierID      string
	GrantID        string
	PlaceID        string
	TerminalID     string
	ChannelID      string
	TokenID        string
	AccountID      string
	SessionID      string
)

// Prefixes of each kind of ID.
const (
	PrefixOrganisation = "org_"
	PrefixPerson       = "per_"
	PrefixClearance    = "clr_"
	PrefixAuthority    = "aut_"
	PrefixDelegation   = "dlg_"
	PrefixPiece        = "pce_"
	PrefixDossier      = "dos_"
	PrefixGrant        = "grt_"
	PrefixPlace        = "plc_"
	PrefixTerminal     = "trm_"
	PrefixChannel      = "chn_"
	PrefixToken        = "tok_"
	PrefixAccount      = "acc_"
	PrefixSession      = "ses_"
)

const idRandomLen = 26 // 128 bits in unpadded base32

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewID returns a fresh random identifier with the given prefix.
func NewID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("cleared: crypto/rand failed: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	return prefix + strings.ToLower(idEncoding.EncodeToString(b[:]))
}

// checkID reports whether s is a well-formed identifier with the given prefix.
func checkID(s, prefix, kind string) error {
	if !strings.HasPrefix(s, prefix) || len(s) != len(prefix)+idRandomLen {
		return Invalidf("malformed %s ID %q: want %q followed by %d characters", kind, truncate(s, 40), prefix, idRandomLen)
	}
	for _, c := range s[len(prefix):] {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return Invalidf("malformed %s ID %q: unexpected character %q", kind, truncate(s, 40), c)
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// New identifiers of each kind.
func NewOrganisationID() OrganisationID { return OrganisationID(NewID(PrefixOrganisation)) }
func NewPersonID() PersonID             { return PersonID(NewID(PrefixPerson)) }
func NewClearanceID() ClearanceID       { return ClearanceID(NewID(PrefixClearance)) }
func NewAuthorityID() AuthorityID       { return AuthorityID(NewID(PrefixAuthority)) }
func NewDelegationID() DelegationID     { return DelegationID(NewID(PrefixDelegation)) }
func NewPieceID() PieceID               { return PieceID(NewID(PrefixPiece)) }
func NewDossierID() DossierID           { return DossierID(NewID(PrefixDossier)) }
func NewGrantID() GrantID               { return GrantID(NewID(PrefixGrant)) }
func NewPlaceID() PlaceID               { return PlaceID(NewID(PrefixPlace)) }
func NewTerminalID() TerminalID         { return TerminalID(NewID(PrefixTerminal)) }
func NewChannelID() ChannelID           { return ChannelID(NewID(PrefixChannel)) }
func NewTokenID() TokenID               { return TokenID(NewID(PrefixToken)) }
func NewAccountID() AccountID           { return AccountID(NewID(PrefixAccount)) }
func NewSessionID() SessionID           { return SessionID(NewID(PrefixSession)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id OrganisationID) Validate() error {
	return checkID(string(id), PrefixOrganisation, "organisation")
}
func (id PersonID) Validate() error     { return checkID(string(id), PrefixPerson, "person") }
func (id ClearanceID) Validate() error  { return checkID(string(id), PrefixClearance, "clearance") }
func (id AuthorityID) Validate() error  { return checkID(string(id), PrefixAuthority, "authority") }
func (id DelegationID) Validate() error { return checkID(string(id), PrefixDelegation, "delegation") }
func (id PieceID) Validate() error      { return checkID(string(id), PrefixPiece, "piece") }
func (id DossierID) Validate() error    { return checkID(string(id), PrefixDossier, "dossier") }
func (id GrantID) Validate() error      { return checkID(string(id), PrefixGrant, "grant") }
func (id PlaceID) Validate() error      { return checkID(string(id), PrefixPlace, "place") }
func (id TerminalID) Validate() error   { return checkID(string(id), PrefixTerminal, "terminal") }
func (id ChannelID) Validate() error    { return checkID(string(id), PrefixChannel, "channel") }
func (id TokenID) Validate() error      { return checkID(string(id), PrefixToken, "token") }
func (id AccountID) Validate() error    { return checkID(string(id), PrefixAccount, "account") }
func (id SessionID) Validate() error    { return checkID(string(id), PrefixSession, "session") }

// ValidUUID reports whether s is a UUID in its canonical lower-case form (8-4-4-4-12 hexadecimal digits), as
// cleared names its products and MISP its events: a name checked so before it becomes part of a path.
func ValidUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}
