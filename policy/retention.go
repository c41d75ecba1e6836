package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Retention of investigation data (Art. 23 al. 2; A23.2): the data of a case is destroyed six months after a
// refusal and five years after the person stops the activity that needed access, unless the NSA records why the
// reasons for collecting it are still current, with the date it reviews that again.

// The retention periods of Art. 23 al. 2.
const (
	RetainNegativeMonths = 6 // after a refusal (a withdrawal, a refusal for non-cooperation)
	RetainActivityYears  = 5 // after the person stops the activity needing access
)

// RetentionFacts is what the retention of one case is decided on: the case, the person's assignments to posts and
// contracts (every one of which requires a clearance, A14.1) and his clearances, the NSA's hold if any (its review
// date; zero if none) and the purge's date (zero if not purged).
type RetentionFacts struct {
	Case        cleared.VettingCase
	Assignments []cleared.Assignment
	Clearances  []cleared.Clearance
	HoldReview  time.Time
	Purged      time.Time
}

// ActivityEnd is when the person of f stopped the activity needing access, as known at t, and false while he has
// not: an assignment to a post or contract in force at t is that activity; once none is, it ended with the last
// one's end. A person never assigned in cleared (a case from abroad, A20.1) is active while he holds a clearance
// granted or in force at t (pending its briefing included), and stopped at the latest expiry of his clearances:
// a withdrawal records no date, so its expiry is taken, which keeps the data longer rather than shorter. The
// activity never ends before the case closed.
func ActivityEnd(f RetentionFacts, t time.Time) (time.Time, bool) {
	end := f.Case.Closed
	if len(f.Assignments) > 0 {
		for _, a := range f.Assignments {
			if a.At(t) || a.From.After(t) {
				return time.Time{}, false
			}
			if a.Until.After(end) {
				end = a.Until
			}
		}
		return end, true
	}
	for _, c := range f.Clearances {
		if (c.Status == cleared.ClearanceActive || c.Status == cleared.ClearancePending) && t.Before(c.Expires) {
			return time.Time{}, false
		}
		if c.Expires.After(end) {
			end = c.Expires // a withdrawn or suspended clearance counts to its expiry, even one still to come
		}
	}
	return end, true
}

// RetentionDue is when the personal data of the case of f is due for erasure as known at t, and false if it is
// not due at any date known yet: an open case, a granted one whose person is still active, a purged one. A case
// refused, refused for non-cooperation or withdrawn (treated as a refusal: the clearance is taken away, the
// person is no longer to have access) is due six months after its closing; a granted one five years after the
// person stopped the activity needing access (ActivityEnd). A hold moves the date to its review date when that is
// later.
func RetentionDue(f RetentionFacts, t time.Time) (time.Time, bool) {
	c := f.Case
	if !f.Purged.IsZero() || !c.Stage.Closed() || c.Closed.IsZero() {
		return time.Time{}, false
	}
	var due time.Time
	switch {
	case c.Stage.Negative():
		due = c.Closed.AddDate(0, RetainNegativeMonths, 0)
	case c.Stage == cleared.StageGranted:
		end, ok := ActivityEnd(f, t)
		if !ok {
			return time.Time{}, false
		}
		due = end.AddDate(RetainActivityYears, 0, 0)
	default:
		return time.Time{}, false
	}
	if f.HoldReview.After(due) {
		due = f.HoldReview
	}
	return due, true
}

// PurgeDue reports whether the data of the case of f is to be erased at t: its due date has come (exactly at six
// months, exactly at five years, exactly at a hold's review date).
func PurgeDue(f RetentionFacts, t time.Time) bool {
	due, ok := RetentionDue(f, t)
	return ok && !t.Before(due)
}

// MaxHoldYears bounds how far ahead a hold's review date may be: the NSA reviews again within that.
const MaxHoldYears = 5

// RetentionHold decides whether person p (holding clearances) may record at t a hold on the case of f, to review
// on review (A23.2): an NSA officer cleared at t, on a closed case not purged, with a review date after t and
// within MaxHoldYears. The reason is checked as input by the service.
func RetentionHold(p cleared.Person, clearances []cleared.Clearance, f RetentionFacts, review, t time.Time) Decision {
	if d := NSARegister(p, clearances, t); !d.Allowed {
		return deny("A23.2", "only an NSA officer holding a valid clearance records why a case's data is kept")
	}
	switch {
	case !f.Purged.IsZero():
		return deny("A23.2", "the case's data was purged: there is nothing left to keep")
	case !f.Case.Stage.Closed():
		return deny("A23.2", "an open case's data is kept while the procedure runs: a hold is for a closed case")
	case !review.After(t):
		return deny("A23.2", "the hold's review date is after today")
	case review.After(t.AddDate(MaxHoldYears, 0, 0)):
		return deny("A23.2", "the hold's review date is at most five years ahead: the reasons are reviewed again")
	}
	return Allow
}

// SeeRetention decides whether person p may see the retention of cases (which are due, held, purged) at t: the
// NSA, which keeps the data and purges it (A23.2).
func SeeRetention(p cleared.Person, clearances []cleared.Clearance, t time.Time) Decision {
	if d := NSARegister(p, clearances, t); !d.Allowed {
		return deny("A23.2", "only an NSA officer holding a valid clearance sees the retention of investigation data")
	}
	return Allow
}
