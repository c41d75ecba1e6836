package demo

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// loadIncidents: Tom reports that the SECRET diplomatic note may have been seen by a visitor (a suspected
// compromise, A13.1). Luc, the ministry's security officer, the NSA's Hélène and the minister, its originator, are
// warned at once, on their agenda and by e-mail (the e-mails wait in the outbox for the server's dispatcher); each
// acknowledges, so that no warning escalates in a demo left running, and Luc opens his investigation (A13.3).
func loadIncidents(l *loader, w *World) {
	ctx, s := l.ctx, l.sv.Registry
	tom := cleared.Actor{Person: w.Tom.ID, Terminal: w.MinistryTerm.ID}
	luc := cleared.Actor{Person: w.Luc.ID, Terminal: w.MinistryTerm.ID}
	c := do(l, "Tom reports a suspected compromise", func() (registry.IncidentCase, error) {
		return s.ReportIncident(ctx, tom, registry.NewIncident{Kind: cleared.IncidentSuspectedCompromise, ObjectKind: cleared.IncidentPiece,
			Object: string(w.Secret.ID), Description: "La note est restée ouverte à l'écran de la salle de lecture pendant la visite d'une délégation."})
	})
	for _, a := range []cleared.Actor{luc, {Person: w.Helene.ID, Terminal: w.ZoneTerm.ID}, {Person: w.Minister.ID, Terminal: w.MinistryTerm.ID}} {
		do(l, "acknowledge the warning", func() (registry.IncidentCase, error) { return s.AcknowledgeIncident(ctx, a, c.ID) })
	}
	do(l, "Luc notes his first step", func() (registry.IncidentCase, error) {
		return s.RecordIncidentNote(ctx, luc, c.ID, "Liste des visiteurs demandée à l'accueil ; entretien avec Tom Hoffmann prévu.")
	})
	w.Incident = c.Incident
}
