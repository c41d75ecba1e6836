package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// The pages of incidents: anyone signed in is offered the report form (A13.1, A13.2); the case shows the warnings
// and their e-mails; the warned acknowledges from his agenda; the security officer is offered the investigation's
// forms and closes the case once its findings and the head's notice are recorded (A13.3); a stranger gets 404.
func TestUI_Incidents(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	sophie := e.as("sophie", w.ZoneTerm.ID)
	if p := sophie.get("/ui/registers"); !strings.Contains(p.body, `href="/ui/incidents"`) {
		t.Fatal("the registers do not lead to the incidents")
	}
	// Whoever may see a piece may report about it: its page leads to the form, filled in.
	if p := sophie.get("/ui/pieces/" + string(w.TopSecret.ID)); !strings.Contains(p.body, `/ui/incidents/new?object_kind=piece&amp;object=`+string(w.TopSecret.ID)) {
		t.Fatalf("the piece page does not lead to the report form:\n%s", p.body)
	}
	f := sophie.get("/ui/incidents/new?object_kind=piece&object=" + string(w.TopSecret.ID))
	wantPage(t, f, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !strings.Contains(f.body, `value="`+string(w.TopSecret.ID)+`"`) {
		t.Errorf("the report form is not filled in with the piece:\n%s", f.body)
	}
	r := sophie.post("/ui/incidents", map[string][]string{"kind": {"compromise"}, "object_kind": {"piece"},
		"object": {string(w.TopSecret.ID)}, "description": {"the printout was left on the train"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("report: %d\n%s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	caseURL, _, _ := strings.Cut(loc, "?")
	if !strings.HasPrefix(caseURL, "/ui/incidents/inc_") {
		t.Fatalf("Location %q", loc)
	}
	p := sophie.get(caseURL)
	if p.status != http.StatusOK || strings.Contains(p.body, `id="notifications"`) || !strings.Contains(p.body, `id="incident-state"`) {
		t.Fatalf("the reporter's page:\n%s", p.body)
	}
	anne := e.as("anne", w.ZoneTerm.ID)
	dash := anne.get("/ui/")
	if !strings.Contains(dash.body, `data-kind="incident"`) || !strings.Contains(dash.body, caseURL+"/acknowledge") {
		t.Fatalf("A13.1: the warning is not on the officer's agenda with its acknowledgement:\n%s", dash.body)
	}
	p = anne.get(caseURL)
	for _, want := range []string{`id="notifications"`, "anne.muller@sre.example.lu", "helene.weber@ans.example.lu", caseURL + "/findings", caseURL + "/close"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the officer's case lacks %q", want)
		}
	}
	if r := anne.post(caseURL+"/acknowledge", nil); r.status != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d\n%s", r.status, r.body)
	}
	if dash := anne.get("/ui/"); strings.Contains(dash.body, `data-kind="incident"`) {
		t.Error("an acknowledged warning stays on the agenda")
	}
	// A13.3: closing without findings is refused, naming the rule.
	if r := anne.post(caseURL+"/close", nil); r.status != http.StatusForbidden || !strings.Contains(r.body, "A13.3") {
		t.Fatalf("close without findings: %d\n%s", r.status, r.body)
	}
	wantPage(t, anne.get(caseURL+"/findings"), http.StatusOK, "UNCLASSIFIED", unclassified)
	for form, values := range map[string]map[string][]string{
		"notes":       {"text": {"heard Sophie"}},
		"findings":    {"text": {"recovered sealed"}},
		"head-notice": {"name": {"the Director of the SRE"}, "how": {"letter"}},
	} {
		if r := anne.post(caseURL+"/"+form, values); r.status != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", form, r.status, r.body)
		}
	}
	if r := anne.post(caseURL+"/close", nil); r.status != http.StatusSeeOther {
		t.Fatalf("close: %d\n%s", r.status, r.body)
	}
	if p := sophie.get(caseURL); !strings.Contains(p.body, "clos") {
		t.Error("the reporter does not see his report closed")
	}
	tom := e.as("tom", w.MinistryTerm.ID)
	if p := tom.get(caseURL); p.status != http.StatusNotFound {
		t.Errorf("a stranger reads the case: %d", p.status)
	}
	if p := tom.get(caseURL + "/notes"); p.status != http.StatusNotFound {
		t.Errorf("a stranger opens the case's form: %d", p.status)
	}
}
