package registry

import (
	"context"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

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
// own service, package vetting). Only NSA officers record clearances (A20.1). A person's clearance is refused above
// the highest level his posts and contracts in force at its issue require (A16.1, policy.ClearanceForPosts). The expiry is computed from the level and the issue
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
	if err := cleared.CheckLine("reference", in.Reference, 1, maxName); err != nil {
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
		if in.HolderKind == cleared.HolderPerson {
			// A16.1: the level comes from the posts and contracts the person held at the issue, never above; a
			// person with none recorded then (the paper register predates them) has no ceiling here.
			as, err := facts.RequiredAssignments(tx, in.PersonID)
			if err != nil {
				return err
			}
			if d := policy.ClearanceForPosts(in.Level, as, issued); !d.Allowed {
				return x.Deny(string(in.PersonID), d)
			}
		}
		// A17.1: the validity the law in force at the issue gives, a reform's from its date of entry into force.
		expires, err := clearanceExpiry(tx, x, in.Level, issued)
		if err != nil {
			return err
		}
		c = cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: in.HolderKind, PersonID: in.PersonID,
			OrganisationID: in.OrganisationID, Level: in.Level, Issued: issued, Expires: expires,
			Status: cleared.ClearanceActive, Source: cleared.SourcePaperRegister, Reference: in.Reference, RecordedBy: me.ID, Recorded: now}
		if !now.Before(c.Expires) {
			c.Status = cleared.ClearanceExpired
		}
		x.Object, x.Payload = string(c.ID), c
		return tx.CreateClearance(c)
	})
	return c, err
}
