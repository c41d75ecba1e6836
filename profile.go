package cleared

import "time"

// RuleProfile is a rule profile as data (Art. 1, A1.1): the complementary rules a ministry adds for its own acts, or
// the handling rules a treaty (EU, NATO, a bilateral agreement) brings for the pieces classified under it. It is
// recorded by the NSA, one version at a time, each with the date it takes effect; package policy checks it (a
// profile that would relax a rule of the law is refused) and compiles it into the rules policy.Decide applies.
//
// A profile can only add: duties from a level (copy numbers, a registry entry, a destruction report, the
// originator's consent, periodic inventories) and refusals of an action from a level. It has no way to say "skip"
// or "allow".
type RuleProfile struct {
	// Name is the profile's name, shown in refusals and obligations: "EU", "NATO", "FR", "Ministère de la Défense".
	Name string `json:"name"`
	// Version numbers the versions of one name, from 1, without gaps.
	Version int `json:"version"`
	// EffectiveFrom is when this version takes effect; until then the previous version (or none) is in force.
	EffectiveFrom time.Time    `json:"effective_from"`
	Scope         ProfileScope `json:"scope"`
	// Note cites the text the profile transposes (e.g. "Council Decision 2013/488/EU").
	Note  string        `json:"note,omitempty"`
	Rules []ProfileRule `json:"rules"`
}

// ProfileScope says which acts a profile binds: those on pieces classified under one of Origins (a treaty's
// scheme, A6.1), those of people of one of Organisations (a ministry's own rules), or, when both are given, those
// that are both.
type ProfileScope struct {
	Origins       []Scheme         `json:"origins,omitempty"`
	Organisations []OrganisationID `json:"organisations,omitempty"`
}

// ProfileRule is one rule of a profile. From is a level name ("SECRET", "CONFIDENTIEL" …; every classified level
// when empty): the rule covers pieces of that level and above. Actions names the acts a rule of kind
// originator_consent, registry_entry or refuse covers; Months is the period of an inventory; Reason the sentence
// of a refusal.
type ProfileRule struct {
	Kind    RuleKind `json:"kind"`
	From    string   `json:"from,omitempty"`
	Actions []string `json:"actions,omitempty"`
	Months  int      `json:"months,omitempty"`
	Reason  string   `json:"reason,omitempty"`
}

// RuleKind is what a profile rule adds.
type RuleKind string

// The kinds of rules a profile may state. Any other kind is refused when the profile is recorded.
const (
	RuleCopyNumber        RuleKind = "copy_number"        // copies are numbered (n of m) and tracked
	RuleRegistryEntry     RuleKind = "registry_entry"     // the act is entered in a registry
	RuleDestructionReport RuleKind = "destruction_report" // destructions are recorded in a signed report
	RuleOriginatorConsent RuleKind = "originator_consent" // the originator consents before the act
	RuleInventory         RuleKind = "inventory"          // pieces are inventoried every Months months
	RuleRefuse            RuleKind = "refuse"             // the act is refused, for Reason
	// RuleSuspendOnOverdueBriefing: a clearance (of level From and above) of a person of the scope's organisations
	// grants nothing while his re-briefing is overdue (A18.1), until he signs the declaration after the next one.
	RuleSuspendOnOverdueBriefing RuleKind = "suspend_on_overdue_briefing"
)
