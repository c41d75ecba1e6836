package cleared

import "time"

// Notifications leave cleared by e-mail and by signed webhook (Art. 13, A13.1: the security officer, the NSA and
// the originator are warned at once). Each message is a Delivery written in the transaction of the action that
// causes it (an outbox), so that none is lost when the mail server or a webhook's receiver is down, nor across a
// restart: a dispatcher sends it after the commit, retries with back-off, and records the outcome on the row.
// A message names what happened and where to look in cleared; it never carries classified content.
type (
	DeliveryID string
	WebhookID  string
)

// Prefixes of DeliveryID and WebhookID.
const (
	PrefixDelivery = "dlv_"
	PrefixWebhook  = "whk_"
)

// NewDeliveryID returns a fresh DeliveryID.
func NewDeliveryID() DeliveryID { return DeliveryID(NewID(PrefixDelivery)) }

// NewWebhookID returns a fresh WebhookID.
func NewWebhookID() WebhookID { return WebhookID(NewID(PrefixWebhook)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id DeliveryID) Validate() error { return checkID(string(id), PrefixDelivery, "delivery") }

// Validate reports a malformed identifier as [ErrInvalid].
func (id WebhookID) Validate() error { return checkID(string(id), PrefixWebhook, "webhook") }

// Medium is how a Delivery leaves cleared.
type Medium string

// Media.
const (
	MediumEmail   Medium = "email"   // an e-mail over SMTP to Address
	MediumWebhook Medium = "webhook" // a signed HTTPS POST to the webhook whose ID is Address
)

// Validate reports an unknown medium as [ErrInvalid].
func (m Medium) Validate() error {
	switch m {
	case MediumEmail, MediumWebhook:
		return nil
	}
	return Invalidf("unknown medium %q: want email or webhook", truncate(string(m), 30))
}

// Delivery is one message of the outbox.
type Delivery struct {
	ID     DeliveryID `json:"id"`
	Medium Medium     `json:"medium"`
	// Recipient is the person an e-mail is for, or empty for a webhook (it goes to an organisation's endpoint).
	Recipient PersonID `json:"recipient,omitempty"`
	// Address is the e-mail address, or the WebhookID of the endpoint, as at the time the message was written.
	Address string `json:"address"`
	Subject string `json:"subject"`
	// Body is the e-mail's text (UTF-8) or the webhook's JSON body, exactly as it is sent (a webhook's signature
	// covers these bytes and the time of sending).
	Body []byte `json:"-"`
	// Cause names the object the message is about (an incident's ID), so that its deliveries can be listed.
	Cause   string    `json:"cause"`
	Created time.Time `json:"created"`
	// Attempts counts the tries so far; NextAttempt is when the dispatcher tries again (zero once delivered).
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	Delivered   time.Time `json:"delivered,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
}

// WebhookScheme is how a webhook's calls are signed, over the time of sending and the body (against replay).
type WebhookScheme string

// Schemes.
const (
	// WebhookEd25519: signed with cleared's webhook key; the receiver checks with its public key (no shared secret).
	WebhookEd25519 WebhookScheme = "ed25519"
	// WebhookHMAC: HMAC-SHA256 under a secret shared with the receiver, kept sealed by the key ring.
	WebhookHMAC WebhookScheme = "hmac-sha256"
)

// Validate reports an unknown scheme as [ErrInvalid].
func (s WebhookScheme) Validate() error {
	switch s {
	case WebhookEd25519, WebhookHMAC:
		return nil
	}
	return Invalidf("unknown webhook scheme %q: want ed25519 or hmac-sha256", truncate(string(s), 30))
}

// Webhook is an organisation's endpoint that receives its notifications (the security officer's or the NSA's
// incident desk, a SIEM).
type Webhook struct {
	ID             WebhookID      `json:"id"`
	OrganisationID OrganisationID `json:"organisation_id"`
	URL            string         `json:"url"`
	Scheme         WebhookScheme  `json:"scheme"`
	// KEK names the key of the key ring that seals Secret (the HMAC secret); both empty for Ed25519.
	KEK       string    `json:"-"`
	Secret    []byte    `json:"-"`
	CreatedBy PersonID  `json:"created_by"`
	Created   time.Time `json:"created"`
	Disabled  time.Time `json:"disabled,omitzero"`
}
