package vetting

import (
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// AgendaItems is the agenda's source of package vetting (facts.AgendaSource): the persons assigned, in the
// organisations the reader is security officer of (any for an NSA officer), to a post or a contract without the
// valid clearance its level needs and not exempt (A14.1), and the cases of their staff closed for non-cooperation
// (A26.1), their clearances to renew (A17.1) and those awaiting a briefing or overdue for one (A18.1); the reader's own
// cases waiting for his questionnaire (A25.1) and clearances awaiting his briefing or declaration (A18.1); for the
// NSA, the reports of changes of circumstances not taken up (A18.1). The policy decides which are flagged
// and whose.
func (s *Service) AgendaItems(tx store.Tx, r policy.AgendaReader, t time.Time) ([]policy.AgendaItem, error) {
	officerOf, err := facts.OfficerOf(tx, r.Person.ID, t)
	if err != nil {
		return nil, err
	}
	cs, err := tx.PersonClearances(r.Person.ID)
	if err != nil {
		return nil, err
	}
	nsa := policy.NSARegister(r.Person, cs, t).Allowed
	orgs := officerOf
	if nsa {
		orgs = []cleared.OrganisationID{""}
	}
	var as []policy.Assignee
	seen := map[cleared.AssignmentID]bool{}
	for _, o := range orgs {
		l, err := tx.Assignments(store.AssignmentQuery{Organisation: o, Limit: maxListLimit})
		if err != nil {
			return nil, err
		}
		for _, asg := range l {
			if seen[asg.ID] || !asg.At(t) {
				continue
			}
			seen[asg.ID] = true
			level, err := facts.AssignmentLevel(tx, asg)
			if err != nil {
				continue // a post or contract that fails its seal shows nothing of its assignments
			}
			p, err := tx.Person(asg.PersonID)
			if err != nil {
				continue
			}
			pcs, err := tx.PersonClearances(p.ID)
			if err != nil {
				return nil, err
			}
			exempt, err := facts.Exempt(tx, p, t)
			if err != nil {
				return nil, err
			}
			as = append(as, policy.Assignee{Assignment: asg, Level: level, Person: p, Clearances: pcs, Exempt: exempt})
		}
	}
	items := policy.UnclearedItems(officerOf, nsa, as, t)
	var cases []cleared.VettingCase
	for _, o := range officerOf {
		l, err := tx.VettingCases(store.VettingCaseQuery{Organisation: o, ClosedSince: t.Add(-policy.ClosedNotice), Limit: maxListLimit})
		if err != nil {
			return nil, err
		}
		cases = append(cases, l...)
	}
	items = append(items, policy.ClosedCaseItems(officerOf, cases, t)...)
	renewals, err := renewalItems(tx, r.Person.ID, officerOf, t)
	if err != nil {
		return nil, err
	}
	items = append(items, renewals...)
	mine, err := tx.VettingCases(store.VettingCaseQuery{Person: r.Person.ID, Open: true, Limit: maxListLimit})
	if err != nil {
		return nil, err
	}
	items = append(items, policy.QuestionnaireItems(r.Person.ID, mine, t)...)
	briefings, err := briefingItems(tx, r.Person.ID, officerOf, t) // A18.1 (briefings.go)
	if err != nil {
		return nil, err
	}
	reports, err := circumstanceItems(tx, nsa, t)
	if err != nil {
		return nil, err
	}
	return append(append(items, briefings...), reports...), nil
}

// renewalItems loads what policy.RenewalItems decides on: the staff of officerOf whose clearance expires within a
// year and a day of t, with all their clearances and whether a renewal case of theirs is open (A17.1).
func renewalItems(tx store.Tx, me cleared.PersonID, officerOf []cleared.OrganisationID, t time.Time) ([]policy.AgendaItem, error) {
	if len(officerOf) == 0 {
		return nil, nil
	}
	cs, err := tx.ExpiringClearances(store.ExpiryQuery{Organisations: officerOf, From: t, By: t.AddDate(1, 0, 1), Limit: maxListLimit})
	if err != nil {
		return nil, err
	}
	var holders []policy.Holder
	renewing := map[cleared.PersonID]bool{}
	seen := map[cleared.PersonID]bool{me: true}
	for _, c := range cs {
		if seen[c.PersonID] {
			continue
		}
		seen[c.PersonID] = true
		p, err := tx.Person(c.PersonID)
		if err != nil {
			continue // a person whose row fails its seal shows nothing
		}
		all, err := tx.PersonClearances(p.ID)
		if err != nil {
			return nil, err
		}
		open, err := tx.VettingCases(store.VettingCaseQuery{Person: p.ID, Open: true, Limit: maxListLimit})
		if err != nil {
			return nil, err
		}
		for _, vc := range open {
			renewing[p.ID] = renewing[p.ID] || vc.Kind == cleared.KindRenewal
		}
		holders = append(holders, policy.Holder{Person: p, Clearances: all})
	}
	return policy.RenewalItems(me, officerOf, holders, renewing, t), nil
}
