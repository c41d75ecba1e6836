package demo

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// loadVetting: Chapter 4's first step (A14.1, A16.1). The NSA records the categories Art. 14 exempts and the
// minister's membership of the Government; Anne, the SRE's security officer, records the analyst post Paul holds
// (SECRET, covered by his clearance); Luc, the ministry's, records the CONFIDENTIEL contract awarded to Luxdefence
// and assigns Léa (covered) and Nina, who holds no clearance: she is flagged on Luc's agenda and on the contract's
// page until she is cleared.
func loadVetting(l *loader, w *World) {
	ctx, v, years := l.ctx, l.sv.Vetting, l.years
	nsa := cleared.Actor{Person: w.Helene.ID}
	w.Government = do(l, "exemption category Government", func() (cleared.ExemptionCategory, error) {
		return v.RecordExemptionCategory(ctx, nsa, vetting.NewExemptionCategory{Name: "Membres du Conseil de Gouvernement",
			Basis: "Art. 14 de la loi du 15 juin 2004", Government: true})
	})
	do(l, "exemption category oversight committee", func() (cleared.ExemptionCategory, error) {
		return v.RecordExemptionCategory(ctx, nsa, vetting.NewExemptionCategory{Name: "Membres de la Commission de Contrôle parlementaire",
			Basis: "Art. 14 de la loi du 15 juin 2004 ; art. 14 de la loi portant organisation du SRE"})
	})
	w.MinisterMember = do(l, "the minister's membership", func() (cleared.ExemptionMembership, error) {
		return v.RecordMembership(ctx, nsa, vetting.NewMembership{Category: w.Government.ID, PersonID: w.Minister.ID,
			Reference: "Arrêté grand-ducal portant constitution des Ministères", From: years(1)})
	})
	anne, luc := cleared.Actor{Person: w.Anne.ID}, cleared.Actor{Person: w.Luc.ID}
	w.AnalystPost = do(l, "the analyst post", func() (cleared.Post, error) {
		return v.RecordPost(ctx, anne, vetting.NewPost{OrganisationID: w.SRE.ID, Title: "Analyste, division Analyse",
			Level: cleared.Secret, From: years(3)})
	})
	w.PaulOnPost = do(l, "Paul on the analyst post", func() (cleared.Assignment, error) {
		a, err := v.Assign(ctx, anne, vetting.NewAssignment{PersonID: w.Paul.ID, Post: w.AnalystPost.ID, From: years(1)})
		return a.Assignment, err
	})
	w.Contract = do(l, "the classified contract", func() (cleared.Contract, error) {
		return v.RecordContract(ctx, luc, vetting.NewContract{Reference: "MAEE/MP/2026-017 — chiffreurs de l'ambassade",
			OrganisationID: w.Ministry.ID, Contractor: w.Company.ID, Level: cleared.Confidential, From: years(1),
			Until: l.now.AddDate(2, 0, 0)})
	})
	do(l, "Léa on the contract", func() (cleared.Assignment, error) {
		a, err := v.Assign(ctx, luc, vetting.NewAssignment{PersonID: w.Lea.ID, Contract: w.Contract.ID, From: years(1),
			Until: w.Contract.Until})
		return a.Assignment, err
	})
	w.NinaOnDeal = do(l, "Nina on the contract", func() (cleared.Assignment, error) {
		a, err := v.Assign(ctx, luc, vetting.NewAssignment{PersonID: w.Nina.ID, Contract: w.Contract.ID,
			From: l.now.AddDate(0, -1, 0), Until: w.Contract.Until})
		return a.Assignment, err
	})
}
