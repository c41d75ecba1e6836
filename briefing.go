package cleared

import "time"

// Briefing is one security briefing of the holder of a clearance (Art. 18, A18.1): the protection instructions he
// was given, when and by whom, recorded by his security officer or the NSA, and the declaration he then signed,
// confirming that he received them and undertakes to respect them. Number counts the briefings of one clearance
// from 1; the first declaration signed makes a clearance granted through vetting active.
type Briefing struct {
	Clearance ClearanceID `json:"clearance"`
	Number    int         `json:"number"`
	Holder    PersonID    `json:"holder"`
	// BriefedOn is when the instructions were given; BriefedBy who gave them (a name, or a service).
	BriefedOn time.Time `json:"briefed_on"`
	BriefedBy string    `json:"briefed_by"`
	// Instructions names the instructions given and their version ("Instructions de sécurité SRE, v3").
	Instructions string    `json:"instructions"`
	RecordedBy   PersonID  `json:"recorded_by"`
	Recorded     time.Time `json:"recorded"`
	// Declared is when the holder signed the declaration, zero until then; Certificate the fingerprint of the
	// certificate he signed with, CMS the detached signature, Digest the hex SHA-256 of the declaration signed.
	Declared    time.Time `json:"declared,omitzero"`
	Certificate string    `json:"certificate,omitempty"`
	CMS         []byte    `json:"cms,omitempty"`
	Digest      string    `json:"document_sha256,omitempty"`
}

// CircumstanceID identifies a holder's report of a change of his circumstances (A18.1).
type CircumstanceID string

// PrefixCircumstance is the prefix of the IDs of reports of changes of circumstances.
const PrefixCircumstance = "chg_"

// NewCircumstanceID returns a new ID of a report of a change of circumstances.
func NewCircumstanceID() CircumstanceID { return CircumstanceID(NewID(PrefixCircumstance)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id CircumstanceID) Validate() error {
	return checkID(string(id), PrefixCircumstance, "circumstance report")
}

// CircumstanceKind is what changed in a holder's circumstances.
type CircumstanceKind string

// The kinds of change a holder reports.
const (
	CircumstanceMarriage CircumstanceKind = "marriage" // marriage or registered partnership
	CircumstanceTravel   CircumstanceKind = "travel"   // travel abroad
	CircumstanceDebts    CircumstanceKind = "debts"
	CircumstanceOther    CircumstanceKind = "other"
)

// Valid reports whether k is one of the kinds.
func (k CircumstanceKind) Valid() bool {
	switch k {
	case CircumstanceMarriage, CircumstanceTravel, CircumstanceDebts, CircumstanceOther:
		return true
	}
	return false
}

// CircumstanceReport is the record of a holder's report of a change of his circumstances: who reported, when, and
// whether an NSA officer took it up. What changed (its kind and details) is personal data, sealed under the
// report's own data key; the record says only that a report was made.
type CircumstanceReport struct {
	ID             CircumstanceID `json:"id"`
	PersonID       PersonID       `json:"person_id"`
	OrganisationID OrganisationID `json:"organisation_id"`
	Reported       time.Time      `json:"reported"`
	// TakenUpBy is the NSA officer who took the report up, TakenUp when; empty until then.
	TakenUpBy PersonID  `json:"taken_up_by,omitempty"`
	TakenUp   time.Time `json:"taken_up,omitzero"`
}
