package registry

import (
	"context"
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// NewOrganisation is the input of RegisterOrganisation.
type NewOrganisation struct {
	Name    string                   `json:"name"`
	Kind    cleared.OrganisationKind `json:"kind"`
	Country string                   `json:"country"`
}

func (in NewOrganisation) validate() error {
	if err := cleared.CheckText("name", in.Name, 1, maxName); err != nil {
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
	if err := cleared.CheckText("name", in.Name, 1, maxName); err != nil {
		return err
	}
	if err := cleared.CheckText("email", in.Email, 0, maxName); err != nil {
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
		f = PersonFile{Person: p, Clearances: append([]cleared.Clearance{}, cs...),
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

// NewOfficer is the input of DesignateOfficer.
type NewOfficer struct {
	OrganisationID cleared.OrganisationID `json:"organisation_id"`
	PersonID       cleared.PersonID       `json:"person_id"`
	DesignatedBy   string                 `json:"designated_by"`
	Since          time.Time              `json:"since"`
}

// DesignateOfficer records that a person of an organisation is its security officer, as designated by its
// minister or governing body (Art. 2 point 8, A2.2). The NSA records it (A20.1); the officer must be cleared.
func (s *Service) DesignateOfficer(ctx context.Context, a cleared.Actor, in NewOfficer) (o cleared.SecurityOfficer, err error) {
	defer cleared.Wrap(&err, "designate security officer")
	if err := in.OrganisationID.Validate(); err != nil {
		return o, err
	}
	if err := in.PersonID.Validate(); err != nil {
		return o, err
	}
	if err := cleared.CheckText("designated_by", in.DesignatedBy, 1, maxName); err != nil {
		return o, err
	}
	now := s.clock()
	if in.Since.IsZero() {
		in.Since = now
	}
	err = s.run.Do(ctx, a, act.OfficerDesignate, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.RequireNSA(tx, x); err != nil {
			return err
		}
		p, err := tx.Person(in.PersonID)
		if err != nil {
			return err
		}
		if p.OrganisationID != in.OrganisationID {
			return cleared.Invalidf("the security officer must be a member of the organisation's staff (Art. 2 point 8)")
		}
		cs, err := tx.PersonClearances(p.ID)
		if err != nil {
			return err
		}
		if d := policy.DesignateOfficer(cs, now); !d.Allowed {
			return x.Deny(string(p.ID), d)
		}
		o = cleared.SecurityOfficer{OrganisationID: in.OrganisationID, PersonID: in.PersonID, DesignatedBy: in.DesignatedBy, Since: in.Since.UTC()}
		x.Object, x.Payload = string(o.PersonID), o
		return tx.CreateSecurityOfficer(o)
	})
	return o, err
}

// NewClearance is the input of RecordClearance: a clearance imported from the paper register, with its reference.
type NewClearance struct {
	HolderKind     cleared.HolderKind     `json:"holder_kind"`
	PersonID       cleared.PersonID       `json:"person_id,omitempty"`
	OrganisationID cleared.OrganisationID `json:"organisation_id,omitempty"`
	Level          cleared.Level          `json:"level"`
	Issued         time.Time              `json:"issued"`
	Reference      string                 `json:"reference"`
}

// RecordClearance imports a clearance from the existing paper register (the full vetting procedure comes with its
// own service). Only NSA officers record clearances (A20.1). The expiry is computed from the level and the issue
// date (A17.1); a clearance already past it is recorded as expired, so the register's history is complete.
func (s *Service) RecordClearance(ctx context.Context, a cleared.Actor, in NewClearance) (c cleared.Clearance, err error) {
	defer cleared.Wrap(&err, "record clearance")
	now := s.clock()
	switch in.HolderKind {
	case cleared.HolderPerson:
		if err := in.PersonID.Validate(); err != nil {
			return c, err
		}
		if in.OrganisationID != "" {
			return c, cleared.Invalidf("a person clearance names a person_id, not an organisation_id")
		}
	case cleared.HolderFacility:
		if err := in.OrganisationID.Validate(); err != nil {
			return c, err
		}
		if in.PersonID != "" {
			return c, cleared.Invalidf("a facility clearance names an organisation_id, not a person_id")
		}
	default:
		return c, cleared.Invalidf("holder_kind %.20q: want person or facility", in.HolderKind)
	}
	if !in.Level.Classified() {
		return c, cleared.Invalidf("a clearance is at one of the levels TOP_SECRET, SECRET, CONFIDENTIAL, RESTRICTED (A16.1)")
	}
	if in.Issued.IsZero() || in.Issued.After(now) {
		return c, cleared.Invalidf("issued must be a date in the past")
	}
	if err := cleared.CheckText("reference", in.Reference, 1, maxName); err != nil {
		return c, err
	}
	err = s.run.Do(ctx, a, act.ClearanceRecord, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.RequireNSA(tx, x)
		if err != nil {
			return err
		}
		if in.HolderKind == cleared.HolderPerson {
			_, err = tx.Person(in.PersonID)
		} else {
			_, err = tx.Organisation(in.OrganisationID)
		}
		if err != nil {
			return err
		}
		issued := in.Issued.UTC().Truncate(time.Microsecond)
		c = cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: in.HolderKind, PersonID: in.PersonID,
			OrganisationID: in.OrganisationID, Level: in.Level, Issued: issued, Expires: policy.ClearanceExpiry(in.Level, issued),
			Status: cleared.ClearanceActive, Source: cleared.SourcePaperRegister, Reference: in.Reference, RecordedBy: me.ID, Recorded: now}
		if !now.Before(c.Expires) {
			c.Status = cleared.ClearanceExpired
		}
		x.Object, x.Payload = string(c.ID), c
		return tx.CreateClearance(c)
	})
	return c, err
}
