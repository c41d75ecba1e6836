package webhook_test

import (
	"testing"

	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/keyring/webhook"
)

// The webhook key is made once and kept in the key ring: the same public key after a reload.
func TestEnsureKey_A13_1_kept_by_the_ring(t *testing.T) {
	ring, err := keyring.New()
	if err != nil {
		t.Fatal(err)
	}
	k1, made, err := webhook.EnsureKey(ring)
	if err != nil || !made {
		t.Fatalf("EnsureKey on a new ring: made %v, %v", made, err)
	}
	k2, made, err := webhook.EnsureKey(ring)
	if err != nil || made || !k1.Equal(k2) {
		t.Fatalf("EnsureKey again: made %v, same %v, %v", made, k1.Equal(k2), err)
	}
}

// The secrets cleared makes carry their prefix and are never twice the same; each is sealed for its endpoint alone.
func TestNewSecret_A13_1(t *testing.T) {
	a, b := webhook.NewSecret(), webhook.NewSecret()
	if string(a[:6]) != "whsec_" || len(a) != 6+43 || string(a) == string(b) {
		t.Fatalf("secrets %q and %q", a, b)
	}
	if webhook.SecretPurpose("whk_a") == webhook.SecretPurpose("whk_b") {
		t.Fatal("two endpoints' secrets are sealed for the same purpose")
	}
}
