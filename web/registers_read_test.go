package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// Issue 18 §0: "dossiers, clearances, delegations, grants and channels can be created but not read (the Location
// of each 201 points to a route that does not exist)". Every POST route that answers 201 is followed to its
// Location, which must answer 200 to its creator with the object created.
func TestRegisters_every_Location_answers(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	later := e.now.AddDate(1, 0, 0)
	follow := func(t *testing.T, key string, r response) {
		t.Helper()
		wantStatus(t, r, http.StatusCreated)
		loc := r.header.Get("Location")
		if loc == "" {
			t.Fatalf("no Location on %s", r.body)
		}
		got := e.get(key, loc)
		wantStatus(t, got, http.StatusOK)
		created := decodeAs[map[string]any](t, r)
		if id, ok := created["id"].(string); ok && !bytes.Contains(got.body, []byte(id)) {
			t.Errorf("GET %s answers %s, without the created %s", loc, got.body, id)
		}
	}
	var person cleared.PersonID
	cases := []struct {
		name, key, path string
		body            func() any
		after           func(obj map[string]any)
	}{
		{"organisations", "helene", "/api/organisations", func() any {
			return registry.NewOrganisation{Name: "Société Test", Kind: cleared.Company, Country: "LU"}
		}, nil},
		{"persons", "helene", "/api/persons", func() any { return registry.NewPerson{OrganisationID: w.Company.ID, Name: "Eva Nilles"} },
			func(o map[string]any) { person = cleared.PersonID(o["id"].(string)) }},
		{"clearances", "helene", "/api/clearances", func() any {
			return registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: person, Level: cleared.Secret,
				Issued: e.now.AddDate(0, -1, 0), Reference: "ANS-LOC-1"}
		}, nil},
		{"security-officers", "helene", "/api/security-officers", func() any {
			return registry.NewOfficer{OrganisationID: w.Company.ID, PersonID: person, DesignatedBy: "CA"}
		}, nil},
		{"authorities", "helene", "/api/authorities", func() any {
			return registry.NewAuthority{PersonID: w.Anne.ID, Kind: cleared.AuthorityDelegate, Title: "Délégué test"}
		}, nil},
		{"delegations", "director", "/api/delegations", func() any {
			return registry.NewDelegation{Delegate: w.PaulAuth.ID, Principal: w.DirectorAuth.ID, Until: later, Reference: "Décision test"}
		}, nil},
		{"places", "anne", "/api/places", func() any {
			return registry.NewPlace{OrganisationID: w.SRE.ID, Name: "Salle L", AccreditedLevel: cleared.Secret}
		}, nil},
		{"terminals", "anne", "/api/terminals", func() any {
			return registry.NewTerminal{Place: w.Zone.ID, Name: "LOC-WS", AccreditedLevel: cleared.Secret}
		}, nil},
		{"channels", "helene", "/api/channels", func() any {
			return registry.NewChannel{Name: "Réseau L", MaxLevel: cleared.Secret, CryptoProduct: "X", Until: later}
		}, nil},
		{"equivalence", "helene", "/api/equivalence", func() any {
			return map[string]any{"note": "v2", "schemes": map[string]map[string]string{"NATO": {"SECRET": "NATO SECRET"}}}
		}, nil},
		{"dossiers", "director", "/api/dossiers", func() any {
			return registry.NewDossier{Authority: w.DirectorAuth.ID, Title: "Dossier LOC", Level: cleared.Secret}
		}, nil},
		{"grants", "director", "/api/grants", func() any {
			return registry.NewGrant{PersonID: w.Anne.ID, Piece: w.TopSecret.ID, Until: later, Reason: "Lecture"}
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.post(c.key, c.path, c.body())
			follow(t, c.key, r)
			if c.after != nil {
				c.after(decodeAs[map[string]any](t, r))
			}
		})
	}
	t.Run("pieces", func(t *testing.T) {
		r := e.post("director", "/api/pieces", registry.NewPiece{Authority: w.DirectorAuth.ID, Kind: cleared.Physical, Title: "Carnet LOC",
			Level: cleared.Secret, Reasons: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: later, Custodian: w.Anne.ID, Location: w.Zone.ID})
		follow(t, "director", r)
	})
}

type dossierFile struct {
	ID      cleared.DossierID `json:"id"`
	Level   string            `json:"level"`
	Marking string            `json:"marking"`
	Parts   []cleared.Piece   `json:"parts"`
	Levels  []struct {
		Seq    int              `json:"seq"`
		Cause  string           `json:"cause"`
		From   string           `json:"from"`
		To     string           `json:"to"`
		Piece  cleared.PieceID  `json:"piece"`
		Reason string           `json:"reason"`
		By     cleared.PersonID `json:"by"`
	} `json:"levels"`
}

// Issue 18 §0: "a dossier raised by a higher part (A4.2) shows its new level nowhere". The dossier's page in the API
// has its parts and the history of its level: opened, raised by a part, set by its authority.
func TestDossier_A4_2_level_history_and_set_level(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	later := e.now.AddDate(1, 0, 0)
	r := e.post("paul", "/api/dossiers", registry.NewDossier{Authority: w.PaulAuth.ID, Title: "Dossier NUÉE", Level: cleared.Restricted})
	wantStatus(t, r, http.StatusCreated)
	id := decodeAs[dossierFile](t, r).ID
	part := e.post("paul", "/api/pieces", registry.NewPiece{Authority: w.PaulAuth.ID, Kind: cleared.Physical, Title: "NUÉE : carnet",
		Level: cleared.Confidential, Reasons: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: later, Dossier: id,
		Custodian: w.Paul.ID, Location: w.Office.ID})
	wantStatus(t, part, http.StatusCreated)
	partID := decodeAs[cleared.Piece](t, part).ID

	f := decodeAs[dossierFile](t, e.get("paul", "/api/dossiers/"+string(id)))
	if f.Level != "CONFIDENTIAL" || f.Marking != "CONFIDENTIEL LUX" {
		t.Errorf("A4.2 dossier raised by its part: level %s marking %s", f.Level, f.Marking)
	}
	if len(f.Parts) != 1 || f.Parts[0].ID != partID {
		t.Errorf("parts %+v, want the one piece", f.Parts)
	}
	if len(f.Levels) != 2 || f.Levels[0].Cause != "created" || f.Levels[0].To != "RESTRICTED" ||
		f.Levels[1].Cause != "raised" || f.Levels[1].From != "RESTRICTED" || f.Levels[1].To != "CONFIDENTIAL" || f.Levels[1].Piece != partID {
		t.Errorf("level history %+v, want created RESTRICTED then raised to CONFIDENTIAL by the part", f.Levels)
	}

	t.Run("A4.2 higher than its parts is allowed", func(t *testing.T) {
		r := e.post("paul", "/api/dossiers/"+string(id)+"/level", map[string]any{"level": "SECRET", "reason": "l'ensemble révèle la source"})
		wantStatus(t, r, http.StatusOK)
		f := decodeAs[dossierFile](t, r)
		last := f.Levels[len(f.Levels)-1]
		if f.Level != "SECRET" || last.Cause != "set" || last.From != "CONFIDENTIAL" || last.To != "SECRET" || last.Reason == "" || last.By != w.Paul.ID {
			t.Errorf("after setting SECRET: level %s, history %+v", f.Level, f.Levels)
		}
	})
	t.Run("A4.2 below its highest part is refused, audited, nothing changed", func(t *testing.T) {
		before := e.get("paul", "/api/dossiers/"+string(id)).body
		p := wantProblem(t, e.post("paul", "/api/dossiers/"+string(id)+"/level", map[string]any{"level": "RESTRICTED", "reason": "trop bas"}),
			http.StatusForbidden, "A4.2")
		if p.AuditSeq == 0 {
			t.Error("the refusal names no audit entry")
		}
		if after := e.get("paul", "/api/dossiers/"+string(id)).body; !bytes.Equal(before, after) {
			t.Errorf("the refusal changed the dossier:\n%s\n%s", before, after)
		}
	})
	t.Run("A5.2 lowering to its highest part is a downgrade by its authority", func(t *testing.T) {
		r := e.post("paul", "/api/dossiers/"+string(id)+"/level", map[string]any{"level": "CONFIDENTIAL", "reason": "réexamen"})
		wantStatus(t, r, http.StatusOK)
		if f := decodeAs[dossierFile](t, r); f.Level != "CONFIDENTIAL" || len(f.Levels) != 4 {
			t.Errorf("after lowering: %+v", f)
		}
	})
	t.Run("A5.3 above the authority's own clearance is refused", func(t *testing.T) {
		wantProblem(t, e.post("paul", "/api/dossiers/"+string(id)+"/level", map[string]any{"level": "TOP_SECRET", "reason": "x"}),
			http.StatusForbidden, "A5.3")
	})
	t.Run("A5.2 one who knows the dossier but holds no authority for it is refused", func(t *testing.T) {
		wantStatus(t, e.post("paul", "/api/grants", registry.NewGrant{PersonID: w.Sophie.ID, Dossier: id, Until: later, Reason: "analyse"}), http.StatusCreated)
		wantProblem(t, e.post("sophie_zone", "/api/dossiers/"+string(id)+"/level", map[string]any{"level": "SECRET", "reason": "x"}),
			http.StatusForbidden, "A5.2")
	})
	t.Run("A9.1 a dossier one may not know answers as a missing one", func(t *testing.T) {
		hidden := e.get("tom", "/api/dossiers/"+string(id))
		missing := e.get("tom", "/api/dossiers/"+string(cleared.NewDossierID()))
		wantProblem(t, hidden, http.StatusNotFound, "")
		if !bytes.Equal(hidden.body, missing.body) {
			t.Errorf("hidden %s, missing %s", hidden.body, missing.body)
		}
		hidden = e.post("director", "/api/dossiers/"+string(id)+"/level", map[string]any{"level": "SECRET", "reason": "x"})
		wantProblem(t, hidden, http.StatusNotFound, "")
	})
	t.Run("bad input is a sentence, nothing changed", func(t *testing.T) {
		wantProblem(t, e.post("paul", "/api/dossiers/"+string(id)+"/level", map[string]any{"level": "SECRET"}), http.StatusBadRequest, "")
		wantProblem(t, e.post("paul", "/api/dossiers/"+string(id)+"/level", map[string]any{"level": "HUSH", "reason": "x"}), http.StatusBadRequest, "")
	})
	t.Run("A9.1 the list holds the dossiers one may know", func(t *testing.T) {
		type dl struct {
			Items []dossierFile `json:"items"`
		}
		has := func(key string, d cleared.DossierID) bool {
			for _, x := range decodeAs[dl](t, e.get(key, "/api/dossiers")).Items {
				if x.ID == d {
					return true
				}
			}
			return false
		}
		if !has("paul", id) || !has("sophie_zone", w.Dossier.ID) {
			t.Error("a dossier its grantee may know is not listed")
		}
		if has("tom", id) || has("tom", w.Dossier.ID) || has("sophie_kiosk", w.Dossier.ID) {
			t.Error("a dossier is listed to one who may not know it (A9.1, A9.3)")
		}
	})
}

// Grants, clearances and delegations are read by whom the policy lets, listed likewise.
func TestRegisters_read_grants_clearances_delegations(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	type items struct {
		Items []map[string]any `json:"items"`
	}
	ids := func(key, path string) []string {
		r := e.get(key, path)
		wantStatus(t, r, http.StatusOK)
		var out []string
		for _, x := range decodeAs[items](t, r).Items {
			out = append(out, x["id"].(string))
		}
		return out
	}
	contains := func(xs []string, x string) bool {
		for _, y := range xs {
			if y == x {
				return true
			}
		}
		return false
	}
	t.Run("A9.1 grants: the grantee and the granter read them; others get not found", func(t *testing.T) {
		tomGrants := ids("tom", "/api/grants")
		// His own three: one by Paul, two by the minister (the diplomatic note, and the council note he destroyed).
		if len(tomGrants) != 3 {
			t.Fatalf("tom reads %d grants, want his own three", len(tomGrants))
		}
		byPaul, byMinister := 0, 0
		for _, g := range tomGrants {
			r := e.get("tom", "/api/grants/"+g)
			wantStatus(t, r, http.StatusOK)
			// The granter reads it; the other granter, who may not know that piece, gets not found.
			switch decodeAs[cleared.Grant](t, r).GrantedBy {
			case w.Paul.ID:
				byPaul++
				wantStatus(t, e.get("paul", "/api/grants/"+g), http.StatusOK)
				wantProblem(t, e.get("minister", "/api/grants/"+g), http.StatusNotFound, "")
			case w.Minister.ID:
				byMinister++
				wantStatus(t, e.get("minister", "/api/grants/"+g), http.StatusOK)
				wantProblem(t, e.get("paul", "/api/grants/"+g), http.StatusNotFound, "")
			}
		}
		if byPaul != 1 || byMinister != 2 {
			t.Errorf("tom's grants: %d by paul, %d by the minister", byPaul, byMinister)
		}
		mine := ids("max", "/api/grants")
		if len(mine) != 1 {
			t.Fatalf("max reads %v", mine)
		}
		hidden := e.get("nina", "/api/grants/"+mine[0])
		missing := e.get("nina", "/api/grants/"+string(cleared.NewGrantID()))
		wantProblem(t, hidden, http.StatusNotFound, "")
		if !bytes.Equal(hidden.body, missing.body) {
			t.Errorf("hidden grant %s, missing %s", hidden.body, missing.body)
		}
		if len(ids("nina", "/api/grants")) != 0 {
			t.Error("nina lists grants she may not read")
		}
	})
	t.Run("A23.1 clearances: the NSA all, the security officer his staff's, a person his own", func(t *testing.T) {
		all := ids("helene", "/api/clearances")
		tom := ids("tom", "/api/clearances")
		luc := ids("luc", "/api/clearances")
		if len(tom) != 1 || len(all) < len(luc) || len(luc) < 2 || !contains(luc, tom[0]) || !contains(all, tom[0]) {
			t.Errorf("helene %d, luc %d, tom %v", len(all), len(luc), tom)
		}
		wantStatus(t, e.get("luc", "/api/clearances/"+tom[0]), http.StatusOK)
		hidden := e.get("lea", "/api/clearances/"+tom[0])
		missing := e.get("lea", "/api/clearances/"+string(cleared.NewClearanceID()))
		wantProblem(t, hidden, http.StatusNotFound, "")
		if !bytes.Equal(hidden.body, missing.body) {
			t.Errorf("hidden clearance %s, missing %s", hidden.body, missing.body)
		}
		c := decodeAs[map[string]any](t, e.get("tom", "/api/clearances/"+tom[0]))
		if c["marking"] != "SECRET LUX" {
			t.Errorf("tom's clearance %v: want its marking", c)
		}
	})
	t.Run("A5.1 delegations: anyone signed in reads the register", func(t *testing.T) {
		ds := ids("nina", "/api/delegations")
		if !contains(ds, string(w.Delegation.ID)) {
			t.Fatalf("delegations %v lack the demo's", ds)
		}
		wantStatus(t, e.get("nina", "/api/delegations/"+string(w.Delegation.ID)), http.StatusOK)
		wantProblem(t, e.get("nina", "/api/delegations/"+string(cleared.NewDelegationID())), http.StatusNotFound, "")
	})
	t.Run("malformed IDs are a bad request", func(t *testing.T) {
		for _, p := range []string{"/api/grants/x", "/api/clearances/per_x", "/api/dossiers/grt_1", "/api/channels/1"} {
			r := e.get("tom", p)
			if r.status != http.StatusBadRequest {
				t.Errorf("GET %s: %d, want 400", p, r.status)
			}
			if strings.Contains(string(r.body), "parsing time") {
				t.Errorf("GET %s: %s", p, r.body)
			}
		}
	})
}

// Issue 18 §0: "dates given as YYYY-MM-DD are accepted where a day is meant, or refused with a sentence (not a Go
// parse error)".
func TestDates_YYYY_MM_DD_accepted_or_refused_in_a_sentence(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	day := e.now.AddDate(1, 0, 0).Format("2006-01-02")
	t.Run("a grant until a day", func(t *testing.T) {
		r := e.post("director", "/api/grants", map[string]any{"person_id": w.Anne.ID, "piece": w.TopSecret.ID, "until": day, "reason": "lecture"})
		wantStatus(t, r, http.StatusCreated)
		if g := decodeAs[cleared.Grant](t, r); g.Until.Format(time.RFC3339) != day+"T00:00:00Z" {
			t.Errorf("until %s, want %s at midnight UTC", g.Until, day)
		}
	})
	t.Run("a piece reviewed on a day", func(t *testing.T) {
		r := e.post("director", "/api/pieces", map[string]any{"authority": w.DirectorAuth.ID, "kind": "physical", "title": "Carnet daté",
			"level": "SECRET", "reasons": []string{"a"}, "review_on": day, "custodian": w.Anne.ID, "location": w.Zone.ID})
		wantStatus(t, r, http.StatusCreated)
	})
	t.Run("a clearance issued on a day, a delegation for days", func(t *testing.T) {
		wantStatus(t, e.post("helene", "/api/clearances", map[string]any{"holder_kind": "person", "person_id": w.Nina.ID,
			"level": "RESTRICTED", "issued": e.now.AddDate(0, -1, 0).Format("2006-01-02"), "reference": "ANS-DAY-1"}), http.StatusCreated)
		wantStatus(t, e.post("director", "/api/delegations", map[string]any{"delegate": w.PaulAuth.ID, "principal": w.DirectorAuth.ID,
			"from": e.now.Format("2006-01-02"), "until": day, "reference": "Décision datée"}), http.StatusCreated)
	})
	t.Run("a time in RFC 3339 still does", func(t *testing.T) {
		wantStatus(t, e.post("director", "/api/grants", map[string]any{"person_id": w.Anne.ID, "piece": w.TopSecret.ID,
			"until": e.now.AddDate(1, 0, 0).Format(time.RFC3339), "reason": "lecture"}), http.StatusCreated)
	})
	for _, bad := range []string{"2027-02-30", "31/03/2027", "demain", "2027-3-1"} {
		t.Run("refused: "+bad, func(t *testing.T) {
			p := wantProblem(t, e.post("director", "/api/grants", map[string]any{"person_id": w.Anne.ID, "piece": w.TopSecret.ID,
				"until": bad, "reason": "lecture"}), http.StatusBadRequest, "")
			if !strings.Contains(p.Detail, `field "until"`) || !strings.Contains(p.Detail, "YYYY-MM-DD") ||
				strings.Contains(p.Detail, "parsing time") || strings.Contains(p.Detail, "extra text") {
				t.Errorf("detail %q: want a sentence naming the field and the form of a day", p.Detail)
			}
		})
	}
}
