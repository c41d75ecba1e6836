package policy

import (
	"slices"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// briefingFixture: holder h of organisation orgA, his SECRET clearance granted through vetting a month ago and
// pending its declaration, and the officer of orgA.
func briefingFixture() (h cleared.Person, pending cleared.Clearance) {
	h = cleared.Person{ID: "per_h", OrganisationID: "org_a"}
	pending = withStatus(clearance(h.ID, cleared.Secret, now.AddDate(0, -1, 0)), cleared.ClearancePending)
	return h, pending
}

func brief(c cleared.Clearance, n int, on time.Time, declared bool) cleared.Briefing {
	b := cleared.Briefing{Clearance: c.ID, Number: n, Holder: c.PersonID, BriefedOn: on, BriefedBy: "Anne", Instructions: "v1"}
	if declared {
		b.Declared = on.Add(time.Hour)
	}
	return b
}

// TestRecordBriefing_A18_1: the security officer of the holder's organisation or the NSA records a briefing of a
// clearance pending or in force; the holder himself, another organisation's officer, a clearance withdrawn,
// suspended or expired, or a briefing still waiting for its declaration are refused with A18.1.
func TestRecordBriefing_A18_1(t *testing.T) {
	h, pending := briefingFixture()
	active := withStatus(pending, cleared.ClearanceActive)
	officer := []cleared.OrganisationID{"org_a"}
	for _, tc := range []struct {
		name      string
		me        cleared.PersonID
		officerOf []cleared.OrganisationID
		nsa       bool
		c         cleared.Clearance
		bs        []cleared.Briefing
		allowed   bool
	}{
		{"A18.1_officer_records_first_briefing", "per_o", officer, false, pending, nil, true},
		{"A18.1_nsa_records_a_rebriefing", "per_n", nil, true, active, []cleared.Briefing{brief(active, 1, now.AddDate(-1, 0, 0), true)}, true},
		{"A18.1_refused_the_holder_himself", h.ID, officer, true, pending, nil, false},
		{"A18.1_refused_another_organisations_officer", "per_o", []cleared.OrganisationID{"org_b"}, false, pending, nil, false},
		{"A18.1_refused_withdrawn", "per_o", officer, false, withStatus(pending, cleared.ClearanceWithdrawn), nil, false},
		{"A18.1_refused_suspended", "per_o", officer, false, withStatus(pending, cleared.ClearanceSuspended), nil, false},
		{"A18.1_refused_expired", "per_o", officer, false, withStatus(clearance(h.ID, cleared.TopSecret, now.AddDate(-5, 0, 0)), cleared.ClearancePending), nil, false},
		// Boundaries: a pending clearance issued exactly now takes its briefing now; one issued after now not yet.
		{"A18.1_pending_issued_exactly_now", "per_o", officer, false, withStatus(clearance(h.ID, cleared.Secret, now), cleared.ClearancePending), nil, true},
		{"A18.1_refused_pending_issued_later", "per_o", officer, false, withStatus(clearance(h.ID, cleared.Secret, now.Add(time.Nanosecond)), cleared.ClearancePending), nil, false},
		{"A18.1_refused_briefing_awaiting_declaration", "per_o", officer, false, pending, []cleared.Briefing{brief(pending, 1, now, false)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := RecordBriefing(tc.me, tc.officerOf, tc.nsa, h, tc.c, tc.bs, now)
			if d.Allowed != tc.allowed || !d.Allowed && (d.Rule != "A18.1" || d.Hidden) {
				t.Errorf("got %+v, want allowed %v (A18.1, not hidden)", d, tc.allowed)
			}
		})
	}
}

// TestSeeBriefings_A18_1: the holder, his organisation's officer and the NSA see a clearance's briefings; anyone
// else may not know of them.
func TestSeeBriefings_A18_1(t *testing.T) {
	h, c := briefingFixture()
	for _, tc := range []struct {
		name      string
		me        cleared.PersonID
		officerOf []cleared.OrganisationID
		nsa       bool
		want      bool
	}{
		{"A18.1_holder", h.ID, nil, false, true},
		{"A18.1_officer", "per_o", []cleared.OrganisationID{"org_a"}, false, true},
		{"A18.1_nsa", "per_n", nil, true, true},
		{"A18.1_hidden_from_another_officer", "per_o", []cleared.OrganisationID{"org_b"}, false, false},
		{"A18.1_hidden_from_a_colleague", "per_x", nil, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := SeeBriefings(tc.me, tc.officerOf, tc.nsa, h, c)
			if d.Allowed != tc.want || !d.Allowed && !d.Hidden {
				t.Errorf("got %+v, want %v (refusals hidden)", d, tc.want)
			}
		})
	}
}

// TestSignDeclaration_A18_1: the holder signs after a briefing recorded and not declared; another person, no
// briefing recorded, a briefing declared already, a withdrawn clearance are refused with A18.1.
func TestSignDeclaration_A18_1(t *testing.T) {
	h, pending := briefingFixture()
	waiting := brief(pending, 1, now.AddDate(0, 0, -1), false)
	for _, tc := range []struct {
		name    string
		me      cleared.PersonID
		c       cleared.Clearance
		bs      []cleared.Briefing
		allowed bool
	}{
		{"A18.1_holder_signs", h.ID, pending, []cleared.Briefing{waiting}, true},
		{"A18.1_holder_signs_rebriefing", h.ID, withStatus(pending, cleared.ClearanceActive),
			[]cleared.Briefing{brief(pending, 1, now.AddDate(-1, 0, 0), true), brief(pending, 2, now, false)}, true},
		{"A18.1_refused_another_person", "per_o", pending, []cleared.Briefing{waiting}, false},
		{"A18.1_refused_no_briefing", h.ID, pending, nil, false},
		{"A18.1_refused_declared_already", h.ID, pending, []cleared.Briefing{brief(pending, 1, now, true)}, false},
		{"A18.1_refused_withdrawn", h.ID, withStatus(pending, cleared.ClearanceWithdrawn), []cleared.Briefing{waiting}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, d := SignDeclaration(tc.me, tc.c, tc.bs, now)
			if d.Allowed != tc.allowed || !d.Allowed && d.Rule != "A18.1" || d.Allowed && !b.Declared.IsZero() {
				t.Errorf("got %+v %+v, want allowed %v", b, d, tc.allowed)
			}
		})
	}
	if !Activates(pending) || Activates(withStatus(pending, cleared.ClearanceActive)) {
		t.Error("A18.1: only the declaration of a pending clearance activates it")
	}
}

// TestBriefingOverdue_A18_1: the re-briefing falls due RebriefingMonths after the last declared briefing's date:
// not overdue one nanosecond before, overdue exactly at it; an undeclared briefing does not count; a clearance
// without a declared briefing, or not in force, is never overdue.
func TestBriefingOverdue_A18_1(t *testing.T) {
	h, pending := briefingFixture()
	active := withStatus(clearance(h.ID, cleared.Secret, now.AddDate(-3, 0, 0)), cleared.ClearanceActive)
	on := now.AddDate(-2, 0, 0)
	due := on.AddDate(0, RebriefingMonths, 0)
	declared := []cleared.Briefing{brief(active, 1, on, true)}
	undeclaredLater := append(declared, brief(active, 2, on.AddDate(0, 6, 0), false))
	for _, tc := range []struct {
		name string
		c    cleared.Clearance
		bs   []cleared.Briefing
		at   time.Time
		want bool
	}{
		{"A18.1_not_overdue_just_before", active, declared, due.Add(-time.Nanosecond), false},
		{"A18.1_overdue_exactly_at_due", active, declared, due, true},
		{"A18.1_undeclared_briefing_does_not_count", active, undeclaredLater, due, true},
		{"A18.1_never_briefed_in_cleared", active, nil, now, false},
		{"A18.1_pending_is_not_overdue", pending, nil, now, false},
		{"A18.1_withdrawn_is_not_overdue", withStatus(active, cleared.ClearanceWithdrawn), declared, due, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := BriefingOverdue(tc.c, tc.bs, tc.at); got != tc.want {
				t.Errorf("overdue = %v, want %v", got, tc.want)
			}
		})
	}
	if got, _ := NextBriefing(declared); !got.Equal(due) {
		t.Errorf("next briefing %v, want %v", got, due)
	}
}

// TestBriefingItems_A18_1: a pending clearance is on its holder's agenda (declaration) and on his organisation's
// officer's (briefing), with the briefing to declare once recorded; an overdue re-briefing is on both, due at its
// due date; a clearance up to date, or another organisation's officer, gives nothing.
func TestBriefingItems_A18_1(t *testing.T) {
	h, pending := briefingFixture()
	active := withStatus(clearance(h.ID, cleared.Secret, now.AddDate(-3, 0, 0)), cleared.ClearanceActive)
	on := now.AddDate(-2, 0, 0)
	overdue := BriefingFact{Holder: h, Clearance: active, Briefings: []cleared.Briefing{brief(active, 1, on, true)}}
	fresh := BriefingFact{Holder: h, Clearance: active, Briefings: []cleared.Briefing{brief(active, 1, now.AddDate(0, -1, 0), true)}}
	waiting := BriefingFact{Holder: h, Clearance: pending, Briefings: []cleared.Briefing{brief(pending, 1, now, false)}}
	officer := []cleared.OrganisationID{"org_a"}

	items := BriefingItems(h.ID, nil, []BriefingFact{{Holder: h, Clearance: pending}, overdue, fresh}, now)
	if len(items) != 2 || items[0].Kind != AgendaDeclaration || items[0].Article != "A18.1" || !items[0].Due.Equal(pending.Issued) ||
		items[0].Briefing != nil || items[1].Kind != AgendaDeclaration || !items[1].Overdue || !items[1].Due.Equal(on.AddDate(0, RebriefingMonths, 0)) {
		t.Errorf("A18.1: the holder's items = %+v", items)
	}
	items = BriefingItems("per_o", officer, []BriefingFact{waiting, overdue}, now)
	if len(items) != 2 || items[0].Kind != AgendaBriefing || items[0].Briefing == nil || items[1].Kind != AgendaBriefing {
		t.Errorf("A18.1: the officer's items = %+v", items)
	}
	if items := BriefingItems("per_o", []cleared.OrganisationID{"org_b"}, []BriefingFact{waiting, overdue}, now); len(items) != 0 {
		t.Errorf("A18.1: another organisation's officer gets %+v", items)
	}
}

// TestCircumstances_A18_1: the holder and the NSA see a report whole, his organisation's officer that it was made,
// anyone else nothing; only a holder reports; only the NSA takes a report up, once; the NSA's agenda lists the
// reports not taken up.
func TestCircumstances_A18_1(t *testing.T) {
	h, pending := briefingFixture()
	r := cleared.CircumstanceReport{ID: "chg_a", PersonID: h.ID, OrganisationID: h.OrganisationID, Reported: now}
	for _, tc := range []struct {
		name      string
		me        cleared.PersonID
		officerOf []cleared.OrganisationID
		nsa       bool
		want      CaseSight
	}{
		{"A18.1_holder_sees_all", h.ID, nil, false, SightFull},
		{"A18.1_nsa_sees_all", "per_n", nil, true, SightFull},
		{"A18.1_officer_sees_that_it_was_made", "per_o", []cleared.OrganisationID{"org_a"}, false, SightStage},
		{"A18.1_hidden_from_others", "per_o", []cleared.OrganisationID{"org_b"}, false, SightNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sight, d := SeeCircumstance(tc.me, tc.officerOf, tc.nsa, r)
			if sight != tc.want || d.Allowed != (tc.want != SightNone) || !d.Allowed && !d.Hidden {
				t.Errorf("got %v %+v, want %v", sight, d, tc.want)
			}
		})
	}
	if !ReportCircumstance([]cleared.Clearance{pending}, now).Allowed {
		t.Error("A18.1: a holder pending his briefing may report")
	}
	if d := ReportCircumstance([]cleared.Clearance{withStatus(pending, cleared.ClearanceWithdrawn)}, now); d.Allowed || d.Rule != "A18.1" {
		t.Errorf("A18.1: a person without a clearance in force reports: %+v", d)
	}
	taken := r
	taken.TakenUp, taken.TakenUpBy = now, "per_n"
	if !TakeUpCircumstance(true, r).Allowed || TakeUpCircumstance(false, r).Allowed || TakeUpCircumstance(true, taken).Allowed {
		t.Error("A18.1: only the NSA takes a report up, once")
	}
	if items := CircumstanceItems(true, []cleared.CircumstanceReport{r, taken}, now); len(items) != 1 || items[0].Kind != AgendaCircumstance ||
		items[0].Circumstance.ID != r.ID || items[0].Article != "A18.1" {
		t.Errorf("A18.1: the NSA's items = %+v", items)
	}
	if items := CircumstanceItems(false, []cleared.CircumstanceReport{r}, now); len(items) != 0 {
		t.Errorf("A18.1: a non-NSA reader gets %+v", items)
	}
}

// TestSuspendedForBriefing_A18_1: a suspend_on_overdue_briefing rule of a profile scoped to the holder's
// organisation suspends his clearance from the instant his re-briefing falls due, not one nanosecond before; a
// profile of another organisation, a clearance below the rule's level, or a re-briefing not overdue suspend
// nothing. The subject's clearance then reads pending, which ClearanceValid refuses with A18.1, and a read of a
// piece he is granted is refused with A18.1 (not hidden: his grant told him it exists).
func TestSuspendedForBriefing_A18_1(t *testing.T) {
	h, _ := briefingFixture()
	h.OrganisationID = orgMinDef
	active := withStatus(clearance(h.ID, cleared.Secret, now.AddDate(-3, 0, 0)), cleared.ClearanceActive)
	on := now.AddDate(-1, 0, 0)
	due := on.AddDate(0, RebriefingMonths, 0) // now
	bs := []cleared.Briefing{brief(active, 1, on, true)}
	suspend := cleared.ProfileRule{Kind: cleared.RuleSuspendOnOverdueBriefing, From: "SECRET"}
	ps, err := CompileProfiles([]cleared.RuleProfile{ministryDoc(suspend)})
	if err != nil {
		t.Fatal(err)
	}
	none, _ := CompileProfiles(nil)
	// A document that takes effect an hour after the briefing fell due suspends from that instant, not before.
	laterDoc := ministryDoc(suspend)
	laterDoc.EffectiveFrom = due.Add(time.Hour)
	later, err := CompileProfiles([]cleared.RuleProfile{laterDoc})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		ps   Profiles
		org  cleared.OrganisationID
		c    cleared.Clearance
		at   time.Time
		want bool
	}{
		{"A18.1_suspended_exactly_at_due", ps, orgMinDef, active, due, true},
		{"A18.1_not_suspended_just_before", ps, orgMinDef, active, due.Add(-time.Nanosecond), false},
		{"A18.1_not_suspended_without_profile", none, orgMinDef, active, due, false},
		{"A18.1_not_suspended_in_another_organisation", ps, "org_other", active, due, false},
		{"A18.1_not_suspended_below_the_rule_level", ps, orgMinDef, withLevel(active, cleared.Confidential), due, false},
		{"A1.1_suspended_exactly_when_the_profile_takes_effect", later, orgMinDef, active, due.Add(time.Hour), true},
		{"A1.1_not_suspended_before_the_profile_takes_effect", later, orgMinDef, active, due.Add(time.Hour - time.Nanosecond), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name, got := SuspendedForBriefing(tc.ps, tc.org, tc.c, bs, tc.at)
			if got != tc.want || got && name != "MinDef" {
				t.Errorf("suspended = %v (%q), want %v", got, name, tc.want)
			}
		})
	}
	suspended := active
	suspended.BriefingDue, _ = BriefingSuspension(ps, orgMinDef, active, bs, due.Add(-time.Nanosecond))
	if !suspended.BriefingDue.Equal(due) {
		t.Fatalf("A18.1: the suspension starts at %v, want %v", suspended.BriefingDue, due)
	}
	if d := ClearanceValid(suspended, due); d.Allowed || d.Rule != "A18.1" {
		t.Errorf("A18.1: the suspended clearance reads %+v at the due date", d)
	}
	if !ClearanceValid(suspended, due.Add(-time.Nanosecond)).Allowed {
		t.Error("A18.1: the clearance is suspended before the due date")
	}
	cs := []cleared.Clearance{suspended}
	piece := Target{Piece: "pce_x", Level: cleared.Secret}
	grants := NewGrantSet([]cleared.Grant{{Piece: "pce_x", From: now.AddDate(-1, 0, 0), Until: now.AddDate(1, 0, 0)}})
	if d := Know(&Subject{Person: h.ID, Clearances: cs, Grants: grants}, piece, due); d.Allowed || d.Hidden || d.Rule != "A18.1" {
		t.Errorf("A18.1: a read by the suspended holder: %+v", d)
	}
	if d := Know(&Subject{Person: h.ID, Clearances: []cleared.Clearance{active}, Grants: grants}, piece, due); !d.Allowed {
		t.Errorf("A18.1: without the suspension the read is refused: %+v", d)
	}
}

// TestCheckProfile_suspendOnOverdueBriefing_A1_1: the rule names no act and binds organisations: a document with it
// and no organisation in its scope, or with actions, is refused.
func TestCheckProfile_suspendOnOverdueBriefing_A1_1(t *testing.T) {
	ok := ministryDoc(cleared.ProfileRule{Kind: cleared.RuleSuspendOnOverdueBriefing})
	if d := CheckProfile(ok, nil); !d.Allowed {
		t.Fatalf("refused: %+v", d)
	}
	withActions := ministryDoc(cleared.ProfileRule{Kind: cleared.RuleSuspendOnOverdueBriefing, Actions: []string{"read"}})
	originOnly := ok
	originOnly.Scope = cleared.ProfileScope{Origins: []cleared.Scheme{cleared.SchemeNATO}}
	for name, doc := range map[string]cleared.RuleProfile{"with actions": withActions, "scoped to an origin only": originOnly} {
		if d := CheckProfile(doc, nil); d.Allowed || d.Rule != "A1.1" {
			t.Errorf("%s: %+v", name, d)
		}
	}
}

func withLevel(c cleared.Clearance, l cleared.Level) cleared.Clearance {
	c.Level = l
	return c
}

// A18.1: a holder's report of a change reaches the NSA officers on his latest case; with no one on a case, every
// NSA officer, so that none is left unread.
func TestCaseOfficerReports_A18_1(t *testing.T) {
	on, off := cleared.PersonID("per_on"), cleared.PersonID("per_off")
	withCase := cleared.CircumstanceReport{ID: "chg_a", PersonID: "per_holder"}
	without := cleared.CircumstanceReport{ID: "chg_b", PersonID: "per_other"}
	officers := map[cleared.PersonID][]cleared.PersonID{"per_holder": {on}}
	for _, tc := range []struct {
		name string
		me   cleared.PersonID
		want []cleared.CircumstanceID
	}{
		{"the officer on the holder's case gets both", on, []cleared.CircumstanceID{"chg_a", "chg_b"}},
		{"another NSA officer gets only the one no officer is on", off, []cleared.CircumstanceID{"chg_b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []cleared.CircumstanceID
			for _, r := range CaseOfficerReports(tc.me, []cleared.CircumstanceReport{withCase, without}, officers) {
				got = append(got, r.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
