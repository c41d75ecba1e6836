package registry

import (
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

// profiles returns the rule profiles in force at t: for now, the treaties' handling rules as package policy
// states them.
func (s *Service) profiles(_ store.Tx, _ time.Time) (policy.Profiles, error) {
	return policy.NewProfiles(policy.NATOProfile(), policy.EUProfile())
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
