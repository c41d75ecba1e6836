//go:build e2e

package web_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cleared/cleared/vetting"
)

// TestBrowserVettingRetention (A23.2): jo refuses to cooperate on the case anne opened for him (demo); helene, the
// NSA, finds it on the retention page, records why its data is kept and until when; the daily purge leaves it
// until that date and erases it then: helene sees it purged, and jo's questionnaire shows none of his answers.
func TestBrowserVettingRetention(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	id := string(w.JoCase.ID)
	casePage := "/ui/vetting-cases/" + id

	jo := e.newBrowser()
	jo.signIn("jo", w.ZoneTerm.ID)
	jo.open(casePage)
	jo.click("refuse")
	jo.wantAt(casePage)
	if got := jo.text("case-stage"); !strings.Contains(got, "non-cooperation") {
		t.Fatalf("A26.1: the stage reads %q", got)
	}
	form := casePage + "/questionnaire/civil_status"
	jo.open(form)
	if got := jo.attr("f-birthplace", "value"); got != "Diekirch" {
		t.Fatalf("jo's saved answer reads %q", got)
	}

	nsa := e.newBrowser()
	nsa.signIn("helene", w.ZoneTerm.ID)
	nsa.open("/ui/registers")
	nsa.click("reg-vetting-retention")
	nsa.wantAt("/ui/vetting-retention")
	if got := nsa.text("held"); strings.Contains(got, id) {
		t.Fatalf("held before any hold: %q", got)
	}
	review := e.now().AddDate(1, 0, 0).UTC().Format(time.DateOnly)
	nsa.open("/ui/vetting-retention/" + id + "/hold")
	nsa.fatal("set #f-reason", chromedp.Do(nsa.ctx, chromedp.SetValue(chromedp.ID("f-reason"), "Enquête pénale connexe en cours au parquet")))
	nsa.fatal("set #f-review", chromedp.Do(nsa.ctx, chromedp.SetValue(chromedp.ID("f-review"), review)))
	nsa.click("submit")
	nsa.wantAt("/ui/vetting-retention")
	if got := nsa.text("held"); !strings.Contains(got, id) || !strings.Contains(got, "Enquête pénale connexe") {
		t.Fatalf("A23.2: the held cases read %q", got)
	}
	nsa.shot("vetting-retention.png")

	// The server's daily purge, a year on: due at the hold's review date, the case is purged.
	e.mu.Lock()
	e.offset += 366 * 24 * time.Hour
	e.mu.Unlock()
	rep, err := e.vet.Purge(t.Context(), false)
	if err != nil || !slices.ContainsFunc(rep.Cases, func(c vetting.RetentionCase) bool { return string(c.ID) == id }) {
		t.Fatalf("A23.2: purge %+v, %v", rep, err)
	}
	after := e.newBrowser()
	after.signIn("helene", w.ZoneTerm.ID)
	after.open("/ui/vetting-retention")
	if got := after.text("purged"); !strings.Contains(got, id) {
		t.Fatalf("A23.2: the purged cases read %q", got)
	}
	jo2 := e.newBrowser()
	jo2.signIn("jo", w.ZoneTerm.ID)
	jo2.open(form)
	if got := jo2.attr("f-birthplace", "value"); got != "" {
		t.Errorf("A23.2: the purged case still shows the answer %q", got)
	}
}
