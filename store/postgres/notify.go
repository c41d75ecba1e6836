package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cleared/cleared"
)

// MaxPayload is the largest payload Notify sends: PostgreSQL refuses one of 8000 bytes or more.
const MaxPayload = 7999

// Back-off between two attempts to listen again after the connection dropped.
const (
	minBackoff = time.Second
	maxBackoff = 30 * time.Second
)

// Notifier carries short messages between the servers that share one PostgreSQL database (NOTIFY and LISTEN):
// a change committed on one server wakes what waits for it on every other (the live feed of sharing, S1). A
// notification is sent only when the sender's transaction commits, and a listener that is disconnected misses
// what was sent meanwhile: Listen tells its function so after reconnecting.
type Notifier struct {
	pool *pgxpool.Pool
	name string
	log  *slog.Logger
	// keepalive is how long a listening connection stays silent before it is checked: a connection whose server
	// or network vanished without a word is otherwise waited on until TCP gives up, minutes later.
	keepalive time.Duration
}

// NewNotifier connects to the database at url (as Open) with a small pool of its own: a listening connection is
// held for as long as the server runs, and must not take one from the store's. Its warnings go to log (nil:
// slog.Default()). The caller closes it.
func NewNotifier(ctx context.Context, url string, log *slog.Logger) (*Notifier, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: notifier: %w: %w", cleared.ErrInvalid, err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	cfg.MaxConns = 4 // the listeners (one each, while they run) and the senders
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "cleared notifier"
	}
	name := describe(cfg.ConnConfig.Config)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: notifier for %s: %w: %w", name, cleared.ErrInvalid, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: notifier: connect to %s: %w: %w", name, cleared.ErrUnavailable, err)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Notifier{pool: pool, name: name, log: log, keepalive: 30 * time.Second}, nil
}

// Close closes the notifier's connections; the listeners should have returned first.
func (n *Notifier) Close() { n.pool.Close() }

// Notify sends payload on channel to every listener of the database, this process's included. A payload over
// MaxPayload bytes is refused (cleared.ErrInvalid): the sender chooses a shorter message.
func (n *Notifier) Notify(ctx context.Context, channel, payload string) error {
	if err := checkChannel(channel); err != nil {
		return err
	}
	if len(payload) > MaxPayload {
		return cleared.Invalidf("postgres: notify %s: payload of %d bytes, over %d", channel, len(payload), MaxPayload)
	}
	if _, err := n.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, channel, payload); err != nil {
		return fmt.Errorf("postgres: notify %s on %s: %w: %w", channel, n.name, cleared.ErrUnavailable, err)
	}
	return nil
}

// Listen calls f with the payload of each notification on channel, in order, from one goroutine, until ctx
// ends; it then returns nil. When its connection drops it tries again, waiting from one to thirty seconds between
// attempts and logging each failure, and once listening again it calls f("") once: something may have been sent
// meanwhile. f should return quickly: notifications wait while it runs.
func (n *Notifier) Listen(ctx context.Context, channel string, f func(payload string)) error {
	if err := checkChannel(channel); err != nil {
		return err
	}
	backoff := minBackoff
	missed := false
	for {
		conn, err := n.listen(ctx, channel)
		if err == nil {
			if missed {
				f("")
			}
			backoff = minBackoff
			err = n.receive(ctx, conn, f)
			conn.Close(context.WithoutCancel(ctx))
		}
		if ctx.Err() != nil {
			return nil
		}
		missed = true
		n.log.Warn("listening for notifications failed: trying again", "channel", channel, "database", n.name,
			"in", backoff, "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// listen takes a connection out of the pool, for good, and listens on channel with it.
func (n *Notifier) listen(ctx context.Context, channel string) (*pgx.Conn, error) {
	c, err := n.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	conn := c.Hijack()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("listen: %w", err)
	}
	return conn, nil
}

// receive hands conn's notifications to f until ctx ends or the connection fails. A connection silent for the
// keepalive interval is pinged: WaitForNotification's timeout leaves the connection usable.
func (n *Notifier) receive(ctx context.Context, conn *pgx.Conn, f func(string)) error {
	for {
		wctx, cancel := context.WithTimeout(ctx, n.keepalive)
		note, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			f(note.Payload)
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err):
			pctx, cancel := context.WithTimeout(ctx, connectTimeout)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return fmt.Errorf("keepalive: %w", err)
			}
		default:
			return fmt.Errorf("wait: %w", err)
		}
	}
}

// checkChannel refuses a channel name PostgreSQL would truncate or refuse: names are at most 63 bytes.
func checkChannel(channel string) error {
	if channel == "" || len(channel) > 63 {
		return cleared.Invalidf("postgres: notification channel %q: want 1 to 63 bytes", channel)
	}
	return nil
}
