package registry_test

import (
	"errors"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// TestClassifyAtTerminal: the content of an electronic piece is typed or sent from the classifier's terminal, so it
// is taken only where content at the piece's level could be read (A9.3, A8.1, A8.2); a physical piece's content
// never passes through a terminal.
func TestClassifyAtTerminal(t *testing.T) {
	e := newEnv(t)
	w := e.w
	conf, err := e.svc.RegisterTerminal(e.ctx, e.as("anne"), registry.NewTerminal{Place: w.Office.ID, Name: "314-WS03",
		AccreditedLevel: cleared.Confidential})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := e.svc.RegisterTerminal(e.ctx, e.as("anne"), registry.NewTerminal{Place: w.Zone.ID, Name: "B2-WS09",
		AccreditedLevel: cleared.TopSecret})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RevokeTerminal(e.ctx, e.as("anne"), gone.ID); err != nil {
		t.Fatal(err)
	}
	review := e.clock.Now().AddDate(2, 0, 0)
	n := 0
	electronic := func(auth cleared.ClassifyingAuthority, l cleared.Level) registry.NewPiece {
		n++
		return registry.NewPiece{Authority: auth.ID, Kind: cleared.Electronic, Title: "Saisie au poste " + string(rune('A'+n)), Level: l,
			Reasons: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: review, Content: []byte("Texte saisi au poste.\n"),
			ContentType: "text/plain; charset=utf-8"}
	}
	physical := func(l cleared.Level, place cleared.PlaceID) registry.NewPiece {
		in := electronic(w.DirectorAuth, l)
		in.Kind, in.Content, in.ContentType, in.Custodian, in.Location = cleared.Physical, nil, "", w.Anne.ID, place
		return in
	}
	nato := electronic(w.PaulAuth, cleared.Unclassified)
	nato.ForeignMarking = "NATO SECRET"

	tests := []struct {
		name string
		by   cleared.Actor
		in   registry.NewPiece
		rule string // empty: allowed
	}{
		{"A8.2 TRES SECRET content from the security zone is taken", who(w.Director, w.ZoneTerm.ID), electronic(w.DirectorAuth, cleared.TopSecret), ""},
		{"A8.1 SECRET content from a terminal accredited SECRET is taken", who(w.Director, w.OfficeTerm.ID), electronic(w.DirectorAuth, cleared.Secret), ""},
		{"A8.1 CONFIDENTIEL content from a terminal accredited CONFIDENTIEL is taken", who(w.Director, conf.ID), electronic(w.DirectorAuth, cleared.Confidential), ""},
		{"A8.2 TRES SECRET content from the office, outside the zone, is refused", who(w.Director, w.OfficeTerm.ID), electronic(w.DirectorAuth, cleared.TopSecret), "A8.2"},
		{"A8.2 TRES SECRET content from the ministry's reading room is refused, even for a minister", who(w.Minister, w.MinistryTerm.ID), electronic(w.MinisterAuth, cleared.TopSecret), "A8.2"},
		{"A8.1 SECRET content from a terminal accredited CONFIDENTIEL is refused", who(w.Director, conf.ID), electronic(w.DirectorAuth, cleared.Secret), "A8.1"},
		{"A8.1 A6.1 NATO SECRET content is SECRET LUX: refused from a terminal accredited CONFIDENTIEL", who(w.Paul, conf.ID), nato, "A8.1"},
		{"A9.3 RESTREINT content from the public kiosk is refused", who(w.Director, w.Kiosk.ID), electronic(w.DirectorAuth, cleared.Restricted), "A9.3"},
		{"A9.3 TRES SECRET content from the public kiosk is refused", who(w.Director, w.Kiosk.ID), electronic(w.DirectorAuth, cleared.TopSecret), "A9.3"},
		{"A9.3 content from no registered terminal is refused", who(w.Director, ""), electronic(w.DirectorAuth, cleared.Restricted), "A9.3"},
		{"A9.3 content from an unknown terminal is refused", who(w.Director, cleared.NewTerminalID()), electronic(w.DirectorAuth, cleared.Restricted), "A9.3"},
		{"A9.3 content from a revoked terminal is refused", who(w.Director, gone.ID), electronic(w.DirectorAuth, cleared.Restricted), "A9.3"},
		{"A5.3 the authority's clearance is decided before the terminal", who(w.Paul, w.Kiosk.ID), electronic(w.PaulAuth, cleared.TopSecret), "A5.3"},
		{"A8.2 a physical TRES SECRET piece is registered from the office: no content passes there", who(w.Director, w.OfficeTerm.ID), physical(cleared.TopSecret, w.Zone.ID), ""},
		{"A9.3 a physical piece is registered from the kiosk: no content passes there", who(w.Director, w.Kiosk.ID), physical(cleared.Secret, w.Office.ID), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			titles := len(e.titles(t, who(w.Director, w.ZoneTerm.ID))) // a list is audited too: count before measuring
			before := e.size(t)
			p, err := e.svc.Classify(e.ctx, tt.by, tt.in)
			if e.size(t) != before+1 {
				t.Fatalf("the classification appended %d audit entries, want 1", e.size(t)-before)
			}
			r := e.last(t, 1)[0]
			if r.Action != "piece.classify" || r.Actor != tt.by.Person || r.Terminal != tt.by.Terminal {
				t.Fatalf("audit entry %+v: want piece.classify by %s at %q", r.Entry, tt.by.Person, tt.by.Terminal)
			}
			if tt.rule == "" {
				if err != nil {
					t.Fatalf("want the piece classified, got %v", err)
				}
				if !r.Allowed || r.Object != string(p.ID) {
					t.Fatalf("audit entry %+v for piece %s", r.Entry, p.ID)
				}
				if tt.in.Kind == cleared.Electronic {
					if _, got, err := e.svc.ReadContent(e.ctx, tt.by, p.ID); err != nil || string(got) != string(tt.in.Content) {
						t.Fatalf("the classifier cannot read back his content where he typed it: %q, %v", got, err)
					}
				}
				return
			}
			wantRule(t, err, tt.rule)
			if f := new(cleared.ErrForbidden); errors.As(err, &f) && f.AuditSeq != r.Seq {
				t.Fatalf("the refusal names entry %d, the log's last is %d", f.AuditSeq, r.Seq)
			}
			if r.Allowed || r.Rule != tt.rule || r.Object == "" {
				t.Fatalf("audit entry %+v, want a refusal by %s naming the piece it would have been", r.Entry, tt.rule)
			}
			id := cleared.PieceID(r.Object)
			err = e.st.View(e.ctx, func(tx store.Tx) error {
				if _, err := tx.Piece(id); !errors.Is(err, cleared.ErrNotFound) {
					t.Errorf("the refused piece %s is stored: %v", id, err)
				}
				if _, err := tx.Content(id); !errors.Is(err, cleared.ErrNotFound) {
					t.Errorf("the refused piece's content is stored: %v", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(e.titles(t, who(w.Director, w.ZoneTerm.ID))); got != titles {
				t.Fatalf("a refused classification changed the pieces the director sees: %d → %d", titles, got)
			}
		})
	}
}
