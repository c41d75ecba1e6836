package registry

import (
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// copyAgenda is the agenda's source of copies and inventories: the copy requests waiting for the reader's consent
// as originator (A9.4, A5.2), and the inventories of the organisations he answers for that found items missing
// (A13.1).
type copyAgenda struct{}

// AgendaItems loads the pending copy requests (when the reader holds an authority) and the recent inventories of
// his organisations; the policy decides which are his.
func (copyAgenda) AgendaItems(tx store.Tx, r policy.AgendaReader, now time.Time) ([]policy.AgendaItem, error) {
	authorities, err := authoritiesInOffice(tx, r.Person.ID, now)
	if err != nil {
		return nil, err
	}
	var items []policy.AgendaItem
	if len(authorities) > 0 {
		rs, err := tx.CopyRequests(store.CopyRequestQuery{Status: cleared.CopyRequestPending, Limit: maxListLimit})
		if err != nil {
			return nil, err
		}
		var fs []policy.CopyRequestFact
		for _, rq := range rs {
			p, err := tx.Piece(rq.Piece)
			if err != nil {
				continue // a piece that cannot be read, or fails its seal, shows nothing of its requests
			}
			tg, err := target(tx, p)
			if err != nil {
				return nil, err
			}
			acts, err := facts.ActsFor(tx, p.Originator, p.Created)
			if err != nil {
				return nil, err
			}
			fs = append(fs, policy.CopyRequestFact{Request: rq, Piece: p, Target: tg, ActsFor: acts})
		}
		items = append(items, policy.CopyRequestItems(r, authorities, fs, now)...)
	}
	officerOf, err := facts.OfficerOf(tx, r.Person.ID, now)
	if err != nil {
		return nil, err
	}
	nsa := r.Person.HasRole(cleared.RoleNSAOfficer)
	var invs []cleared.Inventory
	if nsa {
		if invs, err = tx.Inventories("", maxListLimit); err != nil {
			return nil, err
		}
	} else {
		for _, o := range officerOf {
			l, err := tx.Inventories(o, maxListLimit)
			if err != nil {
				return nil, err
			}
			invs = append(invs, l...)
		}
	}
	return append(items, policy.InventoryAgendaItems(officerOf, nsa, invs, now)...), nil
}
