package notify

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
)

// The headers of a webhook call. The signature covers the bytes "<timestamp>.<body>": the timestamp, in Unix
// seconds, as written in Cleared-Timestamp, a full stop, then the body exactly as received.
//
//	Cleared-Delivery:  dlv_…                  the message; the same on every retry (an idempotency key)
//	Cleared-Webhook:   whk_…                  the endpoint called
//	Cleared-Timestamp: 1765072800             when this call was signed (each retry is signed anew)
//	Cleared-Signature: ed25519=<base64>       or hmac-sha256=<hex>
const (
	HeaderDelivery  = "Cleared-Delivery"
	HeaderWebhook   = "Cleared-Webhook"
	HeaderTimestamp = "Cleared-Timestamp"
	HeaderSignature = "Cleared-Signature"
)

// DefaultTolerance is how far a receiver should let a call's timestamp be from its own clock: older is a replay,
// newer a forged or badly set clock.
const DefaultTolerance = 5 * time.Minute

// Errors of VerifyWebhook.
var (
	ErrNoSignature   = errors.New("notify: the call carries no signature or timestamp")
	ErrStale         = errors.New("notify: the call's timestamp is outside the tolerance (a replay, or a clock far off)")
	ErrBadSignature  = errors.New("notify: the signature does not match the body and timestamp")
	errUnknownScheme = fmt.Errorf("notify: the signature's scheme does not match the key: %w", ErrBadSignature)
)

// signedBytes is what a signature covers: the timestamp, a full stop, the body.
func signedBytes(ts int64, body []byte) []byte {
	msg := make([]byte, 0, 21+len(body))
	msg = strconv.AppendInt(msg, ts, 10)
	msg = append(msg, '.')
	return append(msg, body...)
}

// SignEd25519 returns the Cleared-Signature value of body sent at ts with cleared's key.
func SignEd25519(key ed25519.PrivateKey, ts int64, body []byte) string {
	return string(cleared.WebhookEd25519) + "=" + base64.StdEncoding.EncodeToString(ed25519.Sign(key, signedBytes(ts, body)))
}

// SignHMAC returns the Cleared-Signature value of body sent at ts under an endpoint's secret.
func SignHMAC(secret []byte, ts int64, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(signedBytes(ts, body))
	return string(cleared.WebhookHMAC) + "=" + hex.EncodeToString(m.Sum(nil))
}

// VerifyWebhook is what a receiver runs on a call from cleared before trusting it: it checks that the
// Cleared-Timestamp of header is within tolerance of now (ErrStale otherwise: a replayed call, or one signed in the
// future), then the Cleared-Signature over "<timestamp>.<body>" with key. The key's type chooses the scheme, never
// the call: an ed25519.PublicKey (cleared's, from GET /api/webhooks/key) verifies an Ed25519 signature, a []byte
// (the endpoint's "whsec_…" secret) an HMAC-SHA256 one; a call signed in the other scheme is refused, so that no
// one can sign with cleared's public key as an HMAC secret. A tolerance of zero or less is DefaultTolerance.
//
// A receiver that must not act twice on one message keeps the Cleared-Delivery IDs it has seen: a message may
// arrive more than once (docs/notifications.md).
func VerifyWebhook(header http.Header, body []byte, key any, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	tsText, sig := header.Get(HeaderTimestamp), header.Get(HeaderSignature)
	if tsText == "" || sig == "" {
		return ErrNoSignature
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil || strconv.FormatInt(ts, 10) != tsText {
		return fmt.Errorf("notify: malformed %s %q: %w", HeaderTimestamp, truncate(tsText, 20), ErrNoSignature)
	}
	if at := time.Unix(ts, 0); at.Before(now.Add(-tolerance)) || at.After(now.Add(tolerance)) {
		return ErrStale
	}
	scheme, value, _ := strings.Cut(sig, "=")
	msg := signedBytes(ts, body)
	switch k := key.(type) {
	case ed25519.PublicKey:
		if scheme != string(cleared.WebhookEd25519) {
			return errUnknownScheme
		}
		raw, err := base64.StdEncoding.DecodeString(value)
		if err != nil || len(k) != ed25519.PublicKeySize || !ed25519.Verify(k, msg, raw) {
			return ErrBadSignature
		}
	case []byte:
		if scheme != string(cleared.WebhookHMAC) {
			return errUnknownScheme
		}
		raw, err := hex.DecodeString(value)
		m := hmac.New(sha256.New, k)
		m.Write(msg)
		if err != nil || len(k) == 0 || !hmac.Equal(raw, m.Sum(nil)) {
			return ErrBadSignature
		}
	default:
		return fmt.Errorf("notify: a key is an ed25519.PublicKey or a []byte secret, not %T", key)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
