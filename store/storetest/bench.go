package storetest

import (
	"testing"

	"github.com/transparency-dev/merkle/compact"

	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/store"
)

// BenchmarkGroupCommit runs BenchmarkAppends from many callers (64 and 256 goroutines per CPU) and from one, on a
// fresh store from open each time, so every database reports the same three figures.
func BenchmarkGroupCommit(b *testing.B, open func(b *testing.B) store.Store) {
	for _, p := range []struct {
		name        string
		parallelism int
	}{{"goroutines=64xCPU", 64}, {"goroutines=256xCPU", 256}, {"serial", 0}} {
		b.Run(p.name, func(b *testing.B) { BenchmarkAppends(b, open(b), p.parallelism) })
	}
}

// BenchmarkAppends measures durable audit appends through Update, as services make them: each Update reads the
// log's size and appends one entry there, with a 200-byte payload and the nodes the append completes (two on
// average). With parallelism above 0 the appends come from b.RunParallel with that many goroutines per CPU, which
// the store may gather into group commits (architecture, principle 2); with 0, from one caller, one after the
// other. It reports entries per second.
func BenchmarkAppends(b *testing.B, s store.Store, parallelism int) {
	b.Helper()
	// The hashes are computed once: the benchmark measures the store, not SHA-256.
	payload := auditPayload(0)
	record := auditRecord(1)
	hash, root := fixedHash("node"), fixedHash("root")
	appendOne := func(tx store.Tx) error {
		seq, err := tx.AuditSize()
		if err != nil {
			return err
		}
		r := record
		r.Seq = seq
		nodes := make([]audit.Node, 0, 2)
		for level, width := uint(0), uint64(1); (seq+1)%width == 0; level, width = level+1, width*2 {
			nodes = append(nodes, audit.Node{ID: compact.NewNodeID(level, (seq+1)/width-1), Hash: hash})
		}
		return tx.AppendAudit(r, payload, nodes, root)
	}
	b.ResetTimer()
	if parallelism > 0 {
		b.SetParallelism(parallelism)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := s.Update(store.AppendOnly(b.Context()), appendOne); err != nil { // as a read's entry is
					b.Error(err)
					return
				}
			}
		})
	} else {
		for b.Loop() {
			if err := s.Update(store.AppendOnly(b.Context()), appendOne); err != nil { // as a read's entry is
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
