package postgres_test

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store/postgres"
)

// TestNotifier_listen_and_notify: a listener on a channel receives what is sent on it; when its connection is
// killed it listens again and says that it may have missed something (""); it returns once its context ends.
func TestNotifier_listen_and_notify(t *testing.T) {
	channel := "cleared_test_" + strings.ToLower(rand.Text()[:12])
	u, err := url.Parse(serverURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", channel) // to find the listening connection and kill it
	u.RawQuery = q.Encode()
	ctx := context.Background()
	n, err := postgres.NewNotifier(ctx, u.String(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	postgres.SetKeepalive(n, 200*time.Millisecond) // the connection is pinged between notifications

	got := make(chan string, 100)
	lctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- n.Listen(lctx, channel, func(p string) { got <- p }) }()
	defer func() { stop(); <-done }()

	// LISTEN runs at some point after Listen starts: send until something arrives.
	receive := func(payload string) {
		t.Helper()
		deadline := time.After(2 * time.Second)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if err := n.Notify(ctx, channel, payload); err != nil {
				t.Fatal(err)
			}
			select {
			case p := <-got:
				if p == payload {
					return
				}
				// a copy of an earlier payload, sent before that one arrived
			case <-deadline:
				t.Fatalf("%q not received within 2 s", payload)
			case <-tick.C:
			}
		}
	}
	receive("first")
	time.Sleep(500 * time.Millisecond) // a few keepalive pings
	receive(`{"seq": 2}`)

	// The listening connection is killed: Listen connects again and calls f("").
	admin, err := admin()
	if err != nil {
		t.Fatal(err)
	}
	tag, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = $1 AND query IN ($2, '-- ping')`, channel, `LISTEN "`+channel+`"`)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("terminating the listener: %v, %d rows", err, tag.RowsAffected())
	}
	for {
		select {
		case p := <-got:
			if p != "" {
				continue // a copy sent before the connection was killed
			}
		case <-time.After(3 * time.Second):
			t.Fatal(`no call with "" within 3 s of the connection's end`)
		}
		break
	}
	receive("after")

	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Listen returned %v at the end of its context, want nil", err)
		}
		done <- nil // for the deferred wait
	case <-time.After(2 * time.Second):
		t.Fatal("Listen did not return within 2 s of its context's end")
	}
}

// TestNotifier_refuses_what_PostgreSQL_would: a payload over 7999 bytes and a channel name over 63 bytes are
// refused as invalid, before anything is sent.
func TestNotifier_refuses_what_PostgreSQL_would(t *testing.T) {
	ctx := context.Background()
	n, err := postgres.NewNotifier(ctx, serverURL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if err := n.Notify(ctx, "cleared_test", strings.Repeat("x", postgres.MaxPayload)); err != nil {
		t.Fatalf("a payload of %d bytes: %v", postgres.MaxPayload, err)
	}
	if err := n.Notify(ctx, "cleared_test", strings.Repeat("x", postgres.MaxPayload+1)); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("a payload of %d bytes: %v, want invalid", postgres.MaxPayload+1, err)
	}
	long := strings.Repeat("c", 64)
	if err := n.Notify(ctx, long, "x"); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("a channel of 64 bytes: %v, want invalid", err)
	}
	if err := n.Listen(ctx, long, func(string) {}); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("listening on a channel of 64 bytes: %v, want invalid", err)
	}
	if _, err := postgres.NewNotifier(ctx, "postgres://%zz", nil); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("a malformed URL: %v, want invalid", err)
	}
}
