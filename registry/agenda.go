package registry

import (
	"context"
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
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

// Agenda returns what needs the actor's action, computed from the registers in one read transaction: his
// clearances that expire (A17.1), the reviews due of what he classified or acts for (A3.2, A5.2), his need-to-know
// that ends (A9.1), his API tokens that expire and his sessions at other terminals; for an administrator the
// accounts locked out; for a security officer or an NSA officer the clearances of the persons he answers for that
// expire (A17.1, A23.1). Nothing is shown that the actor may not know: a piece only if he may know it exists
// (A9.1). Reading the agenda is recorded like reading one's own file (Me): one audit entry, with the number of
// items, not an entry per item.
func (s *Service) Agenda(ctx context.Context, a cleared.Actor) (ag Agenda, err error) {
	defer cleared.Wrap(&err, "agenda")
	now := s.clock()
	err = s.run.Read(ctx, a, act.AgendaRead, now, func(tx store.Tx, x *act.Act) error {
		f, err := agendaFacts(tx, a, now)
		if err != nil {
			return err
		}
		ag = Agenda{At: now, Items: policy.Agenda(f, now)}
		x.Object, x.Payload = string(a.Person), map[string]int{"items": len(ag.Items)}
		return nil
	})
	return ag, err
}

// agendaFacts loads what policy.Agenda decides on. Each source is narrowed by its own index to what may fall
// due (the store's agenda queries, the person's grants, tokens and sessions); the policy decides what does.
func agendaFacts(tx store.Tx, a cleared.Actor, now time.Time) (policy.AgendaFacts, error) {
	sub, me, err := facts.Subject(tx, a, now)
	if err != nil {
		return policy.AgendaFacts{}, err
	}
	f := policy.AgendaFacts{Person: me, Subject: sub, Terminal: a.Terminal}
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
		return f, err
	}
	for _, au := range as {
		if au.InOfficeAt(now) {
			f.Authorities = append(f.Authorities, au.ID)
		}
	}
	ceiling, ok := cleared.TopSecret, sub.ClearanceExempt
	if !ok {
		ceiling, ok = policy.BestClearance(sub.Clearances, now)
	}
	if len(f.Authorities) > 0 && ok { // without a valid clearance, nothing classified is his to know
		ps, err := tx.ReviewsDue(store.ReviewQuery{Person: me.ID, MaxLevel: ceiling, At: now,
			By: policy.AgendaHorizon(policy.AgendaReview, now), Limit: maxListLimit})
		if err != nil {
			return f, err
		}
		for _, p := range ps {
			tg, err := targetOf(p)
			if err != nil {
				return f, err
			}
			acts, err := facts.ActsFor(tx, p.Originator, p.Created)
			if err != nil {
				return f, err
			}
			f.Reviews = append(f.Reviews, policy.ReviewFact{Piece: p, Target: tg, ActsFor: acts})
		}
	}

	// A9.1: grants that end soon, with what they are on. The policy follows them through the subject's others.
	gs, err := tx.PersonGrants(me.ID, now)
	if err != nil {
		return f, err
	}
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
				return f, err
			}
			if gf.Target, err = targetOf(p); err != nil {
				return f, err
			}
			gf.Piece = &p
		} else {
			d, err := dossier(g.Dossier)
			if err != nil {
				return f, err
			}
			gf.Target, gf.Dossier = dossierTarget(d), &d
		}
		f.Grants = append(f.Grants, gf)
	}

	// The account's own: tokens, and sessions still open (each at its own terminal).
	if f.Tokens, err = tx.PersonTokens(me.ID); err != nil {
		return f, err
	}
	acc, err := tx.AccountByPerson(me.ID)
	switch {
	case errors.Is(err, cleared.ErrNotFound): // an API-only person has no sessions
	case err != nil:
		return f, err
	default:
		xs, err := tx.AccountSessions(acc.ID, now)
		if err != nil {
			return f, err
		}
		for _, x := range xs {
			if account.SessionOpen(x, x.Stage, x.Terminal, now) {
				f.Sessions = append(f.Sessions, x)
			}
		}
	}

	// Administrators: accounts locked out.
	if me.HasRole(cleared.RoleAdmin) {
		if f.Accounts, err = tx.LockedAccounts(now, maxListLimit); err != nil {
			return f, err
		}
	}

	// A17.1, A23.1: the clearances of the persons he answers for, each with the person's other clearances.
	if f.OfficerOf, err = facts.OfficerOf(tx, me.ID, now); err != nil {
		return f, err
	}
	nsa := policy.NSARegister(me, sub.Clearances, now).Allowed
	if !nsa && len(f.OfficerOf) == 0 {
		return f, nil
	}
	cs, err := tx.ExpiringClearances(store.ExpiryQuery{Organisations: f.OfficerOf, All: nsa, From: now,
		By: policy.AgendaHorizon(policy.AgendaHolderClearance, now), Limit: maxListLimit})
	if err != nil {
		return f, err
	}
	seen := map[cleared.PersonID]bool{me.ID: true}
	for _, c := range cs {
		if seen[c.PersonID] {
			continue
		}
		seen[c.PersonID] = true
		p, err := tx.Person(c.PersonID)
		if err != nil {
			return f, err
		}
		all, err := tx.PersonClearances(p.ID)
		if err != nil {
			return f, err
		}
		f.Holders = append(f.Holders, policy.Holder{Person: p, Clearances: all})
	}
	return f, nil
}
