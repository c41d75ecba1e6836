package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// ClearanceExpiry returns when a clearance of level l issued at issued must have been renewed (Art. 17, A17.1):
// five years after issue for TOP SECRET, ten years for the other levels. The clearance is valid before that
// instant and not at it: a TOP SECRET clearance issued on 23 November 2021 at 10:00 grants nothing from
// 23 November 2026 at 10:00.
func ClearanceExpiry(l cleared.Level, issued time.Time) time.Time {
	if l == cleared.TopSecret {
		return issued.AddDate(5, 0, 0)
	}
	return issued.AddDate(10, 0, 0)
}

// ClearanceValid decides whether clearance c is in force at t: recorded active (not suspended or withdrawn,
// A27.1), issued, and not past its expiry (A17.1). The expiry is the one recorded, which the registry computes from
// the law's parameters in force at the issue (a reform's validity from its entry into force); one recorded beyond
// the longest validity any version of the law may give counts as that, so a bad record cannot make a clearance
// last; a clearance recorded without an expiry expires as Art. 17 of the 2004 law says (ClearanceExpiry).
func ClearanceValid(c cleared.Clearance, t time.Time) Decision {
	switch {
	case !c.Level.Classified():
		return deny("A16.1", "the clearance has no classified level")
	case c.Status == cleared.ClearanceWithdrawn:
		return deny("A27.1", "the clearance was withdrawn")
	case c.Status == cleared.ClearanceSuspended:
		return deny("A27.1", "the clearance is suspended")
	case c.Status == cleared.ClearancePending:
		return deny("A18.1", "the clearance is active only once its holder has signed the declaration after the security briefing")
	case !c.BriefingDue.IsZero() && !t.Before(c.BriefingDue):
		return deny("A18.1", "the holder's re-briefing is overdue: the clearance grants nothing until he signs the declaration after it")
	case c.Status != cleared.ClearanceActive && c.Status != cleared.ClearanceExpired:
		return deny("A17.1", "the clearance has an unknown status")
	case t.Before(c.Issued):
		return deny("A17.1", "the clearance is not issued yet")
	case c.Status == cleared.ClearanceExpired || !t.Before(expiry(c)):
		return deny("A17.1", "the clearance has expired and must be renewed after a new investigation")
	}
	return Allow
}

// expiry is the recorded expiry, bounded by cleared.MaxClearanceValidityYears from the issue; Art. 17's (2004)
// for a clearance recorded without one.
func expiry(c cleared.Clearance) time.Time {
	if c.Expires.IsZero() {
		return ClearanceExpiry(c.Level, c.Issued)
	}
	if bound := c.Issued.AddDate(cleared.MaxClearanceValidityYears, 0, 0); bound.Before(c.Expires) {
		return bound
	}
	return c.Expires
}

// BestClearance returns the highest level among the clearances valid at t, and false if none is. Lists of pieces
// use it as the ceiling of what a person may see, so lists and reads apply one rule.
func BestClearance(cs []cleared.Clearance, t time.Time) (cleared.Level, bool) {
	best, ok := cleared.Unclassified, false
	for i := range cs {
		if cs[i].Level > best && ClearanceValid(cs[i], t).Allowed {
			best, ok = cs[i].Level, true
		}
	}
	return best, ok
}

// GrantClearanceLevel decides whether a clearance of level granted may be granted for a post or contract that
// requires level required (Art. 16 al. 2, A16.1): the level is set by the pieces the post needs, so never above.
func GrantClearanceLevel(required, granted cleared.Level) Decision {
	switch {
	case !granted.Classified():
		return deny("A16.1", "a clearance must be at one of the four levels TRES SECRET, SECRET, CONFIDENTIEL, RESTREINT")
	case !required.Classified():
		return deny("A16.1", "the post or contract requires no classified level, so no clearance can be granted for it")
	case granted > required:
		return deny("A16.1", "the clearance level ("+granted.French()+") is above what the post requires ("+required.French()+")")
	}
	return Allow
}

// CommissionMayAct decides whether a commission member may act at t (A27.3): within the term, holding a valid
// TOP SECRET clearance at that moment, and, for acts as president, within three years of the election.
func CommissionMayAct(m cleared.CommissionMember, clearances []cleared.Clearance, asPresident bool, t time.Time) Decision {
	if t.Before(m.From) || !t.Before(m.Until) {
		return deny("A27.3", "the member's term on the commission does not cover this date")
	}
	if asPresident && (!m.President || t.Before(m.PresidentFrom) || !t.Before(m.PresidentFrom.AddDate(3, 0, 0))) {
		return deny("A27.3", "the member is not the commission's president at this date (a president is elected for three years)")
	}
	for i := range clearances {
		if clearances[i].PersonID == m.Person && clearances[i].Level == cleared.TopSecret && ClearanceValid(clearances[i], t).Allowed {
			return Allow
		}
	}
	return deny("A27.3", "a commission member must hold a valid TRES SECRET clearance")
}

// ClearanceStatus is the status of clearance c at t, as every reader is shown it: a clearance recorded active reads
// expired from the moment of its expiry on (A17.1), whatever the record says; a suspended or withdrawn one keeps
// its decision (A27.1). The status is computed, never written when time passes, so no sweep can be late.
func ClearanceStatus(c cleared.Clearance, t time.Time) cleared.ClearanceStatus {
	if c.Status == cleared.ClearanceActive && c.Level.Classified() && !t.Before(expiry(c)) {
		return cleared.ClearanceExpired
	}
	return c.Status
}

// ClearancesAt returns a copy of cs with each status as ClearanceStatus computes it at t.
func ClearancesAt(cs []cleared.Clearance, t time.Time) []cleared.Clearance {
	out := make([]cleared.Clearance, len(cs))
	for i, c := range cs {
		c.Status = ClearanceStatus(c, t)
		out[i] = c
	}
	return out
}
