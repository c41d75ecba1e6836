package policy

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

// treaties is the set of shipped profiles, with a bilateral agreement with France.
func treaties(t *testing.T, more ...Profile) Profiles {
	t.Helper()
	ps, err := NewProfiles(append([]Profile{NATOProfile(), EUProfile(), BilateralProfile("FR")}, more...)...)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func profileRequest(a Action, l cleared.Level, origin cleared.Scheme, org cleared.OrganisationID) Request {
	return Request{Action: a, Level: l, Origin: origin, Organisation: org, At: now}
}

func obligation(d Duty, profile string) Obligation {
	return Obligation{Duty: d, Rule: "A1.1", Profile: profile}
}

func checkOutcome(t *testing.T, got Outcome, want Decision, obligations ...Obligation) {
	t.Helper()
	checkDecision(t, got.Decision, want)
	if !slices.Equal(got.Obligations, obligations) {
		t.Fatalf("obligations %v, want %v", got.Obligations, obligations)
	}
}

var (
	orgMinDef = cleared.OrganisationID("org_ministry")
	orgOther  = cleared.OrganisationID("org_other")
)

// minDef is a ministry's own profile: its people send no SECRET piece electronically, and every destruction of a
// piece of CONFIDENTIEL or above is reported, as if twice to exercise the deduplication.
func minDef() Profile {
	return Profile{
		Name:    "MinDef",
		Applies: func(r Request) bool { return r.Organisation == orgMinDef },
		Check: func(r Request) Effect {
			switch {
			case r.Action == ActionTransmit && r.Level >= cleared.Secret:
				return Effect{Refuse: "SECRET pieces are handed over in person"}
			case r.Action == ActionDestroy && r.Level >= cleared.Confidential:
				return Effect{Duties: []Duty{DutyDestructionReport, DutyDestructionReport}}
			}
			return Effect{}
		},
	}
}

func TestShippedProfiles(t *testing.T) {
	ps := treaties(t)
	for _, tc := range []struct {
		name        string
		req         Request
		obligations []Obligation
	}{
		{"A1.1 a NATO SECRET copy is numbered", profileRequest(ActionReproduce, cleared.Secret, "NATO", orgMinDef), []Obligation{obligation(DutyCopyNumber, "NATO")}},
		{"A1.1 a COSMIC TOP SECRET copy is numbered", profileRequest(ActionReproduce, cleared.TopSecret, "NATO", orgMinDef), []Obligation{obligation(DutyCopyNumber, "NATO")}},
		{"A1.1 a NATO CONFIDENTIAL copy needs no number", profileRequest(ActionReproduce, cleared.Confidential, "NATO", orgMinDef), nil},
		{"A1.1 destroying a NATO SECRET piece is reported", profileRequest(ActionDestroy, cleared.Secret, "NATO", orgMinDef), []Obligation{obligation(DutyDestructionReport, "NATO")}},
		{"A1.1 destroying a NATO CONFIDENTIAL piece adds nothing", profileRequest(ActionDestroy, cleared.Confidential, "NATO", orgMinDef), nil},
		{"A1.1 downgrading a NATO RESTRICTED piece waits for its originator", profileRequest(ActionDowngrade, cleared.Restricted, "NATO", orgMinDef), []Obligation{obligation(DutyOriginatorConsent, "NATO")}},
		{"A1.1 releasing a NATO SECRET piece waits for its originator", profileRequest(ActionRelease, cleared.Secret, "NATO", orgMinDef), []Obligation{obligation(DutyOriginatorConsent, "NATO")}},
		{"A1.1 declassifying an EU piece waits for its originator", profileRequest(ActionDeclassify, cleared.Confidential, "EU", orgMinDef), []Obligation{obligation(DutyOriginatorConsent, "EU")}},
		{"A1.1 an EU SECRET copy needs no number from the EU profile", profileRequest(ActionReproduce, cleared.Secret, "EU", orgMinDef), nil},
		{"A1.1 releasing a French piece waits for France", profileRequest(ActionRelease, cleared.Secret, "FR", orgMinDef), []Obligation{obligation(DutyOriginatorConsent, "FR")}},
		{"A1.1 reading a NATO SECRET piece adds nothing", profileRequest(ActionRead, cleared.Secret, "NATO", orgMinDef), nil},
		{"A1.1 transmitting a NATO SECRET piece adds nothing", profileRequest(ActionTransmit, cleared.Secret, "NATO", orgMinDef), nil},
		{"A1.1 a national SECRET copy gets no treaty duty", profileRequest(ActionReproduce, cleared.Secret, "", orgMinDef), nil},
		{"A1.1 downgrading a national piece gets no treaty duty", profileRequest(ActionDowngrade, cleared.Secret, "", orgMinDef), nil},
		{"A1.1 a piece of a partner without a profile gets no duty", profileRequest(ActionDowngrade, cleared.Secret, "DE", orgMinDef), nil},
	} {
		t.Run(tc.name, func(t *testing.T) { checkOutcome(t, Decide(Allow, tc.req, ps), Allow, tc.obligations...) })
	}
}

func TestDecide(t *testing.T) {
	unnamed := Profile{Name: "Broken", Applies: func(Request) bool { return true },
		Check: func(Request) Effect { return Effect{Duties: []Duty{DutyCopyNumber, ""}} }}
	refusesAll := func(name string) Profile {
		return Profile{Name: name, Applies: func(Request) bool { return true },
			Check: func(Request) Effect { return Effect{Refuse: "never"} }}
	}
	for _, tc := range []struct {
		name        string
		base        Decision
		req         Request
		ps          []Profile
		want        Decision
		reason      string // a part of the refusal's reason
		obligations []Obligation
	}{
		{name: "A1.1 without profiles the base allowance stands", base: Allow, req: profileRequest(ActionReproduce, cleared.Secret, "NATO", orgMinDef), want: allow()},
		{name: "A1.1 without profiles the base refusal stands", base: deny("A9.4", "no consent"), req: profileRequest(ActionReproduce, cleared.TopSecret, "", orgMinDef), want: refuse("A9.4"), reason: "no consent"},
		{name: "A1.1 a ministry's refusal turns an allowance into a refusal", base: Allow, req: profileRequest(ActionTransmit, cleared.Secret, "", orgMinDef), ps: []Profile{minDef()}, want: refuse("A1.1"), reason: "MinDef: SECRET pieces are handed over in person"},
		{name: "A1.1 a ministry's refusal wins over NATO's duties", base: Allow, req: profileRequest(ActionTransmit, cleared.Secret, "NATO", orgMinDef), ps: []Profile{NATOProfile(), minDef()}, want: refuse("A1.1"), reason: "MinDef:"},
		{name: "A1.1 a ministry's rules bind only its own organisation", base: Allow, req: profileRequest(ActionTransmit, cleared.Secret, "", orgOther), ps: []Profile{minDef()}, want: allow()},
		{name: "A1.1 a base refusal comes first, hidden, whatever the profiles say", base: hidden("A9.1", "no need-to-know"), req: profileRequest(ActionTransmit, cleared.Secret, "NATO", orgMinDef), ps: []Profile{minDef(), NATOProfile()}, want: hide("A9.1"), reason: "no need-to-know"},
		{name: "A1.1 a base refusal carries no duty of the profiles", base: deny("A10.2", "no countersignature"), req: profileRequest(ActionDestroy, cleared.Secret, "NATO", orgMinDef), ps: []Profile{minDef(), NATOProfile()}, want: refuse("A10.2"), reason: "no countersignature"},
		{name: "A1.1 the duties of two profiles accumulate, each once", base: Allow, req: profileRequest(ActionDestroy, cleared.Secret, "NATO", orgMinDef), ps: []Profile{NATOProfile(), minDef()}, want: allow(),
			obligations: []Obligation{obligation(DutyDestructionReport, "MinDef"), obligation(DutyDestructionReport, "NATO")}},
		{name: "A1.1 the duties are ordered by duty then profile", base: Allow, req: profileRequest(ActionDowngrade, cleared.Secret, "NATO", orgMinDef), ps: []Profile{NATOProfile(),
			{Name: "A-Ministry", Applies: func(Request) bool { return true }, Check: func(Request) Effect { return Effect{Duties: []Duty{DutyOriginatorConsent, DutyCopyNumber}} }}},
			want: allow(), obligations: []Obligation{obligation(DutyCopyNumber, "A-Ministry"), obligation(DutyOriginatorConsent, "A-Ministry"), obligation(DutyOriginatorConsent, "NATO")}},
		{name: "A1.1 of two refusals the first profile by name is given, whatever the order", base: Allow, req: profileRequest(ActionRead, cleared.Secret, "", orgMinDef), ps: []Profile{refusesAll("Zulu"), refusesAll("Alpha")}, want: refuse("A1.1"), reason: "Alpha: never"},
		{name: "A1.1 a duty without a name refuses, fail closed", base: Allow, req: profileRequest(ActionRead, cleared.Secret, "", orgMinDef), ps: []Profile{unnamed}, want: refuse("A1.1"), reason: "Broken: the profile imposes a duty without a name"},
		{name: "A1.1 an unknown action is refused", base: Allow, req: profileRequest("print", cleared.Secret, "", orgMinDef), want: refuse("A1.1"), reason: "unknown action"},
		{name: "A1.1 an empty action is refused", base: Allow, req: profileRequest("", cleared.Secret, "", orgMinDef), want: refuse("A1.1"), reason: "unknown action"},
		{name: "A1.1 an invalid level is refused", base: Allow, req: profileRequest(ActionRead, cleared.Level(9), "", orgMinDef), want: refuse("A1.1"), reason: "level"},
		{name: "A1.1 an invalid negative level is refused", base: Allow, req: profileRequest(ActionRead, cleared.Level(-1), "", orgMinDef), want: refuse("A1.1"), reason: "level"},
		{name: "A1.1 an unclassified piece is judged too", base: Allow, req: profileRequest(ActionRead, cleared.Unclassified, "", orgMinDef), ps: []Profile{refusesAll("Alpha")}, want: refuse("A1.1"), reason: "Alpha"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := NewProfiles(tc.ps...)
			if err != nil {
				t.Fatal(err)
			}
			got := Decide(tc.base, tc.req, ps)
			checkOutcome(t, got, tc.want, tc.obligations...)
			if !strings.Contains(got.Reason, tc.reason) {
				t.Fatalf("reason %q does not say %q", got.Reason, tc.reason)
			}
		})
	}
}

func TestNewProfiles(t *testing.T) {
	applies := func(Request) bool { return true }
	check := func(Request) Effect { return Effect{} }
	for _, tc := range []struct {
		name string
		ps   []Profile
		ok   bool
	}{
		{"A1.1 no profile is a valid set", nil, true},
		{"A1.1 the shipped profiles form a set", []Profile{NATOProfile(), EUProfile(), BilateralProfile("FR"), BilateralProfile("BE")}, true},
		{"A1.1 a profile without a name is rejected", []Profile{{Applies: applies, Check: check}}, false},
		{"A1.1 a profile with a blank name is rejected", []Profile{{Name: "  ", Applies: applies, Check: check}}, false},
		{"A1.1 a profile with a control character in its name is rejected", []Profile{{Name: "NA\x00TO", Applies: applies, Check: check}}, false},
		{"A1.1 a profile with a name on two lines is rejected", []Profile{{Name: "NATO\nSECRET", Applies: applies, Check: check}}, false},
		{"A1.1 a profile with a name of 64 characters is accepted", []Profile{{Name: strings.Repeat("x", 64), Applies: applies, Check: check}}, true},
		{"A1.1 a profile with a name too long is rejected", []Profile{{Name: strings.Repeat("x", 65), Applies: applies, Check: check}}, false},
		{"A1.1 two profiles of one name are rejected", []Profile{NATOProfile(), EUProfile(), BilateralProfile("NATO")}, false},
		{"A1.1 a profile that says not where it applies is rejected", []Profile{NATOProfile(), {Name: "MinDef", Check: check}}, false},
		{"A1.1 a profile without a check is rejected", []Profile{{Name: "MinDef", Applies: applies}, EUProfile()}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewProfiles(tc.ps...)
			switch {
			case tc.ok && err != nil:
				t.Fatalf("rejected: %v", err)
			case !tc.ok && !errors.Is(err, cleared.ErrInvalid):
				t.Fatalf("error %v, want ErrInvalid", err)
			}
		})
	}
}

// A1.1: the set keeps its own copy, so a caller that changes its slice afterwards changes no decision.
func TestNewProfilesCopies(t *testing.T) {
	in := []Profile{NATOProfile()}
	ps, err := NewProfiles(in...)
	if err != nil {
		t.Fatal(err)
	}
	in[0] = Profile{Name: "NATO", Applies: func(Request) bool { return false }, Check: func(Request) Effect { return Effect{} }}
	checkOutcome(t, Decide(Allow, profileRequest(ActionReproduce, cleared.Secret, "NATO", orgMinDef), ps), Allow, obligation(DutyCopyNumber, "NATO"))
}

func TestRequestOf(t *testing.T) {
	p := cleared.Piece{ID: cleared.NewPieceID(), Level: cleared.Secret, Foreign: &cleared.ForeignMarking{Scheme: cleared.SchemeNATO, Marking: "NATO SECRET"}}
	if got, want := RequestOf(ActionDestroy, p, orgMinDef, now), profileRequest(ActionDestroy, cleared.Secret, "NATO", orgMinDef); got != want {
		t.Fatalf("RequestOf a NATO piece = %+v, want %+v", got, want)
	}
	p.Foreign = nil
	if got := RequestOf(ActionRead, p, orgMinDef, now); got.Origin != "" {
		t.Fatalf("a national piece has origin %q, want none", got.Origin)
	}
}

func TestActionValid(t *testing.T) {
	for _, a := range []Action{ActionRead, ActionReproduce, ActionTransmit, ActionDowngrade, ActionDeclassify, ActionDestroy, ActionRelease} {
		if !a.Valid() {
			t.Errorf("%q is not valid", a)
		}
	}
	for _, a := range []Action{"", "READ", "copy"} {
		if a.Valid() {
			t.Errorf("%q is valid", a)
		}
	}
}
