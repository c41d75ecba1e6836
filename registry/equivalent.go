package registry

import (
	"context"
	"errors"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// ForeignEquivalent returns the marking under scheme that the national level l has in the equivalence table in
// force (A6.1), and the table's version: the marking a piece of that level carries when released to that partner.
// A level with no equivalent for the partner, an unknown partner, or no table in force is refused with A6.1 and
// audited: a piece of that level cannot be released to it. Any authenticated person may ask.
func (s *Service) ForeignEquivalent(ctx context.Context, a cleared.Actor, scheme cleared.Scheme, l cleared.Level) (marking string, version int, err error) {
	defer cleared.Wrap(&err, "foreign equivalent of %s under %s", l, scheme)
	if err := scheme.Validate(); err != nil {
		return "", 0, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.EquivalenceForeign, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		x.Object = string(scheme) + "/" + l.String()
		var inForce *cleared.EquivalenceTable
		t, err := tx.Equivalence(now)
		switch {
		case err == nil:
			inForce, version = &t, t.Version
		case !errors.Is(err, cleared.ErrNotFound):
			return err
		}
		m, d := policy.ForeignEquivalent(inForce, scheme, l)
		if !d.Allowed {
			return x.Deny(x.Object, d)
		}
		marking = m
		return nil
	})
	return marking, version, err
}
