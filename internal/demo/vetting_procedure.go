package demo

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/vetting"
)

// loadVettingProcedure: the later stages of Chapter 4, walked through the services, in the Direction de la Défense
// (vetting_briefings.go) so that no existing account's list or agenda changes. Reuter, its security officer,
// records a SECRET post and opens a case for each of two new analysts, who fill in, sign and consent (A25.1,
// A25.2); Hélène investigates both within SECRET's checklist and files the reports (A21.1, A15.2). Iris Muller's
// case is reported, waiting on the deciding authority's agenda (A27.1); Oscar Braun's was granted by Premier, its
// notification recorded by Reuter, and his clearance waits for his briefing (A18.1). Neither has an account.
func loadVettingProcedure(l *loader, w *World) {
	ctx, v := l.ctx, l.sv.Vetting
	nsa, officer := cleared.Actor{Person: w.Helene.ID}, cleared.Actor{Person: w.Reuter.ID}
	w.DefencePost = do(l, "the Defence's analyst post", func() (cleared.Post, error) {
		return v.RecordPost(ctx, officer, vetting.NewPost{OrganisationID: w.Defence.ID, Title: "Analyste de la menace", Level: cleared.Secret,
			From: l.years(1)})
	})
	collected := l.now.AddDate(0, 0, -3).Format("2006-01-02")
	vet := func(name, email, surname, given string) (cleared.Person, cleared.VettingCase) {
		p := do(l, "person "+name, func() (cleared.Person, error) {
			return l.sv.Registry.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: w.Defence.ID, Name: name, Email: email})
		})
		c := do(l, name+"'s case", func() (cleared.VettingCase, error) {
			return v.OpenCase(ctx, officer, vetting.NewCase{PersonID: p.ID, Post: w.DefencePost.ID})
		})
		me := cleared.Actor{Person: p.ID}
		for _, s := range []struct {
			sec  vetting.Section
			body string
		}{
			{vetting.SectionCivilStatus, `{"surname":"` + surname + `","given_names":"` + given + `","born":"1991-05-02","birthplace":"Luxembourg",` +
				`"nationalities":["LU"],"marital_status":"single"}`},
			{vetting.SectionSolvency, `{"debts":false,"debt_details":"","insolvency":false}`},
			{vetting.SectionProfessional, `{"jobs":[{"employer":"Armée luxembourgeoise","function":"officier","from":"2013-09-01","until":"2025-08-31"}]}`},
			{vetting.SectionReliability, `{"convictions":false,"proceedings":false,"details":""}`},
			{vetting.SectionVulnerability, `{"foreign_contacts":false,"pressure":false,"details":""}`},
		} {
			do(l, name+"'s "+string(s.sec), func() (vetting.CaseView, error) { return v.SaveSection(ctx, me, c.ID, s.sec, []byte(s.body)) })
		}
		do(l, name+" signs", func() (vetting.CaseView, error) { return v.SignQuestionnaire(ctx, me, c.ID) })
		do(l, name+" consents", func() (vetting.CaseView, error) { return v.Consent(ctx, me, c.ID) })
		do(l, name+"'s investigation", func() (vetting.Investigation, error) { return v.OpenInvestigation(ctx, nsa, c.ID, nil) })
		for _, it := range []string{
			`{"category":"civil_status","finding":"Identité confirmée au registre national","source":"RNPP","collected":"` + collected + `"}`,
			`{"category":"reliability_reputation","finding":"Casier judiciaire vierge","source":"Parquet général","collected":"` + collected + `"}`,
			`{"category":"solvency","finding":"Aucune dette ni saisie","source":"Banque","collected":"` + collected + `"}`,
			`{"category":"social_professional","period":"now","from":"2025-09-01","finding":"Analyste à la Direction de la Défense",` +
				`"source":"Direction de la Défense","collected":"` + collected + `"}`,
			`{"category":"social_professional","period":"past","from":"2013-09-01","until":"2025-08-31","finding":"Officier de l'Armée, états de service sans reproche",` +
				`"source":"État-major","collected":"` + collected + `"}`,
		} {
			do(l, "an item of "+name+"'s investigation", func() (vetting.Item, error) { return v.AddItem(ctx, nsa, c.ID, []byte(it)) })
		}
		do(l, name+"'s report", func() (vetting.Investigation, error) {
			return v.FileReport(ctx, nsa, c.ID, []byte(`{"conclusion":"Aucun élément ne s'oppose à l'habilitation SECRET."}`))
		})
		return p, c
	}
	w.Iris, w.IrisCase = vet("Iris Muller", "iris.muller@defense.example.lu", "Muller", "Iris")
	w.Oscar, w.OscarCase = vet("Oscar Braun", "oscar.braun@defense.example.lu", "Braun", "Oscar")
	do(l, "Oscar's grant", func() (vetting.DecisionView, error) {
		return v.Decide(ctx, cleared.Actor{Person: w.Premier.ID}, w.OscarCase.ID, vetting.NewDecision{Outcome: cleared.OutcomeGrant,
			Reasons: "L'enquête de sécurité n'a relevé aucun élément défavorable."})
	})
	do(l, "Oscar's notification", func() (vetting.DecisionView, error) {
		return v.Notify(ctx, officer, w.OscarCase.ID, vetting.Notification{})
	})
}
