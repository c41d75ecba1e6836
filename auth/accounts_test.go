package auth_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/registry"
)

func TestService_Login(t *testing.T) {
	e := newEnv(t)
	zone := e.w.ZoneTerm.ID

	t.Run("OK", func(t *testing.T) {
		secret := e.signIn(t, "sophie", zone)
		a, x, err := e.svc.SessionActor(e.ctx, secret, zone)
		if err != nil {
			t.Fatal(err)
		}
		if a.Person != e.w.Sophie.ID || a.Terminal != zone || x.Method != "totp" {
			t.Errorf("session actor %+v method %q", a, x.Method)
		}
		// The session reads what Sophie may read from the zone: the TOP SECRET piece (A8.2 allowed).
		if _, _, err := e.reg.ReadContent(e.ctx, a, e.w.TopSecret.ID); err != nil {
			t.Errorf("read TOP SECRET from the zone through a session: %v", err)
		}
		rs := e.last(t, 1)
		if rs[0].Entry.Action != "piece.read_content" {
			t.Errorf("last entry %q", rs[0].Entry.Action)
		}
	})

	t.Run("ErrUnauthenticated wrong password, audited", func(t *testing.T) {
		before := e.size(t)
		_, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "tom", Password: "not the password", Remote: "192.0.2.1"})
		if !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatalf("wrong password: %v", err)
		}
		rs := e.last(t, 1)
		if e.size(t) != before+1 || rs[0].Entry.Action != "session.login" || rs[0].Entry.Allowed || rs[0].Entry.Actor != e.w.Tom.ID {
			t.Errorf("the failed sign-in is not recorded as Tom's refused session.login: %+v", rs[0].Entry)
		}
	})

	t.Run("ErrUnauthenticated unknown login looks like a wrong password", func(t *testing.T) {
		_, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "nobody", Password: "whatever password"})
		if !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatalf("unknown login: %v", err)
		}
		if rs := e.last(t, 1); rs[0].Entry.Action != "session.login" || rs[0].Entry.Allowed {
			t.Errorf("unknown login not recorded: %+v", rs[0].Entry)
		}
	})

	t.Run("ErrUnauthenticated wrong and replayed codes", func(t *testing.T) {
		in, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "lea", Password: demo.Password("lea")})
		if err != nil {
			t.Fatal(err)
		}
		// Waiting for the second factor, the session is no session yet.
		if _, _, err := e.svc.SessionActor(e.ctx, in.Secret, ""); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("a session without its second factor acts: %v", err)
		}
		if _, err := e.svc.SecondFactor(e.ctx, in.Secret, "", "000000"); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("wrong code: %v", err)
		}
		code := e.code(t, "lea")
		active, err := e.svc.SecondFactor(e.ctx, in.Secret, "", code)
		if err != nil {
			t.Fatalf("right code after a wrong one: %v", err)
		}
		// Session fixation: the secret of the password step opens nothing now; the new one is the session.
		if active.Secret == in.Secret || active.Session.ID == in.Session.ID {
			t.Errorf("the second factor kept the secret or the ID of the password step")
		}
		if _, _, err := e.svc.SessionActor(e.ctx, in.Secret, ""); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("the secret of the password step after the second factor: %v, want unauthenticated", err)
		}
		if _, err := e.svc.PendingSession(e.ctx, in.Secret, ""); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("the secret of the password step still waits for a second factor: %v", err)
		}
		if a, x, err := e.svc.SessionActor(e.ctx, active.Secret, ""); err != nil || x.ID != active.Session.ID || x.Method != "totp" || !x.Expires.Equal(in.Session.Expires) {
			t.Errorf("the new session: %+v %+v, %v", a, x, err)
		}
		// The same code, in the same 30 seconds, for a new sign-in: refused (replay).
		in2, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "lea", Password: demo.Password("lea")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SecondFactor(e.ctx, in2.Secret, "", code); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("replayed code: %v", err)
		}
		if rs := e.last(t, 1); rs[0].Entry.Action != "session.second_factor" || rs[0].Entry.Allowed {
			t.Errorf("the replay is not recorded as refused: %+v", rs[0].Entry)
		}
	})

	t.Run("a login that names no account locks as an account does", func(t *testing.T) {
		// The same answers, attempt after attempt, for an unknown login and for a real one with a wrong password:
		// a lock-out must not tell which logins exist.
		for i := range account.FreeAttempts + 2 {
			_, real := e.svc.Login(e.ctx, auth.LoginInput{Login: "nina", Password: "wrong password!"})
			_, none := e.svc.Login(e.ctx, auth.LoginInput{Login: "nobody-here", Password: "wrong password!"})
			var fr, fn *cleared.ErrForbidden
			switch {
			case errors.Is(real, cleared.ErrUnauthenticated) != errors.Is(none, cleared.ErrUnauthenticated),
				errors.As(real, &fr) != errors.As(none, &fn):
				t.Fatalf("attempt %d: a real login is answered %v, an unknown one %v", i+1, real, none)
			case fr != nil && (fr.Rule != fn.Rule || fr.Reason != fn.Reason):
				t.Fatalf("attempt %d: lock-outs differ: %q %q, %q %q", i+1, fr.Rule, fr.Reason, fn.Rule, fn.Reason)
			}
			if i == account.FreeAttempts {
				wantRule(t, none, auth.RuleLockout)
			}
		}
		e.clock.Add(account.MaxLock)
	})
	t.Run("ErrForbidden lock-out after five failures, audited, and back-off", func(t *testing.T) {
		for range account.FreeAttempts - 1 {
			if _, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "max", Password: "wrong password!"}); !errors.Is(err, cleared.ErrUnauthenticated) {
				t.Fatal(err)
			}
		}
		_, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "max", Password: "wrong password!"})
		if !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatal(err)
		}
		// Now even the right password is refused, saying why.
		_, err = e.svc.Login(e.ctx, auth.LoginInput{Login: "max", Password: demo.Password("max")})
		wantRule(t, err, auth.RuleLockout)
		var f *cleared.ErrForbidden
		if errors.As(err, &f); f.AuditSeq == 0 {
			t.Error("the lock-out refusal names no audit entry")
		}
		e.clock.Add(account.FirstLock)
		if _, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "max", Password: demo.Password("max")}); err != nil {
			t.Errorf("after the back-off the right password is refused: %v", err)
		}
	})

	t.Run("ErrUnauthenticated session from another terminal", func(t *testing.T) {
		secret := e.signIn(t, "anne", zone)
		// A8.2: the session opened in the zone cannot be used from the office terminal, nor from no terminal.
		for _, other := range []cleared.TerminalID{e.w.OfficeTerm.ID, ""} {
			if _, _, err := e.svc.SessionActor(e.ctx, secret, other); !errors.Is(err, cleared.ErrUnauthenticated) {
				t.Errorf("session used from %q: %v", other, err)
			}
		}
	})

	t.Run("ErrUnauthenticated after logout, idle timeout and absolute end", func(t *testing.T) {
		secret := e.signIn(t, "luc", "")
		if err := e.svc.Logout(e.ctx, secret); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.SessionActor(e.ctx, secret, ""); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("after logout: %v", err)
		}
		e.clock.Add(31 * time.Second) // a fresh TOTP step
		secret = e.signIn(t, "luc", "")
		e.clock.Add(account.IdleTimeout)
		if _, _, err := e.svc.SessionActor(e.ctx, secret, ""); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("after the idle timeout: %v", err)
		}
		secret = e.signIn(t, "luc", "")
		for range int(account.AbsoluteTimeout / (10 * time.Minute)) {
			e.clock.Add(10 * time.Minute)
			if _, _, err := e.svc.SessionActor(e.ctx, secret, ""); err != nil {
				break
			}
		}
		if _, _, err := e.svc.SessionActor(e.ctx, secret, ""); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("after the absolute end, kept alive all along: %v", err)
		}
	})

	t.Run("ErrUnauthenticated revoked from another session", func(t *testing.T) {
		e.clock.Add(31 * time.Second)
		first := e.signIn(t, "paul", "")
		e.clock.Add(31 * time.Second)
		second := e.signIn(t, "paul", "")
		a, _, err := e.svc.SessionActor(e.ctx, second, "")
		if err != nil {
			t.Fatal(err)
		}
		xs, err := e.svc.Sessions(e.ctx, a)
		if err != nil || len(xs) != 2 {
			t.Fatalf("Paul's sessions: %d, %v", len(xs), err)
		}
		_, x1, _ := e.svc.SessionActor(e.ctx, first, "")
		if err := e.svc.RevokeSession(e.ctx, a, x1.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.SessionActor(e.ctx, first, ""); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("revoked session still acts: %v", err)
		}
		// Another's session is not found.
		if err := e.svc.RevokeSession(e.ctx, e.as("tom"), x1.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Errorf("Tom revokes Paul's session: %v", err)
		}
	})
}

func TestService_ChangePassword(t *testing.T) {
	e := newEnv(t)
	a := e.as("tom")
	if err := e.svc.ChangePassword(e.ctx, a, "wrong old password", "a brand new password"); err == nil {
		t.Fatal("changed with a wrong old password")
	}
	if err := e.svc.ChangePassword(e.ctx, a, demo.Password("tom"), "short"); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("short password: %v", err)
	}
	if err := e.svc.ChangePassword(e.ctx, a, demo.Password("tom"), "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "tom", Password: demo.Password("tom")}); !errors.Is(err, cleared.ErrUnauthenticated) {
		t.Errorf("old password still works: %v", err)
	}
	if _, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "tom", Password: "a brand new password"}); err != nil {
		t.Errorf("new password refused: %v", err)
	}
}

func TestService_CreateAccount(t *testing.T) {
	e := newEnv(t)
	ada := cleared.Actor{Person: e.w.Ada.ID}
	p, err := e.reg.RegisterPerson(e.ctx, e.as("helene"), registry.NewPerson{OrganisationID: e.w.Ministry.ID, Name: "Eva Lentz"})
	if err != nil {
		t.Fatal(err)
	}
	in := auth.NewAccount{PersonID: p.ID, Login: "eva", Password: "eva's first password"}
	t.Run("ErrForbidden not an admin", func(t *testing.T) {
		_, err := e.svc.CreateAccount(e.ctx, e.as("helene"), in)
		wantRule(t, err, "AUTH.ADMIN")
	})
	t.Run("OK", func(t *testing.T) {
		r, err := e.svc.CreateAccount(e.ctx, ada, in)
		if err != nil {
			t.Fatal(err)
		}
		if r.TOTPSecret == "" || r.Account.Login != "eva" {
			t.Fatalf("result %+v", r)
		}
		s, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "eva", Password: in.Password})
		if err != nil {
			t.Fatal(err)
		}
		c, _ := account.TOTPCode(r.TOTPSecret, e.clock.Now())
		if _, err := e.svc.SecondFactor(e.ctx, s.Secret, "", c); err != nil {
			t.Fatalf("the new account's TOTP: %v", err)
		}
	})
	t.Run("ErrConflict second account for a person, or a login taken", func(t *testing.T) {
		if _, err := e.svc.CreateAccount(e.ctx, ada, in); !errors.Is(err, cleared.ErrConflict) {
			t.Errorf("second account: %v", err)
		}
	})
	t.Run("ErrInvalid bad login", func(t *testing.T) {
		for _, l := range []string{"", "x", "Eva", "eva lentz", "éva"} {
			bad := in
			bad.Login = l
			if _, err := e.svc.CreateAccount(e.ctx, ada, bad); !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("login %q: %v", l, err)
			}
		}
	})
	t.Run("unlock", func(t *testing.T) {
		for range account.FreeAttempts {
			e.svc.Login(e.ctx, auth.LoginInput{Login: "eva", Password: "wrong password!"})
		}
		if _, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "eva", Password: in.Password}); err == nil {
			t.Fatal("not locked")
		}
		as, err := e.svc.Accounts(e.ctx, ada, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		var id cleared.AccountID
		for _, a := range as {
			if a.Login == "eva" {
				id = a.ID
			}
		}
		if err := e.svc.UnlockAccount(e.ctx, ada, id); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "eva", Password: in.Password}); err != nil {
			t.Errorf("after unlock: %v", err)
		}
	})
}

func TestService_Tokens(t *testing.T) {
	e := newEnv(t)
	a := e.as("sophie_office")
	secret, k, err := e.svc.CreateOwnToken(e.ctx, a, auth.OwnToken{Label: "script", TTL: time.Hour, Scopes: []cleared.Scope{cleared.ScopeRead}})
	if err != nil {
		t.Fatal(err)
	}
	// A token made from a terminal is bound to it: it cannot carry Sophie into the zone.
	got, tok, err := e.svc.Authenticate(e.ctx, secret)
	if err != nil || got.Terminal != e.w.OfficeTerm.ID || !tok.Allows(cleared.ScopeRead) || tok.Allows(cleared.ScopeWrite) {
		t.Fatalf("token %+v actor %+v: %v", tok, got, err)
	}
	// A read-only token is refused a write, by the token's rule, and the refusal is in the log.
	if _, _, err := e.svc.AuthenticateFor(e.ctx, secret, cleared.ScopeRead); err != nil {
		t.Fatalf("read-only token used to read: %v", err)
	}
	before := e.size(t)
	_, _, err = e.svc.AuthenticateFor(e.ctx, secret, cleared.ScopeWrite)
	wantRule(t, err, auth.RuleScope)
	if r := e.last(t, 1)[0].Entry; e.size(t) != before+1 || r.Allowed || r.Rule != auth.RuleScope || r.Action != "token.use" || r.Object != string(k.ID) {
		t.Fatalf("refused write with a read-only token: entry %+v, log grew by %d", r, e.size(t)-before)
	}
	if _, _, err := e.svc.CreateOwnToken(e.ctx, a, auth.OwnToken{Label: "bad", TTL: time.Hour, Scopes: []cleared.Scope{"admin"}}); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("unknown scope: %v", err)
	}
	ks, err := e.svc.Tokens(e.ctx, a)
	if err != nil || len(ks) < 2 {
		t.Fatalf("tokens: %d %v", len(ks), err)
	}
	if err := e.svc.RevokeToken(e.ctx, e.as("tom"), k.ID); !errors.Is(err, cleared.ErrNotFound) {
		t.Errorf("Tom revokes Sophie's token: %v", err)
	}
	if err := e.svc.RevokeToken(e.ctx, a, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Authenticate(e.ctx, secret); !errors.Is(err, cleared.ErrUnauthenticated) {
		t.Errorf("revoked token: %v", err)
	}
}
