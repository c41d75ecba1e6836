package facts

import (
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// maxAssignments bounds the assignments of one person read for a decision: more than any person holds at once.
const maxAssignments = 500

// Exempt reports whether person p is exempt from clearance at t (Art. 14, A14.1): a member, at t, of a category
// the NSA recorded in the register of exemptions, or recorded as a member of the Government (policy.Exempt). A
// category whose row fails its seal exempts no one (fail closed); its members need their clearance.
func Exempt(tx store.Posts, p cleared.Person, t time.Time) (bool, error) {
	if p.GovernmentMember {
		return true, nil
	}
	ms, err := tx.ExemptionMemberships("", p.ID)
	if err != nil || len(ms) == 0 {
		return false, err
	}
	cats := map[cleared.ExemptionCategoryID]cleared.ExemptionCategory{}
	for _, m := range ms {
		if _, ok := cats[m.Category]; ok || !m.At(t) {
			continue
		}
		c, err := tx.ExemptionCategory(m.Category)
		var tampered *store.TamperedError
		switch {
		case errors.As(err, &tampered):
			continue
		case err != nil:
			return false, err
		}
		cats[c.ID] = c
	}
	return policy.Exempt(p, ms, cats, t), nil
}

// RequiredAssignments loads the assignments of person, each with the level its post or contract requires
// (A16.1). A post or contract that cannot be read (its row fails its seal) is an error: the ceiling it sets must
// not be lifted by an edit in the database.
func RequiredAssignments(tx store.Posts, person cleared.PersonID) ([]policy.RequiredAssignment, error) {
	as, err := tx.Assignments(store.AssignmentQuery{Person: person, Limit: maxAssignments})
	if err != nil {
		return nil, err
	}
	out := make([]policy.RequiredAssignment, 0, len(as))
	for _, a := range as {
		l, err := AssignmentLevel(tx, a)
		if err != nil {
			return nil, err
		}
		out = append(out, policy.RequiredAssignment{Assignment: a, Level: l})
	}
	return out, nil
}

// AssignmentLevel is the level assignment a's post or contract requires.
func AssignmentLevel(tx store.Posts, a cleared.Assignment) (cleared.Level, error) {
	if a.Post != "" {
		p, err := tx.Post(a.Post)
		return p.Level, err
	}
	c, err := tx.Contract(a.Contract)
	return c.Level, err
}
