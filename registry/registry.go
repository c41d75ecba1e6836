// Package registry is the service of Chapters 2 and 3 of the law of 15 June 2004: it keeps the registers
// (organisations, persons and their security officers, Art. 2; clearances imported from the paper register,
// Art. 14–17; classifying authorities and delegations, Art. 5; places, security zones and terminals, Art. 8 and
// Art. 9 al. 2; accredited channels, Art. 11; the table of equivalences, Art. 6) and the classified pieces
// themselves: classify (Art. 3–5), grant need-to-know and read (Art. 9), destroy with a signed and countersigned
// report (Art. 10, A10.1, A10.2, signatures E2 by package keyring/sign), list what one may see, the agenda of
// reviews and expiries, and the audit log's checkpoints and proofs. Who signs in is package auth's. Downgrading
// and declassifying keep the history of a piece's markings (Art. 5 al. 2, Art. 7 al. 2; downgrade.go).
//
// Every action is one method, run by package internal/act in one database transaction: it loads what the policy
// needs (package internal/facts), asks package policy, applies the change only on allow, and appends the action's
// entry to the audit log in the same transaction (architecture, principles 2 and 3). Reads are actions too: the log
// answers who saw what. A refusal returns a *cleared.ErrForbidden naming the rule, or cleared.ErrNotFound when the
// caller may not know the object exists (principle 4): a hidden piece and a piece that never existed give the same
// error, and lists never include it. Content is encrypted with the piece's own key (package keyring) before it
// reaches the store, and decrypted only after the policy allows.
package registry

import (
	"context"
	"log/slog"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Limits on what one request may carry.
const (
	MaxContentSize = 32 << 20 // bytes of one electronic piece's content
	maxTitle       = 300
	maxMarking     = 120 // characters of a foreign marking as given (a table's markings are at most 80)
	maxName        = 200
	maxText        = 2000
	maxListLimit   = 500
	defaultLimit   = 50
)

// Service is the registry. Its methods are safe for concurrent use.
type Service struct {
	store  store.Store
	run    *act.Runner
	ring   *keyring.Ring
	now    func() time.Time
	log    *slog.Logger
	signer string // the audit log's note signer key
	// webhookHTTP is Config.WebhookLoopbackHTTP.
	webhookHTTP bool
	// agenda are the other services' sources of the agenda (agenda.go).
	agenda []facts.AgendaSource
	// cache keeps what reads' access decisions read (see cache.go).
	cache caches
	// receiptDelay is Config.ReceiptDelay, defaulted (transmissions.go).
	receiptDelay time.Duration
	// wake and escalation: see Config.Wake and Config.IncidentEscalation (incidents.go).
	wake       func()
	escalation time.Duration
}

// Config holds what a Service needs besides its runner and key ring. Zero values give the system clock and the
// default logger.
type Config struct {
	Now func() time.Time
	Log *slog.Logger
	// AuditSigner is the note signer key ("PRIVATE+KEY+<origin>+…", see audit.NewKey) whose verifier key checks the
	// audit log's signed heads before a checkpoint or a proof is served; without it none is served.
	AuditSigner string
	// Agenda are the sources the other services contribute to the agenda, after the registry's own.
	Agenda []facts.AgendaSource
	// ReceiptDelay is how long after a transmission its sender's agenda waits for the receipt before flagging it
	// (A11.2); zero is policy.ReceiptDelay, two days.
	ReceiptDelay time.Duration
	// Wake, if set, is called after an action that wrote messages to the outbox has committed (an incident
	// reported, detected or escalated, A13.1), so that the dispatcher sends them at once rather than at its next
	// poll.
	Wake func()
	// IncidentEscalation is how long a warning of an incident waits for its acknowledgement before it escalates
	// (EscalateIncidents); DefaultEscalation if zero.
	IncidentEscalation time.Duration
	// WebhookLoopbackHTTP accepts webhook URLs in plain http:// to a loopback host (tests, a receiver on the same
	// machine); every other endpoint is https:// (webhooks.go).
	WebhookLoopbackHTTP bool
}

// New returns a Service that runs its actions through run, over run's store, encrypting content with ring. The
// services of one process share one runner, so that the checkpoint writer counts every entry.
func New(run *act.Runner, ring *keyring.Ring, cfg Config) *Service {
	s := &Service{store: run.Store(), run: run, ring: ring, now: cfg.Now, log: cfg.Log, signer: cfg.AuditSigner,
		agenda: cfg.Agenda, wake: cfg.Wake, escalation: cfg.IncidentEscalation,
		webhookHTTP: cfg.WebhookLoopbackHTTP}
	if s.escalation <= 0 {
		s.escalation = DefaultEscalation
	}
	s.cache.contents.Max = cacheContents
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.receiptDelay = cfg.ReceiptDelay; s.receiptDelay <= 0 {
		s.receiptDelay = policy.ReceiptDelay
	}
	return s
}

// Ready reports whether the service can act: its database answers, its key ring holds a current key, and the audit
// log can be written (act.Runner.Ready: without it every action fails closed).
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return err
	}
	if s.ring == nil || s.ring.Current() == "" {
		return cleared.Unavailablef("the key ring holds no current key")
	}
	return s.run.Ready(ctx)
}

// clock returns the time of one action, fixed for its transaction and truncated to microseconds, which every
// database keeps exactly.
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
