//go:build e2e

package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// TestBrowserVettingInvestigation: Anne opens a case for Sophie, who fills in, signs and consents (the intake, by
// the service: TestBrowserVettingIntake walks it). Hélène opens the investigation in the UI, adds the items of the
// SECRET checklist, one of them revealing a source with its summary (A21.1, A28.1), records a request to a foreign
// service (A25.3) and files the report once the checklist is complete (A15.2). Anne, who sees the case's stage,
// does not find the investigation (A23.1). The case is refused (set through the store: deciding is the deciding
// authority's part), and Sophie asks in writing to see her file and reads it: the summary, never the finding or
// source of the item revealing it (A28.1).
func TestBrowserVettingInvestigation(t *testing.T) {
	// write types into an empty textarea (typeIn empties its field first, which an empty textarea refuses).
	write := func(b *e2eTab, id, text string) {
		b.t.Helper()
		b.fatal("write in #"+id, chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.ID(id), text, chromedp.NodeVisible)))
	}
	e := newE2EEnv(t)
	w := e.world
	ctx := t.Context()
	anne, sophie := cleared.Actor{Person: w.Anne.ID}, cleared.Actor{Person: w.Sophie.ID}
	c, err := e.vet.OpenCase(ctx, anne, vetting.NewCase{PersonID: w.Sophie.ID, Post: w.AnalystPost.ID})
	if err != nil {
		t.Fatal(err)
	}
	for sec, body := range map[vetting.Section]string{
		vetting.SectionCivilStatus: `{"surname":"Wagner","given_names":"Sophie","born":"1984-03-09","birthplace":"Luxembourg",` +
			`"nationalities":["LU"],"marital_status":"single"}`,
		vetting.SectionSolvency:      `{"debts":false,"debt_details":"","insolvency":false}`,
		vetting.SectionProfessional:  `{"jobs":[{"employer":"SRE","function":"analyste","from":"2012-01-01"}]}`,
		vetting.SectionReliability:   `{"convictions":false,"proceedings":false,"details":""}`,
		vetting.SectionVulnerability: `{"foreign_contacts":false,"pressure":false,"details":""}`,
	} {
		if _, err := e.vet.SaveSection(ctx, sophie, c.ID, sec, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range []func() (vetting.CaseView, error){
		func() (vetting.CaseView, error) { return e.vet.SignQuestionnaire(ctx, sophie, c.ID) },
		func() (vetting.CaseView, error) { return e.vet.Consent(ctx, sophie, c.ID) },
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	base := "/ui/vetting-cases/" + string(c.ID)
	inv := base + "/investigation"
	day := e.now().AddDate(0, 0, -1).Format("2006-01-02")

	h := e.newBrowser()
	h.signIn("helene", w.ZoneTerm.ID)
	h.open(inv)
	h.click("submit") // A24.1: Hélène opens it and is on the case
	h.wantAt(inv)
	if got := h.text("case-stage"); !strings.Contains(got, "under investigation") {
		t.Fatalf("A15.2: the stage reads %q", got)
	}
	setDate := func(id, v string) {
		h.fatal("set #"+id, chromedp.Do(h.ctx, chromedp.SetValue(chromedp.ID(id), v)))
	}
	items := []struct {
		category, period, from, until, finding, source, summary string
	}{
		{category: "civil_status", finding: "Identité confirmée au RNPP", source: "RNPP"},
		{category: "reliability_reputation", finding: "Casier judiciaire vierge", source: "Parquet général"},
		{category: "solvency", finding: "Aucune saisie ni dette signalée", source: "Banque"},
		{category: "social_professional", period: "now", from: "2012-01-01", finding: "Analyste au SRE", source: "SRE"},
		{category: "social_professional", period: "past", from: "2006-09-01", until: "2011-12-31", finding: "Doctorante", source: "Université"},
		{category: "reliability_reputation", finding: "Rencontres suivies avec un diplomate étranger", source: "Informateur K-4",
			summary: "Des rencontres avec un représentant d'un État étranger ont été signalées."},
	}
	for _, it := range items {
		h.open(inv + "/items")
		h.choose("f-category", it.category)
		if it.period != "" {
			h.choose("f-period", it.period)
			setDate("f-from", it.from)
			if it.until != "" {
				setDate("f-until", it.until)
			}
		}
		write(h, "f-finding", it.finding)
		h.typeIn("f-source", it.source)
		setDate("f-collected", day)
		if it.summary != "" {
			h.fatal("tick reveals_source", chromedp.Do(h.ctx, chromedp.Click(chromedp.ID("f-reveals_source"), chromedp.NodeVisible)))
			write(h, "f-summary", it.summary)
		}
		h.click("submit")
		h.wantAt(inv)
	}
	if got := h.text("row-check-social_professional_past"); !strings.Contains(got, "done") {
		t.Fatalf("A21.1: the checklist reads %q", got)
	}
	h.open(inv + "/cooperation")
	h.choose("f-direction", "outgoing")
	h.typeIn("f-foreign_service", "DGSI (France)")
	write(h, "f-subject", "Séjour à Lyon 2005-2006")
	setDate("f-sent", day)
	h.click("submit")
	h.wantAt(inv)
	h.shot("vetting-investigation-nsa.png")
	h.open(inv + "/report")
	write(h, "f-conclusion", "Aucun élément ne s'oppose à l'habilitation SECRET.")
	h.click("submit")
	h.wantAt(inv)
	if got := h.text("case-stage"); !strings.Contains(got, "report filed") {
		t.Fatalf("A15.2: the stage reads %q", got)
	}

	a := e.newBrowser()
	a.signIn("anne", w.ZoneTerm.ID)
	if status := a.open(inv); status != 404 {
		t.Errorf("A23.1: the security officer opens the investigation: %d", status)
	}

	// The deciding authority refuses (its part, helper dec): set through the store.
	err = e.store.Update(ctx, func(tx store.Tx) error {
		got, err := tx.VettingCase(c.ID)
		if err != nil {
			return err
		}
		now := e.now().UTC().Truncate(time.Microsecond)
		got.Stage, got.Updated, got.Closed = cleared.StageRefused, now, now
		return tx.UpdateVettingCase(got)
	})
	if err != nil {
		t.Fatal(err)
	}

	s := e.newBrowser()
	s.signIn("sophie", w.ZoneTerm.ID)
	if status := s.open(base + "/file"); status != 403 {
		t.Errorf("A28.1: the file before the request answers %d", status)
	}
	s.open(base + "/file-request")
	write(s, "f-text", "Je demande à la commission de consulter mon dossier.")
	s.click("submit")
	s.wantAt(base + "/file")
	text := s.pageText()
	if !strings.Contains(text, "représentant d'un État étranger") || !strings.Contains(text, "Analyste au SRE") {
		t.Error("A28.1: the file lacks the summary or an item")
	}
	if strings.Contains(text, "Informateur K-4") || strings.Contains(text, "diplomate étranger") {
		t.Error("A28.1: the file shows the item revealing a source")
	}
	if strings.Contains(text, "DGSI") {
		t.Error("A28.1: the file shows the requests with foreign services")
	}
	s.shot("vetting-file-person.png")
}
