package sqlstore

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func keyed(t testing.TB) *Store {
	t.Helper()
	s := &Store{}
	if err := s.SetSealKey(bytes.Repeat([]byte{7}, SealKeySize)); err != nil {
		t.Fatal(err)
	}
	return s
}

// The encoding is unambiguous: values that concatenate alike, a NULL and an empty text, a number and its digits,
// another table or key, all give other MACs.
func TestMAC_unambiguous(t *testing.T) {
	s := keyed(t)
	mac := func(table, key string, vals ...any) string {
		m, err := s.mac(table, key, vals)
		if err != nil {
			t.Fatal(err)
		}
		return hex.EncodeToString(m)
	}
	seen := map[string]string{}
	for name, m := range map[string]string{
		"ab|c":        mac("pieces", "k", "ab", "c"),
		"a|bc":        mac("pieces", "k", "a", "bc"),
		"null":        mac("pieces", "k", nil),
		"empty text":  mac("pieces", "k", ""),
		"empty blob":  mac("pieces", "k", []byte{}),
		"int 4":       mac("pieces", "k", int64(4)),
		"text 4":      mac("pieces", "k", "4"),
		"other table": mac("grants", "k", int64(4)),
		"other key":   mac("pieces", "j", int64(4)),
		"two columns": mac("pieces", "k", int64(4), nil),
	} {
		if other, ok := seen[m]; ok {
			t.Errorf("%s and %s have the same MAC", name, other)
		}
		seen[m] = name
	}
	// The encoding written out by hand, as docs/audit.md gives it, and HMAC-SHA-256 over it.
	enc := "cleared-row/v1\x00" + "\x06pieces" + "\x05pce_x" + "\x04" + "s\x01a" +
		"i\xff\xff\xff\xff\xff\xff\xff\xff" + "n" + "b\x01\x00"
	h := hmac.New(sha256.New, bytes.Repeat([]byte{7}, SealKeySize))
	h.Write([]byte(enc))
	if got, want := mac("pieces", "pce_x", "a", int64(-1), nil, []byte{0}), hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("MAC %s, want %s (the encoding changed: give it a new version tag)", got, want)
	}
}

// BenchmarkPieceMAC is the cost a sealed row adds to a read: the MAC of a piece's row (architecture's budget: about
// a microsecond).
func BenchmarkPieceMAC(b *testing.B) {
	s := &Tx{s: keyed(b)}
	p := cleared.Piece{ID: cleared.NewPieceID(), Kind: cleared.Electronic, Title: "Note on the matter", Level: cleared.Secret,
		Reason: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: time.Now(), Originator: "aut_x", OrganisationID: "org_x",
		ContentType: "application/pdf", ContentSize: 4096, Created: time.Now(), CreatedBy: "per_x"}
	for b.Loop() {
		if _, err := macOf(s, pieceCodec, p); err != nil {
			b.Fatal(err)
		}
	}
}
