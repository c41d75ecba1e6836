package sharing

import (
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
