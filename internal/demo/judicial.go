package demo

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// loadJudicial: an investigating judge looks into the encryption contract; the order served on the NSA names him
// on the contract's specifications for three months (Art. 9 al. 1, A9.5). He holds no clearance and no grant: the
// order alone lets him read the piece, at a terminal fit for it, and every such read names the order.
func loadJudicial(l *loader, w *World) {
	ctx, s, now := l.ctx, l.sv.Registry, l.now
	nsa := cleared.Actor{Person: w.Helene.ID}
	w.Court = do(l, "organisation tribunal", func() (cleared.Organisation, error) {
		return s.RegisterOrganisation(ctx, nsa, registry.NewOrganisation{Name: "Tribunal d'arrondissement de Luxembourg", Kind: cleared.PublicBody, Country: "LU"})
	})
	w.Kremer = do(l, "person Kremer", func() (cleared.Person, error) {
		return s.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: w.Court.ID, Name: "Paul Kremer, juge d'instruction"})
	})
	w.Order = do(l, "judicial order", func() (cleared.JudicialOrder, error) {
		return s.RecordJudicialOrder(ctx, nsa, registry.NewJudicialOrder{Court: "Tribunal d'arrondissement de Luxembourg, cabinet d'instruction",
			Reference: "JI-2026-0815", Issued: now.AddDate(0, 0, -2), Persons: []cleared.PersonID{w.Kremer.ID},
			Pieces: []cleared.PieceID{w.Confidential.ID}, From: now.AddDate(0, 0, -1), Until: now.AddDate(0, 3, 0)})
	})
}
