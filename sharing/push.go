package sharing

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/store"
)

// The push (issue 21 §4): a partner that registered webhook endpoints (the NSA registers them for its organisation:
// POST /api/webhooks) is called, signed, as soon as a release reaching it is committed, or one it received is
// revoked. The call is a doorbell: like every message of the outbox it carries no classified content (cleared's
// rule for notifications) and names no product, only the event and the position in the partner's stream to read
// from (TAXII's next); the partner then reads over its client certificate, where the delivery is checked and
// recorded (A11.2). It is written in the release's own transaction, so none is lost (package notify sends it,
// retried, signed with cleared's Ed25519 key or the endpoint's HMAC secret). A partner whose gate refuses the
// release's level is not called: it must not learn that something it cannot receive was released.

// Doorbell is the body of a push call.
type Doorbell struct {
	// Event is "release" (a product released to the partner) or "revoke" (one it received was revoked).
	Event string `json:"event"`
	// Next is the TAXII position to read from: GET /taxii2/cleared/collections/{id}/objects/?next=<Next>.
	Next string    `json:"next"`
	At   time.Time `json:"at"`
}

// push writes the doorbells of change r (committed with it) and reports whether it wrote any.
func (s *Service) push(tx store.Tx, r cleared.Release, x *act.Act) (bool, error) {
	event := "release"
	if r.State == cleared.ReleaseRevoked {
		event = "revoke"
	} else if r.State != cleared.ReleaseReleased {
		return false, nil
	}
	wrote := false
	for _, org := range r.Audience {
		hs, err := tx.WebhooksOf(org)
		if err != nil {
			return false, err
		}
		if len(hs) == 0 {
			continue
		}
		p, err := tx.Partner(org)
		if errors.Is(err, cleared.ErrNotFound) || isTampered(err) {
			continue
		} else if err != nil {
			return false, err
		}
		if event == "revoke" {
			had, err := tx.Deliveries(r.ID, org)
			if err != nil {
				return false, err
			}
			if len(had) == 0 {
				continue // it never received it: it hears nothing of it
			}
		} else {
			g, err := gate(tx, p, x)
			if err != nil {
				return false, err
			}
			if _, fits := g.channels[r.Level]; !fits {
				continue
			}
		}
		next, err := s.Position(org, r.Seq, 0)
		if err != nil {
			return false, err
		}
		body, err := json.Marshal(Doorbell{Event: event, Next: next, At: x.Now})
		if err != nil {
			return false, err
		}
		for _, h := range hs {
			d := cleared.Delivery{ID: cleared.NewDeliveryID(), Medium: cleared.MediumWebhook, Address: string(h.ID),
				Subject: "cleared: " + event, Body: body, Cause: string(r.ID), Created: x.Now, NextAttempt: x.Now}
			if err := tx.EnqueueDelivery(d); err != nil {
				return false, err
			}
			wrote = true
		}
	}
	return wrote, nil
}
