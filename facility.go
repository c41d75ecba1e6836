package cleared

import "time"

// Facility clearances (Art. 15 al. 1 point 2, Art. 21 al. 2; A15.1, A21.2): a legal entity is cleared on the
// guarantees of its material and technical means and of its organs. A facility case is a VettingCase whose Holder
// is HolderFacility: it names the company (OrganisationID) and the classified contract it executes, lists the
// company's organs (FacilityOrgan), each vetted in his own case or already cleared, and records its means
// (FacilityMeans).

// Facility reports whether c is the case of a legal entity (a facility security clearance) rather than of a person.
func (c VettingCase) Facility() bool { return c.Holder == HolderFacility }

// FacilityOrganID identifies an organ listed on a facility case.
type FacilityOrganID string

// PrefixFacilityOrgan is the prefix of facility organs' IDs.
const PrefixFacilityOrgan = "fog_"

// NewFacilityOrganID returns a new facility organ ID.
func NewFacilityOrganID() FacilityOrganID { return FacilityOrganID(NewID(PrefixFacilityOrgan)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id FacilityOrganID) Validate() error {
	return checkID(string(id), PrefixFacilityOrgan, "facility organ")
}

// OrganRole is the capacity in which Art. 21 al. 2 names a person of a legal entity for investigation.
type OrganRole string

// The organs of a legal entity (A21.2): its directors (administrateurs), managers (gérants), auditors
// (commissaires), the persons running the classified contract, study or production, and its security officer.
const (
	OrganDirector        OrganRole = "director"
	OrganManager         OrganRole = "manager"
	OrganAuditor         OrganRole = "auditor"
	OrganContractRunner  OrganRole = "contract_runner"
	OrganSecurityOfficer OrganRole = "security_officer"
)

// OrganRoles lists the roles in the order of Art. 21 al. 2.
var OrganRoles = []OrganRole{OrganDirector, OrganManager, OrganAuditor, OrganContractRunner, OrganSecurityOfficer}

// Valid reports whether r is one of the roles.
func (r OrganRole) Valid() bool {
	switch r {
	case OrganDirector, OrganManager, OrganAuditor, OrganContractRunner, OrganSecurityOfficer:
		return true
	}
	return false
}

// FacilityOrgan is a person of the company listed on its facility case in one role (A21.2), with where his own
// guarantee comes from: exactly one of the clearance he holds and his own person case (vetted at the same time).
type FacilityOrgan struct {
	ID        FacilityOrganID `json:"id"`
	Case      VettingCaseID   `json:"case"`
	PersonID  PersonID        `json:"person_id"`
	Role      OrganRole       `json:"role"`
	Clearance ClearanceID     `json:"clearance,omitempty"`
	OwnCase   VettingCaseID   `json:"own_case,omitempty"`
	AddedBy   PersonID        `json:"added_by"`
	Added     time.Time       `json:"added"`
}

// StorageKind is a kind of approved storage for classified pieces.
type StorageKind string

// The kinds of storage.
const (
	StorageSafe       StorageKind = "safe"
	StorageStrongroom StorageKind = "strongroom"
	StorageCabinet    StorageKind = "security_cabinet"
)

// Valid reports whether k is one of the kinds.
func (k StorageKind) Valid() bool {
	return k == StorageSafe || k == StorageStrongroom || k == StorageCabinet
}

// MeansPlace is a secure place of the company where the contract's pieces are kept or processed: a place of the
// register (Place, the company's) when it is one, else described; accredited up to Level, a security zone or not.
type MeansPlace struct {
	Place        PlaceID `json:"place,omitempty"`
	Description  string  `json:"description"`
	Level        Level   `json:"level"`
	SecurityZone bool    `json:"security_zone"`
}

// MeansSystem is an accredited information system or communication channel of the company: a channel of the
// register (Channel) when it is one; its accreditation's reference and level.
type MeansSystem struct {
	Channel       ChannelID `json:"channel,omitempty"`
	Name          string    `json:"name"`
	Accreditation string    `json:"accreditation"`
	Level         Level     `json:"level"`
}

// MeansStorage is an approved storage container of the company, up to Level, in one of its places (by its index in
// Places).
type MeansStorage struct {
	Kind        StorageKind `json:"kind"`
	Description string      `json:"description"`
	Level       Level       `json:"level"`
	InPlace     int         `json:"in_place"`
}

// FacilityMeans is the material and technical means of a company to protect classified pieces (A15.1), as
// recorded on its facility case: its secure places, accredited systems and channels, and storage.
type FacilityMeans struct {
	Case       VettingCaseID  `json:"case"`
	Places     []MeansPlace   `json:"places"`
	Systems    []MeansSystem  `json:"systems"`
	Storage    []MeansStorage `json:"storage"`
	RecordedBy PersonID       `json:"recorded_by"`
	Recorded   time.Time      `json:"recorded"`
}
