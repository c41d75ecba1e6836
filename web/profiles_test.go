package web_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

// Rule profiles (A1.1) and the law's parameters (A17.1) through the API, each answer checked against openapi.json.
func TestProfilesAPI(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	tomorrow := e.now.Add(24 * time.Hour).Format(time.RFC3339)
	profile := func(version int, rules ...map[string]any) map[string]any {
		return map[string]any{"name": "SRE", "version": version, "scope": map[string]any{"organisations": []any{w.SRE.ID}},
			"note": "Instruction du directeur", "rules": rules}
	}
	law := map[string]any{"valid_from": tomorrow, "note": "Projet de loi 8651",
		"clearance_validity_years": map[string]int{"TOP_SECRET": 4, "SECRET": 8, "CONFIDENTIAL": 10, "RESTRICTED": 10},
		"levels": map[string]any{
			"TOP_SECRET":   map[string]string{"name": "TRES SECRET", "marking": "TRES SECRET LUX"},
			"SECRET":       map[string]string{"name": "SECRET", "marking": "SECRET LUX"},
			"CONFIDENTIAL": map[string]string{"name": "CONFIDENTIEL", "marking": "CONFIDENTIEL LUX"},
			"RESTRICTED":   map[string]string{"name": "RESTREINT", "marking": "RESTREINT LUX"}}}
	nato := "/api/pieces/" + string(w.NATO.ID) + "/obligations"
	for _, s := range []struct {
		name, key, method, route, path string
		body                           any
		status                         int
		rule                           string
	}{
		{"A1.1 the profiles", "tom", "GET", "/api/profiles", "/api/profiles", nil, 200, ""},
		{"A1.1 the EU profile's versions", "tom", "GET", "/api/profiles/{name}", "/api/profiles/EU", nil, 200, ""},
		{"A1.1 an unknown profile is 404", "tom", "GET", "/api/profiles/{name}", "/api/profiles/Nobody", nil, 404, ""},
		{"A1.1 destruction reports only from TRES SECRET are refused", "helene", "POST", "/api/profiles", "/api/profiles",
			profile(1, map[string]any{"kind": "destruction_report", "from": "TOP_SECRET"}), 403, "A1.1"},
		{"A1.1 a skip rule is refused", "helene", "POST", "/api/profiles", "/api/profiles",
			profile(1, map[string]any{"kind": "skip", "actions": []string{"destroy"}}), 403, "A1.1"},
		{"A1.1 an unknown level is refused", "helene", "POST", "/api/profiles", "/api/profiles",
			profile(1, map[string]any{"kind": "copy_number", "from": "ULTRA"}), 403, "A1.1"},
		{"A20.1 a holder records no profile", "tom", "POST", "/api/profiles", "/api/profiles",
			profile(1, map[string]any{"kind": "copy_number", "from": "SECRET"}), 403, "A20.1"},
		{"A1.1 a profile is recorded", "helene", "POST", "/api/profiles", "/api/profiles",
			profile(1, map[string]any{"kind": "copy_number", "from": "CONFIDENTIAL"},
				map[string]any{"kind": "refuse", "from": "SECRET", "actions": []string{"transmit"}, "reason": "à la main"}), 201, ""},
		{"A1.1 a gap in versions is refused", "helene", "POST", "/api/profiles", "/api/profiles",
			profile(3, map[string]any{"kind": "copy_number"}), 403, "A1.1"},
		{"A1.1 what a NATO SECRET copy comes with", "paul", "GET", "/api/pieces/{id}/obligations", nato + "?action=reproduce", nil, 200, ""},
		{"A1.1 the SRE's refusal of a transmission", "paul", "GET", "/api/pieces/{id}/obligations", nato + "?action=transmit", nil, 200, ""},
		{"an unknown action is 400", "paul", "GET", "/api/pieces/{id}/obligations", nato + "?action=print", nil, 400, ""},
		{"A9.1 the obligations of a hidden piece are 404", "lea", "GET", "/api/pieces/{id}/obligations", nato + "?action=read", nil, 404, ""},
		{"A6.1 SECRET is NATO SECRET", "tom", "GET", "/api/equivalence/{scheme}/{level}", "/api/equivalence/NATO/SECRET", nil, 200, ""},
		{"A6.1 a partner without an equivalent is refused", "tom", "GET", "/api/equivalence/{scheme}/{level}", "/api/equivalence/FR/RESTRICTED", nil, 403, "A6.1"},
		{"A6.1 an unknown level is 400", "tom", "GET", "/api/equivalence/{scheme}/{level}", "/api/equivalence/NATO/ULTRA", nil, 400, ""},
		{"A17.1 the law's parameters", "tom", "GET", "/api/law", "/api/law", nil, 200, ""},
		{"A20.1 a holder enters no reform", "tom", "POST", "/api/law", "/api/law", law, 403, "A20.1"},
		{"A17.1 a reform is entered with its date", "helene", "POST", "/api/law", "/api/law", law, 201, ""},
	} {
		t.Run(s.name, func(t *testing.T) {
			op, ok := ops[s.method+" "+s.route]
			if !ok {
				t.Fatalf("%s %s is not in openapi.json", s.method, s.route)
			}
			if s.body != nil {
				js, _ := json.Marshal(s.body)
				var v any
				if err := oaDecode(js, &v); err != nil {
					t.Fatal(err)
				}
				rb := oaMap(oaMap(oaMap(op["requestBody"])["content"])["application/json"])
				for _, err := range (&oaValidator{doc: doc}).check("request", rb["schema"], v) {
					t.Errorf("request body: %s", err)
				}
			}
			r := e.request(s.key, s.method, s.path, "application/json", s.body)
			wantStatus(t, r, s.status)
			oaCheckAnswer(t, doc, op, r)
			if s.rule != "" {
				var p struct{ Rule string }
				if err := json.Unmarshal(r.body, &p); err != nil || p.Rule != s.rule {
					t.Fatalf("problem %s, want rule %s", r.body, s.rule)
				}
			}
		})
	}
	// What the list and the reads say after the writes above.
	var ps struct {
		Items []struct {
			Name    string
			InForce bool `json:"in_force"`
		}
	}
	if err := json.Unmarshal(e.get("tom", "/api/profiles").body, &ps); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps.Items {
		names = append(names, p.Name)
	}
	if !slices.Equal(names, []string{"EU", "MAEE", "NATO", "SRE"}) {
		t.Fatalf("profiles %v, want EU, MAEE (the demo's), NATO and SRE", names)
	}
	var ob struct {
		Allowed     bool
		Rule        string
		Obligations []struct{ Duty, Profile string }
	}
	if err := json.Unmarshal(e.get("paul", nato+"?action=transmit").body, &ob); err != nil || ob.Allowed || ob.Rule != "A1.1" {
		t.Fatalf("A1.1 the SRE's transmission of a NATO SECRET piece: %+v %v", ob, err)
	}
	var l struct {
		InForce  struct{ Version int } `json:"in_force"`
		Versions []struct{ Version int }
	}
	if err := json.Unmarshal(e.get("tom", "/api/law").body, &l); err != nil || l.InForce.Version != 1 || len(l.Versions) != 2 {
		t.Fatalf("A17.1 a reform entering into force tomorrow is not in force today: %+v %v", l, err)
	}
}
