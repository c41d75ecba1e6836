package registry_test

import (
	"database/sql"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
	"github.com/cleared/cleared/store/sqlstore"
)

// dba plays the hostile database administrator of issue 17: with the server stopped, he edits the SQLite file
// with SQL of his own (no key: the database never holds one), then the server starts again on it.
type dba struct {
	mu     sync.Mutex
	raised []string
	st     *sqlstore.Store
	svc    *registry.Service
}

// stopServer closes the env's store.
func stopServer(t *testing.T, e *env) {
	t.Helper()
	if err := e.st.Close(); err != nil {
		t.Fatal(err)
	}
}

// edit runs the administrator's statements on the stopped database through a connection of its own.
func edit(t *testing.T, e *env, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", e.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.ExecContext(e.ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// restart opens the edited database again, as the server does at start: the ring's register key, and a tamper
// hook that records what it raises.
func restart(t *testing.T, e *env) *dba {
	t.Helper()
	st, err := sqlite.Open(e.ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SetSealKey(e.SealKey); err != nil {
		t.Fatal(err)
	}
	e.SignWith(t, st)
	d := &dba{st: st}
	st.SetTamperHook(func(table, key string) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.raised = append(d.raised, table+" "+key)
	})
	d.svc = registry.New(act.New(st, slog.New(slog.DiscardHandler), nil), e.ring,
		registry.Config{Now: e.clock.Now, AuditSigner: e.signer})
	return d
}

func (d *dba) wantRaised(t *testing.T, table, key string) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if !slices.Contains(d.raised, table+" "+key) {
		t.Errorf("tamper hook raised %q, want %s %s", d.raised, table, key)
	}
}

// refused fails the test if err gives anything: a read of a piece whose register row or whose reader's rows were
// edited must be refused (not found, forbidden or unavailable), never answered.
func refused(t *testing.T, what string, content []byte, err error) {
	t.Helper()
	if err == nil || content != nil {
		t.Fatalf("%s: got %q, %v; want a refusal and no content", what, content, err)
	}
	if !errors.Is(err, cleared.ErrNotFound) && !errors.Is(err, cleared.ErrUnavailable) {
		var f *cleared.ErrForbidden
		if !errors.As(err, &f) {
			t.Fatalf("%s: %v, want not found, forbidden or unavailable", what, err)
		}
	}
}

// Issue 17's first finding: UPDATE pieces SET level = 0 on the TOP SECRET piece, then a restart, gave its plaintext
// to Nina (no clearance, no grant) and to the public kiosk.
func TestSealedRegisters_A13_1_relevelled_piece_is_refused_to_everyone(t *testing.T) {
	e := newEnv(t)
	w := e.w
	stopServer(t, e)
	edit(t, e, `UPDATE pieces SET level = 0 WHERE id = '`+string(w.TopSecret.ID)+`'`)
	d := restart(t, e)

	for _, c := range []struct {
		name  string
		actor cleared.Actor
	}{
		{"nina, no clearance and no grant", e.as("nina")},
		{"nina at the public kiosk", who(w.Nina, w.Kiosk.ID)},
		{"the director at the public kiosk", who(w.Director, w.Kiosk.ID)},
		{"the director in the security zone", who(w.Director, w.ZoneTerm.ID)},
	} {
		_, content, err := d.svc.ReadContent(e.ctx, c.actor, w.TopSecret.ID)
		refused(t, c.name+" reads the content", content, err)
		_, err = d.svc.Piece(e.ctx, c.actor, w.TopSecret.ID)
		refused(t, c.name+" reads the metadata", nil, err)
	}
	d.wantRaised(t, "pieces", string(w.TopSecret.ID))
	_, content, err := d.svc.ReadContent(e.ctx, e.as("tom"), w.Secret.ID)
	if err != nil || len(content) == 0 {
		t.Errorf("an untouched piece is no longer read by its holder: %v", err)
	}
}

// Lengthening (or restoring) a grant in the database gives no access: the grant is left out of its holder's
// grants, so A9.1 refuses.
func TestSealedRegisters_A9_1_lengthened_grant_gives_no_access(t *testing.T) {
	e := newEnv(t)
	w := e.w
	var g cleared.Grant
	err := e.st.Update(e.ctx, func(tx store.Tx) error {
		gs, err := tx.PersonGrants(w.Tom.ID, e.clock.Now())
		if err != nil {
			return err
		}
		for _, x := range gs {
			if x.Piece == w.Secret.ID {
				g = x
			}
		}
		if g.ID == "" {
			return errors.New("tom holds no grant on the SECRET piece")
		}
		return tx.RevokeGrant(g.ID, e.clock.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	stopServer(t, e)
	edit(t, e, `UPDATE grants SET revoked = NULL, valid_until = valid_until + 315360000000000000 WHERE id = '`+string(g.ID)+`'`)
	d := restart(t, e)
	_, content, err := d.svc.ReadContent(e.ctx, e.as("tom"), w.Secret.ID)
	refused(t, "tom reads the SECRET piece with his revoked grant restored", content, err)
	d.wantRaised(t, "grants", string(g.ID))
}

// Lengthening (or restoring) a clearance in the database gives no access: the clearance is left out, and without
// a valid clearance nothing classified is read (A9.1, A17.1).
func TestSealedRegisters_A17_1_lengthened_clearance_gives_no_access(t *testing.T) {
	e := newEnv(t)
	w := e.w
	var c cleared.Clearance
	err := e.st.Update(e.ctx, func(tx store.Tx) error {
		cs, err := tx.PersonClearances(w.Lea.ID)
		if err != nil || len(cs) == 0 {
			return errors.Join(err, errors.New("lea holds no clearance"))
		}
		c = cs[len(cs)-1]
		return tx.SetClearanceStatus(c.ID, cleared.ClearanceWithdrawn)
	})
	if err != nil {
		t.Fatal(err)
	}
	stopServer(t, e)
	edit(t, e, `UPDATE clearances SET status = 'active', level = 4, expires = expires + 315360000000000000 WHERE id = '`+string(c.ID)+`'`)
	d := restart(t, e)
	_, content, err := d.svc.ReadContent(e.ctx, e.as("lea"), w.Confidential.ID)
	refused(t, "lea reads the CONFIDENTIEL piece with her withdrawn clearance restored", content, err)
	_, content, err = d.svc.ReadContent(e.ctx, e.as("lea"), w.TopSecret.ID)
	refused(t, "lea reads the TOP SECRET piece with her clearance raised", content, err)
	d.wantRaised(t, "clearances", string(c.ID))
}

// A role added to a person in the database gives nothing: the person is unavailable, so every action of his fails.
func TestSealedRegisters_A20_1_added_role_gives_nothing(t *testing.T) {
	e := newEnv(t)
	w := e.w
	stopServer(t, e)
	edit(t, e, `UPDATE persons SET roles = 'nsa_officer' WHERE id = '`+string(w.Nina.ID)+`'`)
	d := restart(t, e)
	if _, err := d.svc.Persons(e.ctx, e.as("nina"), "", 10); err == nil {
		t.Fatal("nina, made NSA officer in the database, lists the register of persons")
	}
	d.wantRaised(t, "persons", string(w.Nina.ID))
}

// The caches keep only what a checked read returned (internal/facts, memo.go): a row edited while the server runs
// is not served from memory once the data generation moves (an administrator who also raises the counter, or any
// legitimate change), and a read that finds the edited row fills no cache with it.
func TestSealedRegisters_A13_1_cache_holds_only_checked_rows(t *testing.T) {
	e := newEnv(t)
	w := e.w
	d := restart(t, e) // a second server on the same file, with its hook
	tom := e.as("tom")
	for range 2 { // the second read is served from memory
		if _, _, err := d.svc.ReadContent(e.ctx, tom, w.Secret.ID); err != nil {
			t.Fatal(err)
		}
	}
	edit(t, e, `UPDATE pieces SET level = 0 WHERE id = '`+string(w.Secret.ID)+`'`,
		`UPDATE generation SET n = n + 1 WHERE id = 1`)
	deadline := time.Now().Add(4 * store.GenerationLag)
	for {
		_, content, err := d.svc.ReadContent(e.ctx, tom, w.Secret.ID)
		if err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edited piece is still served from memory: %q", content)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, a := range []cleared.Actor{tom, e.as("nina"), tom} {
		_, content, err := d.svc.ReadContent(e.ctx, a, w.Secret.ID)
		refused(t, "a read after the edit", content, err)
	}
	d.wantRaised(t, "pieces", string(w.Secret.ID))
}
