package witness

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

func TestParseRequest(t *testing.T) {
	h := "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw="
	note := "example.com/log\n20\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— example.com/log AAAA\n"
	ok := []string{
		"old 0\n\n" + note,
		"old 10\n" + h + "\n" + h + "\n\n" + note,
	}
	for _, s := range ok {
		r, err := ParseRequest([]byte(s))
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if got := r.Marshal(); string(got) != s {
			t.Errorf("Marshal(ParseRequest(%q)) = %q", s, got)
		}
	}
	bad := map[string]string{
		"no blank line":            "old 0\n" + note,
		"no old line":              "10\n\n" + note,
		"a leading zero":           "old 010\n" + h + "\n\n" + note,
		"a sign":                   "old +10\n" + h + "\n\n" + note,
		"a size beyond 2^63-1":     "old 9223372036854775808\n" + h + "\n\n" + note,
		"a short hash":             "old 10\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDp\n\n" + note,
		"a hash not canonical":     "old 10\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkax=\n\n" + note,
		"a proof from 0":           "old 0\n" + h + "\n\n" + note,
		"64 proof lines":           "old 10\n" + strings.Repeat(h+"\n", 64) + "\n" + note,
		"no note":                  "old 0\n\n",
		"a carriage return":        "old 0\r\n\r\n" + note,
		"two spaces":               "old  0\n\n" + note,
		"a request over 64 KiB":    "old 0\n\n" + note + strings.Repeat("x", maxRequest),
		"a blank line in the head": "old 10\n\n" + h + "\n\n" + note, // the head ends at the first blank line: h is no note
	}
	for name, s := range bad {
		r, err := ParseRequest([]byte(s))
		if name == "a blank line in the head" {
			// Parsed as a request with no proof whose note starts with the hash: the note is then refused by the
			// witness as unsigned. What matters is that the proof is not taken from the note.
			if err == nil && len(r.Proof) != 0 {
				t.Errorf("%s: proof %d lines", name, len(r.Proof))
			}
			continue
		}
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("%s: %q accepted (err %v)", name, s, err)
		}
	}
}

func TestParseCheckpoint(t *testing.T) {
	root := "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
	for _, s := range []string{
		"example.com/log\n20\n" + root + "\n",
		"example.com/log\n20\n" + root + "\nprev 19 " + root + "\n",
		"example.com/log\n0\n" + root + "\na\nb\n",
	} {
		if _, err := ParseCheckpoint(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{
		"example.com/log\n20\n" + root,
		"example.com/log\n20\n",
		"example.com/log\n020\n" + root + "\n",
		"example.com/log\n-1\n" + root + "\n",
		"example.com/log\n20\n" + root + "\n\n",
		"example.com/log\n20\n" + root[:40] + "\n",
		"example.com log\n20\n" + root + "\n",
		"\n20\n" + root + "\n",
	} {
		if _, err := ParseCheckpoint(s); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("%q accepted (err %v)", s, err)
		}
	}
}

// FuzzParseRequest checks that the parser of add-checkpoint requests never panics, and that what it accepts it
// writes back byte for byte: one request has one encoding, so a witness and a log cannot read one body two ways.
func FuzzParseRequest(f *testing.F) {
	h := "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw="
	note := "example.com/log\n20\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— example.com/log AAAA\n"
	for _, s := range []string{"old 0\n\n" + note, "old 10\n" + h + "\n" + h + "\n\n" + note, "old 1\n\n\n", "old \n\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := ParseRequest(body)
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		if got := r.Marshal(); !bytes.Equal(got, body) {
			t.Fatalf("accepted %q, which writes back as %q", body, got)
		}
		if len(r.Proof) > maxProof || (r.Old == 0 && len(r.Proof) > 0) {
			t.Fatalf("accepted %q: old %d with %d proof lines", body, r.Old, len(r.Proof))
		}
	})
}
