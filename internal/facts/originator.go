package facts

import (
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// ActsForOriginator reports whether person holds, at t, a classifying authority that may act for piece p's
// originator (A5.2): the originator itself, its successor, or a delegate (ActsFor, policy.ConsentAuthority).
func ActsForOriginator(tx store.Authorities, person cleared.PersonID, p cleared.Piece, t time.Time) (bool, error) {
	as, err := tx.PersonAuthorities(person)
	if err != nil {
		return false, err
	}
	var mine []cleared.AuthorityID
	for _, au := range as {
		if au.InOfficeAt(t) {
			mine = append(mine, au.ID)
		}
	}
	if len(mine) == 0 {
		return false, nil
	}
	actsFor, err := ActsFor(tx, p.Originator, p.Created)
	if err != nil {
		return false, err
	}
	_, d := policy.ConsentAuthority(mine, actsFor)
	return d.Allowed, nil
}
