package registry

import (
	"context"
	"errors"

	"github.com/cleared/cleared"
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
