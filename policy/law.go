package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// ClearanceExpiryUnder returns when a clearance of level l issued at issued must have been renewed under law, the
// law's parameters in force when it was issued (A17.1): ClearanceExpiry's rule with the validity that version
// gives, so that a reform changes it by a dated version, not a release. Parameters that give the level no validity
// refuse (fail closed): a clearance without an end would never be renewed.
func ClearanceExpiryUnder(law cleared.LawParameters, l cleared.Level, issued time.Time) (time.Time, Decision) {
	if !l.Classified() {
		return time.Time{}, deny("A16.1", "a clearance must be at one of the four levels")
	}
	e, ok := law.ClearanceExpiry(l, issued)
	if !ok {
		return time.Time{}, deny("A17.1", "the law's parameters in force give no validity for a "+l.French()+" clearance")
	}
	return e, Allow
}

// LawInForce returns, of versions, the one in force at t: the highest version whose entry into force is not
// after t (exactly at its date it applies), and false when none is yet.
func LawInForce(versions []cleared.LawParameters, t time.Time) (cleared.LawParameters, bool) {
	var best cleared.LawParameters
	found := false
	for _, v := range versions {
		if !v.ValidFrom.After(t) && (!found || v.Version > best.Version) {
			best, found = v, true
		}
	}
	return best, found
}
