package demo

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/vetting"
)

// loadVettingRetention: Chapter 4, Art. 23 (A23.2). A foreign NSA asks for the vetting of Ivo Stein, an engineer of
// Orbital Systems, a company that has no security officer in cleared yet, for its SECRET satellite post (A20.1):
// Hélène opens the case, Ivo refuses to cooperate, and the case closes refused for non-cooperation (A26.1), its
// data due for erasure six months later. Hélène records why it is kept for a year: the requesting service's
// inquiry is under way. The retention page shows it held. (No organisation of the other chapters is involved: their
// officers' agendas stay as they were.)
func loadVettingRetention(l *loader, w *World) {
	ctx, v, reg := l.ctx, l.sv.Vetting, l.sv.Registry
	nsa := cleared.Actor{Person: w.Helene.ID}
	org := do(l, "Orbital Systems", func() (cleared.Organisation, error) {
		return reg.RegisterOrganisation(ctx, nsa, registry.NewOrganisation{Name: "Orbital Systems", Kind: cleared.Company, Country: "LU"})
	})
	ivo := do(l, "Ivo Stein", func() (cleared.Person, error) {
		return reg.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: org.ID, Name: "Ivo Stein"})
	})
	post := do(l, "Orbital Systems' post", func() (cleared.Post, error) {
		return v.RecordPost(ctx, nsa, vetting.NewPost{OrganisationID: org.ID, Title: "Ingénieur satellites", Level: cleared.Secret})
	})
	w.IvoCase = do(l, "Ivo's vetting case", func() (cleared.VettingCase, error) {
		return v.OpenCase(ctx, nsa, vetting.NewCase{PersonID: ivo.ID, Post: post.ID, Origin: cleared.OriginForeignNSA,
			ForeignBody: "BfV (DE)", ForeignReference: "BfV-2026-311"})
	})
	do(l, "Ivo's refusal", func() (vetting.CaseView, error) {
		return v.Refuse(ctx, cleared.Actor{Person: ivo.ID}, w.IvoCase.ID)
	})
	do(l, "the hold of Ivo's case", func() (vetting.RetentionCase, error) {
		return v.HoldCase(ctx, nsa, w.IvoCase.ID, vetting.Hold{
			Reason: "L'enquête du service requérant sur le même réseau est en cours ; les éléments recueillis lui restent utiles.",
			Review: l.now.AddDate(1, 0, 0)})
	})
}
