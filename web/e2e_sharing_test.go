//go:build e2e

package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
)

// Releasing a product in the browser (S1): Paul opens his CONFIDENTIEL product's releases from its page and releases
// it to the EU, ticking the partner and choosing TLP:AMBER+STRICT; below SECRET the release takes effect at once,
// and the EU is among those it reaches.
func TestBrowserRelease(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	sw := testenv.NewSharingWorld(t, e.te, nil)
	conf := string(sw.ConfidentialPiece.ID)
	b := e.newBrowser()
	b.signIn("paul", w.OfficeTerm.ID)
	b.open("/ui/pieces/" + conf)
	b.click("releases-link")
	b.wantAt("/ui/pieces/" + conf + "/releases")
	b.wantBanners(sw.ConfidentialPiece.Level.String(), sw.ConfidentialPiece.Marking())
	b.open("/ui/pieces/" + conf + "/releases/new")
	tick := func(id string) {
		t.Helper()
		_, err := chromedp.Run(b.ctx, chromedp.Click(chromedp.ID(id), chromedp.NodeVisible))
		b.fatal("tick #"+id, err)
	}
	tick("f-partners-" + string(sw.EU.Organisation))
	b.choose("f-tlp", string(cleared.TLPAmberStrict))
	// An empty textarea has nothing to clear: the reason is typed as it is.
	_, err := chromedp.Run(b.ctx, chromedp.SendKeys(chromedp.ID("f-reason"), "Phishing wave seen by the EU", chromedp.NodeVisible))
	b.fatal("type the reason", err)
	if status := b.click("submit"); status != http.StatusOK {
		t.Fatalf("release: %d", status)
	}
	if loc := b.location(); !strings.HasSuffix(loc, "/releases?ok=released") {
		t.Fatalf("after releasing the browser is at %s", loc)
	}
	if got := b.pageText(); !strings.Contains(got, sw.EU.Name) || !strings.Contains(got, "amber+strict") {
		t.Fatalf("the releases page does not show the EU reached under TLP:AMBER+STRICT: %q", got)
	}
	b.shot("releases.png")
}

// Recording a source in the browser (S1, A6.1): Paul opens the sources from the registers, records NATO's TAXII
// collection as one, and polls it; the partner's server does not answer, and the list says so.
func TestBrowserSource(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	sw := testenv.NewSharingWorld(t, e.te, nil)
	b := e.newBrowser()
	b.signIn("paul", w.OfficeTerm.ID)
	b.open("/ui/registers")
	b.click("reg-sources")
	b.wantAt("/ui/sources")
	b.open("/ui/sources/new")
	b.choose("f-partner", string(sw.NATO.Organisation))
	b.choose("f-kind", string(cleared.SourceTAXII))
	b.typeIn("f-url", "https://127.0.0.1:1/taxii2/api/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/")
	b.choose("f-authority", string(w.PaulAuth.ID))
	if status := b.click("submit"); status != http.StatusOK {
		t.Fatalf("record the source: %d", status)
	}
	if loc := b.location(); !strings.HasSuffix(loc, "/ui/sources?ok=source") {
		t.Fatalf("after recording the browser is at %s", loc)
	}
	ss, err := e.te.Share.Sources(e.te.Ctx, sw.Originator, "", 10)
	if err != nil || len(ss) != 1 {
		t.Fatal(ss, err)
	}
	if status := b.click("poll-" + string(ss[0].ID)); status != http.StatusOK {
		t.Fatalf("poll: %d", status)
	}
	if got := b.pageText(); !strings.Contains(got, "The poll failed") || !strings.Contains(got, "127.0.0.1:1") {
		t.Fatalf("the sources page after a failed poll: %q", got)
	}
	b.shot("sources.png")
}
