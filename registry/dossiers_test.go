package registry_test

import (
	"errors"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// A4.2, A5.2: the history of a dossier's level (opened, raised by a part, set by its authority) and its audit; a
// refused change is recorded with its rule and changes neither the level nor the history.
func TestDossierLevel_A4_2_history_and_audit(t *testing.T) {
	e := newEnv(t)
	w := e.w
	paul := e.as("paul")
	f, err := e.svc.Dossier(e.ctx, paul, w.Dossier.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Levels) != 1 || f.Levels[0].Cause != cleared.LevelCreated || f.Levels[0].To != cleared.Secret || f.Levels[0].Authority != w.PaulAuth.ID {
		t.Fatalf("the demo dossier's history %+v, want its opening at SECRET by paul's authority", f.Levels)
	}
	if len(f.Parts) != 2 || !f.MaySetLevel {
		t.Fatalf("parts %d, may set %v", len(f.Parts), f.MaySetLevel)
	}
	if last := e.Last(t, 1)[0]; last.Action != "dossier.read" || last.Object != string(w.Dossier.ID) || !last.Allowed {
		t.Errorf("the read is not recorded: %+v", last.Entry)
	}

	_, err = e.svc.SetDossierLevel(e.ctx, paul, w.Dossier.ID, registry.NewDossierLevel{Level: cleared.Restricted, Reason: "trop bas"})
	wantRule(t, err, "A4.2")
	if last := e.Last(t, 1)[0]; last.Action != "dossier.set_level" || last.Allowed || last.Rule != "A4.2" {
		t.Errorf("the refusal is not recorded: %+v", last.Entry)
	}
	if g, _ := e.svc.Dossier(e.ctx, paul, w.Dossier.ID); g.Dossier.Level != cleared.Secret || len(g.Levels) != 1 {
		t.Errorf("a refused change changed the dossier: %+v", g)
	}

	g, err := e.svc.SetDossierLevel(e.ctx, paul, w.Dossier.ID, registry.NewDossierLevel{Level: cleared.Confidential, Reason: "réexamen"})
	if err != nil {
		t.Fatal(err)
	}
	if c := g.Levels[len(g.Levels)-1]; g.Dossier.Level != cleared.Confidential || c.Cause != cleared.LevelSet || c.From != cleared.Secret ||
		c.To != cleared.Confidential || c.Reason != "réexamen" || c.By != w.Paul.ID || c.Seq != 2 {
		t.Errorf("after lowering: %+v", g)
	}

	// A piece above the dossier raises it, and the raise joins the history with the part that caused it.
	p, err := e.svc.Classify(e.ctx, paul, registry.NewPiece{Authority: w.PaulAuth.ID, Kind: cleared.Physical, Title: "BRUME : carnet",
		Level: cleared.Secret, Reasons: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: e.clock.Now().AddDate(1, 0, 0),
		Dossier: w.Dossier.ID, Custodian: w.Paul.ID, Location: w.Office.ID})
	if err != nil {
		t.Fatal(err)
	}
	h, err := e.svc.Dossier(e.ctx, paul, w.Dossier.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c := h.Levels[len(h.Levels)-1]; h.Dossier.Level != cleared.Secret || c.Cause != cleared.LevelRaised || c.Piece != p.ID ||
		c.From != cleared.Confidential || c.To != cleared.Secret || c.Seq != 3 {
		t.Errorf("after a higher part: %+v", h.Levels)
	}

	t.Run("A9.1 one who may not know the dossier learns nothing", func(t *testing.T) {
		_, err := e.svc.SetDossierLevel(e.ctx, e.as("director"), w.Dossier.ID, registry.NewDossierLevel{Level: cleared.TopSecret, Reason: "x"})
		if !errors.Is(err, cleared.ErrNotFound) {
			t.Errorf("the director, without need-to-know: %v", err)
		}
	})
	t.Run("A5.2 one who knows it but holds no authority for it", func(t *testing.T) {
		_, err := e.svc.SetDossierLevel(e.ctx, e.as("sophie_zone"), w.Dossier.ID, registry.NewDossierLevel{Level: cleared.TopSecret, Reason: "x"})
		wantRule(t, err, "A5.2")
		if f, _ := e.svc.Dossier(e.ctx, e.as("sophie_zone"), w.Dossier.ID); f.MaySetLevel {
			t.Error("the level is offered to who may not set it")
		}
	})
}
