// Package registry holds the services that keep the registers of the law of 15 June 2004: organisations, persons
// and their security officers (Art. 2), clearances imported from the paper register (Art. 14–17), classifying
// authorities and delegations (Art. 5), places and terminals (Art. 8, Art. 9 al. 2), accredited channels
// (Art. 11), and the classified pieces themselves: classify (Art. 3–5), grant need-to-know and read (Art. 9),
// list what one may see.
//
// Every action is one method, and every method runs in one database transaction: it loads what the policy needs,
// asks package policy, applies the change only on allow, and appends the action's entry to the audit log in the
// same transaction (architecture, principles 2 and 3). Reads are actions too: the log answers who saw what. A refusal returns a
// *cleared.ErrForbidden naming the rule, or cleared.ErrNotFound when the caller may not know the object exists
// (principle 4): a hidden piece and a piece that never existed give the same error, and lists never include it.
// Content is encrypted with the piece's own key (package keyring) before it reaches the store, and decrypted only
// after the policy allows.
package registry

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Limits on what one request may carry.
const (
	MaxContentSize = 32 << 20 // bytes of one electronic piece's content
	maxTitle       = 300
	maxName        = 200
	maxText        = 2000
	maxListLimit   = 500
	defaultLimit   = 50
)

// Service is the registry. Its methods are safe for concurrent use.
type Service struct {
	store    store.Store
	ring     *keyring.Ring
	now      func() time.Time
	log      *slog.Logger
	signer   string // the audit log's note signer key
	appended appendCounter
	observe  func(action string, allowed bool, rule string)
	// webauthn checks security keys; nil: none can be used (no public URL configured).
	webauthn *webauthn.WebAuthn
	// cache keeps what reads' access decisions read (see cache.go).
	cache caches
	// phantoms locks logins that name no account as accounts are locked.
	phantoms phantoms
}

// Config holds what a Service needs besides its store and key ring. Zero values give the system clock and the
// default logger.
type Config struct {
	Now func() time.Time
	Log *slog.Logger
	// AuditSigner is the note signer key ("PRIVATE+KEY+<origin>+…", see audit.NewKey) that signs the audit log's
	// checkpoints; without it no checkpoint can be made.
	AuditSigner string
	// Observe, if set, is told of every decision once its audit entry is written (for metrics); it must be quick.
	Observe func(action string, allowed bool, rule string)
	// WebAuthn, if set, lets accounts register and use security keys (see NewWebAuthn).
	WebAuthn *webauthn.WebAuthn
}

// New returns a Service over st, encrypting content with ring.
func New(st store.Store, ring *keyring.Ring, cfg Config) *Service {
	s := &Service{store: st, ring: ring, now: cfg.Now, log: cfg.Log, signer: cfg.AuditSigner, observe: cfg.Observe,
		webauthn: cfg.WebAuthn}
	s.cache.contents.max = cacheContents
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

// actorPerson loads the acting person; an actor whose person is gone is unauthenticated.
func actorPerson(tx store.Tx, a cleared.Actor) (cleared.Person, error) {
	if err := a.Person.Validate(); err != nil {
		return cleared.Person{}, cleared.ErrUnauthenticated
	}
	p, err := tx.Person(a.Person)
	if errors.Is(err, cleared.ErrNotFound) {
		return cleared.Person{}, cleared.ErrUnauthenticated
	}
	return p, err
}

// requireNSA loads the actor and checks that he keeps the NSA's registers (A20.1).
func (x *act) requireNSA(tx store.Tx) (cleared.Person, error) {
	p, err := actorPerson(tx, x.actor)
	if err != nil {
		return p, err
	}
	cs, err := tx.PersonClearances(p.ID)
	if err != nil {
		return p, err
	}
	if d := policy.NSARegister(p, cs, x.now); !d.Allowed {
		return p, x.deny("", d)
	}
	return p, nil
}

// subject loads what access decisions need about the actor at now: person, clearances, active grants, terminal.
func subject(tx store.Tx, a cleared.Actor, now time.Time) (*policy.Subject, cleared.Person, error) {
	p, err := actorPerson(tx, a)
	if err != nil {
		return nil, p, err
	}
	return subjectOf(tx, p, a.Terminal, now)
}

func subjectOf(tx store.Tx, p cleared.Person, terminal cleared.TerminalID, now time.Time) (*policy.Subject, cleared.Person, error) {
	cs, err := tx.PersonClearances(p.ID)
	if err != nil {
		return nil, p, err
	}
	gs, err := tx.PersonGrants(p.ID, now)
	if err != nil {
		return nil, p, err
	}
	sub := &policy.Subject{Person: p.ID, ClearanceExempt: p.GovernmentMember, Clearances: cs, Grants: policy.NewGrantSet(gs)}
	if terminal != "" {
		t, err := tx.Terminal(terminal)
		switch {
		case err == nil:
			sub.Terminal = &t
		case !errors.Is(err, cleared.ErrNotFound): // an unknown terminal is no terminal (A9.3)
			return nil, p, err
		}
	}
	return sub, p, nil
}

// officerOf lists the organisations a person is security officer of at now.
func officerOf(tx store.Tx, p cleared.PersonID, now time.Time) ([]cleared.OrganisationID, error) {
	ds, err := tx.OfficerDesignations(p)
	if err != nil {
		return nil, err
	}
	var out []cleared.OrganisationID
	for _, d := range ds {
		if d.ActiveAt(now) {
			out = append(out, d.OrganisationID)
		}
	}
	return out, nil
}

// authorityFacts loads what Art. 5's rules need about an authority.
func authorityFacts(tx store.Tx, id cleared.AuthorityID) (policy.Authority, error) {
	var f policy.Authority
	a, err := tx.Authority(id)
	if err != nil {
		return f, err
	}
	f.Office = a
	if f.Person, err = tx.Person(a.PersonID); err != nil {
		return f, err
	}
	if f.Clearances, err = tx.PersonClearances(a.PersonID); err != nil {
		return f, err
	}
	if f.Delegations, err = tx.Delegations(a.ID); err != nil {
		return f, err
	}
	f.Principals = map[cleared.AuthorityID]cleared.ClassifyingAuthority{}
	for _, d := range f.Delegations {
		p, err := tx.Authority(d.Principal)
		if err != nil {
			return f, err
		}
		f.Principals[p.ID] = p
	}
	return f, nil
}

// actsFor lists the authorities that may act for a piece's originator (A5.2), following successors and
// delegations through the store.
func actsFor(tx store.Tx, originator cleared.AuthorityID, classified time.Time) ([]cleared.AuthorityID, error) {
	known := map[cleared.AuthorityID]cleared.ClassifyingAuthority{}
	load := func(id cleared.AuthorityID) error {
		for id != "" && len(known) < 1000 {
			if _, ok := known[id]; ok {
				return nil
			}
			a, err := tx.Authority(id)
			if err != nil {
				return err
			}
			known[id] = a
			id = a.Successor
		}
		return nil
	}
	if err := load(originator); err != nil {
		return nil, err
	}
	o := known[originator]
	ds, err := tx.Delegations(originator)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if err := load(d.Principal); err != nil {
			return nil, err
		}
	}
	return policy.ActsFor(o, classified, ds, known), nil
}
