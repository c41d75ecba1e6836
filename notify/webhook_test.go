package notify_test

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"github.com/cleared/cleared/keyring/webhook"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/notify"
)

func signed(ts time.Time, sig string) http.Header {
	h := http.Header{}
	h.Set(notify.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(notify.HeaderSignature, sig)
	return h
}

// A13.1: the receiver's check accepts a call signed at most the tolerance away from its clock, and refuses a
// replayed (stale) or future one, a changed body, a changed timestamp, and a signature in another scheme than its
// key's, above all an HMAC computed with cleared's public key as the secret (anyone could make that one).
func TestVerifyWebhook_A13_1_replay_and_forgery_refused(t *testing.T) {
	ring, err := keyring.New()
	if err != nil {
		t.Fatal(err)
	}
	priv, _, err := webhook.EnsureKey(ring)
	if err != nil {
		t.Fatal(err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	secret := webhook.NewSecret()
	now := time.Unix(1_765_072_800, 0)
	body := []byte(`{"incident":"inc_1"}`)
	tol := 5 * time.Minute
	ed := func(at time.Time) http.Header { return signed(at, notify.SignEd25519(priv, at.Unix(), body)) }
	mac := func(at time.Time) http.Header { return signed(at, notify.SignHMAC(secret, at.Unix(), body)) }
	for _, c := range []struct {
		name   string
		header http.Header
		body   []byte
		key    any
		want   error
	}{
		{"ed25519 now", ed(now), body, pub, nil},
		{"hmac now", mac(now), body, secret, nil},
		{"ed25519 exactly the tolerance old", ed(now.Add(-tol)), body, pub, nil},
		{"hmac exactly the tolerance ahead", mac(now.Add(tol)), body, secret, nil},
		{"replayed: a second older than the tolerance", ed(now.Add(-tol - time.Second)), body, pub, notify.ErrStale},
		{"replayed hmac call of yesterday", mac(now.Add(-24 * time.Hour)), body, secret, notify.ErrStale},
		{"future: a second beyond the tolerance", ed(now.Add(tol + time.Second)), body, pub, notify.ErrStale},
		{"body changed", ed(now), []byte(`{"incident":"inc_2"}`), pub, notify.ErrBadSignature},
		{"hmac body changed", mac(now), []byte(`{"incident":"inc_2"}`), secret, notify.ErrBadSignature},
		{"timestamp changed", signed(now.Add(time.Second), notify.SignEd25519(priv, now.Unix(), body)), body, pub, notify.ErrBadSignature},
		{"wrong secret", mac(now), body, webhook.NewSecret(), notify.ErrBadSignature},
		{"other key", ed(now), body, ed25519.PublicKey(make([]byte, 32)), notify.ErrBadSignature},
		{"hmac under the public key, checked with it", signed(now, notify.SignHMAC(pub, now.Unix(), body)), body, pub, notify.ErrBadSignature},
		{"hmac under the public key, checked as a secret", signed(now, notify.SignHMAC(pub, now.Unix(), body)), body, []byte("whsec_x"), notify.ErrBadSignature},
		{"ed25519 call checked as hmac", ed(now), body, secret, notify.ErrBadSignature},
		{"no signature", signed(now, ""), body, pub, notify.ErrNoSignature},
		{"no timestamp", http.Header{notify.HeaderSignature: {"ed25519=AA=="}}, body, pub, notify.ErrNoSignature},
		{"timestamp with a sign", http.Header{notify.HeaderTimestamp: {"+" + strconv.FormatInt(now.Unix(), 10)}, notify.HeaderSignature: {"x=y"}}, body, pub, notify.ErrNoSignature},
	} {
		err := notify.VerifyWebhook(c.header, c.body, c.key, now, tol)
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: VerifyWebhook = %v, want %v", c.name, err, c.want)
		}
	}
	if err := notify.VerifyWebhook(ed(now), body, "a string", now, tol); err == nil {
		t.Error("a key of an unknown type is accepted")
	}
	// Mangle each byte of the signature: every one is refused.
	good := notify.SignEd25519(priv, now.Unix(), body)
	for i := len("ed25519="); i < len(good); i++ {
		b := []byte(good)
		b[i] ^= 1
		if notify.VerifyWebhook(signed(now, string(b)), body, pub, now, tol) == nil {
			t.Errorf("signature with byte %d changed is accepted", i)
		}
	}
}

// A receiver of cleared's webhook calls, in Go: it checks the signature with cleared's public key (GET
// /api/webhooks/key), refuses a replay, and acts once per Cleared-Delivery.
func ExampleVerifyWebhook() {
	var cleared ed25519.PublicKey // from GET /api/webhooks/key; for an HMAC endpoint, []byte("whsec_…")
	var mu sync.Mutex
	seen := map[string]bool{} // a real receiver keeps these in its database
	http.HandleFunc("POST /cleared", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "unreadable", http.StatusBadRequest)
			return
		}
		if err := notify.VerifyWebhook(r.Header, body, cleared, time.Now(), notify.DefaultTolerance); err != nil {
			http.Error(w, "not from cleared", http.StatusUnauthorized)
			return
		}
		id := r.Header.Get(notify.HeaderDelivery)
		mu.Lock()
		defer mu.Unlock()
		if !seen[id] { // cleared sends at least once: the same ID may come again
			seen[id] = true
			fmt.Printf("incident notification %s: %s\n", id, body)
		}
		w.WriteHeader(http.StatusNoContent) // any 2xx: delivered; anything else is retried
	})
}
