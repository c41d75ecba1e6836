package audit

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared"
)

// ErrBadSignature is the kind of error for a checkpoint whose signature does not verify with the log's key: not
// signed by that key, or altered after signing. Such an error is also of kind [cleared.ErrInvalid] (it is bad input
// to whoever passed it), so errors.Is(err, ErrBadSignature) tells it apart from a merely malformed note.
var ErrBadSignature = errors.New("bad signature")

// maxNote bounds a signed checkpoint: origin, size, root and a few signatures fit in well under a kilobyte.
const maxNote = 16 << 10

// Checkpoint is a commitment to the log: its origin (the log's name, which is also the name of its signing key),
// its size, and the root hash of the tree of that many entries. A checkpoint the store signs for a group commit
// (a signed head) also names the signed head before it (Prev), so that the signed heads form a chain in which a
// deleted head is missed by the one after it.
type Checkpoint struct {
	Origin string
	Size   uint64
	Root   []byte
	// Prev links the checkpoint to the previous signed head of the log; nil for the log's first signed head (and
	// for the checkpoints signed before heads were chained).
	Prev *Link
}

// Link names a signed head: its size and the SHA-256 of its body ([Checkpoint.Marshal]). The body, not the whole
// note, so that cosignatures added to a note later (witnesses) do not break the chain; the body is what the log's
// key signs.
type Link struct {
	Size uint64
	Hash [hashSize]byte
}

// Link returns the link to c, for the checkpoint that follows it.
func (c Checkpoint) Link() Link { return Link{Size: c.Size, Hash: sha256.Sum256(c.Marshal())} }

// prevPrefix starts the one extension line a checkpoint may carry.
const prevPrefix = "prev "

// Marshal returns the checkpoint's body in the C2SP tlog-checkpoint form, each line ending in a newline (U+000A):
//
//	cleared.example/audit
//	4711
//	31S4vEQriPKP1QAyO3MTq1SZjYr1d8egALNF1M/Y/7E=
//	prev 4700 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
//
// the origin, the size in decimal, the root hash in standard base64 with padding, and, if c.Prev is set, one
// extension line: "prev", the previous signed head's size in decimal and the SHA-256 of its body in standard
// base64. It is the text a signed note carries (see [Sign]).
func (c Checkpoint) Marshal() []byte {
	b := fmt.Appendf(nil, "%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root))
	if c.Prev != nil {
		b = fmt.Appendf(b, "%s%d %s\n", prevPrefix, c.Prev.Size, base64.StdEncoding.EncodeToString(c.Prev.Hash[:]))
	}
	return b
}

// ParseCheckpoint reads a checkpoint body written by [Checkpoint.Marshal], strictly: three lines, or four with the
// "prev" extension line; an origin that is a valid key name, sizes in decimal without sign or leading zeros, a
// previous size below the size, and hashes of 32 bytes in canonical standard base64. Anything else, including any
// other extension line, is [cleared.ErrInvalid]: one checkpoint has one encoding.
func ParseCheckpoint(body []byte) (Checkpoint, error) {
	if len(body) > maxNote {
		return Checkpoint{}, cleared.Invalidf("checkpoint: %d bytes is too long", len(body))
	}
	text, ok := strings.CutSuffix(string(body), "\n")
	lines := strings.Split(text, "\n")
	if !ok || len(lines) != 3 && len(lines) != 4 {
		return Checkpoint{}, cleared.Invalidf("checkpoint: want three lines (origin, size, root hash) and at most one \"prev\" line, each ending in a newline")
	}
	if err := checkOrigin(lines[0]); err != nil {
		return Checkpoint{}, err
	}
	size, err := parseSize("size", lines[1])
	if err != nil {
		return Checkpoint{}, err
	}
	root, err := parseHash("root hash", lines[2])
	if err != nil {
		return Checkpoint{}, err
	}
	c := Checkpoint{Origin: lines[0], Size: size, Root: root}
	if len(lines) == 4 {
		rest, ok := strings.CutPrefix(lines[3], prevPrefix)
		fields := strings.Split(rest, " ")
		if !ok || len(fields) != 2 {
			return Checkpoint{}, cleared.Invalidf("checkpoint: extension line %.60q is not \"prev <size> <hash>\"", lines[3])
		}
		prevSize, err := parseSize("previous size", fields[0])
		if err != nil {
			return Checkpoint{}, err
		}
		if prevSize >= size {
			return Checkpoint{}, cleared.Invalidf("checkpoint: previous size %d is not below size %d", prevSize, size)
		}
		h, err := parseHash("previous hash", fields[1])
		if err != nil {
			return Checkpoint{}, err
		}
		c.Prev = &Link{Size: prevSize}
		copy(c.Prev.Hash[:], h)
	}
	return c, nil
}

func parseSize(what, s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || s != strconv.FormatUint(n, 10) {
		return 0, cleared.Invalidf("checkpoint: %s %.30q is not a decimal number without leading zeros", what, s)
	}
	return n, nil
}

func parseHash(what, s string) ([]byte, error) {
	h, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(h) != hashSize || base64.StdEncoding.EncodeToString(h) != s {
		return nil, cleared.Invalidf("checkpoint: %s %.60q is not %d bytes in standard base64", what, s, hashSize)
	}
	return h, nil
}

// checkOrigin accepts what note accepts as a key name and can be signed and opened: printable UTF-8, without
// spaces or '+'.
func checkOrigin(origin string) error {
	if origin == "" || len(origin) > 256 || !utf8.ValidString(origin) ||
		strings.ContainsFunc(origin, func(r rune) bool { return r == '+' || unicode.IsSpace(r) || !unicode.IsPrint(r) }) {
		return cleared.Invalidf("checkpoint origin %.60q must be 1 to 256 printable characters without spaces or '+'", origin)
	}
	return nil
}

// NewKey generates an Ed25519 key pair for a log named origin (for example "cleared.example/audit"), as note
// keys: the signer key "PRIVATE+KEY+<origin>+<hash>+<key>", to be kept secret by the server, and the verifier key
// "<origin>+<hash>+<key>", for anyone who verifies the log. A bad origin is [cleared.ErrInvalid].
func NewKey(origin string) (signerKey, verifierKey string, err error) {
	if err := checkOrigin(origin); err != nil {
		return "", "", err
	}
	signerKey, verifierKey, err = note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return "", "", fmt.Errorf("audit.NewKey: %w", err)
	}
	return signerKey, verifierKey, nil
}

// VerifierKey returns the verifier key of a note signer key made by [NewKey]: the key that checks what signerKey
// signs. A malformed signer key is [cleared.ErrInvalid]; the key never appears in an error.
func VerifierKey(signerKey string) (string, error) {
	s, err := note.NewSigner(signerKey)
	if err != nil {
		return "", cleared.Invalidf("audit.VerifierKey: malformed signer key")
	}
	// "PRIVATE+KEY+<name>+<hash>+<base64 of 0x01 and the Ed25519 seed>"; the name holds no '+'.
	parts := strings.SplitN(signerKey, "+", 5)
	key, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(key) != 1+ed25519.SeedSize || key[0] != 1 {
		return "", cleared.Invalidf("audit.VerifierKey: not an Ed25519 signer key")
	}
	pub := ed25519.NewKeyFromSeed(key[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(s.Name(), pub)
	if err != nil {
		return "", fmt.Errorf("audit.VerifierKey: %w", err)
	}
	return vkey, nil
}

// Sign returns c signed with signerKey as a note: the body of [Checkpoint.Marshal], a blank line, and the
// signature line "— <origin> <base64 of key hash and Ed25519 signature>":
//
//	cleared.example/audit
//	4711
//	31S4vEQriPKP1QAyO3MTq1SZjYr1d8egALNF1M/Y/7E=
//
//	— cleared.example/audit unhlyjmus4OLFb/mmHnzii3q+1OdATOIRNnkpsfhUztqtn68tTbGTtOjAoBYn72uNMKFnX9oCXHEzLQhWZ6ZjBe61wg=
//
// The origin must be the key's name, so that a checkpoint always says which log it commits to. A malformed key or
// checkpoint is [cleared.ErrInvalid]; the key never appears in an error.
func Sign(c Checkpoint, signerKey string) ([]byte, error) {
	s, err := NewSigner(signerKey)
	if err != nil {
		return nil, cleared.Invalidf("audit.Sign: malformed signer key")
	}
	return s.Sign(c)
}

// Signer signs checkpoints with one key, parsed once: a store that signs the head of every group commit would
// otherwise spend more on parsing the key than on the signature.
type Signer struct {
	s note.Signer
}

// NewSigner returns a Signer for signerKey (see [NewKey]); a malformed key is [cleared.ErrInvalid], and the key
// never appears in an error.
func NewSigner(signerKey string) (*Signer, error) {
	s, err := note.NewSigner(signerKey)
	if err != nil {
		return nil, cleared.Invalidf("audit.NewSigner: malformed signer key")
	}
	return &Signer{s: s}, nil
}

// Origin is the name of the signer's key: the origin of the checkpoints it signs.
func (s *Signer) Origin() string { return s.s.Name() }

// Sign returns c signed, as [Sign] does.
func (s *Signer) Sign(c Checkpoint) ([]byte, error) {
	if s.s.Name() != c.Origin {
		return nil, cleared.Invalidf("audit.Sign: checkpoint of log %.60q, but the key is for %q", c.Origin, s.s.Name())
	}
	body := c.Marshal()
	// Never sign what OpenCheckpoint would refuse.
	if _, err := ParseCheckpoint(body); err != nil {
		return nil, fmt.Errorf("audit.Sign: %w", err)
	}
	signed, err := note.Sign(&note.Note{Text: string(body)}, s.s)
	if err != nil {
		return nil, fmt.Errorf("audit.Sign: %w", err)
	}
	return signed, nil
}

// OpenCheckpoint verifies a signed checkpoint with verifierKey and returns it. The note must carry a valid
// signature by that key (other signatures, such as a witness's, are ignored) and its checkpoint must name the
// key's log as origin.
//
// Errors: [ErrBadSignature] (also [cleared.ErrInvalid]) if the note is not signed by the key or was altered;
// [cleared.ErrInvalid] for a malformed key, note or checkpoint, or a checkpoint of another log.
func OpenCheckpoint(signed []byte, verifierKey string) (c Checkpoint, err error) {
	defer cleared.Wrap(&err, "audit.OpenCheckpoint")
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return Checkpoint{}, cleared.Invalidf("malformed verifier key: want <name>+<hash>+<key>")
	}
	if len(signed) > maxNote {
		return Checkpoint{}, cleared.Invalidf("signed checkpoint of %d bytes is too long", len(signed))
	}
	n, err := note.Open(signed, note.VerifierList(v))
	var unverified *note.UnverifiedNoteError
	var invalid *note.InvalidSignatureError
	switch {
	case errors.As(err, &unverified):
		return Checkpoint{}, badSignature("the checkpoint is not signed by key %s+%08x", v.Name(), v.KeyHash())
	case errors.As(err, &invalid):
		return Checkpoint{}, badSignature("the signature by key %s+%08x does not verify: the checkpoint was altered", v.Name(), v.KeyHash())
	case err != nil:
		return Checkpoint{}, cleared.Invalidf("not a signed note (%v): want the checkpoint, a blank line and signature lines", err)
	}
	// The signature's base64 must be canonical: non-zero padding bits decode to the same bytes, and a note that
	// differs from the one signed in any byte is not that note.
	for _, s := range n.Sigs {
		if _, err := base64.StdEncoding.Strict().DecodeString(s.Base64); err != nil {
			return Checkpoint{}, badSignature("the signature by key %s+%08x is not in canonical base64", s.Name, s.Hash)
		}
	}
	c, err = ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return Checkpoint{}, err
	}
	if c.Origin != v.Name() {
		return Checkpoint{}, cleared.Invalidf("checkpoint of log %q, not of %q", c.Origin, v.Name())
	}
	return c, nil
}

// badSignature returns an error of both kinds ErrBadSignature and cleared.ErrInvalid, whose message the web may
// show (cleared.Message).
func badSignature(format string, args ...any) error {
	return fmt.Errorf("%w: %w", ErrBadSignature, cleared.Invalidf(format, args...))
}
