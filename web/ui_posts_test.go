package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// The pages of posts and exemptions (issue 20, A14.1, A16.1): the ministry's security officer sees the contract with
// Nina flagged, on his agenda too, and assigns from the contract's page; the forms are offered only to security
// officers and the NSA; the register of exemptions is the NSA's.
func TestUI_Posts(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	luc := e.as("luc", w.MinistryTerm.ID)

	if p := luc.get("/ui/"); !strings.Contains(p.body, `id="agenda-uncleared-`+string(w.NinaOnDeal.ID)+`"`) {
		t.Errorf("A14.1: nina's flag is not on luc's agenda:\n%s", p.body)
	}
	p := luc.get("/ui/contracts/" + string(w.Contract.ID))
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !strings.Contains(p.body, `id="flag-`+string(w.NinaOnDeal.ID)+`"`) || !strings.Contains(p.body, "A14.1") {
		t.Errorf("A14.1: the contract's page does not flag nina:\n%s", p.body)
	}
	if !strings.Contains(p.body, `href="/ui/assignments/new?contract=`+string(w.Contract.ID)+`"`) {
		t.Errorf("the contract's page does not offer to assign:\n%s", p.body)
	}
	if !strings.Contains(p.body, `id="end-`+string(w.NinaOnDeal.ID)+`"`) {
		t.Errorf("A14.1: the contract's page does not offer to end nina's assignment:\n%s", p.body)
	}
	p = luc.get("/ui/assignments?flagged=true")
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !strings.Contains(p.body, w.Nina.Name) || strings.Contains(p.body, w.Lea.Name) {
		t.Errorf("A14.1: the flagged list must name nina and not léa:\n%s", p.body)
	}
	if r := luc.post("/ui/assignments/"+string(w.NinaOnDeal.ID)+"/end", nil); r.status != http.StatusSeeOther {
		t.Fatalf("end nina's assignment: %d\n%s", r.status, r.body)
	}
	if p := luc.get("/ui/"); strings.Contains(p.body, `id="agenda-uncleared-`) {
		t.Errorf("A14.1: nina's assignment ended, her flag stays on luc's agenda:\n%s", p.body)
	}
	wantPage(t, luc.get("/ui/posts/new"), http.StatusOK, "UNCLASSIFIED", unclassified)
	r := luc.post("/ui/posts", map[string][]string{"organisation_id": {string(w.Ministry.ID)}, "title": {"Chiffreur"}, "level": {"SECRET"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("record a post: %d\n%s", r.status, r.body)
	}
	// The SRE's post is not luc's to know (404, as if it did not exist).
	if p := luc.get("/ui/posts/" + string(w.AnalystPost.ID)); p.status != http.StatusNotFound {
		t.Errorf("A14.1: luc reads the SRE's post: %d", p.status)
	}
	if p := luc.get("/ui/exemptions/new"); p.status != http.StatusForbidden {
		t.Errorf("A20.1: the exemptions' form offered to a security officer: %d", p.status)
	}

	tom := e.as("tom", w.MinistryTerm.ID)
	if p := tom.get("/ui/posts/new"); p.status != http.StatusForbidden || !strings.Contains(p.body, "A14.1") {
		t.Errorf("A14.1: the post form offered to one who is no security officer: %d", p.status)
	}
	if p := tom.get("/ui/posts"); strings.Contains(p.body, `href="/ui/posts/new"`) {
		t.Errorf("A14.1: the posts page links to a form tom may not use:\n%s", p.body)
	}

	helene := e.as("helene", w.ZoneTerm.ID)
	p = helene.get("/ui/exemptions")
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !strings.Contains(p.body, w.Minister.Name) || !strings.Contains(p.body, `href="/ui/exemptions/members/new"`) {
		t.Errorf("A14.1: the register of exemptions does not show the minister or the form:\n%s", p.body)
	}
	r = helene.post("/ui/exemptions/members", map[string][]string{"category": {string(w.Government.ID)}, "person_id": {string(w.Tom.ID)},
		"reference": {"Arrêté grand-ducal"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("record a member: %d\n%s", r.status, r.body)
	}
}
