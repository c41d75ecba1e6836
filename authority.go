package cleared

import "time"

// AuthorityKind is the ground on which a classifying authority acts (Art. 5 al. 1). Three kinds are principals,
// competent by their office; a delegate is competent only through a delegation from a principal.
type AuthorityKind string

// Kinds of classifying authority.
const (
	// AuthorityGovernmentMember: a member of the Government (Conseil de Gouvernement).
	AuthorityGovernmentMember AuthorityKind = "government_member"
	// AuthorityChiefOfStaff: the Chief of Staff of the Army.
	AuthorityChiefOfStaff AuthorityKind = "chief_of_staff"
	// AuthoritySREDirector: the Director of the State Intelligence Service.
	AuthoritySREDirector AuthorityKind = "sre_director"
	// AuthorityDelegate: an official, officer or senior SRE member delegated by one of the three principals.
	AuthorityDelegate AuthorityKind = "delegate"
)

// Validate reports an unknown kind as [ErrInvalid].
func (k AuthorityKind) Validate() error {
	switch k {
	case AuthorityGovernmentMember, AuthorityChiefOfStaff, AuthoritySREDirector, AuthorityDelegate:
		return nil
	}
	return Invalidf("unknown authority kind %q: want government_member, chief_of_staff, sre_director or delegate", truncate(string(k), 30))
}

// Principal reports whether the kind is competent by office rather than by delegation.
func (k AuthorityKind) Principal() bool { return k != AuthorityDelegate && k.Validate() == nil }

// ClassifyingAuthority is an office that may classify, downgrade and declassify (Art. 5): a person holding it
// between two dates. When the holder of an office changes (a new minister), the old record names its Successor, so
// that the successor may downgrade what its predecessor classified (A5.2).
type ClassifyingAuthority struct {
	ID        AuthorityID    `json:"id"`
	PersonID  PersonID       `json:"person_id"`
	Kind      AuthorityKind  `json:"kind"`
	Title     string         `json:"title"` // the office, e.g. "Ministre des Affaires étrangères"
	From      time.Time      `json:"from"`
	Until     time.Time      `json:"until,omitzero"` // zero: still in office
	Successor AuthorityID    `json:"successor,omitempty"`
	Created   time.Time      `json:"created"`
	CreatedBy PersonID       `json:"created_by"`
	OrgID     OrganisationID `json:"organisation_id"`
}

// InOfficeAt reports whether the authority's term covers t.
func (a ClassifyingAuthority) InOfficeAt(t time.Time) bool {
	return !t.Before(a.From) && (a.Until.IsZero() || t.Before(a.Until))
}

// Delegation gives a delegate authority the power to classify on behalf of a principal (Art. 5 al. 1), from From
// until Until (exclusive). A delegation that has ended gives nothing.
type Delegation struct {
	ID        DelegationID `json:"id"`
	Delegate  AuthorityID  `json:"delegate"`
	Principal AuthorityID  `json:"principal"`
	From      time.Time    `json:"from"`
	Until     time.Time    `json:"until"`
	Reference string       `json:"reference,omitempty"` // the act of delegation
	GrantedBy PersonID     `json:"granted_by"`
	Created   time.Time    `json:"created"`
}

// ActiveAt reports whether the delegation is in force at t.
func (d Delegation) ActiveAt(t time.Time) bool {
	return !t.Before(d.From) && t.Before(d.Until)
}
