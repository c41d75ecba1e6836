package sharing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Item is one change of a release as a partner receives it: its sequence number, the release (for the service's
// callers; its sets and audience are never sent to a partner) and the product rendered in the partner's markings.
// A revoked release is an item with Product.Revoked set, sent only to a partner that had received it.
type Item struct {
	Seq     int64
	Release cleared.Release
	Product cleared.SharedProduct
}

// Gate is what a partner may receive now: the highest level it may be sent (its own, capped by its channels and
// scheme: policy.PartnerGate), and the channel used for each level. A partner with no level at all (Open false)
// receives nothing.
type Gate struct {
	Partner  cleared.Partner
	Ceiling  cleared.Level
	Open     bool
	Refusal  policy.Decision
	eq       cleared.EquivalenceTable
	channels map[cleared.Level]fit
}

type fit struct {
	ch   cleared.Channel
	prod *cleared.CryptoProduct
}

// gate computes partner p's gate at x.Now from its channels, their products and the equivalence table in force.
func gate(tx store.Tx, p cleared.Partner, x *act.Act) (Gate, error) {
	g := Gate{Partner: p, channels: map[cleared.Level]fit{}}
	eq, err := tx.Equivalence(x.Now)
	if err != nil && !errors.Is(err, cleared.ErrNotFound) {
		return g, err
	}
	g.eq = eq
	var fits []fit
	for _, id := range p.Channels {
		ch, err := tx.Channel(id)
		if errors.Is(err, cleared.ErrNotFound) || isTampered(err) {
			continue // a channel gone or altered carries nothing (fail closed)
		} else if err != nil {
			return g, err
		}
		f := fit{ch: ch}
		if ch.Product != "" {
			if pr, err := tx.CryptoProduct(ch.Product); err == nil {
				f.prod = &pr
			} else if !errors.Is(err, cleared.ErrNotFound) && !isTampered(err) {
				return g, err
			}
		}
		fits = append(fits, f)
	}
	g.Refusal = policy.PartnerGate(p, cleared.Unclassified, eq, nil, nil, x.Now)
	for l := cleared.Unclassified; l <= cleared.TopSecret; l++ {
		for _, f := range fits {
			d := policy.PartnerGate(p, l, eq, &f.ch, f.prod, x.Now)
			if d.Allowed {
				g.channels[l] = f
				g.Ceiling, g.Open = l, true
				break
			}
			if l == cleared.Unclassified {
				g.Refusal = d
			}
		}
	}
	return g, nil
}

// openGate reads partner p's record again in this transaction (it may have changed since the partner was
// authenticated) and computes its gate; a partner gone, altered or whose gate is closed is refused, recorded.
func openGate(tx store.Tx, p cleared.Partner, x *act.Act) (Gate, error) {
	x.Object = string(p.Organisation)
	cur, err := tx.Partner(p.Organisation)
	if errors.Is(err, cleared.ErrNotFound) || isTampered(err) {
		return Gate{}, x.Deny(string(p.Organisation), policy.PartnerCertificate(nil, "", x.Now))
	} else if err != nil {
		return Gate{}, err
	}
	g, err := gate(tx, cur, x)
	if err != nil {
		return g, err
	}
	if !g.Open {
		return g, x.Deny(string(p.Organisation), g.Refusal)
	}
	return g, nil
}

func isTampered(err error) bool {
	var t *store.TamperedError
	return errors.As(err, &t)
}

// Deliver returns to partner p the changes of its releases after sequence number after, at most limit of them,
// rendered in its markings, and whether more follow (S1). Each release that reaches p by route for the first time
// is recorded as a transmission of the piece to p's organisation over the channel used (A11.2). The partner's gate
// is computed once (its agreement, level, scheme and channels: policy.PartnerGate); the query filters by its
// audience and ceiling, so that pages stay full; each release the store hands back is checked again against its
// sealed audience and the gate at its level (policy.Deliverable) before it is sent. A revoked release is sent only
// to a partner that had received it. A partner whose gate is closed gets the refusal (a 403 naming the rule).
func (s *Service) Deliver(ctx context.Context, p cleared.Partner, route cleared.Route, after int64, limit int) (items []Item, more bool, err error) {
	return s.DeliverSince(ctx, p, route, after, time.Time{}, limit)
}

// DeliverSince is Deliver of the changes made after since (TAXII's added_after), filtered in the query: a poll
// with nothing new reads nothing, however many releases the partner received before.
func (s *Service) DeliverSince(ctx context.Context, p cleared.Partner, route cleared.Route, after int64, since time.Time, limit int) (items []Item, more bool, err error) {
	defer cleared.Wrap(&err, "deliver to %s", p.Organisation)
	if err := route.Validate(); err != nil {
		return nil, false, err
	}
	if after < 0 {
		return nil, false, cleared.Invalidf("the position must not be negative")
	}
	limit = page(limit)
	now := s.clock()
	err = s.run.Do(ctx, cleared.Actor{}, act.SharingDeliver, now, func(tx store.Tx, x *act.Act) error {
		items, more = nil, false
		g, err := openGate(tx, p, x)
		if err != nil {
			return err
		}
		rs, err := tx.ReleasedTo(store.ReleaseQuery{Partner: p.Organisation, MaxLevel: g.Ceiling, After: after, Limit: limit + 1,
			ChangedAfter: since})
		if err != nil {
			return err
		}
		if len(rs) > limit {
			rs, more = rs[:limit], true
		}
		senders := map[cleared.PersonID]cleared.OrganisationID{}
		for _, r := range rs {
			it, ok, err := s.deliverOne(tx, g, r, route, senders, x)
			if err != nil {
				return err
			}
			if ok {
				items = append(items, it)
			}
		}
		last := after
		if len(rs) > 0 {
			last = rs[len(rs)-1].Seq
		}
		x.Payload = map[string]any{"route": route, "after": after, "last": last, "count": len(items)}
		return nil
	})
	return items, more, err
}

// DeliverRelease returns to partner p the release of external UUID uuid in its last state, as Deliver would hand
// it in p's stream, and records its first delivery by route (A11.2). ok is false when p may not receive it or
// there is none: the partner cannot tell which (S1). TAXII's objects/{id} asks for one report so, without walking
// (and recording) the partner's whole stream.
func (s *Service) DeliverRelease(ctx context.Context, p cleared.Partner, route cleared.Route, uuid string) (it Item, ok bool, err error) {
	defer cleared.Wrap(&err, "deliver %s to %s", uuid, p.Organisation)
	if err := route.Validate(); err != nil {
		return it, false, err
	}
	now := s.clock()
	err = s.run.Do(ctx, cleared.Actor{}, act.SharingDeliver, now, func(tx store.Tx, x *act.Act) error {
		it, ok = Item{}, false
		g, err := openGate(tx, p, x)
		if err != nil {
			return err
		}
		r, err := tx.ReleaseByUUID(uuid)
		if errors.Is(err, cleared.ErrNotFound) || isTampered(err) {
			x.Payload = map[string]any{"route": route, "uuid": uuid, "count": 0}
			return nil
		} else if err != nil {
			return err
		}
		if r.State == cleared.ReleaseProposed || r.Level > g.Ceiling {
			x.Payload = map[string]any{"route": route, "uuid": uuid, "count": 0}
			return nil
		}
		it, ok, err = s.deliverOne(tx, g, r, route, map[cleared.PersonID]cleared.OrganisationID{}, x)
		n := 0
		if ok {
			n = 1
		}
		x.Payload = map[string]any{"route": route, "uuid": uuid, "count": n}
		return err
	})
	return it, ok, err
}

// deliverOne checks release r for gate g and renders it; a first delivery by route is recorded.
func (s *Service) deliverOne(tx store.Tx, g Gate, r cleared.Release, route cleared.Route, senders map[cleared.PersonID]cleared.OrganisationID, x *act.Act) (Item, bool, error) {
	p := g.Partner
	inAudience := slices.Contains(r.Audience, p.Organisation)
	f, fits := g.channels[r.Level]
	switch r.State {
	case cleared.ReleaseRevoked:
		if !inAudience {
			return Item{}, false, nil
		}
		had, err := tx.Deliveries(r.ID, p.Organisation)
		if err != nil {
			return Item{}, false, err
		}
		if len(had) == 0 {
			return Item{}, false, nil
		}
	default:
		if !fits {
			return Item{}, false, nil
		}
		if d := policy.Deliverable(p, r, inAudience, g.eq, &f.ch, f.prod, x.Now); !d.Allowed {
			return Item{}, false, nil
		}
	}
	piece, err := tx.Piece(r.Piece)
	if errors.Is(err, cleared.ErrNotFound) || isTampered(err) {
		return Item{}, false, nil
	} else if err != nil {
		return Item{}, false, err
	}
	sp := cleared.SharedProduct{UUID: ReleaseUUID(r.ID), Level: r.Level, Scheme: p.Scheme, TLP: r.TLP, PAP: r.PAP,
		Created: r.Released, Modified: r.Released, Revoked: r.State == cleared.ReleaseRevoked}
	sp.Marking, _ = policy.ForeignMarking(p.Scheme, r.Level, g.eq)
	if sp.Revoked {
		sp.Modified = r.Revoked
	}
	if org, err := tx.Organisation(piece.OrganisationID); err == nil {
		sp.Originator = org.Name
	}
	if piece.Destroyed.IsZero() {
		if sp.Product, err = s.product(tx, piece); err != nil {
			s.log.Error("a released product cannot be read: not delivered", "release", r.ID, "error", err)
			return Item{}, false, nil
		}
	}
	if !sp.Revoked {
		if err := s.record(tx, r, p, route, f.ch.ID, senders, x); err != nil {
			return Item{}, false, err
		}
	}
	return Item{Seq: r.Seq, Release: r, Product: sp}, true, nil
}

// record stores the first delivery of r to p by route, as a transmission (A11.2).
func (s *Service) record(tx store.Tx, r cleared.Release, p cleared.Partner, route cleared.Route, ch cleared.ChannelID, senders map[cleared.PersonID]cleared.OrganisationID, x *act.Act) error {
	had, err := tx.Deliveries(r.ID, p.Organisation)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(had, func(d cleared.PartnerDelivery) bool { return d.Route == route }) {
		return nil
	}
	org, ok := senders[r.ProposedBy]
	if !ok {
		sender, err := tx.Person(r.ProposedBy)
		if err != nil {
			return err
		}
		org = sender.OrganisationID
		senders[r.ProposedBy] = org
	}
	tr := cleared.Transmission{ID: cleared.NewTransmissionID(), Piece: r.Piece, Level: r.Level, Sender: r.ProposedBy,
		SenderOrganisation: org, RecipientOrganisation: p.Organisation, Channel: ch,
		Note: fmt.Sprintf("release %s delivered by %s", r.ID, route), Sent: x.Now,
		// A partner's system fetched it: its receipt is the delivery itself.
		Received: x.Now}
	if err := tx.CreateTransmission(tr); err != nil {
		return err
	}
	_, err = tx.RecordDelivery(cleared.PartnerDelivery{Release: r.ID, Partner: p.Organisation, Route: route, Transmission: tr.ID, At: x.Now})
	return err
}

// open decrypts the content of piece p for delivery, after the release decision allowed it.
func (s *Service) open(tx store.Pieces, p cleared.Piece) ([]byte, error) {
	c, err := tx.Content(p.ID)
	if err != nil {
		return nil, err
	}
	plain, err := s.ring.Open(p.ID, keyring.BindingOf(p), keyring.Sealed{KEK: c.KEK, WrappedKey: c.WrappedKey, Ciphertext: c.Ciphertext})
	if err != nil {
		return nil, cleared.Unavailablef("open product %s: %v", p.ID, err)
	}
	return plain, nil
}

// ReleaseUUID returns release id's external identifier: the UUID MISP events and STIX reports carry.
func ReleaseUUID(id cleared.ReleaseID) string { return id.UUID() }
