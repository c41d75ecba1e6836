package registry_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
)

type env struct {
	*testenv.Env
	ctx    context.Context
	svc    *registry.Service
	st     store.Store
	w      *demo.World
	clock  *testenv.Clock
	path   string
	vkey   string
	ring   *keyring.Ring
	signer string
}

// newEnv builds the demo world on a fresh SQLite database (package testenv).
func newEnv(t *testing.T) *env {
	t.Helper()
	return wrap(testenv.New(t, testenv.Options{}))
}

func wrap(e *testenv.Env) *env {
	return &env{Env: e, ctx: e.Ctx, svc: e.Reg, st: e.Store, w: e.World, clock: e.Clock, path: e.Path, vkey: e.VKey,
		ring: e.Ring, signer: e.Signer}
}

func (e *env) as(key string) cleared.Actor {
	acc := e.w.Account(key)
	return cleared.Actor{Person: acc.Person.ID, Terminal: acc.Terminal}
}

var (
	who      = testenv.Who
	wantRule = testenv.WantRule
)

func (e *env) titles(t *testing.T, a cleared.Actor) []string {
	t.Helper()
	var out []string
	var after *store.PieceCursor
	for {
		ps, next, err := e.svc.ListPieces(e.ctx, a, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			out = append(out, p.Title)
		}
		if next == nil {
			return out
		}
		after = next
	}
}

func TestListPieces(t *testing.T) {
	e := newEnv(t)
	w := e.w
	tests := []struct {
		name    string
		account string
		want    []cleared.Piece
	}{
		{"A9.1 TRES SECRET analyst sees what she was granted, dossier parts included", "sophie_zone", []cleared.Piece{w.TopSecret, w.Secret, w.Confidential, w.NATO, w.PartA, w.PartB}},
		{"A9.3 at the public kiosk nothing classified is listed", "sophie_kiosk", nil},
		{"A8.2 at the office the TRES SECRET piece is listed with its title withheld", "sophie_office", []cleared.Piece{{Title: ""}, w.Secret, w.Confidential, w.NATO, w.PartA, w.PartB}},
		{"A9.1 SECRET adviser sees his two grants", "tom", []cleared.Piece{w.Secret, w.Restricted}},
		{"A9.1 CONFIDENTIEL engineer sees her two grants", "lea", []cleared.Piece{w.Confidential, w.Restricted}},
		{"A9.1 RESTREINT contractor sees one piece", "max", []cleared.Piece{w.Restricted}},
		{"A9.1 person without clearance sees nothing", "nina", nil},
		{"A9.1 A17.1 expired clearance sees nothing", "jo", nil},
		{"A9.1 NSA officer without grants sees nothing", "helene", nil},
		{"A9.1 A14.1 minister sees the piece he classified", "minister", []cleared.Piece{w.Secret}},
		{"A9.1 security officer sees the piece she was granted", "anne", []cleared.Piece{w.TopSecret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.titles(t, e.as(tt.account))
			want := map[string]bool{}
			for _, p := range tt.want {
				want[p.Title] = true
			}
			if len(got) != len(want) {
				t.Fatalf("%s sees %d pieces %q, want %d", tt.account, len(got), got, len(want))
			}
			for _, g := range got {
				if !want[g] {
					t.Fatalf("%s sees %q, which is not his to know", tt.account, g)
				}
			}
		})
	}
	t.Run("A9.1 newest first, each once across pages", func(t *testing.T) {
		ps, _, err := e.svc.ListPieces(e.ctx, e.as("sophie_zone"), nil, 500)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(ps); i++ {
			if ps[i].Created.After(ps[i-1].Created) {
				t.Fatalf("list not newest first at %d", i)
			}
		}
	})
}

func TestReadContent(t *testing.T) {
	e := newEnv(t)
	w := e.w
	missing := cleared.NewPieceID()
	t.Run("A9.1 granted holder reads the content", func(t *testing.T) {
		p, b, err := e.svc.ReadContent(e.ctx, e.as("tom"), w.Secret.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("Note SECRET")) || p.Marking() != "SECRET LUX" {
			t.Fatalf("read %q marked %q", b, p.Marking())
		}
	})
	t.Run("A8.2 TRES SECRET in the security zone", func(t *testing.T) {
		if _, _, err := e.svc.ReadContent(e.ctx, e.as("sophie_zone"), w.TopSecret.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("A8.2 TRES SECRET outside the security zone is refused", func(t *testing.T) {
		_, b, err := e.svc.ReadContent(e.ctx, e.as("sophie_office"), w.TopSecret.ID)
		wantRule(t, err, "A8.2")
		if b != nil {
			t.Fatal("content returned with a refusal")
		}
	})
	t.Run("A8.2 the refused holder still sees the reference and marking, not the title", func(t *testing.T) {
		p, err := e.svc.Piece(e.ctx, e.as("sophie_office"), w.TopSecret.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != w.TopSecret.ID || p.Marking() != "TRES SECRET LUX" || p.Title != "" || !p.TitleWithheld {
			t.Fatalf("%+v", p)
		}
	})
	t.Run("A9.3 at the public kiosk a piece one knows is refused by its rule, not described", func(t *testing.T) {
		p, err := e.svc.Piece(e.ctx, e.as("sophie_kiosk"), w.Confidential.ID)
		wantRule(t, err, "A9.3")
		if p.Title != "" || p.ID != "" {
			t.Fatalf("a refusal carried %+v", p)
		}
	})
	t.Run("A9.3 at the public kiosk a piece one may not know is not found", func(t *testing.T) {
		if _, err := e.svc.Piece(e.ctx, e.as("sophie_kiosk"), w.Restricted.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("A9.3 public kiosk shows no classified content", func(t *testing.T) {
		_, _, err := e.svc.ReadContent(e.ctx, e.as("sophie_kiosk"), w.Confidential.ID)
		wantRule(t, err, "A9.3")
	})
	t.Run("A9.3 no terminal shows no classified content", func(t *testing.T) {
		_, _, err := e.svc.ReadContent(e.ctx, who(w.Tom, ""), w.Secret.ID)
		wantRule(t, err, "A9.3")
	})
	t.Run("A8.1 terminal accredited below the piece is refused", func(t *testing.T) {
		low, err := e.svc.RegisterTerminal(e.ctx, e.as("anne"), registry.NewTerminal{Place: w.Zone.ID, Name: "B2-WS09", AccreditedLevel: cleared.Confidential})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = e.svc.ReadContent(e.ctx, who(w.Sophie, low.ID), w.Secret.ID)
		wantRule(t, err, "A8.1")
		if _, _, err := e.svc.ReadContent(e.ctx, who(w.Sophie, low.ID), w.Confidential.ID); err != nil {
			t.Fatalf("CONFIDENTIEL on a terminal accredited CONFIDENTIEL: %v", err)
		}
	})
	t.Run("A9.1 a piece one may not know is indistinguishable from none", func(t *testing.T) {
		for _, call := range []func(cleared.PieceID) error{
			func(id cleared.PieceID) error { _, _, err := e.svc.ReadContent(e.ctx, e.as("lea"), id); return err },
			func(id cleared.PieceID) error { _, err := e.svc.Piece(e.ctx, e.as("lea"), id); return err },
		} {
			hidden, none := call(w.Secret.ID), call(missing)
			if !errors.Is(hidden, cleared.ErrNotFound) || !errors.Is(none, cleared.ErrNotFound) {
				t.Fatalf("hidden: %v; missing: %v; want both not found", hidden, none)
			}
			if strings.ReplaceAll(hidden.Error(), string(w.Secret.ID), "ID") != strings.ReplaceAll(none.Error(), string(missing), "ID") {
				t.Fatalf("messages differ: %q vs %q", hidden, none)
			}
		}
	})
	t.Run("A9.1 clearance below the piece hides it", func(t *testing.T) {
		_, _, err := e.svc.ReadContent(e.ctx, e.as("max"), w.Confidential.ID)
		if !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("got %v, want not found", err)
		}
	})
	t.Run("A9.1 A17.1 expired clearance hides everything", func(t *testing.T) {
		_, err := e.svc.Piece(e.ctx, e.as("jo"), w.TopSecret.ID)
		if !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("got %v, want not found", err)
		}
	})
	t.Run("A9.1 A4.2 dossier grant reaches the parts", func(t *testing.T) {
		_, b, err := e.svc.ReadContent(e.ctx, e.as("sophie_zone"), w.PartA.ID)
		if err != nil || !bytes.Contains(b, []byte("Chronologie")) {
			t.Fatalf("read part: %q, %v", b, err)
		}
	})
	t.Run("A9.1 grant expiry ends access", func(t *testing.T) {
		e2 := newEnv(t)
		e2.clock.Add(366 * 24 * time.Hour)
		_, err := e2.svc.Piece(e2.ctx, e2.as("tom"), e2.w.Secret.ID)
		if !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("after the grant's end: %v, want not found", err)
		}
	})
	t.Run("malformed ID is invalid, not not-found", func(t *testing.T) {
		_, err := e.svc.Piece(e.ctx, e.as("tom"), "pce_nope")
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("an unknown person is unauthenticated", func(t *testing.T) {
		_, err := e.svc.Piece(e.ctx, cleared.Actor{Person: cleared.NewPersonID()}, w.Secret.ID)
		if !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestContentAtRest(t *testing.T) {
	e := newEnv(t)
	secret := []byte("PLAINTEXT-MUST-NOT-BE-ON-DISK-" + string(cleared.NewPieceID()))
	p, err := e.svc.Classify(e.ctx, e.as("paul"), registry.NewPiece{Authority: e.w.PaulAuth.ID, Kind: cleared.Electronic, Title: "Clé de test",
		Level: cleared.Confidential, Reasons: []cleared.Reason{"a"}, ReviewOn: e.clock.Now().AddDate(1, 0, 0), Content: secret})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.Close(); err != nil { // flush the WAL into the file
		t.Fatal(err)
	}
	for _, f := range []string{e.path, e.path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, secret) {
			t.Fatalf("A24.1 content found in clear in %s", f)
		}
	}
	st, err := sqlite.Open(e.ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetSealKey(e.SealKey); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var c store.Content
	st.View(e.ctx, func(tx store.Tx) error { c, err = tx.Content(p.ID); return err })
	if err != nil || len(c.Ciphertext) < len(secret) {
		t.Fatalf("ciphertext: %d bytes, %v", len(c.Ciphertext), err)
	}
}

func TestDestroyedKey(t *testing.T) {
	// A10.1: destroying the piece's data key makes its content unreadable for good; the ciphertext stays.
	e := newEnv(t)
	id := e.w.Secret.ID
	if err := e.st.Update(e.ctx, func(tx store.Tx) error { return tx.DestroyContentKey(id) }); err != nil {
		t.Fatal(err)
	}
	_, _, err := e.svc.ReadContent(e.ctx, e.as("tom"), id)
	if !errors.Is(err, keyring.ErrKeyDestroyed) || !errors.Is(err, cleared.ErrConflict) {
		t.Fatalf("A10.1 read after key destruction: %v", err)
	}
	var c store.Content
	e.st.View(e.ctx, func(tx store.Tx) error { c, err = tx.Content(id); return err })
	if err != nil || len(c.Ciphertext) == 0 || c.WrappedKey != nil {
		t.Fatalf("A10.1 after destruction: ciphertext %d bytes, key %v, %v", len(c.Ciphertext), c.WrappedKey, err)
	}
}

// TestListPiecesAfterDossierRaised: parts of a dossier raised above the holder's clearance are hidden, and the
// pages around them show no trace: every page full, every cursor made from a piece shown (A9.1, A4.2).
func TestListPiecesAfterDossierRaised(t *testing.T) {
	e := newEnv(t)
	w := e.w
	review := e.clock.Now().AddDate(1, 0, 0)
	d, err := e.svc.CreateDossier(e.ctx, e.as("director"), registry.NewDossier{Authority: w.DirectorAuth.ID, Title: "TEMPÊTE", Level: cleared.Confidential})
	if err != nil {
		t.Fatal(err)
	}
	part := func(l cleared.Level) cleared.Piece {
		p, err := e.svc.Classify(e.ctx, e.as("director"), registry.NewPiece{Authority: w.DirectorAuth.ID, Kind: cleared.Electronic, Title: "TEMPÊTE " + l.String(),
			Level: l, Dossier: d.ID, Reasons: []cleared.Reason{"a"}, ReviewOn: review, Content: []byte("x")})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	hidden := []cleared.Piece{part(cleared.Restricted), part(cleared.Restricted)}
	if _, err := e.svc.Grant(e.ctx, e.as("director"), registry.NewGrant{PersonID: w.Lea.ID, Dossier: d.ID, Until: review, Reason: "contrat"}); err != nil {
		t.Fatal(err)
	}
	if n := len(e.titles(t, e.as("lea"))); n != 4 {
		t.Fatalf("before the raise Léa sees %d pieces, want her 2 and the 2 parts", n)
	}
	hidden = append(hidden, part(cleared.Secret)) // A4.2: the dossier becomes SECRET, above Léa's CONFIDENTIEL
	for _, limit := range []int{1, 2, 3} {
		var after *store.PieceCursor
		var seen []cleared.PieceID
		for page := 0; ; page++ {
			ps, next, err := e.svc.ListPieces(e.ctx, e.as("lea"), after, limit)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				seen = append(seen, p.ID)
			}
			if next == nil {
				break
			}
			if len(ps) != limit {
				t.Fatalf("limit %d: page %d holds %d pieces but has a next page: hidden pieces shortened it", limit, page, len(ps))
			}
			if next.ID != ps[len(ps)-1].ID {
				t.Fatalf("limit %d: the cursor names %s, not the last piece shown", limit, next.ID)
			}
			after = next
		}
		if len(seen) != 2 {
			t.Fatalf("limit %d: Léa sees %d pieces after the raise, want 2", limit, len(seen))
		}
		for _, id := range seen {
			for _, h := range hidden {
				if id == h.ID {
					t.Fatalf("limit %d: part %s of the raised dossier is listed", limit, id)
				}
			}
		}
	}
}
