//go:build e2e

package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// Sending a piece in the browser (Art. 11): Sophie sends the SECRET note to Tom from its page, over a CONFIDENTIEL
// channel first (refused, A11.1), then over the SECRET one; Tom confirms the receipt from his agenda; the minister,
// its originator, lists who received it (A11.2).
func TestBrowserTransmission(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	sec := string(w.Secret.ID)
	b := e.newBrowser()
	b.signIn("sophie", w.ZoneTerm.ID)
	b.open("/ui/pieces/" + sec)
	b.click("send-link")
	b.wantAt("/ui/pieces/" + sec + "/transmissions/new")
	b.wantBanners(w.Secret.Level.String(), w.Secret.Marking())
	b.typeIn("f-to_person", string(w.Tom.ID))
	b.choose("f-channel", string(w.ConfidentialChannel.ID))
	if status := b.click("submit"); status != http.StatusForbidden {
		t.Fatalf("A11.1: over a CONFIDENTIEL channel the form answers %d", status)
	}
	if got := b.pageText(); !strings.Contains(got, "A11.1") {
		t.Fatalf("the refusal does not name A11.1: %q", got)
	}
	b.typeIn("f-to_person", string(w.Tom.ID))
	b.choose("f-channel", string(w.SecretChannel.ID))
	if status := b.click("submit"); status != http.StatusOK {
		t.Fatalf("send: %d", status)
	}
	loc, _, _ := strings.Cut(b.location(), "?")
	trx, ok := strings.CutPrefix(loc, "/ui/transmissions/")
	if !ok || !strings.HasPrefix(trx, "trx_") {
		t.Fatalf("after sending the browser is at %s", loc)
	}
	b.shot("transmission.png")

	tom := e.newBrowser()
	tom.signIn("tom", w.MinistryTerm.ID)
	tom.wantAt("/ui/")
	if n := tom.count(`#agenda-list [data-testid="agenda-item"][data-kind="receipt"]`); n != 1 {
		t.Fatalf("Tom's agenda holds %d receipts to confirm, want 1", n)
	}
	tom.click("agenda-receipt-" + trx)
	tom.wantAt(loc)
	tom.click("confirm-receipt")
	if got := tom.text("transmission-received"); strings.Contains(got, e2eCatalog(t, "en", "transmission.unconfirmed")) {
		t.Fatalf("the receipt still reads %q", got)
	}

	minister := e.newBrowser()
	minister.signIn("minister", w.MinistryTerm.ID)
	minister.open("/ui/pieces/" + sec)
	minister.click("recipients-link")
	minister.wantAt("/ui/pieces/" + sec + "/recipients")
	minister.wantBanners(w.Secret.Level.String(), w.Secret.Marking())
	if got := minister.pageText(); !strings.Contains(got, w.Tom.Name) {
		t.Fatalf("the recipients page does not name Tom: %q", got)
	}
	minister.shot("recipients.png")
}
