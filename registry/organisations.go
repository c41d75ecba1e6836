package registry

import (
	"context"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/store"
)

// NewOrganisation is the input of RegisterOrganisation.
type NewOrganisation struct {
	Name    string                   `json:"name"`
	Kind    cleared.OrganisationKind `json:"kind"`
	Country string                   `json:"country"`
}

func (in NewOrganisation) validate() error {
	if err := cleared.CheckLine("name", in.Name, 1, maxName); err != nil {
		return err
	}
	if err := in.Kind.Validate(); err != nil {
		return err
	}
	return checkCountry(in.Country)
}

func checkCountry(c string) error {
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return cleared.Invalidf("country %q: want a two-letter ISO 3166 code such as LU", c)
	}
	return nil
}

// RegisterOrganisation records an organisation (A2.2). Only NSA officers keep this register (A20.1).
func (s *Service) RegisterOrganisation(ctx context.Context, a cleared.Actor, in NewOrganisation) (o cleared.Organisation, err error) {
	defer cleared.Wrap(&err, "register organisation")
	if err := in.validate(); err != nil {
		return o, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.OrganisationRegister, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.RequireNSA(tx, x); err != nil {
			return err
		}
		o = cleared.Organisation{ID: cleared.NewOrganisationID(), Name: in.Name, Kind: in.Kind, Country: in.Country, Created: now}
		x.Object, x.Payload = string(o.ID), o
		return tx.CreateOrganisation(o)
	})
	return o, err
}

// Organisations lists organisations by ID, after the cursor. Any authenticated person may read this register.
func (s *Service) Organisations(ctx context.Context, a cleared.Actor, after string, limit int) (os []cleared.Organisation, err error) {
	defer cleared.Wrap(&err, "list organisations")
	now := s.clock()
	err = s.run.Read(ctx, a, act.OrganisationList, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		os, err = tx.Organisations(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(os)}
		return err
	})
	return os, err
}

// Organisation returns one organisation.
func (s *Service) Organisation(ctx context.Context, a cleared.Actor, id cleared.OrganisationID) (o cleared.Organisation, err error) {
	defer cleared.Wrap(&err, "organisation %s", id)
	if err := id.Validate(); err != nil {
		return o, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.OrganisationRead, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		x.Object = string(id)
		o, err = tx.Organisation(id)
		return err
	})
	return o, err
}
