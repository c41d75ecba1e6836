package registry

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Judicial access (Art. 9 al. 1: "Sans préjudice des compétences propres des autorités judiciaires", A9.5). An
// order of a judicial authority is served on the NSA, whose officer records it here: the court, its reference,
// when it was issued, the persons it names, the pieces and dossiers it covers, its period. During that period
// the persons named read what it covers without clearance or need-to-know (policy.Consult), at a terminal fit for
// the piece (A9.3, A8.1, A8.2); every such read says so, to the reader and in the audit log. An order gives a
// read, nothing else: copies, grants and changes are decided by need-to-know alone (policy.Know).

// Limits of one order.
const (
	maxOrderPersons = 50
	maxOrderObjects = 200 // pieces and dossiers together
	maxReference    = 100
)

// NewJudicialOrder is the input of RecordJudicialOrder.
type NewJudicialOrder struct {
	Court     string              `json:"court"`
	Reference string              `json:"reference"`
	Issued    time.Time           `json:"issued"`
	Persons   []cleared.PersonID  `json:"persons"`
	Pieces    []cleared.PieceID   `json:"pieces,omitempty"`
	Dossiers  []cleared.DossierID `json:"dossiers,omitempty"`
	From      time.Time           `json:"from"`
	Until     time.Time           `json:"until"`
}

func (in NewJudicialOrder) validate(now time.Time) error {
	if err := cleared.CheckLine("court", in.Court, 1, maxName); err != nil {
		return err
	}
	if err := cleared.CheckLine("reference", in.Reference, 1, maxReference); err != nil {
		return err
	}
	switch {
	case in.Issued.IsZero():
		return cleared.Invalidf("issued: the date the order was issued is required")
	case in.Issued.After(now):
		return cleared.Invalidf("issued: an order is recorded once issued, not before (%s is after now)", in.Issued.Format(time.RFC3339))
	case in.From.IsZero() || in.Until.IsZero():
		return cleared.Invalidf("from, until: the period of the order is required")
	case !in.Until.After(in.From):
		return cleared.Invalidf("until: the period must end after it starts")
	case in.From.Before(in.Issued):
		return cleared.Invalidf("from: an order gives no access before it was issued")
	case !in.Until.After(now):
		return cleared.Invalidf("until: the order's period is over already")
	case len(in.Persons) == 0 || len(in.Persons) > maxOrderPersons:
		return cleared.Invalidf("persons: an order names from 1 to %d persons", maxOrderPersons)
	case len(in.Pieces)+len(in.Dossiers) == 0:
		return cleared.Invalidf("pieces, dossiers: an order covers at least one piece or dossier")
	case len(in.Pieces)+len(in.Dossiers) > maxOrderObjects:
		return cleared.Invalidf("pieces, dossiers: an order covers at most %d pieces and dossiers", maxOrderObjects)
	}
	if err := distinctIDs("persons", in.Persons); err != nil {
		return err
	}
	if err := distinctIDs("pieces", in.Pieces); err != nil {
		return err
	}
	return distinctIDs("dossiers", in.Dossiers)
}

// distinctIDs validates each ID of a list and refuses one given twice.
func distinctIDs[ID interface {
	~string
	Validate() error
}](field string, ids []ID) error {
	seen := make(map[ID]bool, len(ids))
	for _, id := range ids {
		if err := id.Validate(); err != nil {
			return cleared.Invalidf("%s: %v", field, err)
		}
		if seen[id] {
			return cleared.Invalidf("%s: %s is given twice", field, id)
		}
		seen[id] = true
	}
	return nil
}

// JudicialOrderEnd is the input of EndJudicialOrder: why the order ends early (the court's decision lifting it).
type JudicialOrderEnd struct {
	Reason string `json:"reason"`
}

// RecordJudicialOrder records a judicial order served on the NSA (A9.5). Only a cleared NSA officer records it
// (policy.JudicialRegister: refused with A9.5 otherwise, A20.1 without a valid clearance); every field is checked
// (ErrInvalid), and the persons, pieces and dossiers it names must exist (ErrInvalid naming the one that does not:
// the NSA officer may know them all). A court and reference recorded already are ErrConflict.
func (s *Service) RecordJudicialOrder(ctx context.Context, a cleared.Actor, in NewJudicialOrder) (o cleared.JudicialOrder, err error) {
	defer cleared.Wrap(&err, "record judicial order")
	now := s.clock()
	if err := in.validate(now); err != nil {
		return o, err
	}
	err = s.run.Do(ctx, a, act.JudicialOrderRecord, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		cs, err := tx.PersonClearances(me.ID)
		if err != nil {
			return err
		}
		if d := policy.JudicialRegister(me, cs, now); !d.Allowed {
			return x.Deny("", d)
		}
		for _, p := range in.Persons {
			if err := inRegister("persons", p, func() error { _, err := tx.Person(p); return err }); err != nil {
				return err
			}
		}
		for _, p := range in.Pieces {
			if err := inRegister("pieces", p, func() error { _, err := tx.Piece(p); return err }); err != nil {
				return err
			}
		}
		for _, d := range in.Dossiers {
			if err := inRegister("dossiers", d, func() error { _, err := tx.Dossier(d); return err }); err != nil {
				return err
			}
		}
		o = cleared.JudicialOrder{ID: cleared.NewJudicialOrderID(), Court: in.Court, Reference: in.Reference,
			Issued: in.Issued.UTC(), Persons: in.Persons, Pieces: in.Pieces, Dossiers: in.Dossiers, From: in.From.UTC(),
			Until: in.Until.UTC(), RecordedBy: me.ID, Recorded: now}
		if err := tx.CreateJudicialOrder(o); err != nil {
			return err
		}
		x.Object, x.Payload = string(o.ID), o
		return nil
	})
	if err != nil {
		return cleared.JudicialOrder{}, err
	}
	return orderShown(o, now), nil
}

// inRegister answers ErrInvalid naming field and id when read finds nothing (or a row that fails its seal).
func inRegister[ID ~string](field string, id ID, read func() error) error {
	err := read()
	var tampered *store.TamperedError
	if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
		return cleared.Invalidf("%s: %s is not in the register", field, id)
	}
	return err
}

// orderShown is o as handed out at t: its status, and its lists as [] when empty.
func orderShown(o cleared.JudicialOrder, t time.Time) cleared.JudicialOrder {
	o.Status = o.StatusAt(t)
	o.Persons, o.Pieces, o.Dossiers = emptyIfNil(o.Persons), emptyIfNil(o.Pieces), emptyIfNil(o.Dossiers)
	return o
}

func emptyIfNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// EndJudicialOrder ends an order before its term, when the court lifts it (A9.5): from now on it gives no access.
// Only a cleared NSA officer ends it (policy.JudicialRegister); an order ended already, or whose period is over, is
// ErrConflict.
func (s *Service) EndJudicialOrder(ctx context.Context, a cleared.Actor, id cleared.JudicialOrderID, in JudicialOrderEnd) (o cleared.JudicialOrder, err error) {
	defer cleared.Wrap(&err, "end judicial order %s", id)
	if err := id.Validate(); err != nil {
		return o, err
	}
	if err := cleared.CheckText("reason", in.Reason, 1, maxText); err != nil {
		return o, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.JudicialOrderEnd, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		cs, err := tx.PersonClearances(me.ID)
		if err != nil {
			return err
		}
		if d := policy.JudicialRegister(me, cs, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		o, err = tx.JudicialOrder(id)
		var tampered *store.TamperedError
		if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		switch o.StatusAt(now) {
		case cleared.JudicialOrderEnded:
			return cleared.Conflictf("the order was ended on %s", o.Ended.Format(time.DateOnly))
		case cleared.JudicialOrderExpired:
			return cleared.Conflictf("the order's period ended on %s", o.Until.Format(time.DateOnly))
		}
		if err := tx.EndJudicialOrder(id, now, me.ID, in.Reason); err != nil {
			return err
		}
		o.Ended, o.EndedBy, o.EndReason = now, me.ID, in.Reason
		x.Object, x.Payload = string(id), in
		return nil
	})
	if err != nil {
		return cleared.JudicialOrder{}, err
	}
	return orderShown(o, now), nil
}

// JudicialOrder returns an order to the persons it names and to cleared NSA officers (policy.ReadJudicialOrder);
// anyone else gets not-found, as for an order that does not exist.
func (s *Service) JudicialOrder(ctx context.Context, a cleared.Actor, id cleared.JudicialOrderID) (o cleared.JudicialOrder, err error) {
	defer cleared.Wrap(&err, "judicial order %s", id)
	if err := id.Validate(); err != nil {
		return o, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.JudicialOrderRead, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		cs, err := tx.PersonClearances(me.ID)
		if err != nil {
			return err
		}
		o, err = tx.JudicialOrder(id)
		var tampered *store.TamperedError
		if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		if d := policy.ReadJudicialOrder(me, cs, o, now); !d.Allowed {
			o = cleared.JudicialOrder{}
			return x.Deny(string(id), d)
		}
		x.Object = string(id)
		return nil
	})
	if err != nil {
		return cleared.JudicialOrder{}, err
	}
	return orderShown(o, now), nil
}

// JudicialOrders lists, by ID after the cursor, the orders the actor may read (JudicialOrder): every order to a
// cleared NSA officer, his own to a person an order names.
func (s *Service) JudicialOrders(ctx context.Context, a cleared.Actor, after string, limit int) (os []cleared.JudicialOrder, err error) {
	defer cleared.Wrap(&err, "list judicial orders")
	limit = page(limit)
	now := s.clock()
	err = s.run.Read(ctx, a, act.JudicialOrderList, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		cs, err := tx.PersonClearances(me.ID)
		if err != nil {
			return err
		}
		keep := func(o cleared.JudicialOrder) (bool, error) {
			return policy.ReadJudicialOrder(me, cs, o, now).Allowed, nil
		}
		if me.HasRole(cleared.RoleNSAOfficer) {
			os, err = filtered(after, limit, func(o cleared.JudicialOrder) string { return string(o.ID) }, tx.JudicialOrderList, keep)
		} else {
			// His own: found through the index of persons, each decided on its sealed row.
			var mine []cleared.JudicialOrder
			if mine, err = tx.PersonJudicialOrders(me.ID); err == nil {
				for _, o := range mine {
					if string(o.ID) > after && len(os) < limit && policy.ReadJudicialOrder(me, cs, o, now).Allowed {
						os = append(os, o)
					}
				}
			}
		}
		x.Payload = map[string]int{"count": len(os)}
		return err
	})
	for i := range os {
		os[i] = orderShown(os[i], now)
	}
	return os, err
}

// judicialRead is the audit payload of a read allowed by a judicial order (A9.5): the entry names the order.
type judicialRead struct {
	Access string                    `json:"access"`
	Order  *cleared.JudicialOrderRef `json:"judicial_order"`
}

// byOrder marks p, and the read's audit entry, as given by the judicial order d rests on, if it rests on one
// (A9.5: shown as such on every read and in the audit log).
func byOrder(x *act.Act, p cleared.Piece, d policy.Decision) cleared.Piece {
	if d.Order == nil {
		return p
	}
	p.Access, p.JudicialOrder = cleared.AccessJudicialOrder, d.Order
	if x != nil {
		x.Payload = judicialRead{Access: cleared.AccessJudicialOrder, Order: d.Order}
	}
	return p
}

// judicialPieces returns the pieces, not destroyed, that the judicial orders of sub in force at t cover (A9.5),
// after the cursor, newest first, as ListPieces orders them: the orders' own pieces and the parts of their
// dossiers. An order covers few pieces, so they are read one by one from the sealed orders, never by a query of
// their own.
func judicialPieces(tx store.Pieces, sub *policy.Subject, t time.Time, after *store.PieceCursor) ([]cleared.Piece, error) {
	ps, ds := sub.Orders.InForce(t)
	seen := map[cleared.PieceID]bool{}
	var out []cleared.Piece
	add := func(p cleared.Piece) {
		if seen[p.ID] || !p.Destroyed.IsZero() || (after != nil && !pastCursor(p, *after)) {
			return
		}
		seen[p.ID] = true
		out = append(out, p)
	}
	for _, id := range ps {
		p, err := tx.Piece(id)
		var tampered *store.TamperedError
		if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
			continue
		} else if err != nil {
			return nil, err
		}
		add(p)
	}
	for _, id := range ds {
		parts, err := tx.DossierParts(id)
		if err != nil {
			return nil, err
		}
		for _, p := range parts {
			add(p)
		}
	}
	slices.SortFunc(out, piecesNewestFirst)
	return out, nil
}

// pastCursor reports whether p comes after the cursor c in a list ordered newest first.
func pastCursor(p cleared.Piece, c store.PieceCursor) bool {
	return p.Created.Before(c.Created) || p.Created.Equal(c.Created) && p.ID < c.ID
}

// piecesNewestFirst orders pieces as ListPieces does: created, then ID, descending.
func piecesNewestFirst(a, b cleared.Piece) int {
	if c := b.Created.Compare(a.Created); c != 0 {
		return c
	}
	switch {
	case a.ID > b.ID:
		return -1
	case a.ID < b.ID:
		return 1
	}
	return 0
}
