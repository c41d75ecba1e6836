package registry

import (
	"context"
	"errors"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/store"
)

// Me is what the signed-in person sees of himself on his dashboard: his file, his account's login, and the
// terminal he acts from with its place (what it lets him read: A8.2, A9.3).
type Me struct {
	PersonFile
	Organisation cleared.Organisation `json:"organisation"`
	Login        string               `json:"login,omitempty"`
	Terminal     *cleared.Terminal    `json:"terminal,omitempty"`
	Place        *cleared.Place       `json:"place,omitempty"`
}

// Me returns the actor's own file, organisation, login and terminal. Reading one's own file is recorded like
// any other read of a person's file.
func (s *Service) Me(ctx context.Context, a cleared.Actor) (m Me, err error) {
	defer cleared.Wrap(&err, "me")
	if m.PersonFile, err = s.Person(ctx, a, a.Person); err != nil {
		return m, err
	}
	err = s.store.View(ctx, func(tx store.Tx) error {
		var err error
		if m.Organisation, err = tx.Organisation(m.Person.OrganisationID); err != nil {
			return err
		}
		acc, err := tx.AccountByPerson(a.Person)
		switch {
		case err == nil:
			m.Login = acc.Login
		case !errors.Is(err, cleared.ErrNotFound):
			return err
		}
		if a.Terminal == "" {
			return nil
		}
		t, err := tx.Terminal(a.Terminal)
		if errors.Is(err, cleared.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		m.Terminal = &t
		if t.Place != "" {
			pl, err := tx.Place(t.Place)
			if err != nil {
				return err
			}
			m.Place = &pl
		}
		return nil
	})
	return m, err
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

// Terminals lists the register of terminals (A8.2, A9.3), by ID, revoked ones included, to anyone signed in.
func (s *Service) Terminals(ctx context.Context, a cleared.Actor, after string, limit int) (ts []cleared.Terminal, err error) {
	defer cleared.Wrap(&err, "list terminals")
	err = s.run.Read(ctx, a, act.TerminalList, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		ts, err = tx.Terminals(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(ts)}
		return err
	})
	return ts, err
}

// DemoTerminals lists the terminals that are not revoked, without a signed-in actor, for the demonstration's
// sign-in form only (where a terminal is chosen instead of presented by a client certificate). The web adapter
// calls it only in demo mode.
func (s *Service) DemoTerminals(ctx context.Context) (ts []cleared.Terminal, err error) {
	defer cleared.Wrap(&err, "list demo terminals")
	err = s.store.View(ctx, func(tx store.Tx) error {
		all, err := tx.Terminals(store.Page{Limit: maxListLimit})
		for _, t := range all {
			if t.Revoked.IsZero() {
				ts = append(ts, t)
			}
		}
		return err
	})
	return ts, err
}
