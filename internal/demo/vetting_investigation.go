package demo

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/vetting"
)

// loadVettingInvestigation: Chapter 4's investigation (A15.2, A21.1, A24.1, A25.3, A28.1). Anne, the SRE's security
// officer, opens a case for Eva Lenz, a new analyst (SECRET post); Eva fills in, signs and consents; Hélène, the
// NSA's officer, opens the investigation with herself on the case and records her civil status, her reliability
// (one item from an informant, revealing a source, with the summary Eva would read in its place) and a request to
// the German BfV about her years in Berlin. The checklist of SECRET still lacks her solvency and her social and
// professional situation: the report is not yet filed. Eva has no demo account: her case shows on Anne's list and
// Hélène's workspace.
func loadVettingInvestigation(l *loader, w *World) {
	ctx, v := l.ctx, l.sv.Vetting
	anne, nsa := cleared.Actor{Person: w.Anne.ID}, cleared.Actor{Person: w.Helene.ID}
	w.Eva = do(l, "person Eva Lenz", func() (cleared.Person, error) {
		return l.sv.Registry.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: w.SRE.ID, Name: "Eva Lenz"})
	})
	eva := cleared.Actor{Person: w.Eva.ID}
	w.EvaCase = do(l, "Eva's vetting case", func() (cleared.VettingCase, error) {
		return v.OpenCase(ctx, anne, vetting.NewCase{PersonID: w.Eva.ID, Post: w.AnalystPost.ID})
	})
	for _, s := range []struct {
		sec  vetting.Section
		body string
	}{
		{vetting.SectionCivilStatus, `{"surname":"Lenz","given_names":"Eva","born":"1990-02-11","birthplace":"Trier",` +
			`"nationalities":["DE","LU"],"marital_status":"partnered"}`},
		{vetting.SectionSolvency, `{"debts":false,"debt_details":"","insolvency":false}`},
		{vetting.SectionProfessional, `{"jobs":[{"employer":"Universität Trier","function":"assistante de recherche","from":"2015-10-01","until":"2019-09-30"},` +
			`{"employer":"Deutsche Welle, Berlin","function":"journaliste","from":"2019-10-01","until":"2025-12-31"}]}`},
		{vetting.SectionReliability, `{"convictions":false,"proceedings":false,"details":""}`},
		{vetting.SectionVulnerability, `{"foreign_contacts":true,"pressure":false,"details":"anciens collègues journalistes à Berlin"}`},
	} {
		do(l, "Eva's "+string(s.sec), func() (vetting.CaseView, error) {
			return v.SaveSection(ctx, eva, w.EvaCase.ID, s.sec, []byte(s.body))
		})
	}
	do(l, "Eva signs", func() (vetting.CaseView, error) { return v.SignQuestionnaire(ctx, eva, w.EvaCase.ID) })
	do(l, "Eva consents", func() (vetting.CaseView, error) { return v.Consent(ctx, eva, w.EvaCase.ID) })
	do(l, "Eva's investigation", func() (vetting.Investigation, error) {
		return v.OpenInvestigation(ctx, nsa, w.EvaCase.ID, nil)
	})
	collected := l.now.AddDate(0, 0, -2).Format("2006-01-02")
	for _, it := range []string{
		`{"category":"civil_status","finding":"Identité, nationalités et partenariat confirmés au registre national des personnes physiques",` +
			`"source":"RNPP","collected":"` + collected + `"}`,
		`{"category":"reliability_reputation","finding":"Bulletin n° 2 du casier judiciaire vierge","source":"Parquet général",` +
			`"collected":"` + collected + `"}`,
		`{"category":"reliability_reputation","finding":"Selon la source humaine R-17, contacts suivis en 2024 avec un attaché d'une ambassade étrangère à Berlin",` +
			`"source":"Source humaine R-17 (SRE)","collected":"` + collected + `","reveals_source":true,` +
			`"summary":"Des contacts en 2024 avec un représentant d'un État étranger à Berlin ont été signalés."}`,
	} {
		do(l, "an item of Eva's investigation", func() (vetting.Item, error) {
			return v.AddItem(ctx, nsa, w.EvaCase.ID, []byte(it))
		})
	}
	do(l, "a request to the BfV", func() (vetting.Cooperation, error) {
		return v.AddCooperation(ctx, nsa, w.EvaCase.ID, []byte(`{"direction":"outgoing","foreign_service":"BfV (Allemagne)",`+
			`"subject":"Séjour à Berlin de 2019 à 2025 : antécédents connus ?","reference":"ANS-COOP-2026-031","sent":"`+collected+`"}`))
	})
}
