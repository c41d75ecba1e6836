package registry_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
)

// TestCache: what the service keeps in memory for reads (certificate, session, subject, piece, content) never
// outlives a change. Each case reads first, so that the data are kept, then changes them and reads again.
func TestCache(t *testing.T) {
	e := newEnv(t)
	w := e.w
	read := func(a cleared.Actor, id cleared.PieceID) error {
		t.Helper()
		_, _, err := e.svc.ReadContent(e.ctx, a, id)
		return err
	}
	revokeGrant := func(t *testing.T, st store.Store, person cleared.PersonID, id cleared.PieceID) {
		t.Helper()
		err := st.Update(e.ctx, func(tx store.Tx) error {
			gs, err := tx.PieceGrants(id)
			if err != nil {
				return err
			}
			for _, g := range gs {
				if g.PersonID == person && g.Revoked.IsZero() {
					return tx.RevokeGrant(g.ID, e.clock.Now().Add(-time.Second))
				}
			}
			return errors.New("no grant to revoke")
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	t.Run("reads_keep_the_generation", func(t *testing.T) {
		time.Sleep(3 * store.GenerationLag) // the store's watch catches up with the demo's changes
		g := e.st.Generation()
		for range 5 {
			if err := read(e.as("tom"), w.Secret.ID); err != nil {
				t.Fatal(err)
			}
		}
		if h := e.st.Generation(); h != g {
			t.Fatalf("audited reads moved the generation from %d to %d: nothing would stay cached", g, h)
		}
	})
	t.Run("A9.1_a_revoked_grant_ends_access_at_once", func(t *testing.T) {
		if err := read(e.as("lea"), w.Confidential.ID); err != nil {
			t.Fatal(err)
		}
		revokeGrant(t, e.st, w.Lea.ID, w.Confidential.ID)
		if err := read(e.as("lea"), w.Confidential.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("read after the grant was revoked: %v, want not found", err)
		}
	})
	t.Run("A9.1_a_grant_revoked_by_another_process_ends_access_within_the_lag", func(t *testing.T) {
		other, err := sqlite.Open(e.ctx, e.path)
		if err != nil {
			t.Fatal(err)
		}
		if err := other.SetSealKey(e.SealKey); err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if err := read(e.as("tom"), w.Secret.ID); err != nil {
			t.Fatal(err)
		}
		revokeGrant(t, other, w.Tom.ID, w.Secret.ID)
		deadline := time.Now().Add(4 * store.GenerationLag)
		for read(e.as("tom"), w.Secret.ID) == nil {
			if time.Now().After(deadline) {
				t.Fatalf("tom still reads %s %v after another process revoked his grant", w.Secret.ID, 4*store.GenerationLag)
			}
			time.Sleep(store.GenerationLag / 10)
		}
		if err := read(e.as("tom"), w.Secret.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("read after the grant was revoked elsewhere: %v, want not found", err)
		}
	})
	t.Run("A10.1_a_destroyed_key_is_not_served_from_memory", func(t *testing.T) {
		if err := read(e.as("sophie_zone"), w.TopSecret.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.st.Update(e.ctx, func(tx store.Tx) error { return tx.DestroyContentKey(w.TopSecret.ID) }); err != nil {
			t.Fatal(err)
		}
		if err := read(e.as("sophie_zone"), w.TopSecret.ID); !errors.Is(err, keyring.ErrKeyDestroyed) {
			t.Fatalf("read after key destruction: %v, want the key destroyed", err)
		}
	})
	t.Run("a_signed_out_session_is_refused_at_once", func(t *testing.T) {
		secret := e.SignIn(t, "paul", w.OfficeTerm.ID)
		if _, _, err := e.Auth.SessionActor(e.ctx, secret, w.OfficeTerm.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.Auth.Logout(e.ctx, secret); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.Auth.SessionActor(e.ctx, secret, w.OfficeTerm.ID); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatalf("session after sign-out: %v, want unauthenticated", err)
		}
	})
	t.Run("A9.3_a_revoked_terminal's_certificate_is_refused_at_once", func(t *testing.T) {
		ca := e.newCA(t)
		_, c := e.issue(t, ca, w.ZoneTerm.ID, time.Hour)
		if _, err := e.Auth.TerminalByCertificate(e.ctx, c.Fingerprint); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RevokeTerminal(e.ctx, e.as("anne"), w.ZoneTerm.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Auth.TerminalByCertificate(e.ctx, c.Fingerprint); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatalf("certificate of a revoked terminal: %v, want unauthenticated", err)
		}
	})
	t.Run("A9.3_an_expired_certificate_is_refused_though_kept", func(t *testing.T) {
		ca := e.newCA(t)
		_, c := e.issue(t, ca, w.OfficeTerm.ID, time.Minute)
		if _, err := e.Auth.TerminalByCertificate(e.ctx, c.Fingerprint); err != nil {
			t.Fatal(err)
		}
		e.clock.Add(2 * time.Minute)
		if _, err := e.Auth.TerminalByCertificate(e.ctx, c.Fingerprint); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatalf("expired certificate: %v, want unauthenticated", err)
		}
	})
}
