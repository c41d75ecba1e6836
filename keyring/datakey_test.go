package keyring_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/cleared/cleared/keyring"
)

// A23.1: a vetting case's answers are sealed under the case's own data key and open only for that case and slot.
func TestRecordDataKey(t *testing.T) {
	r, err := keyring.New()
	if err != nil {
		t.Fatal(err)
	}
	dk, err := r.NewDataKey("vet_a")
	if err != nil {
		t.Fatal(err)
	}
	ct, err := r.SealRecord("vet_a", dk, "civil_status", []byte(`{"name":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	pt, err := r.OpenRecord("vet_a", dk, "civil_status", ct)
	if err != nil || !bytes.Equal(pt, []byte(`{"name":"x"}`)) {
		t.Fatalf("open: %q, %v", pt, err)
	}
	if _, err := r.OpenRecord("vet_a", dk, "solvency", ct); !errors.Is(err, keyring.ErrCorrupt) {
		t.Errorf("another slot: %v", err)
	}
	if _, err := r.OpenRecord("vet_b", dk, "civil_status", ct); !errors.Is(err, keyring.ErrCorrupt) {
		t.Errorf("another record: %v", err)
	}
	if _, err := r.OpenRecord("vet_a", keyring.DataKey{KEK: dk.KEK}, "civil_status", ct); !errors.Is(err, keyring.ErrKeyDestroyed) {
		t.Errorf("erased key: %v", err)
	}
}
