package policy

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// The property test of the profile seam (A1.1) draws base decisions, requests and sets of profiles, and checks
// every outcome against what the drawn profiles say, computed here without Decide. It runs the same check on
// broken seams, each of which it must catch: a property test that passes them proves nothing.

// spec is a drawn profile, as data, so that the test knows what the profile says without asking Decide.
type spec struct {
	name    string
	origins []cleared.Scheme         // the origins it covers; none: every origin
	orgs    []cleared.OrganisationID // the organisations it binds; none: every one
	since   time.Time                // it covers requests from then on
	// It refuses the actions in refuse on pieces of refuseFrom and above.
	refuse     []Action
	refuseFrom cleared.Level
	duties     []specDuty
}

// specDuty is a duty a drawn profile imposes on one action (every action when empty).
type specDuty struct {
	action Action
	duty   Duty
}

func (s spec) applies(r Request) bool {
	return (len(s.origins) == 0 || slices.Contains(s.origins, r.Origin)) &&
		(len(s.orgs) == 0 || slices.Contains(s.orgs, r.Organisation)) && !r.At.Before(s.since)
}

func (s spec) refuses(r Request) bool {
	return slices.Contains(s.refuse, r.Action) && r.Level >= s.refuseFrom
}

func (s spec) dutiesFor(r Request) []Duty {
	var ds []Duty
	for _, d := range s.duties {
		if d.action == "" || d.action == r.Action {
			ds = append(ds, d.duty)
		}
	}
	return ds
}

func (s spec) profile() Profile {
	return Profile{Name: s.name, Applies: s.applies, Check: func(r Request) Effect {
		e := Effect{Duties: s.dutiesFor(r)}
		if s.refuses(r) {
			e.Refuse = "refused by the drawn rule"
		}
		return e
	}}
}

var (
	drawnActions = []Action{ActionRead, ActionReproduce, ActionTransmit, ActionDowngrade, ActionDeclassify, ActionDestroy, ActionRelease}
	drawnOrigins = []cleared.Scheme{"", cleared.SchemeNATO, cleared.SchemeEU, "FR"}
	drawnOrgs    = []cleared.OrganisationID{"org_a", "org_b", "org_c"}
	drawnNames   = []string{"NATO", "EU", "FR", "MinDef", "MinAE", "SRE"}
	drawnDuties  = []Duty{DutyCopyNumber, DutyDestructionReport, DutyOriginatorConsent, "inventory"}
	drawnRules   = []string{"A9.1", "A9.3", "A8.2", "A9.4", "A10.2", "A11.1"}
)

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// some draws up to n distinct elements of xs.
func some[T any](rng *rand.Rand, xs []T, n int) []T {
	var out []T
	for _, i := range rng.Perm(len(xs))[:rng.IntN(n+1)] {
		out = append(out, xs[i])
	}
	return out
}

func drawBase(rng *rand.Rand) Decision {
	if rng.IntN(3) > 0 {
		return Allow
	}
	return Decision{Rule: pick(rng, drawnRules), Reason: fmt.Sprintf("base reason %d", rng.IntN(100)), Hidden: rng.IntN(2) == 0}
}

func drawRequest(rng *rand.Rand) Request {
	r := Request{Action: pick(rng, drawnActions), Level: cleared.Level(rng.IntN(5)), Origin: pick(rng, drawnOrigins),
		Organisation: pick(rng, drawnOrgs), At: now.Add(time.Duration(rng.IntN(48)-24) * time.Hour)}
	switch rng.IntN(30) {
	case 0:
		r.Action = "print"
	case 1:
		r.Level = 7
	}
	return r
}

func drawSpecs(rng *rand.Rand) []spec {
	var ss []spec
	for _, name := range some(rng, drawnNames, 5) {
		s := spec{name: name, origins: some(rng, drawnOrigins, 2), orgs: some(rng, drawnOrgs, 2),
			since: now.Add(time.Duration(rng.IntN(36)-48) * time.Hour), refuse: some(rng, drawnActions, 5),
			refuseFrom: cleared.Level(rng.IntN(6))} // 5 is above every level: the profile never refuses
		for range rng.IntN(5) {
			d := specDuty{duty: pick(rng, drawnDuties)}
			if rng.IntN(3) > 0 {
				d.action = pick(rng, drawnActions)
			}
			if rng.IntN(40) == 0 {
				d.duty = ""
			}
			s.duties = append(s.duties, d)
		}
		ss = append(ss, s)
	}
	return ss
}

// seam is one implementation of the profile seam: how a set is built, and how it decides.
type seam struct {
	build  func(...Profile) (Profiles, error)
	decide func(Decision, Request, Profiles) Outcome
}

// tally counts the situations the drawn cases reached, so that the test fails if the generator stops reaching one.
type tally struct {
	baseRefused, allowed, withDuties, profileRefused, twoRefusing, unknownRequest, unnamedDuty, inapplicableDuties, duplicates int
}

// checkSeam runs n drawn cases through s and returns the first broken property.
func checkSeam(s seam, seed uint64, n int) (tally, error) {
	rng := rand.New(rand.NewPCG(seed, 0xA11))
	var c tally
	for i := range n {
		base, r, specs := drawBase(rng), drawRequest(rng), drawSpecs(rng)
		ps := make([]Profile, len(specs))
		for j, sp := range specs {
			ps[j] = sp.profile()
		}
		set, err := s.build(ps...)
		if err != nil {
			return c, fmt.Errorf("case %d: a drawn set is rejected: %v", i, err)
		}
		got := s.decide(base, r, set)
		if err := seamProperties(base, r, specs, got, &c); err != nil {
			return c, fmt.Errorf("case %d (seed %d): %v\nbase %+v\nrequest %+v\nprofiles %+v\noutcome %+v", i, seed, err, base, r, specs, got)
		}
		// (4) The outcome does not depend on the order in which the profiles were given.
		rng.Shuffle(len(ps), func(a, b int) { ps[a], ps[b] = ps[b], ps[a] })
		set, err = s.build(ps...)
		if err != nil {
			return c, fmt.Errorf("case %d: the shuffled set is rejected: %v", i, err)
		}
		if again := s.decide(base, r, set); !reflect.DeepEqual(again, got) {
			return c, fmt.Errorf("case %d (seed %d): (4) the order of the profiles changed the outcome from %+v to %+v", i, seed, got, again)
		}
	}
	return c, nil
}

// seamProperties checks properties (1) to (3) of one outcome against the drawn profiles.
func seamProperties(base Decision, r Request, specs []spec, got Outcome, c *tally) error {
	var refusing []string
	var owed []Obligation
	unnamed := false
	for _, s := range specs {
		if !s.applies(r) {
			if len(s.dutiesFor(r)) > 0 {
				c.inapplicableDuties++
			}
			continue
		}
		if s.refuses(r) {
			refusing = append(refusing, s.name)
		}
		for _, d := range s.dutiesFor(r) {
			unnamed = unnamed || d == ""
			o := Obligation{Duty: d, Rule: "A1.1", Profile: s.name}
			if slices.Contains(owed, o) {
				c.duplicates++
				continue
			}
			owed = append(owed, o)
		}
	}
	valid := r.Action.Valid() && r.Level.Valid()
	// (1) A base refusal stays the refusal it was: no profile turns it into an allowance or changes its rule.
	if !base.Allowed {
		c.baseRefused++
		if got.Decision != base {
			return fmt.Errorf("(1) the base refusal %+v became %+v", base, got.Decision)
		}
	}
	// (2) The outcome allows if and only if the base allows, the request is one the profiles can judge, and no
	// applicable profile refuses or imposes a duty without a name.
	want := base.Allowed && valid && len(refusing) == 0 && !unnamed
	switch {
	case got.Allowed && !want:
		return fmt.Errorf("(2) allowed, though the base allows %v, the request is valid %v, and %v refuse", base.Allowed, valid, refusing)
	case !got.Allowed && want:
		return fmt.Errorf("(2) refused by %s (%s), though the base and every profile allow", got.Rule, got.Reason)
	case got.Allowed && got.Decision != Allow:
		return fmt.Errorf("(2) an allowance carries a rule or a reason: %+v", got.Decision)
	}
	if base.Allowed && !got.Allowed {
		if got.Rule != "A1.1" || got.Hidden || got.Reason == "" {
			return fmt.Errorf("(2) a refusal the base did not make is %+v, want an A1.1 refusal with a reason, not hidden", got.Decision)
		}
		if valid && !slices.ContainsFunc(specs, func(s spec) bool { return s.applies(r) && strings.HasPrefix(got.Reason, s.name+": ") }) {
			return fmt.Errorf("(2) the refusal %q names no applicable profile", got.Reason)
		}
	}
	switch {
	case got.Allowed:
		c.allowed++
	case base.Allowed && valid && len(refusing) > 0:
		c.profileRefused++
		if len(refusing) > 1 {
			c.twoRefusing++
		}
	}
	if !valid {
		c.unknownRequest++
	}
	if unnamed {
		c.unnamedDuty++
	}
	// (3) An allowance carries the duties of every applicable profile, of no other, each once, ordered by duty and
	// then profile; a refusal carries none.
	if !got.Allowed {
		if len(got.Obligations) > 0 {
			return fmt.Errorf("(3) a refusal carries obligations %v", got.Obligations)
		}
		return nil
	}
	if len(owed) > 0 {
		c.withDuties++
	}
	slices.SortFunc(owed, func(a, b Obligation) int {
		return cmp.Or(cmp.Compare(a.Duty, b.Duty), cmp.Compare(a.Profile, b.Profile))
	})
	if !slices.Equal(got.Obligations, owed) {
		return fmt.Errorf("(3) obligations %v, want %v", got.Obligations, owed)
	}
	return nil
}

// The seam as built.
var realSeam = seam{build: NewProfiles, decide: Decide}

// mapProfiles returns ps with each profile changed by f: how a broken seam misreads the profiles it is given.
func mapProfiles(ps Profiles, f func(Profile) Profile) Profiles {
	out := Profiles{list: make([]Profile, len(ps.list))}
	for i, p := range ps.list {
		out.list[i] = f(p)
	}
	return out
}

func decideWith(f func(Profile) Profile) func(Decision, Request, Profiles) Outcome {
	return func(b Decision, r Request, ps Profiles) Outcome { return Decide(b, r, mapProfiles(ps, f)) }
}

// brokenSeams are the mistakes the property test must catch, each with the property that catches it.
var brokenSeams = []struct {
	name     string
	property string
	seam     seam
}{
	{"a base refusal is overridden by the profiles' allowance", "(1)", seam{NewProfiles, func(_ Decision, r Request, ps Profiles) Outcome {
		return Decide(Allow, r, ps)
	}}},
	{"a profile's refusal replaces the base refusal", "(1)", seam{NewProfiles, func(b Decision, r Request, ps Profiles) Outcome {
		if o := Decide(Allow, r, ps); !o.Allowed {
			return o
		}
		return Decide(b, r, ps)
	}}},
	{"a hidden base refusal is no longer hidden", "(1)", seam{NewProfiles, func(b Decision, r Request, ps Profiles) Outcome {
		o := Decide(b, r, ps)
		o.Hidden = false
		return o
	}}},
	{"the profiles' refusals are ignored", "(2)", seam{NewProfiles, decideWith(func(p Profile) Profile {
		check := p.Check
		p.Check = func(r Request) Effect { e := check(r); e.Refuse = ""; return e }
		return p
	})}},
	{"a duty without a name is dropped", "(2)", seam{NewProfiles, decideWith(func(p Profile) Profile {
		check := p.Check
		p.Check = func(r Request) Effect {
			e := check(r)
			e.Duties = slices.DeleteFunc(e.Duties, func(d Duty) bool { return d == "" })
			return e
		}
		return p
	})}},
	{"an unknown request is judged as a reading", "(2)", seam{NewProfiles, func(b Decision, r Request, ps Profiles) Outcome {
		if !r.Action.Valid() || !r.Level.Valid() {
			r.Action, r.Level = ActionRead, cleared.Unclassified
		}
		return Decide(b, r, ps)
	}}},
	{"a profile's refusal is hidden", "(2)", seam{NewProfiles, func(b Decision, r Request, ps Profiles) Outcome {
		o := Decide(b, r, ps)
		if b.Allowed && !o.Allowed {
			o.Hidden = true
		}
		return o
	}}},
	{"every profile is asked, applicable or not", "(3)", seam{NewProfiles, decideWith(func(p Profile) Profile {
		p.Applies = func(Request) bool { return true }
		return p
	})}},
	{"a duty imposed twice is listed twice", "(3)", seam{NewProfiles, func(b Decision, r Request, ps Profiles) Outcome {
		o := Decide(b, r, ps)
		if n := len(o.Obligations); n > 0 {
			o.Obligations = append(o.Obligations, o.Obligations[n-1])
		}
		return o
	}}},
	{"the duties are ordered by profile", "(3)", seam{NewProfiles, func(b Decision, r Request, ps Profiles) Outcome {
		o := Decide(b, r, ps)
		slices.SortStableFunc(o.Obligations, func(a, b Obligation) int { return cmp.Compare(a.Profile, b.Profile) })
		return o
	}}},
	{"a refusal still lists the duties", "(3)", seam{NewProfiles, func(b Decision, r Request, ps Profiles) Outcome {
		o := Decide(b, r, ps)
		if !o.Allowed {
			o.Obligations = Decide(Allow, r, mapProfiles(ps, func(p Profile) Profile {
				check := p.Check
				p.Check = func(r Request) Effect { e := check(r); e.Refuse = ""; return e }
				return p
			})).Obligations
		}
		return o
	}}},
	{"the profiles are kept in the order given", "(4)", seam{func(ps ...Profile) (Profiles, error) {
		_, err := NewProfiles(ps...)
		return Profiles{list: ps}, err
	}, Decide}},
}

const seamCases = 10000

// A1.1: a decision goes through the base rules, then every profile that applies; a profile adds refusals and
// duties and never turns a refusal into an allowance.
func TestProfileSeamProperties(t *testing.T) {
	c, err := checkSeam(realSeam, 1, seamCases)
	if err != nil {
		t.Fatal(err)
	}
	// The drawn cases must reach every situation the properties speak of, or they would pass for want of cases.
	for name, n := range map[string]int{
		"base refusals": c.baseRefused, "allowances": c.allowed, "allowances with duties": c.withDuties,
		"profile refusals": c.profileRefused, "two refusing profiles": c.twoRefusing, "unknown requests": c.unknownRequest,
		"duties without a name": c.unnamedDuty, "duties of inapplicable profiles": c.inapplicableDuties,
		"duties imposed twice": c.duplicates,
	} {
		if n < 20 {
			t.Errorf("the drawn cases reach %s only %d times in %d", name, n, seamCases)
		}
	}
	t.Logf("%+v", c)
}

// A1.1: the property test catches each broken seam, by the property meant to catch it.
func TestProfileSeamPropertiesCatchBrokenSeams(t *testing.T) {
	for _, b := range brokenSeams {
		t.Run(b.name, func(t *testing.T) {
			_, err := checkSeam(b.seam, 1, seamCases)
			if err == nil {
				t.Fatalf("the property test passes a seam where %s", b.name)
			}
			if !strings.Contains(err.Error(), b.property) {
				t.Fatalf("caught, but not by property %s: %v", b.property, err)
			}
		})
	}
}
