package vetting

import (
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// AgendaItems is the agenda's source of package vetting (facts.AgendaSource): the persons assigned, in the
// organisations the reader is security officer of (any for an NSA officer), to a post or a contract without the
// valid clearance its level needs and not exempt (A14.1), and the cases of their staff closed for non-cooperation
// (A26.1), the decisions on their cases waiting to be notified (A27.1), for the deciding authority the cases waiting for him (A27.1), and their clearances to renew (A17.1); and the reader's own cases waiting for his questionnaire (A25.1); for the NSA, the persons' requests to see their file (A28.1). The policy decides which are flagged
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
	notify, err := decisionItems(tx, officerOf, t)
	if err != nil {
		return nil, err
	}
	items = append(items, notify...)
	decide, err := decideItems(tx, r.Person, t)
	if err != nil {
		return nil, err
	}
	items = append(items, decide...)
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
	items = append(items, briefings...)
	reports, err := circumstanceItems(tx, r.Person.ID, nsa, t)
	if err != nil {
		return nil, err
	}
	items = append(items, reports...)
	requests, err := fileRequestItems(tx, nsa, t)
	if err != nil {
		return nil, err
	}
	items = append(items, requests...)
	commission, err := commissionAgenda(tx, r.Person, nsa, t) // the commission's, commission.go (A27.4)
	return append(items, commission...), err
}

// fileRequestItems loads what policy.FileRequestItems decides on: for an NSA officer, the persons' requests to see
// their file filed within policy.ClosedNotice of t, with their cases (A28.1).
func fileRequestItems(tx store.Tx, nsa bool, t time.Time) ([]policy.AgendaItem, error) {
	if !nsa {
		return nil, nil
	}
	rs, err := tx.FileRequests(t.Add(-policy.ClosedNotice), maxListLimit)
	if err != nil {
		return nil, err
	}
	var facts []policy.FileRequestFact
	for _, r := range rs {
		c, err := tx.VettingCase(r.Case)
		if err != nil {
			continue // a case that fails its seal shows nothing
		}
		facts = append(facts, policy.FileRequestFact{Case: c, Filed: r.Written})
	}
	return policy.FileRequestItems(nsa, facts, t), nil
}

// decisionItems loads what policy.DecisionItems decides on: the cases of the organisations one is security officer
// of whose decision is not yet notified (A27.1).
func decisionItems(tx store.Tx, officerOf []cleared.OrganisationID, t time.Time) ([]policy.AgendaItem, error) {
	if len(officerOf) == 0 {
		return nil, nil
	}
	ds, err := tx.Decisions(store.DecisionQuery{Organisations: officerOf, Unnotified: true, Limit: maxListLimit})
	if err != nil {
		return nil, err
	}
	var cases []cleared.VettingCase
	for _, d := range ds {
		c, err := tx.VettingCase(d.Case)
		if err != nil {
			continue // a case whose row fails its seal shows nothing
		}
		cases = append(cases, c)
	}
	return policy.DecisionItems(officerOf, cases, t), nil
}

// decideItems loads what policy.DecideItems decides on, for the deciding authority only: the open cases and which
// of them the commission gave its opinion on (A27.1).
func decideItems(tx store.Tx, me cleared.Person, t time.Time) ([]policy.AgendaItem, error) {
	if !me.HasRole(cleared.RoleDecider) {
		return nil, nil
	}
	cs, err := tx.VettingCases(store.VettingCaseQuery{Open: true, Limit: maxListLimit})
	if err != nil {
		return nil, err
	}
	opinion := map[cleared.VettingCaseID]bool{}
	for _, c := range cs {
		if c.Stage != cleared.StageCommission {
			continue
		}
		_, err := tx.CaseOpinion(c.ID)
		if err != nil && !errors.Is(err, cleared.ErrNotFound) {
			return nil, err
		}
		opinion[c.ID] = err == nil
	}
	return policy.DecideItems(true, cs, opinion, t), nil
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
