package registry_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"github.com/cleared/cleared/keyring/webhook"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// A13.1: the security officer in office registers his organisation's endpoint (its own by default), the NSA any
// organisation's; an HMAC secret is shown once and kept sealed by the key ring; everyone else is refused.
func TestRegisterWebhook_A13_1(t *testing.T) {
	e := newEnv(t)
	anne, luc, helene, tom := e.as("anne"), e.as("luc"), e.as("helene"), e.as("tom")

	t.Run("A13.1_officer_registers_his_own_with_hmac", func(t *testing.T) {
		v, err := e.svc.RegisterWebhook(e.ctx, anne, registry.NewWebhook{URL: "https://soc.sre.example.lu/cleared", Scheme: cleared.WebhookHMAC})
		if err != nil {
			t.Fatal(err)
		}
		if v.OrganisationID != e.w.SRE.ID || !strings.HasPrefix(v.Secret, "whsec_") || v.PublicKey != "" {
			t.Fatalf("registered %+v", v)
		}
		var stored cleared.Webhook
		if err := e.st.View(e.ctx, func(tx store.Tx) error { var err error; stored, err = tx.Webhook(v.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(stored.Secret), v.Secret) || stored.KEK == "" {
			t.Fatal("the secret is stored in clear")
		}
		got, err := e.ring.OpenValue(webhook.SecretPurpose(v.ID), stored.KEK, stored.Secret)
		if err != nil || string(got) != v.Secret {
			t.Fatalf("the sealed secret opens to %q, %v", got, err)
		}
		b, _ := json.Marshal(v.Webhook)
		if strings.Contains(string(b), v.Secret) {
			t.Fatal("the webhook's JSON carries its secret")
		}
	})
	t.Run("A13.1_nsa_registers_any_with_ed25519", func(t *testing.T) {
		v, err := e.svc.RegisterWebhook(e.ctx, helene, registry.NewWebhook{OrganisationID: e.w.Ministry.ID, URL: "https://siem.mae.example.lu/in", Scheme: cleared.WebhookEd25519})
		if err != nil {
			t.Fatal(err)
		}
		k, err := e.svc.WebhookKey()
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := base64.StdEncoding.DecodeString(k.PublicKey)
		if v.Secret != "" || v.PublicKey != k.PublicKey || len(raw) != ed25519.PublicKeySize {
			t.Fatalf("registered %+v, key %+v", v, k)
		}
	})
	t.Run("A13.1_officer_of_another_organisation_refused", func(t *testing.T) {
		_, err := e.svc.RegisterWebhook(e.ctx, luc, registry.NewWebhook{OrganisationID: e.w.SRE.ID, URL: "https://evil.example.com/", Scheme: cleared.WebhookHMAC})
		wantRule(t, err, "A13.1")
	})
	t.Run("A13.1_one_who_is_no_officer_refused", func(t *testing.T) {
		_, err := e.svc.RegisterWebhook(e.ctx, tom, registry.NewWebhook{OrganisationID: e.w.Ministry.ID, URL: "https://x.example.lu/", Scheme: cleared.WebhookHMAC})
		wantRule(t, err, "A13.1")
	})
	t.Run("ErrInvalid_url_and_scheme", func(t *testing.T) {
		for _, in := range []registry.NewWebhook{
			{URL: "http://soc.example.lu/", Scheme: cleared.WebhookHMAC},
			{URL: "http://127.0.0.1:9000/", Scheme: cleared.WebhookHMAC}, // loopback http is not allowed by this server
			{URL: "ftp://soc.example.lu/", Scheme: cleared.WebhookHMAC},
			{URL: "https://user:pass@soc.example.lu/", Scheme: cleared.WebhookHMAC},
			{URL: "https://soc.example.lu/#x", Scheme: cleared.WebhookHMAC},
			{URL: "/relative", Scheme: cleared.WebhookHMAC},
			{URL: "", Scheme: cleared.WebhookHMAC},
			{URL: "https://soc.example.lu/", Scheme: "rsa"},
			{URL: "https://soc.example.lu/" + strings.Repeat("a", 2001), Scheme: cleared.WebhookHMAC},
			{OrganisationID: "org_x", URL: "https://soc.example.lu/", Scheme: cleared.WebhookHMAC},
		} {
			if _, err := e.svc.RegisterWebhook(e.ctx, anne, in); !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("RegisterWebhook(%q, %q) = %v, want invalid", truncated(in.URL), in.Scheme, err)
			}
		}
	})
}

func truncated(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// A13.1: the officer lists and disables his organisation's endpoints; another organisation's are not found to
// him; the NSA lists and disables any.
func TestWebhooks_list_and_disable_A13_1(t *testing.T) {
	e := newEnv(t)
	anne, luc, helene, tom := e.as("anne"), e.as("luc"), e.as("helene"), e.as("tom")
	sre, err := e.svc.RegisterWebhook(e.ctx, anne, registry.NewWebhook{URL: "https://soc.sre.example.lu/", Scheme: cleared.WebhookHMAC})
	if err != nil {
		t.Fatal(err)
	}
	mae, err := e.svc.RegisterWebhook(e.ctx, luc, registry.NewWebhook{URL: "https://soc.mae.example.lu/", Scheme: cleared.WebhookEd25519})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ws []cleared.Webhook) (out []cleared.WebhookID) {
		for _, w := range ws {
			out = append(out, w.ID)
		}
		return out
	}
	if ws, err := e.svc.Webhooks(e.ctx, anne, ""); err != nil || len(ws) != 1 || ws[0].ID != sre.ID {
		t.Errorf("anne's webhooks: %v, %v", ids(ws), err)
	}
	if ws, err := e.svc.Webhooks(e.ctx, helene, ""); err != nil || len(ws) != 2 {
		t.Errorf("the NSA's list: %v, %v", ids(ws), err)
	}
	_, err = e.svc.Webhooks(e.ctx, anne, e.w.Ministry.ID)
	wantRule(t, err, "A13.1")
	_, err = e.svc.Webhooks(e.ctx, tom, "")
	wantRule(t, err, "A13.1")
	if _, err := e.svc.DisableWebhook(e.ctx, anne, mae.ID); !errors.Is(err, cleared.ErrNotFound) {
		t.Errorf("anne disables the ministry's endpoint: %v, want not found", err)
	}
	if _, err := e.svc.DisableWebhook(e.ctx, anne, cleared.NewWebhookID()); !errors.Is(err, cleared.ErrNotFound) {
		t.Errorf("disable an unknown endpoint: %v, want not found", err)
	}
	w, err := e.svc.DisableWebhook(e.ctx, anne, sre.ID)
	if err != nil || w.Disabled.IsZero() {
		t.Fatalf("anne disables her endpoint: %+v, %v", w, err)
	}
	if _, err := e.svc.DisableWebhook(e.ctx, anne, sre.ID); !errors.Is(err, cleared.ErrConflict) {
		t.Errorf("disable twice: %v, want conflict", err)
	}
	if _, err := e.svc.DisableWebhook(e.ctx, helene, mae.ID); err != nil {
		t.Errorf("the NSA disables the ministry's endpoint: %v", err)
	}
	if ws, err := e.svc.Webhooks(e.ctx, helene, ""); err != nil || len(ws) != 0 {
		t.Errorf("after disabling: %v, %v", ids(ws), err)
	}
}
