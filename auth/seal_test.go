package auth_test

import (
	"database/sql"
	"log/slog"
	"testing"

	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/store/sqlite"
)

// restartAfterEdit plays issue 17's hostile database administrator on sign-in: the server stopped, the SQLite file
// edited with his own SQL (he holds no key), the server started again with the key ring's register key.
func restartAfterEdit(t *testing.T, e *env, stmts ...string) *auth.Service {
	t.Helper()
	if err := e.st.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", e.path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(e.ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	db.Close()
	st, err := sqlite.Open(e.ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SetSealKey(e.SealKey); err != nil {
		t.Fatal(err)
	}
	return auth.New(act.New(st, slog.New(slog.DiscardHandler), nil), e.Ring, auth.Config{Now: e.clock.Now})
}

// A revoked token restored, with its scopes widened and its expiry pushed back, in the database signs no one in.
func TestSealedRegisters_A13_1_restored_token_signs_no_one_in(t *testing.T) {
	e := newEnv(t)
	secret := auth.TokenPrefix + "demo_lea"
	a, k, err := e.svc.Authenticate(e.ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RevokeToken(e.ctx, a, k.ID); err != nil {
		t.Fatal(err)
	}
	svc := restartAfterEdit(t, e, `UPDATE tokens SET revoked = NULL, scopes = 'read,write', expires = expires + 315360000000000000 WHERE id = '`+string(k.ID)+`'`)
	if a, _, err := svc.Authenticate(e.ctx, secret); err == nil {
		t.Fatalf("the restored token signs %s in", a.Person)
	}
}

// A password hash set by the administrator to one he knows signs no one in.
func TestSealedRegisters_A13_1_known_password_hash_signs_no_one_in(t *testing.T) {
	e := newEnv(t)
	h, err := account.HashPasswordCheaply("known to the administrator 1")
	if err != nil {
		t.Fatal(err)
	}
	svc := restartAfterEdit(t, e, `UPDATE accounts SET password_hash = '`+h+`', totp = NULL, totp_kek = NULL WHERE login = 'nina'`)
	if _, err := svc.Login(e.ctx, auth.LoginInput{Login: "nina", Password: "known to the administrator 1", Remote: "192.0.2.1"}); err == nil {
		t.Fatal("the administrator signs in as nina with a password hash of his own")
	}
}
