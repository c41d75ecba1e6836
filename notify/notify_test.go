package notify_test

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/notify"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
)

// A13.1: an incident's e-mail reaches the mail server at once, with the headers a mail reader needs (UTF-8
// subject, Message-ID of the delivery, Date) and the body as written.
func TestDispatcher_A13_1_email_received_with_headers(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		srv := newSMTPServer(t)
		d := email("inc_1", "officer@example.lu", "Incident de sécurité — SECRET LUX", "Un incident a été signalé.\nVoir https://cleared.example.lu/incidents/inc_1\n")
		start := time.Now()
		e.start(t, notify.Config{Mail: notify.SMTP{Addr: srv.Addr(), From: "ANS <cleared@cleared.example.lu>"}})
		e.enqueue(t, d)
		eventually(t, "the e-mail arrives", func() bool { return len(srv.messages()) == 1 })
		m := srv.messages()[0]
		h := m.Msg.Header
		for k, want := range map[string]string{
			"Subject":                   "Incident de sécurité — SECRET LUX",
			"To":                        "<officer@example.lu>",
			"From":                      `"cleared" <cleared@cleared.example.lu>`,
			"Message-Id":                "<" + string(d.ID) + "@cleared.example.lu>",
			"Mime-Version":              "1.0",
			"Content-Type":              "text/plain; charset=utf-8",
			"Content-Transfer-Encoding": "quoted-printable",
			"X-Cleared-Delivery":        string(d.ID),
		} {
			if got := decodeHeader(t, h.Get(k)); got != want {
				t.Errorf("header %s = %q, want %q", k, got, want)
			}
		}
		if raw := h.Get("Subject"); !strings.HasPrefix(raw, "=?utf-8?q?") {
			t.Errorf("the UTF-8 subject is sent as %q, not an RFC 2047 encoded word", raw)
		}
		date, err := h.Date()
		if err != nil || date.Before(start.Add(-time.Second)) || date.After(time.Now().Add(time.Second)) {
			t.Errorf("Date %v (%v) is not the time of sending", date, err)
		}
		if m.From != "cleared@cleared.example.lu" || m.To != "officer@example.lu" {
			t.Errorf("envelope %s → %s", m.From, m.To)
		}
		if want := string(d.Body); m.Body != want { // the server's reader turns CRLF into LF
			t.Errorf("body %q, want %q", m.Body, want)
		}
		eventually(t, "the outcome is recorded", func() bool { return !e.delivery(t, d.ID).Delivered.IsZero() })
		got := e.delivery(t, d.ID)
		if got.Attempts != 1 || got.LastError != "" || !got.NextAttempt.IsZero() {
			t.Errorf("after delivery: attempts %d, last error %q, next %v", got.Attempts, got.LastError, got.NextAttempt)
		}
	})
}

// A13.1: STARTTLS is used when the server offers it, the password sent only over it; a server whose certificate
// does not verify gets nothing (no fall back to clear text); --smtp-starttls refuses a server that does not offer it.
func TestDispatcher_A13_1_smtp_starttls_and_auth(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		conf, roots := testCert(t)
		tlsSrv := newSMTPServer(t)
		tlsSrv.mu.Lock()
		tlsSrv.tls = conf
		tlsSrv.mu.Unlock()
		plain := newSMTPServer(t)
		ok, untrusted, refused := email("inc_1", "a@example.lu", "Incident", "x"), email("inc_2", "b@example.lu", "Incident", "x"),
			email("inc_3", "c@example.lu", "Incident", "x")
		_, stop := e.start(t, notify.Config{Mail: notify.SMTP{Addr: tlsSrv.Addr(), From: "cleared@example.lu",
			Username: "cleared", Password: "s3cret", TLS: &tls.Config{RootCAs: roots}}})
		e.enqueue(t, ok)
		eventually(t, "delivered over STARTTLS", func() bool { return !e.delivery(t, ok.ID).Delivered.IsZero() })
		stop()
		if m := tlsSrv.messages(); len(m) != 1 || !m[0].TLS {
			t.Errorf("received %d messages, over TLS: %v", len(m), len(m) == 1 && m[0].TLS)
		}
		tlsSrv.mu.Lock()
		a := tlsSrv.auth
		tlsSrv.mu.Unlock()
		if len(a) != 1 || a[0] != "\x00cleared\x00s3cret" {
			t.Errorf("AUTH PLAIN received %q", a)
		}

		_, stop = e.start(t, notify.Config{Mail: notify.SMTP{Addr: tlsSrv.Addr(), From: "cleared@example.lu"}})
		e.enqueue(t, untrusted)
		eventually(t, "the certificate's failure is recorded", func() bool { return e.delivery(t, untrusted.ID).Attempts >= 1 })
		stop()
		if got := e.delivery(t, untrusted.ID); !got.Delivered.IsZero() || !strings.Contains(got.LastError, "STARTTLS") || len(tlsSrv.messages()) != 1 {
			t.Errorf("untrusted certificate: delivered %v, last error %q", got.Delivered, got.LastError)
		}

		e.start(t, notify.Config{Mail: notify.SMTP{Addr: plain.Addr(), From: "cleared@example.lu", RequireTLS: true}})
		e.enqueue(t, refused)
		eventually(t, "the refusal is recorded", func() bool { return e.delivery(t, refused.ID).Attempts >= 1 })
		if got := e.delivery(t, refused.ID); !got.Delivered.IsZero() || !strings.Contains(got.LastError, "does not offer STARTTLS") || len(plain.messages()) != 0 {
			t.Errorf("STARTTLS required: delivered %v, last error %q", got.Delivered, got.LastError)
		}
	})
}

// A13.1: a webhook call is signed, with cleared's Ed25519 key or the endpoint's HMAC secret, and the receiver's
// check (VerifyWebhook) accepts it.
func TestDispatcher_A13_1_webhook_signed(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		ed, mac := newReceiver(t), newReceiver(t)
		we, _ := e.webhook(t, ed.srv.URL+"/hook", cleared.WebhookEd25519)
		wm, secret := e.webhook(t, mac.srv.URL+"/hook", cleared.WebhookHMAC)
		ed.setKey(publicKey(t, e.ring))
		mac.setKey(secret)
		e.start(t, notify.Config{})
		c1, c2 := call("inc_1", we, `{"incident":"inc_1"}`), call("inc_1", wm, `{"incident":"inc_1","n":2}`)
		e.enqueue(t, c1, c2)
		eventually(t, "both calls arrive, verified", func() bool { return len(ed.calls()) == 1 && len(mac.calls()) == 1 })
		if got := ed.calls()[0]; got.Delivery != string(c1.ID) || got.Body != string(c1.Body) {
			t.Errorf("Ed25519 call: %+v", got)
		}
		if got := mac.calls()[0]; got.Delivery != string(c2.ID) || got.Body != string(c2.Body) {
			t.Errorf("HMAC call: %+v", got)
		}
		if len(ed.bad)+len(mac.bad) > 0 {
			t.Errorf("calls refused by the receivers: %v %v", ed.bad, mac.bad)
		}
		eventually(t, "both recorded delivered", func() bool {
			return !e.delivery(t, c1.ID).Delivered.IsZero() && !e.delivery(t, c2.ID).Delivered.IsZero()
		})
	})
}

// A13.1: an unreachable mail server delays the e-mail and says so (the row's last error, attempts counted), never
// loses it: once the server is back, the retry delivers it, once.
func TestDispatcher_A13_1_smtp_down_then_up(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		srv := newSMTPServer(t)
		srv.setDown(true)
		d := email("inc_1", "nsa@example.lu", "Incident", "body")
		e.enqueue(t, d)
		e.start(t, notify.Config{Mail: notify.SMTP{Addr: srv.Addr(), From: "cleared@example.lu"}})
		eventually(t, "failures are recorded", func() bool { return e.delivery(t, d.ID).Attempts >= 2 })
		got := e.delivery(t, d.ID)
		if !got.Delivered.IsZero() || !strings.Contains(got.LastError, "421") || got.NextAttempt.IsZero() {
			t.Fatalf("while the server is down: delivered %v, last error %q, next %v", got.Delivered, got.LastError, got.NextAttempt)
		}
		srv.setDown(false)
		eventually(t, "delivered after the retry", func() bool { return !e.delivery(t, d.ID).Delivered.IsZero() })
		time.Sleep(100 * time.Millisecond)
		if n := len(srv.messages()); n != 1 {
			t.Errorf("the mail server received %d messages, want 1", n)
		}
		if got := e.delivery(t, d.ID); got.LastError != "" || got.Attempts < 3 {
			t.Errorf("after delivery: attempts %d, last error %q", got.Attempts, got.LastError)
		}
	})
}

// A13.1: a mail server that refuses connections (nothing listens) delays the e-mail with the error recorded; so
// does a server that is not configured at all.
func TestDispatcher_A13_1_smtp_unreachable_or_unconfigured(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := ln.Addr().String()
		ln.Close()
		d := email("inc_1", "nsa@example.lu", "Incident", "body")
		e.enqueue(t, d)
		_, stop := e.start(t, notify.Config{Mail: notify.SMTP{Addr: closed, From: "cleared@example.lu"}})
		eventually(t, "the refusal is recorded", func() bool { return e.delivery(t, d.ID).Attempts >= 1 })
		stop()
		if got := e.delivery(t, d.ID); !got.Delivered.IsZero() || !strings.Contains(got.LastError, "refused") {
			t.Errorf("unreachable server: delivered %v, last error %q", got.Delivered, got.LastError)
		}
		d2 := email("inc_2", "nsa@example.lu", "Incident", "body")
		e.enqueue(t, d2)
		e.start(t, notify.Config{})
		eventually(t, "the missing server is recorded", func() bool { return e.delivery(t, d2.ID).Attempts >= 1 })
		if got := e.delivery(t, d2.ID); !got.Delivered.IsZero() || !strings.Contains(got.LastError, "no mail server is configured") || got.NextAttempt.IsZero() {
			t.Errorf("no server: delivered %v, last error %q, next %v", got.Delivered, got.LastError, got.NextAttempt)
		}
	})
}

// A13.1: a receiver that answers 500 gets the call again until it answers 200.
func TestDispatcher_A13_1_webhook_500_then_200(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		r := newReceiver(t)
		r.setKey(publicKey(t, e.ring))
		var failures atomic.Int32
		r.fail = func() int {
			if failures.Add(1) <= 2 {
				return http.StatusInternalServerError
			}
			return 0
		}
		w, _ := e.webhook(t, r.srv.URL, cleared.WebhookEd25519)
		c := call("inc_1", w, `{}`)
		e.enqueue(t, c)
		e.start(t, notify.Config{})
		eventually(t, "delivered after two failures", func() bool { return !e.delivery(t, c.ID).Delivered.IsZero() })
		if got := e.delivery(t, c.ID); got.Attempts != 3 || len(r.calls()) != 1 {
			t.Errorf("attempts %d, calls accepted %d; want 3 and 1", got.Attempts, len(r.calls()))
		}
	})
}

// A13.1: a message waiting through an outage survives a restart: the next dispatcher delivers it, once.
func TestDispatcher_A13_1_restart_mid_outage(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		srv := newSMTPServer(t)
		srv.setDown(true)
		r := newReceiver(t)
		r.setKey(publicKey(t, e.ring))
		var down atomic.Bool
		down.Store(true)
		r.fail = func() int {
			if down.Load() {
				return http.StatusServiceUnavailable
			}
			return 0
		}
		w, _ := e.webhook(t, r.srv.URL, cleared.WebhookEd25519)
		m, c := email("inc_1", "officer@example.lu", "Incident", "body"), call("inc_1", w, `{}`)
		e.enqueue(t, m, c)
		mail := notify.SMTP{Addr: srv.Addr(), From: "cleared@example.lu"}
		_, stop := e.start(t, notify.Config{Mail: mail})
		eventually(t, "both fail", func() bool { return e.delivery(t, m.ID).Attempts >= 1 && e.delivery(t, c.ID).Attempts >= 1 })
		stop()
		srv.setDown(false)
		down.Store(false)
		time.Sleep(100 * time.Millisecond)
		if len(srv.messages())+len(r.calls()) != 0 {
			t.Fatal("a stopped dispatcher sent")
		}
		e.start(t, notify.Config{Mail: mail})
		eventually(t, "the new dispatcher delivers both", func() bool {
			return !e.delivery(t, m.ID).Delivered.IsZero() && !e.delivery(t, c.ID).Delivered.IsZero()
		})
		time.Sleep(100 * time.Millisecond)
		if len(srv.messages()) != 1 || len(r.calls()) != 1 {
			t.Errorf("received %d e-mails and %d calls, want 1 and 1", len(srv.messages()), len(r.calls()))
		}
	})
}

// A13.1: Wake called from many goroutines at once, while slow sends are under way, sends each message once.
func TestDispatcher_A13_1_no_double_send_under_concurrent_wake(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		r := newReceiver(t)
		r.setKey(publicKey(t, e.ring))
		r.fail = func() int { time.Sleep(10 * time.Millisecond); return 0 }
		w, _ := e.webhook(t, r.srv.URL, cleared.WebhookEd25519)
		var ds []cleared.Delivery
		for range 40 {
			ds = append(ds, call("inc_1", w, `{}`))
		}
		d, _ := e.start(t, notify.Config{Workers: 8, Poll: time.Millisecond})
		var wg sync.WaitGroup
		stopWaking := make(chan struct{})
		for range 8 {
			wg.Go(func() {
				for {
					select {
					case <-stopWaking:
						return
					default:
						d.Wake()
						time.Sleep(50 * time.Microsecond)
					}
				}
			})
		}
		e.enqueue(t, ds...)
		eventually(t, "all delivered", func() bool { return len(r.calls()) >= len(ds) })
		time.Sleep(200 * time.Millisecond)
		close(stopWaking)
		wg.Wait()
		seen := map[string]int{}
		for _, c := range r.calls() {
			seen[c.Delivery]++
		}
		for _, m := range ds {
			if seen[string(m.ID)] != 1 {
				t.Errorf("%s received %d times", m.ID, seen[string(m.ID)])
			}
		}
	})
}

// A13.1: messages written while every worker is busy are sent as soon as one is free, not at the next poll.
func TestDispatcher_A13_1_busy_workers_do_not_delay(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		r := newReceiver(t)
		r.setKey(publicKey(t, e.ring))
		r.fail = func() int { time.Sleep(20 * time.Millisecond); return 0 }
		w, _ := e.webhook(t, r.srv.URL, cleared.WebhookEd25519)
		e.start(t, notify.Config{Workers: 2, Poll: time.Hour})
		for range 10 {
			e.enqueue(t, call("inc_1", w, `{}`), call("inc_1", w, `{}`), call("inc_1", w, `{}`))
			time.Sleep(5 * time.Millisecond)
		}
		eventually(t, "all 30 delivered, with a poll of an hour", func() bool { return len(r.calls()) == 30 })
	})
}

// A13.1: an endpoint disabled after its message was written does not get it; the message stays, not delivered,
// with the reason, and is not retried.
func TestDispatcher_A13_1_disabled_endpoint_parks_the_message(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		r := newReceiver(t)
		w, _ := e.webhook(t, r.srv.URL, cleared.WebhookEd25519)
		c := call("inc_1", w, `{}`)
		e.enqueue(t, c)
		if err := e.store.Update(t.Context(), func(tx store.Tx) error { return tx.DisableWebhook(w.ID, time.Now().UTC()) }); err != nil {
			t.Fatal(err)
		}
		e.start(t, notify.Config{})
		eventually(t, "the attempt is recorded", func() bool { return e.delivery(t, c.ID).Attempts == 1 })
		time.Sleep(100 * time.Millisecond)
		got := e.delivery(t, c.ID)
		if !got.Delivered.IsZero() || !got.NextAttempt.IsZero() || got.Attempts != 1 || !strings.Contains(got.LastError, "disabled") {
			t.Errorf("delivered %v, next %v, attempts %d, last error %q", got.Delivered, got.NextAttempt, got.Attempts, got.LastError)
		}
		if len(r.calls())+len(r.bad) != 0 {
			t.Error("a disabled endpoint was called")
		}
	})
}

// Periodic jobs (the escalation of unacknowledged incidents) run while the dispatcher runs.
func TestDispatcher_periodic_jobs(t *testing.T) {
	st, err := sqlite.Open(t.Context(), t.TempDir()+"/cleared.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := newEnv(t, st)
	var runs atomic.Int32
	e.start(t, notify.Config{PeriodicEvery: 10 * time.Millisecond, Periodic: []func(context.Context) error{
		func(context.Context) error { runs.Add(1); return errors.New("logged, and run again") },
	}})
	eventually(t, "the job runs again after an error", func() bool { return runs.Load() >= 3 })
}

// The back-off doubles from Base to Max and stays there: it never gives up.
func TestBackoff_boundaries(t *testing.T) {
	b := notify.DefaultBackoff
	for _, c := range []struct {
		attempts int
		r        float64
		want     time.Duration
	}{
		{0, 0, 5 * time.Second},
		{1, 0, 5 * time.Second},
		{2, 0, 10 * time.Second},
		{3, 0, 20 * time.Second},
		{7, 0, 320 * time.Second},
		{8, 0, 10 * time.Minute}, // 640 s is over the cap
		{9, 0, 10 * time.Minute},
		{1000, 0, 10 * time.Minute},
		{1 << 40, 0, 10 * time.Minute},
		{1, 0.5, 4500 * time.Millisecond},
		{8, 0.5, 540 * time.Second},
		{1, 1, 5 * time.Second}, // out of range: no jitter
	} {
		if got := b.Delay(c.attempts, c.r); got != c.want {
			t.Errorf("Delay(%d, %v) = %v, want %v", c.attempts, c.r, got, c.want)
		}
	}
}

// A13.1, principle 9: an outbox row altered in the database (its address redirected) is never sent, and does not
// hold back the others: the dispatcher reads past it (found when one such row was said to stop all sending).
func TestDispatcher_A13_1_tampered_row_is_skipped_not_blocking(t *testing.T) {
	path := t.TempDir() + "/cleared.db"
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := newEnv(t, st)
	srv := newSMTPServer(t)
	bad := email("inc_1", "officer@example.lu", "Incident", "Un incident a été signalé.\n")
	good := email("inc_2", "nsa@example.lu", "Incident", "Un autre incident a été signalé.\n")
	bad.Created, bad.NextAttempt = bad.Created.Add(-time.Minute), bad.NextAttempt.Add(-time.Minute) // first in line
	e.enqueue(t, bad, good)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE deliveries SET address = 'attacker@example.org' WHERE id = ?`, string(bad.ID)); err != nil {
		t.Fatal(err)
	}
	e.start(t, notify.Config{Mail: notify.SMTP{Addr: srv.Addr(), From: "cleared@cleared.example.lu"}})
	eventually(t, "the untouched message is sent", func() bool { return len(srv.messages()) == 1 })
	time.Sleep(200 * time.Millisecond)
	for _, m := range srv.messages() {
		if m.To != "nsa@example.lu" {
			t.Errorf("a message went to %s", m.To)
		}
	}
}
