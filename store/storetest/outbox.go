package storetest

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func newDelivery(cause string, at time.Time) cleared.Delivery {
	return cleared.Delivery{ID: cleared.NewDeliveryID(), Medium: cleared.MediumEmail, Recipient: cleared.NewPersonID(),
		Address: "officer@example.lu", Subject: "Incident", Body: []byte("An incident was reported."), Cause: cause,
		Created: at, NextAttempt: at}
}

func newWebhook(w world, scheme cleared.WebhookScheme, at time.Time) cleared.Webhook {
	h := cleared.Webhook{ID: cleared.NewWebhookID(), OrganisationID: w.org.ID, URL: "https://soc.example.lu/hook",
		Scheme: scheme, CreatedBy: w.person.ID, Created: at}
	if scheme == cleared.WebhookHMAC {
		h.KEK, h.Secret = "kek-1", []byte("sealed secret")
	}
	return h
}

func testDelivery(t *testing.T, open opener) {
	t.Run("A13.1_due_in_order_attempts_recorded_delivered_once", func(t *testing.T) {
		s := open(t)
		first, second, later := newDelivery("inc_1", day(-2)), newDelivery("inc_1", day(-1)), newDelivery("inc_2", day(1))
		second.Medium, second.Recipient, second.Address = cleared.MediumWebhook, "", string(cleared.NewWebhookID())
		create(t, s, second, first, later)
		view(t, s, func(tx store.Tx) error {
			due, err := tx.DueDeliveries(day(0), 10)
			if err != nil {
				return err
			}
			same(t, "DueDeliveries at day 0", due, []cleared.Delivery{first, second})
			due, err = tx.DueDeliveries(day(-1), 10)
			if err != nil {
				return err
			}
			same(t, "DueDeliveries due exactly now", due, []cleared.Delivery{first, second})
			next, err := tx.NextDue()
			if err != nil {
				return err
			}
			same(t, "NextDue", next, day(-2))
			of, err := tx.DeliveriesOf("inc_1")
			if err != nil {
				return err
			}
			same(t, "DeliveriesOf", of, []cleared.Delivery{first, second})
			return nil
		})
		failed := first
		failed.Attempts, failed.NextAttempt, failed.LastError = 1, day(2), "connection refused"
		done := second
		done.Attempts, done.NextAttempt, done.Delivered = 1, time.Time{}, day(0)
		update(t, s, func(tx store.Tx) error {
			if err := tx.RecordAttempt(failed); err != nil {
				return err
			}
			return tx.RecordAttempt(done)
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RecordAttempt(done) })
		wantKind(t, "RecordAttempt of a delivered message", err, cleared.ErrConflict)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Delivery(first.ID)
			if err != nil {
				return err
			}
			same(t, "Delivery after a failed attempt", got, failed)
			due, err := tx.DueDeliveries(day(1), 10)
			if err != nil {
				return err
			}
			same(t, "DueDeliveries after the attempts", due, []cleared.Delivery{later})
			next, err := tx.NextDue()
			if err != nil {
				return err
			}
			same(t, "NextDue after the attempts", next, day(1))
			return nil
		})
	})
	t.Run("nothing_waits", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			next, err := tx.NextDue()
			same(t, "NextDue of an empty outbox", next, time.Time{})
			return err
		})
	})
	t.Run("ErrNotFound_ErrConflict_ErrInvalid", func(t *testing.T) {
		s := open(t)
		d := newDelivery("inc_1", day(0))
		create(t, s, d)
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.Delivery(cleared.NewDeliveryID()); return err })
		wantKind(t, "Delivery of an unknown ID", err, cleared.ErrNotFound)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.EnqueueDelivery(d) })
		wantKind(t, "EnqueueDelivery twice", err, cleared.ErrConflict)
		for name, edit := range map[string]func(*cleared.Delivery){
			"no body":      func(d *cleared.Delivery) { d.Body = nil },
			"no address":   func(d *cleared.Delivery) { d.Address = "" },
			"no cause":     func(d *cleared.Delivery) { d.Cause = "" },
			"medium":       func(d *cleared.Delivery) { d.Medium = "pigeon" },
			"no creation":  func(d *cleared.Delivery) { d.Created = time.Time{} },
			"malformed ID": func(d *cleared.Delivery) { d.ID = "dlv_x" },
		} {
			bad := newDelivery("inc_1", day(0))
			edit(&bad)
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.EnqueueDelivery(bad) })
			wantKind(t, "EnqueueDelivery with "+name, err, cleared.ErrInvalid)
		}
	})
}

func testWebhook(t *testing.T, open opener) {
	t.Run("A13.1_listed_by_organisation_until_disabled", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		hmac, ed := newWebhook(w, cleared.WebhookHMAC, day(-2)), newWebhook(w, cleared.WebhookEd25519, day(-1))
		create(t, s, hmac, ed)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Webhook(ed.ID)
			if err != nil {
				return err
			}
			same(t, "Webhook", got, ed)
			ws, err := tx.WebhooksOf(w.org.ID)
			if err != nil {
				return err
			}
			same(t, "WebhooksOf", ws, []cleared.Webhook{hmac, ed})
			all, err := tx.WebhooksOf("")
			if err != nil {
				return err
			}
			same(t, "WebhooksOf every organisation", all, []cleared.Webhook{hmac, ed})
			none, err := tx.WebhooksOf(cleared.NewOrganisationID())
			same(t, "WebhooksOf another organisation", len(none), 0)
			return err
		})
		update(t, s, func(tx store.Tx) error { return tx.DisableWebhook(hmac.ID, day(0)) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.DisableWebhook(hmac.ID, day(0)) })
		wantKind(t, "DisableWebhook twice", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.DisableWebhook(cleared.NewWebhookID(), day(0)) })
		wantKind(t, "DisableWebhook of an unknown ID", err, cleared.ErrNotFound)
		view(t, s, func(tx store.Tx) error {
			ws, err := tx.WebhooksOf(w.org.ID)
			same(t, "WebhooksOf after disabling", ws, []cleared.Webhook{ed})
			got, _ := tx.Webhook(hmac.ID)
			hmac.Disabled = day(0)
			same(t, "Webhook disabled", got, hmac)
			return err
		})
	})
}
