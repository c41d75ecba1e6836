package notify_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/smtp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/notify"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
)

// incidents is how many incidents one round of the benchmark reports at once (issue 19: 100 concurrently).
const incidents = 100

// benchWorld is the benchmark's loopback world: the mail server and the three recipients' webhook receivers (the
// security officer's, with HMAC; the NSA's and the originator's, with Ed25519).
type benchWorld struct {
	*env
	mail  *smtpServer
	hooks []*receiver
	ws    []cleared.Webhook
	d     *notify.Dispatcher
}

func newBenchWorld(b *testing.B, e *env) *benchWorld {
	w := &benchWorld{env: e, mail: newSMTPServer(b)}
	for i := range 3 {
		r := newReceiver(b)
		scheme := cleared.WebhookEd25519
		if i == 0 {
			scheme = cleared.WebhookHMAC
		}
		h, secret := e.webhook(b, r.srv.URL+"/cleared", scheme)
		if secret != nil {
			r.setKey(secret)
		} else {
			r.setKey(publicKey(b, e.ring))
		}
		w.hooks, w.ws = append(w.hooks, r), append(w.ws, h)
	}
	w.d, _ = e.start(b, notify.Config{Mail: notify.SMTP{Addr: w.mail.Addr(), From: "cleared@cleared.example.lu"},
		Backoff: notify.DefaultBackoff})
	return w
}

// enqueueSix writes what one incident report writes into the outbox, in one transaction: an e-mail and a webhook
// call to each of its three recipients; then wakes the dispatcher, as the registry does after the commit.
func (w *benchWorld) enqueueSix(round int) func(i int) error {
	return func(i int) error {
		cause := fmt.Sprintf("inc_bench_%d_%d", round, i)
		body := fmt.Sprintf(`{"type":"incident.reported","incident":%q,"url":"https://cleared.example.lu/incidents/%s"}`, cause, cause)
		now := time.Now().UTC()
		err := w.store.Update(context.Background(), func(tx store.Tx) error {
			for k, to := range []string{"officer@example.lu", "nsa@example.lu", "originator@example.lu"} {
				m := cleared.Delivery{ID: cleared.NewDeliveryID(), Medium: cleared.MediumEmail, Recipient: cleared.NewPersonID(),
					Address: to, Subject: "Incident de sécurité signalé", Body: []byte("Un incident a été signalé : " + cause + "\n"),
					Cause: cause, Created: now, NextAttempt: now}
				c := cleared.Delivery{ID: cleared.NewDeliveryID(), Medium: cleared.MediumWebhook, Address: string(w.ws[k].ID),
					Subject: "incident", Body: []byte(body), Cause: cause, Created: now, NextAttempt: now}
				if err := tx.EnqueueDelivery(m); err != nil {
					return err
				}
				if err := tx.EnqueueDelivery(c); err != nil {
					return err
				}
			}
			return nil
		})
		w.d.Wake()
		return err
	}
}

// BenchmarkIncidentNotifications (A13.1, issue 19): 100 incidents reported at once, each writing six messages (an
// e-mail and a webhook call to the security officer, the NSA and the originator); measured per incident from the
// creation of its messages in the reporting transaction (a little before its commit, so the figure is if anything
// high) to the last of its six received: by the mail server, and by the receivers after verifying the signature.
// Reported: p50-ms, p99-ms, max-ms over every incident of every round.
func BenchmarkIncidentNotifications(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		st, err := sqlite.Open(b.Context(), b.TempDir()+"/cleared.db")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		w := newBenchWorld(b, newEnv(b, st))
		benchNotify(b, w, w.enqueueSix)
	})
	b.Run("postgres", func(b *testing.B) {
		st := openPostgres(b)
		w := newBenchWorld(b, newEnv(b, st))
		benchNotify(b, w, w.enqueueSix)
	})
}

// benchNotify runs rounds of incidents reported concurrently through enqueue (made for each round), waits for every
// message of the outbox to be delivered, and reports the latencies. enqueue is a function so that the real incident
// report (registry) can replace the outbox writes above without changing the measure: it needs only that each
// incident's messages share their Cause.
func benchNotify(b *testing.B, w *benchWorld, enqueue func(round int) func(i int) error) {
	var lat, commits []time.Duration
	round := 0
	for b.Loop() {
		round++
		w.reset()
		f := enqueue(round)
		var wg sync.WaitGroup
		errs := make(chan error, incidents)
		var mu sync.Mutex
		for i := range incidents {
			wg.Go(func() {
				start := time.Now()
				if err := f(i); err != nil {
					errs <- err
				}
				mu.Lock()
				commits = append(commits, time.Since(start))
				mu.Unlock()
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		w.waitDelivered(b)
		lat = append(lat, w.latencies(b)...)
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
	b.Logf("%d incidents: p50 %.0f ms, p99 %.0f ms, max %.0f ms", len(lat), q(0.50), q(0.99), q(1))
	slices.Sort(commits)
	b.Logf("of which the reports' commits: p50 %v, p99 %v", commits[len(commits)/2].Round(time.Millisecond),
		commits[len(commits)*99/100].Round(time.Millisecond))
	if q(0.99) >= 1000 {
		b.Errorf("p99 %.0f ms: over the issue's 1 s", q(0.99))
	}
}

func (w *benchWorld) reset() {
	w.mail.mu.Lock()
	w.mail.got = nil
	w.mail.mu.Unlock()
	for _, r := range w.hooks {
		r.mu.Lock()
		r.got, r.bad = nil, nil
		r.mu.Unlock()
	}
}

// waitDelivered waits until no message of the outbox waits.
func (w *benchWorld) waitDelivered(b *testing.B) {
	eventually(b, "every message delivered", func() bool {
		var next time.Time
		err := w.store.View(context.Background(), func(tx store.Tx) error {
			var err error
			next, err = tx.NextDue()
			return err
		})
		return err == nil && next.IsZero()
	})
}

// latencies returns, for each incident of the round, the time from its messages' creation to the last received.
func (w *benchWorld) latencies(b *testing.B) []time.Duration {
	last := map[cleared.DeliveryID]time.Time{}
	for _, m := range w.mail.messages() {
		last[cleared.DeliveryID(m.Msg.Header.Get("X-Cleared-Delivery"))] = m.At
	}
	for _, r := range w.hooks {
		if len(r.bad) > 0 {
			b.Fatalf("calls refused by a receiver: %v", r.bad[0])
		}
		for _, c := range r.calls() {
			last[cleared.DeliveryID(c.Delivery)] = c.At
		}
	}
	type span struct{ from, to time.Time }
	byCause := map[string]span{}
	err := w.store.View(context.Background(), func(tx store.Tx) error {
		for id, at := range last {
			d, err := tx.Delivery(id)
			if err != nil {
				return err
			}
			s := byCause[d.Cause]
			s.from = d.Created
			if at.After(s.to) {
				s.to = at
			}
			byCause[d.Cause] = s
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(last) != 6*incidents || len(byCause) != incidents {
		b.Fatalf("received %d messages about %d incidents, want %d about %d", len(last), len(byCause), 6*incidents, incidents)
	}
	out := make([]time.Duration, 0, len(byCause))
	for _, s := range byCause {
		out = append(out, s.to.Sub(s.from))
	}
	return out
}

// BenchmarkPlainSendLoop is the comparison of docs/benchmarks.md: the same 600 messages sent directly by 100
// goroutines (net/smtp.SendMail and http.Post, unsigned), with no outbox, no database and no retry: the floor that
// the loopback servers allow, against which the outbox's cost is read.
func BenchmarkPlainSendLoop(b *testing.B) {
	mail := newSMTPServer(b)
	var hooks []*httptest.Server
	for range 3 {
		h := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusNoContent)
		}))
		b.Cleanup(h.Close)
		hooks = append(hooks, h)
	}
	var lat []time.Duration
	for b.Loop() {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range incidents {
			wg.Go(func() {
				start := time.Now()
				var inner sync.WaitGroup
				for k, to := range []string{"officer@example.lu", "nsa@example.lu", "originator@example.lu"} {
					inner.Go(func() {
						msg := "Subject: Incident\r\n\r\nUn incident a été signalé : " + fmt.Sprint(i) + "\r\n"
						if err := smtp.SendMail(mail.Addr(), nil, "cleared@example.lu", []string{to}, []byte(msg)); err != nil {
							b.Error(err)
						}
					})
					inner.Go(func() {
						resp, err := http.Post(hooks[k].URL, "application/json", strings.NewReader(`{"incident":1}`))
						if err != nil {
							b.Error(err)
							return
						}
						resp.Body.Close()
					})
				}
				inner.Wait()
				mu.Lock()
				lat = append(lat, time.Since(start))
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
}
