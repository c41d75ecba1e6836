package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// A10.1, A10.2 in the web UI: Tom is offered to destroy the SECRET note and signs its report; Luc finds it on his
// agenda and countersigns; the page then shows both signatures valid, the downloads, and the piece destroyed.
// Who may not destroy is not offered the button.
func TestUI_Destruction_A10_2(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	piece := "/ui/pieces/" + string(w.Secret.ID)

	sophie := e.as("sophie", w.OfficeTerm.ID)
	if p := sophie.get("/ui/pieces/" + string(w.TopSecret.ID)); strings.Contains(p.body, `id="destroy"`) {
		t.Error("A8.2: Sophie, outside the security zone, is offered to destroy the TRES SECRET piece")
	}

	tom := e.as("tom", w.MinistryTerm.ID)
	p := tom.get(piece)
	wantPage(t, p, http.StatusOK, "SECRET", "SECRET LUX")
	if !strings.Contains(p.body, `id="destroy"`) {
		t.Fatalf("Tom, who holds the note, is not offered to destroy it:\n%s", p.body)
	}
	p = tom.post(piece+"/destruction", url.Values{"method": {""}})
	loc := p.header.Get("Location")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/ui/destructions/dst_") {
		t.Fatalf("destroy: %d %s\n%s", p.status, loc, p.body)
	}
	page := strings.TrimSuffix(loc, "?ok=destroyed")
	p = tom.get(loc)
	wantPage(t, p, http.StatusOK, "SECRET", "SECRET LUX")
	if !strings.Contains(p.body, `data-state="awaiting_countersignature"`) || strings.Count(p.body, `data-testid="signature" data-valid="true"`) != 1 ||
		strings.Contains(p.body, `id="countersign"`) {
		t.Fatalf("after Tom's signature:\n%s", p.body)
	}
	if p := tom.get(piece); strings.Contains(p.body, `id="destroy"`) {
		t.Error("A10.2: the destruction awaiting its countersignature is offered again")
	}

	luc := e.as("luc", w.MinistryTerm.ID)
	dash := luc.get("/ui/")
	id := strings.TrimPrefix(page, "/ui/destructions/")
	if !strings.Contains(dash.body, `id="agenda-destruction-`+id+`"`) {
		t.Fatalf("Luc's agenda does not list the destruction awaiting his countersignature:\n%s", dash.body)
	}
	p = luc.get(page)
	if !strings.Contains(p.body, `id="countersign"`) {
		t.Fatalf("Luc is not offered to countersign:\n%s", p.body)
	}
	p = luc.post(page+"/countersign", nil)
	if p.status != http.StatusSeeOther {
		t.Fatalf("countersign: %d\n%s", p.status, p.body)
	}
	p = luc.get(p.header.Get("Location"))
	wantPage(t, p, http.StatusOK, "SECRET", "SECRET LUX")
	if !strings.Contains(p.body, `data-state="completed"`) || strings.Count(p.body, `data-testid="signature" data-valid="true"`) != 2 {
		t.Fatalf("after Luc's countersignature:\n%s", p.body)
	}
	for _, link := range regexp.MustCompile(`href="(/ui/destructions/dst_[a-z0-9]+/(?:document|signatures/\d))"`).FindAllStringSubmatch(p.body, -1) {
		if d := luc.get(link[1]); d.status != http.StatusOK || len(d.body) == 0 || !strings.HasPrefix(d.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s: %d, %d bytes", link[1], d.status, len(d.body))
		}
	}
	if p := luc.get("/ui/"); strings.Contains(p.body, `id="agenda-destruction-`+id+`"`) {
		t.Error("the countersigned destruction is still on Luc's agenda")
	}
	if p := tom.get(piece); !strings.Contains(p.body, `data-testid="destruction"`) || strings.Contains(p.body, `id="destroy"`) {
		t.Errorf("the destroyed piece's page:\n%s", p.body)
	}
	// A stranger gets the 404 page.
	if p := e.as("lea", w.OfficeTerm.ID).get(page); p.status != http.StatusNotFound {
		t.Errorf("Léa reads the destruction: %d", p.status)
	}
}
