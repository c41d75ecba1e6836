package web

import (
	"net/http"
	"net/url"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The routes of webhook endpoints (issue 19 §2, A13.1), registered by New: where an organisation's incident
// warnings are sent besides e-mail, and cleared's public key that verifies them.
func (s *server) webhookAPI(api func(pattern string, h handlerFunc), handle func(pattern string, h http.Handler)) {
	api("POST /api/webhooks", s.webhookRegister)
	api("GET /api/webhooks", s.webhookList)
	api("POST /api/webhooks/{id}/disable", s.webhookDisable)
	handle("GET /api/webhooks/key", http.HandlerFunc(s.webhookKey))
}

// webhookRegister serves POST /api/webhooks: RegisterWebhook; an HMAC endpoint's secret is in this answer only.
func (s *server) webhookRegister(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewWebhook
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.reg.RegisterWebhook(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/webhooks?organisation="+url.QueryEscape(string(v.OrganisationID)), v)
}

// webhookList serves GET /api/webhooks[?organisation=]: Webhooks.
func (s *server) webhookList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return cleared.Invalidf("malformed query")
	}
	ws, err := s.reg.Webhooks(r.Context(), a, cleared.OrganisationID(q.Get("organisation")))
	if err != nil {
		return err
	}
	return ok(w, list[cleared.Webhook]{Items: nonNil(ws)})
}

// webhookDisable serves POST /api/webhooks/{id}/disable: DisableWebhook.
func (s *server) webhookDisable(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.WebhookID](r)
	if err != nil {
		return err
	}
	wh, err := s.reg.DisableWebhook(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, wh)
}

// webhookKey serves GET /api/webhooks/key, without sign-in: cleared's Ed25519 public key, which receivers verify
// the calls with (docs/notifications.md).
func (s *server) webhookKey(w http.ResponseWriter, r *http.Request) {
	k, err := s.reg.WebhookKey()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ok(w, k) //nolint:errcheck // the client may be gone
}
