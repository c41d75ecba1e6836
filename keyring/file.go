package keyring

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/argon2"

	"github.com/cleared/cleared"
)

// fileFormat names and versions the sealed file; it is also the associated data of its ciphertext.
const fileFormat = "cleared-keyring/v1"

const saltSize = 16

// Bounds on the argon2id parameters a file may ask for. Load derives the key before it can tell a genuine file from
// a forged one, so a file must not be able to make it spend unbounded time or memory.
const (
	maxTime      = 32
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxThreads   = 64
)

// ErrWrongPassphrase is returned by [Load] when the file does not open with the passphrase: either the passphrase
// is wrong or the file was altered or damaged. The two cannot be told apart, by design.
var ErrWrongPassphrase = errors.New("wrong passphrase or damaged key ring file")

// Params are the argon2id parameters that turn a passphrase into the key sealing the ring file. [Save] and [Load]
// accept 1 to 32 passes, 8 KiB per thread to 1 GiB of memory, and 1 to 64 threads.
type Params struct {
	Time      uint32 // passes over the memory
	MemoryKiB uint32 // memory in KiB
	Threads   uint8
}

var (
	// DefaultParams are used by [Save]: 64 MiB and about half a second per guess (measured on a loaded 2-core
	// machine), paid once at startup. They are RFC 9106's second recommended setting (section 4: t=3, 64 MiB),
	// with 2 lanes instead of 4 to match small servers.
	DefaultParams = Params{Time: 3, MemoryKiB: 64 << 10, Threads: 2}
	// TestParams cost next to nothing. They protect nothing either: use them only in tests.
	TestParams = Params{Time: 1, MemoryKiB: 64, Threads: 1}
)

func (p Params) check() error {
	if p.Time < 1 || p.Time > maxTime || p.Threads < 1 || p.Threads > maxThreads ||
		p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB {
		return cleared.Invalidf("argon2id parameters out of range: time %d (1 to %d), memory %d KiB (8 per thread to %d), threads %d (1 to %d)",
			p.Time, maxTime, p.MemoryKiB, maxMemoryKiB, p.Threads, maxThreads)
	}
	return nil
}

func (p Params) key(passphrase, salt []byte) []byte {
	return argon2.IDKey(passphrase, salt, p.Time, p.MemoryKiB, p.Threads, keySize)
}

// fileJSON is the sealed file, as written out in the package documentation.
type fileJSON struct {
	Format     string     `json:"format"`
	Argon2id   paramsJSON `json:"argon2id"`
	Salt       string     `json:"salt"`
	Nonce      string     `json:"nonce"`
	Ciphertext string     `json:"ciphertext"`
}

type paramsJSON struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint32 `json:"threads"` // wider than Params.Threads, so an out-of-range value is refused, not wrapped
}

// contentsJSON is the plaintext sealed in the file.
type contentsJSON struct {
	Current string            `json:"current"`
	KEKs    []kekJSON         `json:"keks"`
	Secrets map[string][]byte `json:"secrets,omitempty"`
}

type kekJSON struct {
	ID  string `json:"id"`
	Key []byte `json:"key"`
}

// Save seals r with passphrase under [DefaultParams] and writes it to path; see [SaveWithParams].
func Save(path string, r *Ring, passphrase []byte) error {
	return SaveWithParams(path, r, passphrase, DefaultParams)
}

// SaveWithParams seals r with a key derived from passphrase by argon2id with p, and writes it to path with mode
// 0600. It writes a temporary file in the same directory, syncs it and renames it over path, so that a crash leaves
// either the old file or the new one, never a torn one. An empty passphrase, parameters out of range or a ring
// without KEK are [cleared.ErrInvalid].
func SaveWithParams(path string, r *Ring, passphrase []byte, p Params) (err error) {
	defer cleared.Wrap(&err, "keyring: save %s", path)
	if len(passphrase) == 0 {
		return cleared.Invalidf("empty passphrase")
	}
	if err := p.check(); err != nil {
		return err
	}
	plain, err := r.marshal()
	if err != nil {
		return err
	}
	defer clear(plain)

	salt := make([]byte, saltSize)
	rand.Read(salt)
	key := p.key(passphrase, salt)
	defer clear(key)
	sealed := newAEAD(key).Seal(make([]byte, 0, len(plain)+overhead), nil, plain, []byte(fileFormat))

	f := fileJSON{
		Format:     fileFormat,
		Argon2id:   paramsJSON{Time: p.Time, MemoryKiB: p.MemoryKiB, Threads: uint32(p.Threads)},
		Salt:       base64.StdEncoding.EncodeToString(salt),
		Nonce:      base64.StdEncoding.EncodeToString(sealed[:nonceSize]),
		Ciphertext: base64.StdEncoding.EncodeToString(sealed[nonceSize:]),
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(data, '\n'))
}

// marshal returns the ring's contents as JSON. The caller clears it.
func (r *Ring) marshal() ([]byte, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.keks[r.current] == nil {
		return nil, cleared.Invalidf("the key ring has no key-encryption key")
	}
	c := contentsJSON{Current: r.current, Secrets: r.secrets}
	for _, id := range r.order {
		c.KEKs = append(c.KEKs, kekJSON{ID: id, Key: r.keks[id].key})
	}
	return json.Marshal(c)
}

func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	// CreateTemp makes the file with mode 0600, before any secret is written to it.
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	// The rename is durable only once the directory is synced.
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Load reads the ring sealed in path with passphrase. A missing file is an error wrapping [fs.ErrNotExist]; a file
// that is not a key ring, of an unknown format or with parameters out of range is [cleared.ErrInvalid]; a wrong
// passphrase or an altered file is [ErrWrongPassphrase]. Every error names path.
func Load(path string, passphrase []byte) (_ *Ring, err error) {
	defer cleared.Wrap(&err, "keyring: load %s", path)
	if len(passphrase) == 0 {
		return nil, cleared.Invalidf("empty passphrase")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		// The path is already in our prefix; keep the cause (fs.ErrNotExist, permission) without repeating it.
		if pe, ok := errors.AsType[*fs.PathError](err); ok {
			return nil, pe.Err
		}
		return nil, err
	}
	p, salt, sealed, err := parseFile(data)
	if err != nil {
		return nil, err
	}
	key := p.key(passphrase, salt)
	defer clear(key)
	plain, err := newAEAD(key).Open(make([]byte, 0, len(sealed)-overhead), nil, sealed, []byte(fileFormat))
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	defer clear(plain)
	return unmarshalRing(plain)
}

// parseFile reads the sealed file strictly and returns its parameters, salt, and nonce followed by ciphertext.
func parseFile(data []byte) (p Params, salt, sealed []byte, err error) {
	// The format first, with a loose decoder, so a file of a later version is named as such rather than refused
	// for a field this version does not know.
	var head struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Params{}, nil, nil, cleared.Invalidf("not a key ring file: %v", err)
	}
	switch head.Format {
	case fileFormat:
	case "":
		return Params{}, nil, nil, cleared.Invalidf("not a key ring file: no format")
	default:
		return Params{}, nil, nil, cleared.Invalidf("unknown key ring format %q: this version reads %q", truncate(head.Format, 40), fileFormat)
	}

	var f fileJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Params{}, nil, nil, cleared.Invalidf("damaged key ring file: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Params{}, nil, nil, cleared.Invalidf("damaged key ring file: data after the JSON object")
	}
	a := f.Argon2id
	if a.Threads > maxThreads {
		a.Threads = 0 // out of range either way; keeps the uint8 conversion below from wrapping into range
	}
	p = Params{Time: a.Time, MemoryKiB: a.MemoryKiB, Threads: uint8(a.Threads)}
	if err := p.check(); err != nil {
		return Params{}, nil, nil, err
	}
	// Strict decoding: a base64 text has exactly one meaning, so no altered byte of the file goes unnoticed.
	b64 := base64.StdEncoding.Strict()
	salt, err = b64.DecodeString(f.Salt)
	if err != nil || len(salt) != saltSize {
		return Params{}, nil, nil, cleared.Invalidf("damaged key ring file: salt is not %d bytes of base64", saltSize)
	}
	nonce, err := b64.DecodeString(f.Nonce)
	if err != nil || len(nonce) != nonceSize {
		return Params{}, nil, nil, cleared.Invalidf("damaged key ring file: nonce is not %d bytes of base64", nonceSize)
	}
	ct, err := b64.DecodeString(f.Ciphertext)
	if err != nil || len(ct) < tagSize {
		return Params{}, nil, nil, cleared.Invalidf("damaged key ring file: ciphertext is not base64 of at least %d bytes", tagSize)
	}
	return p, salt, append(nonce, ct...), nil
}

// unmarshalRing builds a ring from authenticated contents. They were written by marshal, so a failure here means a
// bug or a file sealed by something else; the ring is refused rather than half used.
func unmarshalRing(plain []byte) (*Ring, error) {
	var c contentsJSON
	if err := json.Unmarshal(plain, &c); err != nil {
		return nil, cleared.Invalidf("damaged key ring contents: %v", err)
	}
	r := &Ring{secrets: c.Secrets}
	for _, k := range c.KEKs {
		if k.ID == "" || r.keks[k.ID] != nil || len(k.Key) != keySize {
			return nil, cleared.Invalidf("damaged key ring contents: key-encryption key %q is empty, repeated or not %d bytes", truncate(k.ID, 40), keySize)
		}
		r.addLocked(k.ID, k.Key)
	}
	if r.keks[c.Current] == nil {
		return nil, cleared.Invalidf("damaged key ring contents: current key-encryption key %q is missing", truncate(c.Current, 40))
	}
	r.current = c.Current
	return r, nil
}
