package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The pages of copies: the piece page leads to them; "make a copy" is offered only where the policy would allow it
// (a TOP SECRET piece without consent offers the consent request instead, A9.4); the originator approves from the
// page; the copy is then offered, made and numbered; an inventory reports what is missing (A13.1).
func TestUI_Copies(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	ts := string(w.TopSecret.ID)
	sophie := e.as("sophie", w.ZoneTerm.ID)

	p := sophie.get("/ui/pieces/" + ts)
	if !strings.Contains(p.body, `href="/ui/pieces/`+ts+`/copies"`) {
		t.Fatalf("the piece page does not lead to its copies:\n%s", p.body)
	}
	p = sophie.get("/ui/pieces/" + ts + "/copies")
	wantPage(t, p, http.StatusOK, "TOP_SECRET", w.TopSecret.Marking())
	if strings.Contains(p.body, "/copies/new") || !strings.Contains(p.body, "/copy-requests/new") {
		t.Fatalf("A9.4: without consent the page must offer the request, not the copy:\n%s", p.body)
	}
	wantPage(t, sophie.get("/ui/pieces/"+ts+"/copy-requests/new"), http.StatusOK, "TOP_SECRET", w.TopSecret.Marking())
	r := sophie.post("/ui/pieces/"+ts+"/copy-requests", map[string][]string{"copies": {"1"}, "reason": {"briefing"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("request: %d\n%s", r.status, r.body)
	}

	director := e.as("director", w.ZoneTerm.ID)
	if p := director.get("/ui/"); !strings.Contains(p.body, `data-kind="copy_request"`) {
		t.Errorf("A9.4: the pending request is not on the originator's agenda:\n%s", p.body)
	}
	p = director.get("/ui/copy-requests")
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	approve := regexp.MustCompile(`action="(/ui/copy-requests/cpr_[a-z2-7]+/approve)"`).FindStringSubmatch(p.body)
	if approve == nil {
		t.Fatalf("the originator is not offered to approve:\n%s", p.body)
	}
	if r := director.post(approve[1], nil); r.status != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", r.status, r.body)
	}
	// The requester is not offered to decide his own request.
	if p := sophie.get("/ui/copy-requests"); strings.Contains(p.body, "/approve") {
		t.Errorf("the requester is offered to approve:\n%s", p.body)
	}

	p = sophie.get("/ui/pieces/" + ts + "/copies")
	if !strings.Contains(p.body, "/copies/new") {
		t.Fatalf("A9.4: with consent the page must offer the copy:\n%s", p.body)
	}
	wantPage(t, sophie.get("/ui/pieces/"+ts+"/copies/new"), http.StatusOK, "TOP_SECRET", w.TopSecret.Marking())
	if r := sophie.post("/ui/pieces/"+ts+"/copies", map[string][]string{"copies": {"1"}, "reason": {"briefing"}}); r.status != http.StatusSeeOther {
		t.Fatalf("copy: %d\n%s", r.status, r.body)
	}
	p = sophie.get("/ui/pieces/" + ts + "/copies")
	if !strings.Contains(p.body, "1 / 1") {
		t.Errorf("the copy is not shown numbered 1 / 1:\n%s", p.body)
	}
	// A second copy beyond the consent is refused with the rule, on the form.
	r = sophie.post("/ui/pieces/"+ts+"/copies", map[string][]string{"copies": {"1"}, "reason": {"again"}})
	if r.status != http.StatusForbidden || !strings.Contains(r.body, `id="problem-rule">A9.4<`) {
		t.Errorf("a copy beyond the consent: %d\n%s", r.status, r.body)
	}

	// A13.1: the security officer counts Sophie's copy missing.
	anne := e.as("anne", w.ZoneTerm.ID)
	wantPage(t, anne.get("/ui/inventories"), http.StatusOK, "UNCLASSIFIED", unclassified)
	wantPage(t, anne.get("/ui/inventories/new"), http.StatusOK, "UNCLASSIFIED", unclassified)
	r = anne.post("/ui/inventories", map[string][]string{"holder": {string(w.Sophie.ID)}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("open inventory: %d\n%s", r.status, r.body)
	}
	inv := strings.Split(r.header.Get("Location"), "?")[0]
	p = anne.get(inv)
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	if r := anne.post(inv+"/items/1/missing", nil); r.status != http.StatusSeeOther {
		t.Fatalf("check: %d\n%s", r.status, r.body)
	}
	anne.get(inv)
	if r := anne.post(inv+"/close", nil); r.status != http.StatusSeeOther {
		t.Fatalf("close: %d\n%s", r.status, r.body)
	}
	p = anne.get(inv)
	if strings.Contains(p.body, "/close") || !strings.Contains(p.body, "<td>1</td>") {
		t.Errorf("the closed inventory does not show one item missing:\n%s", p.body)
	}
}
