package auditclient_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/audit/auditclient"
)

// signedCheckpoint returns a checkpoint of 42 entries signed by a fresh key of log cleared.test/audit, and the key
// that verifies it.
func signedCheckpoint(t *testing.T) (signed []byte, vkey string) {
	t.Helper()
	skey, vkey, err := audit.NewKey("cleared.test/audit")
	if err != nil {
		t.Fatal(err)
	}
	signed, err = audit.Sign(audit.Checkpoint{Origin: "cleared.test/audit", Size: 42, Root: bytes.Repeat([]byte{1}, 32)}, skey)
	if err != nil {
		t.Fatal(err)
	}
	return signed, vkey
}

// TestOpenCheckpoint_Limit: a signed note of 16 KiB, cosignatures included, opens; one byte more is refused before
// it is read.
func TestOpenCheckpoint_Limit(t *testing.T) {
	const maxNote = 16 << 10
	signed, vkey := signedCheckpoint(t)
	// A signature by a key the client does not know (a witness's) is ignored; its name sets the note's length.
	cosigned := func(n int) []byte {
		line := "— " + strings.Repeat("w", n-len(signed)-len("— ")-len(" QUJDREVGR0g=\n")) + " QUJDREVGR0g=\n"
		return append(bytes.Clone(signed), line...)
	}
	if c, err := auditclient.OpenCheckpoint(cosigned(maxNote), vkey); err != nil || c.Size() != 42 {
		t.Errorf("a note of %d bytes: %+v, %v", maxNote, c, err)
	}
	if _, err := auditclient.OpenCheckpoint(cosigned(maxNote+1), vkey); !errors.Is(err, cleared.ErrInvalid) || !strings.Contains(err.Error(), "too long") {
		t.Errorf("a note of %d bytes: %v, want too long", maxNote+1, err)
	}
}

// TestOpenCheckpoint_NotANote: text that is not a signed note is malformed input, not a bad signature; a note
// without the log's signature is a bad signature.
func TestOpenCheckpoint_NotANote(t *testing.T) {
	signed, vkey := signedCheckpoint(t)
	body, _, _ := bytes.Cut(signed, []byte("\n\n"))
	for _, tc := range []struct {
		name   string
		note   []byte
		badSig bool
	}{
		{"the checkpoint without a signature", append(bytes.Clone(body), '\n'), false},
		{"a signature line that is not one", append(bytes.Clone(signed), "— \n"...), false},
		{"no signature by the log's key", append(append(bytes.Clone(body), "\n\n"...), "— cleared.test/witness QUJDREVGR0g=\n"...), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := auditclient.OpenCheckpoint(tc.note, vkey)
			if !errors.Is(err, cleared.ErrInvalid) || errors.Is(err, audit.ErrBadSignature) != tc.badSig {
				t.Fatalf("OpenCheckpoint = %v; want ErrInvalid, ErrBadSignature %v", err, tc.badSig)
			}
			t.Log(err)
		})
	}
}
