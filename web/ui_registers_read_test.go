package web_test

import (
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

// Issue 18 §0, through the pages (no browser: httptest and the HTML): the registers one can read, names in place of
// IDs, and forms offered only to who may use them.

// "forms are offered to people the API will refuse": a link to a form is shown only to who may use it, and the
// form's page answers the refusal, with its rule and audit entry, to anyone else.
func TestUI_forms_offered_only_to_who_may(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	nina := e.as("nina", w.OfficeTerm.ID)
	helene := e.as("helene", w.ZoneTerm.ID)
	paul := e.as("paul", w.OfficeTerm.ID)
	sophie := e.as("sophie", w.ZoneTerm.ID)
	director := e.as("director", w.ZoneTerm.ID)
	luc := e.as("luc", w.MinistryTerm.ID)

	links := []struct {
		name       string
		page, link string
		with, not  *browser
	}{
		{"A20.1 the officers' form in the index of registers", "/ui/registers", `href="/ui/security-officers/new"`, helene, nina},
		{"A20.1 the persons' form on the register", "/ui/persons", `href="/ui/persons/new"`, helene, nil},
		{"A20.1 the organisations' form on the register", "/ui/organisations", `href="/ui/organisations/new"`, helene, nina},
		{"A20.1 the channels' form on the register", "/ui/channels", `href="/ui/channels/new"`, helene, nina},
		{"A20.1 the equivalence form", "/ui/equivalence", `id="equivalence-new"`, helene, nina},
		{"A5.1 classification in the navigation", "/ui/", `id="nav-classify"`, paul, nina},
		{"A5.1 classification on the list of pieces", "/ui/pieces", `id="classify-link"`, paul, sophie},
		{"A9.2 places on the register", "/ui/places", `href="/ui/places/new"`, luc, helene},
		{"A9.2 terminals on the register", "/ui/terminals", `href="/ui/terminals/new"`, luc, nina},
		{"A9.1 grants on a piece's page", "/ui/pieces/" + string(w.TopSecret.ID), `id="grant-link"`, director, sophie},
		{"A20.1 a clearance from a person's file", "/ui/persons/" + string(w.Tom.ID), `href="/ui/clearances/new?`, helene, luc},
		{"A5.1 delegations on the register of authorities", "/ui/authorities", `href="/ui/delegations/new"`, director, paul},
	}
	for _, l := range links {
		t.Run(l.name, func(t *testing.T) {
			if p := l.with.get(l.page); p.status != http.StatusOK || !strings.Contains(p.body, l.link) {
				t.Errorf("%s: who may use the form does not see %s (%d)", l.page, l.link, p.status)
			}
			if l.not == nil {
				return
			}
			if p := l.not.get(l.page); p.status != http.StatusOK || strings.Contains(p.body, l.link) {
				t.Errorf("%s: who may not use the form sees %s (%d)", l.page, l.link, p.status)
			}
		})
	}
	forms := []struct {
		path, rule string
		b          *browser
	}{
		{"/ui/organisations/new", "A20.1", nina}, {"/ui/persons/new", "A20.1", luc}, {"/ui/security-officers/new", "A20.1", director},
		{"/ui/clearances/new", "A20.1", luc}, {"/ui/authorities/new", "A20.1", paul}, {"/ui/channels/new", "A20.1", nina},
		{"/ui/equivalence/new", "A20.1", sophie}, {"/ui/places/new", "A9.2", helene}, {"/ui/terminals/new", "A9.2", paul},
		{"/ui/pieces/new", "A5.1", sophie}, {"/ui/dossiers/new", "A5.1", luc}, {"/ui/grants/new", "A9.1", sophie},
		{"/ui/delegations/new", "A5.1", paul}, {"/ui/accounts/new", "AUTH.ADMIN", helene},
	}
	for _, f := range forms {
		t.Run(f.rule+" "+f.path+" answers the refusal", func(t *testing.T) {
			p := f.b.get(f.path)
			if p.status != http.StatusForbidden || !strings.Contains(p.body, `id="problem-rule">`+f.rule+`<`) || !strings.Contains(p.body, `id="problem-audit"`) {
				t.Errorf("%s: %d, want 403 naming %s and its audit entry\n%s", f.path, p.status, f.rule, p.body)
			}
			if strings.Contains(p.body, `<form method="post" action="`+f.path) {
				t.Errorf("%s: the refused form is shown", f.path)
			}
		})
	}
}

// "a dossier raised by a higher part (A4.2) shows its new level nowhere": the dossier's page shows its level, the
// parts one may know and the history of its level, and lets its authority set it.
func TestUI_dossier_page_A4_2(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	sophie := e.as("sophie", w.ZoneTerm.ID)
	paul := e.as("paul", w.OfficeTerm.ID)
	tom := e.as("tom", w.MinistryTerm.ID)
	path := "/ui/dossiers/" + string(w.Dossier.ID)

	p := sophie.get(path)
	wantPage(t, p, http.StatusOK, "SECRET", "SECRET LUX")
	for _, want := range []string{template.HTMLEscapeString(w.PartA.Title), template.HTMLEscapeString(w.PartB.Title), `id="dossier-levels-list"`,
		template.HTMLEscapeString(w.PaulAuth.Title)} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the dossier's page lacks %q", want)
		}
	}
	if v := visible(p.body); strings.Contains(v, string(w.PaulAuth.ID)) || strings.Contains(v, string(w.SRE.ID)) {
		t.Errorf("the dossier's page shows raw IDs where names are expected")
	}
	if strings.Contains(p.body, path+"/level") {
		t.Errorf("A5.2 the level form is offered to who holds no authority for the dossier")
	}
	if l := sophie.get("/ui/dossiers"); !strings.Contains(l.body, path) {
		t.Errorf("the list of dossiers lacks the dossier its grantee knows")
	}

	t.Run("A9.1 a dossier one may not know is the missing one's page", func(t *testing.T) {
		hidden, missing := tom.get(path), tom.get("/ui/dossiers/"+string(cleared.NewDossierID()))
		if hidden.status != http.StatusNotFound || hidden.body != missing.body {
			t.Errorf("hidden dossier %d, reads differently from a missing one", hidden.status)
		}
		if l := tom.get("/ui/dossiers"); strings.Contains(l.body, path) {
			t.Errorf("tom's list shows a dossier he may not know")
		}
	})
	t.Run("A4.2 its authority sets the level; below its highest part is refused", func(t *testing.T) {
		if p := paul.get(path); !strings.Contains(p.body, `href="`+path+`/level"`) {
			t.Fatalf("the level form is not offered to the dossier's authority")
		}
		paul.get(path + "/level")
		r := paul.post(path+"/level", url.Values{"level": {"RESTRICTED"}, "reason": {"trop bas"}})
		if r.status != http.StatusForbidden || !strings.Contains(r.body, `id="problem-rule">A4.2<`) {
			t.Errorf("below its highest part: %d\n%s", r.status, r.body)
		}
		paul.get(path + "/level")
		r = paul.post(path+"/level", url.Values{"level": {"CONFIDENTIAL"}, "reason": {"réexamen"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("to its highest part: %d\n%s", r.status, r.body)
		}
		p := paul.get(path)
		wantPage(t, p, http.StatusOK, "CONFIDENTIAL", "CONFIDENTIEL LUX")
		if !strings.Contains(p.body, "réexamen") {
			t.Errorf("the history lacks the change and its reason")
		}
		if f := sophie.get(path + "/level"); f.status != http.StatusForbidden {
			t.Errorf("the level form to who may not set it: %d", f.status)
		}
	})
}

// "the UI shows raw IDs (aut_…, org_…, per_…) where a person expects names": the pages name what they show, and
// a name the reader may not know is not revealed.
func TestUI_names_not_IDs(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	sophie := e.as("sophie", w.ZoneTerm.ID)
	nina := e.as("nina", w.OfficeTerm.ID)
	helene := e.as("helene", w.ZoneTerm.ID)

	p := sophie.get("/ui/pieces/" + string(w.Secret.ID))
	wantPage(t, p, http.StatusOK, "SECRET", "SECRET LUX")
	for _, id := range []string{string(w.Secret.Originator), string(w.Secret.OrganisationID), string(w.Secret.CreatedBy)} {
		if strings.Contains(visible(p.body), id) {
			t.Errorf("the piece's page shows the raw ID %s", id)
		}
	}
	if !strings.Contains(p.body, template.HTMLEscapeString(w.MinisterAuth.Title)) {
		t.Errorf("the piece's page does not name its originator")
	}
	if a := nina.get("/ui/authorities"); strings.Contains(a.body, template.HTMLEscapeString(w.Director.Name)) ||
		strings.Contains(a.body, string(w.Director.ID)) || !strings.Contains(a.body, "non affiché") {
		t.Errorf("A23.1 the register of authorities reveals a person nina may not know, or shows his ID")
	}
	if a := helene.get("/ui/authorities"); !strings.Contains(a.body, template.HTMLEscapeString(w.Director.Name)) {
		t.Errorf("the NSA officer is not shown the authority's holder by name")
	}
	if ps := helene.get("/ui/persons"); strings.Contains(visible(ps.body), string(w.SRE.ID)) || !strings.Contains(ps.body, template.HTMLEscapeString(w.SRE.Name)) {
		t.Errorf("the register of persons shows organisations by ID")
	}
	for _, path := range []string{"/ui/grants", "/ui/clearances", "/ui/delegations", "/ui/delegations/" + string(w.Delegation.ID)} {
		if g := sophie.get(path); g.status != http.StatusOK || strings.Contains(visible(g.body), "per_") || strings.Contains(visible(g.body), "aut_") {
			t.Errorf("%s: %d, or raw IDs of persons or authorities", path, g.status)
		}
	}
}

var tag = regexp.MustCompile(`<[^>]*>`)

// visible is the text of a page a reader sees: without its tags and their attributes (link targets name IDs).
func visible(body string) string { return tag.ReplaceAllString(body, " ") }

// "Dates given as YYYY-MM-DD are accepted where a day is meant, or refused with a sentence": the forms take a day
// and refuse anything else with the field's name and the form of a day, never a parser's message.
func TestUI_form_dates(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	director := e.as("director", w.ZoneTerm.ID)
	director.get("/ui/grants/new?piece=" + string(w.TopSecret.ID))
	bad := director.post("/ui/grants", url.Values{"person_id": {string(w.Anne.ID)}, "piece": {string(w.TopSecret.ID)},
		"until": {"31/03/2027"}, "reason": {"lecture"}})
	if bad.status != http.StatusBadRequest || !strings.Contains(bad.body, "AAAA-MM-JJ") || strings.Contains(bad.body, "parsing time") {
		t.Errorf("a date not YYYY-MM-DD: %d\n%s", bad.status, bad.body)
	}
	director.get("/ui/grants/new?piece=" + string(w.TopSecret.ID))
	good := director.post("/ui/grants", url.Values{"person_id": {string(w.Anne.ID)}, "piece": {string(w.TopSecret.ID)},
		"until": {e.now().AddDate(1, 0, 0).Format("2006-01-02")}, "reason": {"lecture"}})
	if good.status != http.StatusSeeOther {
		t.Errorf("a day as YYYY-MM-DD: %d\n%s", good.status, good.body)
	}
}
