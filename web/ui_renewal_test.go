package web_test

import (
	"html"
	"net/http"
	"strings"
	"testing"
)

// A17.1 (issue 20): tom's clearance expires in three months; luc, his security officer, finds on his agenda the
// link to the vetting case form prefilled for tom's renewal, and the form opens prefilled.
func TestUI_RenewalAgenda_A17_1(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	luc := e.as("luc", w.MinistryTerm.ID)
	href := "/ui/vetting-cases/new?kind=renewal&person_id=" + string(w.Tom.ID)
	p := luc.get("/ui/")
	if !strings.Contains(p.body, `href="`+html.EscapeString(href)+`" id="agenda-renewal-`) {
		t.Fatalf("A17.1: tom's renewal is not on luc's agenda:\n%s", p.body)
	}
	f := luc.get(href)
	wantPage(t, f, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !strings.Contains(f.body, `value="`+string(w.Tom.ID)+`"`) || !strings.Contains(f.body, `<option value="renewal" selected>`) {
		t.Errorf("the form is not prefilled with tom and a renewal:\n%s", f.body)
	}
}
