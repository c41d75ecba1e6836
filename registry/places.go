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

// NewPlace is the input of RegisterPlace.
type NewPlace struct {
	OrganisationID  cleared.OrganisationID `json:"organisation_id"`
	Name            string                 `json:"name"`
	AccreditedLevel cleared.Level          `json:"accredited_level"`
	SecurityZone    bool                   `json:"security_zone"`
	Public          bool                   `json:"public"`
}

// RegisterPlace records a place of an organisation, the level it is accredited for and whether it is a security
// zone (A8.1). Only the organisation's security officer registers places and establishes security zones (A9.2).
func (s *Service) RegisterPlace(ctx context.Context, a cleared.Actor, in NewPlace) (pl cleared.Place, err error) {
	defer cleared.Wrap(&err, "register place")
	if err := in.OrganisationID.Validate(); err != nil {
		return pl, err
	}
	if err := cleared.CheckLine("name", in.Name, 1, maxName); err != nil {
		return pl, err
	}
	if !in.AccreditedLevel.Valid() {
		return pl, cleared.Invalidf("unknown accredited level")
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.PlaceRegister, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		orgs, err := facts.OfficerOf(tx, me.ID, now)
		if err != nil {
			return err
		}
		if d := policy.EstablishPlace(orgs, in.OrganisationID); !d.Allowed {
			return x.Deny(string(in.OrganisationID), d)
		}
		if d := policy.PlaceAccreditation(in.AccreditedLevel, in.SecurityZone, in.Public); !d.Allowed {
			return x.Deny(string(in.OrganisationID), d)
		}
		pl = cleared.Place{ID: cleared.NewPlaceID(), OrganisationID: in.OrganisationID, Name: in.Name,
			AccreditedLevel: in.AccreditedLevel, SecurityZone: in.SecurityZone, Public: in.Public, Officer: me.ID, Created: now}
		x.Object, x.Payload = string(pl.ID), pl
		return tx.CreatePlace(pl)
	})
	return pl, err
}

// NewTerminal is the input of RegisterTerminal.
type NewTerminal struct {
	Place           cleared.PlaceID `json:"place"`
	Name            string          `json:"name"`
	AccreditedLevel cleared.Level   `json:"accredited_level"`
}

// RegisterTerminal records a terminal in a place. It takes the place's security zone and public flags, and is
// accredited at most at the place's level (A8.1); only the place organisation's security officer registers it
// (A9.2).
func (s *Service) RegisterTerminal(ctx context.Context, a cleared.Actor, in NewTerminal) (t cleared.Terminal, err error) {
	defer cleared.Wrap(&err, "register terminal")
	if err := in.Place.Validate(); err != nil {
		return t, err
	}
	if err := cleared.CheckLine("name", in.Name, 1, maxName); err != nil {
		return t, err
	}
	if !in.AccreditedLevel.Valid() {
		return t, cleared.Invalidf("unknown accredited level")
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.TerminalRegister, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		pl, err := tx.Place(in.Place)
		if err != nil {
			return err
		}
		orgs, err := facts.OfficerOf(tx, me.ID, now)
		if err != nil {
			return err
		}
		if d := policy.EstablishPlace(orgs, pl.OrganisationID); !d.Allowed {
			return x.Deny(string(pl.ID), d)
		}
		if d := policy.TerminalAccreditation(pl, in.AccreditedLevel); !d.Allowed {
			return x.Deny(string(pl.ID), d)
		}
		t = cleared.Terminal{ID: cleared.NewTerminalID(), Name: in.Name, Place: pl.ID, AccreditedLevel: in.AccreditedLevel,
			SecurityZone: pl.SecurityZone, Public: pl.Public, RegisteredBy: me.ID, Created: now}
		x.Object, x.Payload = string(t.ID), t
		return tx.CreateTerminal(t)
	})
	return t, err
}

// NewChannel is the input of RegisterChannel.
type NewChannel struct {
	Name          string        `json:"name"`
	MaxLevel      cleared.Level `json:"max_level"`
	CryptoProduct string        `json:"crypto_product"`
	// Product names the approved product of the NSA's register that protects the channel (issue 19): the channel
	// then carries classified pieces only while its approval is in force. CryptoProduct defaults to its name.
	Product cleared.CryptoProductID `json:"product,omitempty"`
	From    time.Time               `json:"from"`
	Until   time.Time               `json:"until"`
}

// RegisterChannel records a communication centre, network or terminal accredited for electronic transmission, with
// the cryptographic product the NSA approved (Art. 11 al. 1, A11.1). Only NSA officers accredit channels.
func (s *Service) RegisterChannel(ctx context.Context, a cleared.Actor, in NewChannel) (c cleared.Channel, err error) {
	defer cleared.Wrap(&err, "register channel")
	if err := cleared.CheckLine("name", in.Name, 1, maxName); err != nil {
		return c, err
	}
	minProduct := 1 // a channel names its product, by the register or at least by name
	if in.Product != "" {
		if err := in.Product.Validate(); err != nil {
			return c, err
		}
		minProduct = 0
	}
	if err := cleared.CheckLine("crypto_product", in.CryptoProduct, minProduct, maxName); err != nil {
		return c, err
	}
	if !in.MaxLevel.Classified() {
		return c, cleared.Invalidf("max_level must be a classified level")
	}
	now := s.clock()
	if in.From.IsZero() {
		in.From = now
	}
	if !in.Until.After(in.From) {
		return c, cleared.Invalidf("an accreditation needs an end (until) after its start")
	}
	err = s.run.Do(ctx, a, act.ChannelRegister, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.RequireNSA(tx, x)
		if err != nil {
			return err
		}
		if in.Product != "" {
			pr, err := tx.CryptoProduct(in.Product)
			if errors.Is(err, cleared.ErrNotFound) {
				return cleared.Invalidf("no cryptographic product %s in the register", in.Product)
			} else if err != nil {
				return err
			}
			if in.CryptoProduct == "" {
				in.CryptoProduct = pr.Name
			}
		}
		c = cleared.Channel{ID: cleared.NewChannelID(), Name: in.Name, MaxLevel: in.MaxLevel, CryptoProduct: in.CryptoProduct,
			Product: in.Product, ApprovedBy: me.ID, From: in.From.UTC(), Until: in.Until.UTC(), Created: now}
		x.Object, x.Payload = string(c.ID), c
		return tx.CreateChannel(c)
	})
	return c, err
}

// Channels lists accredited channels; any authenticated person may read them, to know where he may send.
func (s *Service) Channels(ctx context.Context, a cleared.Actor, after string, limit int) (cs []cleared.Channel, err error) {
	defer cleared.Wrap(&err, "list channels")
	now := s.clock()
	err = s.run.Read(ctx, a, act.ChannelList, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		cs, err = tx.Channels(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(cs)}
		return err
	})
	return cs, err
}

// Places lists the register of places (A8.1, A9.2), by ID, to anyone signed in: places carry accreditations, not
// classified content.
func (s *Service) Places(ctx context.Context, a cleared.Actor, after string, limit int) (ps []cleared.Place, err error) {
	defer cleared.Wrap(&err, "list places")
	err = s.run.Read(ctx, a, act.PlaceList, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		ps, err = tx.Places(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(ps)}
		return err
	})
	return ps, err
}
