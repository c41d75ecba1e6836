package audit

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/cleared/cleared"
)

// Entry is one record of the log: who did what to which object, when, and what the policy decided. The leaf of
// the Merkle tree commits to the entry's fields and to the SHA-256 of its payload, not to the payload itself, so
// the payload (which may hold personal data) can be erased at its retention deadline (A23.2) and every proof
// still verifies.
type Entry struct {
	Seq      uint64             `json:"seq"`
	Time     time.Time          `json:"time"`
	Actor    cleared.PersonID   `json:"actor,omitempty"`
	Terminal cleared.TerminalID `json:"terminal,omitempty"`
	// Action names the service action, e.g. "piece.read_content", "piece.classify", "grant.create".
	Action string `json:"action"`
	// Object is the ID of the object acted on, if any.
	Object  string `json:"object,omitempty"`
	Allowed bool   `json:"allowed"`
	// Rule is the requirement ID of a refusal ("A9.1"); empty when allowed.
	Rule        string `json:"rule,omitempty"`
	PayloadHash Digest `json:"payload_hash"`
}

// leafVersion starts every encoded entry, so a future encoding can never be mistaken for this one.
const leafVersion = "cleared-audit-entry/v1"

// MarshalLeaf returns the canonical encoding of the entry that its leaf hash covers, one field per line:
//
//	cleared-audit-entry/v1
//	seq 42
//	time 2026-11-23T10:00:00.123456Z
//	actor per_…          ("-" if none)
//	terminal trm_…       ("-" if none)
//	action piece.read_content
//	object pce_…         ("-" if none)
//	decision allow       (or "deny A9.1")
//	payload sha256:<64 hex digits>
//
// It fails on a field that would make the encoding ambiguous (empty action, spaces or control characters).
func (e Entry) MarshalLeaf() ([]byte, error) {
	// Verification re-encodes every entry of the log: no map, one buffer.
	for _, f := range [...]struct{ name, v string }{{"actor", string(e.Actor)}, {"terminal", string(e.Terminal)},
		{"action", e.Action}, {"object", e.Object}, {"rule", e.Rule}} {
		if len(f.v) > 200 || strings.ContainsFunc(f.v, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return nil, cleared.Invalidf("audit entry: %s %.40q must be at most 200 printable characters without spaces", f.name, f.v)
		}
	}
	if e.Action == "" {
		return nil, cleared.Invalidf("audit entry: no action")
	}
	if e.Allowed && e.Rule != "" || !e.Allowed && e.Rule == "" {
		return nil, cleared.Invalidf("audit entry: a refusal names its rule, an allowed action none")
	}
	b := make([]byte, 0, 320)
	field := func(name, v string) {
		if v == "" {
			v = "-"
		}
		b = append(b, name...)
		b = append(b, ' ')
		b = append(b, v...)
		b = append(b, '\n')
	}
	b = append(b, leafVersion+"\nseq "...)
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, "\ntime "...)
	b = e.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, '\n')
	field("actor", string(e.Actor))
	field("terminal", string(e.Terminal))
	field("action", e.Action)
	field("object", e.Object)
	if e.Allowed {
		b = append(b, "decision allow\n"...)
	} else {
		b = append(b, "decision deny "...)
		b = append(b, e.Rule...)
		b = append(b, '\n')
	}
	b = append(b, "payload sha256:"...)
	b = hex.AppendEncode(b, e.PayloadHash[:])
	b = append(b, '\n')
	return b, nil
}

// LeafHash returns the RFC 6962 leaf hash of the entry's canonical encoding.
func (e Entry) LeafHash() ([]byte, error) {
	b, err := e.MarshalLeaf()
	if err != nil {
		return nil, err
	}
	return rfc6962.DefaultHasher.HashLeaf(b), nil
}

// Digest is a SHA-256 hash, written in JSON as base64 like every other hash of the log.
type Digest [32]byte

// MarshalText writes the digest in standard base64.
func (d Digest) MarshalText() ([]byte, error) { return base64.StdEncoding.AppendEncode(nil, d[:]), nil }

// UnmarshalText reads a digest in standard base64.
func (d *Digest) UnmarshalText(b []byte) error {
	v, err := base64.StdEncoding.AppendDecode(nil, b)
	if err != nil || len(v) != len(d) {
		return cleared.Invalidf("a SHA-256 digest is 32 bytes in base64")
	}
	copy(d[:], v)
	return nil
}

// HashPayload returns the SHA-256 an entry records of its payload.
func HashPayload(p []byte) [32]byte { return sha256.Sum256(p) }

// Record is an entry as stored, with the leaf hash computed when it was appended.
type Record struct {
	Entry
	LeafHash []byte `json:"leaf_hash"`
}

// Node is a stored hash of the tree: a perfect subtree at a level (0 for leaves) and an index.
type Node struct {
	ID   compact.NodeID
	Hash []byte
}

// Payload is the stored payload of an entry, or the marker left where it was erased.
type Payload struct {
	Seq    uint64    `json:"seq"`
	Data   []byte    `json:"data,omitempty"`
	Erased time.Time `json:"erased,omitzero"`
	Reason string    `json:"erasure_reason,omitempty"` // why it was erased, e.g. "A23.2 retention: 6 months after refusal"
}

// StoredCheckpoint is a signed checkpoint as kept by the store: the tree size it commits to and the signed note.
type StoredCheckpoint struct {
	Size    uint64    `json:"size"`
	Note    []byte    `json:"note"`
	Created time.Time `json:"created"`
}

// String is for logs.
func (e Entry) String() string {
	d := "allow"
	if !e.Allowed {
		d = "deny " + e.Rule
	}
	object := e.Object
	if object == "" {
		object = "-"
	}
	return fmt.Sprintf("#%d %s %s %s %s %s", e.Seq, e.Time.Format(time.RFC3339), e.Actor, e.Action, object, d)
}
