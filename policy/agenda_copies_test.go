package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func TestCopyRequestItems(t *testing.T) {
	f := newAccess()
	originator, other := cleared.NewAuthorityID(), cleared.NewAuthorityID()
	r := AgendaReader{Person: cleared.Person{ID: f.person}, Subject: f.subject(cleared.TopSecret, f.zone)}
	pending := cleared.CopyRequest{ID: cleared.NewCopyRequestID(), Piece: f.secret.ID, Status: cleared.CopyRequestPending, Created: now.Add(-time.Hour)}
	approved := pending
	approved.ID, approved.Status = cleared.NewCopyRequestID(), cleared.CopyRequestApproved
	fact := func(rq cleared.CopyRequest, acts ...cleared.AuthorityID) CopyRequestFact {
		return CopyRequestFact{Request: rq, Piece: f.secret, Target: TargetOf(f.secret, f.dossier), ActsFor: acts}
	}
	hiddenPiece := CopyRequestFact{Request: pending, Piece: f.otherPiece, Target: TargetOf(f.otherPiece, f.dossier), ActsFor: []cleared.AuthorityID{originator}}
	hiddenPiece.Request.Piece = f.otherPiece.ID
	tests := []struct {
		name  string
		facts []CopyRequestFact
		want  int
	}{
		// A9.4: due a week after it was made (cleared's delay: the law sets none).
		{"A9.4 a pending request waits for the originator", []CopyRequestFact{fact(pending, originator)}, 1},
		{"A9.4 A5.2 not for an authority that does not act for the originator", []CopyRequestFact{fact(pending, other)}, 0},
		{"A9.4 a decided request waits no more", []CopyRequestFact{fact(approved, originator)}, 0},
		{"A9.1 not on a piece the reader may not know", []CopyRequestFact{hiddenPiece}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := CopyRequestItems(r, []cleared.AuthorityID{originator}, tt.facts, now)
			if len(items) != tt.want {
				t.Fatalf("%d items, want %d", len(items), tt.want)
			}
			if tt.want == 1 && (items[0].Kind != AgendaCopyRequest || items[0].Article != "A9.4" || !items[0].Due.Equal(pending.Created.Add(7*24*time.Hour))) {
				t.Errorf("item %+v", items[0])
			}
		})
	}
}

func TestInventoryAgendaItems(t *testing.T) {
	org := cleared.NewOrganisationID()
	closed := cleared.Inventory{ID: cleared.NewInventoryID(), OrganisationID: org, Closed: now.Add(-time.Hour), Missing: 1}
	complete := closed
	complete.Missing = 0
	open := closed
	open.Closed = time.Time{}
	old := closed
	old.Closed = now.Add(-InventoryNotice)
	tests := []struct {
		name      string
		officerOf []cleared.OrganisationID
		nsa       bool
		inv       cleared.Inventory
		want      int
	}{
		{"A13.1 the officer sees what his inventory found missing", []cleared.OrganisationID{org}, false, closed, 1},
		{"A13.1 the NSA sees it", nil, true, closed, 1},
		{"A13.1 not another organisation's officer", []cleared.OrganisationID{cleared.NewOrganisationID()}, false, closed, 0},
		{"A13.1 nothing missing, nothing to report", []cleared.OrganisationID{org}, false, complete, 0},
		{"A13.1 an open inventory reports nothing yet", []cleared.OrganisationID{org}, false, open, 0},
		{"A13.1 the notice ends exactly InventoryNotice after the closing", []cleared.OrganisationID{org}, false, old, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := InventoryAgendaItems(tt.officerOf, tt.nsa, []cleared.Inventory{tt.inv}, now)
			if len(items) != tt.want {
				t.Fatalf("%d items, want %d", len(items), tt.want)
			}
			if tt.want == 1 && (items[0].Article != "A13.1" || !items[0].Overdue) {
				t.Errorf("item %+v", items[0])
			}
		})
	}
}

// Items due at the same instant, of one kind, are ordered by what they are about: two destruction reports awaiting
// the same officer come in the order of their IDs, whichever order they were found in (A10.2).
func TestSortAgendaDestructions(t *testing.T) {
	a := cleared.Destruction{ID: "dst_aaaaaaaaaaaaaaaaaaaaaaaaaa"}
	b := cleared.Destruction{ID: "dst_bbbbbbbbbbbbbbbbbbbbbbbbbb"}
	items := []AgendaItem{{Kind: AgendaDestruction, Due: now, Destruction: &b}, {Kind: AgendaDestruction, Due: now, Destruction: &a}}
	SortAgenda(items)
	if items[0].Destruction.ID != a.ID || items[1].Destruction.ID != b.ID {
		t.Fatalf("order %s, %s: want %s first", items[0].Destruction.ID, items[1].Destruction.ID, a.ID)
	}
}

// Items of one kind due at one time come in the order of their objects' IDs, for the kinds of issues 19 and 20 too
// (receipts A11.2, persons lacking their clearance A14.1, incidents A13.1).
func TestSortAgendaTiesByObject(t *testing.T) {
	ta, tb := cleared.Transmission{ID: "trx_aaaaaaaaaaaaaaaaaaaaaaaaaa"}, cleared.Transmission{ID: "trx_bbbbbbbbbbbbbbbbbbbbbbbbbb"}
	aa, ab := cleared.Assignment{ID: "asg_aaaaaaaaaaaaaaaaaaaaaaaaaa"}, cleared.Assignment{ID: "asg_bbbbbbbbbbbbbbbbbbbbbbbbbb"}
	ia, ib := cleared.Incident{ID: "inc_aaaaaaaaaaaaaaaaaaaaaaaaaa"}, cleared.Incident{ID: "inc_bbbbbbbbbbbbbbbbbbbbbbbbbb"}
	for _, c := range []struct {
		name string
		a, b AgendaItem
	}{
		{"receipt", AgendaItem{Kind: AgendaReceipt, Due: now, Transmission: &ta}, AgendaItem{Kind: AgendaReceipt, Due: now, Transmission: &tb}},
		{"uncleared", AgendaItem{Kind: AgendaUncleared, Due: now, Assignment: &aa}, AgendaItem{Kind: AgendaUncleared, Due: now, Assignment: &ab}},
		{"incident", AgendaItem{Kind: AgendaIncident, Due: now, Incident: &ia}, AgendaItem{Kind: AgendaIncident, Due: now, Incident: &ib}},
	} {
		items := []AgendaItem{c.b, c.a}
		SortAgenda(items)
		if items[0].object() != c.a.object() || c.a.object() == "" {
			t.Errorf("%s: %q first, want %q", c.name, items[0].object(), c.a.object())
		}
	}
}
