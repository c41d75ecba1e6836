// Package vetting is the service of Chapter 4 of the law of 15 June 2004 (Art. 14–29): how a person or a company
// becomes cleared, stays cleared and loses it. Its first part, posts.go and exemptions.go, is what the procedure
// starts from: the posts and classified contracts that need a clearance, with the level each requires (Art. 14,
// Art. 16 al. 2; A14.1, A16.1), the persons assigned to them, flagged to their security officer when they lack
// the clearance their assignment needs, and the categories the law exempts (members of the Government and of the
// parliamentary oversight committee, Art. 14), kept as data with dated memberships.
//
// It is a sibling of package registry over the same runner (internal/act: one transaction per action, its audit
// entry in it, refusals audited), facts (internal/facts), pure decisions (package policy, posts.go) and storage
// chapters (store.Posts). Refusals name their rule; what the caller may not know exists answers
// cleared.ErrNotFound. Its agenda items reach the agenda through registry.Config.Agenda (agenda.go).
package vetting

import (
	"log/slog"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/store"
)

// Limits on what one request may carry.
const (
	maxTitle     = 300
	maxName      = 200
	maxListLimit = 500
	defaultLimit = 50
)

// Service is the vetting service. Its methods are safe for concurrent use.
type Service struct {
	store store.Store
	run   *act.Runner
	ring  *keyring.Ring
	now   func() time.Time
	log   *slog.Logger
	// signer signs the person's questionnaire and consent (registry.Service.SignFor); without it they are not
	// signed: fail closed.
	signer Signer
}

// Signer signs doc as person p within the action x (its transaction tx), returning the certificate's fingerprint
// and the detached CMS signature, and gives the certificate (PEM) of the CA that verifies them:
// registry.Service.SignFor and SigningCA, cleared's signing service (docs/signing.md).
type Signer interface {
	SignFor(tx store.Tx, x *act.Act, p cleared.Person, doc []byte) (string, []byte, error)
	SigningCA() ([]byte, error)
}

// UseSigner sets the signing service; called once, before the service is used (the registry is built after it,
// over the same runner, with the vetting service as one of its agenda's sources).
func (s *Service) UseSigner(sg Signer) { s.signer = sg }

// Config holds what a Service needs besides its runner and key ring. Zero values give the system clock and the
// default logger.
type Config struct {
	Now func() time.Time
	Log *slog.Logger
}

// New returns a Service that runs its actions through run, over run's store; ring is the key ring the later parts
// of the procedure encrypt investigation data with. The services of one process share one runner.
func New(run *act.Runner, ring *keyring.Ring, cfg Config) *Service {
	s := &Service{store: run.Store(), run: run, ring: ring, now: cfg.Now, log: cfg.Log}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
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

// period checks a period given as input: a start (now if not given), and an end after it if any; both truncated
// as stored.
func period(from, until, now time.Time) (cleared.Period, error) {
	if from.IsZero() {
		from = now
	}
	p := cleared.Period{From: from.UTC().Truncate(time.Microsecond)}
	if !until.IsZero() {
		p.Until = until.UTC().Truncate(time.Microsecond)
		if !p.Until.After(p.From) {
			return p, cleared.Invalidf("until must be after from")
		}
	}
	return p, nil
}
