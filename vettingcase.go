package cleared

import "time"

// VettingCaseID identifies a security vetting case (Chapter 4, Art. 20, 25, 26).
type VettingCaseID string

// PrefixVettingCase is the prefix of vetting cases' IDs.
const PrefixVettingCase = "vet_"

// NewVettingCaseID returns a new vetting case ID.
func NewVettingCaseID() VettingCaseID { return VettingCaseID(NewID(PrefixVettingCase)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id VettingCaseID) Validate() error {
	return checkID(string(id), PrefixVettingCase, "vetting case")
}

// CaseOrigin is who asked for a vetting case (A20.1): the security officer of the person's organisation, a foreign
// National Security Authority, or an international organisation.
type CaseOrigin string

// The origins of a case.
const (
	OriginNational      CaseOrigin = "national"
	OriginForeignNSA    CaseOrigin = "foreign_nsa"
	OriginInternational CaseOrigin = "international"
)

// Valid reports whether o is one of the origins.
func (o CaseOrigin) Valid() bool {
	return o == OriginNational || o == OriginForeignNSA || o == OriginInternational
}

// Foreign reports whether the case was requested from abroad (a foreign NSA or an international organisation).
func (o CaseOrigin) Foreign() bool { return o == OriginForeignNSA || o == OriginInternational }

// CaseKind is why a case is opened: a first clearance, its renewal (A17.1), or a follow-up investigation of a holder
// on information that he no longer offers the guarantees (A25.2).
type CaseKind string

// The kinds of case.
const (
	KindInitial  CaseKind = "initial"
	KindRenewal  CaseKind = "renewal"
	KindFollowUp CaseKind = "follow_up"
)

// Valid reports whether k is one of the kinds.
func (k CaseKind) Valid() bool { return k == KindInitial || k == KindRenewal || k == KindFollowUp }

// CaseStage is where a case stands. Intake goes opened → questionnaire (a draft saved) → signed (questionnaire and,
// unless a follow-up, consent signed); a case whose person does not cooperate closes refused (A26.1). The NSA then
// investigates (investigation), and files its report (reported, A15.2); the case may go to the commission
// (commission, A27.2, A27.4), and the deciding authority closes it granted, refused or withdrawn (A27.1).
type CaseStage string

// The stages of a case.
const (
	StageOpened               CaseStage = "opened"
	StageQuestionnaire        CaseStage = "questionnaire"
	StageSigned               CaseStage = "signed"
	StageInvestigation        CaseStage = "investigation"
	StageReported             CaseStage = "reported"
	StageCommission           CaseStage = "commission"
	StageGranted              CaseStage = "granted"
	StageRefused              CaseStage = "refused"
	StageWithdrawn            CaseStage = "withdrawn"
	StageClosedNonCooperation CaseStage = "closed_non_cooperation"
)

// Closed reports whether the case is closed: decided, or ended for non-cooperation.
func (s CaseStage) Closed() bool {
	return s == StageClosedNonCooperation || s == StageGranted || s == StageRefused || s == StageWithdrawn
}

// Intake reports whether the case is still at intake: the person has yet to sign his questionnaire and consent.
func (s CaseStage) Intake() bool {
	return s == StageOpened || s == StageQuestionnaire
}

// Negative reports whether the case closed against the person: refused (for non-cooperation too) or withdrawn
// (A28.1, A29.1: what he may appeal and whose file he may ask to see; A23.2: kept six months).
func (s CaseStage) Negative() bool {
	return s == StageRefused || s == StageWithdrawn || s == StageClosedNonCooperation
}

// Non-cooperation causes (A26.1).
const (
	NonCooperationRefused = "refused" // the person said so
	NonCooperationOverdue = "overdue" // the deadline passed without the signed questionnaire and consent
)

// VettingCase is a security vetting case of a person for a post or a classified contract (Art. 25): the level
// requested is the post's (A16.1), its origin recorded (A20.1). The questionnaire's answers are not here: they are
// personal data, kept encrypted apart, and this record is what a security officer may see. A case of a legal
// entity (Holder HolderFacility, A15.1, A21.2; facility.go) has no PersonID: OrganisationID is the company, and
// Contract the classified contract it executes.
type VettingCase struct {
	ID VettingCaseID `json:"id"`
	// Holder is empty for a natural person's case (every case opened through intake) and HolderFacility for a
	// legal entity's.
	Holder         HolderKind     `json:"holder,omitempty"`
	PersonID       PersonID       `json:"person_id,omitempty"`
	OrganisationID OrganisationID `json:"organisation_id"` // the person's organisation (the company for a facility), told of the outcome
	Post           PostID         `json:"post,omitempty"`
	Contract       ContractID     `json:"contract,omitempty"`
	Level          Level          `json:"level"`
	Origin         CaseOrigin     `json:"origin"`
	// ForeignBody and ForeignReference name the requesting foreign NSA or international organisation and its
	// reference (A20.1); empty for a national case.
	ForeignBody      string   `json:"foreign_body,omitempty"`
	ForeignReference string   `json:"foreign_reference,omitempty"`
	Kind             CaseKind `json:"kind"`
	// Trigger is the information that triggered a follow-up investigation (A25.2).
	Trigger   string    `json:"trigger,omitempty"`
	Stage     CaseStage `json:"stage"`
	Deadline  time.Time `json:"deadline"` // the questionnaire and consent are signed before it (A26.1)
	OpenedBy  PersonID  `json:"opened_by"`
	Opened    time.Time `json:"opened"`
	Updated   time.Time `json:"updated"`
	Signed    time.Time `json:"signed,omitzero"`    // the questionnaire (A25.1)
	Consented time.Time `json:"consented,omitzero"` // the consent (A25.2)
	Closed    time.Time `json:"closed,omitzero"`
	// CloseCause is NonCooperationRefused or NonCooperationOverdue for a case closed under A26.1.
	CloseCause string `json:"close_cause,omitempty"`
}
