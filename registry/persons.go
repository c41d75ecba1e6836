package registry

import (
	"context"
	"errors"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// NewPerson is the input of RegisterPerson.
type NewPerson struct {
	OrganisationID   cleared.OrganisationID `json:"organisation_id"`
	Name             string                 `json:"name"`
	Email            string                 `json:"email"`
	GovernmentMember bool                   `json:"government_member"`
	Roles            []cleared.Role         `json:"roles"`
}

func (in NewPerson) validate() error {
	if err := in.OrganisationID.Validate(); err != nil {
		return err
	}
	if err := cleared.CheckLine("name", in.Name, 1, maxName); err != nil {
		return err
	}
	if err := cleared.CheckLine("email", in.Email, 0, maxName); err != nil {
		return err
	}
	for _, r := range in.Roles {
		if err := r.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// RegisterPerson records a person of an organisation. Only NSA officers keep this register (A20.1).
func (s *Service) RegisterPerson(ctx context.Context, a cleared.Actor, in NewPerson) (p cleared.Person, err error) {
	defer cleared.Wrap(&err, "register person")
	if err := in.validate(); err != nil {
		return p, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.PersonRegister, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.RequireNSA(tx, x); err != nil {
			return err
		}
		if _, err := tx.Organisation(in.OrganisationID); err != nil {
			return err
		}
		p = cleared.Person{ID: cleared.NewPersonID(), OrganisationID: in.OrganisationID, Name: in.Name, Email: in.Email,
			GovernmentMember: in.GovernmentMember, Roles: in.Roles, Created: now}
		x.Object, x.Payload = string(p.ID), p
		return tx.CreatePerson(p)
	})
	return p, err
}

// PersonFile is a person with the records attached to him.
type PersonFile struct {
	Person     cleared.Person                 `json:"person"`
	Clearances []cleared.Clearance            `json:"clearances"`
	Officer    []cleared.SecurityOfficer      `json:"security_officer_of"`
	Authority  []cleared.ClassifyingAuthority `json:"authorities"`
}

// Person returns a person's file: to the person himself, to NSA officers, and to the security officers of his
// organisation. Anyone else gets not-found: personal data is not for everyone (A23.1).
func (s *Service) Person(ctx context.Context, a cleared.Actor, id cleared.PersonID) (f PersonFile, err error) {
	defer cleared.Wrap(&err, "person %s", id)
	if err := id.Validate(); err != nil {
		return f, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.PersonRead, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		p, err := tx.Person(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id)) // a missing person answers, and is recorded, like one the actor may not see
		}
		if err != nil {
			return err
		}
		mine, err := tx.PersonClearances(me.ID)
		if err != nil {
			return err
		}
		orgs, err := facts.OfficerOf(tx, me.ID, now)
		if err != nil {
			return err
		}
		if d := policy.PersonFile(me, mine, orgs, p, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		x.Object = string(id)
		cs, err := tx.PersonClearances(id)
		if err != nil {
			return err
		}
		os, err := tx.OfficerDesignations(id)
		if err != nil {
			return err
		}
		as, err := tx.PersonAuthorities(id)
		if err != nil {
			return err
		}
		// Empty lists, not absent ones: a file says "none" explicitly.
		f = PersonFile{Person: p, Clearances: policy.ClearancesAt(cs, now),
			Officer: append([]cleared.SecurityOfficer{}, os...), Authority: append([]cleared.ClassifyingAuthority{}, as...)}
		return nil
	})
	return f, err
}

// Persons lists persons by ID; only for NSA officers (A20.1), since it is personal data.
func (s *Service) Persons(ctx context.Context, a cleared.Actor, after string, limit int) (ps []cleared.Person, err error) {
	defer cleared.Wrap(&err, "list persons")
	now := s.clock()
	err = s.run.Read(ctx, a, act.PersonList, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.RequireNSA(tx, x); err != nil {
			return err
		}
		ps, err = tx.Persons(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(ps)}
		return err
	})
	return ps, err
}
