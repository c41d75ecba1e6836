package storetest

import (
	"crypto/sha256"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// newAccount returns an account of person with a password and a sealed TOTP secret, no OIDC subject, never
// locked or disabled.
func newAccount(w world, person cleared.PersonID, login string) cleared.Account {
	return cleared.Account{
		ID: cleared.NewAccountID(), PersonID: person, Login: login,
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
		TOTP:         []byte("sealed TOTP secret of " + login), TOTPKEK: "kek-2025-01", TOTPLastStep: 58060000,
		Created: day(-20), CreatedBy: w.person.ID,
	}
}

// personWithAccount creates another person of w's organisation and an account for him.
func personWithAccount(t *testing.T, s store.Store, w world, login string) cleared.Account {
	t.Helper()
	p := newPerson(w.org.ID)
	a := newAccount(w, p.ID, login)
	create(t, s, p, a)
	return a
}

// newSession returns an active session of a, opened at created, which ends 12 hours later.
func newSession(a cleared.Account, secret string, created time.Time) cleared.Session {
	h := sha256.Sum256([]byte(secret))
	return cleared.Session{
		ID: cleared.NewSessionID(), AccountID: a.ID, PersonID: a.PersonID, Hash: h[:], Stage: cleared.StageActive,
		Method: "totp", Remote: "192.0.2.17", Created: created, LastSeen: created.Add(time.Minute),
		Expires: created.Add(12 * time.Hour),
	}
}

func testAccount(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		full := newAccount(w, w.person.ID, "anne.muller")
		full.Failures, full.LockedUntil, full.OIDCSubject = 3, t0.Add(15*time.Minute), "https://idp.example.lu|248289761001"
		full.Disabled = day(-1)
		other := newPerson(w.org.ID)
		bare := newAccount(w, other.ID, "jean.dupont") // no TOTP: a security key or no classified access
		bare.TOTP, bare.TOTPKEK, bare.TOTPLastStep = nil, "", 0
		create(t, s, full, other, bare)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Account{full, bare} {
				got, err := tx.Account(want.ID)
				if err != nil {
					return err
				}
				same(t, "Account", got, want)
				got, err = tx.AccountByLogin(want.Login)
				if err != nil {
					return err
				}
				same(t, "AccountByLogin", got, want)
				got, err = tx.AccountByPerson(want.PersonID)
				if err != nil {
					return err
				}
				same(t, "AccountByPerson", got, want)
			}
			got, err := tx.AccountByOIDC(full.OIDCSubject)
			same(t, "AccountByOIDC", got, full)
			return err
		})
	})
	t.Run("TOTP_nil_when_none", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		a.TOTP, a.TOTPKEK = nil, ""
		other := newPerson(w.org.ID)
		empty := newAccount(w, other.ID, "jean.dupont")
		empty.TOTP, empty.TOTPKEK = []byte{}, "" // an empty secret is none
		create(t, s, a, other, empty)
		view(t, s, func(tx store.Tx) error {
			for _, id := range []cleared.AccountID{a.ID, empty.ID} {
				got, err := tx.Account(id)
				if err != nil {
					return err
				}
				if got.TOTP != nil {
					t.Errorf("TOTP of an account without one: %#v, want nil", got.TOTP)
				}
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		stranger := newPerson(w.org.ID)
		create(t, s, stranger, newAccount(w, w.person.ID, "anne.muller")) // no OIDC subject
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Account(cleared.NewAccountID())
			wantKind(t, "Account of an unknown ID", err, cleared.ErrNotFound)
			_, err = tx.AccountByLogin("jean.dupont")
			wantKind(t, "AccountByLogin of an unknown login", err, cleared.ErrNotFound)
			_, err = tx.AccountByLogin("")
			wantKind(t, "AccountByLogin of the empty login", err, cleared.ErrNotFound)
			_, err = tx.AccountByPerson(stranger.ID)
			wantKind(t, "AccountByPerson of a person without an account", err, cleared.ErrNotFound)
			_, err = tx.AccountByOIDC("https://idp.example.lu|unknown")
			wantKind(t, "AccountByOIDC of an unknown subject", err, cleared.ErrNotFound)
			_, err = tx.AccountByOIDC("")
			wantKind(t, "AccountByOIDC of the empty subject (accounts without one)", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		a.OIDCSubject = "https://idp.example.lu|248289761001"
		create(t, s, a)
		other := newPerson(w.org.ID)
		create(t, s, other)
		try := func(what string, change func(b *cleared.Account)) {
			t.Helper()
			b := newAccount(w, other.ID, "jean.dupont")
			change(&b)
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateAccount(b) })
			wantKind(t, what, err, cleared.ErrConflict)
		}
		try("CreateAccount with an existing ID", func(b *cleared.Account) { b.ID = a.ID })
		try("CreateAccount for a person who has one", func(b *cleared.Account) { b.PersonID = a.PersonID })
		try("CreateAccount with an existing login", func(b *cleared.Account) { b.Login = a.Login })
		try("CreateAccount with an existing OIDC subject", func(b *cleared.Account) { b.OIDCSubject = a.OIDCSubject })
		// Accounts without an OIDC subject do not share one.
		third := newPerson(w.org.ID)
		create(t, s, third, newAccount(w, other.ID, "jean.dupont"), newAccount(w, third.ID, "paul.weber"))
	})
	t.Run("ErrInvalid_unknown_person", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.CreateAccount(newAccount(w, cleared.NewPersonID(), "ghost"))
		})
		wantKind(t, "CreateAccount for a person who does not exist", err, cleared.ErrInvalid)
	})
	t.Run("Update", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		a.OIDCSubject = "https://idp.example.lu|old"
		create(t, s, a)
		// What UpdateAccount rewrites changes; what it does not (ID, person, login, creation) stays as created.
		u := a
		u.PasswordHash = "$argon2id$v=19$m=65536,t=3,p=4$bmV3c2FsdG5ld3NhbHQ$bmV3aGFzaG5ld2hhc2g"
		u.TOTP, u.TOTPKEK, u.TOTPLastStep = []byte("another sealed secret"), "kek-2025-02", 58060042
		u.Failures, u.LockedUntil, u.OIDCSubject, u.Disabled = 5, t0.Add(time.Hour), "https://idp.example.lu|new", t0
		u.PersonID, u.Login, u.Created, u.CreatedBy = cleared.NewPersonID(), "renamed", day(-1), cleared.NewPersonID()
		update(t, s, func(tx store.Tx) error { return tx.UpdateAccount(u) })
		want := u
		want.PersonID, want.Login, want.Created, want.CreatedBy = a.PersonID, a.Login, a.Created, a.CreatedBy
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Account(a.ID)
			if err != nil {
				return err
			}
			same(t, "Account after UpdateAccount", got, want)
			got, err = tx.AccountByOIDC(u.OIDCSubject)
			if err != nil {
				return err
			}
			same(t, "AccountByOIDC of the new subject", got.ID, a.ID)
			_, err = tx.AccountByOIDC(a.OIDCSubject)
			wantKind(t, "AccountByOIDC of the replaced subject", err, cleared.ErrNotFound)
			_, err = tx.AccountByLogin(u.Login)
			wantKind(t, "AccountByLogin of a login UpdateAccount does not rewrite", err, cleared.ErrNotFound)
			return nil
		})
		// Clearing: no TOTP, no lock, no OIDC subject, enabled again.
		reset := want
		reset.TOTP, reset.TOTPKEK, reset.TOTPLastStep = nil, "", 0
		reset.Failures, reset.LockedUntil, reset.OIDCSubject, reset.Disabled = 0, time.Time{}, "", time.Time{}
		update(t, s, func(tx store.Tx) error { return tx.UpdateAccount(reset) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Account(a.ID)
			same(t, "Account after UpdateAccount clearing its factors", got, reset)
			if got.TOTP != nil {
				t.Errorf("TOTP after clearing: %#v, want nil", got.TOTP)
			}
			return err
		})
	})
	t.Run("Update_ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.UpdateAccount(newAccount(w, w.person.ID, "anne.muller"))
		})
		wantKind(t, "UpdateAccount of an unknown ID", err, cleared.ErrNotFound)
	})
	t.Run("Update_ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		a.OIDCSubject = "https://idp.example.lu|anne"
		create(t, s, a)
		b := personWithAccount(t, s, w, "jean.dupont")
		b.OIDCSubject = a.OIDCSubject
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateAccount(b) })
		wantKind(t, "UpdateAccount to another account's OIDC subject", err, cleared.ErrConflict)
	})
	t.Run("Page", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		var want []cleared.Account
		for _, login := range []string{"a", "b", "c", "d", "e"} {
			want = append(want, personWithAccount(t, s, w, login))
		}
		slices.SortFunc(want, func(a, b cleared.Account) int { return strings.Compare(string(a.ID), string(b.ID)) })
		got := pageThrough(t, s, 2, func(a cleared.Account) string { return string(a.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.Account, error) { return tx.Accounts(p) })
		same(t, "Accounts, by ID, two at a time", got, want)
	})
	t.Run("ErrInvalid_page_limit", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Accounts(store.Page{})
			wantKind(t, "Accounts with limit 0", err, cleared.ErrInvalid)
			return nil
		})
	})
	t.Run("OIDCNonce", func(t *testing.T) { testOIDCNonce(t, open) })
}

// testOIDCNonce holds UseOIDCNonce to its contract: a nonce is accepted once while it is remembered, a refusal
// leaves the transaction usable, and a nonce is forgotten only after its time.
func testOIDCNonce(t *testing.T, open opener) {
	nonce := func(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }
	until := t0.Add(15 * time.Minute)
	t.Run("ErrConflict_used_once", func(t *testing.T) {
		s := open(t)
		update(t, s, func(tx store.Tx) error { return tx.UseOIDCNonce(nonce("one"), until, t0) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.UseOIDCNonce(nonce("one"), until, t0.Add(time.Minute)) })
		wantKind(t, "UseOIDCNonce of a used nonce", err, cleared.ErrConflict)
		// At its expiry exactly, it is still remembered.
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.UseOIDCNonce(nonce("one"), until.Add(time.Hour), until) })
		wantKind(t, "UseOIDCNonce of a used nonce at its expiry", err, cleared.ErrConflict)
		update(t, s, func(tx store.Tx) error { return tx.UseOIDCNonce(nonce("two"), until, t0) })
	})
	t.Run("Refusal_leaves_the_transaction_usable", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		update(t, s, func(tx store.Tx) error {
			if err := tx.UseOIDCNonce(nonce("one"), until, t0); err != nil {
				return err
			}
			wantKind(t, "UseOIDCNonce twice in one transaction", tx.UseOIDCNonce(nonce("one"), until, t0), cleared.ErrConflict)
			// The caller goes on, as a refused sign-in goes on to record its refusal.
			if err := tx.UseOIDCNonce(nonce("two"), until, t0); err != nil {
				return err
			}
			return tx.CreateAccount(a)
		})
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Account(a.ID)
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.UseOIDCNonce(nonce("two"), until, t0) })
		wantKind(t, "UseOIDCNonce of a nonce used in a transaction that went on after a refusal", err, cleared.ErrConflict)
	})
	t.Run("Forgotten_after_its_time", func(t *testing.T) {
		s := open(t)
		update(t, s, func(tx store.Tx) error { return tx.UseOIDCNonce(nonce("one"), until, t0) })
		update(t, s, func(tx store.Tx) error {
			return tx.UseOIDCNonce(nonce("one"), until.Add(time.Hour), until.Add(time.Nanosecond))
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.UseOIDCNonce(nonce("one"), until, until) })
		wantKind(t, "UseOIDCNonce of a nonce remembered again", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		for _, c := range []struct {
			what  string
			hash  []byte
			until time.Time
		}{
			{"a 20-byte hash", nonce("one")[:20], until},
			{"no hash", nil, until},
			{"no expiry", nonce("one"), time.Time{}},
		} {
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.UseOIDCNonce(c.hash, c.until, t0) })
			wantKind(t, "UseOIDCNonce with "+c.what, err, cleared.ErrInvalid)
		}
	})
}

func testSession(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		tm := newRoamingTerminal(w)
		onTerminal := newSession(a, "secret one", t0)
		onTerminal.Terminal = tm.ID
		pending := newSession(a, "secret two", t0)
		pending.Stage, pending.Method, pending.Remote = cleared.StageSecondFactor, "", ""
		ended := newSession(a, "secret three", day(-2))
		ended.Revoked = day(-2).Add(time.Hour)
		create(t, s, a, tm, onTerminal, pending, ended)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Session{onTerminal, pending, ended} {
				got, err := tx.SessionByHash(want.Hash)
				if err != nil {
					return err
				}
				same(t, "SessionByHash", got, want)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		create(t, s, a, newSession(a, "secret", t0))
		view(t, s, func(tx store.Tx) error {
			h := sha256.Sum256([]byte("another secret"))
			_, err := tx.SessionByHash(h[:])
			wantKind(t, "SessionByHash of an unknown secret", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		x := newSession(a, "secret", t0)
		create(t, s, a, x)
		again := newSession(a, "another secret", t0)
		again.ID = x.ID
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateSession(again) })
		wantKind(t, "CreateSession with an existing ID", err, cleared.ErrConflict)
		sameHash := newSession(a, "secret", day(1))
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateSession(sameHash) })
		wantKind(t, "CreateSession with an existing hash", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		create(t, s, a)
		for _, c := range []struct {
			what   string
			change func(x *cleared.Session)
		}{
			{"of an unknown account", func(x *cleared.Session) { x.AccountID = cleared.NewAccountID() }},
			{"on an unknown terminal", func(x *cleared.Session) { x.Terminal = cleared.NewTerminalID() }},
			{"at an unknown stage", func(x *cleared.Session) { x.Stage = "half_signed_in" }},
		} {
			x := newSession(a, "secret", t0)
			c.change(&x)
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateSession(x) })
			wantKind(t, "CreateSession "+c.what, err, cleared.ErrInvalid)
		}
	})
	t.Run("Update", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		tm := newRoamingTerminal(w)
		x := newSession(a, "secret", t0)
		x.Stage, x.Method, x.Terminal = cleared.StageSecondFactor, "", tm.ID
		create(t, s, a, tm, x)
		// The second factor is given, then the session is used and signed out; nothing else changes.
		u := x
		u.Stage, u.Method, u.LastSeen, u.Revoked = cleared.StageActive, "webauthn", t0.Add(time.Hour), t0.Add(2*time.Hour)
		h := sha256.Sum256([]byte("another secret"))
		u.Hash, u.Terminal, u.Remote = h[:], "", "198.51.100.4"
		u.Created, u.Expires = day(-1), day(1)
		update(t, s, func(tx store.Tx) error { return tx.UpdateSession(u) })
		want := u
		want.Hash, want.Terminal, want.Remote, want.Created, want.Expires = x.Hash, x.Terminal, x.Remote, x.Created, x.Expires
		view(t, s, func(tx store.Tx) error {
			got, err := tx.SessionByHash(x.Hash)
			same(t, "Session after UpdateSession", got, want)
			return err
		})
	})
	t.Run("Update_ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		create(t, s, a)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateSession(newSession(a, "secret", t0)) })
		wantKind(t, "UpdateSession of an unknown ID", err, cleared.ErrNotFound)
	})
	t.Run("AccountSessions_open_ones_newest_first", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		create(t, s, a)
		b := personWithAccount(t, s, w, "jean.dupont")
		older := newSession(a, "older", t0.Add(-3*time.Hour))
		newer := newSession(a, "newer", t0.Add(-time.Hour))
		newer.Stage, newer.Method = cleared.StageSecondFactor, "" // not yet signed in, but not ended either
		revoked := newSession(a, "revoked", t0.Add(-2*time.Hour))
		revoked.Revoked = t0.Add(-90 * time.Minute)
		expired := newSession(a, "expired", t0.Add(-13*time.Hour))
		endsNow := newSession(a, "ends now", t0.Add(-12*time.Hour)) // Expires is t0: ended at t0
		others := newSession(b, "another account's", t0.Add(-time.Hour))
		signedOut := newSession(a, "signed out", t0.Add(-30*time.Minute))
		create(t, s, older, revoked, newer, expired, endsNow, others, signedOut)
		signedOut.Revoked = t0.Add(-10 * time.Minute)
		update(t, s, func(tx store.Tx) error { return tx.UpdateSession(signedOut) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.AccountSessions(a.ID, t0)
			same(t, "AccountSessions at t0", got, []cleared.Session{newer, older})
			return err
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.AccountSessions(a.ID, t0.Add(-time.Nanosecond))
			same(t, "AccountSessions just before t0", got, []cleared.Session{newer, older, endsNow})
			return err
		})
	})
	t.Run("AccountSessions_none", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.AccountSessions(cleared.NewAccountID(), t0)
			if len(got) != 0 {
				t.Errorf("AccountSessions of an unknown account: %v", got)
			}
			return err
		})
	})
}

func testWebAuthnCredential(t *testing.T, open opener) {
	newKey := func(a cleared.Account, name string, created time.Time) cleared.WebAuthnCredential {
		return cleared.WebAuthnCredential{
			ID: []byte("credential " + name + " of " + a.Login), AccountID: a.ID, Name: name,
			Data: []byte(`{"publicKey":"pQECAyYgASFYIA","signCount":7,"flags":{"userPresent":true}}`), Created: created,
		}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		create(t, s, a)
		b := personWithAccount(t, s, w, "jean.dupont")
		newer := newKey(a, "YubiKey 5C", day(-1))
		older := newKey(a, "Titan", day(-9))
		older.LastUsed = t0
		others := newKey(b, "YubiKey 5C", day(-5))
		create(t, s, newer, older, others)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.WebAuthnCredentials(a.ID)
			same(t, "WebAuthnCredentials, oldest first", got, []cleared.WebAuthnCredential{older, newer})
			return err
		})
	})
	t.Run("Delete", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		create(t, s, a)
		b := personWithAccount(t, s, w, "jean.dupont")
		kept, gone, others := newKey(a, "Titan", day(-9)), newKey(a, "YubiKey 5C", day(-1)), newKey(b, "YubiKey 5C", day(-5))
		create(t, s, kept, gone, others)
		update(t, s, func(tx store.Tx) error { return tx.DeleteWebAuthnCredential(a.ID, gone.ID) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteWebAuthnCredential(a.ID, gone.ID) })
		wantKind(t, "DeleteWebAuthnCredential of a key already removed", err, cleared.ErrNotFound)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteWebAuthnCredential(a.ID, others.ID) })
		wantKind(t, "DeleteWebAuthnCredential of another account's key", err, cleared.ErrNotFound)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.WebAuthnCredentials(a.ID)
			same(t, "WebAuthnCredentials after one was removed", got, []cleared.WebAuthnCredential{kept})
			if err != nil {
				return err
			}
			got, err = tx.WebAuthnCredentials(b.ID)
			same(t, "another account's keys", got, []cleared.WebAuthnCredential{others})
			return err
		})
	})
	t.Run("None", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		create(t, s, a)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.WebAuthnCredentials(a.ID)
			if len(got) != 0 {
				t.Errorf("WebAuthnCredentials of an account without any: %v", got)
			}
			return err
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		create(t, s, a)
		b := personWithAccount(t, s, w, "jean.dupont")
		k := newKey(a, "YubiKey 5C", day(-1))
		create(t, s, k)
		again := newKey(b, "Titan", day(0))
		again.ID = k.ID
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateWebAuthnCredential(again) })
		wantKind(t, "CreateWebAuthnCredential with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid_unknown_account", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		k := newKey(newAccount(w, w.person.ID, "anne.muller"), "YubiKey 5C", day(-1))
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateWebAuthnCredential(k) })
		wantKind(t, "CreateWebAuthnCredential of an unknown account", err, cleared.ErrInvalid)
	})
	t.Run("Update", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		k := newKey(a, "YubiKey 5C", day(-1))
		create(t, s, a, k)
		// A sign-in bumps the counter and the last use; the name and the creation stay.
		u := k
		u.Data, u.LastUsed = []byte(`{"publicKey":"pQECAyYgASFYIA","signCount":8}`), t0
		u.Name, u.Created = "renamed", day(0)
		update(t, s, func(tx store.Tx) error { return tx.UpdateWebAuthnCredential(u) })
		want := u
		want.Name, want.Created = k.Name, k.Created
		view(t, s, func(tx store.Tx) error {
			got, err := tx.WebAuthnCredentials(a.ID)
			same(t, "WebAuthnCredentials after UpdateWebAuthnCredential", got, []cleared.WebAuthnCredential{want})
			return err
		})
	})
	t.Run("Update_ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		a := newAccount(w, w.person.ID, "anne.muller")
		create(t, s, a)
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.UpdateWebAuthnCredential(newKey(a, "YubiKey 5C", day(-1)))
		})
		wantKind(t, "UpdateWebAuthnCredential of an unknown ID", err, cleared.ErrNotFound)
	})
}

// newScopedToken returns a token of person created at created, valid 90 days, with the given scopes.
func newScopedToken(person cleared.PersonID, secret string, created time.Time, scopes ...cleared.Scope) cleared.Token {
	h := sha256.Sum256([]byte(secret))
	return cleared.Token{
		ID: cleared.NewTokenID(), PersonID: person, Label: "script " + secret, Hash: h[:], Created: created,
		Expires: created.AddDate(0, 0, 90), Scopes: scopes,
	}
}

func testTokenByID(t *testing.T, open opener) {
	t.Run("OK_scopes_round_trip", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		tm := newRoamingTerminal(w)
		readOnly := newScopedToken(w.person.ID, "one", day(-1), cleared.ScopeRead)
		both := newScopedToken(w.person.ID, "two", day(-1), cleared.ScopeRead, cleared.ScopeWrite)
		both.Terminal, both.Revoked = tm.ID, t0
		writeOnly := newScopedToken(w.person.ID, "three", day(-1), cleared.ScopeWrite)
		none := newScopedToken(w.person.ID, "four", day(-1))
		create(t, s, tm, readOnly, both, writeOnly, none)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Token{readOnly, both, writeOnly, none} {
				got, err := tx.Token(want.ID)
				if err != nil {
					return err
				}
				same(t, "Token", got, want)
				got, err = tx.TokenByHash(want.Hash)
				if err != nil {
					return err
				}
				same(t, "TokenByHash", got, want)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		create(t, s, newScopedToken(w.person.ID, "one", day(-1), cleared.ScopeRead))
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Token(cleared.NewTokenID())
			wantKind(t, "Token of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrInvalid_scope_with_comma", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		k := newScopedToken(w.person.ID, "one", day(-1), "read,write")
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateToken(k) })
		wantKind(t, "CreateToken with a scope holding a comma", err, cleared.ErrInvalid)
	})
}

func testPersonTokens(t *testing.T, open opener) {
	t.Run("Newest_first_ended_included", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		other := newPerson(w.org.ID)
		oldest := newScopedToken(w.person.ID, "oldest", day(-200), cleared.ScopeRead) // expired
		revoked := newScopedToken(w.person.ID, "revoked", day(-1), cleared.ScopeRead, cleared.ScopeWrite)
		middle := newScopedToken(w.person.ID, "middle", day(-10), cleared.ScopeWrite)
		others := newScopedToken(other.ID, "another person's", day(-5), cleared.ScopeRead)
		create(t, s, other, oldest, revoked, middle, others)
		update(t, s, func(tx store.Tx) error { return tx.RevokeToken(revoked.ID, t0) })
		revoked.Revoked = t0
		view(t, s, func(tx store.Tx) error {
			got, err := tx.PersonTokens(w.person.ID)
			same(t, "PersonTokens, newest first", got, []cleared.Token{revoked, middle, oldest})
			return err
		})
	})
	t.Run("None", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.PersonTokens(w.person.ID)
			if len(got) != 0 {
				t.Errorf("PersonTokens of a person without any: %v", got)
			}
			return err
		})
	})
}

func testCeremony(t *testing.T, open opener) {
	t.Run("OK_taken_once", func(t *testing.T) {
		s := open(t)
		update(t, s, func(tx store.Tx) error { return tx.PutCeremony("login:ab", []byte(`{"challenge":"one"}`), day(1), t0) })
		update(t, s, func(tx store.Tx) error { return tx.PutCeremony("login:ab", []byte(`{"challenge":"two"}`), day(1), t0) })
		update(t, s, func(tx store.Tx) error {
			got, err := tx.TakeCeremony("login:ab", t0)
			same(t, "TakeCeremony after two puts", string(got), `{"challenge":"two"}`)
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { _, err := tx.TakeCeremony("login:ab", t0); return err })
		wantKind(t, "TakeCeremony of a ceremony taken already", err, cleared.ErrNotFound)
	})
	t.Run("ErrNotFound_expired_or_unknown", func(t *testing.T) {
		s := open(t)
		update(t, s, func(tx store.Tx) error { return tx.PutCeremony("register:cd", []byte("{}"), day(1), t0) })
		err := s.Update(t.Context(), func(tx store.Tx) error { _, err := tx.TakeCeremony("register:cd", day(2)); return err })
		wantKind(t, "TakeCeremony of an expired ceremony", err, cleared.ErrNotFound)
		err = s.Update(t.Context(), func(tx store.Tx) error { _, err := tx.TakeCeremony("register:none", t0); return err })
		wantKind(t, "TakeCeremony of an unknown ceremony", err, cleared.ErrNotFound)
	})
	t.Run("expired_ones_forgotten_on_put", func(t *testing.T) {
		s := open(t)
		update(t, s, func(tx store.Tx) error { return tx.PutCeremony("login:old", []byte("{}"), day(1), t0) })
		update(t, s, func(tx store.Tx) error { return tx.PutCeremony("login:new", []byte("{}"), day(3), day(2)) })
		// Taken at t0, the old one would still be valid: it is gone because the put at day 2 swept it.
		err := s.Update(t.Context(), func(tx store.Tx) error { _, err := tx.TakeCeremony("login:old", t0); return err })
		wantKind(t, "TakeCeremony of a ceremony swept by a later put", err, cleared.ErrNotFound)
	})
}

func testToken(t *testing.T, open opener) {
	newToken := func(w world, secret string) cleared.Token {
		h := sha256.Sum256([]byte(secret))
		return cleared.Token{
			ID: cleared.NewTokenID(), PersonID: w.person.ID, Label: "laptop", Hash: h[:], Created: day(-1),
			Expires: day(89),
		}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		tm := cleared.Terminal{ID: cleared.NewTerminalID(), Name: "Poste 3", RegisteredBy: w.person.ID, Created: day(-9)}
		plain, onTerminal := newToken(w, "secret one"), newToken(w, "secret two")
		onTerminal.Terminal = tm.ID
		create(t, s, tm, plain, onTerminal)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Token{plain, onTerminal} {
				got, err := tx.TokenByHash(want.Hash)
				if err != nil {
					return err
				}
				same(t, "TokenByHash", got, want)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		create(t, s, newToken(w, "secret"))
		view(t, s, func(tx store.Tx) error {
			h := sha256.Sum256([]byte("another secret"))
			_, err := tx.TokenByHash(h[:])
			wantKind(t, "TokenByHash of an unknown secret", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		k := newToken(w, "secret")
		create(t, s, k)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateToken(k) })
		wantKind(t, "CreateToken with an existing ID", err, cleared.ErrConflict)
		sameHash := newToken(w, "secret")
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateToken(sameHash) })
		wantKind(t, "CreateToken with an existing hash", err, cleared.ErrConflict)
	})
	t.Run("Revoke", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		k := newToken(w, "secret")
		create(t, s, k)
		update(t, s, func(tx store.Tx) error { return tx.RevokeToken(k.ID, t0) })
		k.Revoked = t0
		view(t, s, func(tx store.Tx) error {
			got, err := tx.TokenByHash(k.Hash)
			same(t, "token after RevokeToken", got, k)
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RevokeToken(k.ID, day(1)) })
		wantKind(t, "RevokeToken of a revoked token", err, cleared.ErrConflict)
	})
	t.Run("Revoke_ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RevokeToken(cleared.NewTokenID(), t0) })
		wantKind(t, "RevokeToken of an unknown ID", err, cleared.ErrNotFound)
	})
}

func testLockedAccounts(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		acc := func(login string, lockedUntil, disabled time.Time) cleared.Account {
			p := newPerson(w.org.ID)
			a := newAccount(w, p.ID, login)
			a.Failures, a.LockedUntil, a.Disabled = 7, lockedUntil, disabled
			create(t, s, p, a)
			return a
		}
		soon := acc("soon", t0.Add(time.Minute), time.Time{})
		later := acc("later", t0.Add(time.Hour), day(5)) // disabled from a later day: locked now
		acc("ended", t0, time.Time{})                    // locked until t0: free at t0
		acc("never", time.Time{}, time.Time{})
		acc("disabled", t0.Add(time.Hour), day(-2))
		view(t, s, func(tx store.Tx) error {
			got, err := tx.LockedAccounts(t0, 50)
			same(t, "accounts locked out at t0, the first unlocked first", got, []cleared.Account{soon, later})
			if err != nil {
				return err
			}
			got, err = tx.LockedAccounts(t0, 1)
			same(t, "the first account locked out", got, []cleared.Account{soon})
			return err
		})
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.LockedAccounts(t0, 0)
			wantKind(t, "LockedAccounts with limit 0", err, cleared.ErrInvalid)
			_, err = tx.LockedAccounts(time.Time{}, 10)
			wantKind(t, "LockedAccounts without a time", err, cleared.ErrInvalid)
			return nil
		})
	})
}
