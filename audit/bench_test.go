package audit

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sync"
	"testing"

	"github.com/transparency-dev/merkle/rfc6962"
)

// perfectLevels fills the node table of a tree of n leaves directly, level by level, on every core: leaf i's hash
// is SHA-256 of i (any 32 bytes do for proofs), each parent the RFC 6962 hash of its children. Ten million
// appends would take minutes; this takes seconds.
func perfectLevels(n uint64) [][]byte {
	levels := [][]byte{make([]byte, n*hashSize)}
	fill(n, func(h sha256Hash, i uint64) {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], i)
		h.Reset()
		h.Write(b[:])
		h.Sum(levels[0][i*hashSize : i*hashSize])
	})
	for l := 0; len(levels[l]) >= 2*hashSize; l++ {
		below := levels[l]
		m := uint64(len(below) / hashSize / 2)
		up := make([]byte, m*hashSize)
		fill(m, func(h sha256Hash, i uint64) {
			h.Reset()
			h.Write([]byte{rfc6962.RFC6962NodeHashPrefix})
			h.Write(below[2*i*hashSize : (2*i+2)*hashSize])
			h.Sum(up[i*hashSize : i*hashSize])
		})
		levels = append(levels, up)
	}
	return levels
}

type sha256Hash = interface {
	Reset()
	Write([]byte) (int, error)
	Sum([]byte) []byte
}

// fill calls f for 0 ≤ i < n, split between two goroutines (the machine has two cores), each with its own hash.
func fill(n uint64, f func(h sha256Hash, i uint64)) {
	const workers = 2
	var wg sync.WaitGroup
	for w := range uint64(workers) {
		wg.Go(func() {
			h := sha256.New()
			for i := w * n / workers; i < (w+1)*n/workers; i++ {
				f(h, i)
			}
		})
	}
	wg.Wait()
}

// BenchmarkInclusionProof10M proves, and checks, the inclusion of an entry in a tree of ten million: one read of
// at most 2·log₂ n nodes (goal: under 1 ms).
func BenchmarkInclusionProof10M(b *testing.B) {
	const n = 10_000_000
	m := &memLog{head: n, levels: perfectLevels(n)}
	root, err := Root(m, n)
	if err != nil {
		b.Fatal(err)
	}
	var i uint64
	for b.Loop() {
		index := i * 7_919_993 % n // spread over the tree
		i++
		p, err := InclusionProof(m, index, n)
		if err != nil {
			b.Fatal(err)
		}
		if err := VerifyInclusion(index, n, m.node(0, index), p, root); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify1M verifies a log of a million entries with small payloads and a checkpoint every 100 000
// (goal: under 10 s).
func BenchmarkVerify1M(b *testing.B) {
	const n, every = 1_000_000, 100_000
	m := &memLog{}
	skey, vkey := testKey(b)
	for size := every; size <= n; size += every {
		appendN(b, m, size)
		root, err := Root(m, uint64(size))
		if err != nil {
			b.Fatal(err)
		}
		note, err := Sign(Checkpoint{Origin: testOrigin, Size: uint64(size), Root: root}, skey)
		if err != nil {
			b.Fatal(err)
		}
		m.cps = append(m.cps, StoredCheckpoint{Size: uint64(size), Note: note, Created: t0})
	}
	for b.Loop() {
		rep, err := Verify(context.Background(), m, vkey, VerifyOptions{})
		if err != nil || rep.FirstBad != nil || rep.Size != n || rep.Checkpoints != n/every {
			b.Fatalf("Verify = %v, %+v", err, rep)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkAppend appends an entry with a payload of 100 bytes at sizes cycling through 2^16 - 4096 … 2^16 - 1
// (so closing 0 to 15 levels, as appends do), to a store that keeps nothing: it measures the work Append adds to
// every action's transaction, besides the database's.
func BenchmarkAppend(b *testing.B) {
	const n = 1 << 16
	m := &memLog{}
	appendN(b, m, n)
	tx := &discard{memLog: m}
	payload := fmt.Appendf(nil, "%-100s", `{"piece":"pce_00000000000000000000000001"}`)
	e := testEntry(1)
	b.ReportAllocs()
	var i uint64
	for b.Loop() {
		tx.size = n - 4096 + i%4096
		i++
		if _, err := Append(tx, e, payload); err != nil {
			b.Fatal(err)
		}
	}
	if tx.nodes == 0 {
		b.Fatal("nothing appended")
	}
}

// discard is a log of a given size whose appends are counted and dropped.
type discard struct {
	*memLog
	size  uint64
	nodes int
}

func (d *discard) AuditSize() (uint64, error) { return d.size, nil }

func (d *discard) AppendAudit(r Record, payload []byte, nodes []Node, root []byte) error {
	d.nodes += len(nodes)
	return nil
}
