package policy

import (
	"cmp"
	"slices"
	"time"

	"github.com/cleared/cleared"
)

// Action names what a request asks to do with a piece, so that a rule profile can tell one act from another.
type Action string

// Actions a profile can judge.
const (
	ActionRead       Action = "read"       // know of, see or use the piece (A9.1, A9.3)
	ActionReproduce  Action = "reproduce"  // copy it, in part or whole (A9.4)
	ActionTransmit   Action = "transmit"   // send it electronically (A11.1)
	ActionDowngrade  Action = "downgrade"  // lower its level (A5.2)
	ActionDeclassify Action = "declassify" // lift its classification (A5.2)
	ActionDestroy    Action = "destroy"    // destroy it (A10.1, A10.2)
	// ActionRelease: hand the piece beyond the scheme it was classified under, to a partner not party to it (A6.1,
	// S1).
	ActionRelease Action = "release"
	// ActionRegister: enter the piece in the organisation's registers, on classifying or receiving it.
	ActionRegister Action = "register"
)

// Valid reports whether a is one of the actions above.
func (a Action) Valid() bool {
	switch a {
	case ActionRead, ActionReproduce, ActionTransmit, ActionDowngrade, ActionDeclassify, ActionDestroy, ActionRelease,
		ActionRegister:
		return true
	}
	return false
}

// Request is what a rule profile judges: an action on a piece of a level and an origin, by an organisation, at a
// time.
type Request struct {
	Action Action
	Level  cleared.Level
	// Origin is the scheme of the piece's original marking (A6.1): NATO, EU or a bilateral partner's code; empty
	// for a national piece.
	Origin cleared.Scheme
	// Organisation is the organisation that acts: a ministry's own rules bind what its people do.
	Organisation cleared.OrganisationID
	At           time.Time
}

// RequestOf describes action a on piece p by organisation org at t.
func RequestOf(a Action, p cleared.Piece, org cleared.OrganisationID, t time.Time) Request {
	r := Request{Action: a, Level: p.Level, Organisation: org, At: t}
	if p.Foreign != nil {
		r.Origin = p.Foreign.Scheme
	}
	return r
}

// Duty is something an allowed act must come with, which the service performs or waits for before the act
// completes. A service that meets a duty it does not know refuses the act (fail closed).
type Duty string

// Duties the shipped profiles impose.
const (
	// DutyCopyNumber: each copy is numbered (copy n of m) and tracked like a piece, as A9.4 asks for TRES SECRET.
	DutyCopyNumber Duty = "copy_number"
	// DutyDestructionReport: the destruction is recorded in a signed and countersigned report, as A10.2 asks.
	DutyDestructionReport Duty = "destruction_report"
	// DutyOriginatorConsent: the originator consents before the act, as the copy requests of A9.4 wait for it.
	DutyOriginatorConsent Duty = "originator_consent"
	// DutyRegistryEntry: the act is entered, with the piece's reference, in the registry the profile names.
	DutyRegistryEntry Duty = "registry_entry"
	// DutyInventory: the piece is counted in the periodic inventories of its holder (InventoryPeriod says how often).
	DutyInventory Duty = "inventory"
)

// Obligation is a duty an outcome carries, the rule that imposes it and the profile that added it.
type Obligation struct {
	Duty    Duty
	Rule    string // the requirement ID: A1.1 for every duty a profile adds
	Profile string
}

// Effect is what a profile adds to a request it covers: a refusal, when Refuse gives its reason, and duties.
// Nothing in it can allow: the zero Effect adds nothing, so a profile has no way to loosen a base rule (A1.1).
type Effect struct {
	Refuse string
	Duties []Duty
}

// Profile is a set of rules an organisation or a piece's origin adds to the law's (A1.1): a ministry's own rules,
// or the handling rules of a treaty for the pieces it covers. Applies and Check must be pure, as every rule of
// this package is.
type Profile struct {
	Name    string // "NATO", "EU", a partner's code or a ministry's name; shown in refusals
	Applies func(Request) bool
	Check   func(Request) Effect
	// Inventory, when set, returns every how many months the pieces of a request it applies to are inventoried
	// (0: it asks for no inventory of them).
	Inventory func(Request) int
	// SuspendsOverdue, when set, reports whether a clearance of level l of a person of organisation org grants
	// nothing at t while his re-briefing is overdue (A18.1; SuspendedForBriefing).
	SuspendsOverdue func(org cleared.OrganisationID, l cleared.Level, t time.Time) bool
}

// Profiles is a checked set of profiles, in the order of their names so that no outcome depends on the order in
// which they were registered. The zero value holds none.
type Profiles struct{ list []Profile }

// NewProfiles checks and gathers ps. A profile without a name, with a name another one has, or without Applies or
// Check is [cleared.ErrInvalid]: it could not be named in a refusal, or could not be evaluated, and dropping it
// would switch its rules off, which A1.1 forbids.
func NewProfiles(ps ...Profile) (Profiles, error) {
	list := slices.Clone(ps)
	slices.SortFunc(list, func(a, b Profile) int { return cmp.Compare(a.Name, b.Name) })
	for i, p := range list {
		// The name opens the reason of the profile's refusals: one line of plain text.
		if err := cleared.CheckLine("profile name", p.Name, 1, 64); err != nil {
			return Profiles{}, cleared.Invalidf("a rule profile needs a name of 1 to 64 characters on one line, without control characters")
		}
		if i > 0 && list[i-1].Name == p.Name {
			return Profiles{}, cleared.Invalidf("two rule profiles are named %q", p.Name)
		}
		if p.Applies == nil || p.Check == nil {
			return Profiles{}, cleared.Invalidf("rule profile %q must say which requests it applies to and check them", p.Name)
		}
	}
	return Profiles{list: list}, nil
}

// Outcome is a decision and, when it allows, the obligations the act comes with, in the order of Duty, then
// Profile, each once.
type Outcome struct {
	Decision
	Obligations []Obligation
}

// profileRule is the requirement under which every profile acts.
const profileRule = "A1.1"

// Decide passes a request through the profiles after the base rules decided it (A1.1). A base refusal is the
// outcome, unchanged. Otherwise every profile that applies is checked, in the order of their names: the first
// refusal is the outcome, by A1.1 with the profile's name in its reason; without one, the outcome allows with the
// duties of every applicable profile. A refusal carries no obligation: a refused act has none to fulfil, and a
// hidden refusal must not tell what rules the piece falls under (architecture, principle 4).
//
// A request with an unknown action or level is refused: no profile could judge it, so letting it through would
// skip their rules.
func Decide(base Decision, req Request, ps Profiles) Outcome {
	if !base.Allowed {
		return Outcome{Decision: base}
	}
	if !req.Action.Valid() || !req.Level.Valid() {
		return Outcome{Decision: deny(profileRule, "the request names an unknown action or level, which no rule profile can judge")}
	}
	var obs []Obligation
	for _, p := range ps.list {
		if !p.Applies(req) {
			continue
		}
		e := p.Check(req)
		if e.Refuse != "" {
			return Outcome{Decision: deny(profileRule, p.Name+": "+e.Refuse)}
		}
		for _, d := range e.Duties {
			// A duty without a name cannot be performed, and skipping it would relax the profile: fail closed.
			if d == "" {
				return Outcome{Decision: deny(profileRule, p.Name+": the profile imposes a duty without a name")}
			}
			obs = append(obs, Obligation{Duty: d, Rule: profileRule, Profile: p.Name})
		}
	}
	slices.SortFunc(obs, func(a, b Obligation) int {
		return cmp.Or(cmp.Compare(a.Duty, b.Duty), cmp.Compare(a.Profile, b.Profile))
	})
	return Outcome{Decision: Allow, Obligations: slices.Compact(obs)}
}

// NATOProfile returns the handling rules for pieces classified under NATO, as A1.1 lists them: from NATO SECRET,
// copies are numbered and destructions reported; downgrading, declassifying or releasing a NATO piece waits for
// its originator's consent. The law already asks for the destruction report from SECRET (A10.2) and numbers only
// TRES SECRET copies (A9.4); the profile states NATO's rule whole, so it stays right if the base rules change.
func NATOProfile() Profile {
	control := originatorControl(cleared.SchemeNATO)
	return Profile{
		Name:    string(cleared.SchemeNATO),
		Applies: control.Applies,
		Check: func(r Request) Effect {
			e := control.Check(r)
			if r.Level >= cleared.Secret {
				switch r.Action {
				case ActionReproduce:
					e.Duties = append(e.Duties, DutyCopyNumber)
				case ActionDestroy:
					e.Duties = append(e.Duties, DutyDestructionReport)
				}
			}
			return e
		},
	}
}

// EUProfile returns the handling rules for pieces classified under the EU that A1.1 names: downgrading,
// declassifying or releasing one waits for its originator's consent.
func EUProfile() Profile { return originatorControl(cleared.SchemeEU) }

// BilateralProfile returns the rules of a bilateral agreement with partner, as A1.1 names them: downgrading,
// declassifying or releasing a piece the partner classified waits for the partner's consent as originator.
func BilateralProfile(partner cleared.Scheme) Profile { return originatorControl(partner) }

// originatorControl is the profile of scheme s that leaves the level of its pieces, and who else receives them,
// to their originator.
func originatorControl(s cleared.Scheme) Profile {
	return Profile{
		Name:    string(s),
		Applies: func(r Request) bool { return r.Origin == s },
		Check: func(r Request) Effect {
			switch r.Action {
			case ActionDowngrade, ActionDeclassify, ActionRelease:
				return Effect{Duties: []Duty{DutyOriginatorConsent}}
			}
			return Effect{}
		},
	}
}

// InventoryPeriod returns the shortest period, in months, at which the profiles that apply to r ask for the piece
// to be inventoried, and the profile that asks it; 0 and "" when none does. Where several ask, the stricter (the
// shorter period) wins (A1.1).
func InventoryPeriod(ps Profiles, r Request) (months int, profile string) {
	for _, p := range ps.list {
		if p.Inventory == nil || !p.Applies(r) {
			continue
		}
		if m := p.Inventory(r); m > 0 && (months == 0 || m < months) {
			months, profile = m, p.Name
		}
	}
	return months, profile
}
