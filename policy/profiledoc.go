package policy

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/cleared/cleared"
)

// Rule profiles as documents (A1.1). A ministry's rules and a treaty's handling rules are recorded as
// cleared.RuleProfile documents; CheckProfile decides whether one may be recorded and CompileProfile turns it into
// the Profile that Decide applies. A document can state only obligations and refusals from a level, so a compiled
// profile can only make Decide stricter; CheckProfile also refuses a document that states a rule of the law more
// loosely than the law does, since whoever wrote it misread the law and would believe it applies.

// lawFloors are the duties the law itself imposes that a profile may also state: from which level the law asks
// them, and the rule that does. A profile's rule of that kind from a higher level would relax it.
var lawFloors = map[cleared.RuleKind]struct {
	from cleared.Level
	rule string
	what string
}{
	cleared.RuleDestructionReport: {cleared.Secret, "A10.2", "destruction reports from SECRET"},
	cleared.RuleCopyNumber:        {cleared.TopSecret, "A9.4", "numbered copies of TRES SECRET pieces"},
}

// relaxingKinds are kinds a writer may try to loosen a rule with; each is refused with a sentence saying why.
var relaxingKinds = []string{"allow", "skip", "waive", "exempt", "except", "exception", "relax", "disable", "none", "permit"}

// defaultRegistryActions are the acts a registry_entry rule covers when it names none: a piece entering the
// organisation (registered on arrival or classification) and leaving it (transmitted, released), as the EU and NATO
// registries record them. Copies and destructions have duties of their own (copy_number, destruction_report).
var defaultRegistryActions = []Action{ActionRegister, ActionTransmit, ActionRelease}

// Limits of a document.
const (
	maxProfileRules    = 100
	maxInventoryMonths = 120
)

// CheckProfile decides whether doc may be recorded after versions, the versions of its name already recorded,
// oldest first (A1.1): a name and a scope; every rule of a known kind, at a known level, on known actions; no rule
// that would relax one of the law's (a destruction report only from TRES SECRET, a "waive" or "allow" rule); and
// the next version number, without a gap. Every refusal names A1.1: a document that cannot be read whole cannot
// be shown to be no less rigorous than the law.
func CheckProfile(doc cleared.RuleProfile, versions []cleared.RuleProfile) Decision {
	if d := checkDocument(doc); !d.Allowed {
		return d
	}
	want := 1
	if n := len(versions); n > 0 {
		want = versions[n-1].Version + 1
	}
	if doc.Version != want {
		return deny(profileRule, fmt.Sprintf("profile %q: version %d would leave a gap or repeat one; the next version is %d", doc.Name, doc.Version, want))
	}
	return Allow
}

// checkDocument checks doc on its own: everything CheckProfile asks except the version's place.
func checkDocument(doc cleared.RuleProfile) Decision {
	bad := func(format string, args ...any) Decision {
		return deny(profileRule, fmt.Sprintf("profile %q: ", truncateName(doc.Name))+fmt.Sprintf(format, args...))
	}
	if err := cleared.CheckLine("profile name", doc.Name, 1, 64); err != nil {
		return deny(profileRule, "a rule profile needs a name of 1 to 64 characters on one line, without control characters")
	}
	// The name is the last segment of its address, /api/profiles/{name}.
	if strings.ContainsAny(doc.Name, "/?#%") {
		return bad("a profile's name has no /, ?, # or %%")
	}
	if doc.Version < 1 {
		return bad("version must be 1 or more")
	}
	if doc.EffectiveFrom.IsZero() {
		return bad("the date it takes effect is missing")
	}
	if err := cleared.CheckText("note", doc.Note, 0, 1000); err != nil {
		return bad("%s", cleared.Message(err))
	}
	if len(doc.Scope.Origins) == 0 && len(doc.Scope.Organisations) == 0 {
		return bad("the scope names no origin scheme and no organisation, so the profile would bind nothing it could name")
	}
	for _, s := range doc.Scope.Origins {
		if err := s.Validate(); err != nil {
			return bad("%s", cleared.Message(err))
		}
	}
	for _, o := range doc.Scope.Organisations {
		if err := cleared.CheckLine("organisation", string(o), 1, 64); err != nil {
			return bad("an organisation of the scope is not an identifier")
		}
	}
	if len(doc.Rules) > maxProfileRules {
		return bad("%d rules, at most %d", len(doc.Rules), maxProfileRules)
	}
	for i, r := range doc.Rules {
		if d := checkRule(r); !d.Allowed {
			return bad("rule %d (%s): %s", i+1, truncateName(string(r.Kind)), d.Reason)
		}
	}
	if len(doc.Scope.Organisations) == 0 && slices.ContainsFunc(doc.Rules, func(r cleared.ProfileRule) bool { return r.Kind == cleared.RuleSuspendOnOverdueBriefing }) {
		return bad("a suspend_on_overdue_briefing rule binds the staff of organisations: name them in the scope")
	}
	return Allow
}

func truncateName(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// checkRule decides whether one rule can be applied and adds to the law without relaxing it.
func checkRule(r cleared.ProfileRule) Decision {
	if slices.Contains(relaxingKinds, strings.ToLower(string(r.Kind))) {
		return deny(profileRule, "a profile adds obligations and refusals to the law's; a rule that waives, skips or allows would switch one off, and no ministry or treaty profile may be less rigorous than the law (Art. 1)")
	}
	from, err := ruleLevel(r.From)
	if err != nil {
		return deny(profileRule, err.Error())
	}
	if f, ok := lawFloors[r.Kind]; ok && from > f.from {
		return deny(profileRule, fmt.Sprintf("the law asks for %s (%s); a profile may ask from a lower level, never from %s only", f.what, f.rule, from.French()))
	}
	actions, err := ruleActions(r.Actions)
	if err != nil {
		return deny(profileRule, err.Error())
	}
	noActions := func() Decision {
		if len(actions) > 0 {
			return deny(profileRule, "this kind of rule names its act itself; leave actions out")
		}
		return Allow
	}
	if r.Kind != cleared.RuleInventory && r.Months != 0 {
		return deny(profileRule, "only an inventory rule has a period in months")
	}
	if r.Kind != cleared.RuleRefuse && r.Reason != "" {
		return deny(profileRule, "only a refuse rule has a reason")
	}
	switch r.Kind {
	case cleared.RuleCopyNumber, cleared.RuleDestructionReport:
		return noActions()
	case cleared.RuleInventory:
		if r.Months < 1 || r.Months > maxInventoryMonths {
			return deny(profileRule, fmt.Sprintf("an inventory is taken every 1 to %d months", maxInventoryMonths))
		}
		return noActions()
	case cleared.RuleRegistryEntry:
		return Allow
	case cleared.RuleSuspendOnOverdueBriefing:
		return noActions()
	case cleared.RuleOriginatorConsent:
		if len(actions) == 0 {
			return deny(profileRule, "name the acts that wait for the originator's consent (downgrade, declassify, release …)")
		}
		return Allow
	case cleared.RuleRefuse:
		if len(actions) == 0 {
			return deny(profileRule, "name the acts refused")
		}
		if err := cleared.CheckLine("reason", r.Reason, 1, 200); err != nil {
			return deny(profileRule, "a refuse rule needs a reason of 1 to 200 characters on one line, shown to whoever is refused")
		}
		return Allow
	}
	return deny(profileRule, "unknown kind of rule: a profile states copy_number, registry_entry, destruction_report, originator_consent, inventory, refuse or suspend_on_overdue_briefing")
}

// ruleLevel reads the level a rule starts from: every classified level when empty.
func ruleLevel(s string) (cleared.Level, error) {
	if s == "" {
		return cleared.Restricted, nil
	}
	l, err := cleared.ParseLevel(s)
	if err != nil {
		return 0, fmt.Errorf("unknown level %q: %s", truncateName(s), cleared.Message(err))
	}
	return l, nil
}

// ruleActions reads the acts a rule names.
func ruleActions(as []string) ([]Action, error) {
	out := make([]Action, 0, len(as))
	for _, a := range as {
		if !Action(a).Valid() {
			return nil, fmt.Errorf("unknown action %q: want read, reproduce, transmit, downgrade, declassify, destroy, release or register", truncateName(a))
		}
		out = append(out, Action(a))
	}
	return out, nil
}

// compiledRule is a checked rule, ready to judge requests.
type compiledRule struct {
	kind    cleared.RuleKind
	from    cleared.Level
	actions []Action
	months  int
	reason  string
}

// CompileProfile turns a checked document into the Profile Decide applies. A document CheckProfile would refuse
// is [cleared.ErrInvalid]: the caller must fail closed, since leaving it out would switch its rules off.
func CompileProfile(doc cleared.RuleProfile) (Profile, error) {
	if d := checkDocument(doc); !d.Allowed {
		return Profile{}, cleared.Invalidf("%s", d.Reason)
	}
	rules := make([]compiledRule, len(doc.Rules))
	for i, r := range doc.Rules {
		from, _ := ruleLevel(r.From)
		actions, _ := ruleActions(r.Actions)
		if r.Kind == cleared.RuleRegistryEntry && len(actions) == 0 {
			actions = defaultRegistryActions
		}
		rules[i] = compiledRule{kind: r.Kind, from: from, actions: actions, months: r.Months, reason: r.Reason}
	}
	origins := slices.Clone(doc.Scope.Origins)
	orgs := slices.Clone(doc.Scope.Organisations)
	since := doc.EffectiveFrom
	applies := func(r Request) bool {
		return (len(origins) == 0 || slices.Contains(origins, r.Origin)) &&
			(len(orgs) == 0 || slices.Contains(orgs, r.Organisation)) && !r.At.Before(since)
	}
	return Profile{
		Name:    doc.Name,
		Applies: applies,
		Check: func(r Request) Effect {
			var e Effect
			for _, c := range rules {
				if r.Level < c.from {
					continue
				}
				switch c.kind {
				case cleared.RuleCopyNumber:
					if r.Action == ActionReproduce {
						e.Duties = append(e.Duties, DutyCopyNumber)
					}
				case cleared.RuleDestructionReport:
					if r.Action == ActionDestroy {
						e.Duties = append(e.Duties, DutyDestructionReport)
					}
				case cleared.RuleInventory:
					if r.Action == ActionRegister {
						e.Duties = append(e.Duties, DutyInventory)
					}
				case cleared.RuleRegistryEntry:
					if slices.Contains(c.actions, r.Action) {
						e.Duties = append(e.Duties, DutyRegistryEntry)
					}
				case cleared.RuleOriginatorConsent:
					if slices.Contains(c.actions, r.Action) {
						e.Duties = append(e.Duties, DutyOriginatorConsent)
					}
				case cleared.RuleRefuse:
					if slices.Contains(c.actions, r.Action) && e.Refuse == "" {
						e.Refuse = c.reason
					}
				}
			}
			return e
		},
		SuspendsOverdue: func(org cleared.OrganisationID, l cleared.Level, t time.Time) bool {
			for _, c := range rules {
				if c.kind == cleared.RuleSuspendOnOverdueBriefing && l >= c.from && slices.Contains(orgs, org) && !t.Before(since) {
					return true
				}
			}
			return false
		},
		Inventory: func(r Request) int {
			months := 0
			for _, c := range rules {
				if c.kind == cleared.RuleInventory && r.Level >= c.from && (months == 0 || c.months < months) {
					months = c.months
				}
			}
			return months
		},
	}, nil
}

// CompileProfiles compiles docs, the versions in force of distinct names, into the set Decide applies; the first
// document that does not compile fails the whole set (fail closed).
func CompileProfiles(docs []cleared.RuleProfile) (Profiles, error) {
	ps := make([]Profile, 0, len(docs))
	for _, d := range docs {
		p, err := CompileProfile(d)
		if err != nil {
			return Profiles{}, err
		}
		ps = append(ps, p)
	}
	return NewProfiles(ps...)
}

//go:embed profiles/*.json
var shippedFS embed.FS

// ShippedProfiles returns the profiles cleared ships, recorded when a database is set up: the EU's (Council
// Decision 2013/488/EU, Commission Decision (EU, Euratom) 2015/444) and NATO's (C-M(2002)49), in the order of
// their names. They are read strictly, as any document is.
func ShippedProfiles() ([]cleared.RuleProfile, error) {
	names, err := fs.Glob(shippedFS, "profiles/*.json")
	if err != nil {
		return nil, err
	}
	out := make([]cleared.RuleProfile, 0, len(names))
	for _, n := range names {
		b, err := shippedFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		doc, err := ParseProfile(b)
		if err != nil {
			return nil, fmt.Errorf("shipped profile %s: %w", n, err)
		}
		if d := checkDocument(doc); !d.Allowed {
			return nil, fmt.Errorf("shipped profile %s: %s", n, d.Reason)
		}
		out = append(out, doc)
	}
	slices.SortFunc(out, func(a, b cleared.RuleProfile) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// ParseProfile reads a profile document strictly: unknown fields, trailing data and wrong types are
// [cleared.ErrInvalid]. What it says is checked by CheckProfile, not here.
func ParseProfile(b []byte) (cleared.RuleProfile, error) {
	var doc cleared.RuleProfile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return doc, cleared.Invalidf("rule profile: %v", err)
	}
	if dec.More() {
		return doc, cleared.Invalidf("rule profile: data after the document")
	}
	doc.EffectiveFrom = doc.EffectiveFrom.UTC()
	return doc, nil
}
