package auth

import (
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// AgendaItems is the service's source of the agenda (facts.AgendaSource): the reader's API tokens that expire soon
// and his sessions open at other terminals, and for an administrator the accounts locked out (docs/accounts.md).
func (s *Service) AgendaItems(tx store.Tx, r policy.AgendaReader, now time.Time) ([]policy.AgendaItem, error) {
	tokens, err := tx.PersonTokens(r.Person.ID)
	if err != nil {
		return nil, err
	}
	var sessions []cleared.Session
	acc, err := tx.AccountByPerson(r.Person.ID)
	switch {
	case errors.Is(err, cleared.ErrNotFound): // an API-only person has no sessions
	case err != nil:
		return nil, err
	default:
		xs, err := tx.AccountSessions(acc.ID, now)
		if err != nil {
			return nil, err
		}
		for _, x := range xs {
			if account.SessionOpen(x, x.Stage, x.Terminal, now) {
				sessions = append(sessions, x)
			}
		}
	}
	items := policy.AccountItems(r, tokens, sessions, now)
	if r.Person.HasRole(cleared.RoleAdmin) {
		locked, err := tx.LockedAccounts(now, maxListLimit)
		if err != nil {
			return nil, err
		}
		items = append(items, policy.LockedAccountItems(r, locked, now)...)
	}
	return items, nil
}
