package cleared

import "time"

// Outcome is what the deciding authority decides on a vetting case (Art. 27 al. 1, A27.1): to grant a clearance,
// to refuse it, or to withdraw the one the person holds.
type Outcome string

// The outcomes of a decision.
const (
	OutcomeGrant    Outcome = "grant"
	OutcomeRefuse   Outcome = "refuse"
	OutcomeWithdraw Outcome = "withdraw"
)

// Valid reports whether o is one of the outcomes.
func (o Outcome) Valid() bool { return o == OutcomeGrant || o == OutcomeRefuse || o == OutcomeWithdraw }

// Negative reports whether o goes against the person: a refusal or a withdrawal, which need the commission's
// opinion (A27.2) and may be appealed (A29.1).
func (o Outcome) Negative() bool { return o == OutcomeRefuse || o == OutcomeWithdraw }

// AppealRoute is the appeal route every decision names (Art. 29, A29.1), in French then English.
const AppealRoute = "Recours : la décision de refus ou de retrait peut faire l'objet d'un recours en annulation devant " +
	"le tribunal administratif (loi du 7 novembre 1996 portant organisation des juridictions de l'ordre administratif), " +
	"dans les trois mois de sa notification (art. 29 de la loi du 15 juin 2004). / Appeal: a refusal or withdrawal may be " +
	"challenged by an action for annulment before the administrative tribunal (law of 7 November 1996 on the " +
	"administrative courts) within three months of its notification (Art. 29 of the law of 15 June 2004)."

// VettingDecision is the deciding authority's reasoned and signed decision on a case (A27.1): its outcome, the
// level granted, the clearances it created or withdrew, its reasons (personal data, kept sealed under the case's
// data key), the appeal route (A29.1), who decided when, the signature's certificate and the SHA-256 of the
// document signed, and its notification to the person by his organisation's security officer (A27.1).
type VettingDecision struct {
	Case        VettingCaseID `json:"case"`
	Outcome     Outcome       `json:"outcome"`
	Level       Level         `json:"level,omitempty"` // the level granted
	Clearances  []ClearanceID `json:"clearances,omitempty"`
	Reasons     string        `json:"reasons,omitempty"`
	AppealRoute string        `json:"appeal_route"`
	By          PersonID      `json:"by"`
	Decided     time.Time     `json:"decided"`
	Certificate string        `json:"certificate"`
	Digest      string        `json:"document_sha256"`
	Notified    time.Time     `json:"notified,omitzero"`
	NotifiedBy  PersonID      `json:"notified_by,omitempty"`
}

// AppealOutcome is how a court ruled on an appeal against a decision (A29.1).
type AppealOutcome string

// The outcomes of an appeal: the decision upheld, annulled, or the appeal dismissed (inadmissible or withdrawn).
const (
	AppealUpheld    AppealOutcome = "upheld"
	AppealAnnulled  AppealOutcome = "annulled"
	AppealDismissed AppealOutcome = "dismissed"
)

// Valid reports whether o is one of the appeal outcomes.
func (o AppealOutcome) Valid() bool {
	return o == AppealUpheld || o == AppealAnnulled || o == AppealDismissed
}

// Appeal is an appeal lodged against a refusal or withdrawal (Art. 29, A29.1), as the NSA records it: when, before
// which court, its reference, and once ruled its outcome and date.
type Appeal struct {
	Case       VettingCaseID `json:"case"`
	Number     int           `json:"number"`
	Lodged     time.Time     `json:"lodged"`
	Court      string        `json:"court"`
	Reference  string        `json:"reference"`
	RecordedBy PersonID      `json:"recorded_by"`
	Outcome    AppealOutcome `json:"outcome,omitempty"`
	Ruled      time.Time     `json:"ruled,omitzero"`
	RuledBy    PersonID      `json:"ruled_recorded_by,omitempty"`
}

// Suspension is the suspension of a clearance (A27.1), by the NSA or the deciding authority, e.g. while a
// follow-up investigation runs: from Suspended until Lifted the clearance grants nothing. Previous is the status it
// returns to when lifted. The reasons are personal data, kept sealed under the suspension's own data key.
type Suspension struct {
	Clearance   ClearanceID     `json:"clearance"`
	Number      int             `json:"number"`
	Previous    ClearanceStatus `json:"previous_status"`
	Reasons     string          `json:"reasons,omitempty"`
	By          PersonID        `json:"by"`
	Suspended   time.Time       `json:"suspended"`
	Lifted      time.Time       `json:"lifted,omitzero"`
	LiftedBy    PersonID        `json:"lifted_by,omitempty"`
	LiftReasons string          `json:"lift_reasons,omitempty"`
}
