package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared"
)

const testOrigin = "cleared.example/audit"

// testKey returns a fresh key pair for testOrigin.
func testKey(tb testing.TB) (skey, vkey string) {
	tb.Helper()
	skey, vkey, err := NewKey(testOrigin)
	if err != nil {
		tb.Fatal(err)
	}
	return skey, vkey
}

func testCheckpoint() Checkpoint {
	root := HashPayload([]byte("root"))
	return Checkpoint{Origin: testOrigin, Size: 4711, Root: root[:]}
}

func TestCheckpoint_RoundTrip(t *testing.T) {
	skey, vkey := testKey(t)
	c := testCheckpoint()
	if got, want := string(c.Marshal()), "cleared.example/audit\n4711\nSBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7I=\n"; got != want {
		t.Errorf("Marshal = %q, want %q", got, want)
	}
	parsed, err := ParseCheckpoint(c.Marshal())
	if err != nil || parsed.Origin != c.Origin || parsed.Size != c.Size || !bytes.Equal(parsed.Root, c.Root) {
		t.Errorf("ParseCheckpoint = %+v, %v; want %+v", parsed, err, c)
	}
	signed, err := Sign(c, skey)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(signed, append(c.Marshal(), "\n— cleared.example/audit "...)) {
		t.Errorf("signed note:\n%s", signed)
	}
	opened, err := OpenCheckpoint(signed, vkey)
	if err != nil || opened.Origin != c.Origin || opened.Size != c.Size || !bytes.Equal(opened.Root, c.Root) {
		t.Errorf("OpenCheckpoint = %+v, %v; want %+v", opened, err, c)
	}

	// A witness's cosignature does not stand in the way.
	wskey, _, err := NewKey("witness.example")
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open(signed, note.VerifierList(mustVerifier(t, vkey)))
	if err != nil {
		t.Fatal(err)
	}
	cosigned, err := note.Sign(n, mustSigner(t, wskey))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenCheckpoint(cosigned, vkey); err != nil {
		t.Errorf("OpenCheckpoint of a cosigned checkpoint: %v", err)
	}
}

func mustVerifier(tb testing.TB, vkey string) note.Verifier {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func mustSigner(tb testing.TB, skey string) note.Signer {
	s, err := note.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestOpenCheckpoint_Mangled changes, in turn, each byte of a signed checkpoint up and down, and cuts it at each
// length, as golang/mod's note tests do with keys: no variant may open.
func TestOpenCheckpoint_Mangled(t *testing.T) {
	skey, vkey := testKey(t)
	signed, err := Sign(testCheckpoint(), skey)
	if err != nil {
		t.Fatal(err)
	}
	b := bytes.Clone(signed)
	for i := range b {
		for _, d := range []byte{1, 0xff, 0x80} {
			b[i] += d
			if c, err := OpenCheckpoint(b, vkey); err == nil {
				t.Errorf("byte %d changed by %#x: opened %+v from\n%s", i, d, c, b)
			} else if !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("byte %d changed by %#x: %v, want ErrInvalid or ErrBadSignature", i, d, err)
			}
			b[i] -= d
		}
	}
	for i := range len(signed) {
		if _, err := OpenCheckpoint(signed[:i], vkey); err == nil {
			t.Errorf("opened the first %d bytes", i)
		}
	}
	if _, err := OpenCheckpoint(append(bytes.Clone(signed), '\n'), vkey); err == nil {
		t.Errorf("opened with a newline appended")
	}
}

func TestOpenCheckpoint_ErrBadSignature(t *testing.T) {
	skey, vkey := testKey(t)
	otherSkey, otherVkey := testKey(t) // same origin, another key: a forger's
	c := testCheckpoint()
	signed, err := Sign(c, skey)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := Sign(c, otherSkey)
	if err != nil {
		t.Fatal(err)
	}
	resized := bytes.Replace(signed, []byte("\n4711\n"), []byte("\n4712\n"), 1)
	for _, tc := range []struct {
		name   string
		signed []byte
		vkey   string
	}{
		{"signed by another key of the same name", forged, vkey},
		{"opened with another key", signed, otherVkey},
		{"size changed after signing", resized, vkey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := OpenCheckpoint(tc.signed, tc.vkey)
			if !errors.Is(err, ErrBadSignature) || !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("OpenCheckpoint = %v, want ErrBadSignature (and ErrInvalid)", err)
			}
			if cleared.Message(err) == "" {
				t.Errorf("no message for the user")
			}
			t.Log(err)
		})
	}
}

func TestOpenCheckpoint_ErrInvalid(t *testing.T) {
	skey, vkey := testKey(t)
	signer := mustSigner(t, skey)
	signNote := func(text string) []byte {
		b, err := note.Sign(&note.Note{Text: text}, signer)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	good := testCheckpoint()
	root := strings.Split(string(good.Marshal()), "\n")[2]
	for _, tc := range []struct {
		name   string
		signed []byte
		vkey   string
	}{
		{"unsigned", good.Marshal(), vkey},
		{"unsigned, with a blank line", append(good.Marshal(), '\n'), vkey},
		{"checkpoint of another log, signed with the log's key", signNote("other.example/log\n4711\n" + root + "\n"), vkey},
		{"extension line", signNote(testOrigin + "\n4711\n" + root + "\nextra\n"), vkey},
		{"malformed verifier key", signNote(string(good.Marshal())), "cleared.example/audit+00000000+AAAA"},
		{"private key given as verifier key", signNote(string(good.Marshal())), skey},
		{"too long", append(signNote(string(good.Marshal())), bytes.Repeat([]byte("— x QUJDREVGR0g=\n"), 2000)...), vkey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := OpenCheckpoint(tc.signed, tc.vkey)
			if !errors.Is(err, cleared.ErrInvalid) || errors.Is(err, ErrBadSignature) {
				t.Errorf("OpenCheckpoint = %v, want ErrInvalid, not ErrBadSignature", err)
			}
			if strings.Contains(err.Error(), skey) {
				t.Errorf("error shows the private key")
			}
			t.Log(err)
		})
	}
}

func TestParseCheckpoint_ErrInvalid(t *testing.T) {
	root := "XSL2cQ4pxzUYvUjDl4UdhK9vmKzJw5Lq6oHvjBKu6Gw="
	for _, body := range []string{
		"",
		"\n",
		testOrigin + "\n4711\n" + root,          // no final newline
		testOrigin + "\n4711\n" + root + "\n\n", // blank line
		testOrigin + "\n4711\n" + root + "\nextra\n",                                                 // extension line
		testOrigin + "\n4711\n",                                                                      // no root
		"\n4711\n" + root + "\n",                                                                     // empty origin
		"cleared example\n4711\n" + root + "\n",                                                      // space in origin
		"cleared+example\n4711\n" + root + "\n",                                                      // plus in origin
		"cleared\x01example\n4711\n" + root + "\n",                                                   // control character in origin
		"\xffexample\n4711\n" + root + "\n",                                                          // not UTF-8
		testOrigin + "\r\n4711\n" + root + "\n",                                                      // CR
		testOrigin + "\n04711\n" + root + "\n",                                                       // leading zero
		testOrigin + "\n+4711\n" + root + "\n",                                                       // sign
		testOrigin + "\n-1\n" + root + "\n",                                                          // negative
		testOrigin + "\n 4711\n" + root + "\n",                                                       // space
		testOrigin + "\n4_711\n" + root + "\n",                                                       // underscore
		testOrigin + "\n0x1267\n" + root + "\n",                                                      // hexadecimal
		testOrigin + "\n18446744073709551616\n" + root + "\n",                                        // 2^64
		testOrigin + "\n\n" + root + "\n",                                                            // no size
		testOrigin + "\n4711\nXSL2cQ4pxzUYvUjDl4UdhK9vmKzJw5Lq6oHvjBKu6Gw\n",                         // unpadded
		testOrigin + "\n4711\nXSL2cQ4pxzUYvUjDl4UdhK9vmKzJw5Lq6oHvjBKu6Gx=\n",                        // non-zero padding bits
		testOrigin + "\n4711\nXSL2cQ4pxzUYvUjDl4UdhK9vmKzJw5Lq6oHvjBKu6G\r\nw=\n",                    // CR inside base64
		testOrigin + "\n4711\nXSL2cQ4pxzUYvUjDl4UdhK9vmKzJw5Lq6oHvjBKu6Gw=" + "AAAA\n",               // 35 bytes
		testOrigin + "\n4711\nXSL2cQ4pxzUYvUjDl4UdhK9vmKzJw5Lq6oHvjBKu\n",                            // 30 bytes
		testOrigin + "\n4711\nXSL2cQ4pxzUYvUjDl4UdhK9vmKzJw5Lq6oHvjBKu6Gw_\n",                        // URL alphabet
		testOrigin + "\n4711\n" + root + " \n",                                                       // trailing space
		testOrigin + "\n4711\n" + root + "\nprev 4700 " + root + "\nprev 4700 " + root + "\n",        // two links
		testOrigin + "\n4711\n" + root + "\nprev 4711 " + root + "\n",                                // previous size not below
		testOrigin + "\n4711\n" + root + "\nprev 4712 " + root + "\n",                                // previous size above
		testOrigin + "\n4711\n" + root + "\nprev 04700 " + root + "\n",                               // leading zero
		testOrigin + "\n4711\n" + root + "\nprev  4700 " + root + "\n",                               // two spaces
		testOrigin + "\n4711\n" + root + "\nprev 4700 " + root + " \n",                               // trailing space
		testOrigin + "\n4711\n" + root + "\nprev 4700\n",                                             // no hash
		testOrigin + "\n4711\n" + root + "\nprev 4700 XSL2cQ4pxzUYvUjDl4UdhK9vmKzJw5Lq6oHvjBKu6Gw\n", // unpadded
		testOrigin + "\n4711\n" + root + "\nPrev 4700 " + root + "\n",                                // case
		testOrigin + "\n4711\n" + root + "\nnext 4700 " + root + "\n",                                // another extension
		testOrigin + "\n4711\n" + root + "\nprev 4700 " + root + "\nextra\n",                         // a fifth line
	} {
		if c, err := ParseCheckpoint([]byte(body)); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("ParseCheckpoint(%q) = %+v, %v; want ErrInvalid", body, c, err)
		}
	}
	if _, err := ParseCheckpoint([]byte(testOrigin + "\n0\n" + root + "\n")); err != nil {
		t.Errorf("size 0: %v", err)
	}
}

// TestCheckpoint_Prev: a signed head names the one before it in its one extension line, which the signature
// covers, so that a deleted head is missed by the next (issue 17, §2).
func TestCheckpoint_Prev(t *testing.T) {
	skey, vkey := testKey(t)
	prev := testCheckpoint()
	prev.Size = 4700
	c := testCheckpoint()
	link := prev.Link()
	c.Prev = &link
	want := "cleared.example/audit\n4711\nSBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7I=\nprev 4700 " +
		base64.StdEncoding.EncodeToString(sha256Sum(prev.Marshal())) + "\n"
	if got := string(c.Marshal()); got != want {
		t.Errorf("Marshal = %q, want %q", got, want)
	}
	signed, err := Sign(c, skey)
	if err != nil {
		t.Fatal(err)
	}
	opened, err := OpenCheckpoint(signed, vkey)
	if err != nil || opened.Prev == nil || *opened.Prev != link || opened.Size != c.Size {
		t.Fatalf("OpenCheckpoint = %+v, %v; want the link %+v", opened, err, link)
	}
	// The link is signed: changing it breaks the signature.
	other := bytes.Replace(signed, []byte("prev 4700"), []byte("prev 4699"), 1)
	if _, err := OpenCheckpoint(other, vkey); !errors.Is(err, ErrBadSignature) {
		t.Errorf("OpenCheckpoint with the link altered = %v, want ErrBadSignature", err)
	}
}

func sha256Sum(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}

func TestVerifierKey(t *testing.T) {
	skey, vkey := testKey(t)
	got, err := VerifierKey(skey)
	if err != nil || got != vkey {
		t.Errorf("VerifierKey = %q, %v; want %q", got, err, vkey)
	}
	for _, bad := range []string{"", vkey, "PRIVATE+KEY+cleared.example/audit+ba7865ca+AQ"} {
		if _, err := VerifierKey(bad); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("VerifierKey(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestSign_ErrInvalid(t *testing.T) {
	skey, _ := testKey(t)
	for _, tc := range []struct {
		name string
		c    Checkpoint
		skey string
	}{
		{"origin is not the key's name", Checkpoint{Origin: "other.example/audit", Size: 1, Root: make([]byte, 32)}, skey},
		{"root of 31 bytes", Checkpoint{Origin: testOrigin, Size: 1, Root: make([]byte, 31)}, skey},
		{"no root", Checkpoint{Origin: testOrigin, Size: 1}, skey},
		{"malformed key", testCheckpoint(), "PRIVATE+KEY+cleared.example/audit+00000000+AAAA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Sign(tc.c, tc.skey); !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("Sign = %v, want ErrInvalid", err)
			} else if strings.Contains(err.Error(), skey) {
				t.Errorf("error shows the private key")
			}
		})
	}
}

func TestNewKey_ErrInvalid(t *testing.T) {
	for _, origin := range []string{"", "cleared example", "cleared+audit", "a\nb", "\x00", strings.Repeat("a", 257)} {
		if _, _, err := NewKey(origin); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("NewKey(%q) = %v, want ErrInvalid", origin, err)
		}
	}
}

func FuzzParseCheckpoint(f *testing.F) {
	f.Add([]byte(testCheckpoint().Marshal()))
	f.Add([]byte("o\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
	f.Add([]byte("o\n18446744073709551615\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
	f.Add([]byte("o\n1\n\n"))
	f.Add([]byte("o\n2\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nprev 1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := ParseCheckpoint(body)
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		// Strict means one encoding per checkpoint: what parses is what Marshal writes.
		if !bytes.Equal(c.Marshal(), body) {
			t.Fatalf("ParseCheckpoint(%q) = %+v, which marshals to %q", body, c, c.Marshal())
		}
	})
}

func FuzzOpenCheckpoint(f *testing.F) {
	// A fixed key, so that the corpus keeps meaning across runs.
	const skey = "PRIVATE+KEY+cleared.example/audit+ba7865ca+AQcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH"
	const vkey = "cleared.example/audit+ba7865ca+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs"
	signed, err := Sign(testCheckpoint(), skey)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add(testCheckpoint().Marshal())
	f.Add(append(testCheckpoint().Marshal(), "\n— cleared.example/audit AAAA\n"...))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := OpenCheckpoint(b, vkey)
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		// Only the note signed can open, whatever other signatures it carries.
		if !bytes.HasPrefix(b, append(c.Marshal(), '\n')) || c.Origin != testOrigin {
			t.Fatalf("opened %+v from %q", c, b)
		}
	})
}
