package demo

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// loadVettingCases: Chapter 4's intake (A25.1, A16.1). Anne, the SRE's security officer, opens a case for Jo, whose
// TRES SECRET clearance has expired, for the analyst post (SECRET, its level); Jo has filled in his civil status
// and his solvency and has yet to finish, sign and consent: the case is at the questionnaire stage, on his page
// and, as a stage without answers, on Anne's.
func loadVettingCases(l *loader, w *World) {
	ctx, v := l.ctx, l.sv.Vetting
	anne, jo := cleared.Actor{Person: w.Anne.ID}, cleared.Actor{Person: w.Jo.ID}
	w.JoCase = do(l, "Jo's vetting case", func() (cleared.VettingCase, error) {
		return v.OpenCase(ctx, anne, vetting.NewCase{PersonID: w.Jo.ID, Post: w.AnalystPost.ID, Kind: cleared.KindRenewal})
	})
	for _, s := range []struct {
		sec  vetting.Section
		body string
	}{
		{vetting.SectionCivilStatus, `{"surname":"Ferber","given_names":"Jo","born":"1975-06-14","birthplace":"Diekirch",` +
			`"nationalities":["LU"],"marital_status":"single"}`},
		{vetting.SectionSolvency, `{"debts":false,"debt_details":"","insolvency":false}`},
	} {
		do(l, "Jo's "+string(s.sec), func() (vetting.CaseView, error) {
			return v.SaveSection(ctx, jo, w.JoCase.ID, s.sec, []byte(s.body))
		})
	}
}
