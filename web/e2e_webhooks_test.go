//go:build e2e

package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBrowserWebhooks (A13.1): a security officer registers his organisation's webhook endpoint from the registers,
// sees its HMAC secret once, finds it in the list without the secret, and disables it.
func TestBrowserWebhooks(t *testing.T) {
	e := newE2EEnv(t)
	b := e.newBrowser()
	b.signIn("anne", e.world.OfficeTerm.ID)
	b.open("/ui/registers")
	if status := b.click("reg-webhooks"); status != http.StatusOK {
		t.Fatalf("the webhooks page answers %d", status)
	}
	b.wantAt("/ui/webhooks")
	b.open("/ui/webhooks/new")
	b.typeIn("f-url", "https://soc.sre.example.lu/cleared")
	b.choose("f-scheme", "hmac-sha256")
	if status := b.click("submit"); status != http.StatusCreated {
		t.Fatalf("register answers %d: %s", status, b.pageText())
	}
	secret, id := b.text("webhook-secret"), b.text("webhook-id")
	if !strings.HasPrefix(secret, "whsec_") || !strings.HasPrefix(id, "whk_") {
		t.Fatalf("the secret shown is %q, the ID %q", secret, id)
	}
	b.open("/ui/webhooks")
	page := b.pageText()
	if !strings.Contains(page, "soc.sre.example.lu") || strings.Contains(page, secret) {
		t.Fatalf("the list must show the endpoint, never its secret:\n%s", page)
	}
	if status := b.click("disable-" + id); status != http.StatusOK {
		t.Fatalf("disable answers %d", status)
	}
	b.wantAt("/ui/webhooks")
	if strings.Contains(b.pageText(), "soc.sre.example.lu") {
		t.Error("a disabled endpoint is still listed")
	}
	b.shot("webhooks.png")
}
