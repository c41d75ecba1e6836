package demo

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// loadVettingRetention: Chapter 4, Art. 23 (A23.2). An international organisation asks for the vetting of Nina,
// Luxdefence's engineer flagged without a clearance on the ministry's contract, which her company executes
// (A20.1): Hélène, the NSA, opens the case; Nina refuses to cooperate, and the case closes refused for
// non-cooperation (A26.1), its data due for erasure six months later. Hélène records why it is kept for a year:
// the requesting organisation's inquiry is under way. The retention page shows it held. Luxdefence has no security
// officer in the demo: no one's agenda changes.
func loadVettingRetention(l *loader, w *World) {
	ctx, v := l.ctx, l.sv.Vetting
	nsa := cleared.Actor{Person: w.Helene.ID}
	w.NinaCase = do(l, "Nina's vetting case", func() (cleared.VettingCase, error) {
		return v.OpenCase(ctx, nsa, vetting.NewCase{PersonID: w.Nina.ID, Contract: w.Contract.ID, Origin: cleared.OriginInternational,
			ForeignBody: "Bureau de sécurité de l'OTAN", ForeignReference: "NOS-2026-044"})
	})
	do(l, "Nina's refusal", func() (vetting.CaseView, error) {
		return v.Refuse(ctx, cleared.Actor{Person: w.Nina.ID}, w.NinaCase.ID)
	})
	do(l, "the hold of Nina's case", func() (vetting.RetentionCase, error) {
		return v.HoldCase(ctx, nsa, w.NinaCase.ID, vetting.Hold{
			Reason: "L'enquête de l'organisation requérante sur le même marché est en cours ; les éléments recueillis lui restent utiles.",
			Review: l.now.AddDate(1, 0, 0)})
	})
}
