package cleared

import "time"

// Identifiers of the registers of Chapter 4's first step (Art. 14, Art. 16): posts, classified contracts, the
// assignments of persons to them, and the categories exempt from clearance with their members.
type (
	PostID                string
	ContractID            string
	AssignmentID          string
	ExemptionCategoryID   string
	ExemptionMembershipID string
)

// Prefixes of the posts' registers' IDs.
const (
	PrefixPost                = "pst_"
	PrefixContract            = "ctr_"
	PrefixAssignment          = "asg_"
	PrefixExemptionCategory   = "exc_"
	PrefixExemptionMembership = "exm_"
)

// New identifiers of posts, contracts, assignments, exemption categories and memberships.
func NewPostID() PostID             { return PostID(NewID(PrefixPost)) }
func NewContractID() ContractID     { return ContractID(NewID(PrefixContract)) }
func NewAssignmentID() AssignmentID { return AssignmentID(NewID(PrefixAssignment)) }
func NewExemptionCategoryID() ExemptionCategoryID {
	return ExemptionCategoryID(NewID(PrefixExemptionCategory))
}
func NewExemptionMembershipID() ExemptionMembershipID {
	return ExemptionMembershipID(NewID(PrefixExemptionMembership))
}

// Validate reports a malformed identifier as [ErrInvalid].
func (id PostID) Validate() error     { return checkID(string(id), PrefixPost, "post") }
func (id ContractID) Validate() error { return checkID(string(id), PrefixContract, "contract") }
func (id AssignmentID) Validate() error {
	return checkID(string(id), PrefixAssignment, "assignment")
}
func (id ExemptionCategoryID) Validate() error {
	return checkID(string(id), PrefixExemptionCategory, "exemption category")
}
func (id ExemptionMembershipID) Validate() error {
	return checkID(string(id), PrefixExemptionMembership, "exemption membership")
}

// Period is a span of time from From (inclusive) to Until (exclusive; zero for open-ended).
type Period struct {
	From  time.Time `json:"from"`
	Until time.Time `json:"until,omitzero"`
}

// At reports whether t falls within the period.
func (p Period) At(t time.Time) bool {
	return !t.Before(p.From) && (p.Until.IsZero() || t.Before(p.Until))
}

// Within reports whether p lies inside outer.
func (p Period) Within(outer Period) bool {
	if p.From.Before(outer.From) {
		return false
	}
	if outer.Until.IsZero() {
		return true
	}
	return !p.Until.IsZero() && !p.Until.After(outer.Until)
}

// Post is a function (emploi, fonction ou grade) in an organisation that needs classified pieces or access to the
// places holding them (Art. 14): it records the level it requires, which sets the level of the clearance its holder
// is vetted for (Art. 16 al. 2, A16.1).
type Post struct {
	ID             PostID         `json:"id"`
	OrganisationID OrganisationID `json:"organisation_id"`
	Title          string         `json:"title"`
	Level          Level          `json:"level"`
	Period
	CreatedBy PersonID  `json:"created_by"`
	Created   time.Time `json:"created"`
}

// Contract is a classified contract or public market (contrat ou marché public, Art. 14): one awarded by the
// contracting organisation to a contractor company whose execution uses classified pieces up to Level.
type Contract struct {
	ID             ContractID     `json:"id"`
	Reference      string         `json:"reference"`
	OrganisationID OrganisationID `json:"organisation_id"` // the contracting organisation
	Contractor     OrganisationID `json:"contractor"`      // the company executing it
	Level          Level          `json:"level"`
	Period
	CreatedBy PersonID  `json:"created_by"`
	Created   time.Time `json:"created"`
}

// Assignment places a person in a post, or on a contract's execution, for a period: exactly one of Post and
// Contract is set. OrganisationID is the post's organisation, or the contract's contracting organisation, whose
// security officer answers for it.
type Assignment struct {
	ID             AssignmentID   `json:"id"`
	PersonID       PersonID       `json:"person_id"`
	Post           PostID         `json:"post,omitempty"`
	Contract       ContractID     `json:"contract,omitempty"`
	OrganisationID OrganisationID `json:"organisation_id"`
	Period
	CreatedBy PersonID  `json:"created_by"`
	Created   time.Time `json:"created"`
}

// ExemptionCategory is a category of persons the law exempts from clearance (Art. 14: the members of the Conseil
// de Gouvernement and of the Commission de Contrôle parlementaire). It is data the NSA records, so that a reform
// that changes the list changes data, not code. Government marks the category of the members of the Government,
// the one Person.GovernmentMember records too.
type ExemptionCategory struct {
	ID         ExemptionCategoryID `json:"id"`
	Name       string              `json:"name"`
	Basis      string              `json:"basis"` // the legal basis, e.g. "Art. 14 de la loi du 15 juin 2004"
	Government bool                `json:"government"`
	CreatedBy  PersonID            `json:"created_by"`
	Created    time.Time           `json:"created"`
}

// ExemptionMembership is a person's membership of an exemption category for a period, with the reference of the
// act that makes him a member (an arrêté grand-ducal, a vote of the Chamber).
type ExemptionMembership struct {
	ID        ExemptionMembershipID `json:"id"`
	Category  ExemptionCategoryID   `json:"category"`
	PersonID  PersonID              `json:"person_id"`
	Reference string                `json:"reference"`
	Period
	CreatedBy PersonID  `json:"created_by"`
	Created   time.Time `json:"created"`
}
