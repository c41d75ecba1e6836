package web_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

type orgList struct {
	Items      []cleared.Organisation `json:"items"`
	NextCursor string                 `json:"next_cursor"`
}

func TestOrganisations_A20_1_OnlyTheNSAKeepsTheRegister(t *testing.T) {
	e := newEnv(t, nil)
	in := registry.NewOrganisation{Name: "Société fantôme S.à r.l.", Kind: cleared.Company, Country: "LU"}
	before := decodeAs[orgList](t, e.get("tom", "/api/organisations")).Items

	wantProblem(t, e.post("tom", "/api/organisations", in), http.StatusForbidden, "A20.1")

	after := decodeAs[orgList](t, e.get("tom", "/api/organisations")).Items
	if len(after) != len(before) {
		t.Errorf("%d organisations after a refusal, %d before", len(after), len(before))
	}
	for _, o := range after {
		if o.Name == in.Name {
			t.Errorf("the refused organisation was recorded: %+v", o)
		}
	}

	t.Run("A20.1 the NSA officer records it", func(t *testing.T) {
		r := e.post("helene", "/api/organisations", in)
		wantStatus(t, r, http.StatusCreated)
		o := decodeAs[cleared.Organisation](t, r)
		if loc := r.header.Get("Location"); loc != "/api/organisations/"+string(o.ID) {
			t.Fatalf("Location %q", loc)
		}
		if got := decodeAs[cleared.Organisation](t, e.get("tom", r.header.Get("Location"))); got.Name != in.Name {
			t.Errorf("read back %+v", got)
		}
	})
	t.Run("A20.1 only the NSA lists persons", func(t *testing.T) {
		wantProblem(t, e.get("tom", "/api/persons"), http.StatusForbidden, "A20.1")
		wantStatus(t, e.get("helene", "/api/persons"), http.StatusOK)
	})
}

// personFile is a person's file as the API shows it.
type personFile struct {
	Person     cleared.Person `json:"person"`
	Clearances []struct {
		Level   string `json:"level"`
		Marking string `json:"marking"`
		Status  string `json:"status"`
	} `json:"clearances"`
	Terminal cleared.TerminalID `json:"terminal"`
}

func TestMeAndPersons(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	t.Run("me: the caller's file, clearances marked, and his terminal", func(t *testing.T) {
		r := e.get("sophie_zone", "/api/me")
		wantStatus(t, r, http.StatusOK)
		f := decodeAs[personFile](t, r)
		if f.Person.ID != w.Sophie.ID || f.Terminal != w.ZoneTerm.ID {
			t.Errorf("me: person %s terminal %s, want %s at %s", f.Person.ID, f.Terminal, w.Sophie.ID, w.ZoneTerm.ID)
		}
		if len(f.Clearances) != 1 || f.Clearances[0].Level != "TOP_SECRET" || f.Clearances[0].Marking != "TRES SECRET LUX" {
			t.Errorf("clearances %+v, want one TOP_SECRET marked TRES SECRET LUX", f.Clearances)
		}
	})
	t.Run("me: a person without clearance has an empty list", func(t *testing.T) {
		r := e.get("nina", "/api/me")
		wantStatus(t, r, http.StatusOK)
		if !bytes.Contains(r.body, []byte(`"clearances":[]`)) {
			t.Errorf("nina's file %s: want \"clearances\":[]", r.body)
		}
	})
	t.Run("A23.1 another person's file is not for everyone", func(t *testing.T) {
		wantProblem(t, e.get("sophie_zone", "/api/persons/"+string(w.Tom.ID)), http.StatusNotFound, "")
		wantStatus(t, e.get("helene", "/api/persons/"+string(w.Tom.ID)), http.StatusOK)
		wantStatus(t, e.get("luc", "/api/persons/"+string(w.Tom.ID)), http.StatusOK) // his organisation's security officer
	})
}

// TestCreations exercises each POST route once: 201, a Location, the object (with its marking where it has a
// level), and the register's refusal where one applies.
func TestCreations(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	later := e.now.AddDate(1, 0, 0)

	created := func(t *testing.T, r response, prefix string) map[string]any {
		t.Helper()
		wantStatus(t, r, http.StatusCreated)
		if loc := r.header.Get("Location"); !strings.HasPrefix(loc, prefix) {
			t.Errorf("Location %q, want it under %s", loc, prefix)
		}
		return decodeAs[map[string]any](t, r)
	}

	var person cleared.PersonID
	t.Run("persons", func(t *testing.T) {
		r := e.post("helene", "/api/persons", registry.NewPerson{OrganisationID: w.Company.ID, Name: "Eva Nilles"})
		obj := created(t, r, "/api/persons/per_")
		person = cleared.PersonID(obj["id"].(string))
		wantStatus(t, e.get("helene", r.header.Get("Location")), http.StatusOK)
	})
	t.Run("clearances carry their marking", func(t *testing.T) {
		obj := created(t, e.post("helene", "/api/clearances", registry.NewClearance{HolderKind: cleared.HolderPerson,
			PersonID: person, Level: cleared.Confidential, Issued: e.now.AddDate(0, -1, 0), Reference: "ANS-PSC-TEST-1"}), "/api/clearances/clr_")
		if obj["marking"] != "CONFIDENTIEL LUX" || obj["level"] != "CONFIDENTIAL" {
			t.Errorf("clearance %v", obj)
		}
	})
	t.Run("A20.1 clearances are recorded by the NSA only", func(t *testing.T) {
		wantProblem(t, e.post("luc", "/api/clearances", registry.NewClearance{HolderKind: cleared.HolderPerson,
			PersonID: person, Level: cleared.Secret, Issued: e.now.AddDate(0, -1, 0), Reference: "X"}), http.StatusForbidden, "A20.1")
	})
	t.Run("security officers", func(t *testing.T) {
		created(t, e.post("helene", "/api/security-officers", registry.NewOfficer{OrganisationID: w.Company.ID, PersonID: person,
			DesignatedBy: "Conseil d'administration"}), "/api/persons/"+string(person))
	})
	var authority cleared.AuthorityID
	t.Run("authorities", func(t *testing.T) {
		obj := created(t, e.post("helene", "/api/authorities", registry.NewAuthority{PersonID: w.Anne.ID, Kind: cleared.AuthorityDelegate,
			Title: "Officier de sécurité délégué"}), "/api/authorities/aut_")
		authority = cleared.AuthorityID(obj["id"].(string))
		type authList struct {
			Items []cleared.ClassifyingAuthority `json:"items"`
		}
		found := false
		for _, au := range decodeAs[authList](t, e.get("tom", "/api/authorities")).Items {
			found = found || au.ID == authority
		}
		if !found {
			t.Errorf("new authority %s not listed", authority)
		}
	})
	t.Run("delegations", func(t *testing.T) {
		created(t, e.post("director", "/api/delegations", registry.NewDelegation{Delegate: authority, Principal: w.DirectorAuth.ID,
			Until: later, Reference: "Décision SRE/DIR/TEST"}), "/api/delegations/dlg_")
	})
	t.Run("A8.2 a TRES SECRET place must be a security zone", func(t *testing.T) {
		wantProblem(t, e.post("anne", "/api/places", registry.NewPlace{OrganisationID: w.SRE.ID, Name: "Couloir",
			AccreditedLevel: cleared.TopSecret}), http.StatusForbidden, "A8.2")
	})
	t.Run("A9.2 places are established by the organisation's security officer", func(t *testing.T) {
		r := e.post("luc", "/api/places", registry.NewPlace{OrganisationID: w.SRE.ID, Name: "Salle", AccreditedLevel: cleared.Secret})
		if r.status != http.StatusForbidden {
			t.Errorf("luc registering a place of the SRE: status %d, want 403; %s", r.status, r.body)
		}
	})
	t.Run("places and terminals", func(t *testing.T) {
		obj := created(t, e.post("anne", "/api/places", registry.NewPlace{OrganisationID: w.SRE.ID, Name: "Salle B3",
			AccreditedLevel: cleared.TopSecret, SecurityZone: true}), "/api/places/plc_")
		created(t, e.post("anne", "/api/terminals", registry.NewTerminal{Place: cleared.PlaceID(obj["id"].(string)), Name: "B3-WS01",
			AccreditedLevel: cleared.TopSecret}), "/api/terminals/trm_")
	})
	t.Run("channels", func(t *testing.T) {
		obj := created(t, e.post("helene", "/api/channels", registry.NewChannel{Name: "Réseau diplomatique", MaxLevel: cleared.Secret,
			CryptoProduct: "Chiffreur agréé X", Until: later}), "/api/channels/chn_")
		r := e.get("lea", "/api/channels")
		wantStatus(t, r, http.StatusOK)
		if !bytes.Contains(r.body, []byte(obj["id"].(string))) {
			t.Errorf("channel list %s lacks %v", r.body, obj["id"])
		}
	})
	t.Run("A6.1 equivalence: read, and a new version by the NSA", func(t *testing.T) {
		r := e.get("lea", "/api/equivalence")
		wantStatus(t, r, http.StatusOK)
		table := decodeAs[cleared.EquivalenceTable](t, r)
		if table.Version != 1 || table.Schemes[cleared.SchemeNATO][cleared.Secret] != "NATO SECRET" {
			t.Fatalf("table %+v", table)
		}
		next := map[string]any{"note": "Accord bilatéral FR", "schemes": map[string]map[string]string{
			"NATO": {"SECRET": "NATO SECRET"}, "FR": {"SECRET": "SECRET DEFENSE FR"}}}
		wantProblem(t, e.post("lea", "/api/equivalence", next), http.StatusForbidden, "A20.1")
		obj := created(t, e.post("helene", "/api/equivalence", next), "/api/equivalence")
		if obj["version"] != float64(2) {
			t.Errorf("new table %v, want version 2", obj)
		}
		next["version"] = 7 // the service numbers versions
		wantProblem(t, e.post("helene", "/api/equivalence", next), http.StatusBadRequest, "")
	})
	var dossier cleared.DossierID
	t.Run("dossiers carry their marking", func(t *testing.T) {
		obj := created(t, e.post("director", "/api/dossiers", registry.NewDossier{Authority: w.DirectorAuth.ID, Title: "Dossier ORAGE",
			Level: cleared.TopSecret}), "/api/dossiers/dos_")
		if obj["marking"] != "TRES SECRET LUX" {
			t.Errorf("dossier %v", obj)
		}
		dossier = cleared.DossierID(obj["id"].(string))
	})
	t.Run("A5.3 a dossier above the authority's clearance is refused", func(t *testing.T) {
		wantProblem(t, e.post("paul", "/api/dossiers", registry.NewDossier{Authority: w.PaulAuth.ID, Title: "Trop haut",
			Level: cleared.TopSecret}), http.StatusForbidden, "A5.3")
	})
	t.Run("A9.1 grants", func(t *testing.T) {
		created(t, e.post("director", "/api/grants", registry.NewGrant{PersonID: w.Anne.ID, Dossier: dossier, Until: later,
			Reason: "Officier de sécurité"}), "/api/grants/grt_")
		// A grantee without a clearance at the level gets nothing.
		r := e.post("director", "/api/grants", registry.NewGrant{PersonID: w.Luc.ID, Dossier: dossier, Until: later, Reason: "Lecture"})
		if r.status != http.StatusForbidden {
			t.Errorf("grant of a TRES SECRET dossier to a SECRET holder: status %d, want 403; %s", r.status, r.body)
		}
		// A granter who may not know the piece learns nothing of it.
		hidden := e.post("lea", "/api/grants", registry.NewGrant{PersonID: w.Max.ID, Piece: w.TopSecret.ID, Until: later, Reason: "x"})
		missing := e.post("lea", "/api/grants", registry.NewGrant{PersonID: w.Max.ID, Piece: cleared.NewPieceID(), Until: later, Reason: "x"})
		wantProblem(t, hidden, http.StatusNotFound, "")
		if !bytes.Equal(hidden.body, missing.body) {
			t.Errorf("grant on a hidden piece answers %s, on a missing one %s", hidden.body, missing.body)
		}
	})
	t.Run("registers are listed by ID", func(t *testing.T) {
		os := decodeAs[orgList](t, e.get("tom", "/api/organisations")).Items
		if !slices.IsSortedFunc(os, func(a, b cleared.Organisation) int { return strings.Compare(string(a.ID), string(b.ID)) }) {
			t.Errorf("organisations not in ID order")
		}
	})
}
