//go:build e2e

package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserVettingIntake: jo finds the case anne opened for him (demo), finishes the questionnaire section by
// section and signs it and his consent (A25.1, A25.2); anne then sees the stage, and none of his answers.
func TestBrowserVettingIntake(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	casePage := "/ui/vetting-cases/" + string(w.JoCase.ID)
	b := e.newBrowser()
	b.signIn("jo", w.ZoneTerm.ID)
	b.open("/ui/vetting-cases")
	b.click("case-" + string(w.JoCase.ID))
	b.wantAt(casePage)
	b.wantBanners("UNCLASSIFIED", "UNCLASSIFIED")
	b.shot("vetting-case-person.png")

	b.click("fill-professional")
	b.typeIn("f-employer_1", "Service de Renseignement de l'État")
	b.typeIn("f-function_1", "analyste")
	// A date input takes its value as the browser's locale shows it; set it as the form sends it.
	b.fatal("set #f-from_1", chromedp.Do(b.ctx, chromedp.SetValue(chromedp.ID("f-from_1"), "2005-03-01")))
	b.click("submit")
	b.wantAt(casePage)
	for _, sec := range []string{"reliability", "vulnerability"} {
		b.click("fill-" + sec)
		b.click("submit")
		b.wantAt(casePage)
	}
	b.click("sign")
	b.wantAt(casePage)
	b.click("consent")
	b.wantAt(casePage)
	if got := b.text("case-stage"); !strings.Contains(got, "questionnaire and consent signed") {
		t.Fatalf("A25.1: the stage reads %q", got)
	}

	anne := e.newBrowser()
	anne.signIn("anne", w.ZoneTerm.ID)
	anne.open(casePage)
	if got := anne.text("case-stage"); !strings.Contains(got, "questionnaire and consent signed") {
		t.Fatalf("A25.1: the officer reads the stage %q", got)
	}
	if text := anne.pageText(); strings.Contains(text, "Diekirch") || strings.Contains(text, "analyste") {
		t.Error("A25.1: the security officer's page shows an answer")
	}
	anne.shot("vetting-case-officer.png")
}
