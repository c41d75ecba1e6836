package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The pages of webhook endpoints (issue 19 §2, A13.1): a security officer registers where his organisation's
// incident warnings are sent besides e-mail, sees its endpoints and disables one; the NSA does so for anyone's.

// webhookPages registers the pages, from New.
func (s *server) webhookPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/webhooks", s.uiWebhooks)
	page("GET /ui/webhooks/new", s.uiWebhookForm)
	page("POST /ui/webhooks", s.uiWebhookRegister)
	page("POST /ui/webhooks/{id}/disable", s.uiWebhookDisable)
}

// uiWebhooks serves GET /ui/webhooks: Webhooks, those the reader may manage, each with a button to disable it.
func (s *server) uiWebhooks(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormWebhook); err != nil {
		return err
	}
	ws, err := s.reg.Webhooks(r.Context(), u.Actor, "")
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "webhooks.title", Nav: "registers"}, Intro: "webhooks.intro", Caption: "webhooks.title",
		Columns: []string{"webhook.organisation", "webhook.url", "webhook.scheme", "webhook.created", "webhook.action"},
		Empty:   "list.empty", Actions: []link{{Href: "/ui/webhooks/new", Key: "webhooks.new"}, {Href: "/api/webhooks/key", Key: "webhooks.key"}}}
	var ids []string
	for _, x := range ws {
		ids = append(ids, string(x.OrganisationID))
	}
	names := s.names(r, u, ids...)
	for _, x := range ws {
		p.Rows = append(p.Rows, row{ID: string(x.ID), Cells: []cell{names.cell(string(x.OrganisationID)), codeCell(x.URL),
			keyCell("webhook.scheme." + string(x.Scheme)), textCell(formatTime(x.Created)),
			{Post: "/ui/webhooks/" + string(x.ID) + "/disable", CSRF: u.CSRF, Key: "webhook.disable", ID: "disable-" + string(x.ID)}}})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func webhookForm(orgs []option) *formPage {
	return &formPage{Page: Page{Title: "webhooks.new", Nav: "registers"}, Intro: "webhooks.new.intro", Action: "/ui/webhooks",
		Submit: "form.register", Links: []link{{Href: "/ui/webhooks", Key: "webhooks.title"}}, Fields: []field{
			{Name: "organisation", Label: "webhook.organisation", Help: "webhook.organisation.help", Kind: "select", Options: orgs},
			{Name: "url", Label: "webhook.url", Help: "webhook.url.help", Kind: "text", Required: true, Mode: "url"},
			{Name: "scheme", Label: "webhook.scheme", Help: "webhook.scheme.help", Kind: "select", Required: true, Options: []option{
				{Value: string(cleared.WebhookEd25519), Key: "webhook.scheme.ed25519", Selected: true},
				{Value: string(cleared.WebhookHMAC), Key: "webhook.scheme.hmac-sha256"}}},
		}}
}

// uiWebhookForm serves GET /ui/webhooks/new.
func (s *server) uiWebhookForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormWebhook); err != nil { // offered only to who may (A13.1)
		return err
	}
	orgs, err := s.organisationOptions(r, u)
	if err != nil {
		return err
	}
	f := webhookForm(orgs)
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiWebhookRegister serves POST /ui/webhooks: RegisterWebhook. An HMAC secret is shown on this page, once; cleared
// keeps it sealed and never shows it again.
func (s *server) uiWebhookRegister(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewWebhook{OrganisationID: cleared.OrganisationID(formText(v, "organisation")), URL: formText(v, "url"),
		Scheme: cleared.WebhookScheme(formText(v, "scheme"))}
	wh, err := s.reg.RegisterWebhook(r.Context(), u.Actor, in)
	if err == nil {
		items := []detail{
			{Label: "webhook.url", Value: codeCell(wh.URL)},
			{Label: "webhook.scheme", Value: keyCell("webhook.scheme." + string(wh.Scheme))},
			{Label: "common.id", Value: codeCell(string(wh.ID)), ID: "webhook-id"},
		}
		intro := "webhooks.created.key"
		if wh.Secret != "" {
			intro = "webhooks.created.once"
			items = append([]detail{{Label: "webhook.secret", Value: codeCell(wh.Secret), ID: "webhook-secret"}}, items...)
		} else {
			items = append([]detail{{Label: "webhook.public_key", Value: codeCell(wh.PublicKey), ID: "webhook-key"}}, items...)
		}
		return s.render(w, r, u, http.StatusCreated, &detailsPage{Page: Page{Title: "webhooks.created", Nav: "registers"},
			Intro: intro, Actions: []link{{Href: "/ui/webhooks", Key: "webhooks.title"}}, Items: items})
	}
	orgs, oerr := s.organisationOptions(r, u)
	if oerr != nil {
		return oerr
	}
	f := webhookForm(orgs)
	return s.formFail(w, r, u, f, err)
}

// uiWebhookDisable serves POST /ui/webhooks/{id}/disable: DisableWebhook.
func (s *server) uiWebhookDisable(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.WebhookID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if _, err := s.reg.DisableWebhook(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/webhooks", "webhook_disabled")
}
