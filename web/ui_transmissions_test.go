package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The pages of transmissions: the piece's page offers "Send" to who knows it and "Recipients" only to its
// originator and the NSA (A11.2); a SECRET piece over a CONFIDENTIEL channel is refused on the form with its rule
// (A11.1), over a SECRET one recorded; the recipient confirms the receipt from his agenda.
func TestUI_Transmissions(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	sec := string(w.Secret.ID)
	sophie := e.as("sophie", w.ZoneTerm.ID)

	p := sophie.get("/ui/pieces/" + sec)
	if !strings.Contains(p.body, `id="send-link"`) || strings.Contains(p.body, `id="recipients-link"`) {
		t.Fatalf("the reader is offered to send, not to list recipients:\n%s", p.body)
	}
	wantPage(t, sophie.get("/ui/pieces/"+sec+"/transmissions/new"), http.StatusOK, "SECRET", w.Secret.Marking())
	r := sophie.post("/ui/pieces/"+sec+"/transmissions", map[string][]string{"to_person": {string(w.Tom.ID)},
		"channel": {string(w.ConfidentialChannel.ID)}})
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "A11.1") {
		t.Fatalf("A11.1: over a CONFIDENTIEL channel: %d\n%s", r.status, r.body)
	}
	r = sophie.post("/ui/pieces/"+sec+"/transmissions", map[string][]string{"to_person": {string(w.Tom.ID)},
		"channel": {string(w.SecretChannel.ID)}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("send: %d\n%s", r.status, r.body)
	}
	loc := regexp.MustCompile(`^/ui/transmissions/trx_[a-z2-7]{26}`).FindString(r.header.Get("Location"))
	if loc == "" {
		t.Fatalf("send leads to %q", r.header.Get("Location"))
	}
	p = sophie.get(loc)
	wantPage(t, p, http.StatusOK, "SECRET", w.Secret.Marking())
	if strings.Contains(p.body, `id="confirm-receipt"`) {
		t.Error("the sender is offered to confirm the receipt")
	}

	tom := e.as("tom", w.MinistryTerm.ID)
	if p := tom.get("/ui/"); !strings.Contains(p.body, `data-kind="receipt"`) || !strings.Contains(p.body, `href="`+loc+`"`) {
		t.Fatalf("A11.2: the receipt is not on the recipient's agenda:\n%s", p.body)
	}
	p = tom.get(loc)
	if !strings.Contains(p.body, `id="confirm-receipt"`) {
		t.Fatalf("the recipient is not offered to confirm:\n%s", p.body)
	}
	if r := tom.post(loc+"/receipt", nil); r.status != http.StatusSeeOther {
		t.Fatalf("receipt: %d\n%s", r.status, r.body)
	}

	minister := e.as("minister", w.MinistryTerm.ID)
	if p := minister.get("/ui/pieces/" + sec); !strings.Contains(p.body, `id="recipients-link"`) {
		t.Fatalf("the originator is not offered the recipients:\n%s", p.body)
	}
	p = minister.get("/ui/pieces/" + sec + "/recipients")
	wantPage(t, p, http.StatusOK, "SECRET", w.Secret.Marking())
	if !strings.Contains(p.body, w.Tom.Name) {
		t.Fatalf("the recipients page does not name Tom:\n%s", p.body)
	}
	if p := tom.get("/ui/pieces/" + sec + "/recipients"); p.status != http.StatusForbidden {
		t.Errorf("A11.2: the recipient lists recipients: %d", p.status)
	}
	// A9.3: at the public kiosk the piece's page does not offer to send it.
	kiosk := e.as("sophie", w.Kiosk.ID)
	if p := kiosk.get("/ui/pieces/" + sec); strings.Contains(p.body, `id="send-link"`) {
		t.Error("A9.3: sending is offered at the public kiosk")
	}
	if p := kiosk.get("/ui/pieces/" + sec + "/transmissions/new"); p.status != http.StatusForbidden || !strings.Contains(p.body, "A9.3") {
		t.Errorf("A9.3: the form at the public kiosk: %d", p.status)
	}
	lea := e.as("lea", w.OfficeTerm.ID)
	if p := lea.get("/ui/pieces/" + sec + "/transmissions/new"); p.status != http.StatusNotFound {
		t.Errorf("A9.1: the form to send a piece one may not know: %d", p.status)
	}
}

// A11.2: the log answers who saw what, once: the piece's page, which asks whether to offer "Send", records one read
// of the piece, not one per part of the page (found when the page recorded two).
func TestUI_PiecePageRecordsOneRead(t *testing.T) {
	e := newUIEnv(t)
	sec := string(e.world.Secret.ID)
	sophie := e.as("sophie", e.world.ZoneTerm.ID)
	before := e.env.Size(t)
	if p := sophie.get("/ui/pieces/" + sec); p.status != http.StatusOK {
		t.Fatalf("piece page: %d", p.status)
	}
	reads := 0
	for _, r := range e.env.Last(t, int(e.env.Size(t)-before)) {
		if r.Action == "piece.read" && r.Object == sec {
			reads++
		}
	}
	if reads != 1 {
		t.Fatalf("one view of the piece's page recorded %d reads of it", reads)
	}
}
