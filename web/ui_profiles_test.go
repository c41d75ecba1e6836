package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The page of rule profiles and the law's parameters (A1.1, A17.1), and its forms, offered to NSA officers only.
func TestUI_Profiles(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	helene := e.as("helene", w.ZoneTerm.ID)
	tom := e.as("tom", w.MinistryTerm.ID)
	p := helene.get("/ui/profiles")
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	for _, want := range []string{`id="profile-EU"`, `id="profile-NATO"`, `id="profile-new"`, `id="law-new"`, `id="law-version">1<`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the NSA's page lacks %s", want)
		}
	}
	p = tom.get("/ui/profiles")
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !strings.Contains(p.body, `id="profile-EU"`) || strings.Contains(p.body, `id="profile-new"`) || strings.Contains(p.body, `id="law-new"`) {
		t.Errorf("A20.1 a holder sees the profiles and is offered no form:\n%s", p.body)
	}
	for _, path := range []string{"/ui/profiles/new", "/ui/law/new"} {
		wantPage(t, helene.get(path), http.StatusOK, "UNCLASSIFIED", unclassified)
	}
	relaxing := `{"name": "SRE", "version": 1, "effective_from": "2026-01-01T00:00:00Z", "scope": {"organisations": ["` + string(w.SRE.ID) + `"]},
		"rules": [{"kind": "destruction_report", "from": "TOP_SECRET"}]}`
	helene.get("/ui/profiles/new")
	p = helene.post("/ui/profiles", url.Values{"document": {relaxing}})
	wantPage(t, p, http.StatusForbidden, "UNCLASSIFIED", unclassified)
	if !strings.Contains(p.body, `id="problem-rule">A1.1<`) || !strings.Contains(p.body, "destruction_report") {
		t.Errorf("A1.1 the refusal is not shown with its rule and what was typed:\n%s", p.body)
	}
	helene.get("/ui/profiles/new")
	p = helene.post("/ui/profiles", url.Values{"document": {strings.Replace(relaxing, "TOP_SECRET", "CONFIDENTIAL", 1)}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/profiles?ok=profile" {
		t.Fatalf("A1.1 a stricter profile: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	if p = helene.get("/ui/profiles?ok=profile"); !strings.Contains(p.body, `id="profile-SRE"`) || !strings.Contains(p.body, `id="notice"`) {
		t.Errorf("the recorded profile is not shown:\n%s", p.body)
	}
	reform := `{"valid_from": "` + e.now().Add(24*time.Hour).Format(time.RFC3339) + `", "note": "Projet de loi 8651",
		"clearance_validity_years": {"TOP_SECRET": 4, "SECRET": 10, "CONFIDENTIAL": 10, "RESTRICTED": 10},
		"levels": {"TOP_SECRET": {"name": "TRES SECRET", "marking": "TRES SECRET LUX"}, "SECRET": {"name": "SECRET", "marking": "SECRET LUX"},
		"CONFIDENTIAL": {"name": "CONFIDENTIEL", "marking": "CONFIDENTIEL LUX"}, "RESTRICTED": {"name": "RESTREINT", "marking": "RESTREINT LUX"}}}`
	helene.get("/ui/law/new")
	p = helene.post("/ui/law", url.Values{"document": {reform}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("A17.1 the reform: %d\n%s", p.status, p.body)
	}
	// A17.1: entered today, the reform is listed and not yet in force.
	if p = helene.get("/ui/profiles"); !strings.Contains(p.body, "Projet de loi 8651") || !strings.Contains(p.body, `id="law-version">1<`) {
		t.Errorf("the reform is not listed beside the law in force:\n%s", p.body)
	}
	tom.get("/ui/law/new")
	p = tom.post("/ui/law", url.Values{"document": {reform}})
	wantPage(t, p, http.StatusForbidden, "UNCLASSIFIED", unclassified)
}
