//go:build sharingbench

package web_test

import (
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// BenchmarkTAXII_1M_objects is the figure (docs/benchmarks.md): a 100-object page of a partner's TAXII
// collection, p95 under 50 ms with 1 000 000 objects in it, and a poll with nothing new under a second. Behind the
// build tag sharingbench, run once:
//
//	go test -tags sharingbench ./web -run '^$' -bench TAXII_1M -benchtime 1x -timeout 30m
//
// The collection is NATO's: 170 000 releases of one product of five indicators (a report, five indicators and the
// shared identity and markings: about six objects each), written through the store in batches, as many releases
// of one piece (the size of the tables is what counts, not the variety of products). CLEARED_BENCH_RELEASES
// changes the number. Measured over HTTPS with NATO's client certificate: 200 pages at random positions, each
// read for the first time (so each delivery is recorded as a transmission, A11.2), then the same pages again, and
// 100 polls after the last release.
func BenchmarkTAXII_1M_objects(b *testing.B) {
	n := 170000
	if v, err := strconv.Atoi(os.Getenv("CLEARED_BENCH_RELEASES")); err == nil && v > 0 {
		n = v
	}
	e := newTAXIIEnv(b)
	nato := e.sw.NATO.Organisation
	base := e.sw.ConfidentialRelease
	start := time.Now()
	var last int64
	const batch = 5000
	for from := 0; from < n; from += batch {
		err := e.te.Store.Update(e.te.Ctx, func(tx store.Tx) error {
			for range min(batch, n-from) {
				r := cleared.Release{ID: cleared.NewReleaseID(), Piece: base.Piece, Level: base.Level, Sets: base.Sets, TLP: base.TLP,
					State: cleared.ReleaseReleased, ProposedBy: base.ProposedBy, Proposed: base.Proposed, Released: base.Released,
					Audience: []cleared.OrganisationID{nato}}
				if err := tx.CreateRelease(&r); err != nil {
					return err
				}
				last = r.Seq
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("generated %d releases in %s", n, time.Since(start).Round(time.Second))
	page := func(seq int64) time.Duration {
		pos, err := e.te.Share.Position(nato, seq, 0)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		_, objs, _ := e.page(e.nato, taxiiCollection+"objects/?limit=100&next="+pos)
		d := time.Since(t0)
		if seq <= last-30 && len(objs) != 100 {
			b.Fatalf("page at %d: %d objects", seq, len(objs))
		}
		return d
	}
	for b.Loop() {
		seqs := make([]int64, 200)
		for i := range seqs {
			seqs[i] = 1 + rand.Int64N(last)
		}
		var first, again, empty []time.Duration
		for _, s := range seqs {
			first = append(first, page(s))
		}
		for _, s := range seqs {
			again = append(again, page(s))
		}
		for range 100 {
			empty = append(empty, page(last+1))
		}
		q := func(ds []time.Duration, p int) float64 {
			slices.Sort(ds)
			return float64(ds[len(ds)*p/100].Microseconds()) / 1000
		}
		b.ReportMetric(q(first, 50), "first-p50-ms")
		b.ReportMetric(q(first, 95), "first-p95-ms")
		b.ReportMetric(q(again, 95), "again-p95-ms")
		b.ReportMetric(q(empty, 95), "empty-p95-ms")
		b.Logf("%d releases (about %d objects): first reads p50 %.1f ms p95 %.1f ms; again p95 %.1f ms; empty poll p95 %.1f ms",
			n, n*6, q(first, 50), q(first, 95), q(again, 95), q(empty, 95))
	}
}
