//go:build e2e

package web_test

import "testing"

// TestBrowserPosts: the ministry's security officer follows the agenda's flag (A14.1) to the classified contract,
// assigns Max, cleared only RESTREINT, to the CONFIDENTIEL contract and sees him flagged too, then ends Nina's
// assignment, whose flag leaves the page and the agenda.
func TestBrowserPosts(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	b := e.newBrowser()
	b.signIn("luc", w.MinistryTerm.ID)
	b.wantAt("/ui/")
	if n := b.count(`#agenda-list [data-testid="agenda-item"][data-kind="uncleared"]`); n != 1 {
		t.Fatalf("the agenda lists %d persons without their clearance, want 1 (Nina)", n)
	}
	b.click("agenda-uncleared-" + string(w.NinaOnDeal.ID))
	contract := "/ui/contracts/" + string(w.Contract.ID)
	b.wantAt(contract)
	b.wantBanners("UNCLASSIFIED", "UNCLASSIFIED")
	if n := b.count(`[id^="flag-"]`); n != 1 {
		t.Fatalf("the contract's page flags %d persons, want 1", n)
	}
	b.shot("contract.png")

	b.open("/ui/assignments/new?contract=" + string(w.Contract.ID))
	b.typeIn("f-person_id", string(w.Max.ID))
	b.click("submit")
	b.wantAt(contract)
	if n := b.count(`[id^="flag-"]`); n != 2 {
		t.Fatalf("A14.1: Max, RESTREINT on a CONFIDENTIEL contract, is not flagged: %d flags", n)
	}

	b.click("end-" + string(w.NinaOnDeal.ID))
	b.wantAt(contract)
	if n := b.count(`#flag-` + string(w.NinaOnDeal.ID)); n != 0 {
		t.Error("A14.1: Nina's assignment ended, her flag stays")
	}
	b.open("/ui/")
	if n := b.count(`#agenda-uncleared-` + string(w.NinaOnDeal.ID)); n != 0 {
		t.Error("A14.1: Nina's assignment ended, her flag stays on the agenda")
	}
}
