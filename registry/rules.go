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

// Rule profiles (A1.1) and the law's own parameters (A17.1, A4.1) are data the NSA records, each version with the
// date it takes effect; the workflows read the versions in force at the time of their act.

// RecordProfile records a version of a rule profile (A1.1), taking effect at doc.EffectiveFrom (now if zero).
// Only NSA officers record profiles, as they edit the equivalence table. A document that would relax one of the
// law's rules, states an unknown kind, level or action, or skips a version number is refused with A1.1, audited,
// and nothing is recorded.
func (s *Service) RecordProfile(ctx context.Context, a cleared.Actor, doc cleared.RuleProfile) (out cleared.RuleProfile, err error) {
	defer cleared.Wrap(&err, "record rule profile")
	now := s.clock()
	if doc.EffectiveFrom.IsZero() {
		doc.EffectiveFrom = now
	}
	doc.EffectiveFrom = doc.EffectiveFrom.UTC()
	err = s.run.Do(ctx, a, act.ProfileRecord, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.RequireNSA(tx, x)
		if err != nil {
			return err
		}
		x.Payload = doc
		versions, err := tx.ProfileVersions(doc.Name)
		if err != nil {
			return err
		}
		if d := policy.CheckProfile(doc, versions); !d.Allowed {
			return x.Deny(doc.Name, d)
		}
		x.Object, out = doc.Name, doc
		return tx.PutProfile(doc, me.ID, now)
	})
	return out, err
}

// ProfileSummary is a profile's latest version and whether it is in force now (a version may wait for its date).
type ProfileSummary struct {
	cleared.RuleProfile
	InForce bool `json:"in_force"`
}

// Profiles lists the rule profiles, the latest version of each name, by name. Any authenticated person may read
// them: they tell what an act will ask.
func (s *Service) Profiles(ctx context.Context, a cleared.Actor) (out []ProfileSummary, err error) {
	defer cleared.Wrap(&err, "rule profiles")
	now := s.clock()
	err = s.run.Read(ctx, a, act.ProfileList, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		latest, err := tx.LatestProfiles()
		if err != nil {
			return err
		}
		inForce, err := tx.ProfilesInForce(now)
		if err != nil {
			return err
		}
		out = make([]ProfileSummary, 0, len(latest))
		for _, p := range latest {
			out = append(out, ProfileSummary{RuleProfile: p, InForce: slices.ContainsFunc(inForce, func(q cleared.RuleProfile) bool {
				return q.Name == p.Name && q.Version == p.Version
			})})
		}
		x.Payload = map[string]int{"profiles": len(out)}
		return nil
	})
	return out, err
}

// ProfileVersions returns every version of the profile named name, oldest first; ErrNotFound if it has none.
func (s *Service) ProfileVersions(ctx context.Context, a cleared.Actor, name string) (out []cleared.RuleProfile, err error) {
	defer cleared.Wrap(&err, "rule profile %q", name)
	now := s.clock()
	err = s.run.Read(ctx, a, act.ProfileRead, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		x.Object = name
		out, err = tx.ProfileVersions(name)
		if err == nil && len(out) == 0 {
			err = cleared.NotFoundf("no rule profile is named %q", name)
		}
		return err
	})
	return out, err
}

// Law returns the law's parameters in force now, and every version, oldest first. Any authenticated person may
// read them.
func (s *Service) Law(ctx context.Context, a cleared.Actor) (inForce cleared.LawParameters, versions []cleared.LawParameters, err error) {
	defer cleared.Wrap(&err, "law parameters")
	now := s.clock()
	err = s.run.Read(ctx, a, act.LawRead, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		versions, err = tx.LawVersions()
		if err != nil {
			return err
		}
		inForce, err = lawAt(versions, now)
		x.Payload = map[string]int{"version": inForce.Version}
		return err
	})
	return inForce, versions, err
}

// SetLaw records a new version of the law's parameters, entering into force at l.ValidFrom (now if zero): a reform
// is entered ahead of its date and applies to acts from that instant on, not before. Its version is the next
// number. Only NSA officers record it.
func (s *Service) SetLaw(ctx context.Context, a cleared.Actor, l cleared.LawParameters) (out cleared.LawParameters, err error) {
	defer cleared.Wrap(&err, "set law parameters")
	now := s.clock()
	if l.ValidFrom.IsZero() {
		l.ValidFrom = now
	}
	l.ValidFrom = l.ValidFrom.UTC()
	err = s.run.Do(ctx, a, act.LawSet, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.RequireNSA(tx, x)
		if err != nil {
			return err
		}
		vs, err := tx.LawVersions()
		if err != nil {
			return err
		}
		l.Version = 1
		if len(vs) > 0 {
			l.Version = vs[len(vs)-1].Version + 1
		}
		if err := l.Validate(); err != nil {
			return err
		}
		out = l
		x.Object, x.Payload = "", l
		return tx.PutLaw(l, me.ID, now)
	})
	return out, err
}

// lawAt returns the version of versions in force at t; the law of 2004 before the first recorded one (a database
// set up before the parameters were data holds none, and the law applied all the same).
func lawAt(versions []cleared.LawParameters, t time.Time) (cleared.LawParameters, error) {
	if l, ok := policy.LawInForce(versions, t); ok {
		return l, nil
	}
	return cleared.DefaultLaw(), nil
}

// law returns the law's parameters in force at t, read from tx; a version whose row fails its seal fails the read.
func law(tx store.Laws, t time.Time) (cleared.LawParameters, error) {
	l, err := tx.Law(t)
	if errors.Is(err, cleared.ErrNotFound) {
		return cleared.DefaultLaw(), nil
	}
	return l, err
}

// clearanceExpiry is when a clearance of level l issued at issued must be renewed, under the law in force at its
// issue (A17.1).
func clearanceExpiry(tx store.Laws, x *act.Act, l cleared.Level, issued time.Time) (time.Time, error) {
	p, err := law(tx, issued)
	if err != nil {
		return time.Time{}, err
	}
	e, d := policy.ClearanceExpiryUnder(p, l, issued)
	if !d.Allowed {
		return time.Time{}, x.Deny("", d)
	}
	return e, nil
}

// shippedProfiles are the shipped documents, read once; a build whose documents do not read fails every act the
// profiles judge (fail closed).
var shippedProfiles, shippedErr = policy.ShippedProfiles()

// recordShipped records, at bootstrap, the shipped profiles and the law of 2004.
func recordShipped(tx store.Tx, by cleared.PersonID, now time.Time) error {
	if shippedErr != nil {
		return shippedErr
	}
	for _, p := range shippedProfiles {
		if err := tx.PutProfile(p, by, now); err != nil {
			return err
		}
	}
	return tx.PutLaw(cleared.DefaultLaw(), by, now)
}

// Obligations tells what action a on piece id would come with at this moment under the rule profiles in force
// (A1.1): the duties each profile adds (copy numbers, a destruction report, the originator's consent …), or the
// refusal a profile makes. It asks the profiles only, not the act's own rules, which the act checks when it is
// done; the UI shows it beside an action so that no one is surprised by a duty. A piece the actor may not know is
// not found.
func (s *Service) Obligations(ctx context.Context, a cleared.Actor, id cleared.PieceID, action policy.Action) (o policy.Outcome, err error) {
	defer cleared.Wrap(&err, "obligations of %s on piece %s", action, id)
	if err := id.Validate(); err != nil {
		return o, err
	}
	if !action.Valid() {
		return o, cleared.Invalidf("unknown action %q: want read, reproduce, transmit, downgrade, declassify, destroy, release or register", action)
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.ProfileObligations, now, func(tx store.Tx, x *act.Act) error {
		p, _, _, err := s.knownPiece(tx, x, id)
		if err != nil {
			return err
		}
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		o, err = s.outcome(tx, policy.Allow, action, p, me.OrganisationID, now)
		x.Payload = map[string]any{"action": action}
		return err
	})
	return o, err
}

// MayRecordRules reports whether a may record rule profiles and versions of the law's parameters now (A20.1), so
// that the UI offers the forms only to whom RecordProfile and SetLaw would let. It records nothing.
func (s *Service) MayRecordRules(ctx context.Context, a cleared.Actor) (ok bool, err error) {
	defer cleared.Wrap(&err, "may record rules")
	now := s.clock()
	err = s.store.View(ctx, func(tx store.Tx) error {
		p, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		cs, err := tx.PersonClearances(p.ID)
		if err != nil {
			return err
		}
		ok = policy.NSARegister(p, cs, now).Allowed
		return nil
	})
	return ok, err
}
