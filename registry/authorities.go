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

// NewAuthority is the input of RegisterAuthority.
type NewAuthority struct {
	PersonID cleared.PersonID      `json:"person_id"`
	Kind     cleared.AuthorityKind `json:"kind"`
	Title    string                `json:"title"`
	From     time.Time             `json:"from"`
	Until    time.Time             `json:"until,omitzero"`
	// Predecessor, if set, is the authority this one succeeds in office: its term ends at From and it names this one
	// as successor, so this one may downgrade what the predecessor classified (A5.2).
	Predecessor cleared.AuthorityID `json:"predecessor,omitempty"`
}

// RegisterAuthority records a classifying authority (Art. 5, A5.1). Only NSA officers keep this register (A20.1).
// An authority of kind government_member must be held by a person recorded as a member of the Government.
func (s *Service) RegisterAuthority(ctx context.Context, a cleared.Actor, in NewAuthority) (au cleared.ClassifyingAuthority, err error) {
	defer cleared.Wrap(&err, "register classifying authority")
	if err := in.PersonID.Validate(); err != nil {
		return au, err
	}
	if err := in.Kind.Validate(); err != nil {
		return au, err
	}
	if err := cleared.CheckLine("title", in.Title, 1, maxName); err != nil {
		return au, err
	}
	if in.Predecessor != "" {
		if err := in.Predecessor.Validate(); err != nil {
			return au, err
		}
	}
	now := s.clock()
	if in.From.IsZero() {
		in.From = now
	}
	if !in.Until.IsZero() && !in.Until.After(in.From) {
		return au, cleared.Invalidf("until must be after from")
	}
	err = s.run.Do(ctx, a, act.AuthorityRegister, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.RequireNSA(tx, x)
		if err != nil {
			return err
		}
		p, err := tx.Person(in.PersonID)
		if err != nil {
			return err
		}
		if d := policy.AuthorityHolder(p, in.Kind); !d.Allowed {
			return x.Deny(string(p.ID), d)
		}
		au = cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID(), PersonID: p.ID, Kind: in.Kind, Title: in.Title,
			From: in.From.UTC(), Until: in.Until.UTC(), Created: now, CreatedBy: me.ID, OrgID: p.OrganisationID}
		x.Object, x.Payload = string(au.ID), au
		if err := tx.CreateAuthority(au); err != nil {
			return err
		}
		if in.Predecessor != "" {
			prev, err := tx.Authority(in.Predecessor)
			if err != nil {
				return err
			}
			if prev.Successor != "" {
				return cleared.Conflictf("authority %s already has a successor", prev.ID)
			}
			if prev.Kind != au.Kind {
				return cleared.Invalidf("a successor holds the same kind of office as its predecessor")
			}
			return tx.SetAuthoritySuccessor(prev.ID, au.ID, au.From)
		}
		return nil
	})
	return au, err
}

// Authorities lists the classifying authorities. Any authenticated person may read this register: recipients
// must be able to check who classified what.
func (s *Service) Authorities(ctx context.Context, a cleared.Actor, after string, limit int) (as []cleared.ClassifyingAuthority, err error) {
	defer cleared.Wrap(&err, "list authorities")
	now := s.clock()
	err = s.run.Read(ctx, a, act.AuthorityList, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		as, err = tx.Authorities(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(as)}
		return err
	})
	return as, err
}

// NewDelegation is the input of RegisterDelegation.
type NewDelegation struct {
	Delegate  cleared.AuthorityID `json:"delegate"`
	Principal cleared.AuthorityID `json:"principal"`
	From      time.Time           `json:"from"`
	Until     time.Time           `json:"until"`
	Reference string              `json:"reference"`
}

// RegisterDelegation records that a principal (member of the Government, Chief of Staff, SRE Director) delegates
// the power to classify to a delegate authority from From until Until (Art. 5 al. 1, A5.1). It is recorded by an
// NSA officer or by the principal's holder himself.
func (s *Service) RegisterDelegation(ctx context.Context, a cleared.Actor, in NewDelegation) (d cleared.Delegation, err error) {
	defer cleared.Wrap(&err, "register delegation")
	if err := in.Delegate.Validate(); err != nil {
		return d, err
	}
	if err := in.Principal.Validate(); err != nil {
		return d, err
	}
	if err := cleared.CheckLine("reference", in.Reference, 0, maxName); err != nil {
		return d, err
	}
	if in.Until.IsZero() {
		return d, cleared.Invalidf("a delegation needs an end date (until)")
	}
	now := s.clock()
	if in.From.IsZero() {
		in.From = now
	}
	err = s.run.Do(ctx, a, act.DelegationRegister, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		principal, err := tx.Authority(in.Principal)
		if err != nil {
			return err
		}
		delegate, err := tx.Authority(in.Delegate)
		if err != nil {
			return err
		}
		if me.ID != principal.PersonID {
			if _, err := facts.RequireNSA(tx, x); err != nil {
				return err
			}
		}
		if dec := policy.Delegate(principal, delegate, in.From, in.Until); !dec.Allowed {
			return x.Deny(string(in.Delegate), dec)
		}
		d = cleared.Delegation{ID: cleared.NewDelegationID(), Delegate: delegate.ID, Principal: principal.ID,
			From: in.From.UTC(), Until: in.Until.UTC(), Reference: in.Reference, GrantedBy: me.ID, Created: now}
		x.Object, x.Payload = string(d.ID), d
		return tx.CreateDelegation(d)
	})
	return d, err
}
