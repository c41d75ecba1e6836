package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
)

// TestUI_Sources_S1 records a source from the web UI, sees it listed with its state, polls it (the partner's
// server does not answer: the page says the poll failed and the source keeps why), and reads an imported piece's
// partner on its page (A6.1).
func TestUI_Sources_S1(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	sw := testenv.NewSharingWorld(t, e.env, nil)
	paul := e.as("paul", w.OfficeTerm.ID)
	for _, lang := range []string{"en", "fr"} {
		paul.get("/lang/" + lang + "?next=/ui/")
		for _, path := range []string{"/ui/sources", "/ui/sources/new"} {
			wantPage(t, paul.get(path), http.StatusOK, "UNCLASSIFIED", map[string]string{"en": "UNCLASSIFIED", "fr": unclassified}[lang])
		}
	}
	paul.get("/lang/en?next=/ui/")
	paul.get("/ui/sources/new")
	if p := paul.post("/ui/sources", url.Values{"partner": {string(sw.NATO.Organisation)}, "kind": {"taxii"},
		"url": {"http://insecure.example/collections/x/"}, "authority": {string(w.PaulAuth.ID)}}); p.status != http.StatusBadRequest ||
		!strings.Contains(p.body, "https") {
		t.Fatalf("an http address: %d\n%s", p.status, p.body)
	}
	paul.get("/ui/sources/new")
	p := paul.post("/ui/sources", url.Values{"partner": {string(sw.NATO.Organisation)}, "kind": {"taxii"},
		"url": {"https://127.0.0.1:1/taxii2/api/collections/c1/"}, "authority": {string(w.PaulAuth.ID)}})
	if p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "/ui/sources?ok=source") {
		t.Fatalf("record: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	ss, err := e.env.Share.Sources(e.env.Ctx, sw.Originator, "", 10)
	if err != nil || len(ss) != 1 {
		t.Fatal(ss, err)
	}
	list := paul.get("/ui/sources")
	if !strings.Contains(list.body, sw.NATO.Name) || !strings.Contains(list.body, "Not polled yet") || !strings.Contains(list.body, `id="poll-`+string(ss[0].ID)+`"`) {
		t.Errorf("sources page:\n%s", list.body)
	}
	p = paul.post("/ui/sources/"+string(ss[0].ID)+"/poll", url.Values{})
	if p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "ok=poll_failed") {
		t.Fatalf("poll: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	if list := paul.get("/ui/sources?ok=poll_failed"); !strings.Contains(list.body, "127.0.0.1:1") || !strings.Contains(list.body, "The poll failed") {
		t.Errorf("sources page after a failed poll does not say why:\n%s", list.body)
	}
	if p := e.as("lea", w.OfficeTerm.ID).get("/ui/sources"); p.status != http.StatusForbidden {
		t.Errorf("the sources to a holder without authority: %d", p.status)
	}

	// A product received from NATO: its page names NATO as where it came from.
	sent := received("2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d", "Received assessment", cleared.Secret, cleared.SchemeNATO, "NATO SECRET")
	got, err := e.env.Share.Import(e.env.Ctx, sw.Originator, importOf(t, sw.NATO.Organisation, w.PaulAuth.ID, sent))
	if err != nil || len(got) != 1 || got[0].Piece == nil {
		t.Fatal(got, err)
	}
	page := paul.get("/ui/pieces/" + string(got[0].Piece.ID))
	if !strings.Contains(page.body, `id="piece-receipt"`) || !strings.Contains(page.body, sw.NATO.Name) || !strings.Contains(page.body, sent.UUID) {
		t.Errorf("the piece's page does not name the partner it came from:\n%s", page.body)
	}
}
