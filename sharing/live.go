package sharing

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/cleared/cleared"
)

// hub holds the live feed's subscriptions by partner. A change wakes only the subscribers of the partners it
// reaches: MISP's live feed publishes everything to everyone and leaves filtering to subscribers; here a partner's
// connection is not even woken by a product it will not receive, and what it is then sent is decided by Deliver.
type hub struct {
	mu   sync.Mutex
	subs map[cleared.OrganisationID]map[chan struct{}]struct{}
}

// Subscribe returns a channel that receives a value after each committed change that reaches partner org (at most
// one pending: a subscriber woken reads everything new at once with Deliver), and the function that ends the
// subscription. The caller reads with Deliver after its last position before waiting, so that no change between
// its last read and its subscription is missed.
func (s *Service) Subscribe(org cleared.OrganisationID) (wake <-chan struct{}, cancel func()) {
	c := make(chan struct{}, 1)
	h := &s.live
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[cleared.OrganisationID]map[chan struct{}]struct{}{}
	}
	if h.subs[org] == nil {
		h.subs[org] = map[chan struct{}]struct{}{}
	}
	h.subs[org][c] = struct{}{}
	h.mu.Unlock()
	return c, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs[org], c)
		if len(h.subs[org]) == 0 {
			delete(h.subs, org)
		}
	}
}

// Changed wakes the subscribers of the partners of audience: a change committed here, or told by another
// instance (OnChange's function on that side, the database's notification on this one).
func (s *Service) Changed(audience []cleared.OrganisationID) {
	h := &s.live
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, org := range audience {
		for c := range h.subs[org] {
			select {
			case c <- struct{}{}:
			default: // already woken: it will read this change with the one pending
			}
		}
	}
}

// ChangedAll wakes every subscriber: a change whose audience is not known here (too long to be told, or told
// while this instance was not listening). Each reads with Deliver what is new for it, perhaps nothing.
func (s *Service) ChangedAll() {
	h := &s.live
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range h.subs {
		for c := range m {
			select {
			case c <- struct{}{}:
			default:
			}
		}
	}
}

// maxChangeMessage bounds ChangeMessage's payload, under PostgreSQL's 8000 bytes for a notification's.
const maxChangeMessage = 7000

// change is the message one instance tells the others of a committed change (ChangeMessage, Notified). Audience
// absent means unknown: every subscriber is woken.
type change struct {
	Seq      int64                     `json:"seq"`
	Audience *[]cleared.OrganisationID `json:"audience,omitempty"`
}

// ChangeMessage is the message telling the other instances of the change seq reaching audience, for
// OnChange's function to send and their Notified to read: JSON {"seq": n, "audience": [...]}, or {"seq": n} when
// the audience would make it longer than 7000 bytes (hundreds of partners), which wakes all their subscribers.
func ChangeMessage(seq int64, audience []cleared.OrganisationID) string {
	if audience == nil {
		audience = []cleared.OrganisationID{}
	}
	b, err := json.Marshal(change{Seq: seq, Audience: &audience})
	if err != nil || len(b) > maxChangeMessage {
		b, _ = json.Marshal(change{Seq: seq})
	}
	return string(b)
}

// Notified reads a message of ChangeMessage, sent by another instance (or by this one), and wakes the subscribers
// of the partners it names. It wakes every subscriber when the message names no audience, when it is "" (messages
// may have been missed) and when it is malformed, which is logged: a wake too many costs a Deliver that finds
// nothing, a wake too few leaves a partner waiting.
func (s *Service) Notified(payload string) {
	if payload == "" {
		s.ChangedAll()
		return
	}
	c, err := parseChange(payload)
	switch {
	case err != nil:
		s.log.Warn("sharing: malformed change message: waking every live subscriber", "err", err)
		s.ChangedAll()
	case c.Audience == nil:
		s.ChangedAll()
	default:
		s.Changed(*c.Audience)
	}
}

// parseChange reads a message of ChangeMessage strictly: one object, known fields, a positive sequence number
// and valid identifiers.
func parseChange(payload string) (change, error) {
	var c change
	if len(payload) > 8000 {
		return c, fmt.Errorf("%d bytes, over 8000", len(payload))
	}
	d := json.NewDecoder(strings.NewReader(payload))
	d.DisallowUnknownFields()
	if err := d.Decode(&c); err != nil {
		return c, err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return c, errors.New("data after the object")
	}
	if c.Seq <= 0 {
		return c, fmt.Errorf("sequence number %d", c.Seq)
	}
	if c.Audience != nil {
		for _, org := range *c.Audience {
			if err := org.Validate(); err != nil {
				return c, err
			}
		}
	}
	return c, nil
}

// Subscribers returns how many live connections are open, for the metrics.
func (s *Service) Subscribers() int {
	h := &s.live
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, m := range h.subs {
		n += len(m)
	}
	return n
}
