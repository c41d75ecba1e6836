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

// NewGrant is the input of Grant: need-to-know of one person for one piece or one dossier.
type NewGrant struct {
	PersonID cleared.PersonID  `json:"person_id"`
	Piece    cleared.PieceID   `json:"piece,omitempty"`
	Dossier  cleared.DossierID `json:"dossier,omitempty"`
	From     time.Time         `json:"from"`
	Until    time.Time         `json:"until"`
	Reason   string            `json:"reason"`
}

// Grant gives a person need-to-know of a piece or a dossier, from From (now if zero) until Until (Art. 9 al. 1,
// A9.1). The granter must himself know the object (else not-found) and be its originator (or act for it, A5.2) or
// a security officer of the holding organisation; the grantee must hold a valid clearance at its level.
func (s *Service) Grant(ctx context.Context, a cleared.Actor, in NewGrant) (g cleared.Grant, err error) {
	defer cleared.Wrap(&err, "grant need-to-know")
	if err := in.PersonID.Validate(); err != nil {
		return g, err
	}
	if (in.Piece == "") == (in.Dossier == "") {
		return g, cleared.Invalidf("a grant names exactly one of piece and dossier")
	}
	if in.Piece != "" {
		if err := in.Piece.Validate(); err != nil {
			return g, err
		}
	} else if err := in.Dossier.Validate(); err != nil {
		return g, err
	}
	if err := cleared.CheckText("reason", in.Reason, 1, maxText); err != nil {
		return g, err
	}
	if in.Until.IsZero() {
		return g, cleared.Invalidf("a need-to-know grant needs an end date (until)")
	}
	now := s.clock()
	if in.From.IsZero() {
		in.From = now
	}
	err = s.run.Do(ctx, a, act.GrantCreate, now, func(tx store.Tx, x *act.Act) error {
		sub, me, err := facts.Subject(tx, a, now)
		if err != nil {
			return err
		}
		object := string(in.Piece) + string(in.Dossier)
		tg, originator, holder, created, err := grantTarget(tx, in)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(object)
		}
		if err != nil {
			return err
		}
		// Decide A9.1 for the granter before anything else is looked up, so a hidden object and a missing one
		// answer alike whatever else is wrong with the request.
		if d := policy.Know(sub, tg, now); !d.Allowed {
			return x.Deny(object, d)
		}
		granter := policy.Granter{Subject: sub}
		if granter.OfficerOf, err = facts.OfficerOf(tx, me.ID, now); err != nil {
			return err
		}
		mine, err := tx.PersonAuthorities(me.ID)
		if err != nil {
			return err
		}
		for _, au := range mine {
			if au.InOfficeAt(now) {
				granter.Authorities = append(granter.Authorities, au.ID)
			}
		}
		acts, err := facts.ActsFor(tx, originator, created)
		if err != nil {
			return err
		}
		gp, err := tx.Person(in.PersonID)
		if err != nil {
			// The granter knows the piece, so an unknown grantee may be said plainly.
			return err
		}
		grantee, _, err := facts.SubjectOf(tx, gp, "", now)
		if err != nil {
			return err
		}
		if d := policy.GrantNeedToKnow(granter, acts, holder, grantee, tg, in.From, in.Until, now); !d.Allowed {
			return x.Deny(object, d)
		}
		g = cleared.Grant{ID: cleared.NewGrantID(), PersonID: gp.ID, Piece: in.Piece, Dossier: in.Dossier,
			From: in.From.UTC(), Until: in.Until.UTC(), Reason: in.Reason, GrantedBy: me.ID, Created: now}
		x.Object, x.Payload = object, g
		return tx.CreateGrant(g)
	})
	return g, err
}

// grantTarget loads what a grant is on: its access target, originator, holding organisation and classification
// date.
func grantTarget(tx store.Pieces, in NewGrant) (policy.Target, cleared.AuthorityID, cleared.OrganisationID, time.Time, error) {
	if in.Piece != "" {
		p, err := tx.Piece(in.Piece)
		if err != nil {
			return policy.Target{}, "", "", time.Time{}, err
		}
		tg, err := target(tx, p)
		return tg, p.Originator, p.OrganisationID, p.Created, err
	}
	d, err := tx.Dossier(in.Dossier)
	if err != nil {
		return policy.Target{}, "", "", time.Time{}, err
	}
	return dossierTarget(d), d.Originator, d.OrganisationID, d.Created, nil
}
