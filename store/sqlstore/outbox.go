package sqlstore

import (
	"time"

	"github.com/cleared/cleared"
)

// deliveryCodec seals the rows of deliveries: a changed address or body would redirect or rewrite a warning, a
// changed outcome would hide that it never left (A13.1).
var deliveryCodec = codec[cleared.Delivery]{table: "deliveries",
	key: func(d cleared.Delivery) string { return string(d.ID) },
	row: func(d cleared.Delivery) ([]any, error) {
		return []any{string(d.ID), string(d.Medium), null(d.Recipient), d.Address, d.Subject, d.Body, d.Cause,
			ns(d.Created), int64(d.Attempts), ns(d.NextAttempt), ns(d.Delivered), d.LastError}, nil
	}}

// deliveryColumns are the columns scanDelivery reads, and the MAC.
const deliveryColumns = `id, medium, recipient, address, subject, body, cause, created, attempts, next_attempt,
	delivered, last_error, mac`

func scanDelivery(s scanner) (cleared.Delivery, error) {
	var d cleared.Delivery
	err := s.Scan(&d.ID, &d.Medium, opt(&d.Recipient), &d.Address, &d.Subject, &d.Body, &d.Cause, ts(&d.Created),
		&d.Attempts, ts(&d.NextAttempt), ts(&d.Delivered), &d.LastError)
	return d, err
}

// webhookCodec seals the rows of webhooks: a changed URL would send an organisation's warnings elsewhere.
var webhookCodec = codec[cleared.Webhook]{table: "webhooks",
	key: func(w cleared.Webhook) string { return string(w.ID) },
	row: func(w cleared.Webhook) ([]any, error) {
		var secret any
		if len(w.Secret) > 0 {
			secret = w.Secret
		}
		return []any{string(w.ID), string(w.OrganisationID), w.URL, string(w.Scheme), null(w.KEK), secret,
			string(w.CreatedBy), ns(w.Created), ns(w.Disabled)}, nil
	}}

// webhookColumns are the columns scanWebhook reads, and the MAC.
const webhookColumns = `id, organisation_id, url, scheme, kek, secret, created_by, created, disabled, mac`

func scanWebhook(s scanner) (cleared.Webhook, error) {
	var w cleared.Webhook
	err := s.Scan(&w.ID, &w.OrganisationID, &w.URL, &w.Scheme, opt(&w.KEK), &w.Secret, &w.CreatedBy, ts(&w.Created),
		ts(&w.Disabled))
	if len(w.Secret) == 0 {
		w.Secret = nil
	}
	return w, err
}

// EnqueueDelivery stores a message to send; ErrConflict if its ID exists.
func (tx *Tx) EnqueueDelivery(d cleared.Delivery) error {
	err := d.ID.Validate()
	if err == nil {
		err = d.Medium.Validate()
	}
	if err == nil && (d.Address == "" || len(d.Body) == 0 || d.Cause == "") {
		err = cleared.Invalidf("a delivery needs an address, a body and a cause")
	}
	if err == nil {
		err = checkTimeSet("creation", d.Created)
	}
	if err == nil {
		err = checkTimes(d.NextAttempt, d.Delivered)
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, deliveryCodec, d)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO deliveries (`+deliveryColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "enqueue delivery %s", d.ID)
	}
	return nil
}

// Delivery returns the message with the given ID; ErrNotFound if there is none.
func (tx *Tx) Delivery(id cleared.DeliveryID) (cleared.Delivery, error) {
	d, err := get(tx, checked(tx, deliveryCodec, scanDelivery), `SELECT `+deliveryColumns+` FROM deliveries WHERE id = $1`, id)
	if err != nil {
		return d, tx.notFound(err, "delivery", id)
	}
	return d, nil
}

// DueDeliveries lists at most limit messages not delivered whose next attempt is at or before now, the most overdue
// first.
func (tx *Tx) DueDeliveries(now time.Time, limit int) ([]cleared.Delivery, error) {
	if err := checkPage(limit); err != nil {
		return nil, err
	}
	if err := checkTimeSet("current", now); err != nil {
		return nil, err
	}
	ds, err := list(tx, checked(tx, deliveryCodec, scanDelivery), `SELECT `+deliveryColumns+` FROM deliveries
		WHERE delivered IS NULL AND next_attempt <= $1 ORDER BY next_attempt, id LIMIT $2`, now.UnixNano(), limit)
	if err != nil {
		return nil, tx.errorf(err, "list due deliveries")
	}
	return ds, nil
}

// NextDue returns when the earliest message not delivered is due; the zero time if none waits.
func (tx *Tx) NextDue() (time.Time, error) {
	ds, err := list(tx, checked(tx, deliveryCodec, scanDelivery), `SELECT `+deliveryColumns+` FROM deliveries
		WHERE delivered IS NULL AND next_attempt IS NOT NULL ORDER BY next_attempt, id LIMIT 1`)
	if err != nil {
		return time.Time{}, tx.errorf(err, "next due delivery")
	}
	if len(ds) == 0 {
		return time.Time{}, nil
	}
	return ds[0].NextAttempt, nil
}

// RecordAttempt stores the outcome of a try; ErrNotFound if there is no such message, ErrConflict if it was
// already delivered.
func (tx *Tx) RecordAttempt(d cleared.Delivery) error {
	if err := checkTimes(d.NextAttempt, d.Delivered); err != nil {
		return tx.errorf(err, "record attempt of delivery %s", d.ID)
	}
	old, err := tx.Delivery(d.ID)
	if err != nil {
		return err
	}
	if !old.Delivered.IsZero() {
		return cleared.Conflictf("delivery %v was already delivered", d.ID)
	}
	old.Attempts, old.NextAttempt, old.Delivered, old.LastError = d.Attempts, d.NextAttempt, d.Delivered, d.LastError
	mac, err := macOf(tx, deliveryCodec, old)
	if err == nil {
		_, err = tx.exec(`UPDATE deliveries SET attempts = $2, next_attempt = $3, delivered = $4, last_error = $5, mac = $6
			WHERE id = $1`, old.ID, int64(old.Attempts), ns(old.NextAttempt), ns(old.Delivered), old.LastError, mac)
	}
	if err != nil {
		return tx.errorf(err, "record attempt of delivery %s", d.ID)
	}
	return nil
}

// DeliveriesOf lists the messages about cause, by creation then ID.
func (tx *Tx) DeliveriesOf(cause string) ([]cleared.Delivery, error) {
	ds, err := list(tx, checked(tx, deliveryCodec, scanDelivery), `SELECT `+deliveryColumns+` FROM deliveries
		WHERE cause = $1 ORDER BY created, id`, cause)
	if err != nil {
		return nil, tx.errorf(err, "list deliveries about %s", cause)
	}
	return ds, nil
}

// CreateWebhook stores an endpoint; ErrConflict if its ID exists.
func (tx *Tx) CreateWebhook(w cleared.Webhook) error {
	err := w.ID.Validate()
	if err == nil {
		err = w.Scheme.Validate()
	}
	if err == nil {
		err = checkTimeSet("creation", w.Created)
	}
	if err == nil {
		err = checkTimes(w.Disabled)
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, webhookCodec, w)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO webhooks (`+webhookColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create webhook %s", w.ID)
	}
	return nil
}

// Webhook returns the endpoint with the given ID; ErrNotFound if there is none.
func (tx *Tx) Webhook(id cleared.WebhookID) (cleared.Webhook, error) {
	w, err := get(tx, checked(tx, webhookCodec, scanWebhook), `SELECT `+webhookColumns+` FROM webhooks WHERE id = $1`, id)
	if err != nil {
		return w, tx.notFound(err, "webhook", id)
	}
	return w, nil
}

// WebhooksOf lists the endpoints of org (every one if empty) not disabled, by creation then ID.
func (tx *Tx) WebhooksOf(org cleared.OrganisationID) ([]cleared.Webhook, error) {
	query, args := `SELECT `+webhookColumns+` FROM webhooks WHERE disabled IS NULL ORDER BY created, id`, []any(nil)
	if org != "" {
		query, args = `SELECT `+webhookColumns+` FROM webhooks WHERE organisation_id = $1 AND disabled IS NULL
			ORDER BY created, id`, []any{string(org)}
	}
	ws, err := list(tx, checked(tx, webhookCodec, scanWebhook), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list webhooks")
	}
	return ws, nil
}

// DisableWebhook records that an endpoint stops receiving at t; ErrNotFound if none, ErrConflict if disabled.
func (tx *Tx) DisableWebhook(id cleared.WebhookID, t time.Time) error {
	if err := checkTimeSet("disabling", t); err != nil {
		return tx.errorf(err, "disable webhook %s", id)
	}
	old, err := tx.Webhook(id)
	if err != nil {
		return err
	}
	if !old.Disabled.IsZero() {
		return cleared.Conflictf("webhook %v is already disabled", id)
	}
	old.Disabled = t
	mac, err := macOf(tx, webhookCodec, old)
	if err == nil {
		_, err = tx.exec(`UPDATE webhooks SET disabled = $2, mac = $3 WHERE id = $1`, old.ID, ns(old.Disabled), mac)
	}
	if err != nil {
		return tx.errorf(err, "disable webhook %s", id)
	}
	return nil
}
