package cleared

import "time"

// Security incidents (Art. 13): a compromise or a suspected one is warned at once to the security officer, the NSA
// and the originator (A13.1); a threat or an attempt to the security officer (A13.2); the security officer
// investigates and informs the head of the body (A13.3). An Incident is the case; each person warned has an
// IncidentNotification he acknowledges; the investigation's notes are IncidentNotes.

// IncidentID identifies an incident.
type IncidentID string

// PrefixIncident is the prefix of IncidentID.
const PrefixIncident = "inc_"

// NewIncidentID returns a fresh IncidentID.
func NewIncidentID() IncidentID { return IncidentID(NewID(PrefixIncident)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id IncidentID) Validate() error { return checkID(string(id), PrefixIncident, "incident") }

// IncidentKind says what happened.
type IncidentKind string

// Kinds of incident: the first two are compromises (A13.1), the last two threats or attempts (A13.2).
const (
	IncidentCompromise          IncidentKind = "compromise"
	IncidentSuspectedCompromise IncidentKind = "suspected_compromise"
	IncidentThreat              IncidentKind = "threat"
	IncidentAttempt             IncidentKind = "attempt"
)

// Validate reports an unknown kind as [ErrInvalid].
func (k IncidentKind) Validate() error {
	switch k {
	case IncidentCompromise, IncidentSuspectedCompromise, IncidentThreat, IncidentAttempt:
		return nil
	}
	return Invalidf("unknown incident kind %q: want compromise, suspected_compromise, threat or attempt", truncate(string(k), 30))
}

// Rule is the requirement the kind falls under: A13.1 for a compromise, suspected or not, A13.2 for a threat or an
// attempt.
func (k IncidentKind) Rule() string {
	if k == IncidentThreat || k == IncidentAttempt {
		return "A13.2"
	}
	return "A13.1"
}

// IncidentObjectKind says what an incident is about.
type IncidentObjectKind string

// Objects of incidents. A register row is raised by cleared itself, never reported by a person.
const (
	IncidentPiece       IncidentObjectKind = "piece"
	IncidentCopy        IncidentObjectKind = "copy"
	IncidentPlace       IncidentObjectKind = "place"
	IncidentTerminal    IncidentObjectKind = "terminal"
	IncidentPerson      IncidentObjectKind = "person"
	IncidentRegisterRow IncidentObjectKind = "register_row"
)

// Validate reports an unknown object kind as [ErrInvalid].
func (k IncidentObjectKind) Validate() error {
	switch k {
	case IncidentPiece, IncidentCopy, IncidentPlace, IncidentTerminal, IncidentPerson, IncidentRegisterRow:
		return nil
	}
	return Invalidf("unknown incident object %q: want piece, copy, place, terminal or person", truncate(string(k), 30))
}

// IncidentSource says how an incident was opened: reported by a person, or detected by cleared.
type IncidentSource string

// Sources of incidents.
const (
	SourceReport         IncidentSource = "report"         // a person reported it
	SourceTampering      IncidentSource = "tampering"      // a register row failed its seal (principle 9)
	SourceAuthentication IncidentSource = "authentication" // a piece's content failed authentication at a read
	SourceInventory      IncidentSource = "inventory"      // a piece or copy missing at an inventory's closing
)

// HeadNotice records that the head of the body was informed (A13.3): who, when and how.
type HeadNotice struct {
	Name string    `json:"name"`
	At   time.Time `json:"at"`
	How  string    `json:"how"`
}

// Incident is a case of Art. 13.
type Incident struct {
	ID         IncidentID         `json:"id"`
	Kind       IncidentKind       `json:"kind"`
	ObjectKind IncidentObjectKind `json:"object_kind"`
	// Object is the ID of the piece, copy, place, terminal or person, or "table/key" of a register row.
	Object string `json:"object"`
	// OrganisationID is the organisation concerned, whose security officer investigates (A13.3): the holder of the
	// piece or copy, the owner of the place or terminal, the employer of the person; empty for a register row,
	// which the NSA investigates (Art. 20: the security of pieces).
	OrganisationID OrganisationID `json:"organisation_id,omitempty"`
	// Originator is the piece's classifying authority, warned of a compromise (A13.1).
	Originator  AuthorityID    `json:"originator,omitempty"`
	Description string         `json:"description"`
	Source      IncidentSource `json:"source"`
	// ReportedBy is empty when cleared opened the incident itself.
	ReportedBy PersonID  `json:"reported_by,omitempty"`
	Reported   time.Time `json:"reported"`
	// Findings and Head are the security officer's (A13.3); a closed case has both.
	Findings string     `json:"findings,omitempty"`
	Head     HeadNotice `json:"head_notified,omitzero"`
	Closed   time.Time  `json:"closed,omitzero"`
	ClosedBy PersonID   `json:"closed_by,omitempty"`
}

// Open reports whether the case is not closed.
func (i Incident) Open() bool { return i.Closed.IsZero() }

// NotifiedAs says why a person is warned of an incident.
type NotifiedAs string

// Reasons to be warned.
const (
	AsSecurityOfficer NotifiedAs = "security_officer" // of the organisation concerned (A13.1, A13.2)
	AsNSA             NotifiedAs = "nsa"              // an NSA officer (A13.1)
	AsOriginator      NotifiedAs = "originator"       // holds, or acts for, the piece's classifying authority (A13.1)
	AsEscalation      NotifiedAs = "escalation"       // a warning went unacknowledged past the delay
)

// IncidentNotification is one person's warning of an incident: in the application (his agenda), and by e-mail and
// webhook through the outbox. Number orders them on the case.
type IncidentNotification struct {
	Incident  IncidentID `json:"incident"`
	Number    int        `json:"number"`
	Recipient PersonID   `json:"recipient"`
	As        NotifiedAs `json:"as"`
	Created   time.Time  `json:"created"`
	// Acknowledged is when the recipient acknowledged it; Escalated when it was escalated for want of that.
	Acknowledged time.Time `json:"acknowledged,omitzero"`
	Escalated    time.Time `json:"escalated,omitzero"`
}

// IncidentNoteKind says what a note records.
type IncidentNoteKind string

// Kinds of note.
const (
	NoteInvestigation IncidentNoteKind = "investigation" // the security officer's investigation (A13.3)
	NoteEscalation    IncidentNoteKind = "escalation"    // a warning escalated, written by cleared
)

// IncidentNote is one entry of a case's record.
type IncidentNote struct {
	Incident IncidentID       `json:"incident"`
	Number   int              `json:"number"`
	Kind     IncidentNoteKind `json:"kind"`
	Text     string           `json:"text"`
	By       PersonID         `json:"by,omitempty"` // empty when cleared wrote it
	At       time.Time        `json:"at"`
}
