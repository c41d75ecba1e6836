package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store/sqlite"
)

// TestNewServices_AgendaHasEverySource holds the command's wiring: the agenda the server shows is assembled from
// every service's source, so a token that expires soon (package auth's source) is on its holder's agenda.
func TestNewServices_AgendaHasEverySource(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "cleared.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ring, err := keyring.New()
	if err != nil {
		t.Fatal(err)
	}
	signer, _, err := audit.NewKey("cleared.test/audit")
	if err != nil {
		t.Fatal(err)
	}
	ring.NewRegisterKey()
	s := newServices(db, ring, signer, serviceConfig{})
	if _, err := sealStore(db, ring, s.reg, serviceConfig{}); err != nil {
		t.Fatal(err)
	}
	w, err := demo.Load(ctx, s.demo(), time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	sophie := cleared.Actor{Person: w.Sophie.ID, Terminal: w.ZoneTerm.ID}
	if _, _, err := s.auth.CreateOwnToken(ctx, sophie, auth.OwnToken{Label: "script de la semaine", TTL: 10 * 24 * time.Hour,
		Scopes: []cleared.Scope{cleared.ScopeRead}}); err != nil {
		t.Fatal(err)
	}
	ag, err := s.reg.Agenda(ctx, sophie)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range ag.Items {
		if it.Kind == policy.AgendaToken && it.Token != nil && it.Token.Label == "script de la semaine" {
			return
		}
	}
	t.Fatalf("AUTH.TOKEN the agenda of the server's services lists %+v, without the token that expires in ten days", ag.Items)
}
