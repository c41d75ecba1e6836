package cleared

import (
	"slices"
	"time"
)

// Transmission of classified pieces (Art. 11, A11.1, A11.2; S2 for the national bodies that receive intelligence).

// Identifiers of the transmission register.
type (
	CryptoProductID string
	TransmissionID  string
)

// Prefixes of the transmission register's IDs.
const (
	PrefixCryptoProduct = "cry_"
	PrefixTransmission  = "trx_"
)

// NewCryptoProductID returns a fresh cryptographic product ID.
func NewCryptoProductID() CryptoProductID { return CryptoProductID(NewID(PrefixCryptoProduct)) }

// NewTransmissionID returns a fresh transmission ID.
func NewTransmissionID() TransmissionID { return TransmissionID(NewID(PrefixTransmission)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id CryptoProductID) Validate() error {
	return checkID(string(id), PrefixCryptoProduct, "crypto product")
}

// Validate reports a malformed identifier as [ErrInvalid].
func (id TransmissionID) Validate() error {
	return checkID(string(id), PrefixTransmission, "transmission")
}

// CryptoProduct is a cryptographic system the NSA approved for protecting classified transmissions (Art. 11 al. 1,
// A11.1), from ApprovedFrom until ApprovedUntil. A channel that names it is usable only while the approval is in
// force: when it lapses, every channel it protects is refused for classified transmissions at once, without
// editing each channel.
type CryptoProduct struct {
	ID   CryptoProductID `json:"id"`
	Name string          `json:"name"`
	// Reference is the NSA's act of approval, as written in its register.
	Reference     string    `json:"reference"`
	ApprovedFrom  time.Time `json:"approved_from"`
	ApprovedUntil time.Time `json:"approved_until"`
	ApprovedBy    PersonID  `json:"approved_by"`
	Created       time.Time `json:"created"`
}

// ApprovedAt reports whether the approval is in force at t: from ApprovedFrom included to ApprovedUntil excluded.
func (c CryptoProduct) ApprovedAt(t time.Time) bool {
	return !t.Before(c.ApprovedFrom) && t.Before(c.ApprovedUntil)
}

// RecipientType is the kind of a national body that receives communications of its own by law (S2). It is a
// label of the register, not a code path: what a body receives is its Scope, over the channels it accepts.
type RecipientType string

// The national recipients the law names (S2). The zero value is an ordinary addressee.
const (
	// StateProsecutor: the Parquet, to which intelligence on crimes and offences goes without delay (Art. 23(2) of
	// the code of criminal procedure).
	StateProsecutor RecipientType = "state_prosecutor"
	// ExportControlOffice: the Office for Export Controls (OCEIT), which receives export-control risk assessments.
	ExportControlOffice RecipientType = "export_control_office"
	// Customs: the Administration des douanes et accises, which receives information for its controls.
	Customs RecipientType = "customs"
)

// Validate reports an unknown type as [ErrInvalid]; the zero value is valid.
func (r RecipientType) Validate() error {
	switch r {
	case "", StateProsecutor, ExportControlOffice, Customs:
		return nil
	}
	return Invalidf("unknown recipient type %q: want state_prosecutor, export_control_office or customs", truncate(string(r), 30))
}

// Addressee is an organisation as the addressee of transmissions: the channels over which it accepts them (its
// registry or security officer receives what is sent there), and for a national recipient of S2 its type, the
// legal basis of what it receives and its scope, the purposes it receives communications for. An organisation
// that has no Addressee accepts nothing.
type Addressee struct {
	Organisation OrganisationID `json:"organisation_id"`
	Type         RecipientType  `json:"type,omitempty"`
	Basis        string         `json:"basis,omitempty"`
	// Scope lists the purposes a national recipient receives communications for ("crime", "export_control",
	// "customs"); empty for an ordinary addressee, which receives for any purpose.
	Scope      []string    `json:"scope,omitempty"`
	Channels   []ChannelID `json:"channels"`
	RecordedBy PersonID    `json:"recorded_by"`
	Recorded   time.Time   `json:"recorded"`
}

// Accepts reports whether the addressee receives over channel c.
func (a Addressee) Accepts(c ChannelID) bool { return slices.Contains(a.Channels, c) }

// Transmission is one entry of the register of transmissions (A11.2): a piece, or one of its numbered copies, sent
// by a person to a person or to an organisation, over a channel, at a time; and its receipt, once confirmed.
// Exactly one of RecipientPerson and RecipientOrganisation is set.
type Transmission struct {
	ID         TransmissionID `json:"id"`
	Piece      PieceID        `json:"piece"`
	Copy       CopyID         `json:"copy,omitempty"`
	CopyNumber int            `json:"copy_number,omitempty"`
	// Level is the piece's level when it was sent.
	Level                 Level          `json:"level"`
	Sender                PersonID       `json:"sender"`
	SenderOrganisation    OrganisationID `json:"sender_organisation"`
	RecipientPerson       PersonID       `json:"recipient_person,omitempty"`
	RecipientOrganisation OrganisationID `json:"recipient_organisation,omitempty"`
	Channel               ChannelID      `json:"channel"`
	// Purpose is what the communication is for; a national recipient receives only within its scope (S2).
	Purpose string `json:"purpose,omitempty"`
	// OriginatorConsent is the reference of the originator's written consent, where a rule profile asks it (A1.1).
	OriginatorConsent string    `json:"originator_consent,omitempty"`
	Note              string    `json:"note,omitempty"`
	Sent              time.Time `json:"sent"`
	ReceivedBy        PersonID  `json:"received_by,omitempty"`
	Received          time.Time `json:"received,omitzero"`
}

// Confirmed reports whether the receipt was confirmed.
func (t Transmission) Confirmed() bool { return !t.Received.IsZero() }
