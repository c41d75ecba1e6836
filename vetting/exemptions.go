package vetting

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

// NewExemptionCategory is the input of RecordExemptionCategory.
type NewExemptionCategory struct {
	Name       string `json:"name"`
	Basis      string `json:"basis"`
	Government bool   `json:"government"`
}

// NewMembership is the input of RecordMembership.
type NewMembership struct {
	Category  cleared.ExemptionCategoryID `json:"category"`
	PersonID  cleared.PersonID            `json:"person_id"`
	Reference string                      `json:"reference"`
	From      time.Time                   `json:"from"`
	Until     time.Time                   `json:"until,omitzero"`
}

// MembershipView is a membership with its person's name and whether it is in force at the time of the read.
type MembershipView struct {
	cleared.ExemptionMembership
	PersonName string `json:"person_name"`
	InForce    bool   `json:"in_force"`
}

// CategoryView is a category with its memberships.
type CategoryView struct {
	cleared.ExemptionCategory
	Members []MembershipView `json:"members"`
}

// RecordExemptionCategory records a category of persons the law exempts from clearance (Art. 14, A14.1): the NSA
// keeps the list, so that a reform changes data, not code.
func (s *Service) RecordExemptionCategory(ctx context.Context, a cleared.Actor, in NewExemptionCategory) (c cleared.ExemptionCategory, err error) {
	defer cleared.Wrap(&err, "record exemption category")
	if err := cleared.CheckLine("name", in.Name, 1, maxName); err != nil {
		return c, err
	}
	if err := cleared.CheckLine("basis", in.Basis, 1, maxName); err != nil {
		return c, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.ExemptionCategory, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.RequireNSA(tx, x)
		if err != nil {
			return err
		}
		c = cleared.ExemptionCategory{ID: cleared.NewExemptionCategoryID(), Name: in.Name, Basis: in.Basis,
			Government: in.Government, CreatedBy: me.ID, Created: now}
		x.Object, x.Payload = string(c.ID), c
		return tx.CreateExemptionCategory(c)
	})
	return c, err
}

// RecordMembership records a person's membership of an exempt category for a period, with the act that makes him
// a member (A14.1): by the NSA. From its start to its end the person needs no clearance.
func (s *Service) RecordMembership(ctx context.Context, a cleared.Actor, in NewMembership) (m cleared.ExemptionMembership, err error) {
	defer cleared.Wrap(&err, "record exemption membership")
	if err := in.Category.Validate(); err != nil {
		return m, err
	}
	if err := in.PersonID.Validate(); err != nil {
		return m, err
	}
	if err := cleared.CheckLine("reference", in.Reference, 1, maxName); err != nil {
		return m, err
	}
	now := s.clock()
	per, err := period(in.From, in.Until, now)
	if err != nil {
		return m, err
	}
	err = s.run.Do(ctx, a, act.ExemptionMember, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.RequireNSA(tx, x)
		if err != nil {
			return err
		}
		if _, err := tx.ExemptionCategory(in.Category); err != nil {
			return err
		}
		if _, err := tx.Person(in.PersonID); err != nil {
			return err
		}
		m = cleared.ExemptionMembership{ID: cleared.NewExemptionMembershipID(), Category: in.Category, PersonID: in.PersonID,
			Reference: in.Reference, Period: per, CreatedBy: me.ID, Created: now}
		x.Object, x.Payload = string(m.ID), m
		return tx.CreateExemptionMembership(m)
	})
	return m, err
}

// Exemptions reads the register of exemptions: every category with its members (A14.1). It is the NSA's register
// (A20.1); a security officer learns whether one of his staff is exempt from the flags of his posts.
func (s *Service) Exemptions(ctx context.Context, a cleared.Actor) (out []CategoryView, err error) {
	defer cleared.Wrap(&err, "list exemptions")
	now := s.clock()
	err = s.run.Read(ctx, a, act.ExemptionList, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.RequireNSA(tx, x); err != nil {
			return err
		}
		cs, err := tx.ExemptionCategories()
		if err != nil {
			return err
		}
		out = make([]CategoryView, 0, len(cs))
		for _, c := range cs {
			ms, err := tx.ExemptionMemberships(c.ID, "")
			if err != nil {
				return err
			}
			v := CategoryView{ExemptionCategory: c, Members: []MembershipView{}}
			for _, m := range ms {
				p, err := tx.Person(m.PersonID)
				if errors.Is(err, cleared.ErrUnavailable) {
					continue // a person whose row fails its seal is not shown
				} else if err != nil {
					return err
				}
				v.Members = append(v.Members, MembershipView{ExemptionMembership: m, PersonName: p.Name, InForce: m.At(now)})
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// Form is an act the UI offers through a form, only to who the policy would let do it (policy.OfferPosts,
// policy.OfferExemptions).
type Form string

// The forms of package vetting.
const (
	FormPost       Form = "post"
	FormContract   Form = "contract"
	FormAssignment Form = "assignment"
	FormExemption  Form = "exemption"
	// FormVettingCase opens a vetting case (A25.1, A20.1).
	FormVettingCase Form = "vetting_case"
	// FormInvestigation opens or works on the investigation of a case: the NSA's (A24.1).
	FormInvestigation Form = "investigation"
	// FormRetentionHold records why a closed case's data is kept (A23.2).
	FormRetentionHold Form = "retention_hold"
)

// Forms decides, for each form, whether the policy would let the actor attempt its act. It records nothing: the UI
// asks it to hide what it would refuse.
func (s *Service) Forms(ctx context.Context, a cleared.Actor) (map[Form]policy.Decision, error) {
	now := s.clock()
	var o policy.Offer
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		if o.Person, err = facts.ActorPerson(tx, a); err != nil {
			return err
		}
		if o.Clearances, err = tx.PersonClearances(o.Person.ID); err != nil {
			return err
		}
		o.OfficerOf, err = facts.OfficerOf(tx, o.Person.ID, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	posts := policy.OfferPosts(o, now)
	return map[Form]policy.Decision{FormPost: posts, FormContract: posts, FormAssignment: posts,
		FormExemption: policy.OfferExemptions(o, now), FormVettingCase: policy.OfferCases(o, now),
		FormInvestigation: policy.Investigator(o.Person, o.Clearances, now),
		FormRetentionHold: policy.SeeRetention(o.Person, o.Clearances, now)}, nil
}
