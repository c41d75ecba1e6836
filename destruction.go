package cleared

import "time"

// DestructionID identifies the record of one destruction: "dst_" and 26 characters.
type DestructionID string

// PrefixDestruction is the prefix of a DestructionID.
const PrefixDestruction = "dst_"

// NewDestructionID returns a fresh DestructionID.
func NewDestructionID() DestructionID { return DestructionID(NewID(PrefixDestruction)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id DestructionID) Validate() error {
	return checkID(string(id), PrefixDestruction, "destruction")
}

// Destruction is the record of the destruction of a piece (Art. 10, A10.1): who destroyed it, when and how. For
// SECRET and TRES SECRET (and lower where a rule profile says so, A1.1) it carries the report (procès-verbal, A10.2)
// as a canonical document, signed by whoever destroyed the piece and countersigned by a security officer of the
// holding organisation; the piece counts as destroyed only once Completed is set. The record and its report stay
// when the piece's content is gone.
type Destruction struct {
	ID    DestructionID `json:"id"`
	Piece PieceID       `json:"piece"`
	// Copy names a numbered copy of the piece when the copy, not the piece, is destroyed; empty for the piece.
	Copy           string         `json:"copy,omitempty"`
	OrganisationID OrganisationID `json:"organisation_id"` // the holding organisation, whose officer countersigns
	Level          Level          `json:"level"`
	Marking        string         `json:"marking"`
	Method         string         `json:"method"`
	DestroyedBy    PersonID       `json:"destroyed_by"`
	Created        time.Time      `json:"created"`
	// Report tells that a signed report is required (A10.2, or a profile's duty); Document is then its exact bytes.
	Report    bool      `json:"report"`
	Document  []byte    `json:"-"`
	Completed time.Time `json:"completed,omitzero"`
}

// Done reports whether the destruction is complete: the piece counts as destroyed.
func (d Destruction) Done() bool { return !d.Completed.IsZero() }

// Signer roles on a destruction report (A10.2).
const (
	SignerDestroyer       = "destroyer"
	SignerSecurityOfficer = "security_officer"
)

// Signature is one signature of a destruction report (E2): detached CMS over the report's exact bytes, by Signer
// with the certificate whose fingerprint is Certificate, at Signed. N counts from 1 in the order of signing.
type Signature struct {
	Destruction DestructionID `json:"-"`
	N           int           `json:"n"`
	Role        string        `json:"role"`
	Signer      PersonID      `json:"signer"`
	Certificate string        `json:"certificate"` // SHA-256 of the certificate's DER, hexadecimal
	CMS         []byte        `json:"-"`
	Signed      time.Time     `json:"signed"`
}

// SigningCertificate is a person's signing certificate as cleared records it (E2): issued by cleared's signing CA,
// with its private key sealed by the key ring (SealedKey), or imported from the organisation's PKI (no key: the
// person signs with his own means). What decides whether it may sign is this record: whose it is, its validity,
// its revocation.
type SigningCertificate struct {
	Fingerprint    string         `json:"fingerprint"`
	Person         PersonID       `json:"person"`
	OrganisationID OrganisationID `json:"organisation_id"`
	// Issuer is "cleared" for cleared's CA, or the fingerprint of the organisation's imported CA.
	Issuer    string    `json:"issuer"`
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	DER       []byte    `json:"-"`
	KEK       string    `json:"-"`
	SealedKey []byte    `json:"-"`
	Issued    time.Time `json:"issued"`
	IssuedBy  PersonID  `json:"issued_by"`
	Revoked   time.Time `json:"revoked,omitzero"`
	RevokedBy PersonID  `json:"revoked_by,omitempty"`
}

// IssuerCleared is the Issuer of a certificate cleared's own CA issued.
const IssuerCleared = "cleared"

// SigningCA is an organisation's own certificate authority, imported so that the certificates it issues to the
// organisation's persons sign in cleared (E2).
type SigningCA struct {
	Fingerprint    string         `json:"fingerprint"`
	OrganisationID OrganisationID `json:"organisation_id"`
	Subject        string         `json:"subject"`
	DER            []byte         `json:"-"`
	Imported       time.Time      `json:"imported"`
	ImportedBy     PersonID       `json:"imported_by"`
}
