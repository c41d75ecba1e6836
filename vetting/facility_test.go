package vetting_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// facility is a new CONFIDENTIEL contract of the ministry with Luxdefence, and the clearances of Léa (CONFIDENTIEL)
// and Max (RESTREINT), two of the company's staff.
type facility struct {
	*env
	contract cleared.Contract
	lea, max cleared.Clearance
}

func newFacility(t *testing.T, e *env) facility {
	t.Helper()
	w := e.World
	f := facility{env: e}
	f.contract = must(e.Vet.RecordContract(e.Ctx, e.luc, vetting.NewContract{Reference: "MAEE/MP/2026-031 — maintenance des chiffreurs",
		OrganisationID: w.Ministry.ID, Contractor: w.Company.ID, Level: cleared.Confidential}))
	f.lea, f.max = f.clearanceOf(t, w.Lea.ID), f.clearanceOf(t, w.Max.ID)
	return f
}

func (f facility) clearanceOf(t *testing.T, p cleared.PersonID) (c cleared.Clearance) {
	t.Helper()
	err := f.Store.View(f.Ctx, func(tx store.Tx) error {
		cs, err := tx.PersonClearances(p)
		if err == nil {
			c = cs[len(cs)-1]
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// lacks lists the reasons of what v lacks, each prefixed with the person's name when it is his.
func lacks(v vetting.FacilityView) string {
	var out []string
	for _, l := range v.Readiness.Lacks {
		out = append(out, l.Rule+" "+l.PersonName+" "+l.Reason)
	}
	return strings.Join(out, "; ")
}

var confidentialMeans = vetting.NewMeans{
	Places:  []cleared.MeansPlace{{Description: "Salle sécurisée, 2e sous-sol, Bettembourg", Level: cleared.Confidential, SecurityZone: true}},
	Systems: []cleared.MeansSystem{{Name: "Poste autonome de développement", Accreditation: "ANS-HOM-2026-04", Level: cleared.Restricted}},
	Storage: []cleared.MeansStorage{{Kind: cleared.StorageSafe, Description: "Coffre-fort classe B", Level: cleared.Confidential}},
}

// A15.1, A21.2: the contracting organisation's security officer opens the case of the company for its contract;
// organs and means are recorded; the readiness names who lacks what, until every organ is cleared at the case's
// level and the means are recorded; at the expiry of an organ's clearance exactly, it is no longer ready.
func TestFacilityCase_A15_1_A21_2(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		f := newFacility(t, e)
		w := e.World
		v := must(e.Vet.OpenFacilityCase(e.Ctx, e.luc, vetting.NewFacilityCase{Contract: f.contract.ID}))
		if !v.Facility() || v.PersonID != "" || v.OrganisationID != w.Company.ID || v.Level != cleared.Confidential ||
			v.Stage != cleared.StageSigned || v.CompanyName != w.Company.Name || v.Readiness.Ready {
			t.Fatalf("case %+v", v)
		}
		if got := lacks(v); !strings.Contains(got, "director") || !strings.Contains(got, "security officer") ||
			!strings.Contains(got, "running") || !strings.Contains(got, "A15.1") {
			t.Errorf("readiness of an empty case: %s", got)
		}
		id := v.ID
		d := must(e.Vet.FacilityReady(e.Ctx, id, e.Clock.Now()))
		if d.Allowed || d.Rule != "A21.2" {
			t.Errorf("an empty case is ready: %+v", d)
		}

		must(e.Vet.AddOrgan(e.Ctx, e.luc, id, vetting.NewOrgan{PersonID: w.Lea.ID, Role: cleared.OrganDirector, Clearance: f.lea.ID}))
		must(e.Vet.AddOrgan(e.Ctx, e.nsa, id, vetting.NewOrgan{PersonID: w.Lea.ID, Role: cleared.OrganContractRunner, Clearance: f.lea.ID}))
		v = must(e.Vet.AddOrgan(e.Ctx, e.luc, id, vetting.NewOrgan{PersonID: w.Max.ID, Role: cleared.OrganSecurityOfficer, Clearance: f.max.ID}))
		v = must(e.Vet.RecordMeans(e.Ctx, e.luc, id, confidentialMeans))
		if len(v.Organs) != 3 || v.Organs[0].Role != cleared.OrganDirector || !v.Organs[0].Covered || v.Organs[2].Covered ||
			v.Organs[2].Holds != cleared.Restricted || v.Organs[2].Needs != cleared.Confidential || v.Means == nil {
			t.Fatalf("organs %+v, means %+v", v.Organs, v.Means)
		}
		// A21.2: Max, the security officer, holds RESTREINT: the case names him and what he lacks.
		if len(v.Readiness.Lacks) != 1 || v.Readiness.Lacks[0].PersonName != w.Max.Name || v.Readiness.Lacks[0].Rule != "A21.2" ||
			!strings.Contains(v.Readiness.Lacks[0].Reason, "CONFIDENTIEL") {
			t.Fatalf("readiness: %s", lacks(v))
		}
		d = must(e.Vet.FacilityReady(e.Ctx, id, e.Clock.Now()))
		if d.Allowed || d.Rule != "A21.2" || !strings.Contains(d.Reason, string(w.Max.ID)) {
			t.Errorf("ready with Max uncleared: %+v", d)
		}

		// A21.2: once Max holds a CONFIDENTIEL clearance, the facility clearance may be granted.
		must(e.Reg.RecordClearance(e.Ctx, e.nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: w.Max.ID,
			Level: cleared.Confidential, Issued: e.Clock.Now().Add(-time.Hour), Reference: "ANS-PSC-2026-0901"}))
		v = must(e.Vet.FacilityCase(e.Ctx, e.luc, id))
		if !v.Readiness.Ready || len(v.Readiness.Lacks) != 0 {
			t.Fatalf("not ready: %s", lacks(v))
		}
		if d := must(e.Vet.FacilityReady(e.Ctx, id, e.Clock.Now())); !d.Allowed {
			t.Fatalf("refused: %+v", d)
		}
		// A17.1, A21.2: Léa's clearance, the first to expire, covers her until its expiry and not at it.
		expiry := f.lea.Expires
		if d := must(e.Vet.FacilityReady(e.Ctx, id, expiry.Add(-time.Nanosecond))); !d.Allowed {
			t.Errorf("just before Léa's expiry: %+v", d)
		}
		d = must(e.Vet.FacilityReady(e.Ctx, id, expiry))
		if d.Allowed || d.Rule != "A21.2" || !strings.Contains(d.Reason, string(w.Lea.ID)) {
			t.Errorf("at Léa's expiry exactly: %+v", d)
		}

		// A15.1: means below the case's level are recorded, and the case lacks them.
		low := confidentialMeans
		low.Places = []cleared.MeansPlace{{Description: "Bureau", Level: cleared.Restricted}}
		v = must(e.Vet.RecordMeans(e.Ctx, e.luc, id, low))
		if len(v.Readiness.Lacks) != 1 || v.Readiness.Lacks[0].Rule != "A15.1" {
			t.Errorf("readiness with a RESTREINT place: %s", lacks(v))
		}
		if d := must(e.Vet.FacilityReady(e.Ctx, id, e.Clock.Now())); d.Allowed || d.Rule != "A15.1" {
			t.Errorf("ready without a place at the level: %+v", d)
		}
	})
}

func TestOpenFacilityCase_A21_2(t *testing.T) {
	e := newEnv(t)
	f := newFacility(t, e)
	w := e.World
	open := func(a cleared.Actor, c cleared.ContractID) error {
		_, err := e.Vet.OpenFacilityCase(e.Ctx, a, vetting.NewFacilityCase{Contract: c})
		return err
	}
	t.Run("A21.2 another organisation's security officer does not know the contract: 404, audited", func(t *testing.T) {
		before := e.Size(t)
		wantKind(t, open(e.anne, f.contract.ID), cleared.ErrNotFound)
		if e.Size(t) != before+1 {
			t.Error("the refusal is not audited")
		}
	})
	t.Run("A21.2 a person who is no officer does not know it", func(t *testing.T) {
		wantKind(t, open(cleared.Actor{Person: w.Lea.ID}, f.contract.ID), cleared.ErrNotFound)
	})
	t.Run("A21.2 the NSA opens the case", func(t *testing.T) {
		if err := open(e.nsa, f.contract.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("A15.1 a second open case for the contract is refused", func(t *testing.T) {
		testenv.WantRule(t, open(e.luc, f.contract.ID), "A15.1")
	})
	t.Run("A21.2 the company's own security officer does not open its case, but sees and completes it", func(t *testing.T) {
		if _, err := e.Reg.DesignateOfficer(e.Ctx, e.nsa, registry.NewOfficer{OrganisationID: w.Company.ID, PersonID: w.Max.ID,
			DesignatedBy: "Conseil d'administration de Luxdefence", Since: e.Clock.Now().Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		max := cleared.Actor{Person: w.Max.ID}
		testenv.WantRule(t, open(max, f.contract.ID), "A21.2")
		var id cleared.VettingCaseID
		for _, c := range must(e.Vet.FacilityCases(e.Ctx, max, 0)) {
			if c.Contract == f.contract.ID {
				id = c.ID
			}
		}
		if id == "" {
			t.Fatal("the company's officer does not list the case of its contract")
		}
		must(e.Vet.AddOrgan(e.Ctx, max, id, vetting.NewOrgan{PersonID: w.Lea.ID, Role: cleared.OrganDirector, Clearance: f.lea.ID}))
	})
	t.Run("A15.1 a public body executing a contract has no facility clearance", func(t *testing.T) {
		ct := must(e.Vet.RecordContract(e.Ctx, e.nsa, vetting.NewContract{Reference: "SRE/2026-3", OrganisationID: w.SRE.ID,
			Contractor: w.Ministry.ID, Level: cleared.Secret}))
		testenv.WantRule(t, open(e.nsa, ct.ID), "A15.1")
	})
	t.Run("A16.1 a contract not yet in force is refused", func(t *testing.T) {
		ct := must(e.Vet.RecordContract(e.Ctx, e.luc, vetting.NewContract{Reference: "MAEE/MP/2027-001", OrganisationID: w.Ministry.ID,
			Contractor: w.Company.ID, Level: cleared.Secret, From: e.Clock.Now().AddDate(0, 1, 0)}))
		testenv.WantRule(t, open(e.luc, ct.ID), "A16.1")
	})
	t.Run("malformed contract ID is bad input", func(t *testing.T) {
		wantKind(t, open(e.luc, "ctr_x"), cleared.ErrInvalid)
	})
	t.Run("A21.2 a facility case is listed for the NSA and the contracting officer, not in the persons' cases", func(t *testing.T) {
		for _, a := range []cleared.Actor{e.nsa, e.luc} {
			cs := must(e.Vet.FacilityCases(e.Ctx, a, 0))
			if len(cs) == 0 || !cs[len(cs)-1].Facility() {
				t.Errorf("%s lists %v", a.Person, cs)
			}
			for _, c := range must(e.Vet.Cases(e.Ctx, a, vetting.CaseFilter{})) {
				if c.Facility() {
					t.Errorf("%s's vetting cases list the facility case %s", a.Person, c.ID)
				}
			}
		}
		for _, a := range []cleared.Actor{e.anne, {Person: w.Paul.ID}} {
			if cs := must(e.Vet.FacilityCases(e.Ctx, a, 0)); len(cs) != 0 {
				t.Errorf("%s lists %v", a.Person, cs)
			}
		}
	})
}

func TestFacilityOrgans_A21_2(t *testing.T) {
	e := newEnv(t)
	f := newFacility(t, e)
	w := e.World
	id := must(e.Vet.OpenFacilityCase(e.Ctx, e.luc, vetting.NewFacilityCase{Contract: f.contract.ID})).ID
	// Nina's own case, at the investigation (helper inv's stage, set through the store).
	nina := cleared.VettingCase{ID: cleared.NewVettingCaseID(), PersonID: w.Nina.ID, OrganisationID: w.Company.ID,
		Contract: f.contract.ID, Level: cleared.Confidential, Origin: cleared.OriginNational, Kind: cleared.KindInitial,
		Stage: cleared.StageInvestigation, Deadline: e.Clock.Now(), OpenedBy: w.Helene.ID, Opened: e.Clock.Now(), Updated: e.Clock.Now()}
	if err := e.Store.Update(e.Ctx, func(tx store.Tx) error {
		return tx.CreateVettingCase(nina, store.CaseKey{KEK: "test", Wrapped: []byte("wrapped")})
	}); err != nil {
		t.Fatal(err)
	}
	add := func(a cleared.Actor, in vetting.NewOrgan) (vetting.FacilityView, error) {
		return e.Vet.AddOrgan(e.Ctx, a, id, in)
	}
	t.Run("A21.2 a person running the contract vetted in her own case; she lacks a clearance until it is granted", func(t *testing.T) {
		v := must(add(e.luc, vetting.NewOrgan{PersonID: w.Nina.ID, Role: cleared.OrganContractRunner, OwnCase: nina.ID}))
		o := v.Organs[0]
		if o.OwnCaseStage != cleared.StageInvestigation || o.Covered || o.PersonName != w.Nina.Name {
			t.Errorf("organ %+v", o)
		}
		if !strings.Contains(lacks(v), w.Nina.Name+" holds no personnel clearance") {
			t.Errorf("readiness: %s", lacks(v))
		}
	})
	t.Run("A21.2 the same person twice in a role is a conflict", func(t *testing.T) {
		_, err := add(e.luc, vetting.NewOrgan{PersonID: w.Nina.ID, Role: cleared.OrganContractRunner, OwnCase: nina.ID})
		wantKind(t, err, cleared.ErrConflict)
	})
	t.Run("A21.2 the company's security officer, once", func(t *testing.T) {
		must(add(e.luc, vetting.NewOrgan{PersonID: w.Max.ID, Role: cleared.OrganSecurityOfficer, Clearance: f.max.ID}))
		_, err := add(e.luc, vetting.NewOrgan{PersonID: w.Lea.ID, Role: cleared.OrganSecurityOfficer, Clearance: f.lea.ID})
		testenv.WantRule(t, err, "A21.2")
	})
	t.Run("A21.2 another person's clearance does not cover an organ", func(t *testing.T) {
		_, err := add(e.luc, vetting.NewOrgan{PersonID: w.Max.ID, Role: cleared.OrganDirector, Clearance: f.lea.ID})
		testenv.WantRule(t, err, "A21.2")
	})
	t.Run("A21.2 another person's case does not cover an organ", func(t *testing.T) {
		_, err := add(e.luc, vetting.NewOrgan{PersonID: w.Max.ID, Role: cleared.OrganDirector, OwnCase: nina.ID})
		testenv.WantRule(t, err, "A21.2")
	})
	t.Run("A21.2 a person of another organisation is not the officer's to know: 404", func(t *testing.T) {
		_, err := add(e.luc, vetting.NewOrgan{PersonID: w.Sophie.ID, Role: cleared.OrganDirector, Clearance: f.lea.ID})
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A21.2 neither clearance nor case, or an unknown role, is bad input", func(t *testing.T) {
		_, err := add(e.luc, vetting.NewOrgan{PersonID: w.Max.ID, Role: cleared.OrganDirector})
		wantKind(t, err, cleared.ErrInvalid)
		_, err = add(e.luc, vetting.NewOrgan{PersonID: w.Max.ID, Role: "chairman", Clearance: f.max.ID})
		wantKind(t, err, cleared.ErrInvalid)
		_, err = add(e.luc, vetting.NewOrgan{PersonID: w.Max.ID, Role: cleared.OrganDirector, Clearance: cleared.NewClearanceID()})
		wantKind(t, err, cleared.ErrInvalid)
	})
	t.Run("A21.2 who does not see the case does not know it: 404", func(t *testing.T) {
		for _, a := range []cleared.Actor{e.anne, {Person: w.Lea.ID}} {
			_, err := add(a, vetting.NewOrgan{PersonID: w.Lea.ID, Role: cleared.OrganDirector, Clearance: f.lea.ID})
			wantKind(t, err, cleared.ErrNotFound)
			_, err = e.Vet.FacilityCase(e.Ctx, a, id)
			wantKind(t, err, cleared.ErrNotFound)
		}
	})
	t.Run("A21.2 a person's case is no facility case: 404", func(t *testing.T) {
		_, err := e.Vet.FacilityCase(e.Ctx, e.nsa, nina.ID)
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A21.2 an organ removed is no longer listed; removed twice, 404", func(t *testing.T) {
		v := must(e.Vet.FacilityCase(e.Ctx, e.nsa, id))
		so := v.Organs[len(v.Organs)-1]
		v = must(e.Vet.RemoveOrgan(e.Ctx, e.nsa, id, so.ID))
		if len(v.Organs) != 1 || !strings.Contains(lacks(v), "no security officer") {
			t.Errorf("after the removal: %+v; %s", v.Organs, lacks(v))
		}
		_, err := e.Vet.RemoveOrgan(e.Ctx, e.nsa, id, so.ID)
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A21.2 a decided case no longer changes", func(t *testing.T) {
		// The deciding authority's grant is helper dec's: the stage is set through the store.
		err := e.Store.Update(e.Ctx, func(tx store.Tx) error {
			c, err := tx.VettingCase(id)
			if err != nil {
				return err
			}
			c.Stage, c.Closed, c.Updated = cleared.StageGranted, e.Clock.Now(), e.Clock.Now()
			return tx.UpdateVettingCase(c)
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = add(e.luc, vetting.NewOrgan{PersonID: w.Lea.ID, Role: cleared.OrganDirector, Clearance: f.lea.ID})
		testenv.WantRule(t, err, "A21.2")
		_, err = e.Vet.RecordMeans(e.Ctx, e.luc, id, confidentialMeans)
		testenv.WantRule(t, err, "A21.2")
		must(e.Vet.FacilityCase(e.Ctx, e.luc, id))
	})
}

func TestFacilityMeans_A15_1(t *testing.T) {
	e := newEnv(t)
	f := newFacility(t, e)
	w := e.World
	id := must(e.Vet.OpenFacilityCase(e.Ctx, e.luc, vetting.NewFacilityCase{Contract: f.contract.ID})).ID
	with := func(fn func(m *vetting.NewMeans)) vetting.NewMeans {
		m := confidentialMeans
		m.Places = append([]cleared.MeansPlace(nil), m.Places...)
		m.Storage = append([]cleared.MeansStorage(nil), m.Storage...)
		m.Systems = append([]cleared.MeansSystem(nil), m.Systems...)
		fn(&m)
		return m
	}
	for name, m := range map[string]vetting.NewMeans{
		"a place without description":    with(func(m *vetting.NewMeans) { m.Places[0].Description = "" }),
		"a place without level":          with(func(m *vetting.NewMeans) { m.Places[0].Level = cleared.Unclassified }),
		"a storage in no place":          with(func(m *vetting.NewMeans) { m.Storage[0].InPlace = 1 }),
		"an unknown storage kind":        with(func(m *vetting.NewMeans) { m.Storage[0].Kind = "drawer" }),
		"a system without accreditation": with(func(m *vetting.NewMeans) { m.Systems = []cleared.MeansSystem{{Name: "PC", Level: cleared.Restricted}} }),
		"a malformed place ID":           with(func(m *vetting.NewMeans) { m.Places[0].Place = "plc_x" }),
		"a place of another organisation": with(func(m *vetting.NewMeans) {
			m.Places[0].Place = w.Zone.ID
		}),
		"a channel not in the register": with(func(m *vetting.NewMeans) { m.Systems[0].Channel = cleared.NewChannelID() }),
		"a channel above its accreditation": with(func(m *vetting.NewMeans) {
			m.Systems[0].Channel, m.Systems[0].Level = w.ConfidentialChannel.ID, cleared.Secret
		}),
		"too many places": with(func(m *vetting.NewMeans) {
			for range 51 {
				m.Places = append(m.Places, m.Places[0])
			}
		}),
	} {
		t.Run("A15.1 "+name+" is bad input, nothing stored", func(t *testing.T) {
			_, err := e.Vet.RecordMeans(e.Ctx, e.luc, id, m)
			wantKind(t, err, cleared.ErrInvalid)
			if v := must(e.Vet.FacilityCase(e.Ctx, e.luc, id)); v.Means != nil {
				t.Errorf("means stored: %+v", v.Means)
			}
		})
	}
	t.Run("A15.1 a channel of the register within its accreditation is recorded", func(t *testing.T) {
		m := with(func(m *vetting.NewMeans) { m.Systems[0].Channel = w.ConfidentialChannel.ID })
		v := must(e.Vet.RecordMeans(e.Ctx, e.luc, id, m))
		if v.Means == nil || v.Means.Systems[0].Channel != w.ConfidentialChannel.ID || v.Means.RecordedBy != w.Luc.ID {
			t.Errorf("means %+v", v.Means)
		}
	})
	t.Run("A15.1 a place of the company's in the register, within its accreditation", func(t *testing.T) {
		if _, err := e.Reg.DesignateOfficer(e.Ctx, e.nsa, registry.NewOfficer{OrganisationID: w.Company.ID, PersonID: w.Max.ID,
			DesignatedBy: "Conseil d'administration", Since: e.Clock.Now().Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		pl := must(e.Reg.RegisterPlace(e.Ctx, cleared.Actor{Person: w.Max.ID}, registry.NewPlace{OrganisationID: w.Company.ID,
			Name: "Salle B-012", AccreditedLevel: cleared.Confidential}))
		above := with(func(m *vetting.NewMeans) { m.Places[0].Place, m.Places[0].Level = pl.ID, cleared.Secret })
		_, err := e.Vet.RecordMeans(e.Ctx, e.luc, id, above)
		wantKind(t, err, cleared.ErrInvalid)
		zone := with(func(m *vetting.NewMeans) { m.Places[0].Place, m.Places[0].SecurityZone = pl.ID, true })
		_, err = e.Vet.RecordMeans(e.Ctx, e.luc, id, zone)
		wantKind(t, err, cleared.ErrInvalid)
		v := must(e.Vet.RecordMeans(e.Ctx, e.luc, id, with(func(m *vetting.NewMeans) { m.Places[0].Place, m.Places[0].SecurityZone = pl.ID, false })))
		if v.Means.Places[0].Place != pl.ID {
			t.Errorf("means %+v", v.Means)
		}
	})
	t.Run("A21.2 who does not see the case does not record its means: 404", func(t *testing.T) {
		_, err := e.Vet.RecordMeans(e.Ctx, e.anne, id, confidentialMeans)
		wantKind(t, err, cleared.ErrNotFound)
	})
}

// A21.2: the demo's facility case of Luxdefence lacks one thing: Max, its security officer, holds RESTREINT only.
func TestDemo_facility_A21_2(t *testing.T) {
	e := newEnv(t)
	w := e.World
	v := must(e.Vet.FacilityCase(e.Ctx, e.luc, w.FacilityCase.ID))
	if v.Readiness.Ready || len(v.Readiness.Lacks) != 1 || v.Readiness.Lacks[0].Person != w.Max.ID ||
		v.Readiness.Lacks[0].Role != cleared.OrganSecurityOfficer || len(v.Organs) != 3 || v.Means == nil {
		t.Errorf("demo facility case: %+v; %s", v.Organs, lacks(v))
	}
}

// A15.1, A21.2: an organ's row changed in the database (the security officer turned into an auditor) fails its seal;
// the readiness then fails closed rather than count the case without him.
func TestFacilityReadyFailsClosed_A15_1(t *testing.T) {
	e := newEnv(t)
	w := e.World
	db, err := sql.Open("sqlite", e.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE facility_organs SET role = 'auditor' WHERE case_id = ? AND role = 'security_officer'`, string(w.FacilityCase.ID)); err != nil {
		t.Fatal(err)
	}
	d := must(e.Vet.FacilityReady(e.Ctx, w.FacilityCase.ID, e.Clock.Now()))
	if d.Allowed || d.Rule != "A15.1" {
		t.Errorf("readiness with a tampered organ: %+v", d)
	}
	_, err = e.Vet.FacilityCase(e.Ctx, e.luc, w.FacilityCase.ID)
	wantKind(t, err, cleared.ErrUnavailable)
}
