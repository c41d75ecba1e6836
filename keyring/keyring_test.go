package keyring_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
)

var pass = []byte("correct horse battery staple")

// bind is the classification the tests seal content for.
var bind = keyring.Binding{Level: cleared.Secret, Originator: "aut_0123456789abcdefghijklmn"}

func newRing(tb testing.TB) *keyring.Ring {
	tb.Helper()
	r, err := keyring.New()
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func seal(tb testing.TB, r *keyring.Ring, id cleared.PieceID, content string) keyring.Sealed {
	tb.Helper()
	s, err := r.Seal(id, bind, []byte(content))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func mustOpen(tb testing.TB, r *keyring.Ring, id cleared.PieceID, s keyring.Sealed, want string) {
	tb.Helper()
	got, err := r.Open(id, bind, s)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	if string(got) != want {
		tb.Fatalf("Open = %q, want %q", got, want)
	}
}

func TestSealOpen(t *testing.T) {
	r := newRing(t)
	for _, content := range []string{"", "x", "Plan de défense, annexe B.", strings.Repeat("0123456789abcdef", 4096)} {
		id := cleared.NewPieceID()
		s := seal(t, r, id, content)
		if s.KEK != "kek-1" {
			t.Errorf("KEK = %q, want kek-1", s.KEK)
		}
		if len(s.WrappedKey) != 60 || len(s.Ciphertext) != len(content)+28 {
			t.Errorf("sizes: wrapped key %d, ciphertext %d for %d bytes of content: want 60 and content+28", len(s.WrappedKey), len(s.Ciphertext), len(content))
		}
		if cap(s.Ciphertext) != len(s.Ciphertext) {
			t.Errorf("ciphertext buffer has capacity %d for length %d: Seal should allocate exactly", cap(s.Ciphertext), len(s.Ciphertext))
		}
		if len(content) > 8 && bytes.Contains(s.Ciphertext, []byte(content[:8])) {
			t.Errorf("ciphertext contains the plaintext")
		}
		mustOpen(t, r, id, s, content)
	}
}

func TestSealUsesFreshKeys(t *testing.T) {
	r := newRing(t)
	id := cleared.NewPieceID()
	a, b := seal(t, r, id, "same content"), seal(t, r, id, "same content")
	if bytes.Equal(a.WrappedKey, b.WrappedKey) || bytes.Equal(a.Ciphertext, b.Ciphertext) {
		t.Fatal("two seals of the same content are equal: data keys or nonces are reused")
	}
}

func TestSealMalformedID(t *testing.T) {
	r := newRing(t)
	for _, id := range []cleared.PieceID{"", "pce_", "per_aaaaaaaaaaaaaaaaaaaaaaaaaa"} {
		if _, err := r.Seal(id, bind, []byte("x")); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("Seal(%q) error = %v, want ErrInvalid", id, err)
		}
	}
}

func TestZeroRingRefusesToSeal(t *testing.T) {
	var r keyring.Ring
	if _, err := r.Seal(cleared.NewPieceID(), bind, []byte("x")); !errors.Is(err, cleared.ErrUnavailable) {
		t.Fatalf("Seal on a ring without KEK: error = %v, want ErrUnavailable", err)
	}
}

// mangle calls f with a copy of b in which, in turn, each byte is altered, then with each shorter prefix and with
// one byte appended, as golang.org/x/mod/sumdb/note's tests do for signed notes.
func mangle(b []byte, f func(desc string, m []byte)) {
	for i := range b {
		m := bytes.Clone(b)
		m[i] ^= 0x01
		f(fmt.Sprintf("byte %d flipped", i), m)
	}
	for n := range len(b) {
		f(fmt.Sprintf("truncated to %d bytes", n), bytes.Clone(b[:n]))
	}
	f("byte appended", append(bytes.Clone(b), 0))
}

func TestOpenMangledCiphertext(t *testing.T) {
	r := newRing(t)
	id := cleared.NewPieceID()
	s := seal(t, r, id, "SECRET LUX")
	mangle(s.Ciphertext, func(desc string, m []byte) {
		bad := s
		bad.Ciphertext = m
		if got, err := r.Open(id, bind, bad); !errors.Is(err, keyring.ErrCorrupt) || got != nil {
			t.Errorf("ciphertext %s: Open = %q, %v; want nil, ErrCorrupt", desc, got, err)
		}
	})
	mustOpen(t, r, id, s, "SECRET LUX")
}

func TestOpenMangledWrappedKey(t *testing.T) {
	r := newRing(t)
	id := cleared.NewPieceID()
	s := seal(t, r, id, "SECRET LUX")
	mangle(s.WrappedKey, func(desc string, m []byte) {
		bad := s
		bad.WrappedKey = m
		got, err := r.Open(id, bind, bad)
		if len(m) == 0 {
			// An empty wrapped key is a destroyed one (see TestA10_1_DestroyedKeyMakesContentUnreadable).
			if !errors.Is(err, keyring.ErrKeyDestroyed) {
				t.Errorf("wrapped key %s: error = %v, want ErrKeyDestroyed", desc, err)
			}
			return
		}
		if !errors.Is(err, keyring.ErrCorrupt) || got != nil {
			t.Errorf("wrapped key %s: Open = %q, %v; want nil, ErrCorrupt", desc, got, err)
		}
	})
}

func TestOpenWrongPiece(t *testing.T) {
	r := newRing(t)
	a, b := cleared.NewPieceID(), cleared.NewPieceID()
	sa, sb := seal(t, r, a, "content of a"), seal(t, r, b, "content of b")
	if got, err := r.Open(b, bind, sa); !errors.Is(err, keyring.ErrCorrupt) {
		t.Errorf("a's content opened as b: Open = %q, %v; want ErrCorrupt", got, err)
	}
	// Nor may parts of two pieces be combined: b's ciphertext under a's wrapped key.
	mixed := keyring.Sealed{KEK: sa.KEK, WrappedKey: sa.WrappedKey, Ciphertext: sb.Ciphertext}
	for _, id := range []cleared.PieceID{a, b} {
		if got, err := r.Open(id, bind, mixed); !errors.Is(err, keyring.ErrCorrupt) {
			t.Errorf("mixed parts opened as %s: Open = %q, %v; want ErrCorrupt", id, got, err)
		}
	}
	// And the wrapped key is not content: domain separation keeps the two apart.
	asContent := keyring.Sealed{KEK: sa.KEK, WrappedKey: sa.WrappedKey, Ciphertext: sa.WrappedKey}
	if _, err := r.Open(a, bind, asContent); !errors.Is(err, keyring.ErrCorrupt) {
		t.Errorf("wrapped key opened as content: error = %v, want ErrCorrupt", err)
	}
}

// A10.1: destroying a piece erases its wrapped data key; the ciphertext stays and nothing decrypts it.
func TestA10_1_DestroyedKeyMakesContentUnreadable(t *testing.T) {
	r := newRing(t)
	r.Rotate() // several KEKs in the ring, none of which may help
	id := cleared.NewPieceID()
	s := seal(t, r, id, "TRÈS SECRET LUX: plan d'évacuation")
	kept := bytes.Clone(s.Ciphertext)

	for _, destroyed := range [][]byte{nil, {}} {
		s.WrappedKey = destroyed // as store.DestroyContentKey leaves it
		for _, kek := range []string{s.KEK, "kek-1", "kek-2", ""} {
			s.KEK = kek
			got, err := r.Open(id, bind, s)
			if got != nil || !errors.Is(err, keyring.ErrKeyDestroyed) {
				t.Fatalf("Open with the data key erased (KEK %q) = %q, %v; want nil, ErrKeyDestroyed", kek, got, err)
			}
			if !errors.Is(err, cleared.ErrConflict) {
				t.Errorf("error %v is not of kind ErrConflict", err)
			}
			if !strings.Contains(err.Error(), string(id)) || !strings.Contains(err.Error(), "destroyed for good") {
				t.Errorf("error %q should name the piece and say the content is destroyed for good", err)
			}
		}
	}
	if !bytes.Equal(s.Ciphertext, kept) {
		t.Error("Open altered the ciphertext")
	}
}

func TestOpenUnknownKEK(t *testing.T) {
	r := newRing(t)
	id := cleared.NewPieceID()
	s := seal(t, r, id, "x")
	s.KEK = "kek-9"
	if _, err := r.Open(id, bind, s); !errors.Is(err, cleared.ErrUnavailable) {
		t.Fatalf("Open with an unknown KEK: error = %v, want ErrUnavailable", err)
	}
	// A KEK of this ring, but not the one that wrapped the key, fails authentication.
	r.Rotate()
	s.KEK = "kek-2"
	if _, err := r.Open(id, bind, s); !errors.Is(err, keyring.ErrCorrupt) {
		t.Fatalf("Open with another KEK: error = %v, want ErrCorrupt", err)
	}
}

func TestRotate(t *testing.T) {
	r := newRing(t)
	id1, id2 := cleared.NewPieceID(), cleared.NewPieceID()
	old := seal(t, r, id1, "before rotation")
	if got := r.Rotate(); got != "kek-2" || r.Current() != "kek-2" {
		t.Fatalf("Rotate = %q, Current = %q; want kek-2", got, r.Current())
	}
	fresh := seal(t, r, id2, "after rotation")
	if old.KEK != "kek-1" || fresh.KEK != "kek-2" {
		t.Errorf("KEKs = %q, %q; want kek-1 then kek-2", old.KEK, fresh.KEK)
	}
	mustOpen(t, r, id1, old, "before rotation")
	mustOpen(t, r, id2, fresh, "after rotation")
}

func TestSecret(t *testing.T) {
	r := newRing(t)
	if _, ok := r.Secret("audit-signing-key"); ok {
		t.Fatal("a new ring has a secret")
	}
	in := []byte("ed25519 seed, 32 bytes long....")
	r.SetSecret("audit-signing-key", in)
	in[0] = 'X' // the ring keeps its own copy
	got, ok := r.Secret("audit-signing-key")
	if !ok || string(got) != "ed25519 seed, 32 bytes long...." {
		t.Fatalf("Secret = %q, %v", got, ok)
	}
	got[0] = 'Y' // and hands out copies
	if again, _ := r.Secret("audit-signing-key"); again[0] != 'e' {
		t.Fatal("Secret returned the ring's own slice")
	}
}

func TestRingPrintsNoKeys(t *testing.T) {
	r := newRing(t)
	r.SetSecret("audit-signing-key", []byte("do-not-print-me"))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, r)
		if strings.Contains(out, "do-not-print-me") || strings.Contains(out, fmt.Sprint([]byte("do-not-print-me"))) ||
			!strings.HasPrefix(out, "keyring.Ring{") {
			t.Errorf("Sprintf(%q, ring) = %q", verb, out)
		}
	}
}

func TestConcurrentSealOpenRotate(t *testing.T) {
	r := newRing(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 20 {
				if g == 0 && i%5 == 0 {
					r.Rotate()
				}
				id := cleared.NewPieceID()
				content := fmt.Sprintf("goroutine %d, piece %d", g, i)
				s, err := r.Seal(id, bind, []byte(content))
				if err != nil {
					t.Error(err)
					return
				}
				if got, err := r.Open(id, bind, s); err != nil || string(got) != content {
					t.Errorf("Open = %q, %v", got, err)
				}
			}
		})
	}
	wg.Wait()
}

func save(tb testing.TB, r *keyring.Ring) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "keyring.json")
	if err := keyring.SaveWithParams(path, r, pass, keyring.TestParams); err != nil {
		tb.Fatal(err)
	}
	return path
}

func TestSaveLoad(t *testing.T) {
	r := newRing(t)
	id1 := cleared.NewPieceID()
	s1 := seal(t, r, id1, "sealed under kek-1")
	r.Rotate()
	r.SetSecret("audit-signing-key", []byte{0, 1, 2, 255})
	path := save(t, r)

	loaded, err := keyring.Load(path, pass)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Current() != "kek-2" {
		t.Errorf("Current = %q, want kek-2", loaded.Current())
	}
	if got, ok := loaded.Secret("audit-signing-key"); !ok || !bytes.Equal(got, []byte{0, 1, 2, 255}) {
		t.Errorf("Secret = %v, %v", got, ok)
	}
	mustOpen(t, loaded, id1, s1, "sealed under kek-1")
	id2 := cleared.NewPieceID()
	mustOpen(t, r, id2, seal(t, loaded, id2, "sealed by the loaded ring"), "sealed by the loaded ring")

	// A ring saved again reads back the same.
	if err := keyring.SaveWithParams(path, loaded, pass, keyring.TestParams); err != nil {
		t.Fatal(err)
	}
	again, err := keyring.Load(path, pass)
	if err != nil {
		t.Fatal(err)
	}
	mustOpen(t, again, id1, s1, "sealed under kek-1")
	if again.Rotate() != "kek-3" {
		t.Error("the reloaded ring does not continue the KEK numbering")
	}
}

func TestSaveFile(t *testing.T) {
	r := newRing(t)
	path := save(t, r)
	// Overwriting replaces the file in one rename and leaves no temporary file behind.
	if err := keyring.SaveWithParams(path, r, pass, keyring.TestParams); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != 0o600 {
		t.Errorf("mode = %v, want -rw-------", fi.Mode())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want the key ring alone", len(entries))
	}
	var f map[string]any
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f["format"] != "cleared-keyring/v1" {
		t.Errorf("format = %v", f["format"])
	}
	if bytes.Contains(data, []byte("kek-1")) {
		t.Error("the file shows the ring's contents in clear")
	}
}

func TestSaveRefuses(t *testing.T) {
	r := newRing(t)
	dir := t.TempDir()
	for name, save := range map[string]func(path string) error{
		"empty passphrase": func(path string) error { return keyring.SaveWithParams(path, r, nil, keyring.TestParams) },
		"no KEK": func(path string) error {
			return keyring.SaveWithParams(path, new(keyring.Ring), pass, keyring.TestParams)
		},
		"zero params": func(path string) error { return keyring.SaveWithParams(path, r, pass, keyring.Params{}) },
		"too much memory": func(path string) error {
			return keyring.SaveWithParams(path, r, pass, keyring.Params{Time: 1, MemoryKiB: 1 << 30, Threads: 1})
		},
	} {
		path := filepath.Join(dir, "keyring.json")
		if err := save(path); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("%s: error = %v, want ErrInvalid", name, err)
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: a file was written", name)
		}
	}
}

func TestLoadWrongPassphrase(t *testing.T) {
	path := save(t, newRing(t))
	_, err := keyring.Load(path, []byte("Correct horse battery staple"))
	if !errors.Is(err, keyring.ErrWrongPassphrase) {
		t.Fatalf("error = %v, want ErrWrongPassphrase", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
	if _, err := keyring.Load(path, nil); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("empty passphrase: error = %v, want ErrInvalid", err)
	}
}

// editFile decodes the sealed file at path, lets edit change it, and writes it back.
func editFile(t *testing.T, path string, edit func(f map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	edit(f)
	if data, err = json.Marshal(f); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadMangledFile(t *testing.T) {
	path := save(t, newRing(t))
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")

	// Each byte of the base64 text of the ciphertext: refused, as damaged or as not opening.
	var f struct{ Ciphertext string }
	json.Unmarshal(orig, &f)
	start := bytes.Index(orig, []byte(f.Ciphertext))
	for i := start; i < start+len(f.Ciphertext); i++ {
		m := bytes.Clone(orig)
		m[i] ^= 0x01
		os.WriteFile(bad, m, 0o600)
		if _, err := keyring.Load(bad, pass); !errors.Is(err, keyring.ErrWrongPassphrase) && !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("file byte %d flipped: error = %v, want ErrWrongPassphrase or ErrInvalid", i, err)
		}
	}

	// Each byte of the decoded salt, nonce and ciphertext, re-encoded: the file is well formed and must not open.
	for _, field := range []string{"salt", "nonce", "ciphertext"} {
		var b []byte
		editFile(t, path, func(f map[string]any) { b, _ = base64.StdEncoding.DecodeString(f[field].(string)) })
		for i := range b {
			os.WriteFile(bad, orig, 0o600)
			editFile(t, bad, func(f map[string]any) {
				m := bytes.Clone(b)
				m[i] ^= 0x01
				f[field] = base64.StdEncoding.EncodeToString(m)
			})
			if _, err := keyring.Load(bad, pass); !errors.Is(err, keyring.ErrWrongPassphrase) {
				t.Errorf("%s byte %d flipped: error = %v, want ErrWrongPassphrase", field, i, err)
			}
		}
	}

	// The argon2id parameters are bound by the key they derive.
	os.WriteFile(bad, orig, 0o600)
	editFile(t, bad, func(f map[string]any) { f["argon2id"].(map[string]any)["time"] = 2 })
	if _, err := keyring.Load(bad, pass); !errors.Is(err, keyring.ErrWrongPassphrase) {
		t.Errorf("time changed: error = %v, want ErrWrongPassphrase", err)
	}

	if _, err := keyring.Load(path, pass); err != nil {
		t.Fatalf("the original no longer loads: %v", err)
	}
}

func TestLoadMalformedFile(t *testing.T) {
	path := save(t, newRing(t))
	orig, _ := os.ReadFile(path)
	bad := filepath.Join(t.TempDir(), "bad.json")
	for name, tt := range map[string]struct {
		edit func(f map[string]any)
		want string
	}{
		"unknown format": {func(f map[string]any) { f["format"] = "cleared-keyring/v2" }, `unknown key ring format "cleared-keyring/v2"`},
		"no format":      {func(f map[string]any) { delete(f, "format") }, "no format"},
		"unknown field":  {func(f map[string]any) { f["comment"] = "x" }, "unknown field"},
		"huge memory": {func(f map[string]any) { f["argon2id"].(map[string]any)["memory_kib"] = 1 << 30 },
			"argon2id parameters out of range"},
		"threads wrap to 1": {func(f map[string]any) { f["argon2id"].(map[string]any)["threads"] = 257 },
			"argon2id parameters out of range"},
		"short salt":      {func(f map[string]any) { f["salt"] = "AAAA" }, "salt"},
		"short nonce":     {func(f map[string]any) { f["nonce"] = "AAAA" }, "nonce"},
		"short ct":        {func(f map[string]any) { f["ciphertext"] = "AAAA" }, "ciphertext"},
		"unpadded base64": {func(f map[string]any) { f["salt"] = strings.TrimRight(f["salt"].(string), "=") }, "salt"},
	} {
		os.WriteFile(bad, orig, 0o600)
		editFile(t, bad, tt.edit)
		_, err := keyring.Load(bad, pass)
		if !errors.Is(err, cleared.ErrInvalid) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s: error = %v, want ErrInvalid naming the file and saying %q", name, err, tt.want)
		}
	}
	for _, data := range []string{"", "null", "[]", "not json", string(orig) + "{}"} {
		os.WriteFile(bad, []byte(data), 0o600)
		if _, err := keyring.Load(bad, pass); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("file %.20q…: error = %v, want ErrInvalid", data, err)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nowhere", "keyring.json")
	_, err := keyring.Load(path, pass)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("error = %v, want fs.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func devNull(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestPassphrase(t *testing.T) {
	dir := t.TempDir()
	n := 0
	file := func(content string) string {
		n++
		path := filepath.Join(dir, fmt.Sprintf("pass-%d", n))
		os.WriteFile(path, []byte(content), 0o600)
		return path
	}
	src := func(m map[string]string) keyring.PassphraseSource {
		return keyring.PassphraseSource{Env: "CLEARED_PASSPHRASE", Getenv: env(m), Stdin: devNull(t)}
	}
	t.Run("OK", func(t *testing.T) {
		for name, tt := range map[string]struct {
			env  map[string]string
			want string
		}{
			"env":             {map[string]string{"CLEARED_PASSPHRASE": " from env "}, " from env "},
			"file":            {map[string]string{"CLEARED_PASSPHRASE_FILE": file("from file")}, "from file"},
			"file, newline":   {map[string]string{"CLEARED_PASSPHRASE_FILE": file("from file, newline\n")}, "from file, newline"},
			"file, CRLF":      {map[string]string{"CLEARED_PASSPHRASE_FILE": file("from file, CR LF \r\n")}, "from file, CR LF "},
			"empty env, file": {map[string]string{"CLEARED_PASSPHRASE": "", "CLEARED_PASSPHRASE_FILE": file("f")}, "f"},
		} {
			got, err := src(tt.env).Passphrase()
			if err != nil || string(got) != tt.want {
				t.Errorf("%s: Passphrase = %q, %v; want %q", name, got, err, tt.want)
			}
		}
	})
	t.Run("Err", func(t *testing.T) {
		for name, tt := range map[string]struct {
			env  map[string]string
			want string
		}{
			"no terminal": {nil, "no passphrase: set CLEARED_PASSPHRASE or CLEARED_PASSPHRASE_FILE, or run from a terminal"},
			"both": {map[string]string{"CLEARED_PASSPHRASE": "a", "CLEARED_PASSPHRASE_FILE": file("b")},
				"both CLEARED_PASSPHRASE and CLEARED_PASSPHRASE_FILE are set"},
			"missing file": {map[string]string{"CLEARED_PASSPHRASE_FILE": filepath.Join(dir, "none")}, "no such file"},
			"empty file":   {map[string]string{"CLEARED_PASSPHRASE_FILE": file("\n")}, "is empty"},
		} {
			got, err := src(tt.env).Passphrase()
			if err == nil || got != nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: Passphrase = %q, %v; want an error saying %q", name, got, err, tt.want)
			}
		}
		// No terminal at all.
		s := src(nil)
		s.Stdin = nil
		if _, err := s.Passphrase(); err == nil || !strings.Contains(err.Error(), "no passphrase") {
			t.Errorf("nil Stdin: error = %v", err)
		}
	})
	t.Run("os.Getenv", func(t *testing.T) {
		t.Setenv("CLEARED_TEST_PASSPHRASE", "from the process")
		got, err := keyring.PassphraseSource{Env: "CLEARED_TEST_PASSPHRASE"}.Passphrase()
		if err != nil || string(got) != "from the process" {
			t.Errorf("Passphrase = %q, %v", got, err)
		}
	})
}

func FuzzLoad(f *testing.F) {
	path := filepath.Join(f.TempDir(), "keyring.json")
	if err := keyring.SaveWithParams(path, newRing(f), pass, keyring.TestParams); err != nil {
		f.Fatal(err)
	}
	valid, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte(`{"format":"cleared-keyring/v1"}`))
	f.Add([]byte(`{"format":"cleared-keyring/v1","argon2id":{"time":1,"memory_kib":8,"threads":1},"salt":"AAAAAAAAAAAAAAAAAAAAAA==","nonce":"AAAAAAAAAAAAAAAA","ciphertext":"AAAAAAAAAAAAAAAAAAAAAA=="}`))
	f.Add([]byte(`{"format":"cleared-keyring/v2"}`))
	f.Add([]byte("null"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		// Load honours argon2id parameters up to 32 passes over 1 GiB, which is slow, not wrong: skip inputs that
		// ask for more than a few MiB so the fuzzer spends its time on the parser.
		var cost struct {
			Argon2id struct {
				Time      uint64 `json:"time"`
				MemoryKiB uint64 `json:"memory_kib"`
			} `json:"argon2id"`
		}
		if json.Unmarshal(data, &cost) == nil && cost.Argon2id.Time*cost.Argon2id.MemoryKiB > 4<<10 {
			t.Skip("expensive argon2id parameters")
		}
		path := filepath.Join(t.TempDir(), "keyring.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := keyring.Load(path, pass)
		if (r == nil) == (err == nil) {
			t.Fatalf("Load = %v, %v: want a ring or an error", r, err)
		}
		if err == nil && r.Current() == "" {
			t.Fatal("Load returned a ring without current KEK")
		}
	})
}

func ExampleRing_Open() {
	r, _ := keyring.New()
	id := cleared.NewPieceID()
	s, _ := r.Seal(id, bind, []byte("CONFIDENTIEL LUX"))
	content, _ := r.Open(id, bind, s)
	fmt.Println(string(content))

	s.WrappedKey = nil // the piece is destroyed (A10.1)
	_, err := r.Open(id, bind, s)
	fmt.Println(errors.Is(err, keyring.ErrKeyDestroyed), errors.Is(err, cleared.ErrConflict))
	// Output:
	// CONFIDENTIEL LUX
	// true true
}

// A DBA who re-levels a piece, or gives it another originator, in the database cannot have its content decrypted:
// the wrapped data key is bound to both (issue 17).
func TestOpen_A13_1_relevelled_piece_does_not_open(t *testing.T) {
	r, _ := keyring.New()
	id := cleared.NewPieceID()
	s := seal(t, r, id, "TRES SECRET LUX")
	for _, other := range []keyring.Binding{
		{Level: cleared.Unclassified, Originator: bind.Originator},
		{Level: cleared.TopSecret, Originator: bind.Originator},
		{Level: bind.Level, Originator: "aut_zzzzzzzzzzzzzzzzzzzzzzzz"},
	} {
		if got, err := r.Open(id, other, s); !errors.Is(err, keyring.ErrCorrupt) || got != nil {
			t.Errorf("Open as %+v: %q, %v; want ErrCorrupt and nothing", other, got, err)
		}
	}
	mustOpen(t, r, id, s, "TRES SECRET LUX")
}

// A legitimate downgrade re-wraps the data key; the content stays as it is and opens only at the new level.
func TestRewrap(t *testing.T) {
	r, _ := keyring.New()
	id := cleared.NewPieceID()
	s := seal(t, r, id, "downgraded")
	down := keyring.Binding{Level: cleared.Restricted, Originator: bind.Originator}
	w, err := r.Rewrap(id, bind, down, s)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := r.Open(id, down, w); err != nil || string(got) != "downgraded" {
		t.Errorf("Open after Rewrap: %q, %v", got, err)
	}
	if _, err := r.Open(id, bind, w); !errors.Is(err, keyring.ErrCorrupt) {
		t.Errorf("Open at the old level after Rewrap: %v, want ErrCorrupt", err)
	}
	if _, err := r.Rewrap(id, down, bind, s); !errors.Is(err, keyring.ErrCorrupt) {
		t.Errorf("Rewrap from a binding the key was not wrapped for: %v, want ErrCorrupt", err)
	}
}

// The v1 form (the piece ID alone) is not accepted by Open; UpgradeWrap turns it into v2 once.
func TestUpgradeWrap(t *testing.T) {
	r, _ := keyring.New()
	id := cleared.NewPieceID()
	v1 := keyring.SealV1ForTest(r, id, []byte("made by an older cleared"))
	if _, err := r.Open(id, bind, v1); !errors.Is(err, keyring.ErrCorrupt) {
		t.Fatalf("Open of a v1 wrapped key: %v, want ErrCorrupt", err)
	}
	v2, err := r.UpgradeWrap(id, bind, v1)
	if err != nil {
		t.Fatal(err)
	}
	mustOpen(t, r, id, v2, "made by an older cleared")
	if _, err := r.UpgradeWrap(id, bind, v2); !errors.Is(err, keyring.ErrCorrupt) {
		t.Errorf("UpgradeWrap of a v2 key: %v, want ErrCorrupt", err)
	}
}

func TestNewRegisterKey(t *testing.T) {
	r, _ := keyring.New()
	k := r.NewRegisterKey()
	got, ok := r.Secret(keyring.RegisterKey)
	if !ok || len(k) != 32 || string(got) != string(k) {
		t.Errorf("register key: %d bytes, kept %v", len(k), ok)
	}
}
