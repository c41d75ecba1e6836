// Package notify sends what cleared's outbox holds: the e-mails and signed webhook calls that warn the security
// officer, the NSA and the originator of a security incident at once (Art. 13, A13.1). The messages are written by
// the action that causes them, in its transaction (store.Outbox, registry); a [Dispatcher] sends them after the
// commit, in parallel, retries with back-off what fails and records every outcome on the message's sealed row, so
// that an unreachable mail server or receiver delays a warning, says so (the row's last error, shown on the
// incident's page) and never loses it, not even across a restart.
//
// # Delivery guarantees
//
// A message is sent at least once. One Dispatcher never sends a message twice once it has recorded it delivered,
// and never sends one while a send of it is under way. A message sent but whose outcome could not be recorded (the
// database down at that instant, the process killed) is sent again; so is one picked up by two servers over one
// PostgreSQL at the same instant (the outbox takes no lock: the contract has no SELECT … FOR UPDATE SKIP LOCKED).
// Every copy carries the same idempotency key: the Cleared-Delivery header of a webhook call, the Message-ID of an
// e-mail. A receiver that must not act twice keeps the IDs it has seen.
//
// # Webhook signatures
//
// A call is an HTTP POST of the message's JSON body with the headers Cleared-Delivery, Cleared-Webhook,
// Cleared-Timestamp (Unix seconds) and Cleared-Signature, over the bytes "<timestamp>.<body>": Ed25519 with
// cleared's webhook key (its public key at GET /api/webhooks/key) or HMAC-SHA256 with the endpoint's secret, shown
// once at registration. [VerifyWebhook] is the receiver's check, and refuses a timestamp out of tolerance (replay).
//
// # Audit
//
// Sending is not an audited action: the action that wrote the messages is audited, with them, in its transaction;
// the dispatcher acts for no one, and an outage retried every few minutes would fill the log with attempts. The
// outcome is kept on the message's row instead (attempts, last error, time delivered), sealed with a MAC like the
// registers, so that a database administrator cannot mark a warning sent that never left.
package notify

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"github.com/cleared/cleared/keyring/webhook"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/store"
)

// Config is what a Dispatcher needs; zero values give the defaults named.
type Config struct {
	Store store.Store
	// Ring opens the endpoints' HMAC secrets and holds cleared's webhook signing key (EnsureKey).
	Ring *keyring.Ring
	Mail SMTP
	// HTTP sends the webhook calls; a client with WebhookTimeout and no redirects if nil.
	HTTP *http.Client
	// WebhookTimeout bounds one webhook call; 10 s if zero.
	WebhookTimeout time.Duration
	// Workers bounds the messages sent at once; 16 if zero.
	Workers int
	Backoff Backoff // DefaultBackoff if zero
	// Poll is how often the outbox is read even when nothing was announced (messages written by another process:
	// a command beside the server, another server); 30 s if zero.
	Poll time.Duration
	// Alarm is the number of failed attempts after which each further failure of a message is logged as an error,
	// not a warning; 5 if zero.
	Alarm int
	// Periodic are jobs run every PeriodicEvery (a minute if zero) while the dispatcher runs, e.g. the escalation of
	// unacknowledged incidents; an error is logged, and the job runs again next time.
	Periodic      []func(context.Context) error
	PeriodicEvery time.Duration
	Now           func() time.Time
	Log           *slog.Logger
}

// Dispatcher sends the outbox's due messages. Its methods are safe for concurrent use.
type Dispatcher struct {
	cfg  Config
	key  ed25519.PrivateKey
	wake chan struct{}

	mu       sync.Mutex
	inFlight map[cleared.DeliveryID]bool
	// epoch counts the passes; finished holds, for a send that ended, the epoch then current: the pass of that
	// epoch may have read the message before its outcome was recorded, and must not send it again.
	epoch    uint64
	finished map[cleared.DeliveryID]uint64
	// saturated: the last pass left due messages for want of room; the end of a send then wakes the loop once the
	// queue is down to what the workers are sending.
	saturated bool
	// workers holds a token per send under way: at most Workers at once, the others wait their turn.
	workers chan struct{}
	sends   sync.WaitGroup
}

// New returns a Dispatcher; Run starts it. It takes cleared's webhook key from the ring, making one if it holds
// none (the caller saves the ring: EnsureKey).
func New(cfg Config) (*Dispatcher, error) {
	if cfg.Store == nil {
		return nil, errors.New("notify: no store")
	}
	key, _, err := webhook.EnsureKey(cfg.Ring)
	if err != nil {
		return nil, err
	}
	if cfg.WebhookTimeout <= 0 {
		cfg.WebhookTimeout = 10 * time.Second
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: cfg.WebhookTimeout,
			// A redirect is a failure: the endpoint is the registered URL, and a signed call goes nowhere else.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.Backoff == (Backoff{}) {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 30 * time.Second
	}
	if cfg.Alarm <= 0 {
		cfg.Alarm = 5
	}
	if cfg.PeriodicEvery <= 0 {
		cfg.PeriodicEvery = time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Dispatcher{cfg: cfg, key: key, wake: make(chan struct{}, 1), inFlight: map[cleared.DeliveryID]bool{},
		finished: map[cleared.DeliveryID]uint64{}, workers: make(chan struct{}, cfg.Workers)}, nil
}

// Wake asks for a pass over the outbox now: the registry calls it after committing messages. It never blocks;
// calls made while a pass is pending make one pass.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run sends due messages until ctx ends, then waits for the sends under way (each bounded by its timeout) and
// returns. Messages not sent stay in the outbox for the next start.
func (d *Dispatcher) Run(ctx context.Context) {
	defer d.sends.Wait()
	jobs := make(chan struct{})
	go func() { defer close(jobs); d.runPeriodic(ctx) }()
	defer func() { <-jobs }()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		wait := d.pass(ctx)
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
		case <-timer.C:
		}
	}
}

// pass starts the sends of the due messages not under way, as many as free workers, and returns how long to
// sleep before the next pass unless woken: until the next message is due, at most Poll.
func (d *Dispatcher) pass(ctx context.Context) time.Duration {
	now := d.cfg.Now()
	d.mu.Lock()
	// A send that ends from now on may have recorded its outcome after the snapshot read below: this pass skips
	// it (finished[id] == epoch); one that ended before is in the snapshot.
	d.epoch++
	epoch := d.epoch
	for id, e := range d.finished {
		if e < epoch {
			delete(d.finished, id)
		}
	}
	busy := len(d.inFlight)
	d.mu.Unlock()
	var due []cleared.Delivery
	var next time.Time
	hooks := map[cleared.WebhookID]hook{}
	limit := 0
	err := d.cfg.Store.View(ctx, func(tx store.Tx) error {
		due, next = nil, time.Time{}
		clear(hooks)
		var err error
		if free := d.queue() - busy; free > 0 {
			// Ask for those under way too: they are still due in the table until their outcome is recorded.
			limit = min(busy+free, 500)
			if due, err = tx.DueDeliveries(now, limit); err != nil {
				return err
			}
		}
		for _, m := range due {
			if id := cleared.WebhookID(m.Address); m.Medium == cleared.MediumWebhook {
				if _, ok := hooks[id]; !ok {
					w, err := tx.Webhook(id)
					hooks[id] = hook{w, err}
				}
			}
		}
		if limit > 0 && len(due) == limit {
			next = now // more are due than were asked for
			return nil
		}
		next, err = tx.NextDue()
		return err
	})
	if err != nil {
		if ctx.Err() == nil {
			d.cfg.Log.Error("notify: cannot read the outbox; messages wait", "error", err)
		}
		return d.cfg.Backoff.Base
	}
	d.mu.Lock()
	// Every worker busy, or as many due as asked for: more may wait for a worker.
	d.saturated = limit == 0 || len(due) == limit
	for _, m := range due {
		if d.inFlight[m.ID] || d.finished[m.ID] == epoch {
			continue
		}
		if len(d.inFlight) >= d.queue() {
			d.saturated = true
			break
		}
		d.inFlight[m.ID] = true
		d.sends.Add(1)
		go d.send(ctx, m, hooks[cleared.WebhookID(m.Address)])
	}
	d.mu.Unlock()
	wait := d.cfg.Poll
	// A message due now is under way, or waits for a free worker: the end of a send wakes the loop.
	if !next.IsZero() && next.After(now) {
		wait = min(wait, next.Sub(now))
	}
	return wait
}

// queue is how many messages one dispatcher takes from the outbox at most, sending or waiting for a worker: a
// few rounds of work per read of the outbox, so that a burst (100 incidents at once) costs few reads.
func (d *Dispatcher) queue() int { return 4 * d.cfg.Workers }

// hook is an endpoint as read with the messages for it, or the error of reading it.
type hook struct {
	w   cleared.Webhook
	err error
}

// send tries message m once and records the outcome. h is m's endpoint for a webhook call.
func (d *Dispatcher) send(ctx context.Context, m cleared.Delivery, h hook) {
	defer d.sends.Done()
	wake := false
	defer func() {
		d.mu.Lock()
		delete(d.inFlight, m.ID)
		d.finished[m.ID] = d.epoch
		wake = wake || d.saturated && len(d.inFlight) <= d.cfg.Workers
		d.mu.Unlock()
		if wake {
			d.Wake()
		}
	}()
	// Wait for a worker, unless stopping: the message stays due for the next start.
	select {
	case d.workers <- struct{}{}:
	case <-ctx.Done():
		return
	}
	var err error
	park := false
	switch m.Medium {
	case cleared.MediumEmail:
		err = d.cfg.Mail.send(ctx, m, d.cfg.Now())
	case cleared.MediumWebhook:
		if h.err != nil {
			err = fmt.Errorf("webhook %s: %w", truncate(m.Address, 40), h.err)
			break
		}
		park, err = d.call(ctx, m, h.w)
	default:
		err = fmt.Errorf("unknown medium %q", m.Medium)
	}
	// The worker is free once the message has left: recording the outcome waits for the database's group commit,
	// which gathers the records of many sends, while the next messages leave. The message stays in flight (not
	// sent again) until its outcome is recorded.
	<-d.workers
	if ctx.Err() != nil && err != nil {
		// Stopped mid-send: the attempt does not count; the next start tries again.
		return
	}
	now := d.cfg.Now()
	m.Attempts++
	if err == nil {
		m.Delivered, m.NextAttempt, m.LastError = now.UTC(), time.Time{}, ""
	} else {
		m.LastError = truncate(now.UTC().Format(time.RFC3339)+": "+err.Error(), 500)
		if park {
			m.NextAttempt = time.Time{}
		} else {
			m.NextAttempt = now.UTC().Add(d.cfg.Backoff.Delay(m.Attempts, rand.Float64()))
		}
	}
	// Recorded even if ctx ends now: the message left, and must not be sent again at the next start.
	rec := context.WithoutCancel(ctx)
	if rerr := d.cfg.Store.Update(rec, func(tx store.Tx) error { return tx.RecordAttempt(m) }); rerr != nil {
		if errors.Is(rerr, cleared.ErrConflict) {
			// Another server recorded it delivered first (docs: at least once).
			return
		}
		d.cfg.Log.Error("notify: cannot record the outcome of a message; it will be sent again", "delivery", m.ID, "error", rerr)
		return
	}
	// A retry's time is new to the loop: it sets its timer again.
	wake = wake || err != nil
	switch {
	case err == nil:
		d.cfg.Log.Debug("notify: delivered", "delivery", m.ID, "medium", m.Medium, "cause", m.Cause, "attempts", m.Attempts)
	case park:
		d.cfg.Log.Error("notify: message not sent and not retried: its endpoint is disabled", "delivery", m.ID, "cause", m.Cause, "error", err)
	case m.Attempts >= d.cfg.Alarm:
		d.cfg.Log.Error("notify: message still not delivered; retrying", "delivery", m.ID, "medium", m.Medium, "cause", m.Cause,
			"attempts", m.Attempts, "next", m.NextAttempt, "error", err)
	default:
		d.cfg.Log.Warn("notify: message delayed; retrying", "delivery", m.ID, "medium", m.Medium, "cause", m.Cause,
			"attempts", m.Attempts, "next", m.NextAttempt, "error", err)
	}
}

// call posts the webhook message m to its endpoint, signed. park reports a failure that retrying cannot mend: the
// endpoint was disabled after the message was written, by who may (the message stays, not delivered, with that
// error, on the incident's page).
func (d *Dispatcher) call(ctx context.Context, m cleared.Delivery, w cleared.Webhook) (park bool, err error) {
	if !w.Disabled.IsZero() {
		return true, fmt.Errorf("webhook %s was disabled on %s", w.ID, w.Disabled.UTC().Format(time.RFC3339))
	}
	ts := d.cfg.Now().Unix()
	var sig string
	switch w.Scheme {
	case cleared.WebhookEd25519:
		sig = SignEd25519(d.key, ts, m.Body)
	case cleared.WebhookHMAC:
		secret, err := d.cfg.Ring.OpenValue(webhook.SecretPurpose(w.ID), w.KEK, w.Secret)
		if err != nil {
			return false, fmt.Errorf("webhook %s: its secret: %w", w.ID, err)
		}
		sig = SignHMAC(secret, ts, m.Body)
		clear(secret)
	default:
		return false, fmt.Errorf("webhook %s: unknown scheme %q", w.ID, w.Scheme)
	}
	ctx, cancel := context.WithTimeout(ctx, d.cfg.WebhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(m.Body))
	if err != nil {
		return false, fmt.Errorf("webhook %s: %w", w.ID, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "cleared-webhook/1")
	req.Header.Set(HeaderDelivery, string(m.ID))
	req.Header.Set(HeaderWebhook, string(w.ID))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, sig)
	resp, err := d.cfg.HTTP.Do(req)
	if err != nil {
		return false, fmt.Errorf("webhook %s: %w", w.ID, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return false, fmt.Errorf("webhook %s answered %s", w.ID, resp.Status)
	}
	return false, nil
}

// runPeriodic runs the periodic jobs every PeriodicEvery until ctx ends, in a loop of its own: a slow job delays
// no message.
func (d *Dispatcher) runPeriodic(ctx context.Context) {
	if len(d.cfg.Periodic) == 0 {
		return
	}
	tick := time.NewTicker(d.cfg.PeriodicEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, job := range d.cfg.Periodic {
			if err := job(ctx); err != nil && ctx.Err() == nil {
				d.cfg.Log.Error("notify: a periodic job failed; it runs again next time", "error", err)
			}
		}
	}
}
