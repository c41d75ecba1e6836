package keyring_test

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"testing"

	"github.com/cleared/cleared"
)

const MiB = 1 << 20

// BenchmarkSeal1MiB measures sealing one piece: a fresh data key, its AES-256-GCM pass over the content, and the
// key's wrapping. Compare with BenchmarkRawAESGCM1MiB for the cost of the envelope.
func BenchmarkSeal1MiB(b *testing.B) {
	r := newRing(b)
	id := cleared.NewPieceID()
	content := make([]byte, MiB)
	rand.Read(content)
	b.SetBytes(MiB)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Seal(id, bind, content); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen1MiB measures opening what BenchmarkSeal1MiB seals.
func BenchmarkOpen1MiB(b *testing.B) {
	r := newRing(b)
	id := cleared.NewPieceID()
	content := make([]byte, MiB)
	rand.Read(content)
	s := seal(b, r, id, string(content))
	b.SetBytes(MiB)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Open(id, bind, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawAESGCM1MiB is the floor: AES-256-GCM over 1 MiB into a buffer allocated once, no key to make or wrap.
func BenchmarkRawAESGCM1MiB(b *testing.B) {
	key := make([]byte, 32)
	rand.Read(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		b.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		b.Fatal(err)
	}
	nonce := make([]byte, aead.NonceSize())
	content := make([]byte, MiB)
	rand.Read(content)
	dst := make([]byte, 0, MiB+aead.Overhead())
	b.SetBytes(MiB)
	b.ReportAllocs()
	for b.Loop() {
		dst = aead.Seal(dst[:0], nonce, content, nil) // nonce reuse is harmless here: nothing is kept
	}
}

// BenchmarkRawAESGCMAlloc1MiB is BenchmarkRawAESGCM1MiB with a fresh output buffer each time, as Seal must return
// one: the difference between the two is the price of allocating (and collecting) 1 MiB, not of the envelope.
func BenchmarkRawAESGCMAlloc1MiB(b *testing.B) {
	key := make([]byte, 32)
	rand.Read(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		b.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		b.Fatal(err)
	}
	nonce := make([]byte, aead.NonceSize())
	content := make([]byte, MiB)
	rand.Read(content)
	b.SetBytes(MiB)
	b.ReportAllocs()
	for b.Loop() {
		_ = aead.Seal(make([]byte, 0, MiB+aead.Overhead()), nonce, content, nil)
	}
}
