package vetting_test

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/keyring/sign"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// Answers of every section, valid.
var answers = map[vetting.Section]string{
	vetting.SectionCivilStatus: `{"surname":"Kieffer","given_names":"Paul","born":"1980-04-02","birthplace":"Esch-sur-Alzette",
		"nationalities":["LU"],"marital_status":"married"}`,
	vetting.SectionSolvency:      `{"debts":false,"debt_details":"","insolvency":false}`,
	vetting.SectionProfessional:  `{"jobs":[{"employer":"SRE","function":"analyste","from":"2015-01-01"},{"employer":"Armée","function":"officier","from":"2005-09-01","until":"2014-12-31"}]}`,
	vetting.SectionReliability:   `{"convictions":false,"proceedings":false,"details":""}`,
	vetting.SectionVulnerability: `{"foreign_contacts":true,"pressure":false,"details":"famille en Belgique"}`,
}

// intake is a post of SRE and a person of SRE without clearance to vet for it.
type intake struct {
	*env
	post  cleared.Post
	eva   cleared.Person
	actor cleared.Actor
}

func newIntake(t *testing.T) intake {
	e := newEnv(t)
	w := e.World
	post := must(e.Vet.RecordPost(e.Ctx, e.anne, vetting.NewPost{OrganisationID: w.SRE.ID, Title: "Analyste", Level: cleared.Secret}))
	p := e.person(t, w.SRE.ID, "Eva Lenz")
	return intake{env: e, post: post, eva: p, actor: cleared.Actor{Person: p.ID}}
}

func (in intake) open(t *testing.T) cleared.VettingCase {
	t.Helper()
	return must(in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: in.eva.ID, Post: in.post.ID}))
}

func (in intake) fill(t *testing.T, id cleared.VettingCaseID) vetting.CaseView {
	t.Helper()
	var v vetting.CaseView
	for _, sec := range vetting.Sections {
		v = must(in.Vet.SaveSection(in.Ctx, in.actor, id, sec, []byte(answers[sec])))
	}
	return v
}

func TestOpenCase(t *testing.T) {
	in := newIntake(t)
	w := in.World
	t.Run("A25.1 A16.1 the person's security officer opens a case at the post's level, due in 30 days", func(t *testing.T) {
		c := in.open(t)
		if c.Level != cleared.Secret || c.Stage != cleared.StageOpened || c.Origin != cleared.OriginNational ||
			c.Kind != cleared.KindInitial || !c.Deadline.Equal(c.Opened.Add(vetting.DefaultCaseDeadline)) || c.OrganisationID != w.SRE.ID {
			t.Errorf("case %+v", c)
		}
	})
	t.Run("A25.1 a second open case of the person is refused", func(t *testing.T) {
		_, err := in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: in.eva.ID, Post: in.post.ID})
		testenv.WantRule(t, err, "A25.1")
	})
	t.Run("A25.1 another organisation's officer does not know the person: 404, audited", func(t *testing.T) {
		before := in.Size(t)
		_, err := in.Vet.OpenCase(in.Ctx, in.luc, vetting.NewCase{PersonID: w.Sophie.ID, Post: in.post.ID})
		wantKind(t, err, cleared.ErrNotFound)
		if in.Size(t) != before+1 {
			t.Error("the refusal is not audited")
		}
	})
	t.Run("A25.1 a person does not open his own case: his organisation's posts are not his to know (404)", func(t *testing.T) {
		_, err := in.Vet.OpenCase(in.Ctx, cleared.Actor{Person: w.Sophie.ID}, vetting.NewCase{PersonID: w.Sophie.ID, Post: in.post.ID})
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A25.1 the NSA does not open a national case in the officer's stead", func(t *testing.T) {
		_, err := in.Vet.OpenCase(in.Ctx, in.nsa, vetting.NewCase{PersonID: w.Sophie.ID, Post: in.post.ID})
		testenv.WantRule(t, err, "A25.1")
	})
	t.Run("A20.1 the NSA opens a case a foreign NSA requested, its origin recorded", func(t *testing.T) {
		c := must(in.Vet.OpenCase(in.Ctx, in.nsa, vetting.NewCase{PersonID: w.Sophie.ID, Post: in.post.ID,
			Origin: cleared.OriginForeignNSA, ForeignBody: "BfV (DE)", ForeignReference: "BfV-2026-118"}))
		if c.Origin != cleared.OriginForeignNSA || c.ForeignReference != "BfV-2026-118" {
			t.Errorf("case %+v", c)
		}
	})
	t.Run("A20.1 a security officer does not open a foreign case", func(t *testing.T) {
		_, err := in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: w.Director.ID, Post: in.post.ID,
			Origin: cleared.OriginInternational, ForeignBody: "OTAN", ForeignReference: "NOS-1"})
		testenv.WantRule(t, err, "A20.1")
	})
	t.Run("A25.2 a follow-up of a holder cites its trigger", func(t *testing.T) {
		c := must(in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: w.Paul.ID, Post: in.post.ID,
			Kind: cleared.KindFollowUp, Trigger: "Saisie sur salaire signalée le 2 décembre"}))
		if c.Trigger == "" || c.Kind != cleared.KindFollowUp {
			t.Errorf("case %+v", c)
		}
	})
	t.Run("A25.2 a follow-up without its trigger is bad input, nothing stored", func(t *testing.T) {
		before := len(must(in.Vet.Cases(in.Ctx, in.anne, vetting.CaseFilter{})))
		_, err := in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: w.Director.ID, Post: in.post.ID, Kind: cleared.KindFollowUp})
		wantKind(t, err, cleared.ErrInvalid)
		if n := len(must(in.Vet.Cases(in.Ctx, in.anne, vetting.CaseFilter{}))); n != before {
			t.Errorf("%d cases, want %d", n, before)
		}
	})
	t.Run("A25.2 a follow-up of one who holds no clearance is refused", func(t *testing.T) {
		p := in.person(t, w.SRE.ID, "Ivo Stein")
		_, err := in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: p.ID, Post: in.post.ID, Kind: cleared.KindFollowUp, Trigger: "x"})
		testenv.WantRule(t, err, "A25.2")
	})
	t.Run("A26.1 a deadline at the opening is refused", func(t *testing.T) {
		_, err := in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: w.Director.ID, Post: in.post.ID, Deadline: in.Clock.Now()})
		testenv.WantRule(t, err, "A26.1")
	})
	t.Run("A20.1 bad input: a national case naming a foreign body, a foreign one without reference, both post and contract", func(t *testing.T) {
		for _, nc := range []vetting.NewCase{
			{PersonID: w.Director.ID, Post: in.post.ID, ForeignBody: "BfV"},
			{PersonID: w.Director.ID, Post: in.post.ID, Origin: cleared.OriginForeignNSA, ForeignBody: "BfV"},
			{PersonID: w.Director.ID, Post: in.post.ID, Contract: w.Contract.ID},
			{PersonID: w.Director.ID, Post: in.post.ID, Origin: "martian"},
		} {
			_, err := in.Vet.OpenCase(in.Ctx, in.anne, nc)
			wantKind(t, err, cleared.ErrInvalid)
		}
	})
}

func TestQuestionnaire(t *testing.T) {
	in := newIntake(t)
	c := in.open(t)
	t.Run("A25.1 the person saves sections as drafts; the stage moves to questionnaire", func(t *testing.T) {
		v := must(in.Vet.SaveSection(in.Ctx, in.actor, c.ID, vetting.SectionSolvency, []byte(answers[vetting.SectionSolvency])))
		if v.Stage != cleared.StageQuestionnaire || len(v.Missing) != 4 || v.Answers[vetting.SectionSolvency] == nil {
			t.Errorf("view %+v", v)
		}
	})
	t.Run("A21.1 bad input: unknown field, missing field, dates in the wrong order, unknown section: nothing stored", func(t *testing.T) {
		for sec, body := range map[vetting.Section]string{
			vetting.SectionSolvency:      `{"debts":false,"insolvency":false,"religion":"x"}`,
			vetting.SectionReliability:   `{"convictions":false}`,
			vetting.SectionProfessional:  `{"jobs":[{"employer":"A","function":"b","from":"2020-01-01","until":"2019-01-01"}]}`,
			vetting.SectionCivilStatus:   `{"surname":"K","given_names":"P","born":"2990-01-01","birthplace":"L","nationalities":["LU"],"marital_status":"single"}`,
			vetting.Section("religion"):  `{}`,
			vetting.SectionVulnerability: `{"foreign_contacts":true,"pressure":false,"details":""} {}`,
		} {
			_, err := in.Vet.SaveSection(in.Ctx, in.actor, c.ID, sec, []byte(body))
			wantKind(t, err, cleared.ErrInvalid)
		}
		v := must(in.Vet.Case(in.Ctx, in.actor, c.ID))
		if len(v.Answers) != 1 {
			t.Errorf("answers stored: %v", v.Answers)
		}
	})
	t.Run("A25.1 the security officer sees the stage, never the answers", func(t *testing.T) {
		v := must(in.Vet.Case(in.Ctx, in.anne, c.ID))
		b, _ := json.Marshal(v)
		if v.Full || v.Answers != nil || strings.Contains(string(b), "insolvency") || v.Stage != cleared.StageQuestionnaire {
			t.Errorf("the officer reads %s", b)
		}
		found := false
		for _, x := range must(in.Vet.Cases(in.Ctx, in.anne, vetting.CaseFilter{})) {
			found = found || x.ID == c.ID && x.Stage == cleared.StageQuestionnaire
		}
		if !found {
			t.Error("the case is not in the officer's list")
		}
	})
	t.Run("A25.1 another person, another organisation's officer: 404", func(t *testing.T) {
		_, err := in.Vet.Case(in.Ctx, in.luc, c.ID)
		wantKind(t, err, cleared.ErrNotFound)
		_, err = in.Vet.SaveSection(in.Ctx, in.anne, c.ID, vetting.SectionSolvency, []byte(answers[vetting.SectionSolvency]))
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A23.1 the answers are not in the database in clear", func(t *testing.T) {
		err := in.Store.View(in.Ctx, func(tx store.Tx) error {
			as, err := tx.VettingAnswers(c.ID)
			for _, a := range as {
				if strings.Contains(string(a.Ciphertext), "insolvency") {
					t.Error("answers stored in clear")
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("A25.1 an incomplete questionnaire is not signed", func(t *testing.T) {
		_, err := in.Vet.SignQuestionnaire(in.Ctx, in.actor, c.ID)
		testenv.WantRule(t, err, "A25.1")
	})
	t.Run("A25.1 A25.2 complete, signed, consented: the case leaves intake", func(t *testing.T) {
		in.fill(t, c.ID)
		v := must(in.Vet.SignQuestionnaire(in.Ctx, in.actor, c.ID))
		if v.Stage != cleared.StageQuestionnaire || v.Signed.IsZero() {
			t.Errorf("signed without consent: %+v", v.VettingCase)
		}
		_, err := in.Vet.SaveSection(in.Ctx, in.actor, c.ID, vetting.SectionSolvency, []byte(answers[vetting.SectionSolvency]))
		testenv.WantRule(t, err, "A25.1")
		v = must(in.Vet.Consent(in.Ctx, in.actor, c.ID))
		if v.Stage != cleared.StageSigned {
			t.Errorf("stage %s", v.Stage)
		}
		_, err = in.Vet.Refuse(in.Ctx, in.actor, c.ID)
		testenv.WantRule(t, err, "A25.1")
	})
	t.Run("A25.1 a later case of the person is pre-filled from this one", func(t *testing.T) {
		// The first case leaves the person's open cases (here closed directly in the store: the later workflows
		// close a signed case by a decision), then a new one is opened.
		in.Clock.Add(vetting.DefaultCaseDeadline + time.Hour)
		err := in.Store.Update(in.Ctx, func(tx store.Tx) error {
			cur, err := tx.VettingCase(c.ID)
			if err != nil {
				return err
			}
			cur.Stage, cur.Closed, cur.Updated = cleared.StageClosedNonCooperation, in.Clock.Now().UTC().Truncate(time.Microsecond), in.Clock.Now().UTC().Truncate(time.Microsecond)
			return tx.UpdateVettingCase(cur)
		})
		if err != nil {
			t.Fatal(err)
		}
		c2 := in.open(t)
		v := must(in.Vet.Case(in.Ctx, in.actor, c2.ID))
		if len(v.Prefill) != len(vetting.Sections) || len(v.Answers) != 0 {
			t.Errorf("prefill %v answers %v", v.Prefill, v.Answers)
		}
	})
}

func TestNonCooperation(t *testing.T) {
	in := newIntake(t)
	w := in.World
	t.Run("A26.1 the person refuses: closed for non-cooperation, the officer told by e-mail without answers", func(t *testing.T) {
		c := in.open(t)
		must(in.Vet.SaveSection(in.Ctx, in.actor, c.ID, vetting.SectionSolvency, []byte(answers[vetting.SectionSolvency])))
		v := must(in.Vet.Refuse(in.Ctx, in.actor, c.ID))
		if v.Stage != cleared.StageClosedNonCooperation || v.CloseCause != cleared.NonCooperationRefused {
			t.Errorf("case %+v", v.VettingCase)
		}
		ds := deliveries(t, in, c.ID)
		if len(ds) != 1 || ds[0].Recipient != w.Anne.ID || !strings.Contains(string(ds[0].Body), "prend fin") || strings.Contains(string(ds[0].Body), "insolvency") {
			t.Errorf("deliveries %+v", ds)
		}
		_, err := in.Vet.SaveSection(in.Ctx, in.actor, c.ID, vetting.SectionSolvency, []byte(answers[vetting.SectionSolvency]))
		testenv.WantRule(t, err, "A26.1")
		ag := must(in.Reg.Agenda(in.Ctx, in.anne))
		found := false
		for _, it := range ag.Items {
			found = found || it.Kind == policy.AgendaVettingClosed && it.VettingCase.ID == c.ID
		}
		if !found {
			t.Error("the security officer's agenda does not say the procedure ends")
		}
	})
	t.Run("A26.1 the deadline passes: closed at the deadline exactly, not an instant before", func(t *testing.T) {
		p := in.person(t, w.SRE.ID, "Ivo Stein")
		deadline := in.Clock.Now().Add(48 * time.Hour).UTC().Truncate(time.Microsecond)
		c := must(in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: p.ID, Post: in.post.ID, Deadline: deadline}))
		in.Clock.Set(deadline.Add(-time.Microsecond))
		before := in.Size(t)
		if n := must(in.Vet.CloseOverdue(in.Ctx)); n != 0 {
			t.Errorf("closed %d before the deadline", n)
		}
		if in.Size(t) != before {
			t.Error("a run with nothing due writes to the audit log")
		}
		in.Clock.Set(deadline)
		_, err := in.Vet.SaveSection(in.Ctx, cleared.Actor{Person: p.ID}, c.ID, vetting.SectionSolvency, []byte(answers[vetting.SectionSolvency]))
		testenv.WantRule(t, err, "A26.1")
		if n := must(in.Vet.CloseOverdue(in.Ctx)); n != 1 {
			t.Errorf("closed %d at the deadline", n)
		}
		v := must(in.Vet.Case(in.Ctx, in.anne, c.ID))
		if v.Stage != cleared.StageClosedNonCooperation || v.CloseCause != cleared.NonCooperationOverdue {
			t.Errorf("case %+v", v.VettingCase)
		}
		if len(deliveries(t, in, c.ID)) != 1 {
			t.Error("the organisation is not told")
		}
		if n := must(in.Vet.CloseOverdue(in.Ctx)); n != 0 {
			t.Errorf("closed again: %d", n)
		}
	})
	t.Run("A25.2 a follow-up signed without consent is not overdue", func(t *testing.T) {
		c := must(in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: w.Paul.ID, Post: in.post.ID,
			Kind: cleared.KindFollowUp, Trigger: "signalement"}))
		paul := cleared.Actor{Person: w.Paul.ID}
		in2 := intake{env: in.env, post: in.post, eva: w.Paul, actor: paul}
		in2.fill(t, c.ID)
		_, err := in.Vet.Consent(in.Ctx, paul, c.ID)
		testenv.WantRule(t, err, "A25.2")
		v := must(in.Vet.SignQuestionnaire(in.Ctx, paul, c.ID))
		if v.Stage != cleared.StageSigned {
			t.Errorf("stage %s", v.Stage)
		}
		in.Clock.Add(vetting.DefaultCaseDeadline + time.Hour)
		must(in.Vet.CloseOverdue(in.Ctx))
		if v := must(in.Vet.Case(in.Ctx, paul, c.ID)); v.Stage != cleared.StageSigned {
			t.Errorf("stage %s", v.Stage)
		}
	})
}

func deliveries(t *testing.T, in intake, id cleared.VettingCaseID) (ds []cleared.Delivery) {
	t.Helper()
	err := in.Store.View(in.Ctx, func(tx store.Tx) (err error) {
		ds, err = tx.DeliveriesOf(string(id))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// A25.1, A25.2, E2: the questionnaire and the consent are signed with the person's certificate from cleared's CA; each
// signature verifies over the document rebuilt from the answers, and only the person reads them.
func TestCaseSignatures(t *testing.T) {
	in := newIntake(t)
	c := in.open(t)
	in.fill(t, c.ID)
	must(in.Vet.SignQuestionnaire(in.Ctx, in.actor, c.ID))
	must(in.Vet.Consent(in.Ctx, in.actor, c.ID))
	gs := must(in.Vet.Signatures(in.Ctx, in.actor, c.ID))
	byWhat := map[string]vetting.SignedDocument{}
	for _, g := range gs {
		byWhat[g.What] = g
	}
	if len(gs) != 2 || byWhat["questionnaire"].CMS == nil || byWhat["consent"].CMS == nil {
		t.Fatalf("%d signatures", len(gs))
	}
	caPEM := must(in.Reg.SigningCA())
	block, _ := pem.Decode(caPEM)
	ca := must(x509.ParseCertificate(block.Bytes))
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	for _, g := range gs {
		signed, err := sign.Verify(g.CMS, g.Document, roots, g.Signed)
		if err != nil {
			t.Fatalf("%s: %v", g.What, err)
		}
		if !strings.Contains(signed.Certificate.Subject.SerialNumber, string(in.eva.ID)) {
			t.Errorf("%s signed by %s", g.What, signed.Certificate.Subject)
		}
		if _, err := sign.Verify(g.CMS, append(g.Document, 'x'), roots, g.Signed); err == nil {
			t.Errorf("%s verifies over other bytes", g.What)
		}
	}
	if !strings.Contains(string(byWhat["questionnaire"].Document), "Esch-sur-Alzette") {
		t.Error("the questionnaire's document does not hold the answers")
	}
	for _, g := range gs {
		if !g.Valid {
			t.Errorf("%s: %s", g.What, g.Problem)
		}
	}
	_, err := in.Vet.Signatures(in.Ctx, in.anne, c.ID)
	wantKind(t, err, cleared.ErrNotFound)
	// E2: an answer replaced in the database after the signature (sealed under the case's key by one who holds the
	// ring) no longer matches the signed questionnaire.
	err = in.Store.Update(in.Ctx, func(tx store.Tx) error {
		k, err := tx.VettingCaseKey(c.ID)
		if err != nil {
			return err
		}
		ct, err := in.Ring.SealRecord(string(c.ID), keyring.DataKey{KEK: k.KEK, Wrapped: k.Wrapped}, "solvency",
			[]byte(`{"debts":true,"debt_details":"x","insolvency":false}`))
		if err != nil {
			return err
		}
		return tx.PutVettingAnswers(store.VettingAnswers{Case: c.ID, Section: "solvency", Ciphertext: ct, Updated: in.Clock.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range must(in.Vet.Signatures(in.Ctx, in.actor, c.ID)) {
		if g.What == "questionnaire" && g.Valid {
			t.Error("E2: the questionnaire's signature verifies over changed answers")
		}
	}
}
