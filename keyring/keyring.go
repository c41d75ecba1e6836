package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/cleared/cleared"
)

// Domain-separation prefixes of the associated data. They keep a wrapped data key from ever being accepted as
// content and the other way round; the version lets a later format change without ambiguity.
//
// The wrapped key's associated data also binds the piece's level and originator (v2), so that a piece whose level
// or originator was changed in the database (a DBA's UPDATE pieces SET level = 0) cannot be decrypted: its data key
// no longer unwraps. A legitimate downgrade re-wraps the data key (Rewrap), 60 bytes, not the content. The v1 form
// (the piece ID alone) is accepted only by UpgradeWrap, the one-time step that re-wraps what an older version sealed.
const (
	contentAD = "cleared/piece-content/v1\x00"
	wrapAD    = "cleared/piece-key/v2\x00"
	wrapADv1  = "cleared/piece-key/v1\x00"
)

const (
	keySize    = 32 // AES-256
	nonceSize  = 12 // GCM standard nonce, prepended to every ciphertext
	tagSize    = 16
	overhead   = nonceSize + tagSize
	wrappedLen = keySize + overhead
)

// ErrKeyDestroyed is returned by [Ring.Open] when the piece's data key has been erased (A10.1): the content is
// destroyed for good and no key will ever open it. It is of kind [cleared.ErrConflict].
var ErrKeyDestroyed = cleared.Conflictf("content destroyed for good: its data key was erased (A10.1)")

// ErrCorrupt is returned by [Ring.Open] when a wrapped key or a ciphertext fails authentication: it was altered or
// damaged, or it belongs to another piece. Nothing is returned of it; treat it as a possible compromise.
var ErrCorrupt = errors.New("authentication failed: content altered, damaged or sealed for another piece")

// Sealed is the encrypted content of one piece as the store keeps it. WrappedKey is the piece's data key wrapped by
// the KEK named KEK; erasing it (nil) destroys the content. Ciphertext is the content sealed by the data key, its
// nonce first.
type Sealed struct {
	KEK        string
	WrappedKey []byte
	Ciphertext []byte
}

// Ring holds the key-encryption keys, one of which is current (it wraps new data keys; the others stay to unwrap
// what they wrapped), and named secrets. Its methods are safe for concurrent use. The zero Ring has no KEK: call
// [Ring.Rotate] or use [New].
type Ring struct {
	mu      sync.RWMutex
	keks    map[string]*kek
	order   []string // KEK IDs in creation order, so the sealed file is stable
	current string
	secrets map[string][]byte
}

// kek is one key-encryption key with its AEAD, built once: a GCM value holds no mutable state, so goroutines share it.
type kek struct {
	key  []byte
	aead cipher.AEAD
}

// New returns a ring with one fresh KEK, "kek-1". The error is for symmetry with rings held elsewhere; with
// crypto/rand, which cannot fail since Go 1.24, it is always nil.
func New() (*Ring, error) {
	r := new(Ring)
	r.Rotate()
	return r, nil
}

// Rotate adds a fresh KEK and makes it current, so data keys sealed from now on are wrapped by it; the old KEKs stay
// to open what they wrapped. It returns the new KEK's ID ("kek-N").
func (r *Ring) Rotate() string {
	key := make([]byte, keySize)
	rand.Read(key)
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.order) + 1
	for r.keks[kekName(n)] != nil {
		n++
	}
	id := kekName(n)
	r.addLocked(id, key)
	r.current = id
	return id
}

func kekName(n int) string { return "kek-" + strconv.Itoa(n) }

// addLocked adds a KEK; key must be keySize bytes, which is checked by every caller.
func (r *Ring) addLocked(id string, key []byte) {
	if r.keks == nil {
		r.keks = make(map[string]*kek)
	}
	r.keks[id] = &kek{key: key, aead: newAEAD(key)}
	r.order = append(r.order, id)
}

// Current returns the ID of the KEK that wraps new data keys, or "" if the ring has none.
func (r *Ring) Current() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.current
}

// Secret returns a copy of the named secret, and whether the ring holds it.
func (r *Ring) Secret(name string) ([]byte, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	b, ok := r.secrets[name]
	if !ok {
		return nil, false
	}
	return append([]byte(nil), b...), true
}

// SetSecret stores a copy of b under name, replacing any secret of that name. It lives only in memory until the
// ring is saved.
func (r *Ring) SetSecret(name string, b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.secrets == nil {
		r.secrets = make(map[string][]byte)
	}
	r.secrets[name] = append([]byte(nil), b...)
}

// DeleteSecret removes the named secret, if the ring holds it; it lives on in the sealed file until the ring is
// saved.
func (r *Ring) DeleteSecret(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.secrets, name)
}

// String describes the ring without its keys, so that a ring printed by mistake (%v, a log line) leaks nothing.
func (r *Ring) String() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return fmt.Sprintf("keyring.Ring{current: %q, keks: %q, secrets: %d}", r.current, r.order, len(r.secrets))
}

// GoString is String, for %#v.
func (r *Ring) GoString() string { return r.String() }

// Binding is what a piece's sealed content is bound to besides its ID: the level and the originator the register
// records, so that content opens only for the piece as it was classified.
type Binding struct {
	Level      cleared.Level
	Originator cleared.AuthorityID
}

// BindingOf returns the binding of p.
func BindingOf(p cleared.Piece) Binding { return Binding{Level: p.Level, Originator: p.Originator} }

// Seal encrypts plaintext for the piece id, classified as b says, under a fresh data key and wraps that key with
// the current KEK. The ciphertext is written once into a buffer of exactly its size. A malformed id is
// [cleared.ErrInvalid]; a ring without KEK is [cleared.ErrUnavailable].
func (r *Ring) Seal(id cleared.PieceID, b Binding, plaintext []byte) (_ Sealed, err error) {
	defer cleared.Wrap(&err, "keyring: seal %s", id)
	if err := id.Validate(); err != nil {
		return Sealed{}, err
	}
	kekID, k := r.currentKEK()
	if k == nil {
		return Sealed{}, cleared.Unavailablef("the key ring has no key-encryption key")
	}

	dataKey := make([]byte, keySize)
	rand.Read(dataKey)
	defer clear(dataKey)
	ct := newAEAD(dataKey).Seal(make([]byte, 0, len(plaintext)+overhead), nil, plaintext, ad(contentAD, id))
	wrapped := k.aead.Seal(make([]byte, 0, wrappedLen), nil, dataKey, wrapData(id, b))
	return Sealed{KEK: kekID, WrappedKey: wrapped, Ciphertext: ct}, nil
}

// Open unwraps the data key of s and decrypts the content of the piece id, classified as b says. It returns
// [ErrKeyDestroyed] (kind [cleared.ErrConflict]) if the wrapped key has been erased, an error of kind
// [cleared.ErrUnavailable] if the KEK is not in the ring, and [ErrCorrupt] if the wrapped key or the ciphertext
// fails authentication, including when s belongs to another piece or was sealed at another level or for another
// originator.
func (r *Ring) Open(id cleared.PieceID, b Binding, s Sealed) (_ []byte, err error) {
	defer cleared.Wrap(&err, "keyring: open %s", id)
	if err := id.Validate(); err != nil {
		return nil, err
	}
	// A10.1: checked first, so a destroyed piece says so whatever else is wrong with its record.
	if len(s.WrappedKey) == 0 {
		return nil, ErrKeyDestroyed
	}
	k := r.kek(s.KEK)
	if k == nil {
		return nil, cleared.Unavailablef("key-encryption key %q is not in the key ring", truncate(s.KEK, 40))
	}
	if len(s.WrappedKey) != wrappedLen {
		return nil, fmt.Errorf("wrapped data key: %w", ErrCorrupt)
	}
	dataKey, err := k.aead.Open(make([]byte, 0, keySize), nil, s.WrappedKey, wrapData(id, b))
	if err != nil {
		return nil, fmt.Errorf("wrapped data key: %w", ErrCorrupt)
	}
	defer clear(dataKey)
	if len(s.Ciphertext) < overhead {
		return nil, fmt.Errorf("ciphertext: %w", ErrCorrupt)
	}
	pt, err := newAEAD(dataKey).Open(make([]byte, 0, len(s.Ciphertext)-overhead), nil, s.Ciphertext, ad(contentAD, id))
	if err != nil {
		return nil, fmt.Errorf("ciphertext: %w", ErrCorrupt)
	}
	return pt, nil
}

func (r *Ring) currentKEK() (string, *kek) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.current, r.keks[r.current]
}

func (r *Ring) kek(id string) *kek {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.keks[id]
}

// wrapData returns the associated data of a wrapped data key: the piece, its level and its originator, each
// length-prefixed so that no two bindings share an encoding.
func wrapData(id cleared.PieceID, b Binding) []byte {
	out := binary.AppendUvarint([]byte(wrapAD), uint64(len(id)))
	out = append(out, id...)
	out = binary.AppendVarint(out, int64(b.Level))
	out = binary.AppendUvarint(out, uint64(len(b.Originator)))
	return append(out, b.Originator...)
}

// Rewrap re-wraps the data key of s, sealed for the piece id as from says, for the binding to, with the current
// KEK: a legitimate change of level or originator (a downgrade) costs 60 bytes, not the content. The errors are
// Open's.
func (r *Ring) Rewrap(id cleared.PieceID, from, to Binding, s Sealed) (Sealed, error) {
	return r.rewrap(id, wrapData(id, from), to, s)
}

// UpgradeWrap re-wraps a data key wrapped by an older cleared (its associated data the piece ID alone, v1) for
// the piece as b says. Only the one-time upgrade calls it: Open accepts no v1 key.
func (r *Ring) UpgradeWrap(id cleared.PieceID, b Binding, s Sealed) (Sealed, error) {
	return r.rewrap(id, ad(wrapADv1, id), b, s)
}

func (r *Ring) rewrap(id cleared.PieceID, fromAD []byte, to Binding, s Sealed) (_ Sealed, err error) {
	defer cleared.Wrap(&err, "keyring: rewrap %s", id)
	if len(s.WrappedKey) == 0 {
		return Sealed{}, ErrKeyDestroyed
	}
	k := r.kek(s.KEK)
	if k == nil {
		return Sealed{}, cleared.Unavailablef("key-encryption key %q is not in the key ring", truncate(s.KEK, 40))
	}
	dataKey, err := k.aead.Open(make([]byte, 0, keySize), nil, s.WrappedKey, fromAD)
	if err != nil {
		return Sealed{}, fmt.Errorf("wrapped data key: %w", ErrCorrupt)
	}
	defer clear(dataKey)
	kekID, cur := r.currentKEK()
	if cur == nil {
		return Sealed{}, cleared.Unavailablef("the key ring has no key-encryption key")
	}
	return Sealed{KEK: kekID, WrappedKey: cur.aead.Seal(make([]byte, 0, wrappedLen), nil, dataKey, wrapData(id, to)),
		Ciphertext: s.Ciphertext}, nil
}

// RegisterKey names the secret of the ring that seals the register rows (store/sqlstore's SetSealKey): a MAC
// key, 32 bytes, that the database never holds.
const RegisterKey = "register-seal"

// NewRegisterKey makes a fresh register key, keeps it in the ring under RegisterKey (in memory until the ring is
// saved) and returns it.
func (r *Ring) NewRegisterKey() []byte {
	key := make([]byte, keySize)
	rand.Read(key)
	r.SetSecret(RegisterKey, key)
	return key
}

// ad returns the associated data binding a sealed value to its purpose and to its piece.
func ad(prefix string, id cleared.PieceID) []byte {
	return append(append(make([]byte, 0, len(prefix)+len(id)), prefix...), id...)
}

// newAEAD returns AES-256-GCM with a random nonce prepended by Seal and read back by Open. Random nonces are safe
// here: a data key seals one message, and a KEK would need 2^32 wraps before a collision became a concern.
func newAEAD(key []byte) cipher.AEAD {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic("keyring: " + err.Error()) // every caller passes keySize bytes
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		panic("keyring: " + err.Error()) // block is an AES cipher
	}
	return aead
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// valueAD starts the associated data of a small value sealed by SealValue.
const valueAD = "cleared/value/v1\x00"

// SealValue encrypts a small secret the server must read back (an account's TOTP secret) directly with the current
// KEK, bound to purpose (e.g. "totp:acc_…"), so a sealed value copied to another row does not open. It returns the
// KEK's name and the sealed bytes.
func (r *Ring) SealValue(purpose string, plaintext []byte) (kekID string, sealed []byte, err error) {
	kekID, k := r.currentKEK()
	if k == nil {
		return "", nil, cleared.Unavailablef("keyring: the key ring has no key-encryption key")
	}
	return kekID, k.aead.Seal(nil, nil, plaintext, []byte(valueAD+purpose)), nil
}

// OpenValue decrypts what SealValue sealed for purpose: an error of kind [cleared.ErrUnavailable] if the KEK is
// not in the ring, [ErrCorrupt] if the value fails authentication (altered, or sealed for another purpose).
func (r *Ring) OpenValue(purpose, kekID string, sealed []byte) ([]byte, error) {
	k := r.kek(kekID)
	if k == nil {
		return nil, cleared.Unavailablef("keyring: key-encryption key %q is not in the key ring", truncate(kekID, 40))
	}
	pt, err := k.aead.Open(nil, nil, sealed, []byte(valueAD+purpose))
	if err != nil {
		return nil, fmt.Errorf("keyring: sealed value: %w", ErrCorrupt)
	}
	return pt, nil
}
