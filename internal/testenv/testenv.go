// Package testenv builds, for any test, what every service test needs: a fresh store (SQLite by default), a key
// ring, an audit signing key, one runner, the services (registry, auth) and the demo world loaded through them,
// chapter by chapter, on a settable clock. It replaces a copy of that set-up in each package's tests, so that a
// new service or chapter is added here once.
package testenv

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
	"github.com/cleared/cleared/vetting"
)

// Start is the clock's time when the demo world is loaded; tests begin a minute later.
var Start = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// Clock is a settable time source for the services.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// Env is one test's world.
type Env struct {
	Ctx   context.Context
	Store store.Store
	Path  string // the SQLite file, for a second process or a command run beside
	Ring  *keyring.Ring
	Clock *Clock
	// Now is the services' clock: Clock's, or Options.Now.
	Now   func() time.Time
	Run   *act.Runner
	Reg   *registry.Service
	Auth  *auth.Service
	Vet   *vetting.Service // Chapter 4 (issue 20)
	Share *sharing.Service // sharing with partners (issue 21)
	World *demo.World
	// Signer signs the audit log's checkpoints; VKey verifies them.
	Signer, VKey string
	// SealKey seals the register rows (keyring.RegisterKey of Ring); a store opened again on Path needs it.
	SealKey []byte
}

// Sealable is a store that seals its register rows (sqlstore.Store).
type Sealable interface {
	SetSealKey(key []byte) error
	SetTamperHook(func(table, key string))
}

// Options change what New builds; the zero value is the default.
type Options struct {
	Store    store.Store // instead of a fresh SQLite database (the test closes it)
	Log      *slog.Logger
	Observe  act.Observer
	WebAuthn *webauthn.WebAuthn
	NoDemo   bool // an empty installation: no demo world
	// Now, if set, is the services' clock instead of Clock (Clock then stays at Start).
	Now func() time.Time
}

// New builds an Env with the demo world loaded at Start, the clock then a minute later.
func New(t testing.TB, o Options) *Env {
	t.Helper()
	ctx := context.Background()
	e := &Env{Ctx: ctx, Clock: NewClock(Start), Store: o.Store}
	if e.Store == nil {
		e.Path = filepath.Join(t.TempDir(), "cleared.db")
		st, err := sqlite.Open(ctx, e.Path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		e.Store = st
	}
	var err error
	if e.Ring, err = keyring.New(); err != nil {
		t.Fatal(err)
	}
	if e.Signer, e.VKey, err = audit.NewKey("cleared.test/audit"); err != nil {
		t.Fatal(err)
	}
	e.SealKey = e.Ring.NewRegisterKey()
	if st, ok := e.Store.(Sealable); ok {
		if err := st.SetSealKey(e.SealKey); err != nil {
			t.Fatal(err)
		}
	}
	e.SignWith(t, e.Store)
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := o.Now
	if now == nil {
		now = e.Clock.Now
	}
	e.Now = now
	e.Run = act.New(e.Store, log, o.Observe)
	e.Auth = auth.New(e.Run, e.Ring, auth.Config{Now: now, Log: log, WebAuthn: o.WebAuthn})
	e.Vet = vetting.New(e.Run, e.Ring, vetting.Config{Now: now, Log: log})
	e.Reg = registry.New(e.Run, e.Ring, registry.Config{Now: now, Log: log, AuditSigner: e.Signer,
		Agenda: []facts.AgendaSource{e.Auth, e.Vet}})
	e.Vet.UseSigner(e.Reg)
	e.Share = sharing.New(e.Run, e.Ring, sharing.Config{Now: now, Log: log, Registry: e.Reg})
	if o.NoDemo {
		return e
	}
	if e.World, err = demo.Load(ctx, e.Services(), now()); err != nil {
		t.Fatal(err)
	}
	e.Clock.Add(time.Minute)
	return e
}

// SignWith gives st the Env's audit signer key, as the server gives its store the key of the key ring: a store
// opened on the Env's database (another server process) must sign with the log's key, or it appends nothing.
func (e *Env) SignWith(t testing.TB, st store.Store) {
	t.Helper()
	if a, ok := st.(interface{ SetAuditSigner(string) error }); ok {
		if err := a.SetAuditSigner(e.Signer); err != nil {
			t.Fatal(err)
		}
	}
}

// Services are the Env's services, as the demo loads through them.
func (e *Env) Services() demo.Services {
	// Without sharing: the tests of the other chapters count the demo's pieces and organisations without its
	// partners and products; NewSharingWorld adds them.
	return demo.Services{Registry: e.Reg, Auth: e.Auth, Vetting: e.Vet, Run: e.Run}
}

// As is the demo account key's person at its terminal.
func (e *Env) As(key string) cleared.Actor {
	acc := e.World.Account(key)
	return cleared.Actor{Person: acc.Person.ID, Terminal: acc.Terminal}
}

// Who is person p at terminal t.
func Who(p cleared.Person, t cleared.TerminalID) cleared.Actor {
	return cleared.Actor{Person: p.ID, Terminal: t}
}

// WantRule fails t unless err is a refusal (403) by rule.
func WantRule(t testing.TB, err error, rule string) {
	t.Helper()
	var f *cleared.ErrForbidden
	if !errors.As(err, &f) {
		t.Fatalf("want refusal by %s, got %v", rule, err)
	}
	if f.Rule != rule {
		t.Fatalf("want refusal by %s, got refusal by %s: %s", rule, f.Rule, f.Reason)
	}
}

// Code is a demo login's TOTP code at the clock's time.
func (e *Env) Code(t testing.TB, login string) string {
	t.Helper()
	c, err := account.TOTPCode(demo.TOTPSecret(login), e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// SignIn signs a demo login in from terminal, both steps, and returns the session's secret.
func (e *Env) SignIn(t testing.TB, login string, terminal cleared.TerminalID) string {
	t.Helper()
	in, err := e.Auth.Login(e.Ctx, auth.LoginInput{Login: login, Password: demo.Password(login), Terminal: terminal, Remote: "192.0.2.1"})
	if err != nil {
		t.Fatalf("sign in %s: %v", login, err)
	}
	if in.Session.Stage != cleared.StageSecondFactor {
		t.Fatalf("after the password the session is %q, want waiting for the second factor", in.Session.Stage)
	}
	active, err := e.Auth.SecondFactor(e.Ctx, in.Secret, terminal, e.Code(t, login))
	if err != nil {
		t.Fatalf("second factor of %s: %v", login, err)
	}
	return active.Secret // the secret of the first step is replaced once the second factor succeeds
}

// Last returns the last n audit records.
func (e *Env) Last(t testing.TB, n int) []audit.Record {
	t.Helper()
	var rs []audit.Record
	err := e.Store.View(e.Ctx, func(tx store.Tx) error {
		size, err := tx.AuditSize()
		if err != nil {
			return err
		}
		rs, err = tx.AuditRecords(size-uint64(n), n)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// Size is the audit log's number of entries.
func (e *Env) Size(t testing.TB) uint64 {
	t.Helper()
	var n uint64
	if err := e.Store.View(e.Ctx, func(tx store.Tx) (err error) { n, err = tx.AuditSize(); return err }); err != nil {
		t.Fatal(err)
	}
	return n
}
