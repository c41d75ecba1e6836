package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/cleared/cleared"
)

// Argon2id parameters for passwords (RFC 9106's second recommended option, with 64 MiB).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password lengths, in characters. A long passphrase is the better password; the upper bound keeps hashing cheap.
const (
	MinPassword = 12
	MaxPassword = 256
)

// CheckPasswordRules reports a password too short, too long or not UTF-8 as [cleared.ErrInvalid].
func CheckPasswordRules(pw string) error {
	if !utf8.ValidString(pw) {
		return cleared.Invalidf("the password is not valid UTF-8 text")
	}
	n := utf8.RuneCountInString(pw)
	if n < MinPassword || n > MaxPassword {
		return cleared.Invalidf("a password has %d to %d characters", MinPassword, MaxPassword)
	}
	return nil
}

// HashPassword returns the argon2id hash of pw in PHC form: $argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	return hashPassword(pw, argonTime, argonMemory)
}

// HashPasswordCheaply hashes with the least parameters CheckPassword accepts (8 MiB, one pass), a fifth of the
// work. Only the demonstration uses it: its passwords are published, and it creates a dozen accounts each time
// it is loaded (by every test that uses it).
func HashPasswordCheaply(pw string) (string, error) {
	return hashPassword(pw, 1, 8*1024)
}

func hashPassword(pw string, argonTime, argonMemory uint32) (string, error) {
	if err := CheckPasswordRules(pw); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches hash, a PHC string HashPassword wrote (its parameters are read from it,
// within bounds, so that they may be raised later). A malformed hash matches nothing.
func CheckPassword(hash, pw string) bool {
	p, ok := parsePHC(hash)
	if !ok || len(pw) > 4*MaxPassword {
		return false
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.t, p.m, p.p, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1
}

// DummyCheck spends the time of one CheckPassword, so that an unknown login answers as slowly as a known one.
func DummyCheck(pw string) {
	CheckPassword(dummyHash, pw)
}

// dummyHash is a valid hash of no one's password.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

type phc struct {
	m, t uint32
	p    uint8
	salt []byte
	key  []byte
}

// parsePHC reads an argon2id PHC string strictly, with parameters bounded so a forged hash cannot exhaust memory.
func parsePHC(s string) (phc, bool) {
	var p phc
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, false
	}
	var threads uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.m, &p.t, &threads); n != 3 || err != nil {
		return p, false
	}
	if fmt.Sprintf("m=%d,t=%d,p=%d", p.m, p.t, threads) != parts[3] {
		return p, false
	}
	if p.m < 8*1024 || p.m > 1024*1024 || p.t < 1 || p.t > 10 || threads < 1 || threads > 16 {
		return p, false
	}
	p.p = uint8(threads)
	var err error
	b64 := base64.RawStdEncoding.Strict()
	if p.salt, err = b64.DecodeString(parts[4]); err != nil || len(p.salt) < 8 || len(p.salt) > 64 {
		return p, false
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil || len(p.key) < 16 || len(p.key) > 64 {
		return p, false
	}
	return p, true
}
