package sharing_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/store/postgres"
)

// connect wires s to the other servers of the database at url on channel, as cmd/cleared's serve does: its
// committed changes are sent there, and what is received there wakes its subscribers. It returns once s listens.
func connect(t *testing.T, s *sharing.Service, url, channel string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	n, err := postgres.NewNotifier(ctx, url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s.OnChange(func(seq int64, audience []cleared.OrganisationID) {
		if err := n.Notify(ctx, channel, sharing.ChangeMessage(seq, audience)); err != nil {
			t.Errorf("notify: %v", err)
		}
	})
	const probe = `{"seq": 1, "audience": []}` // wakes nobody
	listening := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		n.Listen(ctx, channel, func(p string) {
			if p == probe {
				select {
				case <-listening:
				default:
					close(listening)
				}
			}
			s.Notified(p)
		})
	}()
	t.Cleanup(func() { cancel(); <-done; n.Close() })
	for deadline := time.Now().Add(5 * time.Second); ; {
		if err := n.Notify(ctx, channel, probe); err != nil {
			t.Fatal(err)
		}
		select {
		case <-listening:
			return
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("not listening after 5 s")
		}
	}
}

// TestLive_S1_two_servers_on_one_PostgreSQL: a release committed on server A wakes, within 2 s, the live feed of
// its partner connected to server B, which then delivers it; a partner outside its audience is not woken.
func TestLive_S1_two_servers_on_one_PostgreSQL(t *testing.T) {
	stA, url := testenv.Postgres(t, "cleared_sharing_")
	a := testenv.New(t, testenv.Options{Store: stA})
	sw := testenv.NewSharingWorld(t, a, nil)

	// Server B: its own store on the same schema, with the installation's keys, and its own services.
	stB, err := postgres.Open(a.Ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stB.Close() })
	if err := stB.SetSealKey(a.SealKey); err != nil {
		t.Fatal(err)
	}
	a.SignWith(t, stB)
	shareB := sharing.New(act.New(stB, slog.New(slog.DiscardHandler), nil), a.Ring, sharing.Config{Now: a.Now})

	channel := "cleared_test_" + strings.ToLower(rand.Text()[:12]) // not another test's servers'
	connect(t, a.Share, url, channel)
	connect(t, shareB, url, channel)

	// The EU's live feed on B, at the end of its stream; the CERT's beside it.
	wakeEU, cancel := shareB.Subscribe(sw.EU.Organisation)
	defer cancel()
	wakeCERT, cancel := shareB.Subscribe(sw.CERT.Organisation)
	defer cancel()
	items, _, err := shareB.Deliver(a.Ctx, sw.EU, cleared.RouteLive, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	var after int64
	if len(items) > 0 {
		after = items[len(items)-1].Seq
	}

	// On A, Paul classifies a new product and releases it to the EU.
	w := a.World
	p, err := a.Reg.Classify(a.Ctx, sw.Originator, registry.NewPiece{Authority: w.PaulAuth.ID, Kind: cleared.Electronic,
		Title: "Across servers", Level: cleared.Confidential, Reasons: []cleared.Reason{cleared.ReasonSecurity},
		ReviewOn: a.Now().AddDate(1, 0, 0), Content: testenv.Product("Across servers", 2), ContentType: "application/json"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Share.Release(a.Ctx, sw.Originator, p.ID, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Partners: []cleared.OrganisationID{sw.EU.Organisation}}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != cleared.ReleaseReleased {
		t.Fatalf("release: %+v, want released", r)
	}
	select {
	case <-wakeEU:
	case <-time.After(2 * time.Second):
		t.Fatal("the EU's live feed on server B was not woken within 2 s of the release on server A")
	}
	items, _, err = shareB.Deliver(a.Ctx, sw.EU, cleared.RouteLive, after, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Release.ID != r.ID {
		t.Fatalf("server B delivers %v after the wake, want the release %s", pieces(items), r.ID)
	}
	if woken(wakeCERT) {
		t.Error("the CERT, outside the release's audience, was woken on server B")
	}
}
