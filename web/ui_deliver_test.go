package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A7.1: the choice for files that cannot be stamped is offered to the organisation's security officer alone; the
// pieces page offers the marked exports.
func TestUI_A7_1_OtherFormatsAndExports(t *testing.T) {
	poppler(t)
	e := newUIEnv(t)
	w := e.world
	path := "/ui/organisations/" + string(w.SRE.ID) + "/other-formats"

	t.Run("A7.1 someone other than the officer sees the choice, not the form", func(t *testing.T) {
		paul := e.as("paul", w.OfficeTerm.ID)
		p := paul.get(path)
		if p.status != http.StatusOK || strings.Contains(p.body, `id="form"`) || !strings.Contains(p.body, `id="other-formats"`) {
			t.Errorf("page for paul: %d\n%s", p.status, p.body)
		}
		p = paul.post(path, url.Values{"other_formats": {"wrap"}, "csrf": {paul.csrf()}})
		if p.status != http.StatusForbidden || !strings.Contains(p.body, `id="problem-rule">A7.1<`) {
			t.Errorf("a post by paul: %d\n%.500s", p.status, p.body)
		}
	})
	t.Run("A7.1 the SRE's security officer chooses to wrap", func(t *testing.T) {
		anne := e.as("anne", w.ZoneTerm.ID)
		p := anne.get(path)
		if !strings.Contains(p.body, `id="form"`) || !strings.Contains(p.body, `value="wrap"`) {
			t.Fatalf("the officer is not offered the form:\n%s", p.body)
		}
		p = anne.post(path, url.Values{"other_formats": {"wrap"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("choosing: %d\n%s", p.status, p.body)
		}
		p = anne.get(p.header.Get("Location"))
		if p.status != http.StatusOK || !strings.Contains(p.body, `value="wrap" selected`) {
			t.Errorf("after choosing: %d\n%s", p.status, p.body)
		}
	})
	t.Run("A7.1 the pieces page offers the register exported, marked", func(t *testing.T) {
		sophie := e.as("sophie", w.ZoneTerm.ID)
		p := sophie.get("/ui/pieces")
		if !strings.Contains(p.body, `href="/ui/pieces/export.pdf"`) || !strings.Contains(p.body, `href="/ui/pieces/export.csv"`) {
			t.Fatalf("no export links:\n%s", p.body)
		}
		p = sophie.get("/ui/pieces/export.csv")
		if p.status != http.StatusOK || !strings.HasPrefix(p.body, "TRES SECRET LUX\n") {
			t.Errorf("CSV export: %d %.100q", p.status, p.body)
		}
		p = sophie.get("/ui/pieces/export.pdf")
		pages := pdfPages(t, []byte(p.body))
		if !strings.HasPrefix(pages[0][0], "TRES SECRET LUX | register of pieces") {
			t.Errorf("PDF export begins %q", pages[0][0])
		}
	})
}
