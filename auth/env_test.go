package auth_test

import (
	"context"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// env is package testenv's, with the short names these tests read best with: svc is the service under test, reg
// the registry it signs people in for.
type env struct {
	*testenv.Env
	ctx    context.Context
	svc    *auth.Service
	reg    *registry.Service
	st     store.Store
	w      *demo.World
	clock  *testenv.Clock
	path   string
	vkey   string
	ring   *keyring.Ring
	signer string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return wrap(testenv.New(t, testenv.Options{}))
}

func wrap(e *testenv.Env) *env {
	return &env{Env: e, ctx: e.Ctx, svc: e.Auth, reg: e.Reg, st: e.Store, w: e.World, clock: e.Clock, path: e.Path,
		vkey: e.VKey, ring: e.Ring, signer: e.Signer}
}

func (e *env) as(key string) cleared.Actor { return e.As(key) }

func (e *env) code(t *testing.T, login string) string { return e.Code(t, login) }

func (e *env) signIn(t *testing.T, login string, terminal cleared.TerminalID) string {
	return e.SignIn(t, login, terminal)
}

var wantRule = testenv.WantRule

func (e *env) last(t *testing.T, n int) []audit.Record { return e.Last(t, n) }

func (e *env) size(t *testing.T) uint64 { return e.Size(t) }
