package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Opinion is the commission's opinion on a case as stored (A27.2): its reasons sealed under the case's data key
// (keyring.SealRecord, record "opinion"), everything else in clear.
type Opinion struct {
	Case    cleared.VettingCaseID
	Advice  cleared.Advice
	Members []cleared.PersonID
	By      cleared.PersonID
	Given   time.Time
	Reasons []byte // ciphertext
}

// Opinions holds the commission's opinions (Art. 27; A27.2, A27.4), one per case: the deciding authority's refusal
// or withdrawal relies on it, so its rows are sealed.
type Opinions interface {
	// AddOpinion stores o; ErrConflict if the case has an opinion already, ErrInvalid if the case does not exist,
	// the advice is unknown, or it names no member or no reasons.
	AddOpinion(o Opinion) error
	// CaseOpinion returns the opinion on case id; ErrNotFound if there is none.
	CaseOpinion(id cleared.VettingCaseID) (Opinion, error)
}
