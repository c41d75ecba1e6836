//go:build e2e

package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
)

// A18.1 in a browser, each role in turn: Claude Reuter, the security officer of the Direction de la Défense, finds
// on his agenda that Marie Kayser's clearance awaits its briefing and records it; Kayser finds the declaration on
// her agenda, reads it and signs it, and her clearance reads in force; she reports a change of her circumstances;
// Reuter sees that a report was made, not what changed; Hélène, the NSA, reads it and takes it up. Reuter and Kayser
// are given accounts here: the demo has none for them.
func TestBrowserBriefing(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	for login, p := range map[string]cleared.PersonID{"kayser": w.Kayser.ID, "reuter": w.Reuter.ID} {
		if _, err := e.auth.AddAccount(context.Background(), auth.NewAccount{PersonID: p, Login: login,
			Password: demo.Password(login), TOTPSecret: demo.TOTPSecret(login)}); err != nil {
			t.Fatal(err)
		}
	}
	page := "/ui/clearances/" + string(w.KayserClearance.ID) + "/briefings"

	officer := e.newBrowser()
	officer.signIn("reuter", w.ZoneTerm.ID)
	officer.click("agenda-briefing-" + string(w.KayserClearance.ID))
	officer.wantAt(page)
	officer.shot("briefing-officer.png")
	officer.open(page + "/new")
	officer.typeIn("f-briefed_by", "Claude Reuter")
	officer.typeIn("f-instructions", "Instructions de sécurité de la Défense, v3")
	officer.click("submit")
	officer.wantAt(page)
	if got := officer.text("row-briefing-1"); !strings.Contains(got, "Instructions de sécurité de la Défense, v3") {
		t.Fatalf("A18.1: the briefing reads %q", got)
	}

	kayser := e.newBrowser()
	kayser.signIn("kayser", w.ZoneTerm.ID)
	kayser.click("agenda-declaration-" + string(w.KayserClearance.ID))
	kayser.wantAt(page)
	if got := kayser.text("row-declaration-text"); !strings.Contains(got, "article 18") || !strings.Contains(got, "Article 18") {
		t.Fatalf("A18.1: the declaration reads %q", got)
	}
	kayser.shot("briefing-declaration.png")
	kayser.click("sign-declaration")
	kayser.wantAt(page)
	if got := kayser.text("clearance-status"); !strings.Contains(got, "activ") || strings.Contains(got, "attente") || strings.Contains(got, "awaiting") {
		t.Fatalf("A18.1: after the declaration the clearance reads %q", got)
	}

	kayser.open("/ui/circumstances/new")
	kayser.choose("f-kind", "marriage")
	// An empty textarea takes keys without being cleared first.
	kayser.fatal("type in f-details", chromedp.Do(kayser.ctx, chromedp.SendKeys(chromedp.ID("f-details"),
		"Mariage avec Jana Novak, ressortissante tchèque", chromedp.NodeVisible)))
	kayser.click("submit")
	if got := kayser.text("report-details"); !strings.Contains(got, "Novak") {
		t.Fatalf("A18.1: the holder reads her report as %q", got)
	}
	reportPath := strings.SplitN(kayser.location(), "?", 2)[0]
	if !strings.HasPrefix(reportPath, "/ui/circumstances/chg_") {
		t.Fatalf("the report was not sent: the browser shows %s", reportPath)
	}

	officer.open(reportPath)
	if text := officer.pageText(); strings.Contains(text, "Novak") {
		t.Error("A18.1: the security officer reads what changed")
	}

	helene := e.newBrowser()
	helene.signIn("helene", w.ZoneTerm.ID)
	helene.open(reportPath)
	if got := helene.text("report-details"); !strings.Contains(got, "Novak") {
		t.Fatalf("A18.1: the NSA reads %q", got)
	}
	helene.shot("circumstance-nsa.png")
	helene.click("take-up")
	helene.wantAt(reportPath)
	if got := helene.text("report-taken-up"); got == "—" || got == "" {
		t.Errorf("A18.1: taken up reads %q", got)
	}
}
