package auth_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/go-webauthn/webauthn/protocol"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/store/sqlite"
)

// keyOrigin is the public URL of the server under test: the origin security keys sign for.
const keyOrigin = "https://cleared.test"

// newKeyEnv is newEnv with security keys configured for keyOrigin.
func newKeyEnv(tb testing.TB) *env {
	tb.Helper()
	wa, err := auth.NewWebAuthn(keyOrigin)
	if err != nil {
		tb.Fatal(err)
	}
	return wrap(testenv.New(tb, testenv.Options{WebAuthn: wa}))
}

// softKey is a minimal software security key: an ECDSA P-256 credential with "none" attestation and a sign
// counter, answering the options of BeginKeyRegistration and BeginKeyLogin as a browser would post them.
type softKey struct {
	priv   *ecdsa.PrivateKey
	id     []byte
	user   []byte // the user handle learnt at registration
	count  uint32 // the last sign count used
	origin string // the origin the browser puts in clientDataJSON
	rpID   string // if set, the relying party the key signs for instead of the one asked
	flags  byte   // of an assertion's authenticator data: UP (0x01), user present
}

func newSoftKey(tb testing.TB) *softKey {
	tb.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	id := make([]byte, 32)
	rand.Read(id)
	return &softKey{priv: priv, id: id, origin: keyOrigin, flags: 0x01}
}

var b64 = base64.RawURLEncoding

func (k *softKey) clientData(typ string, challenge []byte) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": b64.EncodeToString(challenge), "origin": k.origin,
		"crossOrigin": false})
	return b
}

func (k *softKey) authData(rpID string, flags byte, count uint32, attested []byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	b := append(h[:], flags)
	b = binary.BigEndian.AppendUint32(b, count)
	return append(b, attested...)
}

// coseKey is the credential's public key as a COSE EC2 key, ES256.
func (k *softKey) coseKey(tb testing.TB) []byte {
	tb.Helper()
	pub, err := k.priv.PublicKey.ECDH()
	if err != nil {
		tb.Fatal(err)
	}
	raw := pub.Bytes() // 0x04 || x || y
	em, err := cbor.CTAP2EncOptions().EncMode()
	if err != nil {
		tb.Fatal(err)
	}
	b, err := em.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: raw[1:33], -3: raw[33:65]})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// register answers the options of BeginKeyRegistration (navigator.credentials.create).
func (k *softKey) register(tb testing.TB, options []byte) []byte {
	tb.Helper()
	var cc protocol.CredentialCreation
	if err := json.Unmarshal(options, &cc); err != nil {
		tb.Fatalf("registration options %s: %v", options, err)
	}
	o := cc.Response
	if o.RelyingParty.ID != "cleared.test" || len(o.Challenge) < 16 {
		tb.Fatalf("registration options: relying party %q, challenge of %d bytes", o.RelyingParty.ID, len(o.Challenge))
	}
	id, _ := o.User.ID.(string)
	user, err := b64.DecodeString(id)
	if err != nil || len(user) == 0 {
		tb.Fatalf("registration options: user handle %q: %v", id, err)
	}
	k.user = user
	attested := make([]byte, 16) // AAGUID: none
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(k.id)))
	attested = append(attested, k.id...)
	attested = append(attested, k.coseKey(tb)...)
	em, _ := cbor.CTAP2EncOptions().EncMode()
	att, err := em.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{},
		"authData": k.authData(o.RelyingParty.ID, 0x01|0x40, k.count, attested)})
	if err != nil {
		tb.Fatal(err)
	}
	return k.post(map[string]any{
		"clientDataJSON":    b64.EncodeToString(k.clientData("webauthn.create", o.Challenge)),
		"attestationObject": b64.EncodeToString(att),
	})
}

// assert answers the options of BeginKeyLogin (navigator.credentials.get) with the next sign count.
func (k *softKey) assert(tb testing.TB, options []byte) []byte {
	tb.Helper()
	k.count++
	return k.assertWith(tb, options, k.count)
}

// assertWith answers with the given sign count, leaving the key's counter alone.
func (k *softKey) assertWith(tb testing.TB, options []byte, count uint32) []byte {
	tb.Helper()
	var ca protocol.CredentialAssertion
	if err := json.Unmarshal(options, &ca); err != nil {
		tb.Fatalf("sign-in options %s: %v", options, err)
	}
	o := ca.Response
	if o.RelyingPartyID != "cleared.test" || len(o.Challenge) < 16 {
		tb.Fatalf("sign-in options: relying party %q, challenge of %d bytes", o.RelyingPartyID, len(o.Challenge))
	}
	cd := k.clientData("webauthn.get", o.Challenge)
	rpID := o.RelyingPartyID
	if k.rpID != "" {
		rpID = k.rpID
	}
	ad := k.authData(rpID, k.flags, count, nil)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.priv, digest[:])
	if err != nil {
		tb.Fatal(err)
	}
	return k.post(map[string]any{
		"clientDataJSON":    b64.EncodeToString(cd),
		"authenticatorData": b64.EncodeToString(ad),
		"signature":         b64.EncodeToString(sig),
		"userHandle":        b64.EncodeToString(k.user),
	})
}

// post is the PublicKeyCredential as the browser's script posts it.
func (k *softKey) post(response map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id),
		"type": "public-key", "response": response, "clientExtensionResults": map[string]any{}})
	return b
}

// allows reports whether sign-in options list the key.
func allows(tb testing.TB, options []byte, k *softKey) bool {
	tb.Helper()
	var ca protocol.CredentialAssertion
	if err := json.Unmarshal(options, &ca); err != nil {
		tb.Fatal(err)
	}
	for _, c := range ca.Response.AllowedCredentials {
		if bytes.Equal(c.CredentialID, k.id) {
			return true
		}
	}
	return false
}

// addKey registers k to a demo login's account from a session signed in with its TOTP code.
func (e *env) addKey(t *testing.T, login string, terminal cleared.TerminalID, k *softKey, name string) cleared.WebAuthnCredential {
	t.Helper()
	secret := e.signIn(t, login, terminal)
	a, _, err := e.svc.SessionActor(e.ctx, secret, terminal)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := e.svc.BeginKeyRegistration(e.ctx, a, secret)
	if err != nil {
		t.Fatalf("begin registration for %s: %v", login, err)
	}
	c, err := e.svc.FinishKeyRegistration(e.ctx, a, secret, name, k.register(t, opts))
	if err != nil {
		t.Fatalf("finish registration for %s: %v", login, err)
	}
	return c
}

// pending signs a demo login in with its password: the session waits for its second factor.
func (e *env) pending(t testing.TB, login string, terminal cleared.TerminalID) string {
	t.Helper()
	in, err := e.svc.Login(e.ctx, auth.LoginInput{Login: login, Password: demo.Password(login), Terminal: terminal})
	if err != nil {
		t.Fatalf("password of %s: %v", login, err)
	}
	return in.Secret
}

// beginKey asks for the sign-in options of a pending session.
func (e *env) beginKey(t testing.TB, secret string, terminal cleared.TerminalID) []byte {
	t.Helper()
	opts, err := e.svc.BeginKeyLogin(e.ctx, secret, terminal)
	if err != nil {
		t.Fatalf("begin key sign-in: %v", err)
	}
	return opts
}

// keySignIn signs a demo login in with its password and k, and returns the active session's secret.
func (e *env) keySignIn(t *testing.T, login string, terminal cleared.TerminalID, k *softKey) string {
	t.Helper()
	secret := e.pending(t, login, terminal)
	in, err := e.svc.FinishKeyLogin(e.ctx, secret, terminal, k.assert(t, e.beginKey(t, secret, terminal)))
	if err != nil {
		t.Fatalf("key sign-in of %s: %v", login, err)
	}
	return in.Secret
}

// wantKeyRefused checks that a key sign-in was refused as unauthenticated, recorded as a refused second factor of
// the person, and that the session did not become active.
func (e *env) wantKeyRefused(t *testing.T, err error, secret string, terminal cleared.TerminalID, who cleared.PersonID) {
	t.Helper()
	if !errors.Is(err, cleared.ErrUnauthenticated) {
		t.Fatalf("refused answer: got %v, want ErrUnauthenticated", err)
	}
	r := e.last(t, 1)[0]
	if r.Action != "session.second_factor" || r.Allowed || r.Actor != who || r.Rule == "" {
		t.Errorf("the refusal is not recorded as a refused second factor of %s: %+v", who, r.Entry)
	}
	if _, _, err := e.svc.SessionActor(e.ctx, secret, terminal); !errors.Is(err, cleared.ErrUnauthenticated) {
		t.Errorf("after a refused answer the session acts: %v", err)
	}
}

func TestService_SecurityKey(t *testing.T) {
	e := newKeyEnv(t)
	zone := e.w.ZoneTerm.ID
	sophie := e.w.Sophie.ID
	key := newSoftKey(t)

	t.Run("OK register from a signed-in session and list", func(t *testing.T) {
		c := e.addKey(t, "sophie", zone, key, "YubiKey bleue")
		if !bytes.Equal(c.ID, key.id) || c.Name != "YubiKey bleue" || !c.Created.Equal(e.clock.Now()) {
			t.Errorf("registered key %+v", c)
		}
		r := e.last(t, 1)[0]
		if r.Action != "account.security_key" || !r.Allowed || r.Actor != sophie || r.Terminal != zone || r.Object != string(c.AccountID) {
			t.Errorf("registration not recorded as Sophie's: %+v", r.Entry)
		}
		cs, err := e.svc.SecurityKeys(e.ctx, e.as("sophie_zone"))
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || !bytes.Equal(cs[0].ID, key.id) || cs[0].Name != "YubiKey bleue" || !cs[0].LastUsed.IsZero() {
			t.Fatalf("Sophie's keys: %+v", cs)
		}
		// Others see none of hers.
		if cs, err := e.svc.SecurityKeys(e.ctx, e.as("tom")); err != nil || len(cs) != 0 {
			t.Errorf("Tom's keys: %+v, %v", cs, err)
		}
	})

	t.Run("OK sign in with the key", func(t *testing.T) {
		e.clock.Add(time.Minute)
		secret := e.pending(t, "sophie", zone)
		opts := e.beginKey(t, secret, zone)
		if !allows(t, opts, key) {
			t.Errorf("the sign-in options do not list Sophie's key: %s", opts)
		}
		in, err := e.svc.FinishKeyLogin(e.ctx, secret, zone, key.assert(t, opts))
		if err != nil {
			t.Fatal(err)
		}
		if x := in.Session; x.Stage != cleared.StageActive || x.Method != "webauthn" || x.PersonID != sophie {
			t.Errorf("session after the key: stage %q method %q person %s", x.Stage, x.Method, x.PersonID)
		}
		r := e.last(t, 1)[0]
		if r.Action != "session.second_factor" || !r.Allowed || r.Actor != sophie || r.Terminal != zone {
			t.Errorf("the key sign-in is not recorded as allowed: %+v", r.Entry)
		}
		if _, _, err := e.svc.SessionActor(e.ctx, secret, zone); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("the secret of the first step still opens the session after the key: %v", err)
		}
		a, x, err := e.svc.SessionActor(e.ctx, in.Secret, zone)
		if err != nil {
			t.Fatal(err)
		}
		if a.Person != sophie || a.Terminal != zone || x.Method != "webauthn" {
			t.Errorf("session actor %+v method %q", a, x.Method)
		}
		if _, _, err := e.reg.ReadContent(e.ctx, a, e.w.TopSecret.ID); err != nil {
			t.Errorf("read TOP SECRET from the zone through a key session: %v", err)
		}
		cs, _ := e.svc.SecurityKeys(e.ctx, a)
		if len(cs) != 1 || !cs[0].LastUsed.Equal(e.clock.Now()) {
			t.Errorf("last use of the key not recorded: %+v", cs)
		}
		// The sign-in is complete: the same answer, again on this session, is refused.
		if _, err := e.svc.FinishKeyLogin(e.ctx, secret, zone, key.assertWith(t, opts, key.count+1)); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("second answer on an active session: %v", err)
		}
	})

	t.Run("ErrUnauthenticated answer signed for another origin", func(t *testing.T) {
		secret := e.pending(t, "sophie", zone)
		phished := *key
		phished.origin = "https://evil.test"
		_, err := e.svc.FinishKeyLogin(e.ctx, secret, zone, phished.assert(t, e.beginKey(t, secret, zone)))
		e.wantKeyRefused(t, err, secret, zone, sophie)
		key.count = phished.count
	})

	t.Run("ErrUnauthenticated the ceremony is answered once", func(t *testing.T) {
		secret := e.pending(t, "sophie", zone)
		opts := e.beginKey(t, secret, zone)
		_, err := e.svc.FinishKeyLogin(e.ctx, secret, zone, []byte(`{"id":"x"}`))
		e.wantKeyRefused(t, err, secret, zone, sophie)
		// The right answer to the same challenge comes too late: the challenge was used up.
		_, err = e.svc.FinishKeyLogin(e.ctx, secret, zone, key.assert(t, opts))
		e.wantKeyRefused(t, err, secret, zone, sophie)
		// A new challenge, a new answer: in.
		if _, err := e.svc.FinishKeyLogin(e.ctx, secret, zone, key.assert(t, e.beginKey(t, secret, zone))); err != nil {
			t.Errorf("right answer to a new challenge: %v", err)
		}
	})

	t.Run("OK one of concurrent identical answers gets in", func(t *testing.T) {
		secret := e.pending(t, "sophie", zone)
		answer := key.assert(t, e.beginKey(t, secret, zone))
		// Fewer than FreeAttempts: a loser that commits before the winner counts as a failure (it has no challenge).
		type result struct {
			in  auth.SignIn
			err error
		}
		results := make(chan result, account.FreeAttempts-1)
		var wg sync.WaitGroup
		for range cap(results) {
			wg.Go(func() {
				in, err := e.svc.FinishKeyLogin(e.ctx, secret, zone, answer)
				results <- result{in, err}
			})
		}
		wg.Wait()
		close(results)
		ok, active := 0, ""
		for r := range results {
			switch {
			case r.err == nil:
				ok++
				active = r.in.Secret
			case !errors.Is(r.err, cleared.ErrUnauthenticated):
				t.Errorf("concurrent answer: %v", r.err)
			}
		}
		if ok != 1 {
			t.Errorf("%d of the concurrent answers got in, want 1", ok)
		}
		if _, x, err := e.svc.SessionActor(e.ctx, active, zone); err != nil || x.Method != "webauthn" {
			t.Errorf("session after concurrent answers: %q, %v", x.Method, err)
		}
	})

	t.Run("ErrUnauthenticated replayed answer", func(t *testing.T) {
		first := e.pending(t, "sophie", zone)
		answer := key.assert(t, e.beginKey(t, first, zone))
		if _, err := e.svc.FinishKeyLogin(e.ctx, first, zone, answer); err != nil {
			t.Fatal(err)
		}
		// Replayed on a new sign-in: another challenge, and a used sign count.
		second := e.pending(t, "sophie", zone)
		e.beginKey(t, second, zone)
		_, err := e.svc.FinishKeyLogin(e.ctx, second, zone, answer)
		e.wantKeyRefused(t, err, second, zone, sophie)
	})

	t.Run("ErrUnauthenticated answer to another sign-in's challenge", func(t *testing.T) {
		// A fresh sign count, a good signature, but for the challenge of another session.
		a := e.pending(t, "sophie", zone)
		other := key.assert(t, e.beginKey(t, a, zone))
		b := e.pending(t, "sophie", zone)
		e.beginKey(t, b, zone)
		_, err := e.svc.FinishKeyLogin(e.ctx, b, zone, other)
		e.wantKeyRefused(t, err, b, zone, sophie)
	})

	t.Run("ErrUnauthenticated cloned key: same or lower sign count", func(t *testing.T) {
		e.keySignIn(t, "sophie", zone, key) // resets the failures
		for _, count := range []uint32{key.count, key.count - 1, 0} {
			secret := e.pending(t, "sophie", zone)
			_, err := e.svc.FinishKeyLogin(e.ctx, secret, zone, key.assertWith(t, e.beginKey(t, secret, zone), count))
			e.wantKeyRefused(t, err, secret, zone, sophie)
		}
		// The genuine key, counting on, still works: the clone's attempts changed nothing stored.
		e.keySignIn(t, "sophie", zone, key)
	})

	t.Run("ErrUnauthenticated answer after the second-factor timeout", func(t *testing.T) {
		secret := e.pending(t, "sophie", zone)
		opts := e.beginKey(t, secret, zone)
		e.clock.Add(account.SecondFactorTimeout + time.Second)
		before := e.size(t)
		if _, err := e.svc.FinishKeyLogin(e.ctx, secret, zone, key.assertWith(t, opts, key.count+1)); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatalf("late answer: %v", err)
		}
		if n := int(e.size(t) - before); n > 0 {
			for _, r := range e.last(t, n) {
				if r.Allowed {
					t.Errorf("a late answer recorded as allowed: %+v", r.Entry)
				}
			}
		}
		if _, _, err := e.svc.SessionActor(e.ctx, secret, zone); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("after a late answer the session acts: %v", err)
		}
		if _, err := e.svc.BeginKeyLogin(e.ctx, secret, zone); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("a timed-out sign-in starts a new challenge: %v", err)
		}
	})

	t.Run("ErrUnauthenticated another account's key", func(t *testing.T) {
		tomKey := newSoftKey(t)
		e.addKey(t, "tom", "", tomKey, "Tom's key")
		if opts := e.beginKey(t, e.pending(t, "sophie", zone), zone); allows(t, opts, tomKey) {
			t.Error("Sophie's sign-in options list Tom's key")
		}
		for _, handle := range [][]byte{tomKey.user, key.user, nil} { // Tom's handle, Sophie's, none
			k := *tomKey
			k.user = handle
			secret := e.pending(t, "sophie", zone)
			_, err := e.svc.FinishKeyLogin(e.ctx, secret, zone, k.assert(t, e.beginKey(t, secret, zone)))
			e.wantKeyRefused(t, err, secret, zone, sophie)
			tomKey.count = k.count
		}
		// Tom's own sign-in with it works.
		e.keySignIn(t, "tom", "", tomKey)
		e.keySignIn(t, "sophie", zone, key) // resets Sophie's failures
	})

	t.Run("ErrUnauthenticated malformed or forged answers", func(t *testing.T) {
		e.keySignIn(t, "sophie", zone, key) // resets the failures
		impostor := newSoftKey(t)           // the same credential ID and user handle, another private key
		impostor.id, impostor.user = key.id, key.user
		field := func(name, value string) func([]byte) []byte {
			return func(opts []byte) []byte {
				var m map[string]any
				json.Unmarshal(key.assertWith(t, opts, key.count+1), &m)
				m["response"].(map[string]any)[name] = value
				b, _ := json.Marshal(m)
				return b
			}
		}
		for name, answer := range map[string]func(opts []byte) []byte{
			"empty":            func([]byte) []byte { return nil },
			"not JSON":         func([]byte) []byte { return []byte("not json") },
			"empty object":     func([]byte) []byte { return []byte("{}") },
			"empty response":   func([]byte) []byte { return []byte(`{"id":"","rawId":"","type":"public-key","response":{}}`) },
			"forged signature": func(opts []byte) []byte { return impostor.assertWith(t, opts, key.count+1) },
			"bad signature":    field("signature", "AAAA"),
			"bad base64":       field("authenticatorData", "!!"),
			"short authData":   field("authenticatorData", b64.EncodeToString([]byte{1, 2, 3})),
			"client data type": field("clientDataJSON", b64.EncodeToString(key.clientData("webauthn.create", []byte("0123456789abcdef0123")))),
			"user not present": func(opts []byte) []byte {
				k := *key
				k.flags = 0
				return k.assertWith(t, opts, key.count+1)
			},
			"another relying party": func(opts []byte) []byte {
				k := *key
				k.rpID = "evil.test"
				return k.assertWith(t, opts, key.count+1)
			},
		} {
			secret := e.pending(t, "sophie", zone)
			_, err := e.svc.FinishKeyLogin(e.ctx, secret, zone, answer(e.beginKey(t, secret, zone)))
			if !errors.Is(err, cleared.ErrUnauthenticated) {
				t.Errorf("%s: %v", name, err)
			}
			e.wantKeyRefused(t, err, secret, zone, sophie)
			e.keySignIn(t, "sophie", zone, key) // keep clear of the lock-out, tested below
		}
		// A malformed session secret: refused before anything.
		if _, err := e.svc.FinishKeyLogin(e.ctx, "cleared_s_nope", zone, []byte("{}")); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("bad secret: %v", err)
		}
	})

	t.Run("ErrConflict sign-in with a key for an account without one", func(t *testing.T) {
		secret := e.pending(t, "lea", "")
		if _, err := e.svc.BeginKeyLogin(e.ctx, secret, ""); !errors.Is(err, cleared.ErrConflict) {
			t.Errorf("Lea has no key: %v", err)
		}
		if _, err := e.svc.BeginKeyLogin(e.ctx, "cleared_s_nope", ""); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("no session: %v", err)
		}
	})

	t.Run("ErrInvalid registration without begin, malformed or for another origin", func(t *testing.T) {
		e.clock.Add(time.Minute) // a fresh TOTP step for Max
		secret := e.signIn(t, "max", "")
		a, _, err := e.svc.SessionActor(e.ctx, secret, "")
		if err != nil {
			t.Fatal(err)
		}
		k := newSoftKey(t)
		before := e.size(t)
		check := func(what string, err error) {
			t.Helper()
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("%s: %v, want ErrInvalid", what, err)
			}
			if e.size(t) != before {
				t.Errorf("%s: recorded %+v", what, e.last(t, 1)[0].Entry)
			}
			if cs, err := e.svc.SecurityKeys(e.ctx, a); err != nil || len(cs) != 0 {
				t.Errorf("%s: Max's keys %+v, %v", what, cs, err)
			}
		}
		_, err = e.svc.FinishKeyRegistration(e.ctx, a, secret, "key", []byte(`{}`))
		check("no registration begun", err)
		for _, answer := range [][]byte{nil, []byte("not json"), []byte(`{"id":"x","type":"public-key","response":{"attestationObject":"AAAA"}}`)} {
			if _, err := e.svc.BeginKeyRegistration(e.ctx, a, secret); err != nil {
				t.Fatal(err)
			}
			_, err = e.svc.FinishKeyRegistration(e.ctx, a, secret, "key", answer)
			check("malformed answer "+string(answer), err)
		}
		opts, err := e.svc.BeginKeyRegistration(e.ctx, a, secret)
		if err != nil {
			t.Fatal(err)
		}
		k.origin = "https://evil.test"
		_, err = e.svc.FinishKeyRegistration(e.ctx, a, secret, "key", k.register(t, opts))
		check("another origin", err)
		// Registration through another's session: Tom cannot finish what Max began.
		opts, err = e.svc.BeginKeyRegistration(e.ctx, a, secret)
		if err != nil {
			t.Fatal(err)
		}
		k.origin = keyOrigin
		_, err = e.svc.FinishKeyRegistration(e.ctx, e.as("tom"), secret, "key", k.register(t, opts))
		check("Tom on Max's ceremony", err)
		if cs, _ := e.svc.SecurityKeys(e.ctx, e.as("tom")); len(cs) != 1 {
			t.Errorf("Tom's keys after finishing Max's ceremony: %+v", cs)
		}
		// A late answer.
		opts, err = e.svc.BeginKeyRegistration(e.ctx, a, secret)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Add(account.SecondFactorTimeout + time.Second)
		_, err = e.svc.FinishKeyRegistration(e.ctx, a, secret, "key", k.register(t, opts))
		check("late answer", err)
	})

	t.Run("ErrConflict another account registers Sophie's key", func(t *testing.T) {
		e.clock.Add(time.Minute)
		secret := e.signIn(t, "paul", "")
		a, _, err := e.svc.SessionActor(e.ctx, secret, "")
		if err != nil {
			t.Fatal(err)
		}
		opts, err := e.svc.BeginKeyRegistration(e.ctx, a, secret)
		if err != nil {
			t.Fatal(err)
		}
		before := e.size(t)
		copied := *key // an authenticator answering with a credential ID registered to Sophie
		if _, err := e.svc.FinishKeyRegistration(e.ctx, a, secret, "key", copied.register(t, opts)); !errors.Is(err, cleared.ErrConflict) {
			t.Errorf("Paul registers Sophie's credential: %v", err)
		}
		if cs, _ := e.svc.SecurityKeys(e.ctx, a); len(cs) != 0 || e.size(t) != before {
			t.Errorf("Paul's keys %+v, %d entries recorded", cs, e.size(t)-before)
		}
	})

	t.Run("ErrForbidden five wrong answers lock the account", func(t *testing.T) {
		e.clock.Add(time.Minute)
		anneKey := newSoftKey(t)
		e.addKey(t, "anne", "", anneKey, "key")
		secret := e.pending(t, "anne", "")
		evil := *anneKey
		evil.origin = "https://evil.test"
		for range account.FreeAttempts {
			_, err := e.svc.FinishKeyLogin(e.ctx, secret, "", evil.assert(t, e.beginKey(t, secret, "")))
			e.wantKeyRefused(t, err, secret, "", e.w.Anne.ID)
		}
		// Locked: the right answer is refused, saying why, and so is the right password.
		_, err := e.svc.FinishKeyLogin(e.ctx, secret, "", anneKey.assertWith(t, e.beginKey(t, secret, ""), evil.count+1))
		wantRule(t, err, auth.RuleLockout)
		_, err = e.svc.Login(e.ctx, auth.LoginInput{Login: "anne", Password: demo.Password("anne")})
		wantRule(t, err, auth.RuleLockout)
		var f *cleared.ErrForbidden
		if errors.As(err, &f); f.AuditSeq == 0 {
			t.Error("the lock-out refusal names no audit entry")
		}
		e.clock.Add(account.FirstLock)
		anneKey.count = evil.count
		e.keySignIn(t, "anne", "", anneKey)
	})

	t.Run("ErrUnavailable without WebAuthn configured", func(t *testing.T) {
		e := newEnv(t) // no public URL: no security keys
		secret := e.signIn(t, "sophie", "")
		a, _, err := e.svc.SessionActor(e.ctx, secret, "")
		if err != nil {
			t.Fatal(err)
		}
		pending := e.pending(t, "tom", "")
		_, err1 := e.svc.BeginKeyRegistration(e.ctx, a, secret)
		_, err2 := e.svc.FinishKeyRegistration(e.ctx, a, secret, "key", []byte(`{}`))
		_, err3 := e.svc.BeginKeyLogin(e.ctx, pending, "")
		_, err4 := e.svc.FinishKeyLogin(e.ctx, pending, "", []byte(`{}`))
		for i, err := range []error{err1, err2, err3, err4} {
			if !errors.Is(err, cleared.ErrUnavailable) {
				t.Errorf("step %d without WebAuthn: %v", i+1, err)
			}
		}
		// The TOTP code still completes the sign-in.
		if _, err := e.svc.SecondFactor(e.ctx, pending, "", e.code(t, "tom")); err != nil {
			t.Errorf("TOTP after a refused key: %v", err)
		}
	})
}

func FuzzFinishKeyLogin(f *testing.F) {
	e := newKeyEnv(f)
	key := newSoftKey(f)
	// Sophie registers a key (without e.signIn, which wants a *testing.T).
	in, err := e.svc.Login(e.ctx, auth.LoginInput{Login: "sophie", Password: demo.Password("sophie")})
	if err != nil {
		f.Fatal(err)
	}
	code, _ := account.TOTPCode(demo.TOTPSecret("sophie"), e.clock.Now())
	if in, err = e.svc.SecondFactor(e.ctx, in.Secret, "", code); err != nil {
		f.Fatal(err)
	}
	a, _, err := e.svc.SessionActor(e.ctx, in.Secret, "")
	if err != nil {
		f.Fatal(err)
	}
	opts, err := e.svc.BeginKeyRegistration(e.ctx, a, in.Secret)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := e.svc.FinishKeyRegistration(e.ctx, a, in.Secret, "key", key.register(f, opts)); err != nil {
		f.Fatal(err)
	}
	secret := e.pending(f, "sophie", "")
	valid := key.assert(f, e.beginKey(f, secret, "")) // a well-formed answer to a challenge that is gone
	for _, seed := range [][]byte{nil, []byte("{}"), []byte("null"), []byte(`{"id":"AA","rawId":"AA","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"","signature":""}}`), valid} {
		f.Add(seed)
	}
	ada := cleared.Actor{Person: e.w.Ada.ID}
	f.Fuzz(func(t *testing.T, answer []byte) {
		if _, err := e.svc.BeginKeyLogin(e.ctx, secret, ""); err != nil {
			t.Fatalf("begin: %v", err)
		}
		x, err := e.svc.FinishKeyLogin(e.ctx, secret, "", answer)
		if err == nil {
			t.Fatalf("arbitrary answer %q accepted: %+v", answer, x)
		}
		var forbidden *cleared.ErrForbidden
		if !errors.Is(err, cleared.ErrUnauthenticated) && !errors.As(err, &forbidden) {
			t.Fatalf("answer %q: %v", answer, err)
		}
		if err := e.svc.UnlockAccount(e.ctx, ada, in.Session.AccountID); err != nil { // so that the next input reaches the checks
			t.Fatal(err)
		}
	})
}

// TestService_RemoveSecurityKey: one removes one's own key, audited, and it no longer signs one in; another
// person's key, or one already removed, is not found and nothing changes.
func TestService_RemoveSecurityKey(t *testing.T) {
	e := newKeyEnv(t)
	lost, kept := newSoftKey(t), newSoftKey(t)
	c := e.addKey(t, "max", "", lost, "perdue")
	e.clock.Add(31 * time.Second) // a fresh TOTP step for the second sign-in
	e.addKey(t, "max", "", kept, "gardée")
	max := cleared.Actor{Person: e.w.Max.ID}

	if err := e.svc.RemoveSecurityKey(e.ctx, cleared.Actor{Person: e.w.Tom.ID}, c.ID); !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("Tom removes Max's key: %v, want not found", err)
	}
	before := e.size(t)
	if err := e.svc.RemoveSecurityKey(e.ctx, max, c.ID); err != nil {
		t.Fatal(err)
	}
	if r := e.last(t, 1)[0].Entry; e.size(t) != before+1 || r.Action != "security_key.remove" || !r.Allowed || r.Actor != e.w.Max.ID {
		t.Fatalf("removal entry %+v, log grew by %d", r, e.size(t)-before)
	}
	if err := e.svc.RemoveSecurityKey(e.ctx, max, c.ID); !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("removing it again: %v, want not found", err)
	}
	ks, err := e.svc.SecurityKeys(e.ctx, max)
	if err != nil || len(ks) != 1 || ks[0].Name != "gardée" {
		t.Fatalf("keys left: %+v %v", ks, err)
	}
	secret := e.pending(t, "max", "")
	opts := e.beginKey(t, secret, "")
	if allows(t, opts, lost) || !allows(t, opts, kept) {
		t.Fatal("the sign-in still offers the removed key, or no longer the kept one")
	}
	if _, err := e.svc.FinishKeyLogin(e.ctx, secret, "", lost.assert(t, opts)); !errors.Is(err, cleared.ErrUnauthenticated) {
		t.Fatalf("sign-in with the removed key: %v, want unauthenticated", err)
	}
	if _, err := e.svc.FinishKeyLogin(e.ctx, secret, "", kept.assert(t, e.beginKey(t, secret, ""))); err != nil {
		t.Fatalf("sign-in with the kept key: %v", err)
	}
}

// TestService_SecurityKeyAcrossServers: a ceremony begun on one server is answered on another of the same
// installation (a load balancer without affinity), and still only once.
func TestService_SecurityKeyAcrossServers(t *testing.T) {
	e := newKeyEnv(t)
	key := newSoftKey(t)
	e.addKey(t, "max", "", key, "clé de Max")
	other, err := sqlite.Open(e.ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.SetSealKey(e.SealKey); err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	e.SignWith(t, other)
	wa, err := auth.NewWebAuthn(keyOrigin)
	if err != nil {
		t.Fatal(err)
	}
	second := auth.New(act.New(other, slog.New(slog.DiscardHandler), nil), e.ring, auth.Config{Now: e.clock.Now, Log: slog.New(slog.DiscardHandler), WebAuthn: wa})

	e.clock.Add(time.Minute)
	secret := e.pending(t, "max", "")
	answer := key.assert(t, e.beginKey(t, secret, "")) // the challenge from the first server
	in, err := second.FinishKeyLogin(e.ctx, secret, "", answer)
	if err != nil {
		t.Fatalf("the answer taken by the second server: %v", err)
	}
	if _, _, err := e.svc.SessionActor(e.ctx, in.Secret, ""); err != nil {
		t.Fatalf("the session signed in through the second server, seen by the first: %v", err)
	}
	if _, err := e.svc.FinishKeyLogin(e.ctx, secret, "", answer); !errors.Is(err, cleared.ErrUnauthenticated) {
		t.Fatalf("the same answer again, on the first server: %v, want unauthenticated", err)
	}
}
