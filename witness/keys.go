package witness

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared"
)

// algCosignatureV1 is the signature type of an Ed25519 tlog-cosignature/v1 key in a vkey.
const algCosignatureV1 = 0x04

// NewKey generates a witness key named name (a schema-less URL that identifies the witness, such as
// "witness.ans.example/w1"). The signer key, "PRIVATE+KEY+<name>+<key ID>+<base64(0x04 || Ed25519 seed)>", stays
// with the witness; the verifier key, "<name>+<key ID>+<base64(0x04 || Ed25519 public key)>", is given to the
// log's operators and to whoever verifies the log. A bad name is [cleared.ErrInvalid].
func NewKey(name string) (signerKey, verifierKey string, err error) {
	if err := checkName(name); err != nil {
		return "", "", err
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", fmt.Errorf("witness.NewKey: %w", err)
	}
	pubKey := append([]byte{algCosignatureV1}, pub...)
	seed := append([]byte{algCosignatureV1}, priv.Seed()...)
	id := keyID(name, pubKey)
	signerKey = fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, id, base64.StdEncoding.EncodeToString(seed))
	verifierKey = fmt.Sprintf("%s+%08x+%s", name, id, base64.StdEncoding.EncodeToString(pubKey))
	return signerKey, verifierKey, nil
}

// keyID is the key ID of tlog-cosignature: SHA-256(<name> || "\n" || 0x04 || public key)[:4].
func keyID(name string, pubKey []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write(pubKey)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// checkName accepts a key name as signed-note does: printable UTF-8 without spaces or '+'.
func checkName(name string) error {
	if name == "" || len(name) > 256 || !utf8.ValidString(name) ||
		strings.ContainsFunc(name, func(r rune) bool { return r == '+' || unicode.IsSpace(r) || !unicode.IsPrint(r) }) {
		return cleared.Invalidf("witness name %.60q must be 1 to 256 printable characters without spaces or '+'", name)
	}
	return nil
}

// NewVerifier returns the verifier of a witness's cosignatures from its verifier key. Only Ed25519
// tlog-cosignature/v1 keys (signature type 0x04) are accepted: a plain Ed25519 note key (0x01) is a log's, and
// taking it for a witness's would let a log's own signature count as a cosignature. A malformed key is
// [cleared.ErrInvalid].
func NewVerifier(verifierKey string) (note.Verifier, error) {
	_, rest, _ := strings.Cut(verifierKey, "+")
	_, key64, _ := strings.Cut(rest, "+")
	key, err := base64.StdEncoding.DecodeString(key64)
	if err != nil || len(key) != 1+ed25519.PublicKeySize || key[0] != algCosignatureV1 {
		return nil, cleared.Invalidf("witness key %.80q: want <name>+<key ID>+<base64 of 0x04 and an Ed25519 public key>", verifierKey)
	}
	v, err := fnote.NewVerifierForCosignatureV1(verifierKey)
	if err != nil {
		return nil, cleared.Invalidf("witness key %.80q: %v", verifierKey, err)
	}
	if name, hash, _ := strings.Cut(verifierKey, "+"); name != v.Name() || !strings.HasPrefix(hash, fmt.Sprintf("%08x+", v.KeyHash())) {
		return nil, cleared.Invalidf("witness key %.80q: its key ID does not match its name and key", verifierKey)
	}
	return v, nil
}

// newSigner returns the cosigner of a witness's signer key; a malformed key is [cleared.ErrInvalid], and the key
// never appears in an error.
func newSigner(signerKey string) (note.Signer, string, error) {
	s, err := fnote.NewSignerForCosignatureV1(signerKey)
	if err != nil {
		return nil, "", cleared.Invalidf("malformed witness signer key: want PRIVATE+KEY+<name>+<key ID>+<key>")
	}
	parts := strings.SplitN(signerKey, "+", 5) // the key's base64 may hold '+'
	seed, err := base64.StdEncoding.DecodeString(parts[len(parts)-1])
	if err != nil || len(seed) != 1+ed25519.SeedSize {
		return nil, "", cleared.Invalidf("malformed witness signer key: want PRIVATE+KEY+<name>+<key ID>+<key>")
	}
	pub := ed25519.NewKeyFromSeed(seed[1:]).Public().(ed25519.PublicKey)
	pubKey := append([]byte{algCosignatureV1}, pub...)
	vkey := fmt.Sprintf("%s+%08x+%s", s.Name(), keyID(s.Name(), pubKey), base64.StdEncoding.EncodeToString(pubKey))
	if keyID(s.Name(), pubKey) != s.KeyHash() {
		return nil, "", cleared.Invalidf("malformed witness signer key: its key ID does not match")
	}
	return s, vkey, nil
}
