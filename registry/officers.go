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
	if err := cleared.CheckLine("designated_by", in.DesignatedBy, 1, maxName); err != nil {
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
