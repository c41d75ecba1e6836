// Package facts loads what the policy decides by: the acting person, his subject (clearances, grants in force,
// terminal), the organisations he is security officer of, an authority with its delegations and principals (Art. 5),
// and who acts for a piece's originator (A5.2). Every service package (registry, auth, and the chapters to come)
// loads them here, so that a rule is always decided on the same facts. The database is not trusted with access:
// what it hands back goes to package policy, which decides; nothing here allows or refuses, except that an actor
// whose person is gone is unauthenticated and that RequireNSA asks policy.NSARegister (A20.1).
//
// memo.go keeps, for reads only, what access decisions read, keyed by the store's generation.
package facts

import (
	"errors"
	"slices"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Each loader takes the narrowest chapters of the storage contract it reads; a store.Tx is all of them.
type (
	// PersonReader reads persons and their clearances.
	PersonReader interface {
		store.Registers
		store.Clearances
	}
	// SubjectReader reads what a subject is made of: person, clearances, grants, terminal, judicial orders.
	SubjectReader interface {
		PersonReader
		store.Grants
		store.Places
		store.JudicialOrders
		store.Posts // the exemptions from clearance (exemptions.go)
		// The briefings of his clearances and the rule profiles in force: an overdue re-briefing suspends a
		// clearance where a profile says so (A18.1).
		store.Briefings
		store.Profiles
	}
	// AuthorityReader reads an authority, its holder and his clearances, and its delegations.
	AuthorityReader interface {
		PersonReader
		store.Authorities
	}
)

// ActorPerson loads the acting person; an actor whose person is gone is unauthenticated.
func ActorPerson(tx store.Registers, a cleared.Actor) (cleared.Person, error) {
	if err := a.Person.Validate(); err != nil {
		return cleared.Person{}, cleared.ErrUnauthenticated
	}
	p, err := tx.Person(a.Person)
	if errors.Is(err, cleared.ErrNotFound) {
		return cleared.Person{}, cleared.ErrUnauthenticated
	}
	return p, err
}

// RequireNSA loads the actor of x and refuses him unless he keeps the NSA's registers (A20.1).
func RequireNSA(tx PersonReader, x *act.Act) (cleared.Person, error) {
	p, err := ActorPerson(tx, x.Actor)
	if err != nil {
		return p, err
	}
	cs, err := tx.PersonClearances(p.ID)
	if err != nil {
		return p, err
	}
	if d := policy.NSARegister(p, cs, x.Now); !d.Allowed {
		return p, x.Deny("", d)
	}
	return p, nil
}

// Subject loads what access decisions need about the actor at now: person, clearances, active grants, terminal,
// the judicial orders naming him (A9.5).
func Subject(tx SubjectReader, a cleared.Actor, now time.Time) (*policy.Subject, cleared.Person, error) {
	p, err := ActorPerson(tx, a)
	if err != nil {
		return nil, p, err
	}
	return SubjectOf(tx, p, a.Terminal, now)
}

// SubjectOf loads the subject of person p at terminal (none if empty) at now.
func SubjectOf(tx SubjectReader, p cleared.Person, terminal cleared.TerminalID, now time.Time) (*policy.Subject, cleared.Person, error) {
	cs, err := tx.PersonClearances(p.ID)
	if err != nil {
		return nil, p, err
	}
	if cs, err = briefingSuspensions(tx, p, cs, now); err != nil {
		return nil, p, err
	}
	gs, err := tx.PersonGrants(p.ID, now)
	if err != nil {
		return nil, p, err
	}
	// A9.5: the judicial orders naming him, in force or not, so that a read outside an order's period is told why.
	os, err := tx.PersonJudicialOrders(p.ID)
	if err != nil {
		return nil, p, err
	}
	exempt, err := Exempt(tx, p, now)
	if err != nil {
		return nil, p, err
	}
	sub := &policy.Subject{Person: p.ID, ClearanceExempt: exempt, Clearances: cs, Grants: policy.NewGrantSet(gs),
		Orders: policy.NewJudicialSet(p.ID, os)}
	if terminal != "" {
		t, err := tx.Terminal(terminal)
		switch {
		case err == nil:
			sub.Terminal = &t
		case !errors.Is(err, cleared.ErrNotFound): // an unknown terminal is no terminal (A9.3)
			return nil, p, err
		}
	}
	return sub, p, nil
}

// OfficerOf lists the organisations a person is security officer of at now.
func OfficerOf(tx store.Registers, p cleared.PersonID, now time.Time) ([]cleared.OrganisationID, error) {
	ds, err := tx.OfficerDesignations(p)
	if err != nil {
		return nil, err
	}
	var out []cleared.OrganisationID
	for _, d := range ds {
		if d.ActiveAt(now) {
			out = append(out, d.OrganisationID)
		}
	}
	return out, nil
}

// Authority loads what Art. 5's rules need about an authority.
func Authority(tx AuthorityReader, id cleared.AuthorityID) (policy.Authority, error) {
	var f policy.Authority
	a, err := tx.Authority(id)
	if err != nil {
		return f, err
	}
	f.Office = a
	if f.Person, err = tx.Person(a.PersonID); err != nil {
		return f, err
	}
	if f.Clearances, err = tx.PersonClearances(a.PersonID); err != nil {
		return f, err
	}
	if f.Delegations, err = tx.Delegations(a.ID); err != nil {
		return f, err
	}
	f.Principals = map[cleared.AuthorityID]cleared.ClassifyingAuthority{}
	for _, d := range f.Delegations {
		p, err := tx.Authority(d.Principal)
		if err != nil {
			return f, err
		}
		f.Principals[p.ID] = p
	}
	return f, nil
}

// maxChain bounds a chain of successors followed through the store: a loop written by hand in the database must
// not hang a request.
const maxChain = 1000

// ActsFor lists the authorities that may act for a piece's originator (A5.2), following successors and
// delegations through the store.
func ActsFor(tx store.Authorities, originator cleared.AuthorityID, classified time.Time) ([]cleared.AuthorityID, error) {
	known := map[cleared.AuthorityID]cleared.ClassifyingAuthority{}
	load := func(id cleared.AuthorityID) error {
		for id != "" && len(known) < maxChain {
			if _, ok := known[id]; ok {
				return nil
			}
			a, err := tx.Authority(id)
			if err != nil {
				return err
			}
			known[id] = a
			id = a.Successor
		}
		return nil
	}
	if err := load(originator); err != nil {
		return nil, err
	}
	o := known[originator]
	ds, err := tx.Delegations(originator)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if err := load(d.Principal); err != nil {
			return nil, err
		}
	}
	return policy.ActsFor(o, classified, ds, known), nil
}

// AgendaSource is what a service contributes to the agenda (issue 5): the items it computes, inside the reader's
// one read transaction, from the facts it keeps, with the *Items functions of package policy. The service that
// serves the agenda asks each source in turn and records one audit entry for all, so that a new chapter adds a
// source and leaves the others as they are.
type AgendaSource interface {
	AgendaItems(tx store.Tx, r policy.AgendaReader, t time.Time) ([]policy.AgendaItem, error)
}

// briefingSuspensions returns cs as access decisions see them (A18.1): where a rule profile in force for p's
// organisation says suspend_on_overdue_briefing, a clearance's copy carries the due date of its re-briefing
// (BriefingDue), from which policy.ClearanceValid refuses it with A18.1, at the time of each decision: a subject
// kept in memory does not outlive the due date. The profiles are read only for a clearance with a declared briefing;
// a profile that does not compile fails the decision (fail closed).
func briefingSuspensions(tx SubjectReader, p cleared.Person, cs []cleared.Clearance, now time.Time) ([]cleared.Clearance, error) {
	briefed := map[cleared.ClearanceID][]cleared.Briefing{}
	for _, c := range cs {
		if c.Status != cleared.ClearanceActive {
			continue
		}
		bs, err := tx.Briefings(c.ID)
		if err != nil {
			return nil, err
		}
		if _, ok := policy.NextBriefing(bs); ok {
			briefed[c.ID] = bs
		}
	}
	if len(briefed) == 0 {
		return cs, nil
	}
	docs, err := tx.ProfilesInForce(now)
	if err != nil {
		return nil, err
	}
	ps, err := policy.CompileProfiles(docs)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(cs)
	for i, c := range out {
		if bs, ok := briefed[c.ID]; ok {
			out[i].BriefingDue, _ = policy.BriefingSuspension(ps, p.OrganisationID, c, bs, now)
		}
	}
	return out, nil
}
