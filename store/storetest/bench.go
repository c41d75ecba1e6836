package storetest

import (
	"testing"

	"github.com/cleared/cleared/store"
)

// BenchmarkAppends measures durable audit appends through Update, as services make them: each Update reads the
// log's size and appends one entry there, with a 200-byte payload and the nodes the append completes (two on
// average). With parallelism above 0 the appends come from b.RunParallel with that many goroutines per CPU, which
// the store may gather into group commits (architecture, principle 2); with 0, from one caller, one after the
// other. It reports entries per second.
func BenchmarkAppends(b *testing.B, s store.Store, parallelism int) {
	b.Helper()
	appendOne := func(tx store.Tx) error {
		_, err := appendNext(tx)
		return err
	}
	b.ResetTimer()
	if parallelism > 0 {
		b.SetParallelism(parallelism)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := s.Update(b.Context(), appendOne); err != nil {
					b.Error(err)
					return
				}
			}
		})
	} else {
		for b.Loop() {
			if err := s.Update(b.Context(), appendOne); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
