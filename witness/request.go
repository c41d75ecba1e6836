package witness

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/cleared/cleared"
)

const (
	// maxRequest bounds an add-checkpoint request: 63 proof lines of 45 bytes and a note of a few signatures fit in
	// well under it.
	maxRequest = 64 << 10
	// maxProof is the most consistency proof lines a client may send (tlog-witness): a proof between two trees of
	// up to 2^63 leaves needs no more.
	maxProof = 63
	// hashSize is the size of a tree hash: SHA-256.
	hashSize = 32
)

// Request is an add-checkpoint request: the size of the checkpoint the witness last cosigned (as the client
// believes), the consistency proof from it, and the log's signed checkpoint note.
type Request struct {
	Old   uint64
	Proof [][]byte
	Note  []byte
}

// Marshal writes the request body as tlog-witness defines it:
//
//	old 20852014
//	PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
//	…
//
//	<the note>
func (r Request) Marshal() []byte {
	b := fmt.Appendf(nil, "old %d\n", r.Old)
	for _, h := range r.Proof {
		b = append(b, base64.StdEncoding.EncodeToString(h)...)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	return append(b, r.Note...)
}

// ParseRequest reads an add-checkpoint request body strictly: "old <size>" in decimal without leading zeros, at
// most 63 proof lines each one 32-byte hash in canonical standard base64, an empty line, and a non-empty note;
// every line ending in a newline. Anything else is [cleared.ErrInvalid]. The note itself is not checked here.
func ParseRequest(body []byte) (Request, error) {
	if len(body) > maxRequest {
		return Request{}, cleared.Invalidf("add-checkpoint: request of %d bytes is over %d", len(body), maxRequest)
	}
	head, note, ok := bytes.Cut(body, []byte("\n\n"))
	if !ok || len(note) == 0 {
		return Request{}, cleared.Invalidf("add-checkpoint: want the old size line, proof lines, an empty line and the checkpoint")
	}
	lines := strings.Split(string(head), "\n")
	size, ok := strings.CutPrefix(lines[0], "old ")
	if !ok {
		return Request{}, cleared.Invalidf("add-checkpoint: the first line must be \"old <size>\"")
	}
	old, err := parseSize(size)
	if err != nil {
		return Request{}, err
	}
	if len(lines)-1 > maxProof {
		return Request{}, cleared.Invalidf("add-checkpoint: %d proof lines, at most %d", len(lines)-1, maxProof)
	}
	r := Request{Old: old, Note: note, Proof: make([][]byte, 0, len(lines)-1)}
	for _, l := range lines[1:] {
		h, err := parseHash(l)
		if err != nil {
			return Request{}, fmt.Errorf("add-checkpoint: proof line: %w", err)
		}
		r.Proof = append(r.Proof, h)
	}
	if old == 0 && len(r.Proof) > 0 {
		return Request{}, cleared.Invalidf("add-checkpoint: a proof from size 0 must be empty")
	}
	return r, nil
}

// parseSize reads a tree size in decimal without sign or leading zeros.
func parseSize(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || s != strconv.FormatUint(n, 10) || n > 1<<63-1 {
		return 0, cleared.Invalidf("size %.30q is not a decimal number without leading zeros", s)
	}
	return n, nil
}

// parseHash reads a 32-byte hash in canonical standard base64.
func parseHash(s string) ([]byte, error) {
	h, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(h) != hashSize || base64.StdEncoding.EncodeToString(h) != s {
		return nil, cleared.Invalidf("%.60q is not a %d-byte hash in standard base64", s, hashSize)
	}
	return h, nil
}

// Checkpoint is what a witness reads of a checkpoint (C2SP tlog-checkpoint): its first three lines. Extension
// lines (such as cleared's "prev" line chaining each signed head to the last) are signed and cosigned with the
// rest, but say nothing the witness checks.
type Checkpoint struct {
	Origin string
	Size   uint64
	Root   []byte
}

// ParseCheckpoint reads a checkpoint note body: origin, size in decimal without leading zeros, root hash in
// canonical standard base64, then zero or more non-empty extension lines, each line ending in a newline. Anything
// else is [cleared.ErrInvalid].
func ParseCheckpoint(text string) (Checkpoint, error) {
	body, ok := strings.CutSuffix(text, "\n")
	lines := strings.Split(body, "\n")
	if !ok || len(lines) < 3 || len(text) > maxRequest {
		return Checkpoint{}, cleared.Invalidf("checkpoint: want origin, size and root hash lines, each ending in a newline")
	}
	if err := checkName(lines[0]); err != nil {
		return Checkpoint{}, cleared.Invalidf("checkpoint origin: %s", cleared.Message(err))
	}
	size, err := parseSize(lines[1])
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint: %w", err)
	}
	root, err := parseHash(lines[2])
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint root: %w", err)
	}
	for _, l := range lines[3:] {
		if l == "" {
			return Checkpoint{}, cleared.Invalidf("checkpoint: an extension line is empty")
		}
	}
	return Checkpoint{Origin: lines[0], Size: size, Root: root}, nil
}
