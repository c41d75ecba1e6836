package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Level and marking names are exact after Unicode normalisation, wherever one is accepted, and names and titles
// refuse bidirectional controls: 400 with a sentence saying what is wrong, and nothing registered.
func TestNames_LevelsMarkingsAndTitlesExact(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	piece := func(edit func(map[string]any)) map[string]any {
		p := newPiece(w.PaulAuth, "RESTRICTED", "Note")
		edit(p)
		return p
	}
	cases := []struct {
		name, key, path string
		body            any
		says            string
	}{
		{"A4.1 level with a space before", "paul", "/api/pieces", piece(func(p map[string]any) { p["level"] = " SECRET" }), "begins or ends with a space"},
		{"A4.1 level with a newline after", "paul", "/api/pieces", piece(func(p map[string]any) { p["level"] = "CONFIDENTIAL\n" }), "one line"},
		{"A4.1 level with two spaces", "paul", "/api/pieces", piece(func(p map[string]any) { p["level"] = "TRES  SECRET" }), "two spaces in a row"},
		{"A4.1 level of a clearance", "helene", "/api/clearances", map[string]any{"holder_kind": "person", "person_id": w.Nina.ID, "level": "RESTRICTED ",
			"issued": "2026-01-01T00:00:00Z", "reference": "ANS-PSC-2026-0998"}, "begins or ends with a space"},
		{"A6.1 foreign marking with two spaces", "paul", "/api/pieces", piece(func(p map[string]any) { p["level"] = "SECRET"; p["foreign_marking"] = "NATO  SECRET" }),
			"two spaces in a row"},
		{"A6.1 foreign marking with a space before", "paul", "/api/pieces", piece(func(p map[string]any) { p["level"] = "SECRET"; p["foreign_marking"] = " NATO SECRET" }),
			"begins or ends with a space"},
		{"A6.1 equivalence table marking with two spaces", "helene", "/api/equivalence",
			map[string]any{"note": "x", "schemes": map[string]map[string]string{"NATO": {"SECRET": "NATO  SECRET"}}}, "two spaces in a row"},
		{"A6.1 equivalence table marking with a bidi override", "helene", "/api/equivalence",
			map[string]any{"note": "x", "schemes": map[string]map[string]string{"FR": {"SECRET": "SECRET \u202eRF"}}}, "bidirectional control"},
		{"piece title with a bidi override", "paul", "/api/pieces", piece(func(p map[string]any) { p["title"] = "Rapport \u202egnp.exe" }), "bidirectional control character (U+202E)"},
		{"organisation name with a bidi isolate", "helene", "/api/organisations", map[string]any{"name": "Entreprise \u2066X\u2069", "kind": "company", "country": "LU"},
			"bidirectional control character (U+2066)"},
		{"person name on two lines", "helene", "/api/persons", map[string]any{"organisation_id": w.SRE.ID, "name": "Eva\nLang"}, "one line"},
		{"place name with a bidi embedding", "anne", "/api/places", map[string]any{"organisation_id": w.SRE.ID, "name": "Salle \u202bC1",
			"accredited_level": "SECRET"}, "bidirectional control"},
		{"dossier title with a bidi override", "director", "/api/dossiers", map[string]any{"authority": w.DirectorAuth.ID, "title": "\u202dDossier",
			"level": "SECRET"}, "bidirectional control"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.post(tc.key, tc.path, tc.body)
			p := wantProblem(t, r, http.StatusBadRequest, "")
			if !strings.Contains(p.Detail, tc.says) {
				t.Errorf("detail %q, want it to say %q", p.Detail, tc.says)
			}
		})
	}
}

func TestUI_NamesExact(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	helene := e.as("helene", w.ZoneTerm.ID)
	cases := []struct {
		name, form, action string
		values             url.Values
	}{
		{"A4.1 clearance level with a space after", "/ui/clearances/new", "/ui/clearances", url.Values{"holder_kind": {"person"},
			"person_id": {string(w.Nina.ID)}, "level": {"RESTRICTED "}, "issued": {"2026-01-01"}, "reference": {"ANS-PSC-2026-0997"}}},
		{"A6.1 equivalence marking with two spaces", "/ui/equivalence/new", "/ui/equivalence", url.Values{"note": {"x"},
			"m.NATO.SECRET": {"NATO  SECRET"}, "m.NATO.TOP_SECRET": {"COSMIC TOP SECRET"}}},
		{"A6.1 equivalence marking with a space before", "/ui/equivalence/new", "/ui/equivalence", url.Values{"note": {"x"},
			"m.NATO.SECRET": {" NATO SECRET"}, "m.NATO.TOP_SECRET": {"COSMIC TOP SECRET"}}},
		{"person name with a bidi override", "/ui/persons/new", "/ui/persons", url.Values{"organisation_id": {string(w.SRE.ID)},
			"name": {"Eva \u202eLang"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			helene.get(tc.form)
			if p := helene.post(tc.action, tc.values); p.status != http.StatusBadRequest {
				t.Errorf("answered %d, want 400\n%s", p.status, p.body)
			}
		})
	}
}
