package auth_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/store"
)

const testIssuer = "https://idp.example.lu/realms/ministere"

// accountOf returns a demo login's account, as the admin lists it.
func (e *env) accountOf(t *testing.T, login string) cleared.Account {
	t.Helper()
	as, err := e.svc.Accounts(e.ctx, cleared.Actor{Person: e.w.Ada.ID}, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.Login == login {
			return a
		}
	}
	t.Fatalf("no account %s", login)
	return cleared.Account{}
}

// linkOIDC links a demo login's account to subject at testIssuer, as Ada the administrator.
func (e *env) linkOIDC(t *testing.T, login, subject string) auth.OIDCIdentity {
	t.Helper()
	idp := auth.OIDCIdentity{Issuer: testIssuer, Subject: subject}
	if _, err := e.svc.LinkOIDC(e.ctx, cleared.Actor{Person: e.w.Ada.ID}, e.accountOf(t, login).ID, idp); err != nil {
		t.Fatalf("link %s to %s: %v", login, subject, err)
	}
	return idp
}

// payload returns an audit entry's payload, decoded.
func (e *env) payload(t *testing.T, seq uint64) map[string]any {
	t.Helper()
	var p audit.Payload
	err := e.st.View(e.ctx, func(tx store.Tx) (err error) { p, err = tx.AuditPayload(seq); return err })
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(p.Data, &m); err != nil {
		t.Fatalf("payload of entry %d: %v", seq, err)
	}
	return m
}

// wantRefusedSignIn checks that err is the generic refusal and that the last entry records it: a refused
// session.login under rule, by actor (empty: no account), on terminal.
func (e *env) wantRefusedSignIn(t *testing.T, err error, before uint64, rule string, actor cleared.PersonID, terminal cleared.TerminalID) audit.Record {
	t.Helper()
	if !errors.Is(err, cleared.ErrUnauthenticated) {
		t.Fatalf("want the generic refusal (ErrUnauthenticated), got %v", err)
	}
	if got := e.size(t); got != before+1 {
		t.Fatalf("%d audit entries appended, want 1", got-before)
	}
	r := e.last(t, 1)[0]
	if r.Action != "session.login" || r.Allowed || r.Rule != rule || r.Actor != actor || r.Terminal != terminal {
		t.Errorf("entry %+v: want a refused session.login under %s by %q on %q", r.Entry, rule, actor, terminal)
	}
	return r
}

func TestService_OIDCLogin(t *testing.T) {
	e := newEnv(t)
	zone := e.w.ZoneTerm.ID
	sophie := e.linkOIDC(t, "sophie", "248289761001")
	in := func(idp auth.OIDCIdentity, nonce string) auth.OIDCLoginInput {
		return auth.OIDCLoginInput{Identity: idp, Nonce: nonce, IssuedAt: e.clock.Now().Add(-10 * time.Second),
			Terminal: zone, Remote: "192.0.2.1"}
	}

	t.Run("OK the second factor is still asked, from the same terminal", func(t *testing.T) {
		s, err := e.svc.OIDCLogin(e.ctx, in(sophie, "nonce-ok"))
		if err != nil {
			t.Fatal(err)
		}
		if s.Session.Stage != cleared.StageSecondFactor || s.Session.PersonID != e.w.Sophie.ID || s.Session.Terminal != zone || s.Secret == "" {
			t.Fatalf("session %+v: want Sophie's, waiting for the second factor, bound to the zone terminal", s.Session)
		}
		r := e.last(t, 1)[0]
		if r.Action != "session.login" || !r.Allowed || r.Actor != e.w.Sophie.ID || r.Terminal != zone {
			t.Errorf("entry %+v: want Sophie's allowed session.login from the zone", r.Entry)
		}
		if p := e.payload(t, r.Seq); p["method"] != "oidc" || p["issuer"] != testIssuer || p["session"] != string(s.Session.ID) {
			t.Errorf("payload %v: want the method, the issuer and the session", p)
		}
		// The provider's word alone signs no one in: the session acts only after cleared's own second factor.
		if _, _, err := e.svc.SessionActor(e.ctx, s.Secret, zone); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("a session without its second factor acts: %v", err)
		}
		if _, err := e.svc.SecondFactor(e.ctx, s.Secret, e.w.OfficeTerm.ID, e.code(t, "sophie")); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("second factor from another terminal: %v", err)
		}
		active, err := e.svc.SecondFactor(e.ctx, s.Secret, zone, e.code(t, "sophie"))
		if err != nil {
			t.Fatalf("second factor: %v", err)
		}
		a, _, err := e.svc.SessionActor(e.ctx, active.Secret, zone)
		if err != nil || a.Person != e.w.Sophie.ID || a.Terminal != zone {
			t.Errorf("session actor %+v, %v", a, err)
		}
	})

	t.Run("ErrUnauthenticated unknown subject, audited, no account made", func(t *testing.T) {
		before := e.size(t)
		_, err := e.svc.OIDCLogin(e.ctx, in(auth.OIDCIdentity{Issuer: testIssuer, Subject: "999"}, "nonce-unknown"))
		r := e.wantRefusedSignIn(t, err, before, "AUTH.OIDC", "", zone)
		if p := e.payload(t, r.Seq); !strings.Contains(p["reason"].(string), `"999"`) {
			t.Errorf("payload %v: want the subject, for an administrator to link it", p)
		}
		if n := len(e.accounts(t)); n != 17 {
			t.Errorf("%d accounts after an unknown identity signed in, want the demo's 17", n)
		}
	})

	t.Run("ErrUnauthenticated same subject at another issuer", func(t *testing.T) {
		before := e.size(t)
		other := auth.OIDCIdentity{Issuer: "https://idp.evil.example", Subject: sophie.Subject}
		_, err := e.svc.OIDCLogin(e.ctx, in(other, "nonce-other-issuer"))
		e.wantRefusedSignIn(t, err, before, "AUTH.OIDC", "", zone)
	})

	t.Run("ErrUnauthenticated replayed nonce, audited", func(t *testing.T) {
		if _, err := e.svc.OIDCLogin(e.ctx, in(sophie, "nonce-once")); err != nil {
			t.Fatal(err)
		}
		before := e.size(t)
		_, err := e.svc.OIDCLogin(e.ctx, in(sophie, "nonce-once"))
		e.wantRefusedSignIn(t, err, before, "AUTH.OIDC", e.w.Sophie.ID, zone)
	})

	t.Run("ErrUnauthenticated token too old or from the future", func(t *testing.T) {
		for _, iat := range []time.Time{{}, e.clock.Now().Add(-16 * time.Minute), e.clock.Now().Add(6 * time.Minute)} {
			before := e.size(t)
			x := in(sophie, "nonce-iat-"+iat.String())
			x.IssuedAt = iat
			_, err := e.svc.OIDCLogin(e.ctx, x)
			e.wantRefusedSignIn(t, err, before, "AUTH.OIDC", e.w.Sophie.ID, zone)
		}
	})

	t.Run("ErrUnauthenticated no nonce", func(t *testing.T) {
		before := e.size(t)
		_, err := e.svc.OIDCLogin(e.ctx, in(sophie, ""))
		e.wantRefusedSignIn(t, err, before, "AUTH.OIDC", "", zone)
	})

	t.Run("ErrUnauthenticated disabled account, audited", func(t *testing.T) {
		lea := e.linkOIDC(t, "lea", "lea-at-idp")
		acc := e.accountOf(t, "lea")
		acc.Disabled = e.clock.Now()
		if err := e.st.Update(e.ctx, func(tx store.Tx) error { return tx.UpdateAccount(acc) }); err != nil {
			t.Fatal(err)
		}
		before := e.size(t)
		_, err := e.svc.OIDCLogin(e.ctx, in(lea, "nonce-disabled"))
		e.wantRefusedSignIn(t, err, before, "AUTH.OIDC", e.w.Lea.ID, zone)
	})

	t.Run("ErrForbidden locked account, audited with the time it unlocks", func(t *testing.T) {
		tom := e.linkOIDC(t, "tom", "tom-at-idp")
		for range account.FreeAttempts {
			e.svc.Login(e.ctx, auth.LoginInput{Login: "tom", Password: "wrong password!"})
		}
		_, err := e.svc.OIDCLogin(e.ctx, in(tom, "nonce-locked"))
		wantRule(t, err, auth.RuleLockout)
		var f *cleared.ErrForbidden
		if errors.As(err, &f); f.AuditSeq == 0 || !strings.Contains(f.Reason, "locked until") {
			t.Errorf("refusal %+v: want the audit entry and the time it unlocks", f)
		}
		e.clock.Add(account.FirstLock)
		if _, err := e.svc.OIDCLogin(e.ctx, in(tom, "nonce-unlocked")); err != nil {
			t.Errorf("after the back-off: %v", err)
		}
	})

	t.Run("refusals do not count towards the lock-out", func(t *testing.T) {
		maxID := e.linkOIDC(t, "max", "max-at-idp")
		if _, err := e.svc.OIDCLogin(e.ctx, in(maxID, "nonce-max")); err != nil {
			t.Fatal(err)
		}
		for range account.FreeAttempts + 1 {
			if _, err := e.svc.OIDCLogin(e.ctx, in(maxID, "nonce-max")); !errors.Is(err, cleared.ErrUnauthenticated) {
				t.Fatalf("replay: %v", err)
			}
		}
		if acc := e.accountOf(t, "max"); acc.Failures != 0 || !acc.LockedUntil.IsZero() {
			t.Errorf("after refused replays the account has %d failures, locked until %v", acc.Failures, acc.LockedUntil)
		}
	})

	t.Run("ErrUnauthenticated after the link is replaced", func(t *testing.T) {
		old := e.linkOIDC(t, "paul", "paul-old")
		e.linkOIDC(t, "paul", "paul-new")
		before := e.size(t)
		_, err := e.svc.OIDCLogin(e.ctx, in(old, "nonce-paul-old"))
		e.wantRefusedSignIn(t, err, before, "AUTH.OIDC", "", zone)
		if _, err := e.svc.OIDCLogin(e.ctx, in(auth.OIDCIdentity{Issuer: testIssuer, Subject: "paul-new"}, "nonce-paul-new")); err != nil {
			t.Errorf("the new link: %v", err)
		}
	})

	t.Run("ErrUnauthenticated unknown terminal", func(t *testing.T) {
		x := in(sophie, "nonce-unknown-terminal")
		x.Terminal = cleared.NewTerminalID()
		if _, err := e.svc.OIDCLogin(e.ctx, x); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("unknown terminal: %v", err)
		}
	})
}

// accounts lists every account, as the admin.
func (e *env) accounts(t *testing.T) []cleared.Account {
	t.Helper()
	as, err := e.svc.Accounts(e.ctx, cleared.Actor{Person: e.w.Ada.ID}, "", 500)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func TestService_LinkOIDC(t *testing.T) {
	e := newEnv(t)
	ada := cleared.Actor{Person: e.w.Ada.ID}
	tom := e.accountOf(t, "tom")
	idp := auth.OIDCIdentity{Issuer: testIssuer, Subject: "tom-at-idp"}

	t.Run("ErrForbidden not an admin, audited, nothing changes", func(t *testing.T) {
		for _, who := range []string{"helene", "tom", "sophie_zone"} {
			before := e.size(t)
			_, err := e.svc.LinkOIDC(e.ctx, e.as(who), tom.ID, idp)
			wantRule(t, err, "AUTH.ADMIN")
			if r := e.last(t, 1)[0]; e.size(t) != before+1 || r.Action != "account.link_oidc" || r.Allowed {
				t.Errorf("%s's refusal is not recorded: %+v", who, r.Entry)
			}
			if got := e.accountOf(t, "tom"); got.OIDCSubject != "" {
				t.Fatalf("%s linked Tom's account: %q", who, got.OIDCSubject)
			}
		}
	})

	t.Run("OK", func(t *testing.T) {
		acc, err := e.svc.LinkOIDC(e.ctx, ada, tom.ID, idp)
		if err != nil {
			t.Fatal(err)
		}
		r := e.last(t, 1)[0]
		if acc.OIDCSubject != testIssuer+"|tom-at-idp" || e.accountOf(t, "tom").OIDCSubject != acc.OIDCSubject {
			t.Errorf("linked account %+v", acc)
		}
		if r.Action != "account.link_oidc" || !r.Allowed || r.Actor != e.w.Ada.ID || r.Object != string(tom.ID) {
			t.Errorf("entry %+v", r.Entry)
		}
		if p := e.payload(t, r.Seq); p["issuer"] != testIssuer || p["subject"] != "tom-at-idp" {
			t.Errorf("payload %v", p)
		}
	})

	t.Run("ErrConflict identity linked to another account", func(t *testing.T) {
		_, err := e.svc.LinkOIDC(e.ctx, ada, e.accountOf(t, "lea").ID, idp)
		if !errors.Is(err, cleared.ErrConflict) {
			t.Fatalf("second account for one identity: %v", err)
		}
		if got := e.accountOf(t, "lea"); got.OIDCSubject != "" {
			t.Errorf("Léa's account linked anyway: %q", got.OIDCSubject)
		}
	})

	t.Run("ErrNotFound unknown account", func(t *testing.T) {
		if _, err := e.svc.LinkOIDC(e.ctx, ada, cleared.NewAccountID(), idp); !errors.Is(err, cleared.ErrNotFound) {
			t.Errorf("unknown account: %v", err)
		}
	})

	t.Run("ErrInvalid identities", func(t *testing.T) {
		for _, bad := range []auth.OIDCIdentity{
			{Issuer: "", Subject: "x"},
			{Issuer: "idp.example.lu", Subject: "x"},
			{Issuer: "http://idp.example.lu", Subject: "x"},
			{Issuer: "https://", Subject: "x"},
			{Issuer: "https://idp.example.lu/?tenant=1", Subject: "x"},
			{Issuer: "https://idp.example.lu/?", Subject: "x"},
			{Issuer: "https://idp.example.lu/#x", Subject: "x"},
			{Issuer: "https://admin@idp.example.lu", Subject: "x"},
			{Issuer: "https://idp.example.lu/a|b", Subject: "x"},
			{Issuer: "https://idp.example.lu/a b", Subject: "x"},
			{Issuer: "https://idp.example.lu/" + strings.Repeat("a", 500), Subject: "x"},
			{Issuer: testIssuer, Subject: ""},
			{Issuer: testIssuer, Subject: strings.Repeat("1", 256)},
			{Issuer: testIssuer, Subject: "jérôme"},
			{Issuer: testIssuer, Subject: "a\nb"},
			{Issuer: testIssuer, Subject: " x"},
		} {
			if _, err := e.svc.LinkOIDC(e.ctx, ada, tom.ID, bad); !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("identity %q: %v, want ErrInvalid", bad, err)
			}
		}
		for _, good := range []auth.OIDCIdentity{
			{Issuer: "http://127.0.0.1:5556/dex", Subject: "CiQwOGE4Njg0Yi1kYjg4"},
			{Issuer: "http://localhost:8080/realms/test", Subject: "uid=tom weber,ou=people"},
			{Issuer: "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", Subject: strings.Repeat("x", 255)},
		} {
			if err := good.Check(); err != nil {
				t.Errorf("identity %q: %v", good, err)
			}
		}
	})

	t.Run("OK by the operator on the server, recorded under the account's person", func(t *testing.T) {
		acc, err := e.svc.LinkOIDCAsOperator(e.ctx, "nina", auth.OIDCIdentity{Issuer: testIssuer, Subject: "nina-at-idp"})
		if err != nil {
			t.Fatal(err)
		}
		r := e.last(t, 1)[0]
		if acc.OIDCSubject != testIssuer+"|nina-at-idp" || r.Action != "account.link_oidc" || !r.Allowed || r.Actor != e.w.Nina.ID {
			t.Errorf("account %+v, entry %+v", acc, r.Entry)
		}
		if p := e.payload(t, r.Seq); p["by"] != "operator" {
			t.Errorf("payload %v", p)
		}
		if _, err := e.svc.LinkOIDCAsOperator(e.ctx, "nobody", idp); !errors.Is(err, cleared.ErrNotFound) {
			t.Errorf("unknown login: %v", err)
		}
		if _, err := e.svc.LinkOIDCAsOperator(e.ctx, "nina", idp); !errors.Is(err, cleared.ErrConflict) {
			t.Errorf("identity of another account: %v", err)
		}
	})

	t.Run("the linked person signs in through the provider", func(t *testing.T) {
		s, err := e.svc.OIDCLogin(e.ctx, auth.OIDCLoginInput{Identity: idp, Nonce: "n", IssuedAt: e.clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SecondFactor(e.ctx, s.Secret, "", e.code(t, "tom")); err != nil {
			t.Fatal(err)
		}
		// The password still works too: the link adds a way in, it takes none away.
		e.clock.Add(31 * time.Second) // a TOTP code is accepted once
		e.signIn(t, "tom", "")
	})
}
