package cleared

import "time"

// HolderKind says whether a clearance belongs to a natural person (personnel security clearance, PSC) or to a
// legal entity (facility security clearance, FSC), A2.2 and Art. 15.
type HolderKind string

// Holder kinds.
const (
	HolderPerson   HolderKind = "person"
	HolderFacility HolderKind = "facility"
)

// ClearanceStatus is the state of a clearance. An expired clearance is one whose expiry has passed; the status
// expired is set when that is recorded, but policy decides from the dates too, so a clearance past its expiry
// grants nothing whatever its status says.
type ClearanceStatus string

// Clearance statuses.
const (
	ClearanceActive ClearanceStatus = "active"
	// ClearancePending is a clearance granted whose holder has not yet signed the declaration after the security
	// briefing (A18.1): it grants nothing until then.
	ClearancePending   ClearanceStatus = "pending_briefing"
	ClearanceSuspended ClearanceStatus = "suspended"
	ClearanceWithdrawn ClearanceStatus = "withdrawn"
	ClearanceExpired   ClearanceStatus = "expired"
)

// Validate reports an unknown status as [ErrInvalid].
func (s ClearanceStatus) Validate() error {
	switch s {
	case ClearanceActive, ClearancePending, ClearanceSuspended, ClearanceWithdrawn, ClearanceExpired:
		return nil
	}
	return Invalidf("unknown clearance status %q: want active, pending_briefing, suspended, withdrawn or expired", truncate(string(s), 30))
}

// ClearanceSource says where a clearance record comes from: imported from the existing paper register (with its
// reference), or granted through a vetting case in cleared.
type ClearanceSource string

// Clearance sources.
const (
	SourcePaperRegister ClearanceSource = "paper_register"
	SourceVetting       ClearanceSource = "vetting"
)

// Clearance is a security clearance (habilitation de sécurité, Art. 2 point 6, Art. 14–17) of a person or a legal
// entity. Expires is computed from Issued and Level by Art. 17 (policy.ClearanceExpiry).
type Clearance struct {
	ID             ClearanceID     `json:"id"`
	HolderKind     HolderKind      `json:"holder_kind"`
	PersonID       PersonID        `json:"person_id,omitempty"`       // set for HolderPerson
	OrganisationID OrganisationID  `json:"organisation_id,omitempty"` // set for HolderFacility
	Level          Level           `json:"level"`
	Issued         time.Time       `json:"issued"`
	Expires        time.Time       `json:"expires"`
	Status         ClearanceStatus `json:"status"`
	Source         ClearanceSource `json:"source"`
	Reference      string          `json:"reference,omitempty"` // the paper register's reference for an imported clearance
	RecordedBy     PersonID        `json:"recorded_by"`
	Recorded       time.Time       `json:"recorded"`
	// BriefingDue is never stored nor shown: the access facts set it on the subject's copy of a clearance that a
	// rule profile of the holder's organisation suspends from the moment his re-briefing falls due (A18.1).
	BriefingDue time.Time `json:"-"`
}
