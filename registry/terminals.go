package registry

import (
	"context"
	"encoding/hex"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Terminals prove where a request comes from with a client certificate issued by the server's own CA (package
// keyring/pki): TRES SECRET content only reaches a terminal in a security zone (A8.2), and a request from no
// registered terminal is a public place, where no classified content is shown (A9.3).

// MaxTerminalCertificateTTL bounds a terminal certificate's life, like a token's.
const MaxTerminalCertificateTTL = 366 * 24 * time.Hour

// NewTerminalCertificate is the input of IssueTerminalCertificate.
type NewTerminalCertificate struct {
	Terminal cleared.TerminalID `json:"terminal"`
	// IssuedBy is the person the log records as issuing it; empty: the security officer who registered the
	// terminal.
	IssuedBy cleared.PersonID `json:"issued_by,omitempty"`
	TTL      time.Duration    `json:"ttl"`
}

// TerminalCA returns the certificate authority kept in the service's key ring: [pki.ErrNoCA] if the ring holds
// none (a data folder made before terminals had certificates; `cleared terminal ca` creates one).
func (s *Service) TerminalCA() (*pki.CA, error) {
	if s.ring == nil {
		return nil, pki.ErrNoCA
	}
	return pki.FromRing(s.ring)
}

// IssueTerminalCertificate issues a client certificate to a registered terminal with ca and records it, so that
// requests presenting it count as coming from that terminal (A8.2, A9.3). It returns the certificate and its
// private key (PEM), shown only now: the store keeps the certificate's fingerprint, never the key. This is an
// operator's act on the server (cleared terminal issue), not an API call; the log records it in the same
// transaction. A missing terminal or person is cleared.ErrNotFound, a revoked terminal cleared.ErrConflict.
func (s *Service) IssueTerminalCertificate(ctx context.Context, in NewTerminalCertificate, ca *pki.CA) (certPEM, keyPEM []byte, c cleared.TerminalCertificate, err error) {
	defer cleared.Wrap(&err, "issue certificate of terminal %s", in.Terminal)
	if err := in.Terminal.Validate(); err != nil {
		return nil, nil, c, err
	}
	if in.IssuedBy != "" {
		if err := in.IssuedBy.Validate(); err != nil {
			return nil, nil, c, err
		}
	}
	if in.TTL <= 0 || in.TTL > MaxTerminalCertificateTTL {
		return nil, nil, c, cleared.Invalidf("a terminal certificate lives more than zero and at most %d days", int(MaxTerminalCertificateTTL.Hours()/24))
	}
	if ca == nil {
		return nil, nil, c, cleared.Unavailablef("no terminal certificate authority: %v", pki.ErrNoCA)
	}
	now := s.clock()
	// Signing is done once, outside the transaction, which the database may run more than once.
	certPEM, keyPEM, serial, fp, err := ca.IssueTerminal(in.Terminal, now, in.TTL)
	if err != nil {
		return nil, nil, c, err
	}
	cert, err := pki.ParseCertificate(certPEM)
	if err != nil {
		return nil, nil, c, err
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		t, err := tx.Terminal(in.Terminal)
		if err != nil {
			return err
		}
		if !t.Revoked.IsZero() {
			return cleared.Conflictf("terminal %s is revoked: register a new one", t.ID)
		}
		by := in.IssuedBy
		if by == "" {
			by = t.RegisteredBy
		}
		if _, err := tx.Person(by); err != nil {
			return err
		}
		c = cleared.TerminalCertificate{Fingerprint: fp, Terminal: t.ID, Serial: serial, NotAfter: cert.NotAfter.UTC(),
			IssuedBy: by, Issued: now}
		if err := tx.CreateTerminalCertificate(c); err != nil {
			return err
		}
		// An operator's act on the server: the log records it under the issuing person; the key is never logged.
		x := s.run.Act(cleared.Actor{Person: by}, act.TerminalCertificateIssue, now)
		x.Object, x.Payload = string(t.ID), map[string]any{"serial": serial, "fingerprint": hex.EncodeToString(fp),
			"not_after": c.NotAfter}
		_, err = x.Append(tx, policy.Allow)
		return err
	})
	if err != nil {
		return nil, nil, cleared.TerminalCertificate{}, err
	}
	return certPEM, keyPEM, c, nil
}

// RevokeTerminal ends a terminal and every certificate issued to it: from now on requests presenting them are
// refused, and tokens and sessions bound to it count as coming from no registered terminal (A9.3). The security
// officer of the terminal's organisation or an NSA officer revokes (A9.2, policy.RevokeTerminal); a missing
// terminal is cleared.ErrNotFound, a revoked one cleared.ErrConflict.
func (s *Service) RevokeTerminal(ctx context.Context, a cleared.Actor, id cleared.TerminalID) (err error) {
	defer cleared.Wrap(&err, "revoke terminal %s", id)
	if err := id.Validate(); err != nil {
		return err
	}
	now := s.clock()
	return s.run.Do(ctx, a, act.TerminalRevoke, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		t, err := tx.Terminal(id)
		if err != nil {
			return err
		}
		var org cleared.OrganisationID
		if t.Place != "" {
			pl, err := tx.Place(t.Place)
			if err != nil {
				return err
			}
			org = pl.OrganisationID
		}
		cs, err := tx.PersonClearances(me.ID)
		if err != nil {
			return err
		}
		orgs, err := facts.OfficerOf(tx, me.ID, now)
		if err != nil {
			return err
		}
		if d := policy.RevokeTerminal(me, cs, orgs, org, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		certs, err := tx.TerminalCertificates(id)
		if err != nil {
			return err
		}
		live := 0
		for _, c := range certs {
			if c.Revoked.IsZero() && now.Before(c.NotAfter) {
				live++
			}
		}
		x.Object, x.Payload = string(id), map[string]any{"certificates_revoked": live}
		return tx.RevokeTerminal(id, now)
	})
}

// TerminalRecord is a terminal with the certificates issued to it.
type TerminalRecord struct {
	cleared.Terminal
	Certificates []cleared.TerminalCertificate `json:"certificates"`
}

// TerminalsWithCertificates lists registered terminals by ID, revoked ones included, with their certificates,
// after the terminal after (empty for the first page). It is the operator's view on the server (cleared terminal
// list), which holds the key ring; it is not an API call and is not audited.
func (s *Service) TerminalsWithCertificates(ctx context.Context, after cleared.TerminalID, limit int) (out []TerminalRecord, err error) {
	defer cleared.Wrap(&err, "list terminals")
	err = s.store.View(ctx, func(tx store.Tx) error {
		out = nil
		ts, err := tx.Terminals(store.Page{After: string(after), Limit: page(limit)})
		if err != nil {
			return err
		}
		for _, t := range ts {
			cs, err := tx.TerminalCertificates(t.ID)
			if err != nil {
				return err
			}
			out = append(out, TerminalRecord{Terminal: t, Certificates: cs})
		}
		return nil
	})
	return out, err
}

// Terminals lists the register of terminals (A8.2, A9.3), by ID, revoked ones included, to anyone signed in.
func (s *Service) Terminals(ctx context.Context, a cleared.Actor, after string, limit int) (ts []cleared.Terminal, err error) {
	defer cleared.Wrap(&err, "list terminals")
	err = s.run.Read(ctx, a, act.TerminalList, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		ts, err = tx.Terminals(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(ts)}
		return err
	})
	return ts, err
}

// DemoTerminals lists the terminals that are not revoked, without a signed-in actor, for the demonstration's
// sign-in form only (where a terminal is chosen instead of presented by a client certificate). The web adapter
// calls it only in demo mode.
func (s *Service) DemoTerminals(ctx context.Context) (ts []cleared.Terminal, err error) {
	defer cleared.Wrap(&err, "list demo terminals")
	err = s.store.View(ctx, func(tx store.Tx) error {
		all, err := tx.Terminals(store.Page{Limit: maxListLimit})
		for _, t := range all {
			if t.Revoked.IsZero() {
				ts = append(ts, t)
			}
		}
		return err
	})
	return ts, err
}
