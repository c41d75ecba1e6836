package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// The pages of the intake (issue 20 §2): anne, SRE's security officer, opens a case for paul (A25.1); paul fills in
// the questionnaire section by section, a bad section refused with nothing stored (A21.1), and signs it and the
// consent (A25.1, A25.2); anne's pages show the stage and never an answer; luc, of another organisation, gets 404.
func TestUI_VettingCases(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	anne := e.as("anne", w.ZoneTerm.ID)
	paul := e.as("paul", w.OfficeTerm.ID)
	if p := paul.get("/ui/vetting-cases/new"); p.status != http.StatusForbidden || !strings.Contains(p.body, "A25.1") {
		t.Errorf("A25.1: the case form offered to one who is no security officer: %d", p.status)
	}
	wantPage(t, anne.get("/ui/vetting-cases/new"), http.StatusOK, "UNCLASSIFIED", unclassified)
	r := anne.post("/ui/vetting-cases", map[string][]string{"person_id": {string(w.Paul.ID)}, "post": {string(w.AnalystPost.ID)},
		"origin": {"national"}, "kind": {"initial"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("open a case: %d\n%s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	casePath, _, _ := strings.Cut(loc, "?")
	if !strings.HasPrefix(casePath, "/ui/vetting-cases/vet_") {
		t.Fatalf("Location %q", loc)
	}
	p := paul.get(casePath)
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !strings.Contains(p.body, `id="fill-civil_status"`) || !strings.Contains(p.body, `id="refuse"`) {
		t.Fatalf("the person's page offers no questionnaire:\n%s", p.body)
	}
	wantPage(t, paul.get(casePath+"/questionnaire/civil_status"), http.StatusOK, "UNCLASSIFIED", unclassified)
	// A21.1: dates in the wrong order: a clear error, nothing stored.
	r = paul.post(casePath+"/questionnaire/professional", map[string][]string{"employer_1": {"SRE"}, "function_1": {"analyste"},
		"from_1": {"2020-01-01"}, "until_1": {"2019-01-01"}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "until must be after") {
		t.Errorf("A21.1: dates out of order: %d\n%s", r.status, r.body)
	}
	sections := map[string]map[string][]string{
		"civil_status": {"surname": {"Kieffer"}, "given_names": {"Paul"}, "born": {"1980-04-02"}, "birthplace": {"Wiltz"},
			"nationalities": {"lu, be"}, "marital_status": {"married"}},
		"solvency":      {"debts": {"on"}, "debt_details": {"Prêt immobilier BCEE"}},
		"professional":  {"employer_1": {"SRE"}, "function_1": {"analyste"}, "from_1": {"2015-01-01"}},
		"reliability":   {},
		"vulnerability": {},
	}
	for name, form := range sections {
		if r := paul.post(casePath+"/questionnaire/"+name, form); r.status != http.StatusSeeOther {
			t.Fatalf("save %s: %d\n%s", name, r.status, r.body)
		}
	}
	if p := paul.get(casePath + "/questionnaire/solvency"); !strings.Contains(p.body, "Prêt immobilier BCEE") {
		t.Errorf("A25.1: the draft is not shown back to the person:\n%s", p.body)
	}
	for _, step := range []string{"sign", "consent"} {
		if r := paul.post(casePath+"/"+step, nil); r.status != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", step, r.status, r.body)
		}
	}
	// A25.1: the officer sees the stage, never an answer, and has no form of the answers.
	for _, path := range []string{casePath, "/ui/vetting-cases"} {
		p := anne.get(path)
		wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
		for _, answer := range []string{"Wiltz", "BCEE", "1980-04-02"} {
			if strings.Contains(p.body, answer) {
				t.Errorf("A25.1: %s shows the answer %q to the security officer", path, answer)
			}
		}
	}
	if b := anne.get(casePath).body; !strings.Contains(b, "questionnaire and consent signed") && !strings.Contains(b, "questionnaire et consentement signés") {
		t.Error("A25.1: the officer does not see the stage")
	}
	if p := anne.get(casePath + "/questionnaire/solvency"); p.status != http.StatusNotFound {
		t.Errorf("A25.1: the officer reads the person's answers: %d", p.status)
	}
	luc := e.as("luc", w.MinistryTerm.ID)
	if p := luc.get(casePath); p.status != http.StatusNotFound {
		t.Errorf("A25.1: another organisation's officer reads the case: %d", p.status)
	}
}
