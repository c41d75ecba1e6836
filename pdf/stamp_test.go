package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/cleared/cleared"
)

// poppler skips the test when poppler-utils are missing (CI installs them: .ci/run), and says so.
func poppler(t testing.TB) {
	t.Helper()
	for _, bin := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s is not installed (apt-get install poppler-utils): the stamped pages cannot be read back", bin)
		}
	}
}

// pageText is page n of doc as pdftotext reads it, its layout kept, blank lines dropped.
func pageText(t testing.TB, doc []byte, n int) []string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), "-", "-")
	cmd.Stdin = bytes.NewReader(doc)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext page %d: %v", n, err)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(strings.Trim(l, "\f")); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// render is page n of doc drawn by pdftoppm at 72 dpi (one pixel a point).
func render(t testing.TB, doc []byte, n int) image.Image {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pdftoppm", "-r", "72", "-png", "-singlefile", "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), in, filepath.Join(dir, "page"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm page %d: %v: %s", n, err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("page %d: %v", n, err)
	}
	return img
}

// inked reports whether rows [y0, y1) of img hold a dark pixel: something is printed there.
func inked(img image.Image, y0, y1 int) bool {
	b := img.Bounds()
	for y := b.Min.Y + y0; y < b.Min.Y+y1 && y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r+g+bl < 3*0x8000 {
				return true
			}
		}
	}
	return false
}

// A7.1: every page of a stamped PDF carries, at its top and at its bottom, the marking, the reference, "page n of
// m" and for a copy "copy n of m"; the page's own text is still there.
func TestStamp(t *testing.T) {
	poppler(t)
	for _, tc := range []struct {
		file  string
		pages int
		marks Marks
	}{
		{"one-page.pdf", 1, Marks{Marking: "SECRET LUX", Reference: "pie_one"}},
		{"three-pages.pdf", 3, Marks{Marking: "NATO SECRET / SECRET LUX", Reference: "pie_three", Copy: 2, Copies: 5}},
		{"twenty-pages.pdf", 20, Marks{Marking: "CONFIDENTIEL LUX", Reference: "pie_twenty"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			src := testdata(t, tc.file)
			orig := bytes.Clone(src)
			out, err := Stamp(src, tc.marks)
			if err != nil {
				t.Fatalf("Stamp: %v", err)
			}
			if !bytes.Equal(src, orig) {
				t.Fatal("Stamp changed the bytes it was given: the stored content must stay as it is")
			}
			if n, err := PageCount(out); err != nil || n != tc.pages {
				t.Fatalf("the stamped PDF has %d pages (%v), want %d", n, err, tc.pages)
			}
			for n := 1; n <= tc.pages; n++ {
				want := tc.marks.Line(n, tc.pages)
				lines := pageText(t, out, n)
				if len(lines) < 3 {
					t.Fatalf("page %d reads as %q: want a stamp above and below the text", n, lines)
				}
				if lines[0] != want {
					t.Errorf("page %d begins with %q, want the stamp %q", n, lines[0], want)
				}
				if last := lines[len(lines)-1]; last != want {
					t.Errorf("page %d ends with %q, want the stamp %q", n, last, want)
				}
				if tc.marks.Copies > 0 && !strings.Contains(want, fmt.Sprintf("copy %d of %d", tc.marks.Copy, tc.marks.Copies)) {
					t.Errorf("the stamp %q does not number the copy", want)
				}
				if !strings.Contains(strings.Join(lines, "\n"), "Line") && tc.pages > 1 {
					t.Errorf("page %d lost its own text: %q", n, lines)
				}
			}
			// Drawn, the stamps are ink in the top and bottom bands of the page, where the unstamped page is blank.
			for _, n := range []int{1, tc.pages} {
				page, blank := render(t, out, n), render(t, src, n)
				h := page.Bounds().Dy()
				if !inked(page, 0, 20) || !inked(page, h-20, h) {
					t.Errorf("page %d as drawn by pdftoppm has no ink in its top or bottom 20 points: the stamp is not visible", n)
				}
				if inked(blank, 0, 20) || inked(blank, h-20, h) {
					t.Errorf("page %d of the unstamped file already has ink at its edges: the test proves nothing", n)
				}
			}
		})
	}
}

// A7.2: stamped again with a new marking (after a downgrade), the original renders with the new marks only. The
// stored file is the unstamped one, so there is never an old stamp to remove.
func TestStampNewMarking(t *testing.T) {
	poppler(t)
	src := testdata(t, "one-page.pdf")
	before, err := Stamp(src, Marks{Marking: "SECRET LUX", Reference: "pie_x"})
	if err != nil {
		t.Fatal(err)
	}
	after, err := Stamp(src, Marks{Marking: "RESTREINT LUX", Reference: "pie_x"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(pageText(t, before, 1), "\n"); !strings.Contains(got, "SECRET LUX") {
		t.Fatalf("before: %q", got)
	}
	got := strings.Join(pageText(t, after, 1), "\n")
	if strings.Contains(got, "SECRET LUX") || strings.Count(got, "RESTREINT LUX | pie_x | page 1 of 1") != 2 {
		t.Fatalf("after the downgrade the page reads %q: want the new marking, top and bottom, and not the old", got)
	}
}

// A7.1: what cannot be stamped is refused with ErrInvalid and a sentence, never a panic, never served unmarked.
func TestStampRefused(t *testing.T) {
	one := testdata(t, "one-page.pdf")
	ok := Marks{Marking: "SECRET LUX", Reference: "pie_x"}
	for _, tc := range []struct {
		name  string
		src   []byte
		marks Marks
		want  string
	}{
		{"empty", nil, ok, "not a PDF"},
		{"not a PDF", []byte("hello, I am a text file\n"), ok, "not a PDF"},
		// Cut after its page tree: pdfcpu repairs a file cut later by scanning it, and then stamps what it found.
		{"truncated", one[:120], ok, "not a PDF"},
		{"garbled", bytes.ReplaceAll(one, []byte("obj"), []byte("ojb")), ok, "not a PDF"},
		{"encrypted with a password to open", testdata(t, "encrypted-user.pdf"), ok, "encrypted"},
		{"encrypted with an owner password only", testdata(t, "encrypted-owner.pdf"), ok, "encrypted"},
		{"over the size limit", append(bytes.Clone(one), make([]byte, MaxSize)...), ok, "over the"},
		{"no marking", one, Marks{Reference: "pie_x"}, "marking"},
		{"no reference", one, Marks{Marking: "SECRET LUX"}, "reference"},
		{"copy 0 of 3", one, Marks{Marking: "SECRET LUX", Reference: "pie_x", Copies: 3}, "copy number"},
		{"copy 4 of 3", one, Marks{Marking: "SECRET LUX", Reference: "pie_x", Copy: 4, Copies: 3}, "copy number"},
		{"a percent sign", one, Marks{Marking: "SECRET %p", Reference: "pie_x"}, "%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Stamp(tc.src, tc.marks)
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("Stamp = %d bytes, %v; want ErrInvalid", len(out), err)
			}
			if out != nil {
				t.Error("a refusal returned bytes")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("the refusal %q does not say %q", err, tc.want)
			}
		})
	}
}

// FuzzStamp: whatever bytes come in, Stamp returns a PDF or ErrInvalid; it never panics.
func FuzzStamp(f *testing.F) {
	for _, name := range []string{"one-page.pdf", "encrypted-user.pdf", "encrypted-owner.pdf"} {
		f.Add(testdata(f, name))
	}
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := Stamp(src, Marks{Marking: "SECRET LUX", Reference: "pie_fuzz"})
		switch {
		case err != nil && !errors.Is(err, cleared.ErrInvalid):
			t.Fatalf("Stamp: %v, not ErrInvalid", err)
		case err == nil && !bytes.HasPrefix(out, []byte("%PDF-")):
			t.Fatalf("Stamp answered %d bytes that are not a PDF", len(out))
		}
	})
}

// A7.1: a file that cannot be stamped is delivered inside a marked wrapper: a cover page stamped like any page,
// saying what is attached, and the file attached unchanged.
func TestWrap(t *testing.T) {
	poppler(t)
	content := []byte("PK\x03\x04 a spreadsheet, say")
	m := Marks{Marking: "SECRET LUX", Reference: "pie_w"}
	out, err := Wrap(content, "application/vnd.oasis.opendocument.spreadsheet", "pie_w.ods", m)
	if err != nil {
		t.Fatal(err)
	}
	lines := pageText(t, out, 1)
	if lines[0] != m.Line(1, 1) || lines[len(lines)-1] != m.Line(1, 1) {
		t.Errorf("the cover page reads %q: want the stamp top and bottom", lines)
	}
	if got := strings.Join(lines, " "); !strings.Contains(got, "pie_w.ods") || !strings.Contains(got, "must mark") {
		t.Errorf("the cover page does not say what it carries and how to handle it: %q", got)
	}
	if got := attachedFile(t, out, "pie_w.ods"); !bytes.Equal(got, content) {
		t.Errorf("the attachment is %q, want the content unchanged", got)
	}
}

// A7.1: a text piece is rendered on stamped pages, its bytes attached so that nothing is lost.
func TestRender(t *testing.T) {
	poppler(t)
	content := []byte("Évaluation SECRET du réseau ORAGE.\nΣ: not in Latin-1\n")
	m := Marks{Marking: "SECRET LUX", Reference: "pie_t"}
	out, err := Render(content, "pie_t.txt", m)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(pageText(t, out, 1), "\n")
	if !strings.Contains(got, "Évaluation SECRET du réseau ORAGE.") || strings.Count(got, m.Line(1, 1)) != 2 {
		t.Errorf("the rendered page reads %q", got)
	}
	if a := attachedFile(t, out, "pie_t.txt"); !bytes.Equal(a, content) {
		t.Errorf("the attached text is %q, want %q", a, content)
	}
	if _, err := Render([]byte{0xff, 0xfe}, "x.txt", m); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("Render of bytes that are not UTF-8: %v, want ErrInvalid", err)
	}
}

// attachedFile extracts the file name attached to doc, with pdfcpu (poppler's pdfdetach may not be installed).
func attachedFile(t *testing.T, doc []byte, name string) []byte {
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

func TestCheck(t *testing.T) {
	if err := Check(testdata(t, "three-pages.pdf")); err != nil {
		t.Errorf("Check of a plain PDF: %v", err)
	}
	for _, name := range []string{"encrypted-user.pdf", "encrypted-owner.pdf"} {
		if err := Check(testdata(t, name)); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("Check(%s) = %v, want ErrInvalid", name, err)
		}
	}
	if err := Check([]byte("not a pdf")); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("Check of text = %v, want ErrInvalid", err)
	}
}

// Downloads run at once: Stamp is called from many requests together (CI runs this under -race). The standard
// fonts and the configuration that Stamp uses are the library's read-only state (api.DisableConfigDir in init).
func TestStampConcurrent(t *testing.T) {
	src := testdata(t, "three-pages.pdf")
	errs := make(chan error, 4)
	for i := range 4 {
		go func() {
			_, err := Stamp(src, Marks{Marking: "SECRET LUX", Reference: fmt.Sprintf("pce_%d", i)})
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
