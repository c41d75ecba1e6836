package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/pdf"
)

// poppler skips a test when poppler-utils are missing (CI installs them: .ci/run), and says so.
func poppler(t testing.TB) {
	t.Helper()
	for _, bin := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s is not installed (apt-get install poppler-utils): the stamped pages cannot be read back", bin)
		}
	}
}

// pdfPages reads doc with pdftotext, one string a page, its lines trimmed and blank lines dropped.
func pdfPages(t testing.TB, doc []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(doc, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.80q", doc)
	}
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(doc)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var pages [][]string
	for _, pg := range strings.Split(strings.TrimSuffix(string(out), "\f"), "\f") {
		var lines []string
		for _, l := range strings.Split(pg, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		pages = append(pages, lines)
	}
	return pages
}

// drawn renders every page of doc with pdftoppm, so that a PDF a viewer could not draw fails the test.
func drawn(t testing.TB, doc []byte) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "20", "-png", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
}

// wantStamped checks that every page of doc begins and ends with the stamp of marks (A7.1), and returns the pages.
func wantStamped(t testing.TB, doc []byte, m pdf.Marks) [][]string {
	t.Helper()
	drawn(t, doc)
	pages := pdfPages(t, doc)
	for i, lines := range pages {
		want := m.Line(i+1, len(pages))
		if len(lines) < 2 || lines[0] != want || lines[len(lines)-1] != want {
			t.Errorf("page %d of %d reads %q: want %q at its top and at its bottom", i+1, len(pages), lines, want)
		}
	}
	return pages
}

// attachedFile extracts the file name attached to doc.
func attachedFile(t testing.TB, doc []byte, name string) []byte {
	t.Helper()
	dir := t.TempDir()
	if err := api.ExtractAttachments(bytes.NewReader(doc), dir, []string{name}, nil); err != nil {
		t.Fatalf("extract %s: %v", name, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A7.1: the content of a piece is delivered marked on every page, top and bottom, whatever its format; the stored
// content is not changed by it.
func TestDeliver_A7_1_EveryRenderingMarked(t *testing.T) {
	poppler(t)
	e := newEnv(t, nil)
	w := e.world
	three := pdf.Text(threePages())

	t.Run("A7.1 a PDF piece is stamped on every page with its marking, reference and page n of m", func(t *testing.T) {
		in := newPiece(w.PaulAuth, "CONFIDENTIAL", "Rapport de trois pages")
		in["content"], in["content_type"] = base64.StdEncoding.EncodeToString(three), "application/pdf"
		id := decodeAs[pieceItem](t, e.post("paul", "/api/pieces", in)).ID
		r := e.get("paul", "/api/pieces/"+string(id)+"/content")
		wantStatus(t, r, http.StatusOK)
		for k, v := range map[string]string{"Content-Type": "application/pdf", "Classification": "CONFIDENTIEL LUX", "Rendering": "stamped",
			"Content-Disposition": `attachment; filename="` + string(id) + `.pdf"`} {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s: %q, want %q", k, got, v)
			}
		}
		pages := wantStamped(t, r.body, pdf.Marks{Marking: "CONFIDENTIEL LUX", Reference: string(id)})
		if len(pages) != 3 || !strings.Contains(strings.Join(pages[2], " "), "Line 180 of the report.") {
			t.Errorf("the stamped file lost its own pages or text: %d pages", len(pages))
		}
		// The stored content is the file as given: stamping happens on the way out.
		te := testenv.Who(w.Paul, w.OfficeTerm.ID)
		if _, stored, err := e.svc.ReadContent(context.Background(), te, id); err != nil || !bytes.Equal(stored, three) {
			t.Errorf("the stored content changed (%v): %d bytes, want the %d given", err, len(stored), len(three))
		}
	})
	t.Run("A7.1 A8.2 the text of a TRES SECRET piece is set on stamped pages, its bytes attached", func(t *testing.T) {
		r := e.get("sophie_zone", "/api/pieces/"+string(w.TopSecret.ID)+"/content")
		wantStatus(t, r, http.StatusOK)
		if r.header.Get("Rendering") != "rendered-text" {
			t.Errorf("Rendering %q", r.header.Get("Rendering"))
		}
		pages := wantStamped(t, r.body, pdf.Marks{Marking: "TRES SECRET LUX", Reference: string(w.TopSecret.ID)})
		if !strings.Contains(strings.Join(pages[0], "\n"), "Évaluation TRES SECRET: sources humaines et techniques sur le réseau ORAGE.") {
			t.Errorf("the page does not show the text: %q", pages[0])
		}
		want := "Évaluation TRES SECRET: sources humaines et techniques sur le réseau ORAGE.\n"
		if got := attachedFile(t, r.body, string(w.TopSecret.ID)+".txt"); string(got) != want {
			t.Errorf("attached %q, want %q", got, want)
		}
	})
	t.Run("A7.1 A6.1 a foreign piece is stamped with both markings", func(t *testing.T) {
		r := e.get("sophie_zone", "/api/pieces/"+string(w.NATO.ID)+"/content")
		wantStatus(t, r, http.StatusOK)
		wantStamped(t, r.body, pdf.Marks{Marking: "NATO SECRET / SECRET LUX", Reference: string(w.NATO.ID)})
	})
	t.Run("A7.1 a corrupt or encrypted PDF is refused when it is classified, and nothing is created", func(t *testing.T) {
		for name, content := range map[string][]byte{"corrupt": three[:100], "not a PDF": []byte("hello"), "encrypted": encrypted(t)} {
			in := newPiece(w.PaulAuth, "CONFIDENTIAL", "PDF "+name)
			in["content"], in["content_type"] = base64.StdEncoding.EncodeToString(content), "application/pdf"
			p := wantProblem(t, e.post("paul", "/api/pieces", in), http.StatusBadRequest, "")
			if !strings.Contains(p.Detail, "PDF") {
				t.Errorf("%s: the refusal %q does not say what is wrong with the PDF", name, p.Detail)
			}
			if strings.Contains(string(e.get("paul", "/api/pieces?limit=500").body), "PDF "+name) {
				t.Errorf("%s: a piece was created", name)
			}
		}
	})
}

// A7.1: a file that cannot be stamped is refused, unless its organisation's security officer chose to deliver
// such files inside a marked wrapper; nobody else chooses.
func TestDeliver_A7_1_OtherFormats(t *testing.T) {
	poppler(t)
	e := newEnv(t, nil)
	w := e.world
	sheet := []byte("PK\x03\x04 a spreadsheet")
	in := newPiece(w.PaulAuth, "CONFIDENTIAL", "Tableau des coûts")
	in["content"], in["content_type"] = base64.StdEncoding.EncodeToString(sheet), "application/vnd.oasis.opendocument.spreadsheet"
	id := decodeAs[pieceItem](t, e.post("paul", "/api/pieces", in)).ID
	content := "/api/pieces/" + string(id) + "/content"
	setting := "/api/organisations/" + string(w.SRE.ID) + "/other-formats"

	t.Run("A7.1 by default a file that cannot be stamped is refused, and the refusal is audited", func(t *testing.T) {
		p := wantProblem(t, e.get("paul", content), http.StatusForbidden, "A7.1")
		if p.AuditSeq == 0 {
			t.Error("the refusal names no audit entry")
		}
		if got := decodeAs[map[string]string](t, e.get("paul", setting)); got["other_formats"] != "refuse" {
			t.Errorf("the default is %q, want refuse", got["other_formats"])
		}
	})
	t.Run("A7.1 only the organisation's security officer chooses", func(t *testing.T) {
		wantProblem(t, e.request("paul", http.MethodPut, setting, "application/json", `{"other_formats":"wrap"}`), http.StatusForbidden, "A7.1")
		wantProblem(t, e.request("luc", http.MethodPut, setting, "application/json", `{"other_formats":"wrap"}`), http.StatusForbidden, "A7.1")
		wantProblem(t, e.request("anne", http.MethodPut, setting, "application/json", `{"other_formats":"sometimes"}`), http.StatusBadRequest, "")
		wantProblem(t, e.get("paul", content), http.StatusForbidden, "A7.1")
	})
	t.Run("A7.1 once the officer chose it, the file comes inside a marked wrapper, unchanged", func(t *testing.T) {
		r := e.request("anne", http.MethodPut, setting, "application/json", `{"other_formats":"wrap"}`)
		wantStatus(t, r, http.StatusOK)
		r = e.get("paul", content)
		wantStatus(t, r, http.StatusOK)
		if r.header.Get("Rendering") != "wrapped" || r.header.Get("Content-Type") != "application/pdf" {
			t.Errorf("headers %v", r.header)
		}
		pages := wantStamped(t, r.body, pdf.Marks{Marking: "CONFIDENTIEL LUX", Reference: string(id)})
		if !strings.Contains(strings.Join(pages[0], " "), "must mark") {
			t.Errorf("the cover page does not say how to handle the attachment: %q", pages[0])
		}
		if got := attachedFile(t, r.body, string(id)+".ods"); !bytes.Equal(got, sheet) {
			t.Errorf("the wrapped file is %q, want %q", got, sheet)
		}
	})
}

// A7.1: the register of pieces exported as CSV and as PDF is marked at the highest level it holds, and holds
// only what the caller may know (A9.1).
func TestExport_A7_1_RegistersMarked(t *testing.T) {
	poppler(t)
	e := newEnv(t, nil)
	w := e.world
	for _, tc := range []struct {
		key, marking string
		has, hasNot  []cleared.Piece
	}{
		{"sophie_zone", "TRES SECRET LUX", []cleared.Piece{w.TopSecret, w.Secret, w.NATO}, nil},
		{"tom", "SECRET LUX", []cleared.Piece{w.Secret, w.Restricted}, []cleared.Piece{w.TopSecret, w.NATO}},
		{"max", "RESTREINT LUX", []cleared.Piece{w.Restricted}, []cleared.Piece{w.Secret, w.Confidential}},
	} {
		t.Run("A7.1 the register "+tc.key+" may see is marked "+tc.marking, func(t *testing.T) {
			r := e.get(tc.key, "/api/pieces/export.csv")
			wantStatus(t, r, http.StatusOK)
			cr := csv.NewReader(bytes.NewReader(r.body))
			cr.FieldsPerRecord = -1 // the marking lines hold one field, the rows eleven
			recs, err := cr.ReadAll()
			if err != nil {
				t.Fatalf("CSV: %v", err)
			}
			if first, last := recs[0], recs[len(recs)-1]; len(first) != 1 || first[0] != tc.marking || len(last) != 1 || last[0] != tc.marking {
				t.Errorf("CSV first and last lines %q, %q: want the marking %q alone", first, last, tc.marking)
			}
			if r.header.Get("Classification") != tc.marking {
				t.Errorf("Classification %q", r.header.Get("Classification"))
			}
			body := string(r.body)
			for _, p := range tc.has {
				if !strings.Contains(body, string(p.ID)) {
					t.Errorf("the CSV lacks %s", p.Title)
				}
			}
			for _, p := range tc.hasNot {
				if strings.Contains(body, string(p.ID)) {
					t.Errorf("the CSV holds %s, which %s may not know (A9.1)", p.Title, tc.key)
				}
			}

			r = e.get(tc.key, "/api/pieces/export.pdf")
			wantStatus(t, r, http.StatusOK)
			pages := pdfPages(t, r.body)
			drawn(t, r.body)
			for i, lines := range pages {
				if !strings.HasPrefix(lines[0], tc.marking+" | register of pieces") || !strings.HasPrefix(lines[len(lines)-1], tc.marking+" | ") ||
					!strings.HasSuffix(lines[0], fmt.Sprintf("page %d of %d", i+1, len(pages))) {
					t.Errorf("PDF page %d reads %q: want the marking %q top and bottom", i+1, lines, tc.marking)
				}
			}
			text := fmt.Sprint(pages)
			for _, p := range tc.hasNot {
				if strings.Contains(text, string(p.ID)) {
					t.Errorf("the PDF holds %s (A9.1)", p.Title)
				}
			}
		})
	}
	t.Run("A7.1 a register with no classified row says so", func(t *testing.T) {
		r := e.get("nina", "/api/pieces/export.csv")
		wantStatus(t, r, http.StatusOK)
		if first := strings.SplitN(string(r.body), "\n", 2)[0]; first != "NON CLASSIFIÉ / UNCLASSIFIED" {
			t.Errorf("first line %q", first)
		}
	})
	// The register of dossiers the same way: Sophie, granted the SECRET dossier BRUME, gets it marked SECRET LUX
	// on its first and last lines and on every page; Nina, who may know none, an unclassified register without it.
	t.Run("A7.1 A4.2 the register of dossiers is marked at its highest dossier", func(t *testing.T) {
		r := e.get("sophie_zone", "/api/dossiers/export.csv")
		wantStatus(t, r, http.StatusOK)
		lines := strings.Split(strings.TrimSpace(string(r.body)), "\n")
		if lines[0] != "SECRET LUX" || lines[len(lines)-1] != "SECRET LUX" || !strings.Contains(string(r.body), string(w.Dossier.ID)) {
			t.Errorf("the dossiers Sophie may know, as CSV:\n%s", r.body)
		}
		if r.header.Get("Classification") != "SECRET LUX" {
			t.Errorf("Classification %q", r.header.Get("Classification"))
		}
		r = e.get("sophie_zone", "/api/dossiers/export.pdf")
		wantStatus(t, r, http.StatusOK)
		pages := pdfPages(t, r.body)
		for i, ls := range pages {
			if !strings.HasPrefix(ls[0], "SECRET LUX | register of dossiers") || !strings.HasPrefix(ls[len(ls)-1], "SECRET LUX | ") {
				t.Errorf("PDF page %d reads %q", i+1, ls)
			}
		}
		if !strings.Contains(fmt.Sprint(pages), "Dossier BRUME") {
			t.Errorf("the PDF lacks the dossier: %q", pages)
		}
		r = e.get("nina", "/api/dossiers/export.csv")
		wantStatus(t, r, http.StatusOK)
		if first := strings.SplitN(string(r.body), "\n", 2)[0]; first != "NON CLASSIFIÉ / UNCLASSIFIED" || strings.Contains(string(r.body), string(w.Dossier.ID)) {
			t.Errorf("Nina's register of dossiers:\n%s", r.body)
		}
	})
}

func threePages() []string {
	lines := []string{"Rapport de trois pages"}
	for i := 1; i <= 180; i++ {
		lines = append(lines, fmt.Sprintf("Line %d of the report.", i))
	}
	return lines
}

func encrypted(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	conf := model.NewAESConfiguration("user", "owner", 256)
	if err := api.Encrypt(bytes.NewReader(pdf.Text([]string{"secret"})), &b, conf); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A4.1, A7.1: a reform in force renames the marking of a level: the API's marking, the Classification header and
// the stamp on every page of the content follow it.
func TestDeliver_A7_1_ReformedMarking(t *testing.T) {
	poppler(t)
	e := newEnv(t, nil)
	w := e.world
	reform := cleared.DefaultLaw()
	reform.Note = "Bill 8651, in force at once"
	reform.ValidFrom = time.Time{} // from now
	reform.Levels[cleared.Secret] = cleared.LevelNames{Name: "SECRET", Marking: "SECRET LU"}
	if _, err := e.svc.SetLaw(context.Background(), testenv.Who(w.Helene, ""), reform); err != nil {
		t.Fatal(err)
	}
	r := e.get("tom", "/api/pieces/"+string(w.Secret.ID))
	wantStatus(t, r, http.StatusOK)
	if m := decodeAs[map[string]any](t, r)["marking"]; m != "SECRET LU" || r.header.Get("Classification") != "SECRET LU" {
		t.Errorf("the piece reads marking %v, Classification %q; want SECRET LU", m, r.header.Get("Classification"))
	}
	r = e.get("sophie_zone", "/api/pieces/"+string(w.Secret.ID)+"/content")
	wantStatus(t, r, http.StatusOK)
	wantStamped(t, r.body, pdf.Marks{Marking: "SECRET LU", Reference: string(w.Secret.ID)})
	// A piece classified SECRET under the reform is answered with its marking.
	in := map[string]any{"kind": "electronic", "title": "Note sous la réforme", "level": "SECRET", "reasons": []string{"b"},
		"review_on": time.Now().AddDate(1, 0, 0).Format(time.DateOnly), "authority": w.MinisterAuth.ID,
		"content": base64.StdEncoding.EncodeToString([]byte("texte")), "content_type": "text/plain"}
	r = e.post("minister", "/api/pieces", in)
	wantStatus(t, r, http.StatusCreated)
	if m := decodeAs[map[string]any](t, r)["marking"]; m != "SECRET LU" || r.header.Get("Classification") != "SECRET LU" {
		t.Errorf("the new piece is answered marked %v, Classification %q; want SECRET LU", m, r.header.Get("Classification"))
	}
}
