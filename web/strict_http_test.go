package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Strict JSON (design/api.md): a key given twice, or a field named in another letter case, is refused with 400
// before anything happens, at every depth; today's encoding/json would take the last duplicate and accept
// {"NAME":…}. Nothing is created: the register lists the same before and after.
func TestStrictJSON_DuplicateAndCaseVariantKeysAre400(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	org := `"kind":"company","country":"LU"`
	cases := []struct {
		name, key, path, body, detail string
	}{
		{"duplicate key, the last one valid", "helene", "/api/organisations", `{"name":"","name":"Entreprise",` + org + `}`,
			`field "name" is given more than once`},
		{"duplicate key, both the same", "helene", "/api/organisations", `{"name":"Entreprise","name":"Entreprise",` + org + `}`,
			`field "name" is given more than once`},
		{"field name in upper case", "helene", "/api/organisations", `{"NAME":"Entreprise",` + org + `}`,
			`unknown field "NAME": names are case-sensitive, write "name"`},
		{"field name capitalised", "helene", "/api/organisations", `{"Name":"Entreprise",` + org + `}`, `write "name"`},
		{"duplicate level of a piece", "paul", "/api/pieces", `{"authority":"` + string(w.PaulAuth.ID) + `","title":"T","level":"RESTRICTED","level":"TOP_SECRET","reasons":["a"]}`,
			`field "level" is given more than once`},
		{"duplicate in a nested object", "helene", "/api/equivalence", `{"note":"x","schemes":{"NATO":{"SECRET":"NATO SECRET","SECRET":"NATO TOP"}}}`,
			`field "schemes.NATO.SECRET" is given more than once`},
		{"duplicate scheme", "helene", "/api/equivalence", `{"note":"x","schemes":{"NATO":{"SECRET":"NATO SECRET"},"NATO":{"SECRET":"X"}}}`,
			`field "schemes.NATO" is given more than once`},
		{"two keys naming one level in a nested object", "helene", "/api/equivalence", `{"note":"x","schemes":{"NATO":{"SECRET":"NATO SECRET","secret":"X"}}}`,
			`keys "schemes.NATO.SECRET" and "schemes.NATO.secret" name the same key`},
		{"nested field in another case", "helene", "/api/equivalence", `{"Note":"x","schemes":{}}`, `write "note"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.get(tc.key, tc.path)
			r := e.post(tc.key, tc.path, tc.body)
			p := wantProblem(t, r, http.StatusBadRequest, "")
			if !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("detail %q, want it to say %q", p.Detail, tc.detail)
			}
			if after := e.get(tc.key, tc.path); string(after.body) != string(before.body) {
				t.Errorf("the refused body changed the register")
			}
		})
	}
}

// The same rule for the UI's forms: a field given twice is refused with 400, in the body or in the query;
// only the checkboxes of one field (roles, reasons, scopes) come more than once.
func TestUI_FormFieldGivenTwiceIs400(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	helene := e.as("helene", w.ZoneTerm.ID)
	persons := helene.get("/ui/persons").body

	helene.get("/ui/persons/new")
	p := helene.post("/ui/persons", url.Values{"organisation_id": {string(w.SRE.ID)}, "name": {"", "Eva Lang"}, "roles": {"auditor"}})
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, "name") {
		t.Errorf("a name given twice: %d\n%s", p.status, p.body)
	}
	helene.get("/ui/persons/new")
	p = helene.post("/ui/persons?name=Eva+Lang", url.Values{"organisation_id": {string(w.SRE.ID)}, "name": {"Eva Lang"}})
	if p.status != http.StatusBadRequest {
		t.Errorf("a name in the query and in the body: %d", p.status)
	}
	if after := helene.get("/ui/persons").body; strings.Contains(after, "Eva Lang") || after != persons && strings.Count(after, "per_") != strings.Count(persons, "per_") {
		t.Errorf("a refused form registered someone")
	}
	helene.get("/ui/persons/new")
	if p := helene.post("/ui/persons", url.Values{"organisation_id": {string(w.SRE.ID)}, "name": {"Eva Lang"},
		"roles": {"auditor", "admin"}}); p.status != http.StatusSeeOther {
		t.Errorf("checkboxes of one field: %d, want the person registered\n%s", p.status, p.body)
	}
	if p := helene.get("/ui/pieces?q=a&q=b"); p.status != http.StatusBadRequest {
		t.Errorf("a query field given twice: %d", p.status)
	}
	b := e.browser()
	b.get("/login")
	if p := b.post("/login", url.Values{"login": {"nobody", "sophie"}, "password": {w.Login("sophie").Password}}); p.status != http.StatusBadRequest {
		t.Errorf("the sign-in form with two logins: %d", p.status)
	}
}
