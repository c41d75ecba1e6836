// Package sharing is the service that shares the intelligence service's products with partners (S1) and the
// national bodies the law names (S2): the register of partners (their scheme of markings, mapped through the
// equivalence table, A6.1; the highest level each may receive; the accredited channels that reach it, A11.1; the
// client certificates it presents), the releases of products to releasability sets, with four eyes above a level,
// and their delivery, each delivery recorded as a transmission of the piece to the partner (A11.2), so that the
// originator and the NSA list every recipient of a product.
//
// A product is a classified piece whose content is a cleared.Product in JSON; its level, markings and originator
// are the piece's. Releasing does not copy it: what a partner receives is rendered at delivery, in the markings of
// the partner's scheme (policy.ForeignMarking), by the codecs of sharing/misp and sharing/stix, and only while
// policy.Deliverable allows it: a release revoked, a partner suspended or out of its agreement, a channel no longer
// accredited stops delivery at the next request.
//
// It is a sibling of packages registry and vetting over the same runner (internal/act), facts (internal/facts),
// pure decisions (policy/sharing.go) and storage chapter (store.Sharing).
package sharing

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/store"
)

// Limits on what one request may carry.
const (
	maxName      = 200
	maxListLimit = 500
	defaultLimit = 50
	maxCerts     = 20
	maxGroups    = 20
)

// Service is the sharing service. Its methods are safe for concurrent use.
type Service struct {
	store store.Store
	run   *act.Runner
	ring  *keyring.Ring
	now   func() time.Time
	log   *slog.Logger
	// fourEyes is the level from which a release needs a second person.
	fourEyes cleared.Level
	// notify is told of every change of a release once committed, with its sequence number and audience.
	notify func(seq int64, audience []cleared.OrganisationID)
	// wake wakes the outbox's dispatcher (Config.Wake).
	wake func()
	// live wakes the live feed's subscribers of the partners a change reaches (live.go).
	live hub
	// reg registers the products received (imports.go); nil in a service that imports nothing.
	reg Classifier
	// pullClient asks partners' servers for their products (pull.go).
	pullClient *http.Client
}

// Config holds what a Service needs besides its runner and key ring. Zero values give the system clock, the
// default logger and policy.FourEyesLevel.
type Config struct {
	Now func() time.Time
	Log *slog.Logger
	// FourEyes is the level from which a release needs a second person; cleared.Unclassified means every release.
	FourEyes *cleared.Level
	// Wake, if set, is called after a change that wrote push calls to the outbox has committed (package notify's
	// dispatcher sends them).
	Wake func()
	// Registry registers the products received from partners (Import); without it, Import is refused.
	Registry Classifier
	// PullClient asks partners' servers for what is new (Poll): its TLS configuration holds cleared's client
	// certificate and the roots that partners' servers are checked against. Nil gives the system's roots and no
	// client certificate. Its CheckRedirect is replaced: a poll never follows a redirect.
	PullClient *http.Client
}

// New returns a Service that runs its actions through run, over run's store; ring opens the products' content.
func New(run *act.Runner, ring *keyring.Ring, cfg Config) *Service {
	s := &Service{store: run.Store(), run: run, ring: ring, now: cfg.Now, log: cfg.Log, fourEyes: cleared.Secret, wake: cfg.Wake, reg: cfg.Registry}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if cfg.FourEyes != nil {
		s.fourEyes = *cfg.FourEyes
	}
	s.pullClient = defaultPullClient()
	if cfg.PullClient != nil {
		c := *cfg.PullClient
		c.CheckRedirect = noRedirect
		if c.Timeout == 0 {
			c.Timeout = pullTimeout
		}
		s.pullClient = &c
	}
	return s
}

// OnChange sets the function told of each committed change of a release (a release, an approval, a revocation)
// with its sequence number and the partners it reaches, beside this process's live feed: another instance's feed
// is woken through it (the database's notifications). Called once, before the service is used.
func (s *Service) OnChange(f func(seq int64, audience []cleared.OrganisationID)) { s.notify = f }

// changed tells the live feed, and OnChange's function, of the committed change r, and wakes the dispatcher of
// the outbox if doorbells were written with it (rang).
func (s *Service) changed(r cleared.Release, rang bool) {
	if rang && s.wake != nil {
		s.wake()
	}
	if r.Seq <= 0 {
		return // a proposal: no partner sees it
	}
	s.Changed(r.Audience)
	if s.notify != nil {
		s.notify(r.Seq, r.Audience)
	}
}

// clock returns the time of one action, truncated to microseconds, which every database keeps exactly.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// page normalises a list limit.
func page(limit int) int {
	switch {
	case limit <= 0:
		return defaultLimit
	case limit > maxListLimit:
		return maxListLimit
	}
	return limit
}
