package web_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

// The webhooks' API end to end (A13.1), each answer checked against openapi.json: the security officer registers
// his organisation's endpoint (the HMAC secret in that answer only), lists and disables it; one who is no officer
// is refused with A13.1; another organisation's endpoint is not found to him; the public key needs no token.
func TestWebhooksAPI(t *testing.T) {
	e := newEnv(t, nil)
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	call := func(key, method, route, path string, body any, status int) response {
		t.Helper()
		var r response
		if body == nil {
			r = e.request(key, method, path, "", nil)
		} else {
			r = e.request(key, method, path, "application/json", body)
		}
		wantStatus(t, r, status)
		op, ok := ops[method+" "+route]
		if !ok {
			t.Fatalf("%s %s is not in openapi.json", method, route)
		}
		oaCheckAnswer(t, doc, op, r)
		return r
	}
	r := call("anne", "POST", "/api/webhooks", "/api/webhooks", map[string]any{"url": "https://soc.sre.example.lu/cleared", "scheme": "hmac-sha256"}, 201)
	reg := decodeAs[struct {
		ID     cleared.WebhookID `json:"id"`
		Secret string            `json:"secret"`
	}](t, r)
	if !strings.HasPrefix(reg.Secret, "whsec_") {
		t.Fatalf("no secret in the registration's answer: %s", r.body)
	}
	r = call("anne", "GET", "/api/webhooks", "/api/webhooks", nil, 200)
	if !strings.Contains(string(r.body), string(reg.ID)) || strings.Contains(string(r.body), reg.Secret) {
		t.Errorf("list: %s", r.body)
	}
	wantProblem(t, call("tom", "POST", "/api/webhooks", "/api/webhooks", map[string]any{"url": "https://x.example.lu/", "scheme": "ed25519"}, 403), 403, "A13.1")
	wantProblem(t, call("tom", "GET", "/api/webhooks", "/api/webhooks", nil, 403), 403, "A13.1")
	call("anne", "POST", "/api/webhooks", "/api/webhooks", map[string]any{"url": "http://soc.sre.example.lu/", "scheme": "ed25519"}, 400)
	call("anne", "POST", "/api/webhooks", "/api/webhooks", map[string]any{"url": "https://soc.sre.example.lu/", "scheme": "ed25519", "extra": 1}, 400)
	call("luc", "POST", "/api/webhooks/{id}/disable", "/api/webhooks/"+string(reg.ID)+"/disable", nil, 404)
	call("anne", "POST", "/api/webhooks/{id}/disable", "/api/webhooks/"+string(reg.ID)+"/disable", nil, 200)
	call("anne", "POST", "/api/webhooks/{id}/disable", "/api/webhooks/"+string(reg.ID)+"/disable", nil, 409)
	r = call("", "GET", "/api/webhooks/key", "/api/webhooks/key", nil, 200)
	k := decodeAs[struct {
		Algorithm string `json:"algorithm"`
		PublicKey string `json:"public_key"`
	}](t, r)
	if raw, err := base64.StdEncoding.DecodeString(k.PublicKey); err != nil || len(raw) != 32 || k.Algorithm != "ed25519" {
		t.Errorf("key: %s", r.body)
	}
}

// The webhooks page: offered to a security officer (registers page link, form), the secret shown once after
// registering, the endpoint disabled from the list; refused to one who is no officer (A13.1).
func TestUI_Webhooks(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	anne := e.as("anne", w.OfficeTerm.ID)
	if p := anne.get("/ui/registers"); !strings.Contains(p.body, `href="/ui/webhooks"`) {
		t.Fatalf("the registers page does not lead to the webhooks")
	}
	p := anne.get("/ui/webhooks")
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !strings.Contains(p.body, `href="/ui/webhooks/new"`) {
		t.Fatalf("no link to register:\n%s", p.body)
	}
	wantPage(t, anne.get("/ui/webhooks/new"), http.StatusOK, "UNCLASSIFIED", unclassified)
	r := anne.post("/ui/webhooks", url.Values{"url": {"https://soc.sre.example.lu/cleared"}, "scheme": {"hmac-sha256"}})
	if r.status != http.StatusCreated || !regexp.MustCompile(`whsec_[A-Za-z0-9_-]{43}`).MatchString(r.body) {
		t.Fatalf("register: %d\n%s", r.status, r.body)
	}
	secret := regexp.MustCompile(`whsec_[A-Za-z0-9_-]{43}`).FindString(r.body)
	p = anne.get("/ui/webhooks")
	if !strings.Contains(p.body, "soc.sre.example.lu") || strings.Contains(p.body, secret) {
		t.Fatalf("the list shows the endpoint, never its secret:\n%s", p.body)
	}
	disable := regexp.MustCompile(`action="(/ui/webhooks/whk_[a-z2-7]+/disable)"`).FindStringSubmatch(p.body)
	if disable == nil {
		t.Fatalf("no button to disable:\n%s", p.body)
	}
	if r := anne.post(disable[1], nil); r.status != http.StatusSeeOther {
		t.Fatalf("disable: %d\n%s", r.status, r.body)
	}
	if p := anne.get("/ui/webhooks"); strings.Contains(p.body, "soc.sre.example.lu") {
		t.Error("a disabled endpoint is still listed")
	}
	tom := e.as("tom", "")
	if p := tom.get("/ui/webhooks"); p.status != http.StatusForbidden || !strings.Contains(p.body, "A13.1") {
		t.Errorf("tom: %d\n%s", p.status, p.body)
	}
}
