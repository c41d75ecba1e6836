package cleared

import "time"

// OrganisationKind distinguishes the bodies of Art. 2 point 8: public bodies (a ministry, an administration, a
// public establishment), companies (legal entities that may hold a facility clearance), and foreign partners
// (another State's security authority or service, an international organisation).
type OrganisationKind string

// Kinds of organisation.
const (
	PublicBody     OrganisationKind = "public_body"
	Company        OrganisationKind = "company"
	ForeignPartner OrganisationKind = "foreign_partner"
)

// Validate reports an unknown kind as [ErrInvalid].
func (k OrganisationKind) Validate() error {
	switch k {
	case PublicBody, Company, ForeignPartner:
		return nil
	}
	return Invalidf("unknown organisation kind %q: want public_body, company or foreign_partner", truncate(string(k), 30))
}

// Organisation is a body that holds classified pieces or employs cleared persons (A2.2).
type Organisation struct {
	ID      OrganisationID   `json:"id"`
	Name    string           `json:"name"`
	Kind    OrganisationKind `json:"kind"`
	Country string           `json:"country"` // ISO 3166-1 alpha-2, "LU" for national bodies
	Created time.Time        `json:"created"`
}

// Role is what a person may do in cleared beyond reading what his clearance and grants allow. Security officers
// and classifying authorities are not roles but records of their own (SecurityOfficer, ClassifyingAuthority),
// because the law ties them to an organisation and to dates.
type Role string

// Roles.
const (
	// RoleNSAOfficer: staff of the National Security Authority (Art. 2 point 1, Art. 20), who keep the registers of
	// organisations, persons, clearances and authorities.
	RoleNSAOfficer Role = "nsa_officer"
	// RoleAuditor: reads the audit log and its proofs (Art. 11 al. 2, Art. 13), and nothing classified.
	RoleAuditor Role = "auditor"
	// RoleAdmin: manages accounts (creates them, resets their factors, unlocks them) and sees nothing classified
	// by this role. The other roles of the architecture (security officer, classifier, holder, commission member)
	// are records of their own, with their dates: a designation, an authority, a clearance.
	RoleAdmin Role = "admin"
	// RoleDecider: the deciding authority of Art. 27 (the Prime Minister, or who acts for him), who grants, refuses
	// and withdraws clearances on the investigation's results (A27.1), with reasons.
	RoleDecider Role = "decider"
)

// Validate reports an unknown role as [ErrInvalid].
func (r Role) Validate() error {
	if r == RoleNSAOfficer || r == RoleAuditor || r == RoleAdmin || r == RoleDecider {
		return nil
	}
	return Invalidf("unknown role %q: want nsa_officer, auditor, admin or decider", truncate(string(r), 30))
}

// Person is a natural person known to the system: a holder, an officer, an authority, NSA staff.
type Person struct {
	ID             PersonID       `json:"id"`
	OrganisationID OrganisationID `json:"organisation_id"`
	Name           string         `json:"name"`
	Email          string         `json:"email,omitempty"`
	// GovernmentMember marks a member of the Government (Conseil de Gouvernement): such a person classifies without a
	// clearance (Art. 5 al. 3) and needs none for his functions (Art. 14). It is a fact recorded by the NSA, not a
	// role one grants oneself. For Art. 14 it counts as an undated membership of the Government; dated memberships
	// of the exempt categories are kept in the register of exemptions (ExemptionMembership, package vetting).
	GovernmentMember bool      `json:"government_member"`
	Roles            []Role    `json:"roles,omitempty"`
	Created          time.Time `json:"created"`
}

// HasRole reports whether p holds role r.
func (p Person) HasRole(r Role) bool {
	for _, x := range p.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// SecurityOfficer records that a person watches over the security rules in an organisation (Art. 2 point 8): in a
// public body designated by the minister, in a cleared legal entity by its governing bodies (A2.2).
type SecurityOfficer struct {
	OrganisationID OrganisationID `json:"organisation_id"`
	PersonID       PersonID       `json:"person_id"`
	DesignatedBy   string         `json:"designated_by"` // the minister or governing body, as written in the act
	Since          time.Time      `json:"since"`
	Until          time.Time      `json:"until,omitzero"` // zero: still in office
}

// ActiveAt reports whether the designation is in force at t.
func (o SecurityOfficer) ActiveAt(t time.Time) bool {
	return !t.Before(o.Since) && (o.Until.IsZero() || t.Before(o.Until))
}

// Actor is who performs an action: the person, and the terminal the request comes from (zero when the request
// comes from no registered terminal, which then counts as a place where nothing classified is shown, A9.3).
type Actor struct {
	Person   PersonID   `json:"person"`
	Terminal TerminalID `json:"terminal,omitempty"`
}

// Token is a bearer token for the API, for machines and scripts (people sign in to the web UI with an Account). Only the SHA-256 of the secret is
// stored; the secret is shown once, when the token is created.
type Token struct {
	ID       TokenID    `json:"id"`
	PersonID PersonID   `json:"person_id"`
	Terminal TerminalID `json:"terminal,omitempty"` // the terminal requests with this token count as coming from
	Label    string     `json:"label"`
	Hash     []byte     `json:"-"`
	Created  time.Time  `json:"created"`
	Expires  time.Time  `json:"expires"`
	Revoked  time.Time  `json:"revoked,omitzero"`
	// Scopes limit what the token may do; a token without the scope a request needs is refused (401).
	Scopes []Scope `json:"scopes"`
}

// Scope is what an API token may do.
type Scope string

// Scopes of API tokens.
const (
	ScopeRead  Scope = "read"  // GET requests
	ScopeWrite Scope = "write" // every other request
)

// Validate reports an unknown scope as [ErrInvalid].
func (s Scope) Validate() error {
	if s == ScopeRead || s == ScopeWrite {
		return nil
	}
	return Invalidf("unknown scope %q: want read or write", truncate(string(s), 30))
}

// Allows reports whether the token holds scope s.
func (k Token) Allows(s Scope) bool {
	for _, x := range k.Scopes {
		if x == s {
			return true
		}
	}
	return false
}

// ActiveAt reports whether the token may be used at t.
func (k Token) ActiveAt(t time.Time) bool {
	return t.Before(k.Expires) && (k.Revoked.IsZero() || t.Before(k.Revoked))
}
