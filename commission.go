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
