package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
)

// TestUI_Inbox_S1_A5_1 decides on what partners sent from the web UI: a classifying authority imports one envelope
// and refuses another; who holds no authority is refused the page (A5.1).
func TestUI_Inbox_S1_A5_1(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	sw := testenv.NewSharingWorld(t, e.env, nil)
	var ids []cleared.InboxID
	for _, title := range []string{"Botnet C2 rotation", "Phishing wave"} {
		it, err := e.env.Share.Receive(e.env.Ctx, sw.NATO, testenv.Envelope(t, title))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	paul := e.as("paul", w.OfficeTerm.ID)
	for _, lang := range []string{"en", "fr"} {
		paul.get("/lang/" + lang + "?next=/ui/")
		for _, path := range []string{"/ui/inbox", "/ui/inbox/" + string(ids[0]) + "/import", "/ui/inbox/" + string(ids[0]) + "/refuse"} {
			wantPage(t, paul.get(path), http.StatusOK, "UNCLASSIFIED", map[string]string{"en": "UNCLASSIFIED", "fr": unclassified}[lang])
		}
	}
	paul.get("/lang/en?next=/ui/")
	if p := paul.get("/ui/inbox"); !strings.Contains(p.body, sw.NATO.Name) || !strings.Contains(p.body, `id="import-`+string(ids[0])+`"`) {
		t.Fatalf("inbox page:\n%s", p.body)
	}
	if p := e.as("lea", w.OfficeTerm.ID).get("/ui/inbox"); p.status != http.StatusForbidden {
		t.Errorf("the inbox to a holder without authority: %d, want 403 (A5.1)", p.status)
	}

	paul.get("/ui/inbox/" + string(ids[0]) + "/import")
	p := paul.post("/ui/inbox/"+string(ids[0])+"/import", url.Values{"authority": {string(w.PaulAuth.ID)}})
	if p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "ok=inbox_imported") {
		t.Fatalf("import: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	paul.get("/ui/inbox/" + string(ids[1]) + "/refuse")
	if p := paul.post("/ui/inbox/"+string(ids[1])+"/refuse", url.Values{"reason": {""}}); p.status != http.StatusBadRequest {
		t.Fatalf("refuse without a reason: %d", p.status)
	}
	paul.get("/ui/inbox/" + string(ids[1]) + "/refuse")
	if p := paul.post("/ui/inbox/"+string(ids[1])+"/refuse", url.Values{"reason": {"Duplicate"}}); p.status != http.StatusSeeOther ||
		!strings.HasSuffix(p.header.Get("Location"), "ok=inbox_refused") {
		t.Fatalf("refuse: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	if p := paul.get("/ui/inbox"); !strings.Contains(p.body, ">imported<") || !strings.Contains(p.body, ">refused<") ||
		strings.Contains(p.body, `id="import-`) {
		t.Errorf("the inbox after the decisions:\n%s", p.body)
	}
}
