//go:build e2e

package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
)

// A9.5 in a browser: the NSA officer records a judicial order from its form; the demo's investigating judge, with
// no clearance and no grant, signs in at the SRE's office terminal, opens the piece it covers and is told, above
// its marking, that he reads it by the order.
func TestBrowserJudicialOrder(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	if _, err := e.auth.AddAccount(context.Background(), auth.NewAccount{PersonID: w.Kremer.ID, Login: "kremer",
		Password: demo.Password("kremer"), TOTPSecret: demo.TOTPSecret("kremer")}); err != nil {
		t.Fatal(err)
	}
	h := e.newBrowser()
	h.signIn("helene", w.ZoneTerm.ID)
	h.open("/ui/judicial-orders/new")
	h.typeIn("f-court", "Tribunal d'arrondissement de Luxembourg")
	h.typeIn("f-reference", "JI-2026-0999")
	today := e.now().UTC().Format(time.DateOnly)
	for id, v := range map[string]string{"f-issued": today, "f-from": today, "f-until": e.now().AddDate(0, 1, 0).Format(time.DateOnly)} {
		h.fatal("set "+id, chromedp.Do(h.ctx, chromedp.SetValue(chromedp.ID(id), v)))
	}
	for id, v := range map[string]string{"f-persons": string(w.Kremer.ID), "f-pieces": string(w.Secret.ID)} { // empty textareas
		h.fatal("type in "+id, chromedp.Do(h.ctx, chromedp.SendKeys(chromedp.ID(id), v, chromedp.NodeVisible)))
	}
	if status := h.click("submit"); status != http.StatusOK {
		t.Fatalf("record the order: status %d\n%s", status, h.pageText())
	}
	if loc := h.location(); !strings.HasPrefix(loc, "/ui/judicial-orders/jud_") {
		t.Fatalf("after recording, the browser shows %s\n%s", loc, h.pageText())
	}
	if got := h.text("order-reference"); got != "JI-2026-0999" {
		t.Errorf("the order's page reads reference %q", got)
	}

	k := e.newBrowser()
	k.signIn("kremer", w.OfficeTerm.ID)
	if status := k.open("/ui/pieces/" + string(w.Secret.ID)); status != http.StatusOK {
		t.Fatalf("the judge opens the covered piece: status %d\n%s", status, k.pageText())
	}
	k.wantBanners(w.Secret.Level.String(), w.Secret.Marking())
	if got := k.text("judicial-access"); !strings.Contains(got, "JI-2026-0999") || !strings.Contains(got, "judicial order") {
		t.Errorf("A9.5: the piece page reads %q above the marking, want the order named", got)
	}
	if k.count("#copies-link") != 0 {
		t.Error("A9.5: a copy is offered to the judge")
	}
	if status := k.open("/ui/pieces/" + string(w.TopSecret.ID)); status != http.StatusNotFound {
		t.Errorf("a piece outside the order: status %d, want 404", status)
	}
}
