package policy

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// ministryDoc is a ministry's own profile as the NSA would record it.
func ministryDoc(rules ...cleared.ProfileRule) cleared.RuleProfile {
	return cleared.RuleProfile{Name: "MinDef", Version: 1, EffectiveFrom: now.Add(-time.Hour),
		Scope: cleared.ProfileScope{Organisations: []cleared.OrganisationID{orgMinDef}}, Rules: rules}
}

func rule(kind cleared.RuleKind, from string, actions ...string) cleared.ProfileRule {
	return cleared.ProfileRule{Kind: kind, From: from, Actions: actions}
}

func TestCheckProfile(t *testing.T) {
	v1 := ministryDoc(rule(cleared.RuleDestructionReport, "CONFIDENTIAL"))
	v2 := v1
	v2.Version = 2
	v3 := v1
	v3.Version = 3
	withVersion := func(d cleared.RuleProfile, v int) cleared.RuleProfile { d.Version = v; return d }
	refusal := cleared.ProfileRule{Kind: cleared.RuleRefuse, From: "SECRET", Actions: []string{"transmit"}, Reason: "SECRET pieces are handed over in person"}
	for _, tc := range []struct {
		name     string
		doc      cleared.RuleProfile
		versions []cleared.RuleProfile
		reason   string // empty: allowed
	}{
		{name: "A1.1 destruction reports from CONFIDENTIEL are more rigorous than the law and recorded", doc: v1},
		{name: "A1.1 destruction reports from SECRET restate the law and are recorded", doc: ministryDoc(rule(cleared.RuleDestructionReport, "SECRET"))},
		{name: "A1.1 every kind of rule that adds is recorded", doc: ministryDoc(
			rule(cleared.RuleCopyNumber, "RESTRICTED"), rule(cleared.RuleRegistryEntry, "CONFIDENTIEL"),
			rule(cleared.RuleOriginatorConsent, "SECRET", "downgrade", "release"), refusal,
			cleared.ProfileRule{Kind: cleared.RuleInventory, From: "SECRET", Months: 6})},
		{name: "A1.1 the next version follows the last", doc: v2, versions: []cleared.RuleProfile{v1}},
		{name: "A1.1 a profile of a treaty's pieces is recorded", doc: cleared.RuleProfile{Name: "FR", Version: 1, EffectiveFrom: now,
			Scope: cleared.ProfileScope{Origins: []cleared.Scheme{"FR"}}, Rules: []cleared.ProfileRule{rule(cleared.RuleOriginatorConsent, "", "release")}}},
		{name: "A1.1 destruction reports only from TRES SECRET relax A10.2 and are refused", doc: ministryDoc(rule(cleared.RuleDestructionReport, "TOP_SECRET")),
			reason: "the law asks for destruction reports from SECRET (A10.2)"},
		{name: "A1.1 a waiver of the originator's consent for a TRES SECRET copy is refused", doc: ministryDoc(rule("waive", "TOP_SECRET", "reproduce")),
			reason: "would switch one off"},
		{name: "A1.1 a skip rule is refused", doc: ministryDoc(rule("skip", "SECRET", "destroy")), reason: "would switch one off"},
		{name: "A1.1 an allow rule is refused, whatever its case", doc: ministryDoc(rule("Allow", "SECRET", "transmit")), reason: "would switch one off"},
		{name: "A1.1 an unknown kind of rule is refused", doc: ministryDoc(rule("shred_twice", "SECRET")), reason: "unknown kind of rule"},
		{name: "A1.1 an unknown level is refused", doc: ministryDoc(rule(cleared.RuleCopyNumber, "ULTRA")), reason: `unknown level "ULTRA"`},
		{name: "A1.1 an unknown action is refused", doc: ministryDoc(rule(cleared.RuleOriginatorConsent, "SECRET", "print")), reason: `unknown action "print"`},
		{name: "A1.1 a consent rule naming no act is refused", doc: ministryDoc(rule(cleared.RuleOriginatorConsent, "SECRET")), reason: "name the acts"},
		{name: "A1.1 a refusal without a reason is refused", doc: ministryDoc(rule(cleared.RuleRefuse, "SECRET", "transmit")), reason: "needs a reason"},
		{name: "A1.1 an inventory without a period is refused", doc: ministryDoc(rule(cleared.RuleInventory, "SECRET")), reason: "every 1 to 120 months"},
		{name: "A1.1 a period on a rule that has none is refused", doc: ministryDoc(cleared.ProfileRule{Kind: cleared.RuleCopyNumber, Months: 3}), reason: "only an inventory rule"},
		{name: "A1.1 actions on a copy rule are refused", doc: ministryDoc(rule(cleared.RuleCopyNumber, "SECRET", "read")), reason: "leave actions out"},
		{name: "A1.1 a gap in versions is refused", doc: v3, versions: []cleared.RuleProfile{v1}, reason: "the next version is 2"},
		{name: "A1.1 a repeated version is refused", doc: v1, versions: []cleared.RuleProfile{v1}, reason: "the next version is 2"},
		{name: "A1.1 a first version other than 1 is refused", doc: v2, reason: "the next version is 1"},
		{name: "A1.1 version 0 is refused", doc: withVersion(v1, 0), reason: "version must be 1 or more"},
		{name: "A1.1 a profile without a name is refused", doc: cleared.RuleProfile{Version: 1, EffectiveFrom: now}, reason: "needs a name"},
		{name: "A1.1 a profile named like a path is refused", doc: cleared.RuleProfile{Name: "MinDef/2", Version: 1, EffectiveFrom: now, Scope: v1.Scope}, reason: "has no /"},
		{name: "A1.1 a profile without a date is refused", doc: cleared.RuleProfile{Name: "X", Version: 1, Scope: v1.Scope}, reason: "date it takes effect"},
		{name: "A1.1 a profile that binds no one is refused", doc: cleared.RuleProfile{Name: "X", Version: 1, EffectiveFrom: now}, reason: "scope names no origin"},
		{name: "A1.1 a malformed scheme is refused", doc: cleared.RuleProfile{Name: "X", Version: 1, EffectiveFrom: now, Scope: cleared.ProfileScope{Origins: []cleared.Scheme{"nato"}}}, reason: "upper-case"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := CheckProfile(tc.doc, tc.versions)
			if tc.reason == "" {
				checkDecision(t, d, allow())
				if _, err := CompileProfile(tc.doc); err != nil {
					t.Fatalf("an accepted document does not compile: %v", err)
				}
				return
			}
			checkDecision(t, d, refuse("A1.1"))
			if !strings.Contains(d.Reason, tc.reason) {
				t.Fatalf("reason %q does not say %q", d.Reason, tc.reason)
			}
		})
	}
}

// A1.1: a document that would be refused does not compile either, so a row that slipped past the check is no
// profile at all, and the service fails closed on it.
func TestCompileProfileRefusesWhatCheckRefuses(t *testing.T) {
	_, err := CompileProfile(ministryDoc(rule(cleared.RuleDestructionReport, "TOP_SECRET")))
	if !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("error %v, want ErrInvalid", err)
	}
	if _, err := CompileProfiles([]cleared.RuleProfile{ministryDoc(), ministryDoc(rule("skip", ""))}); err == nil {
		t.Fatal("a set with one bad document compiles")
	}
}

func shipped(t *testing.T, more ...cleared.RuleProfile) Profiles {
	t.Helper()
	docs, err := ShippedProfiles()
	if err != nil {
		t.Fatal(err)
	}
	ps, err := CompileProfiles(append(docs, more...))
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// The EU's rules as Council Decision 2013/488/EU and Commission Decision 2015/444 state them, and NATO's.
func TestShippedProfileDocuments(t *testing.T) {
	docs, err := ShippedProfiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Name != "EU" || docs[1].Name != "NATO" {
		t.Fatalf("shipped %v, want EU and NATO", docs)
	}
	for _, d := range docs {
		if c := CheckProfile(d, nil); !c.Allowed {
			t.Fatalf("the shipped %s profile would be refused: %s", d.Name, c.Reason)
		}
	}
	ps := shipped(t)
	req := profileRequest
	for _, tc := range []struct {
		name        string
		req         Request
		obligations []Obligation
	}{
		{"A1.1 an EU CONFIDENTIAL piece is registered", req(ActionRegister, cleared.Confidential, "EU", orgMinDef), []Obligation{obligation(DutyRegistryEntry, "EU")}},
		{"A1.1 an EU RESTRICTED piece needs no registry entry", req(ActionRegister, cleared.Restricted, "EU", orgMinDef), nil},
		{"A1.1 an EU CONFIDENTIAL copy is not numbered", req(ActionReproduce, cleared.Confidential, "EU", orgMinDef), nil},
		{"A1.1 an EU SECRET copy is numbered", req(ActionReproduce, cleared.Secret, "EU", orgMinDef), []Obligation{obligation(DutyCopyNumber, "EU")}},
		{"A1.1 transmitting an EU CONFIDENTIAL piece is registered", req(ActionTransmit, cleared.Confidential, "EU", orgMinDef), []Obligation{obligation(DutyRegistryEntry, "EU")}},
		{"A1.1 destroying an EU SECRET piece is reported", req(ActionDestroy, cleared.Secret, "EU", orgMinDef), []Obligation{obligation(DutyDestructionReport, "EU")}},
		{"A1.1 destroying an EU CONFIDENTIAL piece needs no report", req(ActionDestroy, cleared.Confidential, "EU", orgMinDef), nil},
		{"A1.1 downgrading an EU RESTRICTED piece waits for its originator", req(ActionDowngrade, cleared.Restricted, "EU", orgMinDef), []Obligation{obligation(DutyOriginatorConsent, "EU")}},
		{"A1.1 releasing an EU SECRET piece waits for its originator and is registered", req(ActionRelease, cleared.Secret, "EU", orgMinDef), []Obligation{obligation(DutyOriginatorConsent, "EU"), obligation(DutyRegistryEntry, "EU")}},
		{"A1.1 a TRES SECRET UE piece is inventoried", req(ActionRegister, cleared.TopSecret, "EU", orgMinDef), []Obligation{obligation(DutyInventory, "EU"), obligation(DutyRegistryEntry, "EU")}},
		{"A1.1 a NATO SECRET copy is numbered", req(ActionReproduce, cleared.Secret, "NATO", orgMinDef), []Obligation{obligation(DutyCopyNumber, "NATO")}},
		{"A1.1 destroying a NATO SECRET piece is reported", req(ActionDestroy, cleared.Secret, "NATO", orgMinDef), []Obligation{obligation(DutyDestructionReport, "NATO")}},
		{"A1.1 a NATO CONFIDENTIAL copy gets nothing", req(ActionReproduce, cleared.Confidential, "NATO", orgMinDef), nil},
		{"A1.1 reading an EU TRES SECRET piece adds nothing", req(ActionRead, cleared.TopSecret, "EU", orgMinDef), nil},
		{"A1.1 a national SECRET copy gets no treaty duty", req(ActionReproduce, cleared.Secret, "", orgMinDef), nil},
	} {
		t.Run(tc.name, func(t *testing.T) { checkOutcome(t, Decide(Allow, tc.req, ps), Allow, tc.obligations...) })
	}
	if m, p := InventoryPeriod(ps, req(ActionRegister, cleared.TopSecret, "NATO", orgMinDef)); m != 12 || p != "NATO" {
		t.Fatalf("COSMIC TOP SECRET inventoried every %d months by %q, want 12 by NATO", m, p)
	}
	if m, p := InventoryPeriod(ps, req(ActionRegister, cleared.Secret, "NATO", orgMinDef)); m != 0 || p != "" {
		t.Fatalf("NATO SECRET inventoried every %d months by %q, want none by no one", m, p)
	}
}

// A1.1: a document holds at most maxProfileRules rules, the 100th accepted and the 101st refused; a refused rule is
// named by its place, counted from 1, and by its kind, cut after 64 characters.
func TestCheckProfileBounds(t *testing.T) {
	rules := func(n int) []cleared.ProfileRule {
		out := make([]cleared.ProfileRule, n)
		for i := range out {
			out[i] = rule(cleared.RuleCopyNumber, "SECRET")
		}
		return out
	}
	checkDecision(t, CheckProfile(ministryDoc(rules(maxProfileRules)...), nil), allow())
	if d := CheckProfile(ministryDoc(rules(maxProfileRules+1)...), nil); d.Allowed || !strings.Contains(d.Reason, "101 rules, at most 100") {
		t.Fatalf("101 rules: %+v", d)
	}
	d := CheckProfile(ministryDoc(rule(cleared.RuleCopyNumber, "SECRET"), rule("skip", "SECRET")), nil)
	if d.Allowed || !strings.Contains(d.Reason, "rule 2 (skip)") {
		t.Fatalf("the second rule refused: %q, want it named rule 2", d.Reason)
	}
	every := func(months int) cleared.ProfileRule {
		return cleared.ProfileRule{Kind: cleared.RuleInventory, From: "SECRET", Months: months}
	}
	checkDecision(t, CheckProfile(ministryDoc(every(maxInventoryMonths)), nil), allow())
	checkDecision(t, CheckProfile(ministryDoc(every(maxInventoryMonths+1)), nil), refuse("A1.1"))
	checkDecision(t, CheckProfile(ministryDoc(every(1)), nil), allow())
	checkDecision(t, CheckProfile(ministryDoc(every(0)), nil), refuse("A1.1"))
	// Two inventory rules in one document: the shorter period is the profile's, whichever comes first.
	for _, order := range [][]cleared.ProfileRule{{every(6), every(12)}, {every(12), every(6)}} {
		p, err := CompileProfile(ministryDoc(order...))
		if err != nil {
			t.Fatal(err)
		}
		if m := p.Inventory(Request{Action: ActionRegister, Level: cleared.Secret}); m != 6 {
			t.Errorf("inventories every %d and %d months: every %d, want 6", order[0].Months, order[1].Months, m)
		}
	}
	for _, tc := range []struct {
		kind, named string
	}{
		{strings.Repeat("k", 64), "(" + strings.Repeat("k", 64) + ")"},
		{strings.Repeat("k", 65), "(" + strings.Repeat("k", 64) + "…)"},
	} {
		d := CheckProfile(ministryDoc(rule(cleared.RuleKind(tc.kind), "SECRET")), nil)
		if d.Allowed || !strings.Contains(d.Reason, "rule 1 "+tc.named) {
			t.Errorf("a kind of %d characters is named %q, want %q", len(tc.kind), d.Reason, tc.named)
		}
	}
}

// A1.1: where several profiles apply, the stricter wins: the duties of all, from the lowest level any states,
// the shortest inventory period, any refusal.
func TestCompiledProfilesStricterWins(t *testing.T) {
	ministry := ministryDoc(rule(cleared.RuleCopyNumber, "CONFIDENTIAL"), cleared.ProfileRule{Kind: cleared.RuleInventory, From: "SECRET", Months: 6},
		cleared.ProfileRule{Kind: cleared.RuleRefuse, From: "TOP_SECRET", Actions: []string{"transmit"}, Reason: "TRES SECRET is carried by hand"})
	ps := shipped(t, ministry)
	for _, tc := range []struct {
		name        string
		req         Request
		want        Decision
		obligations []Obligation
	}{
		{"A1.1 the ministry numbers NATO CONFIDENTIAL copies that NATO does not", profileRequest(ActionReproduce, cleared.Confidential, "NATO", orgMinDef), allow(),
			[]Obligation{obligation(DutyCopyNumber, "MinDef")}},
		{"A1.1 both number a NATO SECRET copy", profileRequest(ActionReproduce, cleared.Secret, "NATO", orgMinDef), allow(),
			[]Obligation{obligation(DutyCopyNumber, "MinDef"), obligation(DutyCopyNumber, "NATO")}},
		{"A1.1 the ministry's rules do not bind another organisation", profileRequest(ActionReproduce, cleared.Confidential, "NATO", orgOther), allow(), nil},
		{"A1.1 the ministry refuses a transmission NATO allows", profileRequest(ActionTransmit, cleared.TopSecret, "NATO", orgMinDef), refuse("A1.1"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) { checkOutcome(t, Decide(Allow, tc.req, ps), tc.want, tc.obligations...) })
	}
	if m, p := InventoryPeriod(ps, profileRequest(ActionRegister, cleared.TopSecret, "NATO", orgMinDef)); m != 6 || p != "MinDef" {
		t.Fatalf("inventory every %d months by %q, want 6 by MinDef (the shorter period wins)", m, p)
	}
	// A1.1: a profile takes effect at its date, not before.
	early := profileRequest(ActionReproduce, cleared.Confidential, "NATO", orgMinDef)
	early.At = ministry.EffectiveFrom.Add(-time.Nanosecond)
	checkOutcome(t, Decide(Allow, early, ps), allow())
	early.At = ministry.EffectiveFrom
	checkOutcome(t, Decide(Allow, early, ps), allow(), obligation(DutyCopyNumber, "MinDef"))
}

// drawDocument draws a profile document, well or badly made, from the kinds, levels and actions a writer might use.
func drawDocument(rng *rand.Rand, name string) cleared.RuleProfile {
	kinds := []cleared.RuleKind{cleared.RuleCopyNumber, cleared.RuleRegistryEntry, cleared.RuleDestructionReport, cleared.RuleOriginatorConsent,
		cleared.RuleInventory, cleared.RuleRefuse, "allow", "skip", "waive", "shred"}
	levels := []string{"", "RESTRICTED", "CONFIDENTIEL", "SECRET", "TOP_SECRET", "UNCLASSIFIED", "ULTRA"}
	actions := []string{"read", "reproduce", "transmit", "downgrade", "declassify", "destroy", "release", "register", "print"}
	doc := cleared.RuleProfile{Name: name, Version: 1, EffectiveFrom: now.Add(time.Duration(rng.IntN(48)-36) * time.Hour),
		Scope: cleared.ProfileScope{Origins: some(rng, []cleared.Scheme{cleared.SchemeNATO, cleared.SchemeEU, "FR"}, 2),
			Organisations: some(rng, drawnOrgs, 2)}}
	for range rng.IntN(5) {
		r := cleared.ProfileRule{Kind: pick(rng, kinds), From: pick(rng, levels), Actions: some(rng, actions, 3)}
		switch r.Kind {
		case cleared.RuleInventory:
			r.Months, r.Actions = rng.IntN(14), nil
		case cleared.RuleRefuse:
			r.Reason = "refused by the drawn document"
		case cleared.RuleCopyNumber, cleared.RuleDestructionReport:
			if rng.IntN(4) > 0 {
				r.Actions = nil
			}
		}
		doc.Rules = append(doc.Rules, r)
	}
	return doc
}

// A1.1: no document the NSA can record loosens Decide. For drawn documents, those CheckProfile accepts are added
// to the shipped profiles, and every drawn request is decided with and without them: what is allowed with them is
// allowed without, with every obligation it had without; a base refusal stays itself. Accepted documents never
// state a law's duty from a higher level than the law.
func TestProfileDocumentsCannotLoosenDecide(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 0xA11))
	base := shipped(t)
	accepted, refused, stricter := 0, 0, 0
	for i := range 3000 {
		var docs []cleared.RuleProfile
		for j := range 1 + rng.IntN(3) {
			doc := drawDocument(rng, fmt.Sprintf("P%d", j))
			if d := CheckProfile(doc, nil); !d.Allowed {
				refused++
				if d.Rule != "A1.1" {
					t.Fatalf("case %d: a refused document names %s, want A1.1", i, d.Rule)
				}
				continue
			}
			accepted++
			for _, r := range doc.Rules {
				if f, ok := lawFloors[r.Kind]; ok {
					if l, _ := ruleLevel(r.From); l > f.from {
						t.Fatalf("case %d: accepted %s from %s, above the law's %s", i, r.Kind, l, f.from)
					}
				}
			}
			docs = append(docs, doc)
		}
		shippedDocs, _ := ShippedProfiles()
		with, err := CompileProfiles(append(shippedDocs, docs...))
		if err != nil {
			t.Fatalf("case %d: accepted documents do not compile: %v", i, err)
		}
		for range 20 {
			b, r := drawBase(rng), drawRequest(rng)
			r.Action = pick(rng, append(drawnActions, ActionRegister))
			without, got := Decide(b, r, base), Decide(b, r, with)
			if !b.Allowed && got.Decision != b {
				t.Fatalf("case %d: the base refusal %+v became %+v", i, b, got.Decision)
			}
			if got.Allowed && !without.Allowed {
				t.Fatalf("case %d: %+v is allowed with the documents %+v and refused without", i, r, docs)
			}
			if got.Allowed {
				for _, o := range without.Obligations {
					if !slices.Contains(got.Obligations, o) {
						t.Fatalf("case %d: the documents dropped obligation %+v", i, o)
					}
				}
				if len(got.Obligations) > len(without.Obligations) {
					stricter++
				}
			} else if without.Allowed {
				stricter++
			}
		}
	}
	// The drawn documents must reach both sides of the check and make some decisions stricter.
	if accepted < 100 || refused < 100 || stricter < 100 {
		t.Fatalf("accepted %d, refused %d, stricter decisions %d: the generator does not reach every case", accepted, refused, stricter)
	}
}

func TestParseProfile(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"a document is read", `{"name":"X","version":1,"effective_from":"2027-01-01T00:00:00Z","scope":{"origins":["FR"]},"rules":[]}`, true},
		{"A1.1 an unknown field, as a rule's upper bound, is refused", `{"name":"X","version":1,"rules":[{"kind":"copy_number","until":"SECRET"}]}`, false},
		{"data after the document is refused", `{"name":"X"} {}`, false},
		{"a wrong type is refused", `{"name":"X","version":"1"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseProfile([]byte(tc.in))
			if tc.ok != (err == nil) {
				t.Fatalf("ParseProfile: %v", err)
			}
			if err != nil && !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("error %v, want ErrInvalid", err)
			}
		})
	}
}
