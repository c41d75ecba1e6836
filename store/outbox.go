package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Outbox holds the messages cleared sends outside itself (e-mails, signed webhook calls: A13.1), written in the
// transaction of the action that causes them, and the organisations' webhook endpoints.
type Outbox interface {
	// EnqueueDelivery stores a message to send; its NextAttempt is when it is first due. ErrConflict if its ID exists.
	EnqueueDelivery(d cleared.Delivery) error
	// Delivery returns the message with the given ID; ErrNotFound if there is none.
	Delivery(id cleared.DeliveryID) (cleared.Delivery, error)
	// DueDeliveries lists at most limit messages not delivered whose next attempt is at or before now, the most
	// overdue first.
	DueDeliveries(now time.Time, limit int) ([]cleared.Delivery, error)
	// NextDue returns when the earliest message not delivered is due; the zero time if none waits.
	NextDue() (time.Time, error)
	// RecordAttempt stores the outcome of a try: Attempts, NextAttempt, Delivered, LastError of d. ErrNotFound if
	// there is no such message, ErrConflict if it was already delivered.
	RecordAttempt(d cleared.Delivery) error
	// DeliveriesOf lists the messages about cause, by creation then ID.
	DeliveriesOf(cause string) ([]cleared.Delivery, error)

	// CreateWebhook stores an endpoint; ErrConflict if its ID exists.
	CreateWebhook(w cleared.Webhook) error
	// Webhook returns the endpoint with the given ID; ErrNotFound if there is none.
	Webhook(id cleared.WebhookID) (cleared.Webhook, error)
	// WebhooksOf lists the endpoints of an organisation (every one if empty) not disabled, by creation then ID.
	WebhooksOf(org cleared.OrganisationID) ([]cleared.Webhook, error)
	// DisableWebhook records that an endpoint stops receiving at t; ErrNotFound if none, ErrConflict if disabled.
	DisableWebhook(id cleared.WebhookID, t time.Time) error
}
