// Package auth is the service that tells who acts: accounts and their passwords, TOTP codes and security keys
// (WebAuthn), sign-in through an organisation's identity provider (OpenID Connect), browser sessions, API tokens,
// and the terminals' client certificates. Every other service receives the cleared.Actor it establishes, and the
// law's rules then apply to that person at that terminal (A8.1, A8.2, A9.3: the terminal is part of who acts).
//
// Its actions run through package act as the registry's do: one transaction, its audit entry in it, fail closed.
// A sign-in's refusal commits with what it counts (act.Runner.Commit), so that no failed attempt escapes the
// lock-out and none is counted without its entry. A login that names no account is locked out as an account is,
// with the same answer, so that a lock-out does not tell which logins exist. The rules of signing in are decided
// in package policy (signin.go); the pure mechanics (password hashing, TOTP, lock-out arithmetic, session
// lifetimes) are package account.
package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/store"
)

// Limits on what one request may carry.
const (
	maxName      = 200
	maxListLimit = 500
	defaultLimit = 50
)

// Service is the sign-in service. Its methods are safe for concurrent use.
type Service struct {
	store store.Store
	run   *act.Runner
	ring  *keyring.Ring // seals the TOTP secrets
	now   func() time.Time
	log   *slog.Logger
	// webauthn checks security keys; nil: none can be used (no public URL configured).
	webauthn *webauthn.WebAuthn
	// phantoms locks logins that name no account as accounts are locked.
	phantoms phantoms
	// What every request of a signed-in user reads again, kept for reads (package facts, memo.go).
	sessions     facts.Memo[[32]byte, cleared.Session]
	certificates facts.Memo[[32]byte, certificateRecord]
}

// Config holds what a Service needs besides its runner and key ring. Zero values give the system clock, the
// default logger and no security keys.
type Config struct {
	Now func() time.Time
	Log *slog.Logger
	// WebAuthn, if set, lets accounts register and use security keys (see NewWebAuthn).
	WebAuthn *webauthn.WebAuthn
}

// New returns a Service that runs its actions through run (shared with the other services of the process), over
// run's store, sealing TOTP secrets with ring.
func New(run *act.Runner, ring *keyring.Ring, cfg Config) *Service {
	s := &Service{store: run.Store(), run: run, ring: ring, now: cfg.Now, log: cfg.Log, webauthn: cfg.WebAuthn}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// Ready reports whether the service can act: its database answers and its key ring holds a current key.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return err
	}
	if s.ring == nil || s.ring.Current() == "" {
		return cleared.Unavailablef("the key ring holds no current key")
	}
	return nil
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
