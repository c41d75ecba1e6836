package cleared

import "time"

// DeclassifiedMarking is the marking a declassified piece carries from its declassification on (A7.2): it is
// UNCLASSIFIED, and says that it was classified once.
const DeclassifiedMarking = "DECLASSIFIE"

// PieceMarking is one marking a piece carried (Art. 7 al. 2, A7.2): its level and marking text from From on, set by
// the person By acting as Authority, for Reason. The first is the classification; each downgrade or
// declassification adds one. The history is kept whole: a marking is never changed or removed.
type PieceMarking struct {
	Piece     PieceID     `json:"piece"`
	Seq       int         `json:"seq"` // 1 for the classification, then 2, 3 … in order
	Level     Level       `json:"level"`
	Marking   string      `json:"marking"`
	From      time.Time   `json:"from"`
	Authority AuthorityID `json:"authority"`
	By        PersonID    `json:"by"`
	Reason    string      `json:"reason"`
	// Consent is the reference of the foreign originator's consent to the change, where a rule profile asks for
	// it (A1.1: a NATO or EU piece), as the person who acted declared it; empty otherwise.
	Consent string `json:"originator_consent,omitempty"`
}
