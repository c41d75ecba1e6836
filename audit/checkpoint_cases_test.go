package audit

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

// TestParseCheckpoint_Limits: the bounds of a checkpoint are inclusive: a body of maxNote bytes and an origin of 256
// characters are read, one byte more is refused, saying which bound.
func TestParseCheckpoint_Limits(t *testing.T) {
	root := "XSL2cQ4pxzUYvUjDl4UdhK9vmKzJw5Lq6oHvjBKu6Gw="
	origin := strings.Repeat("o", 256)
	if c, err := ParseCheckpoint([]byte(origin + "\n4711\n" + root + "\n")); err != nil || c.Origin != origin {
		t.Errorf("origin of 256 characters: %+v, %v", c, err)
	}
	if _, err := ParseCheckpoint([]byte(origin + "o\n4711\n" + root + "\n")); !errors.Is(err, cleared.ErrInvalid) ||
		!strings.Contains(cleared.Message(err), "1 to 256 printable characters") {
		t.Errorf("origin of 257 characters: %v, want ErrInvalid on the origin", err)
	}
	if _, _, err := NewKey(origin); err != nil {
		t.Errorf("NewKey with an origin of 256 characters: %v", err)
	}

	body := func(n int) []byte { return append(bytes.Repeat([]byte("x"), n-1), '\n') }
	if _, err := ParseCheckpoint(body(maxNote)); err == nil || strings.Contains(err.Error(), "too long") {
		t.Errorf("%d bytes: %v, want refused for its lines, not its length", maxNote, err)
	}
	if _, err := ParseCheckpoint(body(maxNote + 1)); !errors.Is(err, cleared.ErrInvalid) || !strings.Contains(err.Error(), "16385 bytes is too long") {
		t.Errorf("%d bytes: %v, want too long", maxNote+1, err)
	}
}

// TestOpenCheckpoint_NonCanonicalSignature: a signature whose base64 has non-zero padding bits decodes to the
// signed bytes, so note accepts it; the note is still not the one signed, and is refused as a bad signature.
func TestOpenCheckpoint_NonCanonicalSignature(t *testing.T) {
	skey, vkey := testKey(t)
	signed, err := Sign(testCheckpoint(), skey)
	if err != nil {
		t.Fatal(err)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	pad := bytes.LastIndex(signed, []byte("=\n"))
	last := strings.IndexByte(alphabet, signed[pad-1])
	if pad < 0 || last < 0 || last%4 != 0 {
		t.Fatalf("the signature does not end in one padding character after zero bits:\n%s", signed)
	}
	mangled := bytes.Clone(signed)
	mangled[pad-1] = alphabet[last+1] // the same bytes, with a padding bit set
	_, err = OpenCheckpoint(mangled, vkey)
	if !errors.Is(err, ErrBadSignature) || !strings.Contains(cleared.Message(err), "is not in canonical base64") {
		t.Errorf("OpenCheckpoint = %v, want ErrBadSignature: not in canonical base64", err)
	}
}

// TestOpenCheckpoint_Limit: a signed note of maxNote bytes, cosignatures included, opens; one byte more is refused
// before it is parsed.
func TestOpenCheckpoint_Limit(t *testing.T) {
	skey, vkey := testKey(t)
	signed, err := Sign(testCheckpoint(), skey)
	if err != nil {
		t.Fatal(err)
	}
	// A signature by a key the verifier does not know (a witness's) is ignored; its name sets the note's length.
	cosigned := func(n int) []byte {
		line := "— " + strings.Repeat("w", n-len(signed)-len("— ")-len(" QUJDREVGR0g=\n")) + " QUJDREVGR0g=\n"
		return append(bytes.Clone(signed), line...)
	}
	if c, err := OpenCheckpoint(cosigned(maxNote), vkey); err != nil || c.Size != testCheckpoint().Size {
		t.Errorf("a note of %d bytes: %+v, %v", maxNote, c, err)
	}
	if _, err := OpenCheckpoint(cosigned(maxNote+1), vkey); !errors.Is(err, cleared.ErrInvalid) || !strings.Contains(err.Error(), "too long") {
		t.Errorf("a note of %d bytes: %v, want too long", maxNote+1, err)
	}
}
