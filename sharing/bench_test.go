package sharing_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
)

// BenchmarkFanOut_1000_subscribers releases one product to a group of 1000 partners, each with a live
// subscription (sharing.Subscribe) that reads with Deliver as the live feed does, and reports the 50th and 99th
// percentiles of the time from the release's commit to each partner having it, delivery recorded (A11.2). The
// issue asks p99 < 1 s. The HTTP and TLS layers are left out: they add the same per connection.
func BenchmarkFanOut_1000_subscribers(b *testing.B) {
	const n = 1000
	e := testenv.New(b, testenv.Options{})
	w := e.World
	nsa := cleared.Actor{Person: w.Helene.ID}
	partners := make([]cleared.Partner, n)
	for i := range partners {
		org, err := e.Reg.RegisterOrganisation(e.Ctx, nsa, registry.NewOrganisation{Name: fmt.Sprintf("Partner %04d", i), Kind: cleared.ForeignPartner, Country: "BE"})
		if err != nil {
			b.Fatal(err)
		}
		if partners[i], err = e.Share.RecordPartner(e.Ctx, nsa, org.ID, sharing.NewPartner{Scheme: cleared.SchemeNATO, MaxLevel: cleared.Confidential,
			Groups: []string{"fanout"}, Channels: []cleared.ChannelID{w.ConfidentialChannel.ID}, AccreditedFrom: e.Now().AddDate(-1, 0, 0)}); err != nil {
			b.Fatal(err)
		}
	}
	paul := cleared.Actor{Person: w.Paul.ID, Terminal: w.OfficeTerm.ID}
	var lat []time.Duration
	for b.Loop() {
		p, err := e.Reg.Classify(e.Ctx, paul, registry.NewPiece{Authority: w.PaulAuth.ID, Kind: cleared.Electronic, Title: "Fan-out",
			Level: cleared.Confidential, Reasons: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: e.Now().AddDate(1, 0, 0),
			Content: testenv.Product("Fan-out", 5), ContentType: "application/json"})
		if err != nil {
			b.Fatal(err)
		}
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			start time.Time
			ready sync.WaitGroup
		)
		ready.Add(n)
		for _, pt := range partners {
			wake, cancel := e.Share.Subscribe(pt.Organisation)
			// Each subscriber is at the end of its stream, as a connected live feed is.
			items, _, err := e.Share.Deliver(e.Ctx, pt, cleared.RouteLive, 0, 500)
			if err != nil {
				b.Fatal(err)
			}
			var after int64
			if len(items) > 0 {
				after = items[len(items)-1].Seq
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer cancel()
				ready.Done()
				<-wake
				items, _, err := e.Share.Deliver(e.Ctx, pt, cleared.RouteLive, after, 100)
				if err != nil || len(items) != 1 {
					b.Errorf("partner %s: %d items, %v", pt.Name, len(items), err)
				}
				mu.Lock()
				lat = append(lat, time.Since(start))
				mu.Unlock()
			}()
		}
		ready.Wait()
		mu.Lock()
		start = time.Now()
		mu.Unlock()
		if _, err := e.Share.Release(e.Ctx, paul, p.ID, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Groups: []string{"fanout"}}}}); err != nil {
			b.Fatal(err)
		}
		wg.Wait()
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99-ms")
}
