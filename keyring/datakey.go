package keyring

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"

	"github.com/cleared/cleared"
)

// A record's data key: personal data that is not a piece's content (a vetting case's questionnaire, Art. 23) is
// encrypted under a data key of its own record, wrapped by the KEK and bound to the record's ID, so that erasing the
// wrapped key erases every value sealed under it (A23.2) and a value copied to another record or slot does not open.

// DataKey is a record's data key as stored: the name of the KEK that wraps it and the wrapped key.
type DataKey struct {
	KEK     string
	Wrapped []byte
}

const (
	recordWrapAD  = "cleared/record-key/v1\x00"
	recordValueAD = "cleared/record-value/v1\x00"
)

// NewDataKey makes a fresh data key for the record owner (e.g. "vet_…") wrapped with the current KEK; an error of
// kind [cleared.ErrUnavailable] if the ring has none.
func (r *Ring) NewDataKey(owner string) (DataKey, error) {
	kekID, k := r.currentKEK()
	if k == nil {
		return DataKey{}, cleared.Unavailablef("keyring: the key ring has no key-encryption key")
	}
	key := make([]byte, keySize)
	rand.Read(key)
	defer clear(key)
	return DataKey{KEK: kekID, Wrapped: k.aead.Seal(make([]byte, 0, wrappedLen), nil, key, recordAD(recordWrapAD, owner, ""))}, nil
}

// SealRecord encrypts plaintext under the data key dk of record owner, bound to slot (e.g. a questionnaire's
// section).
func (r *Ring) SealRecord(owner string, dk DataKey, slot string, plaintext []byte) ([]byte, error) {
	key, err := r.unwrapRecord(owner, dk)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	return newAEAD(key).Seal(make([]byte, 0, len(plaintext)+overhead), nil, plaintext, recordAD(recordValueAD, owner, slot)), nil
}

// OpenRecord decrypts what SealRecord sealed for owner and slot: [ErrKeyDestroyed] once the wrapped key is
// erased, [ErrCorrupt] for a value altered or sealed for another record or slot.
func (r *Ring) OpenRecord(owner string, dk DataKey, slot string, sealed []byte) ([]byte, error) {
	key, err := r.unwrapRecord(owner, dk)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	if len(sealed) < overhead {
		return nil, fmt.Errorf("keyring: record %s: %w", truncate(owner, 40), ErrCorrupt)
	}
	pt, err := newAEAD(key).Open(nil, nil, sealed, recordAD(recordValueAD, owner, slot))
	if err != nil {
		return nil, fmt.Errorf("keyring: record %s: %w", truncate(owner, 40), ErrCorrupt)
	}
	return pt, nil
}

func (r *Ring) unwrapRecord(owner string, dk DataKey) ([]byte, error) {
	if len(dk.Wrapped) == 0 {
		return nil, ErrKeyDestroyed
	}
	k := r.kek(dk.KEK)
	if k == nil {
		return nil, cleared.Unavailablef("keyring: key-encryption key %q is not in the key ring", truncate(dk.KEK, 40))
	}
	key, err := k.aead.Open(make([]byte, 0, keySize), nil, dk.Wrapped, recordAD(recordWrapAD, owner, ""))
	if err != nil {
		return nil, fmt.Errorf("keyring: data key of %s: %w", truncate(owner, 40), ErrCorrupt)
	}
	return key, nil
}

// recordAD length-prefixes owner and slot so that no two pairs share an encoding.
func recordAD(prefix, owner, slot string) []byte {
	out := binary.AppendUvarint([]byte(prefix), uint64(len(owner)))
	out = append(out, owner...)
	out = binary.AppendUvarint(out, uint64(len(slot)))
	return append(out, slot...)
}
