package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/store/postgres"
)

// liveChannel is the PostgreSQL notification channel on which the servers of one database tell each other of the
// releases they commit.
const liveChannel = "cleared_sharing"

// startLiveFeed makes the live feed span the servers of one PostgreSQL database (S1, issue 21 §4): each change of
// a release committed here is sent to them all (this one included: waking twice is harmless), and what they send
// wakes this server's subscribers. On SQLite, one server, it does nothing. stop ends the listener and closes its
// connections, before the database.
func startLiveFeed(ctx context.Context, st storage, share *sharing.Service, log *slog.Logger) (stop func(), err error) {
	if st.db == "" {
		return func() {}, nil
	}
	n, err := postgres.NewNotifier(ctx, st.db, log)
	if err != nil {
		return nil, err
	}
	share.OnChange(func(seq int64, audience []cleared.OrganisationID) {
		// The release is committed: a failure here only delays other servers' partners to their next
		// reconnection, so it is logged, never returned.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := n.Notify(ctx, liveChannel, sharing.ChangeMessage(seq, audience)); err != nil {
			log.Warn("telling the other servers of a release failed", "seq", seq, "err", err)
		}
	})
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := n.Listen(lctx, liveChannel, share.Notified); err != nil {
			log.Error("listening for the other servers' releases", "err", err)
		}
	}()
	return func() { cancel(); <-done; n.Close() }, nil
}
