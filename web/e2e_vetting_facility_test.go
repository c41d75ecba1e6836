//go:build e2e

package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cleared/cleared"
)

// TestBrowserFacilityCase (A15.1, A21.2): luc, the ministry's security officer, records a new classified contract
// with Luxdefence, opens the company's facility case for it, lists its organs (Léa director and running the
// contract, Max its security officer) and records its means; the readiness names Max, who holds RESTREINT only.
// Helene, for the NSA, records Max's CONFIDENTIEL clearance, and the case is ready for the deciding authority.
func TestBrowserFacilityCase(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	clearances, err := e.svc.Clearances(context.Background(), cleared.Actor{Person: w.Helene.ID}, "", 500)
	if err != nil {
		t.Fatal(err)
	}
	held := map[cleared.PersonID]cleared.ClearanceID{}
	for _, c := range clearances {
		held[c.PersonID] = c.ID
	}

	luc := e.newBrowser()
	luc.signIn("luc", w.MinistryTerm.ID)
	luc.open("/ui/contracts/new")
	luc.typeIn("f-reference", "MAEE/MP/2026-040 — maintenance des chiffreurs")
	luc.typeIn("f-organisation_id", string(w.Ministry.ID))
	luc.typeIn("f-contractor", string(w.Company.ID))
	luc.choose("f-level", "CONFIDENTIAL")
	if status := luc.click("submit"); status != http.StatusOK {
		t.Fatalf("record the contract: status %d\n%s", status, luc.pageText())
	}
	contract, ok := strings.CutPrefix(luc.location(), "/ui/contracts/")
	contract, _, _ = strings.Cut(contract, "?")
	if !ok {
		t.Fatalf("after recording the contract, the browser shows %s", luc.location())
	}

	luc.open("/ui/registers")
	luc.click("reg-facility-cases")
	luc.wantAt("/ui/facility-cases")
	luc.open("/ui/facility-cases/new")
	luc.choose("f-contract", contract)
	if status := luc.click("submit"); status != http.StatusOK {
		t.Fatalf("open the facility case: status %d\n%s", status, luc.pageText())
	}
	casePage, _, _ := strings.Cut(luc.location(), "?")
	if !strings.HasPrefix(casePage, "/ui/facility-cases/vet_") {
		t.Fatalf("after opening, the browser shows %s\n%s", casePage, luc.pageText())
	}
	if got := luc.text("readiness"); !strings.Contains(got, "not ready") {
		t.Errorf("A21.2: an empty case reads %q", got)
	}

	for _, o := range []struct {
		person cleared.Person
		role   string
	}{{w.Lea, "director"}, {w.Lea, "contract_runner"}, {w.Max, "security_officer"}} {
		luc.open(casePage + "/organs/new")
		luc.typeIn("f-person_id", string(o.person.ID))
		luc.choose("f-role", o.role)
		luc.typeIn("f-clearance", string(held[o.person.ID]))
		if status := luc.click("submit"); status != http.StatusOK {
			t.Fatalf("list %s as %s: status %d\n%s", o.person.Name, o.role, status, luc.pageText())
		}
		luc.wantAt(casePage)
	}

	luc.open(casePage + "/means")
	luc.typeIn("f-place_desc_1", "Salle sécurisée du bâtiment B, Bettembourg")
	luc.choose("f-place_level_1", "CONFIDENTIAL")
	luc.typeIn("f-storage_desc_1", "Coffre-fort classe B")
	luc.choose("f-storage_kind_1", "safe")
	luc.choose("f-storage_level_1", "CONFIDENTIAL")
	luc.fatal("set #f-storage_place_1", chromedp.Do(luc.ctx, chromedp.SetValue(chromedp.ID("f-storage_place_1"), "1")))
	if status := luc.click("submit"); status != http.StatusOK {
		t.Fatalf("record the means: status %d\n%s", status, luc.pageText())
	}
	luc.wantAt(casePage)
	if got := luc.text("lacks"); !strings.Contains(got, w.Max.Name) || strings.Contains(got, w.Lea.Name) ||
		!strings.Contains(got, "A21.2") || strings.Contains(got, "A15.1") {
		t.Errorf("A21.2: the case lacks %q, want Max alone", got)
	}
	luc.shot("facility-case-lacking.png")

	nsa := e.newBrowser()
	nsa.signIn("helene", w.ZoneTerm.ID)
	nsa.open("/ui/clearances/new")
	nsa.choose("f-holder_kind", "person")
	nsa.typeIn("f-person_id", string(w.Max.ID))
	nsa.choose("f-level", "CONFIDENTIAL")
	nsa.fatal("set #f-issued", chromedp.Do(nsa.ctx, chromedp.SetValue(chromedp.ID("f-issued"), e.now().AddDate(0, 0, -1).UTC().Format(time.DateOnly))))
	nsa.typeIn("f-reference", "ANS-PSC-2026-0940")
	if status := nsa.click("submit"); status != http.StatusOK {
		t.Fatalf("record Max's clearance: status %d\n%s", status, nsa.pageText())
	}
	nsa.open(casePage)
	if got := nsa.text("readiness"); !strings.Contains(got, "ready: nothing is lacking") {
		t.Fatalf("A21.2: once Max holds CONFIDENTIEL, the case reads %q\n%s", got, nsa.pageText())
	}
	if got := nsa.text("lacks"); !strings.Contains(got, "Nothing is lacking") {
		t.Errorf("the lacks read %q", got)
	}
	nsa.shot("facility-case-ready.png")
}
