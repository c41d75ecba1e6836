package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func invCase(stage cleared.CaseStage) cleared.VettingCase {
	return cleared.VettingCase{ID: "vet_x", PersonID: "per_p", OrganisationID: "org_o", Level: cleared.Secret, Stage: stage}
}

func wantDecision(t *testing.T, name string, d Decision, allowed bool, rule string, hide bool) {
	t.Helper()
	if d.Allowed != allowed || d.Rule != rule || d.Hidden != hide {
		t.Errorf("%s: got %+v, want allowed=%v rule=%q hidden=%v", name, d, allowed, rule, hide)
	}
}

// A21.1: the checklist grows with the level, each level asking what the one below asks.
func TestChecklist_A21_1(t *testing.T) {
	prev := 0
	for _, l := range []cleared.Level{cleared.Restricted, cleared.Confidential, cleared.Secret, cleared.TopSecret} {
		n := len(Checklist(l))
		if n <= prev {
			t.Errorf("A21.1: %s asks %d checks, not more than the level below (%d)", l, n, prev)
		}
		prev = n
	}
	if Checklist(cleared.Unclassified) != nil {
		t.Error("A21.1: a level without clearance has a checklist")
	}
	for _, c := range []struct {
		name  string
		level cleared.Level
		got   Collected
		want  string
	}{
		{"nothing", cleared.Restricted, Collected{}, "civil_status,reliability_reputation"},
		{"restricted complete", cleared.Restricted, Collected{Items: []ItemKind{{Category: CategoryCivilStatus}, {Category: CategoryReliability}}}, ""},
		{"confidential wants solvency", cleared.Confidential, Collected{Items: []ItemKind{{Category: CategoryCivilStatus}, {Category: CategoryReliability}}}, "solvency"},
		{"secret wants past too", cleared.Secret, Collected{Items: []ItemKind{{Category: CategoryCivilStatus}, {Category: CategoryReliability},
			{Category: CategorySolvency}, {Category: CategorySocialProfessional, Period: "now"}}}, "social_professional_past"},
		{"top secret wants vulnerability and abroad", cleared.TopSecret, Collected{Items: []ItemKind{{Category: CategoryCivilStatus}, {Category: CategoryReliability},
			{Category: CategorySolvency}, {Category: CategorySocialProfessional, Period: "now"}, {Category: CategorySocialProfessional, Period: "past"}}},
			"vulnerability,abroad"},
		{"top secret complete", cleared.TopSecret, Collected{AbroadAnswered: true, Items: []ItemKind{{Category: CategoryCivilStatus}, {Category: CategoryReliability},
			{Category: CategorySolvency}, {Category: CategorySocialProfessional, Period: "now"}, {Category: CategorySocialProfessional, Period: "past"},
			{Category: CategoryVulnerability}}}, ""},
		{"a social item without period counts for neither", cleared.Secret, Collected{Items: []ItemKind{{Category: CategoryCivilStatus},
			{Category: CategoryReliability}, {Category: CategorySolvency}, {Category: CategorySocialProfessional}}}, "social_professional_now,social_professional_past"},
	} {
		var got []string
		for _, m := range Missing(c.level, c.got) {
			got = append(got, string(m))
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("A21.1 %s: missing %v, want %s", c.name, got, c.want)
		}
	}
}

// A24.1: only an NSA officer with a valid clearance is put on a case.
func TestInvestigator_A24_1(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	nsa := cleared.Person{ID: "per_n", Roles: []cleared.Role{cleared.RoleNSAOfficer}}
	valid := []cleared.Clearance{{PersonID: "per_n", Level: cleared.TopSecret, Status: cleared.ClearanceActive, Issued: now.AddDate(-1, 0, 0), Expires: now.AddDate(4, 0, 0)}}
	expired := []cleared.Clearance{{PersonID: "per_n", Level: cleared.TopSecret, Status: cleared.ClearanceActive, Issued: now.AddDate(-5, 0, 0), Expires: now}}
	wantDecision(t, "NSA officer cleared", Investigator(nsa, valid, now), true, "", false)
	wantDecision(t, "clearance expired exactly now", Investigator(nsa, expired, now), false, "A24.1", false)
	wantDecision(t, "not an NSA officer", Investigator(cleared.Person{ID: "per_x"}, valid, now), false, "A24.1", false)
}

func TestOpenInvestigation_A15_2_A24_1(t *testing.T) {
	signed := invCase(cleared.StageSigned)
	wantDecision(t, "allowed", OpenInvestigation(true, signed, 2, true), true, "", false)
	wantDecision(t, "not the NSA", OpenInvestigation(false, signed, 1, true), false, "A24.1", false)
	for _, st := range []cleared.CaseStage{cleared.StageOpened, cleared.StageQuestionnaire, cleared.StageInvestigation, cleared.StageReported, cleared.StageRefused} {
		wantDecision(t, "stage "+string(st), OpenInvestigation(true, invCase(st), 1, true), false, "A15.2", false)
	}
	wantDecision(t, "no officer", OpenInvestigation(true, signed, 0, true), false, "A24.1", false)
	wantDecision(t, "an officer not NSA", OpenInvestigation(true, signed, 2, false), false, "A24.1", false)
}

// A23.1, A24.1, A27.4: the officers on the case and the commission read; another NSA officer is refused; anyone
// else may not know.
func TestSeeInvestigation_A23_1(t *testing.T) {
	c := invCase(cleared.StageInvestigation)
	for _, x := range []struct {
		name                    string
		nsa, onCase, commission bool
		allowed, hidden         bool
		rule                    string
	}{
		{"officer on the case", true, true, false, true, false, ""},
		{"commission member", false, false, true, true, false, ""},
		{"NSA officer on the case and commission", true, true, true, true, false, ""},
		{"NSA officer not on the case", true, false, false, false, false, "A23.1"},
		{"anyone else", false, false, false, false, true, "A23.1"},
	} {
		wantDecision(t, x.name, SeeInvestigation(x.nsa, x.onCase, x.commission, c), x.allowed, x.rule, x.hidden)
	}
}

func TestWriteInvestigation_A15_2(t *testing.T) {
	wantDecision(t, "open", WriteInvestigation(true, true, invCase(cleared.StageInvestigation)), true, "", false)
	wantDecision(t, "reported", WriteInvestigation(true, true, invCase(cleared.StageReported)), false, "A15.2", false)
	wantDecision(t, "signed", WriteInvestigation(true, true, invCase(cleared.StageSigned)), false, "A15.2", false)
	wantDecision(t, "not on case", WriteInvestigation(true, false, invCase(cleared.StageInvestigation)), false, "A23.1", false)
	wantDecision(t, "not NSA", WriteInvestigation(false, false, invCase(cleared.StageInvestigation)), false, "A23.1", true)
}

func TestWriteCooperation_A25_3(t *testing.T) {
	for _, st := range []cleared.CaseStage{cleared.StageInvestigation, cleared.StageReported, cleared.StageCommission} {
		wantDecision(t, "stage "+string(st), WriteCooperation(true, true, invCase(st)), true, "", false)
	}
	for _, st := range []cleared.CaseStage{cleared.StageSigned, cleared.StageGranted, cleared.StageRefused} {
		wantDecision(t, "stage "+string(st), WriteCooperation(true, true, invCase(st)), false, "A25.3", false)
	}
	wantDecision(t, "not on case", WriteCooperation(true, false, invCase(cleared.StageInvestigation)), false, "A23.1", false)
}

func TestOfficers_A24_1(t *testing.T) {
	c := invCase(cleared.StageInvestigation)
	wantDecision(t, "assign", AssignInvestigator(true, true, c, Allow), true, "", false)
	wantDecision(t, "assign one not NSA", AssignInvestigator(true, true, c, deny("A24.1", "x")), false, "A24.1", false)
	wantDecision(t, "assign on a closed case", AssignInvestigator(true, true, invCase(cleared.StageGranted), Allow), false, "A24.1", false)
	wantDecision(t, "assign when not on it", AssignInvestigator(true, false, c, Allow), false, "A23.1", false)
	wantDecision(t, "end, one remaining", EndInvestigator(true, true, c, 1), true, "", false)
	wantDecision(t, "end the last", EndInvestigator(true, true, c, 0), false, "A24.1", false)
	wantDecision(t, "end on a closed case", EndInvestigator(true, true, invCase(cleared.StageRefused), 1), false, "A24.1", false)
}

func TestFileReport_A15_2_A21_1(t *testing.T) {
	c := invCase(cleared.StageInvestigation)
	wantDecision(t, "complete", FileReport(true, true, c, nil), true, "", false)
	d := FileReport(true, true, c, []Check{CheckSolvency})
	wantDecision(t, "incomplete", d, false, "A21.1", false)
	if !strings.Contains(d.Reason, "solvency") {
		t.Errorf("A21.1: the refusal does not name what is missing: %s", d.Reason)
	}
	wantDecision(t, "already reported", FileReport(true, true, invCase(cleared.StageReported), nil), false, "A15.2", false)
	wantDecision(t, "not on case", FileReport(true, false, c, nil), false, "A23.1", false)
}

func TestFile_A28_1(t *testing.T) {
	for _, st := range []cleared.CaseStage{cleared.StageRefused, cleared.StageWithdrawn, cleared.StageClosedNonCooperation} {
		c := invCase(st)
		wantDecision(t, "request "+string(st), RequestFile("per_p", c, false), true, "", false)
		wantDecision(t, "see after request "+string(st), SeeFile("per_p", c, true), true, "", false)
		wantDecision(t, "see before request "+string(st), SeeFile("per_p", c, false), false, "A28.1", false)
		wantDecision(t, "request twice "+string(st), RequestFile("per_p", c, true), false, "A28.1", false)
		wantDecision(t, "another asks "+string(st), RequestFile("per_q", c, false), false, "A28.1", true)
		wantDecision(t, "another reads "+string(st), SeeFile("per_q", c, true), false, "A28.1", true)
	}
	for _, st := range []cleared.CaseStage{cleared.StageInvestigation, cleared.StageReported, cleared.StageCommission, cleared.StageGranted} {
		c := invCase(st)
		wantDecision(t, "request "+string(st), RequestFile("per_p", c, false), false, "A28.1", false)
		wantDecision(t, "see "+string(st), SeeFile("per_p", c, true), false, "A28.1", false)
	}
}

// A28.1: a request is on the NSA's agenda from its filing until ClosedNotice after, exactly.
func TestFileRequestItems_A28_1(t *testing.T) {
	filed := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	rs := []FileRequestFact{{Case: invCase(cleared.StageRefused), Filed: filed}}
	if n := len(FileRequestItems(false, rs, filed)); n != 0 {
		t.Errorf("A28.1: %d items for one not of the NSA", n)
	}
	for _, x := range []struct {
		at   time.Time
		want int
	}{{filed.Add(-time.Second), 0}, {filed, 1}, {filed.Add(ClosedNotice - time.Nanosecond), 1}, {filed.Add(ClosedNotice), 0}} {
		items := FileRequestItems(true, rs, x.at)
		if len(items) != x.want {
			t.Errorf("A28.1 at %s: %d items, want %d", x.at, len(items), x.want)
		}
		if len(items) == 1 && (items[0].Article != "A28.1" || items[0].Kind != AgendaVettingFileRequest || !items[0].Overdue) {
			t.Errorf("A28.1: item %+v", items[0])
		}
	}
}
