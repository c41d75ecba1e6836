package auditclient

import (
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
)

// Checkpoint is a signed checkpoint whose signature by the log's key was verified. Only [OpenCheckpoint] and
// [Client.Checkpoint] make one, and [Client.Extends] and [Client.Included] take no other: they cannot be handed a
// size or a root that nobody checked, nor one checked with another log's key.
type Checkpoint struct {
	c    audit.Checkpoint
	note []byte
	key  string // the verifier key that verified it; "" for the zero Checkpoint, which nothing verified
}

// Origin is the log's name, the name of its key.
func (c Checkpoint) Origin() string { return c.c.Origin }

// Size is the number of entries the checkpoint commits to.
func (c Checkpoint) Size() uint64 { return c.c.Size }

// Root is the root hash of the tree of Size entries.
func (c Checkpoint) Root() []byte { return slices.Clone(c.c.Root) }

// Note is the signed note verified, verbatim: what an auditor keeps.
func (c Checkpoint) Note() []byte { return slices.Clone(c.note) }

// maxNote bounds a signed checkpoint: three lines, one extension line, the log's signature and a few witnesses'.
const maxNote = 16 << 10

// OpenCheckpoint verifies a signed checkpoint with verifierKey and returns it. It reads
// the note as C2SP tlog-checkpoint writes it: the origin, the size in decimal, the root hash in base64, then at
// most one extension line, the chain to the previous signed head, which must read "prev <size> <base64 hash of
// 32 bytes>" with a size below the checkpoint's. The note must carry a valid signature by the key (other
// signatures, such as witnesses', are ignored), in canonical base64, and name the key's log as origin.
//
// It is the client's own reading, apart from the server's code: what it accepts does not move when the server
// changes. Errors are [cleared.ErrInvalid], and [audit.ErrBadSignature] too for a note not signed by the key or
// altered after signing.
func OpenCheckpoint(signed []byte, verifierKey string) (c Checkpoint, err error) {
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return Checkpoint{}, cleared.Invalidf("malformed verifier key: want <name>+<hash>+<key>")
	}
	if len(signed) > maxNote {
		return Checkpoint{}, cleared.Invalidf("a signed checkpoint of %d bytes is too long", len(signed))
	}
	n, err := note.Open(signed, note.VerifierList(v))
	var unverified *note.UnverifiedNoteError
	var invalid *note.InvalidSignatureError
	switch {
	case errors.As(err, &unverified):
		return Checkpoint{}, badSignature("the checkpoint is not signed by the log's key %s+%08x", v.Name(), v.KeyHash())
	case errors.As(err, &invalid):
		return Checkpoint{}, badSignature("the signature by the log's key %s+%08x does not verify: the checkpoint was altered", v.Name(), v.KeyHash())
	case err != nil:
		return Checkpoint{}, cleared.Invalidf("not a signed note (%v): want the checkpoint, a blank line and signature lines", err)
	}
	for _, s := range n.Sigs {
		if _, err := base64.StdEncoding.Strict().DecodeString(s.Base64); err != nil {
			return Checkpoint{}, badSignature("the signature by key %s+%08x is not in canonical base64", s.Name, s.Hash)
		}
	}
	text, _ := strings.CutSuffix(n.Text, "\n") // note.Open requires the final newline
	lines := strings.Split(text, "\n")
	if len(lines) != 3 && len(lines) != 4 {
		return Checkpoint{}, cleared.Invalidf("the checkpoint has %d lines: want origin, size, root hash and at most one extension line", len(lines))
	}
	if lines[0] != v.Name() {
		return Checkpoint{}, cleared.Invalidf("checkpoint of log %.100q, not of %q", lines[0], v.Name())
	}
	size, err := parseSize(lines[1])
	if err != nil {
		return Checkpoint{}, err
	}
	root, err := parseHash(lines[2])
	if err != nil {
		return Checkpoint{}, err
	}
	if len(lines) == 4 {
		if err := checkPrev(lines[3], size); err != nil {
			return Checkpoint{}, err
		}
	}
	return Checkpoint{c: audit.Checkpoint{Origin: lines[0], Size: size, Root: root}, note: slices.Clone(signed), key: verifierKey}, nil
}

// checkPrev checks the extension line that chains a signed head to the previous one: "prev <size> <hash>".
func checkPrev(line string, size uint64) error {
	f := strings.Split(line, " ")
	if len(f) != 3 || f[0] != "prev" {
		return cleared.Invalidf("extension line %.100q: want \"prev <size> <base64 hash>\"", line)
	}
	prev, err := parseSize(f[1])
	if err != nil {
		return err
	}
	if prev >= size {
		return cleared.Invalidf("the checkpoint of %d entries names a previous one of %d, not fewer", size, prev)
	}
	_, err = parseHash(f[2])
	return err
}

// parseSize reads a size in decimal without sign or leading zeros: one size has one spelling.
func parseSize(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || s != strconv.FormatUint(n, 10) {
		return 0, cleared.Invalidf("checkpoint size %.30q is not a decimal number without leading zeros", s)
	}
	return n, nil
}

// parseHash reads a SHA-256 hash in canonical standard base64.
func parseHash(s string) ([]byte, error) {
	h, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(h) != 32 || base64.StdEncoding.EncodeToString(h) != s {
		return nil, cleared.Invalidf("hash %.60q is not 32 bytes in standard base64", s)
	}
	return h, nil
}

// badSignature returns an error of both kinds audit.ErrBadSignature and cleared.ErrInvalid.
func badSignature(format string, args ...any) error {
	return sigError{cleared.Invalidf(format, args...)}
}

// sigError is a cleared.ErrInvalid that is also an audit.ErrBadSignature, and reads as its sentence alone.
type sigError struct{ error }

func (e sigError) Is(target error) bool { return target == audit.ErrBadSignature }
func (e sigError) Unwrap() error        { return e.error }
