package sharing_test

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"log/slog"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/sharing"
)

// TestPosition_S1_opaque_and_bound_to_the_partner: a partner's position does not show the sequence number (which
// counts other partners' releases), does not work for another partner, and refuses tampering.
func TestPosition_S1_opaque_and_bound_to_the_partner(t *testing.T) {
	e, sw := world(t)
	nato, eu := sw.NATO.Organisation, sw.EU.Organisation
	a, err := e.Share.Position(nato, 41, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := e.Share.Position(nato, 42, 0)
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != 16 || binary.BigEndian.Uint64(raw[:8]) == 41 || len(a) != len(b) || a == b {
		t.Fatalf("positions %q and %q are not opaque", a, b)
	}
	if again, _ := e.Share.Position(nato, 41, 3); again != a {
		t.Errorf("the same point gives %q then %q", a, again)
	}
	seq, idx, err := e.Share.ParsePosition(nato, a)
	if err != nil || seq != 41 || idx != 3 {
		t.Fatalf("ParsePosition = %d, %d, %v; want 41, 3", seq, idx, err)
	}
	if _, _, err := e.Share.ParsePosition(eu, a); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("NATO's position used by the EU: %v, want invalid", err)
	}
	flipped := []byte(a)
	flipped[3] ^= 1
	for _, bad := range []string{string(flipped), a + "A", a[:len(a)-1], "41", "!!!!"} {
		if _, _, err := e.Share.ParsePosition(nato, bad); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("ParsePosition(%q): %v, want invalid", bad, err)
		}
	}
	if seq, idx, err := e.Share.ParsePosition(nato, ""); seq != 0 || idx != 0 || err != nil {
		t.Errorf("the empty position is the start: %d %d %v", seq, idx, err)
	}
}

func FuzzParsePosition(f *testing.F) {
	f.Add("")
	f.Add("AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("not a position")
	ring, err := keyring.New()
	if err != nil {
		f.Fatal(err)
	}
	ring.NewRegisterKey()
	s := sharing.New(act.New(nil, slog.New(slog.DiscardHandler), nil), ring, sharing.Config{})
	org := cleared.NewOrganisationID()
	f.Fuzz(func(t *testing.T, tok string) {
		seq, idx, err := s.ParsePosition(org, tok)
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("ParsePosition(%q): %v", tok, err)
			}
			return
		}
		// What opens is what was sealed: sealed again, it is the same token.
		if again, _ := s.Position(org, seq, idx); tok != "" && again != tok {
			t.Fatalf("ParsePosition(%q) = %d, %d, sealed again %q", tok, seq, idx, again)
		}
	})
}
