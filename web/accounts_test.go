package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
)

// token answers a bearer secret made for the test, outside the demo's table.
func (e *env) requestWith(secret, method, path string, body any) response {
	e.t.Helper()
	var rd *strings.Reader
	switch b := body.(type) {
	case nil:
		rd = strings.NewReader("")
	case string:
		rd = strings.NewReader(b)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	return e.send(req)
}

func TestAPI_Tokens(t *testing.T) {
	e := newEnv(t, nil)
	r := e.post("sophie_office", "/api/tokens", map[string]any{"label": "export", "days": 7, "scopes": []string{"read"}})
	wantStatus(t, r, http.StatusCreated)
	created := decodeAs[struct {
		ID       cleared.TokenID    `json:"id"`
		Secret   string             `json:"secret"`
		Terminal cleared.TerminalID `json:"terminal"`
		Scopes   []cleared.Scope    `json:"scopes"`
	}](t, r)
	if !strings.HasPrefix(created.Secret, auth.TokenPrefix) || created.Terminal != e.world.OfficeTerm.ID {
		t.Fatalf("created token %+v: want a secret, bound to the office terminal it was made from", created)
	}
	// A read-only token reads, and cannot write.
	wantStatus(t, e.requestWith(created.Secret, http.MethodGet, "/api/pieces", nil), http.StatusOK)
	wantProblem(t, e.requestWith(created.Secret, http.MethodPost, "/api/tokens", `{"label":"x","days":1}`), http.StatusForbidden, auth.RuleScope)

	list := decodeAs[struct {
		Items []cleared.Token `json:"items"`
	}](t, e.get("sophie_office", "/api/tokens"))
	if len(list.Items) < 2 {
		t.Errorf("Sophie's tokens: %d", len(list.Items))
	}
	// Another person's token is not found; one's own is revoked, then refused.
	wantProblem(t, e.request("tom", http.MethodDelete, "/api/tokens/"+string(created.ID), "", nil), http.StatusNotFound, "")
	wantStatus(t, e.request("sophie_office", http.MethodDelete, "/api/tokens/"+string(created.ID), "", nil), http.StatusNoContent)
	wantProblem(t, e.requestWith(created.Secret, http.MethodGet, "/api/pieces", nil), http.StatusUnauthorized, "")

	for _, bad := range []map[string]any{
		{"label": "x", "days": 0},
		{"label": "x", "days": 400},
		{"label": "", "days": 1},
		{"label": "x", "days": 1, "scopes": []string{"admin"}},
		{"label": "x", "days": 1, "ttl": 5},
	} {
		wantProblem(t, e.post("sophie_office", "/api/tokens", bad), http.StatusBadRequest, "")
	}
}

func TestAPI_Accounts(t *testing.T) {
	e := newEnv(t, nil)
	secret, _, err := e.auth.CreateToken(t.Context(), auth.NewToken{PersonID: e.world.Ada.ID, Label: "admin", TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	// Only an administrator manages accounts: the NSA officer is refused, and the refusal is recorded.
	wantProblem(t, e.get("helene", "/api/accounts"), http.StatusForbidden, "AUTH.ADMIN")
	r := e.requestWith(secret, http.MethodGet, "/api/accounts", nil)
	wantStatus(t, r, http.StatusOK)
	accounts := decodeAs[struct {
		Items []cleared.Account `json:"items"`
	}](t, r)
	if len(accounts.Items) != 17 {
		t.Errorf("%d accounts, want the demo's 17", len(accounts.Items))
	}
	if strings.Contains(string(r.body), "argon2") || strings.Contains(string(r.body), "totp\"") {
		t.Errorf("the account list shows secrets: %s", r.body)
	}
	// Nina has an account already: a second one is a conflict.
	body := `{"person_id":"` + string(e.world.Nina.ID) + `","login":"nina2","password":"a long enough password"}`
	wantProblem(t, e.requestWith(secret, http.MethodPost, "/api/accounts", body), http.StatusConflict, "")
	wantProblem(t, e.requestWith(secret, http.MethodPost, "/api/accounts", `{"person_id":"x"}`), http.StatusBadRequest, "")

	var locked cleared.AccountID
	for _, a := range accounts.Items {
		if a.Login == "max" {
			locked = a.ID
		}
	}
	wantStatus(t, e.requestWith(secret, http.MethodPost, "/api/accounts/"+string(locked)+"/unlock", nil), http.StatusNoContent)
	wantProblem(t, e.post("max", "/api/accounts/"+string(locked)+"/unlock", nil), http.StatusForbidden, "AUTH.ADMIN")
}

func TestAPI_SessionsAndRegisters(t *testing.T) {
	e := newEnv(t, nil)
	r := e.get("paul", "/api/sessions")
	wantStatus(t, r, http.StatusOK)
	if got := decodeAs[struct {
		Items []cleared.Session `json:"items"`
	}](t, r); len(got.Items) != 0 {
		t.Errorf("Paul has %d sessions before signing in", len(got.Items))
	}
	wantProblem(t, e.request("paul", http.MethodDelete, "/api/sessions/"+string(cleared.NewSessionID()), "", nil), http.StatusNotFound, "")

	places := decodeAs[struct {
		Items []cleared.Place `json:"items"`
	}](t, e.get("nina", "/api/places?limit=2"))
	if len(places.Items) != 2 {
		t.Errorf("places page: %d", len(places.Items))
	}
	terms := decodeAs[struct {
		Items []cleared.Terminal `json:"items"`
	}](t, e.get("nina", "/api/terminals"))
	if len(terms.Items) != 4 {
		t.Errorf("terminals: %d, want the demo's 4", len(terms.Items))
	}
	// A9.2: the ministry's officer may not revoke the SRE's zone terminal; the SRE's officer may, once.
	wantProblem(t, e.post("luc", "/api/terminals/"+string(e.world.ZoneTerm.ID)+"/revoke", nil), http.StatusForbidden, "A9.2")
	wantStatus(t, e.post("anne", "/api/terminals/"+string(e.world.ZoneTerm.ID)+"/revoke", nil), http.StatusNoContent)
	wantProblem(t, e.post("anne", "/api/terminals/"+string(e.world.ZoneTerm.ID)+"/revoke", nil), http.StatusConflict, "")
}
