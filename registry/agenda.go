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

// AgendaItem is one thing that needs the actor's action: see policy.AgendaItem.
type AgendaItem = policy.AgendaItem

// Agenda is what needs the actor's action at At, soonest due first, overdue first (policy.Agenda).
type Agenda struct {
	At    time.Time
	Items []AgendaItem
}

// Agenda returns what needs the actor's action, computed in one read transaction from the registers (his
// clearances that expire, A17.1; the reviews due of what he classified or acts for, A3.2, A5.2; his need-to-know
// that ends, A9.1; for a security officer or an NSA officer the clearances of the persons he answers for that
// expire, A17.1, A23.1) and from every other source the service was given (Config.Agenda: package auth's API
// tokens, sessions at other terminals, and for an administrator the accounts locked out). Nothing is shown that
// the actor may not know: a piece only if he may know it exists (A9.1). Reading the agenda is recorded like
// reading one's own file (Me): one audit entry, with the number of items, not an entry per item.
func (s *Service) Agenda(ctx context.Context, a cleared.Actor) (ag Agenda, err error) {
	defer cleared.Wrap(&err, "agenda")
	now := s.clock()
	err = s.run.Read(ctx, a, act.AgendaRead, now, func(tx store.Tx, x *act.Act) error {
		sub, me, err := facts.Subject(tx, a, now)
		if err != nil {
			return err
		}
		r := policy.AgendaReader{Person: me, Subject: sub, Terminal: a.Terminal}
		var items []AgendaItem
		for _, src := range append([]facts.AgendaSource{registers{s}, copyAgenda{}, destructionAgenda{}, transmissionAgenda{s.receiptDelay}, incidentAgenda{}}, s.agenda...) {
			its, err := src.AgendaItems(tx, r, now)
			if err != nil {
				return err
			}
			items = append(items, its...)
		}
		policy.SortAgenda(items)
		ag = Agenda{At: now, Items: items}
		x.Object, x.Payload = string(a.Person), map[string]int{"items": len(ag.Items)}
		return nil
	})
	return ag, err
}

// registers is the registry's source of the agenda: one's clearances (A17.1), the reviews and need-to-know of
// pieces (A3.2, A9.1), and the clearances of the persons one answers for (A17.1, A23.1).
type registers struct{ s *Service }

// AgendaItems loads what the registry's items are decided on. Each source of facts is narrowed by its own index to
// what may fall due (the store's agenda queries, the person's grants); the policy decides what does.
func (registers) AgendaItems(tx store.Tx, r policy.AgendaReader, now time.Time) ([]AgendaItem, error) {
	me, sub := r.Person, r.Subject
	items := policy.ClearanceItems(r, now)
	dossiers := map[cleared.DossierID]cleared.Dossier{}
	dossier := func(id cleared.DossierID) (cleared.Dossier, error) {
		if d, ok := dossiers[id]; ok {
			return d, nil
		}
		d, err := tx.Dossier(id)
		if err == nil {
			dossiers[id] = d
		}
		return d, err
	}
	targetOf := func(p cleared.Piece) (policy.Target, error) {
		if p.Dossier == "" {
			return policy.TargetOf(p, cleared.Dossier{}), nil
		}
		d, err := dossier(p.Dossier)
		return policy.TargetOf(p, d), err
	}

	// A3.2, A5.2: reviews of what the authorities he holds classified, or act for, among what he may see.
	as, err := tx.PersonAuthorities(me.ID)
	if err != nil {
		return nil, err
	}
	var authorities []cleared.AuthorityID
	for _, au := range as {
		if au.InOfficeAt(now) {
			authorities = append(authorities, au.ID)
		}
	}
	var reviews []policy.ReviewFact
	ceiling, ok := cleared.TopSecret, sub.ClearanceExempt
	if !ok {
		ceiling, ok = policy.BestClearance(sub.Clearances, now)
	}
	if len(authorities) > 0 && ok { // without a valid clearance, nothing classified is his to know
		ps, err := tx.ReviewsDue(store.ReviewQuery{Person: me.ID, MaxLevel: ceiling, At: now,
			By: policy.AgendaHorizon(policy.AgendaReview, now), Limit: maxListLimit})
		if err != nil {
			return nil, err
		}
		ms, err := markings(tx, now)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			p.Markings = ms
			tg, err := targetOf(p)
			if err != nil {
				return nil, err
			}
			acts, err := facts.ActsFor(tx, p.Originator, p.Created)
			if err != nil {
				return nil, err
			}
			reviews = append(reviews, policy.ReviewFact{Piece: p, Target: tg, ActsFor: acts})
		}
	}

	// A9.1: grants that end soon, with what they are on. The policy follows them through the subject's others.
	gs, err := tx.PersonGrants(me.ID, now)
	if err != nil {
		return nil, err
	}
	var grants []policy.GrantFact
	soon := policy.AgendaHorizon(policy.AgendaGrant, now)
	for _, g := range gs {
		end := g.Until
		if !g.Revoked.IsZero() && g.Revoked.Before(end) {
			end = g.Revoked
		}
		if !end.Before(soon) {
			continue
		}
		gf := policy.GrantFact{Grant: g}
		if g.Piece != "" {
			p, err := tx.Piece(g.Piece)
			if err != nil {
				return nil, err
			}
			if gf.Target, err = targetOf(p); err != nil {
				return nil, err
			}
			gf.Piece = &p
		} else {
			d, err := dossier(g.Dossier)
			if err != nil {
				return nil, err
			}
			gf.Target, gf.Dossier = dossierTarget(d), &d
		}
		grants = append(grants, gf)
	}
	items = append(items, policy.PieceItems(r, authorities, reviews, grants, now)...)

	// A17.1, A23.1: the clearances of the persons he answers for, each with the person's other clearances.
	officerOf, err := facts.OfficerOf(tx, me.ID, now)
	if err != nil {
		return nil, err
	}
	nsa := policy.NSARegister(me, sub.Clearances, now).Allowed
	if !nsa && len(officerOf) == 0 {
		return items, nil
	}
	cs, err := tx.ExpiringClearances(store.ExpiryQuery{Organisations: officerOf, All: nsa, From: now,
		By: policy.AgendaHorizon(policy.AgendaHolderClearance, now), Limit: maxListLimit})
	if err != nil {
		return nil, err
	}
	var holders []policy.Holder
	seen := map[cleared.PersonID]bool{me.ID: true}
	for _, c := range cs {
		if seen[c.PersonID] {
			continue
		}
		seen[c.PersonID] = true
		p, err := tx.Person(c.PersonID)
		if err != nil {
			return nil, err
		}
		all, err := tx.PersonClearances(p.ID)
		if err != nil {
			return nil, err
		}
		holders = append(holders, policy.Holder{Person: p, Clearances: all})
	}
	return append(items, policy.HolderItems(r, officerOf, holders, now)...), nil
}
