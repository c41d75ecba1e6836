package cleared

import "time"

// CommissionMember is a seat on the commission of Art. 27: a person designated (by the Prime Minister, the
// minister of Foreign Affairs or the minister of Justice) for a term.
type CommissionMember struct {
	Person     PersonID  `json:"person"`
	Designator string    `json:"designator"`
	From       time.Time `json:"from"`
	Until      time.Time `json:"until"`
	President  bool      `json:"president"`
	// PresidentFrom is when the member was elected president (A27.3: for three years).
	PresidentFrom time.Time `json:"president_from,omitzero"`
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
