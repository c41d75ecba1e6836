// Package webhook holds the keys of cleared's webhook calls (the incident warnings of Art. 13, A13.1): cleared's
// Ed25519 signing key, kept in the key ring beside the audit and certificate keys and never in the database, and the
// HMAC secrets cleared makes for the endpoints that choose that scheme, sealed by the key ring for their endpoint
// alone. Package notify signs and sends the calls; package registry registers the endpoints and serves the public key.
package webhook

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"sync"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
)

// RingKey is the name under which the key ring holds cleared's webhook signing key (an Ed25519 seed).
const RingKey = "webhook-ed25519"

// EnsureKey returns cleared's webhook signing key from ring, making one there if it holds none; created says so, and
// the caller then saves the ring, or the key would not outlive the process and receivers would hold a public key
// that no longer verifies.
func EnsureKey(ring *keyring.Ring) (key ed25519.PrivateKey, created bool, err error) {
	if ring == nil {
		return nil, false, cleared.Unavailablef("webhook: no key ring")
	}
	// One maker at a time: two keys made at once would leave receivers holding one that no longer verifies.
	ensureMu.Lock()
	defer ensureMu.Unlock()
	if seed, ok := ring.Secret(RingKey); ok {
		defer clear(seed)
		if len(seed) != ed25519.SeedSize {
			return nil, false, cleared.Unavailablef("webhook: the key ring's webhook key is malformed")
		}
		return ed25519.NewKeyFromSeed(seed), false, nil
	}
	seed := make([]byte, ed25519.SeedSize)
	rand.Read(seed)
	defer clear(seed)
	ring.SetSecret(RingKey, seed)
	return ed25519.NewKeyFromSeed(seed), true, nil
}

var ensureMu sync.Mutex

// PublicKey returns the public key that verifies cleared's Ed25519 webhook calls (GET /api/webhooks/key); it makes
// the key in ring if it holds none, as EnsureKey does.
func PublicKey(ring *keyring.Ring) (ed25519.PublicKey, error) {
	k, _, err := EnsureKey(ring)
	if err != nil {
		return nil, err
	}
	return k.Public().(ed25519.PublicKey), nil
}

// secretPrefix starts every HMAC secret cleared generates, so that one pasted into the wrong place is recognised.
const secretPrefix = "whsec_"

// NewSecret returns a fresh HMAC secret for an endpoint, as shown once to who registers it: "whsec_" and 32 random
// bytes in base64url. The HMAC key is the text itself, byte for byte.
func NewSecret() []byte {
	var b [32]byte
	rand.Read(b[:])
	return []byte(secretPrefix + base64.RawURLEncoding.EncodeToString(b[:]))
}

// SecretPurpose is what an endpoint's HMAC secret is sealed for by the key ring (keyring.Ring.SealValue), so that a
// sealed secret copied onto another endpoint's row does not open.
func SecretPurpose(id cleared.WebhookID) string { return "webhook-secret:" + string(id) }
