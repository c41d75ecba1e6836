package registry

import (
	"context"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/store"
)

// Equivalence returns the equivalence table in force now (A6.1). Any authenticated person may read it.
func (s *Service) Equivalence(ctx context.Context, a cleared.Actor) (t cleared.EquivalenceTable, err error) {
	defer cleared.Wrap(&err, "equivalence table")
	now := s.clock()
	err = s.run.Read(ctx, a, act.EquivalenceRead, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		t, err = tx.Equivalence(now)
		x.Payload = map[string]int{"version": t.Version}
		return err
	})
	return t, err
}

// SetEquivalence records a new version of the equivalence table (A6.1), taking effect at t.ValidFrom (now if
// zero); its version is the next number. Only NSA officers edit it; earlier versions are kept, so pieces keep the
// meaning their marking had.
func (s *Service) SetEquivalence(ctx context.Context, a cleared.Actor, t cleared.EquivalenceTable) (out cleared.EquivalenceTable, err error) {
	defer cleared.Wrap(&err, "set equivalence table")
	now := s.clock()
	if t.ValidFrom.IsZero() {
		t.ValidFrom = now
	}
	t.ValidFrom = t.ValidFrom.UTC()
	err = s.run.Do(ctx, a, act.EquivalenceSet, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.RequireNSA(tx, x)
		if err != nil {
			return err
		}
		vs, err := tx.EquivalenceVersions()
		if err != nil {
			return err
		}
		t.Version = 1
		if len(vs) > 0 {
			t.Version = vs[len(vs)-1].Version + 1
		}
		if err := t.Validate(); err != nil {
			return err
		}
		out = t
		x.Payload = t
		return tx.PutEquivalence(t, me.ID, now)
	})
	return out, err
}
