package auth

import (
	"context"
	"encoding/hex"
	"errors"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// certificateRecord is a client certificate and its terminal (nil if it is gone).
type certificateRecord struct {
	cert     cleared.TerminalCertificate
	terminal *cleared.Terminal
}

// TerminalByCertificate returns the terminal a client certificate speaks for, given its fingerprint (the SHA-256
// of its DER). An unknown, revoked or expired certificate, or one of a revoked terminal, is
// cleared.ErrUnauthenticated (policy.TerminalCertificate), and that refusal is appended to the audit log
// (action "terminal.certificate"): a revoked terminal's certificate still presented is a security event. A good
// certificate is not logged here, since every request of that terminal presents it; the action the request then
// asks for is.
func (s *Service) TerminalByCertificate(ctx context.Context, fingerprint []byte) (id cleared.TerminalID, err error) {
	if len(fingerprint) != 32 {
		return "", cleared.ErrUnauthenticated
	}
	now := s.clock()
	key := [32]byte(fingerprint)
	gen := s.store.Generation()
	if r, ok := s.certificates.Get(key, gen); ok {
		if d := policy.TerminalCertificate(&r.cert, r.terminal, now); d.Allowed {
			return r.cert.Terminal, nil
		}
		// Expired since it was kept: decided and recorded below, from the store.
	}
	var c *cleared.TerminalCertificate
	var term *cleared.Terminal
	var d policy.Decision
	err = s.store.View(ctx, func(tx store.Tx) error {
		c, term, d = nil, nil, policy.Decision{}
		rec, err := tx.TerminalCertificate(fingerprint)
		switch {
		case err == nil:
			c = &rec
		case !errors.Is(err, cleared.ErrNotFound):
			return err
		}
		if c != nil {
			t, err := tx.Terminal(c.Terminal)
			switch {
			case err == nil:
				term = &t
			case !errors.Is(err, cleared.ErrNotFound):
				return err
			}
		}
		d = policy.TerminalCertificate(c, term, now)
		return nil
	})
	if err != nil {
		return "", err
	}
	if d.Allowed {
		s.certificates.Put(key, gen, certificateRecord{cert: *c, terminal: term})
		return c.Terminal, nil
	}
	x := s.run.Act(cleared.Actor{}, act.TerminalCertificate, now)
	x.Object = "sha256:" + hex.EncodeToString(fingerprint)
	if c != nil {
		x.Actor.Terminal = c.Terminal
	}
	s.log.Warn("terminal certificate refused", "terminal", x.Actor.Terminal, "certificate", x.Object, "reason", d.Reason)
	return "", x.Record(ctx, d, cleared.ErrUnauthenticated)
}
