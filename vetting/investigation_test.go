package vetting_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// inquiry is a signed case of Eva (SECRET post of the SRE) and a second NSA officer, Marc, besides Helene.
type inquiry struct {
	intake
	c    cleared.VettingCase
	marc cleared.Actor
}

func newInquiry(t *testing.T) inquiry {
	in := newIntake(t)
	c := in.open(t)
	in.fill(t, c.ID)
	must(in.Vet.SignQuestionnaire(in.Ctx, in.actor, c.ID))
	v := must(in.Vet.Consent(in.Ctx, in.actor, c.ID))
	marc := in.officer(t, "Marc Weber", true)
	return inquiry{intake: in, c: v.VettingCase, marc: cleared.Actor{Person: marc.ID}}
}

// officer registers an NSA officer, cleared TRES SECRET if cleared.
func (e *env) officer(t *testing.T, name string, withClearance bool) cleared.Person {
	t.Helper()
	p := must(e.Reg.RegisterPerson(e.Ctx, e.nsa, registry.NewPerson{OrganisationID: e.World.NSA.ID, Name: name,
		Roles: []cleared.Role{cleared.RoleNSAOfficer}}))
	if withClearance {
		must(e.Reg.RecordClearance(e.Ctx, e.nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: p.ID,
			Level: cleared.TopSecret, Issued: e.Clock.Now().AddDate(-1, 0, 0), Reference: "ANS-" + name}))
	}
	return p
}

// setStage moves case id to stage through the store: the decision is the deciding authority's part (helper dec).
func (e *env) setStage(t *testing.T, id cleared.VettingCaseID, stage cleared.CaseStage) {
	t.Helper()
	err := e.Store.Update(e.Ctx, func(tx store.Tx) error {
		c, err := tx.VettingCase(id)
		if err != nil {
			return err
		}
		c.Stage, c.Updated, c.Closed = stage, e.Clock.Now().UTC().Truncate(time.Microsecond), e.Clock.Now().UTC().Truncate(time.Microsecond)
		return tx.UpdateVettingCase(c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

const (
	civil     = `{"category":"civil_status","finding":"Identité confirmée au RNPP","source":"RNPP","collected":"2026-11-02"}`
	reliable  = `{"category":"reliability_reputation","finding":"Casier judiciaire vierge","source":"bulletin n° 2","collected":"2026-11-03"}`
	solvent   = `{"category":"solvency","finding":"Aucune saisie","source":"Banque X","collected":"2026-11-03"}`
	jobNow    = `{"category":"social_professional","period":"now","from":"2015-01-01","finding":"Analyste au SRE","source":"employeur","collected":"2026-11-04"}`
	jobPast   = `{"category":"social_professional","period":"past","from":"2005-09-01","until":"2014-12-31","finding":"Officier","source":"Armée","collected":"2026-11-04"}`
	informant = `{"category":"reliability_reputation","finding":"Contacts réguliers avec un agent étranger, selon un informateur","source":"informateur R-17",` +
		`"collected":"2026-11-05","reveals_source":true,"summary":"Des contacts avec un représentant d'un État étranger ont été signalés."}`
)

func TestInvestigation_open_A15_2_A24_1(t *testing.T) {
	in := newInquiry(t)
	t.Run("A24.1 the person and his security officer may not know an investigation is opened (404)", func(t *testing.T) {
		for _, a := range []cleared.Actor{in.actor, in.anne, in.luc} {
			_, err := in.Vet.OpenInvestigation(in.Ctx, a, in.c.ID, nil)
			wantKind(t, err, cleared.ErrNotFound)
		}
	})
	t.Run("A24.1 an officer without a valid clearance is not put on the case", func(t *testing.T) {
		lapsed := in.officer(t, "Ana Lapsed", false)
		_, err := in.Vet.OpenInvestigation(in.Ctx, in.nsa, in.c.ID, []cleared.PersonID{lapsed.ID})
		testenv.WantRule(t, err, "A24.1")
		_, err = in.Vet.OpenInvestigation(in.Ctx, in.nsa, in.c.ID, []cleared.PersonID{in.eva.ID})
		testenv.WantRule(t, err, "A24.1")
	})
	t.Run("A15.2 a case at intake is not investigated", func(t *testing.T) {
		p := in.person(t, in.World.SRE.ID, "Ugo Brandt")
		c := must(in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: p.ID, Post: in.post.ID}))
		_, err := in.Vet.OpenInvestigation(in.Ctx, in.nsa, c.ID, nil)
		testenv.WantRule(t, err, "A15.2")
	})
	t.Run("A15.2 A24.1 the NSA opens it, Helene and Marc on the case", func(t *testing.T) {
		v := must(in.Vet.OpenInvestigation(in.Ctx, in.nsa, in.c.ID, []cleared.PersonID{in.marc.Person}))
		if v.Case.Stage != cleared.StageInvestigation || len(v.Officers) != 2 || len(v.Items) != 0 ||
			strings.Join(checks(v.Missing), ",") != "civil_status,reliability_reputation,solvency,social_professional_now,social_professional_past" {
			t.Errorf("investigation %+v", v)
		}
	})
	t.Run("A15.2 it is opened once", func(t *testing.T) {
		_, err := in.Vet.OpenInvestigation(in.Ctx, in.nsa, in.c.ID, nil)
		testenv.WantRule(t, err, "A15.2")
	})
}

// withSource is the item revealing a source among items (the clock of the tests stands still: items added in one
// test have the same time and come in the order of their IDs).
func withSource(items []vetting.Item) vetting.Item {
	for _, it := range items {
		if it.RevealsSource {
			return it
		}
	}
	return vetting.Item{}
}

func checks(cs []policy.Check) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func TestInvestigation_officers_A24_1(t *testing.T) {
	in := newInquiry(t)
	must(in.Vet.OpenInvestigation(in.Ctx, in.nsa, in.c.ID, nil))
	third := in.officer(t, "Tania Roth", true)
	t.Run("A24.1 an NSA officer not on the case reads nothing of it (403), and puts no one on it", func(t *testing.T) {
		_, err := in.Vet.Investigation(in.Ctx, in.marc, in.c.ID)
		testenv.WantRule(t, err, "A23.1")
		err = in.Vet.AssignOfficer(in.Ctx, in.marc, in.c.ID, in.marc.Person)
		testenv.WantRule(t, err, "A23.1")
	})
	t.Run("A24.1 the officer on the case assigns another, who then reads it", func(t *testing.T) {
		must(0, in.Vet.AssignOfficer(in.Ctx, in.nsa, in.c.ID, in.marc.Person))
		must(in.Vet.Investigation(in.Ctx, in.marc, in.c.ID))
		err := in.Vet.AssignOfficer(in.Ctx, in.nsa, in.c.ID, in.marc.Person)
		wantKind(t, err, cleared.ErrConflict)
	})
	t.Run("A24.1 one who is not an NSA officer is not assigned", func(t *testing.T) {
		err := in.Vet.AssignOfficer(in.Ctx, in.nsa, in.c.ID, in.eva.ID)
		testenv.WantRule(t, err, "A24.1")
	})
	t.Run("A24.1 an ended assignment ends the reading; the case keeps one officer", func(t *testing.T) {
		must(0, in.Vet.AssignOfficer(in.Ctx, in.marc, in.c.ID, third.ID))
		must(0, in.Vet.EndOfficer(in.Ctx, in.marc, in.c.ID, in.nsa.Person))
		_, err := in.Vet.Investigation(in.Ctx, in.nsa, in.c.ID)
		testenv.WantRule(t, err, "A23.1")
		must(0, in.Vet.EndOfficer(in.Ctx, in.marc, in.c.ID, third.ID))
		err = in.Vet.EndOfficer(in.Ctx, in.marc, in.c.ID, in.marc.Person)
		testenv.WantRule(t, err, "A24.1")
		v := must(in.Vet.Investigation(in.Ctx, in.marc, in.c.ID))
		ended := 0
		for _, o := range v.Officers {
			if !o.Ended.IsZero() {
				ended++
			}
		}
		if len(v.Officers) != 3 || ended != 2 {
			t.Errorf("A24.1: %d assignments, want 3 with the ended ones", len(v.Officers))
		}
	})
}

func TestInvestigation_items_A21_1_A24_1(t *testing.T) {
	in := newInquiry(t)
	must(in.Vet.OpenInvestigation(in.Ctx, in.nsa, in.c.ID, nil))
	t.Run("A21.1 items of the law's categories are added, sealed, and the checklist shrinks", func(t *testing.T) {
		for _, it := range []string{civil, reliable, informant} {
			must(in.Vet.AddItem(in.Ctx, in.nsa, in.c.ID, []byte(it)))
		}
		v := must(in.Vet.Investigation(in.Ctx, in.nsa, in.c.ID))
		if len(v.Items) != 3 || withSource(v.Items).Summary == "" || strings.Join(checks(v.Missing), ",") != "solvency,social_professional_now,social_professional_past" {
			t.Errorf("investigation %+v", v)
		}
	})
	t.Run("A21.1 data outside the law's categories, unknown fields, dates out of order: 400, nothing stored", func(t *testing.T) {
		before := in.Size(t)
		for _, bad := range []string{
			`{"category":"religion","finding":"x","source":"y","collected":"2026-11-02"}`,
			`{"category":"civil_status","finding":"x","source":"y","collected":"2026-11-02","health":"z"}`,
			`{"category":"social_professional","period":"past","from":"2014-01-01","until":"2010-01-01","finding":"x","source":"y","collected":"2026-11-02"}`,
			`{"category":"social_professional","period":"then","from":"2014-01-01","finding":"x","source":"y","collected":"2026-11-02"}`,
			`{"category":"solvency","period":"now","finding":"x","source":"y","collected":"2026-11-02"}`,
			`{"category":"solvency","finding":"x","source":"y","collected":"2999-01-01"}`,
			`{"category":"solvency","finding":"","source":"y","collected":"2026-11-02"}`,
		} {
			_, err := in.Vet.AddItem(in.Ctx, in.nsa, in.c.ID, []byte(bad))
			wantKind(t, err, cleared.ErrInvalid)
		}
		if in.Size(t) != before {
			t.Error("bad input reached the log")
		}
		if n := len(must(in.Vet.Investigation(in.Ctx, in.nsa, in.c.ID)).Items); n != 3 {
			t.Errorf("%d items stored", n)
		}
	})
	t.Run("A28.1 an item revealing sources without its summary, or a summary without the flag: 400", func(t *testing.T) {
		for _, bad := range []string{
			`{"category":"vulnerability","finding":"x","source":"informateur","collected":"2026-11-02","reveals_source":true}`,
			`{"category":"vulnerability","finding":"x","source":"y","collected":"2026-11-02","summary":"s"}`,
		} {
			_, err := in.Vet.AddItem(in.Ctx, in.nsa, in.c.ID, []byte(bad))
			wantKind(t, err, cleared.ErrInvalid)
		}
	})
	t.Run("A23.1 A24.1 the items are encrypted at rest under the case's key", func(t *testing.T) {
		err := in.Store.View(in.Ctx, func(tx store.Tx) error {
			rs, err := tx.InvestigationItems(in.c.ID)
			for _, r := range rs {
				if strings.Contains(string(r.Ciphertext), "RNPP") || strings.Contains(string(r.Ciphertext), "informateur") {
					t.Errorf("item %s stored in clear", r.ID)
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("A24.1 every read is audited; the person, his officer and another NSA officer do not read it", func(t *testing.T) {
		before := in.Size(t)
		must(in.Vet.Investigation(in.Ctx, in.nsa, in.c.ID))
		if in.Size(t) != before+1 {
			t.Error("A24.1: the read is not audited")
		}
		for _, a := range []cleared.Actor{in.actor, in.anne, in.luc} {
			_, err := in.Vet.Investigation(in.Ctx, a, in.c.ID)
			wantKind(t, err, cleared.ErrNotFound)
			_, err = in.Vet.AddItem(in.Ctx, a, in.c.ID, []byte(solvent))
			wantKind(t, err, cleared.ErrNotFound)
		}
		_, err := in.Vet.AddItem(in.Ctx, in.marc, in.c.ID, []byte(solvent))
		testenv.WantRule(t, err, "A23.1")
	})
}

func TestInvestigation_cooperation_A25_3(t *testing.T) {
	in := newInquiry(t)
	must(in.Vet.OpenInvestigation(in.Ctx, in.nsa, in.c.ID, nil))
	out := must(in.Vet.AddCooperation(in.Ctx, in.nsa, in.c.ID, []byte(`{"direction":"outgoing","foreign_service":"BfV (DE)",`+
		`"subject":"Séjour à Berlin 2019-2021","sent":"2026-11-06"}`)))
	t.Run("A25.3 outgoing and incoming requests are linked to the case, answered once", func(t *testing.T) {
		must(in.Vet.AddCooperation(in.Ctx, in.nsa, in.c.ID, []byte(`{"direction":"incoming","foreign_service":"VSSE (BE)",`+
			`"subject":"Demande sur Eva Lenz","reference":"VSSE-77","sent":"2026-11-07"}`)))
		r := must(in.Vet.AnswerCooperation(in.Ctx, in.nsa, in.c.ID, out.ID, []byte(`{"answer":"Rien à signaler","answered":"2026-11-20"}`)))
		if r.Answer != "Rien à signaler" || r.Service != "BfV (DE)" {
			t.Errorf("request %+v", r)
		}
		_, err := in.Vet.AnswerCooperation(in.Ctx, in.nsa, in.c.ID, out.ID, []byte(`{"answer":"encore","answered":"2026-11-21"}`))
		wantKind(t, err, cleared.ErrConflict)
		v := must(in.Vet.Investigation(in.Ctx, in.nsa, in.c.ID))
		answered := 0
		for _, r := range v.Cooperation {
			if r.ID == out.ID && r.Answered == "2026-11-20" {
				answered++
			}
		}
		if len(v.Cooperation) != 2 || answered != 1 {
			t.Errorf("requests %+v", v.Cooperation)
		}
	})
	t.Run("A25.3 bad input: a direction, an answer before the request, an unknown request", func(t *testing.T) {
		_, err := in.Vet.AddCooperation(in.Ctx, in.nsa, in.c.ID, []byte(`{"direction":"sideways","foreign_service":"X","subject":"y","sent":"2026-11-06"}`))
		wantKind(t, err, cleared.ErrInvalid)
		in2 := must(in.Vet.AddCooperation(in.Ctx, in.nsa, in.c.ID, []byte(`{"direction":"outgoing","foreign_service":"DGSI (FR)","subject":"Lyon","sent":"2026-11-10"}`)))
		_, err = in.Vet.AnswerCooperation(in.Ctx, in.nsa, in.c.ID, in2.ID, []byte(`{"answer":"x","answered":"2026-11-09"}`))
		wantKind(t, err, cleared.ErrInvalid)
		_, err = in.Vet.AnswerCooperation(in.Ctx, in.nsa, in.c.ID, "vcr_"+strings.Repeat("a", 26), []byte(`{"answer":"x","answered":"2026-11-20"}`))
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A25.3 an NSA officer not on the case records none (403); others may not know (404)", func(t *testing.T) {
		_, err := in.Vet.AddCooperation(in.Ctx, in.marc, in.c.ID, []byte(`{"direction":"outgoing","foreign_service":"X","subject":"y","sent":"2026-11-06"}`))
		testenv.WantRule(t, err, "A23.1")
		_, err = in.Vet.AddCooperation(in.Ctx, in.anne, in.c.ID, []byte(`{"direction":"outgoing","foreign_service":"X","subject":"y","sent":"2026-11-06"}`))
		wantKind(t, err, cleared.ErrNotFound)
	})
}

func TestInvestigation_report_A15_2_A21_1(t *testing.T) {
	in := newInquiry(t)
	must(in.Vet.OpenInvestigation(in.Ctx, in.nsa, in.c.ID, nil))
	report := []byte(`{"conclusion":"Rien ne s'oppose à l'habilitation au niveau SECRET."}`)
	t.Run("A21.1 the report is refused while the checklist of the level is incomplete", func(t *testing.T) {
		for _, it := range []string{civil, reliable, solvent, jobNow} {
			must(in.Vet.AddItem(in.Ctx, in.nsa, in.c.ID, []byte(it)))
		}
		_, err := in.Vet.FileReport(in.Ctx, in.nsa, in.c.ID, report)
		testenv.WantRule(t, err, "A21.1")
	})
	t.Run("A15.2 an officer not on the case files no report", func(t *testing.T) {
		must(in.Vet.AddItem(in.Ctx, in.nsa, in.c.ID, []byte(jobPast)))
		_, err := in.Vet.FileReport(in.Ctx, in.marc, in.c.ID, report)
		testenv.WantRule(t, err, "A23.1")
		_, err = in.Vet.FileReport(in.Ctx, in.nsa, in.c.ID, []byte(`{"conclusion":""}`))
		wantKind(t, err, cleared.ErrInvalid)
	})
	t.Run("A15.2 the checklist complete, the report is filed and the case is reported", func(t *testing.T) {
		v := must(in.Vet.FileReport(in.Ctx, in.nsa, in.c.ID, report))
		if v.Case.Stage != cleared.StageReported || v.Report == nil || !strings.Contains(v.Report.Conclusion, "SECRET") || len(v.Missing) != 0 {
			t.Errorf("investigation %+v", v)
		}
		c := must(in.Vet.Case(in.Ctx, in.anne, in.c.ID))
		if c.Stage != cleared.StageReported {
			t.Errorf("stage %s", c.Stage)
		}
	})
	t.Run("A15.2 once reported, the investigation takes no more items nor a second report", func(t *testing.T) {
		_, err := in.Vet.AddItem(in.Ctx, in.nsa, in.c.ID, []byte(civil))
		testenv.WantRule(t, err, "A15.2")
		_, err = in.Vet.FileReport(in.Ctx, in.nsa, in.c.ID, report)
		testenv.WantRule(t, err, "A15.2")
	})
	t.Run("A25.3 a foreign request is still recorded after the report", func(t *testing.T) {
		must(in.Vet.AddCooperation(in.Ctx, in.nsa, in.c.ID, []byte(`{"direction":"incoming","foreign_service":"AIVD (NL)","subject":"Eva Lenz","sent":"2026-11-22"}`)))
	})
}

// TestFile_A28_1 runs the person's rights on both databases: after a refusal (set through the store: deciding is
// the deciding authority's part), the person asks in writing and reads his file, the item revealing a source
// replaced by its summary; never before his request, never on a case not negative, never anyone else.
func TestFile_A28_1(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		in := intake{env: e}
		in.post = must(e.Vet.RecordPost(e.Ctx, e.anne, vetting.NewPost{OrganisationID: e.World.SRE.ID, Title: "Analyste", Level: cleared.Secret}))
		in.eva = e.person(t, e.World.SRE.ID, "Eva Lenz")
		in.actor = cleared.Actor{Person: in.eva.ID}
		c := in.open(t)
		in.fill(t, c.ID)
		must(e.Vet.SignQuestionnaire(e.Ctx, in.actor, c.ID))
		must(e.Vet.Consent(e.Ctx, in.actor, c.ID))
		must(e.Vet.OpenInvestigation(e.Ctx, e.nsa, c.ID, nil))
		for _, it := range []string{civil, informant} {
			must(e.Vet.AddItem(e.Ctx, e.nsa, c.ID, []byte(it)))
		}
		request := []byte(`{"text":"Je demande à consulter mon dossier."}`)
		t.Run("A28.1 before the refusal the person neither asks nor reads", func(t *testing.T) {
			_, err := e.Vet.RequestFile(e.Ctx, in.actor, c.ID, request)
			testenv.WantRule(t, err, "A28.1")
			_, err = e.Vet.File(e.Ctx, in.actor, c.ID)
			testenv.WantRule(t, err, "A28.1")
		})
		e.setStage(t, c.ID, cleared.StageRefused)
		t.Run("A28.1 before his request he does not read it", func(t *testing.T) {
			_, err := e.Vet.File(e.Ctx, in.actor, c.ID)
			testenv.WantRule(t, err, "A28.1")
		})
		t.Run("A28.1 no one else asks or reads (404)", func(t *testing.T) {
			for _, a := range []cleared.Actor{e.anne, e.nsa, e.luc} {
				_, err := e.Vet.RequestFile(e.Ctx, a, c.ID, request)
				wantKind(t, err, cleared.ErrNotFound)
				_, err = e.Vet.File(e.Ctx, a, c.ID)
				wantKind(t, err, cleared.ErrNotFound)
			}
		})
		t.Run("A28.1 a request without text or with unknown fields is bad input", func(t *testing.T) {
			for _, bad := range []string{`{"text":""}`, `{"text":"x","urgent":true}`} {
				_, err := e.Vet.RequestFile(e.Ctx, in.actor, c.ID, []byte(bad))
				wantKind(t, err, cleared.ErrInvalid)
			}
		})
		t.Run("A28.1 the person asks, once, and the request is on the NSA's agenda", func(t *testing.T) {
			r := must(e.Vet.RequestFile(e.Ctx, in.actor, c.ID, request))
			if r.Filed.IsZero() {
				t.Error("the request has no date")
			}
			_, err := e.Vet.RequestFile(e.Ctx, in.actor, c.ID, request)
			testenv.WantRule(t, err, "A28.1")
			found := false
			err = e.Store.View(e.Ctx, func(tx store.Tx) error {
				p, err := tx.Person(e.nsa.Person)
				if err != nil {
					return err
				}
				items, err := e.Vet.AgendaItems(tx, policy.AgendaReader{Person: p}, e.Clock.Now())
				for _, it := range items {
					found = found || it.Kind == policy.AgendaVettingFileRequest && it.VettingCase.ID == c.ID
				}
				return err
			})
			if err != nil || !found {
				t.Errorf("A28.1: the request is not on the NSA's agenda (%v)", err)
			}
		})
		t.Run("A28.1 he reads his questionnaire and items, the source-revealing one as its summary only", func(t *testing.T) {
			before := e.Size(t)
			f := must(e.Vet.File(e.Ctx, in.actor, c.ID))
			if e.Size(t) != before+1 {
				t.Error("A24.1: the read is not audited")
			}
			if len(f.Questionnaire) != len(vetting.Sections) || len(f.Items) != 2 || !f.ForPerson {
				t.Fatalf("file %+v", f)
			}
			src := withSource(f.Items)
			if !src.Withheld || src.Finding != "" || src.Source != "" || src.Summary == "" {
				t.Errorf("A28.1: the item revealing a source reads %+v", src)
			}
			if f.Items[0].Finding == "" && f.Items[1].Finding == "" || f.Cooperation != nil {
				t.Errorf("A28.1: the file %+v", f)
			}
		})
	})
}

// A27.4, A28.1: the commission reads the whole file through file: the item revealing a source with its finding
// and source, the requests with foreign services; the person's view of the same case withholds them.
func TestFile_A27_4_whole_for_the_commission(t *testing.T) {
	in := newInquiry(t)
	must(in.Vet.OpenInvestigation(in.Ctx, in.nsa, in.c.ID, nil))
	must(in.Vet.AddItem(in.Ctx, in.nsa, in.c.ID, []byte(informant)))
	must(in.Vet.AddCooperation(in.Ctx, in.nsa, in.c.ID, []byte(`{"direction":"outgoing","foreign_service":"BfV (DE)","subject":"Berlin","sent":"2026-11-06"}`)))
	err := in.Store.View(in.Ctx, func(tx store.Tx) error {
		c, err := tx.VettingCase(in.c.ID)
		if err != nil {
			return err
		}
		whole, err := in.Vet.FileOf(tx, c, false)
		if err != nil {
			return err
		}
		if len(whole.Items) != 1 || whole.Items[0].Source != "informateur R-17" || whole.Items[0].Withheld || len(whole.Cooperation) != 1 ||
			len(whole.Questionnaire) != len(vetting.Sections) {
			t.Errorf("A27.4: the commission's file %+v", whole)
		}
		person, err := in.Vet.FileOf(tx, c, true)
		if err != nil {
			return err
		}
		if len(person.Items) != 1 || person.Items[0].Source != "" || !person.Items[0].Withheld || person.Cooperation != nil {
			t.Errorf("A28.1: the person's file %+v", person)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFile_A28_1_withdrawn_and_not_negative(t *testing.T) {
	in := newInquiry(t)
	request := []byte(`{"text":"Demande écrite"}`)
	for _, st := range []cleared.CaseStage{cleared.StageReported, cleared.StageCommission, cleared.StageGranted} {
		in.setStage(t, in.c.ID, st)
		_, err := in.Vet.RequestFile(in.Ctx, in.actor, in.c.ID, request)
		testenv.WantRule(t, err, "A28.1")
	}
	in.setStage(t, in.c.ID, cleared.StageWithdrawn)
	must(in.Vet.RequestFile(in.Ctx, in.actor, in.c.ID, request))
	f := must(in.Vet.File(in.Ctx, in.actor, in.c.ID))
	if f.Report != nil || len(f.Items) != 0 {
		t.Errorf("file %+v", f)
	}
}

// FuzzParseItem: no input makes the item parser panic, and whatever it accepts is of the law's categories with
// its summary when it reveals sources (A21.1, A28.1).
func FuzzParseItem(f *testing.F) {
	for _, s := range []string{civil, jobNow, jobPast, informant, `{}`, `{"category":"x"}`, `[]`, `{"category":"solvency"}{}`} {
		f.Add([]byte(s))
	}
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		it, err := vetting.ParseItem(data, now)
		if err != nil {
			return
		}
		if !it.Category.Valid() || it.RevealsSource != (it.Summary != "") || it.Finding == "" || it.Source == "" {
			t.Errorf("accepted %q as %+v", data, it)
		}
	})
}
