package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Agenda items of copies (A9.4) and inventories (A13.1).

// CopyRequestAnswer is how long after a copy request the agenda shows its answer as due: the law sets no delay, so
// this is cleared's, to keep a request from waiting unseen.
const CopyRequestAnswer = 7 * 24 * time.Hour

// InventoryNotice is how long after an inventory closed with items missing it stays on the agenda: the incident it
// reports is a later issue's, and until then the agenda is where the officers see it.
const InventoryNotice = 30 * 24 * time.Hour

// CopyRequestFact is a pending copy request with its piece, the piece's access target and who may act for its
// originator (ActsFor, A5.2).
type CopyRequestFact struct {
	Request cleared.CopyRequest
	Piece   cleared.Piece
	Target  Target
	ActsFor []cleared.AuthorityID
}

// CopyRequestItems are the pending copy requests the reader may decide: on a piece one of his authorities (held
// in office) classified or acts for (A9.4, A5.2), that he may know (A9.1; its title withheld where his terminal may
// not show it, A8.1, A8.2). Each is due CopyRequestAnswer after it was made.
func CopyRequestItems(r AgendaReader, authorities []cleared.AuthorityID, facts []CopyRequestFact, t time.Time) []AgendaItem {
	sub := r.subject()
	var items []AgendaItem
	for _, f := range facts {
		rq, p := f.Request, f.Piece
		if rq.Status != cleared.CopyRequestPending || rq.Piece != p.ID || f.Target.Piece != p.ID {
			continue
		}
		if _, d := ConsentAuthority(authorities, f.ActsFor); !d.Allowed {
			continue
		}
		shown, withhold := Describe(sub, f.Target, t)
		if !shown.Allowed {
			continue
		}
		if withhold {
			p = p.WithholdTitle()
		}
		items = append(items, agendaItem(AgendaItem{Kind: AgendaCopyRequest, Due: rq.Created.Add(CopyRequestAnswer), Piece: &p, CopyRequest: &rq}, t))
	}
	return items
}

// InventoryAgendaItems are the inventories closed with items missing in the InventoryNotice before t, of the
// organisations the reader is security officer of (or any for an NSA officer): a possible compromise (A13.1). Each
// is due, and overdue, from its closing.
func InventoryAgendaItems(officerOf []cleared.OrganisationID, nsa bool, inventories []cleared.Inventory, t time.Time) []AgendaItem {
	var items []AgendaItem
	for _, inv := range inventories {
		if inv.Closed.IsZero() || inv.Missing == 0 || !t.Before(inv.Closed.Add(InventoryNotice)) {
			continue
		}
		if !TakeInventory(officerOf, nsa, inv.OrganisationID).Allowed {
			continue
		}
		items = append(items, agendaItem(AgendaItem{Kind: AgendaInventoryMissing, Due: inv.Closed, Inventory: &inv}, t))
	}
	return items
}
