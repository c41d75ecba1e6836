package registry_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

func (e *env) count(t *testing.T, key string) int {
	t.Helper()
	return len(e.titles(t, e.as(key)))
}

func TestClassify(t *testing.T) {
	e := newEnv(t)
	w := e.w
	review := e.clock.Now().AddDate(2, 0, 0)
	piece := func(auth cleared.ClassifyingAuthority, l cleared.Level, mod func(*registry.NewPiece)) registry.NewPiece {
		in := registry.NewPiece{Authority: auth.ID, Kind: cleared.Electronic, Title: "Nouvelle pièce", Level: l,
			Reasons: []cleared.Reason{"a"}, ReviewOn: review, Content: []byte("contenu")}
		if mod != nil {
			mod(&in)
		}
		return in
	}
	tests := []struct {
		name    string
		account string
		in      registry.NewPiece
		rule    string // empty: allowed
		invalid bool
	}{
		{"A5.1 A5.3 delegate classifies SECRET", "paul", piece(w.PaulAuth, cleared.Secret, nil), "", false},
		// Physical: the minister's terminal is in no security zone, where TRES SECRET content is not typed (A8.2).
		{"A5.3 member of the Government classifies TRES SECRET without clearance", "minister", piece(w.MinisterAuth, cleared.TopSecret, func(in *registry.NewPiece) {
			in.Kind, in.Content, in.Custodian, in.Location = cleared.Physical, nil, w.Anne.ID, w.Zone.ID
		}), "", false},
		{"A5.3 delegate cannot classify above his SECRET clearance", "paul", piece(w.PaulAuth, cleared.TopSecret, nil), "A5.3", false},
		{"A3.1 no reason is refused", "paul", piece(w.PaulAuth, cleared.Secret, func(in *registry.NewPiece) { in.Reasons = nil }), "A3.1", false},
		{"A3.1 reason outside Art. 3 is invalid", "paul", piece(w.PaulAuth, cleared.Secret, func(in *registry.NewPiece) { in.Reasons = []cleared.Reason{"z"} }), "", true},
		{"A3.2 no review date is refused", "paul", piece(w.PaulAuth, cleared.Secret, func(in *registry.NewPiece) { in.ReviewOn = time.Time{} }), "A3.2", false},
		{"A4.1 unclassified is refused", "paul", piece(w.PaulAuth, cleared.Unclassified, nil), "A4.1", false},
		{"A5.1 someone else's authority is refused", "tom", piece(w.PaulAuth, cleared.Restricted, nil), "A5.1", false},
		{"A5.1 an unknown authority is refused", "paul", piece(cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID()}, cleared.Restricted, nil), "A5.1", false},
		{"A6.1 NATO marking gives its national level", "paul", piece(w.PaulAuth, cleared.Unclassified, func(in *registry.NewPiece) { in.ForeignMarking = "NATO CONFIDENTIAL" }), "", false},
		{"A6.1 a level that contradicts the marking is refused", "paul", piece(w.PaulAuth, cleared.Restricted, func(in *registry.NewPiece) { in.ForeignMarking = "NATO SECRET" }), "A6.1", false},
		{"A6.1 an unknown foreign marking is refused", "paul", piece(w.PaulAuth, cleared.Unclassified, func(in *registry.NewPiece) { in.ForeignMarking = "SECRET DEFENSE" }), "A6.1", false},
		{"A5.3 A6.1 a foreign marking above the classifier's clearance is refused", "paul", piece(w.PaulAuth, cleared.Unclassified, func(in *registry.NewPiece) { in.ForeignMarking = "COSMIC TOP SECRET" }), "A5.3", false},
		{"electronic piece without content is invalid", "paul", piece(w.PaulAuth, cleared.Secret, func(in *registry.NewPiece) { in.Content = nil }), "", true},
		{"content over the limit is invalid", "paul", piece(w.PaulAuth, cleared.Secret, func(in *registry.NewPiece) { in.Content = make([]byte, registry.MaxContentSize+1) }), "", true},
		{"A8.2 physical TRES SECRET piece kept in a security zone", "director", piece(w.DirectorAuth, cleared.TopSecret, func(in *registry.NewPiece) {
			in.Kind, in.Content, in.Custodian, in.Location = cleared.Physical, nil, w.Anne.ID, w.Zone.ID
		}), "", false},
		{"A8.2 physical TRES SECRET piece outside a security zone is refused", "director", piece(w.DirectorAuth, cleared.TopSecret, func(in *registry.NewPiece) {
			in.Kind, in.Content, in.Custodian, in.Location = cleared.Physical, nil, w.Anne.ID, w.Office.ID
		}), "A8.2", false},
		{"A8.1 physical SECRET piece in a place accredited SECRET", "director", piece(w.DirectorAuth, cleared.Secret, func(in *registry.NewPiece) {
			in.Kind, in.Content, in.Custodian, in.Location = cleared.Physical, nil, w.Anne.ID, w.Office.ID
		}), "", false},
		{"A9.3 physical piece in a public place is refused", "director", piece(w.DirectorAuth, cleared.Restricted, func(in *registry.NewPiece) {
			in.Kind, in.Content, in.Custodian, in.Location = cleared.Physical, nil, w.Anne.ID, w.Lobby.ID
		}), "A9.3", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.count(t, tt.account)
			p, err := e.svc.Classify(e.ctx, e.as(tt.account), tt.in)
			after := e.count(t, tt.account)
			switch {
			case tt.invalid:
				if !errors.Is(err, cleared.ErrInvalid) {
					t.Fatalf("want invalid input, got %v", err)
				}
			case tt.rule != "":
				wantRule(t, err, tt.rule)
			default:
				if err != nil {
					t.Fatal(err)
				}
				if after != before+1 {
					t.Fatalf("the classifier sees %d pieces after, %d before: he must see his new piece", after, before)
				}
				if _, err := e.svc.Piece(e.ctx, e.as(tt.account), p.ID); err != nil {
					t.Fatalf("the classifier cannot read his piece: %v", err)
				}
				return
			}
			if after != before {
				t.Fatalf("a refused classification changed what the classifier sees: %d → %d", before, after)
			}
		})
	}
	t.Run("A8.1 physical SECRET piece in a place accredited RESTREINT is refused", func(t *testing.T) {
		pl, err := e.svc.RegisterPlace(e.ctx, e.as("anne"), registry.NewPlace{OrganisationID: w.SRE.ID, Name: "Archives", AccreditedLevel: cleared.Restricted})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Classify(e.ctx, e.as("director"), piece(w.DirectorAuth, cleared.Secret, func(in *registry.NewPiece) {
			in.Kind, in.Content, in.Custodian, in.Location = cleared.Physical, nil, w.Anne.ID, pl.ID
		}))
		wantRule(t, err, "A8.1")
	})
	t.Run("A6.1 the foreign piece keeps its marking", func(t *testing.T) {
		if got := w.NATO.Marking(); got != "NATO SECRET / SECRET LUX" || w.NATO.Level != cleared.Secret {
			t.Fatalf("marking %q level %s", got, w.NATO.Level)
		}
	})
	t.Run("A5.1 delegation that ended yesterday refuses", func(t *testing.T) {
		e2 := newEnv(t)
		e2.clock.Add(366 * 24 * time.Hour) // the demo delegation runs one year
		_, err := e2.svc.Classify(e2.ctx, e2.as("paul"), registry.NewPiece{Authority: e2.w.PaulAuth.ID, Kind: cleared.Electronic, Title: "x",
			Level: cleared.Restricted, Reasons: []cleared.Reason{"a"}, ReviewOn: e2.clock.Now().AddDate(1, 0, 0), Content: []byte("x")})
		wantRule(t, err, "A5.1")
	})
}

func TestDossier(t *testing.T) {
	e := newEnv(t)
	w := e.w
	t.Run("A4.2 the demo dossier is raised above its parts", func(t *testing.T) {
		if w.Dossier.Level != cleared.Secret || w.PartA.Level != cleared.Confidential {
			t.Fatalf("dossier %s, part %s", w.Dossier.Level, w.PartA.Level)
		}
	})
	t.Run("A4.2 a part added above its dossier raises it", func(t *testing.T) {
		d, err := e.svc.CreateDossier(e.ctx, e.as("director"), registry.NewDossier{Authority: w.DirectorAuth.ID, Title: "ORAGE", Level: cleared.Confidential})
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.svc.Classify(e.ctx, e.as("director"), registry.NewPiece{Authority: w.DirectorAuth.ID, Kind: cleared.Electronic, Title: "ORAGE annexe",
			Level: cleared.TopSecret, Dossier: d.ID, Reasons: []cleared.Reason{"a"}, ReviewOn: e.clock.Now().AddDate(1, 0, 0), Content: []byte("x")})
		if err != nil {
			t.Fatal(err)
		}
		// A SECRET holder granted the dossier by the director would now need TRES SECRET: the grant is refused.
		_, err = e.svc.Grant(e.ctx, e.as("director"), registry.NewGrant{PersonID: w.Tom.ID, Dossier: d.ID, Until: e.clock.Now().AddDate(0, 1, 0), Reason: "lecture"})
		wantRule(t, err, "A9.1")
		if p.Dossier != d.ID {
			t.Fatal("piece not in dossier")
		}
	})
	t.Run("A5.3 a dossier above the creator's clearance is refused", func(t *testing.T) {
		_, err := e.svc.CreateDossier(e.ctx, e.as("paul"), registry.NewDossier{Authority: w.PaulAuth.ID, Title: "X", Level: cleared.TopSecret})
		wantRule(t, err, "A5.3")
	})
	t.Run("A9.1 adding to a dossier one may not know is not found", func(t *testing.T) {
		_, err := e.svc.Classify(e.ctx, e.as("minister"), registry.NewPiece{Authority: w.MinisterAuth.ID, Kind: cleared.Electronic, Title: "x",
			Level: cleared.Restricted, Dossier: w.Dossier.ID, Reasons: []cleared.Reason{"b"}, ReviewOn: e.clock.Now().AddDate(1, 0, 0), Content: []byte("x")})
		if !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestGrant(t *testing.T) {
	e := newEnv(t)
	w := e.w
	until := e.clock.Now().AddDate(0, 6, 0)
	tests := []struct {
		name    string
		account string
		in      registry.NewGrant
		rule    string
		hidden  bool
	}{
		{"A9.1 originator grants a cleared holder", "paul", registry.NewGrant{PersonID: w.Tom.ID, Piece: w.Confidential.ID, Until: until, Reason: "suivi"}, "", false},
		{"A9.1 security officer of the holder grants", "anne", registry.NewGrant{PersonID: w.Director.ID, Piece: w.TopSecret.ID, Until: until, Reason: "direction"}, "", false},
		{"A9.1 A14.1 minister may be granted without clearance", "paul", registry.NewGrant{PersonID: w.Minister.ID, Piece: w.Confidential.ID, Until: until, Reason: "information"}, "", false},
		{"A9.1 grantee below the level is refused", "paul", registry.NewGrant{PersonID: w.Max.ID, Piece: w.Confidential.ID, Until: until, Reason: "x"}, "A9.1", false},
		{"A9.1 grantee without clearance is refused", "paul", registry.NewGrant{PersonID: w.Nina.ID, Piece: w.Restricted.ID, Until: until, Reason: "x"}, "A9.1", false},
		{"A9.1 holder who is neither originator nor officer cannot grant", "tom", registry.NewGrant{PersonID: w.Luc.ID, Piece: w.Secret.ID, Until: until, Reason: "x"}, "A9.1", false},
		{"A9.1 granter who may not know the piece gets not found", "lea", registry.NewGrant{PersonID: w.Tom.ID, Piece: w.Secret.ID, Until: until, Reason: "x"}, "", true},
		{"A9.1 hidden piece and unknown grantee: still not found", "lea", registry.NewGrant{PersonID: cleared.NewPersonID(), Piece: w.Secret.ID, Until: until, Reason: "x"}, "", true},
		{"A9.1 grant in the past is refused", "paul", registry.NewGrant{PersonID: w.Tom.ID, Piece: w.Confidential.ID, From: e.clock.Now().AddDate(-1, 0, 0), Until: e.clock.Now().Add(-time.Hour), Reason: "x"}, "A9.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := e.svc.Grant(e.ctx, e.as(tt.account), tt.in)
			switch {
			case tt.hidden:
				if !errors.Is(err, cleared.ErrNotFound) {
					t.Fatalf("want not found, got %v", err)
				}
			case tt.rule != "":
				wantRule(t, err, tt.rule)
			case err != nil:
				t.Fatal(err)
			default:
				if g.GrantedBy != e.as(tt.account).Person {
					t.Fatal("grant does not record its granter")
				}
			}
		})
	}
	t.Run("A9.1 the new grant opens the piece", func(t *testing.T) {
		if _, err := e.svc.Piece(e.ctx, e.as("tom"), w.Confidential.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a grant needs exactly one object", func(t *testing.T) {
		_, err := e.svc.Grant(e.ctx, e.as("paul"), registry.NewGrant{PersonID: w.Tom.ID, Piece: w.Confidential.ID, Dossier: w.Dossier.ID, Until: until, Reason: "x"})
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("got %v", err)
		}
	})
}
