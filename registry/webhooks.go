package registry

import (
	"context"
	"encoding/base64"
	"errors"
	"github.com/cleared/cleared/keyring/webhook"
	"net"
	"net/url"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Webhooks (Art. 13, A13.1): an organisation's security officer in office registers where its incident warnings are
// sent besides e-mail, the NSA registers any organisation's (policy.ManageWebhook). Every call is signed over its
// time and body (package notify): with cleared's Ed25519 key, whose public key anyone may fetch, or with an HMAC
// secret cleared generates at registration, shows once, and keeps sealed by the key ring.

// maxURL bounds a webhook's URL.
const maxURL = 2000

// NewWebhook is the input of RegisterWebhook. Organisation may be left out by a security officer of exactly one.
type NewWebhook struct {
	OrganisationID cleared.OrganisationID `json:"organisation,omitempty"`
	URL            string                 `json:"url"`
	Scheme         cleared.WebhookScheme  `json:"scheme"`
}

// RegisteredWebhook is an endpoint as registered: for HMAC, Secret is the shared secret, shown this once and never
// again (cleared keeps it sealed); for Ed25519, PublicKey is cleared's key that verifies the calls.
type RegisteredWebhook struct {
	cleared.Webhook
	Secret    string `json:"secret,omitempty"`
	PublicKey string `json:"public_key,omitempty"`
}

// WebhookKey is cleared's public key for Ed25519 webhook calls (GET /api/webhooks/key).
type WebhookKey struct {
	Algorithm string `json:"algorithm"`
	// PublicKey is the raw 32-byte Ed25519 public key in standard base64.
	PublicKey string `json:"public_key"`
	// Signed describes the bytes signed, for who writes a receiver.
	Signed string `json:"signed"`
}

// checkWebhookURL accepts an absolute https:// URL with a host, no credentials and no fragment; http:// only to a
// loopback host, and only when the server allows it (--webhook-allow-http-loopback): a warning about classified
// pieces crosses no network in clear.
func checkWebhookURL(raw string, loopbackHTTP bool) error {
	if err := cleared.CheckText("url", raw, 1, maxURL); err != nil {
		return err
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Hostname() == "" {
		return cleared.Invalidf("url must be an absolute https:// URL")
	}
	if u.User != nil || u.Fragment != "" || strings.ContainsAny(raw, " \t\r\n") {
		return cleared.Invalidf("url must carry no credentials, fragment or space")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		ip := net.ParseIP(host)
		if loopbackHTTP && (host == "localhost" || ip != nil && ip.IsLoopback()) {
			return nil
		}
	}
	return cleared.Invalidf("url must be https:// (plain http:// only to a loopback host, where the server allows it)")
}

// RegisterWebhook registers an endpoint for an organisation's incident warnings (A13.1): the actor is its security
// officer in office or an NSA officer (policy.ManageWebhook), refused with A13.1 otherwise. For HMAC a secret is
// generated, sealed by the key ring and returned this once.
func (s *Service) RegisterWebhook(ctx context.Context, a cleared.Actor, in NewWebhook) (v RegisteredWebhook, err error) {
	defer cleared.Wrap(&err, "register webhook")
	if in.OrganisationID != "" {
		if err := in.OrganisationID.Validate(); err != nil {
			return v, err
		}
	}
	if err := in.Scheme.Validate(); err != nil {
		return v, err
	}
	if err := checkWebhookURL(in.URL, s.webhookHTTP); err != nil {
		return v, err
	}
	now := s.clock()
	var secret []byte
	defer func() { clear(secret) }()
	err = s.run.Do(ctx, a, act.WebhookRegister, now, func(tx store.Tx, x *act.Act) error {
		me, officerOf, err := inventoryTaker(tx, a, x.Now)
		if err != nil {
			return err
		}
		org := in.OrganisationID
		if org == "" && len(officerOf) == 1 {
			org = officerOf[0]
		}
		if d := policy.ManageWebhook(officerOf, me.HasRole(cleared.RoleNSAOfficer), org); !d.Allowed {
			return x.Deny(string(org), d)
		}
		if org == "" {
			return cleared.Invalidf("name the organisation whose warnings the endpoint receives")
		}
		if _, err := tx.Organisation(org); err != nil {
			return err
		}
		w := cleared.Webhook{ID: cleared.NewWebhookID(), OrganisationID: org, URL: in.URL, Scheme: in.Scheme,
			CreatedBy: me.ID, Created: now}
		v = RegisteredWebhook{}
		switch in.Scheme {
		case cleared.WebhookHMAC:
			secret = webhook.NewSecret()
			if w.KEK, w.Secret, err = s.ring.SealValue(webhook.SecretPurpose(w.ID), secret); err != nil {
				return err
			}
			v.Secret = string(secret)
		case cleared.WebhookEd25519:
			k, err := s.WebhookKey()
			if err != nil {
				return err
			}
			v.PublicKey = k.PublicKey
		}
		if err := tx.CreateWebhook(w); err != nil {
			return err
		}
		v.Webhook = w
		x.Object, x.Payload = string(w.ID), map[string]any{"organisation": w.OrganisationID, "url": w.URL, "scheme": w.Scheme}
		return nil
	})
	if err != nil {
		return RegisteredWebhook{}, err
	}
	return v, nil
}

// Webhooks lists the endpoints not disabled of org, or, if org is empty, of every organisation the actor may manage
// (all of them for the NSA, his own for a security officer); refused with A13.1 to anyone else (policy.ManageWebhook).
func (s *Service) Webhooks(ctx context.Context, a cleared.Actor, org cleared.OrganisationID) (ws []cleared.Webhook, err error) {
	defer cleared.Wrap(&err, "list webhooks")
	if org != "" {
		if err := org.Validate(); err != nil {
			return nil, err
		}
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.WebhookList, now, func(tx store.Tx, x *act.Act) error {
		me, officerOf, err := inventoryTaker(tx, a, x.Now)
		if err != nil {
			return err
		}
		nsa := me.HasRole(cleared.RoleNSAOfficer)
		orgs := officerOf
		switch {
		case org != "":
			if d := policy.ManageWebhook(officerOf, nsa, org); !d.Allowed {
				return x.Deny(string(org), d)
			}
			orgs = []cleared.OrganisationID{org}
		case nsa:
			orgs = []cleared.OrganisationID{""} // every organisation's
		case len(officerOf) == 0:
			return x.Deny("", policy.ManageWebhook(nil, false, ""))
		}
		ws = []cleared.Webhook{}
		for _, o := range orgs {
			got, err := tx.WebhooksOf(o)
			if err != nil {
				return err
			}
			ws = append(ws, got...)
		}
		x.Object = string(org)
		return nil
	})
	return ws, err
}

// DisableWebhook stops an endpoint from receiving (A13.1): by the security officer of its organisation or an NSA
// officer. An endpoint of another organisation is not found to a security officer, as one that does not exist;
// one disabled already is a conflict. Messages written for it and not yet sent stay in the outbox, not sent, with
// the reason (package notify).
func (s *Service) DisableWebhook(ctx context.Context, a cleared.Actor, id cleared.WebhookID) (w cleared.Webhook, err error) {
	defer cleared.Wrap(&err, "disable webhook %s", id)
	if err := id.Validate(); err != nil {
		return w, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.WebhookDisable, now, func(tx store.Tx, x *act.Act) error {
		me, officerOf, err := inventoryTaker(tx, a, x.Now)
		if err != nil {
			return err
		}
		w, err = tx.Webhook(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		}
		if err != nil {
			return err
		}
		if d := policy.ManageWebhook(officerOf, me.HasRole(cleared.RoleNSAOfficer), w.OrganisationID); !d.Allowed {
			return x.Hide(string(id))
		}
		if !w.Disabled.IsZero() {
			return cleared.Conflictf("the webhook was disabled already")
		}
		if err := tx.DisableWebhook(id, now); err != nil {
			return err
		}
		w.Disabled = now
		x.Object = string(id)
		return nil
	})
	return w, err
}

// WebhookKey returns cleared's public key for Ed25519 webhook calls. It is public: receivers fetch it.
func (s *Service) WebhookKey() (WebhookKey, error) {
	k, err := webhook.PublicKey(s.ring)
	if err != nil {
		return WebhookKey{}, cleared.Unavailablef("the webhook key is not available: %v", err)
	}
	return WebhookKey{Algorithm: "ed25519", PublicKey: base64.StdEncoding.EncodeToString(k),
		Signed: "<Cleared-Timestamp>.<body>"}, nil
}
