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

// GenerateAudit appends n entries to s through audit.Append, as services make them (a 200-byte payload, every
// third a refusal), many to a group commit, each commit signing its head: a large log to verify or to prove from,
// made in minutes rather than by hand. It reports progress to tb's log every million entries.
func GenerateAudit(tb testing.TB, s store.Store, n int) {
	tb.Helper()
	const perUpdate = 1000
	for done := 0; done < n; {
		k := min(perUpdate, n-done)
		err := s.Update(store.AppendOnly(tb.Context()), func(tx store.Tx) error {
			for range k {
				seq, err := tx.AuditSize()
				if err != nil {
					return err
				}
				r := auditRecord(seq)
				if _, err := audit.Append(tx, r.Entry, auditPayload(seq)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
		done += k
		if done%1_000_000 == 0 {
			tb.Logf("generated %d audit entries", done)
		}
	}
}

// BenchmarkVerify verifies the whole log of s (audit.Verify in one read transaction) with verifierKey and reports
// entries per second; the log must verify.
func BenchmarkVerify(b *testing.B, s store.Store, verifierKey string) {
	var rep audit.Report
	for b.Loop() {
		err := s.View(b.Context(), func(tx store.Tx) (err error) {
			rep, err = audit.Verify(b.Context(), tx, verifierKey, audit.VerifyOptions{})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		if rep.FirstBad != nil {
			b.Fatalf("FAIL: entry %d: %s", rep.FirstBad.Seq, rep.FirstBad.What)
		}
	}
	b.ReportMetric(float64(rep.Size)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	b.ReportMetric(float64(rep.Size), "entries")
}
