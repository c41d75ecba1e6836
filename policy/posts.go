package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Posts, classified contracts and the categories exempt from clearance (Art. 14, Art. 16; A14.1, A16.1): who
// records them, who may be assigned, who is flagged for lacking the clearance his assignment needs, and the
// ceiling of the level a clearance may be granted at.

// RecordPost decides whether one security officer of officerOf (in office at the decision), or an NSA officer,
// may record a post of organisation org or a contract it awards (A14.1): the organisation's security officer
// knows its functions and contracts, the NSA keeps every register (A20.1).
func RecordPost(officerOf []cleared.OrganisationID, nsa bool, org cleared.OrganisationID) Decision {
	if nsa || isOfficer(officerOf, org) {
		return Allow
	}
	return deny("A14.1", "only the organisation's security officer in office, or the NSA, records its posts and classified contracts")
}

// AssignTarget is what a person is assigned to: a post of Organisation, or a contract Organisation awarded to
// Contractor, for Period, requiring Level.
type AssignTarget struct {
	Organisation cleared.OrganisationID
	Contractor   cleared.OrganisationID // contracts only
	Level        cleared.Level
	Period       cleared.Period
}

// Assign decides whether one security officer of officerOf, or an NSA officer, may assign person p to target for
// period (A14.1): the security officer of the post's organisation, or of either party to the contract; a person of
// that organisation (for a contract, of either party); within the post's or the contract's period.
func Assign(officerOf []cleared.OrganisationID, nsa bool, tg AssignTarget, p cleared.Person, period cleared.Period) Decision {
	officer := isOfficer(officerOf, tg.Organisation) || isOfficer(officerOf, tg.Contractor)
	switch {
	case !nsa && !officer:
		return deny("A14.1", "only a security officer of the organisation (for a contract, of either party), or the NSA, assigns persons to it")
	case p.OrganisationID != tg.Organisation && (tg.Contractor == "" || p.OrganisationID != tg.Contractor):
		return deny("A14.1", "the person does not belong to the post's organisation (for a contract, to either party)")
	case !period.Within(tg.Period):
		return deny("A14.1", "the assignment must lie within the post's or the contract's period")
	}
	return Allow
}

// EndAssignment decides whether one security officer of officerOf, or an NSA officer, may end assignment a (to
// target tg) at until, deciding at t (A14.1): who may assign; an end from now on (the past is what the flags
// were computed on), never after the end recorded (an assignment is ended, not lengthened: record a new one).
func EndAssignment(officerOf []cleared.OrganisationID, nsa bool, tg AssignTarget, a cleared.Assignment, until, t time.Time) Decision {
	switch {
	case !nsa && !isOfficer(officerOf, tg.Organisation) && !isOfficer(officerOf, tg.Contractor):
		return deny("A14.1", "only a security officer of the organisation (for a contract, of either party), or the NSA, ends an assignment")
	case until.Before(t):
		return deny("A14.1", "an assignment is ended from now on, not in the past")
	case !a.Until.IsZero() && until.After(a.Until):
		return deny("A14.1", "an assignment is ended, not lengthened: record a new one")
	}
	return Allow
}

// Exempt reports whether person p belongs at t to a category exempt from clearance (Art. 14, A14.1): a membership
// in force at t of a category the NSA recorded (categories lists those that could be read), or the person's record
// as a member of the Government, which is one way of recording a membership of the Government with no end date.
func Exempt(p cleared.Person, ms []cleared.ExemptionMembership, categories map[cleared.ExemptionCategoryID]cleared.ExemptionCategory, t time.Time) bool {
	if p.GovernmentMember {
		return true
	}
	for _, m := range ms {
		if _, ok := categories[m.Category]; ok && m.PersonID == p.ID && m.At(t) {
			return true
		}
	}
	return false
}

// RequiredAssignment is an assignment with the level its post or contract requires.
type RequiredAssignment struct {
	Assignment cleared.Assignment
	Level      cleared.Level
}

// RequiredLevel returns the highest level required at t by the assignments given (of one person), and false if
// none is in force at t (A16.1: the level comes from the post).
func RequiredLevel(as []RequiredAssignment, t time.Time) (cleared.Level, bool) {
	best, ok := cleared.Unclassified, false
	for _, a := range as {
		if a.Assignment.At(t) && a.Level.Classified() {
			if a.Level > best {
				best = a.Level
			}
			ok = true
		}
	}
	return best, ok
}

// ClearanceForPosts decides whether a clearance of level may be recorded for a person whose assignments are as,
// issued at issued (A16.1): never above the highest level his posts and contracts in force at the issue require.
// A person with no assignment in force at the issue has no ceiling in cleared: the paper register's clearances
// predate the posts recorded here, and the full procedure (a case opened for a post) brings its own.
func ClearanceForPosts(level cleared.Level, as []RequiredAssignment, issued time.Time) Decision {
	required, ok := RequiredLevel(as, issued)
	if !ok {
		return Allow
	}
	return GrantClearanceLevel(required, level)
}

// Uncleared decides whether a person assigned to what requires level is covered at t (A14.1): exempt, or holding a
// clearance valid at t at that level or above. The refusal is the flag raised to the security officer.
func Uncleared(level cleared.Level, clearances []cleared.Clearance, exempt bool, t time.Time) Decision {
	if exempt {
		return Allow
	}
	best, ok := BestClearance(clearances, t)
	switch {
	case !ok:
		return deny("A14.1", "the person holds no valid security clearance for an assignment that requires one")
	case best < level:
		return deny("A14.1", "the person's clearance ("+best.French()+") is below the level the assignment requires ("+level.French()+")")
	}
	return Allow
}

// Assignee is an assignment in force with what decides its flag: the required level, the person, his clearances
// and whether he is exempt at the time of the agenda.
type Assignee struct {
	Assignment cleared.Assignment
	Level      cleared.Level
	Person     cleared.Person
	Clearances []cleared.Clearance
	Exempt     bool
}

// UnclearedItems are the assignments in force at t of the organisations the reader is security officer of (the
// assignment's organisation, or the person's: a contractor's staff on a contract; any for an NSA officer) whose person is not covered (Uncleared, A14.1). Each is due, and overdue, from the assignment's
// start.
func UnclearedItems(officerOf []cleared.OrganisationID, nsa bool, as []Assignee, t time.Time) []AgendaItem {
	var items []AgendaItem
	for _, a := range as {
		if !a.Assignment.At(t) || a.Assignment.PersonID != a.Person.ID || (!nsa && !isOfficer(officerOf, a.Assignment.OrganisationID) && !isOfficer(officerOf, a.Person.OrganisationID)) {
			continue
		}
		if Uncleared(a.Level, a.Clearances, a.Exempt, t).Allowed {
			continue
		}
		asg, p := a.Assignment, a.Person
		items = append(items, agendaItem(AgendaItem{Kind: AgendaUncleared, Due: asg.From, Person: &p, Assignment: &asg}, t))
	}
	return items
}

// SeePosts decides whether one security officer of officerOf, or an NSA officer, may see what orgs answer for: a
// post of, or a contract between, them, with its assignments (A14.1; who holds which post is the person's file,
// A23.1). The refusal hides the object: it is not the viewer's to know it exists.
func SeePosts(officerOf []cleared.OrganisationID, nsa bool, orgs ...cleared.OrganisationID) Decision {
	if nsa {
		return Allow
	}
	for _, o := range orgs {
		if isOfficer(officerOf, o) {
			return Allow
		}
	}
	return hidden("A14.1", "only the organisation's security officer, or the NSA, sees its posts and contracts")
}

// OfferPosts: posts, contracts and assignments are recorded by a security officer in office, or the NSA (A14.1):
// one who is neither has nothing to record.
func OfferPosts(o Offer, t time.Time) Decision {
	if len(o.OfficerOf) > 0 || NSARegister(o.Person, o.Clearances, t).Allowed {
		return Allow
	}
	return deny("A14.1", "only a security officer in office, or the NSA, records posts, contracts and assignments")
}

// OfferExemptions: the register of exemptions is the NSA's (A14.1, A20.1).
func OfferExemptions(o Offer, t time.Time) Decision { return NSARegister(o.Person, o.Clearances, t) }
