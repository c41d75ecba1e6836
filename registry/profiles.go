package registry

import (
	"slices"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// outcome passes a decision of the base rules on action a upon piece p, by organisation org at t, through the rule
// profiles in force at t (A1.1): a base refusal stays as it is; an allowed act may be refused by a profile or come
// with duties (copy numbers, a destruction report, the originator's consent …), which the caller performs or
// refuses the act. Every workflow of a piece's life asks it, so that a profile binds them all.
func (s *Service) outcome(tx store.Tx, base policy.Decision, a policy.Action, p cleared.Piece, org cleared.OrganisationID, t time.Time) (policy.Outcome, error) {
	ps, err := s.profiles(tx, t)
	if err != nil {
		return policy.Outcome{}, err
	}
	return policy.Decide(base, policy.RequestOf(a, p, org, t), ps), nil
}

// profiles returns the rule profiles in force at t (A1.1): each name's highest version whose date is not after t,
// as the NSA recorded them. A shipped profile (EU, NATO) of which the store holds no version in force stands in
// for it, so that a database set up before profiles were data keeps the treaties' rules. A row that cannot be read,
// or a document that does not compile, fails the act (fail closed): going on without it would relax its rules.
func (s *Service) profiles(tx store.Tx, t time.Time) (policy.Profiles, error) {
	if shippedErr != nil {
		return policy.Profiles{}, shippedErr
	}
	docs, err := tx.ProfilesInForce(t)
	if err != nil {
		return policy.Profiles{}, err
	}
	for _, p := range shippedProfiles {
		if !slices.ContainsFunc(docs, func(d cleared.RuleProfile) bool { return d.Name == p.Name }) && !t.Before(p.EffectiveFrom) {
			docs = append(docs, p)
		}
	}
	return policy.CompileProfiles(docs)
}

// has reports whether o carries duty d.
func has(o policy.Outcome, d policy.Duty) bool {
	for _, ob := range o.Obligations {
		if ob.Duty == d {
			return true
		}
	}
	return false
}
