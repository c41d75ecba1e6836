//go:build e2e

package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserIncident: Sophie reports a compromise of the TOP SECRET piece from the form (A13.1); Anne, the SRE's
// security officer, finds it on her agenda and acknowledges it there; the case then shows her acknowledgement and
// the warnings of the NSA and the originator.
func TestBrowserIncident(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	b := e.newBrowser()
	b.signIn("sophie", w.ZoneTerm.ID)
	b.open("/ui/incidents")
	b.click("nav-registers")
	b.click("reg-incidents")
	b.wantAt("/ui/incidents")
	b.open("/ui/incidents/new")
	b.choose("f-kind", "compromise")
	b.choose("f-object_kind", "piece")
	b.typeIn("f-object", string(w.TopSecret.ID))
	// A textarea starts empty: typed into as it is (chromedp cannot clear one).
	if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.ID("f-description"), "the printout was left on the train", chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	if status := b.click("submit"); status != http.StatusOK {
		t.Fatalf("report: status %d: %s", status, b.pageText())
	}
	at := b.location()
	if !strings.HasPrefix(at, "/ui/incidents/inc_") {
		t.Fatalf("after the report the browser is at %q", at)
	}
	caseURL, _, _ := strings.Cut(at, "?")
	id := strings.TrimPrefix(caseURL, "/ui/incidents/")
	b.shot("incident-reported.png")

	anne := e.newBrowser()
	anne.signIn("anne", w.ZoneTerm.ID)
	anne.wantAt("/ui/")
	if n := anne.count(`#agenda-list [data-kind="incident"]`); n != 1 {
		t.Fatalf("A13.1: the officer's agenda lists %d incidents, want 1", n)
	}
	if status := anne.click("acknowledge-" + id); status != http.StatusOK {
		t.Fatalf("acknowledge: status %d", status)
	}
	anne.wantAt(caseURL)
	notes := anne.text("notifications-list")
	for _, want := range []string{w.Anne.Name, w.Helene.Name, w.Director.Name, "anne.muller@sre.example.lu"} {
		if !strings.Contains(notes, want) {
			t.Errorf("the case's warnings %q lack %q", notes, want)
		}
	}
	if anne.count("#acknowledge") != 0 {
		t.Error("the case still offers the acknowledgement once given")
	}
	anne.shot("incident-case.png")
}
