package policy

import (
	"slices"
	"time"

	"github.com/cleared/cleared"
)

// DowngradePiece decides whether a person holding the authorities candidates may lower piece p to level to at t
// (to Unclassified: declassify), and as which of them (Art. 5 al. 2, A5.2; Art. 5 al. 1 and 3, A5.1 and A5.3): the
// piece is not destroyed (A10.1: it keeps the marking it was destroyed under); the new level is lower than the
// piece's; one of the candidates is among actsFor, the authorities that may act for the piece's originator
// (ActsFor: the originator, its successors in office, the principal that delegated it); that authority is
// competent at t (A5.1) and, unless a member of the Government, holds a clearance valid at t at least at the
// piece's present level (A5.3: who handles a piece at a level is cleared for it, as who classifies at it). It
// returns the first candidate, in the order given, for which every rule allows.
func DowngradePiece(p cleared.Piece, candidates []Authority, actsFor []cleared.AuthorityID, to cleared.Level, t time.Time) (cleared.AuthorityID, Decision) {
	if !p.Destroyed.IsZero() && !t.Before(p.Destroyed) {
		return "", deny("A10.1", "the piece was destroyed: it keeps the marking it carried then")
	}
	refusal := deny("A5.2", "only the authority that classified the piece, its successor or the principal that delegated it may downgrade or declassify it")
	if !to.Valid() || to >= p.Level {
		return "", deny("A5.2", "a downgrade lowers the level; a declassification sets it to UNCLASSIFIED")
	}
	found := false
	for _, a := range candidates {
		if !slices.Contains(actsFor, a.Office.ID) {
			continue
		}
		d := Downgrade(a, actsFor, p.Level, to, t)
		if d.Allowed {
			d = ClassifierClearance(a, p.Level, t)
		}
		if d.Allowed {
			return a.Office.ID, Allow
		}
		if !found { // the first refusal of an authority that acts for the originator says what is missing
			refusal, found = d, true
		}
	}
	return "", refusal
}

// Duties decides whether an allowed outcome may go ahead when the service performs only the duties in performed
// (A1.1): any other duty a profile adds refuses the act, since skipping it would relax the profile (fail closed).
// A refused outcome stays as it is.
func Duties(o Outcome, performed ...Duty) Decision {
	if !o.Allowed {
		return o.Decision
	}
	for _, ob := range o.Obligations {
		if slices.Contains(performed, ob.Duty) {
			continue
		}
		if ob.Duty == DutyOriginatorConsent {
			return deny(ob.Rule, ob.Profile+": the originator of the piece consents before it is downgraded, declassified or released: "+
				"give the reference of its written consent (originator_consent)")
		}
		return deny(ob.Rule, ob.Profile+": the act comes with a duty ("+string(ob.Duty)+") that this service does not perform")
	}
	return Allow
}
