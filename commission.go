package cleared

import "time"

// CommissionMember is a seat on the commission of Art. 27: a person designated (by the Prime Minister, the
// minister of Foreign Affairs or the minister of Justice) for a term.
type CommissionMember struct {
	ID         CommissionSeatID `json:"id"`
	Person     PersonID         `json:"person"`
	Designator string           `json:"designator"`
	From       time.Time        `json:"from"`
	Until      time.Time        `json:"until"`
	President  bool             `json:"president"`
	// PresidentFrom is when the member was elected president (A27.3: for three years).
	PresidentFrom time.Time `json:"president_from,omitzero"`
	// Reference is the designation act's reference; PresidentReference the commission's minutes of the election.
	Reference          string    `json:"reference"`
	PresidentReference string    `json:"president_reference,omitempty"`
	RecordedBy         PersonID  `json:"recorded_by"`
	Recorded           time.Time `json:"recorded"`
}

// InOffice reports whether the member's term covers t.
func (m CommissionMember) InOffice(t time.Time) bool { return !t.Before(m.From) && t.Before(m.Until) }

// PresidentUntil is the end of the member's presidency: three years after his election (A27.3), or the end of his
// term if sooner; zero if he was never elected.
func (m CommissionMember) PresidentUntil() time.Time {
	if !m.President {
		return time.Time{}
	}
	end := m.PresidentFrom.AddDate(3, 0, 0)
	if m.Until.Before(end) {
		return m.Until
	}
	return end
}

// Advice is what the commission advises the deciding authority on a case (A27.2).
type Advice string

// The commission's advice.
const (
	AdviceGrant    Advice = "grant"
	AdviceRefuse   Advice = "refuse"
	AdviceWithdraw Advice = "withdraw"
)

// Valid reports whether a is one of the advices.
func (a Advice) Valid() bool { return a == AdviceGrant || a == AdviceRefuse || a == AdviceWithdraw }

// Opinion is the commission's reasoned opinion on a case (Art. 27 al. 2, A27.2, A27.4): what it advises, its
// reasons, the members who gave it and when. A refusal or withdrawal is not decided without it; it is never shown
// to the person (A27.4). Its reasons are personal data, kept sealed under the case's data key.
type Opinion struct {
	Case    VettingCaseID `json:"case"`
	Advice  Advice        `json:"advice"`
	Reasons string        `json:"reasons"`
	Members []PersonID    `json:"members"`
	By      PersonID      `json:"by"` // the member who recorded it (the president, or one acting for the commission)
	Given   time.Time     `json:"given"`
}

// CommissionSeatID identifies a seat on the commission's register (one designation act).
type CommissionSeatID string

// PrefixCommissionSeat is the prefix of commission seats' IDs.
const PrefixCommissionSeat = "seat_"

// NewCommissionSeatID returns a new commission seat ID.
func NewCommissionSeatID() CommissionSeatID { return CommissionSeatID(NewID(PrefixCommissionSeat)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id CommissionSeatID) Validate() error {
	return checkID(string(id), PrefixCommissionSeat, "commission seat")
}

// The authorities that designate the commission's three members (Art. 27 al. 2, A27.2), one seat each.
const (
	DesignatorPrimeMinister  = "prime_minister"
	DesignatorForeignAffairs = "foreign_affairs"
	DesignatorJustice        = "justice"
)

// Designators lists the designating authorities in the law's order.
var Designators = []string{DesignatorPrimeMinister, DesignatorForeignAffairs, DesignatorJustice}

// ValidDesignator reports whether d is one of the designating authorities.
func ValidDesignator(d string) bool {
	return d == DesignatorPrimeMinister || d == DesignatorForeignAffairs || d == DesignatorJustice
}

// CommissionRequestID identifies a request of the commission on a case.
type CommissionRequestID string

// PrefixCommissionRequest is the prefix of commission requests' IDs.
const PrefixCommissionRequest = "creq_"

// NewCommissionRequestID returns a new commission request ID.
func NewCommissionRequestID() CommissionRequestID {
	return CommissionRequestID(NewID(PrefixCommissionRequest))
}

// Validate reports a malformed identifier as [ErrInvalid].
func (id CommissionRequestID) Validate() error {
	return checkID(string(id), PrefixCommissionRequest, "commission request")
}

// RequestKind is what the commission asks the NSA for on a case (Art. 27 al. 5 and 6, A27.4).
type RequestKind string

// The commission's requests: the whole investigation file, or more information (answered by an NSA officer).
const (
	RequestFile        RequestKind = "file"
	RequestInformation RequestKind = "information"
)

// Valid reports whether k is one of the kinds of request.
func (k RequestKind) Valid() bool { return k == RequestFile || k == RequestInformation }

// CommissionRequest is a request of the commission on a case (A27.4): for the whole file, recorded and served at
// once, or for more information, addressed to the NSA and answered by one of its officers. Question and answer are
// personal data of the case.
type CommissionRequest struct {
	ID         CommissionRequestID `json:"id"`
	Case       VettingCaseID       `json:"case"`
	Kind       RequestKind         `json:"kind"`
	By         PersonID            `json:"by"`
	Made       time.Time           `json:"made"`
	Question   string              `json:"question,omitempty"`
	AnsweredBy PersonID            `json:"answered_by,omitempty"`
	Answered   time.Time           `json:"answered,omitzero"`
	Answer     string              `json:"answer,omitempty"`
}

// HearingID identifies a hearing before the commission.
type HearingID string

// PrefixHearing is the prefix of hearings' IDs.
const PrefixHearing = "hear_"

// NewHearingID returns a new hearing ID.
func NewHearingID() HearingID { return HearingID(NewID(PrefixHearing)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id HearingID) Validate() error { return checkID(string(id), PrefixHearing, "hearing") }

// Heard is who the commission heard (Art. 27 al. 7 and 8, A27.4).
type Heard string

// Who may be heard: a member of the NSA, or the person under vetting, who presents his observations.
const (
	HeardNSA    Heard = "nsa"
	HeardPerson Heard = "person"
)

// Valid reports whether h is one of those the commission hears.
func (h Heard) Valid() bool { return h == HeardNSA || h == HeardPerson }

// Hearing is a hearing before the commission on a case (A27.4): when, who was heard, a summary, and the person's
// observations. Summary and observations are personal data of the case.
type Hearing struct {
	ID           HearingID     `json:"id"`
	Case         VettingCaseID `json:"case"`
	Heard        Heard         `json:"heard"`
	Person       PersonID      `json:"person"` // the NSA member, or the person under vetting
	Held         time.Time     `json:"held"`
	RecordedBy   PersonID      `json:"recorded_by"`
	Recorded     time.Time     `json:"recorded"`
	Summary      string        `json:"summary"`
	Observations string        `json:"observations,omitempty"`
}
