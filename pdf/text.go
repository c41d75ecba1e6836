package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/font"
)

// Page geometry of [Text]: A4 in points, with room above and below the text for the marking lines.
const (
	pageWidth    = 595
	pageHeight   = 842
	marginX      = 40
	marginTop    = 60 // the top marking line sits in the first 20 points
	marginBottom = 50
	fontSize     = 9
	leading      = 12
	// lineRunes is how many characters of Helvetica at 9 points fit between the margins, a little under the
	// average width so that a line of capitals fits too.
	lineRunes = 95
	linesPage = (pageHeight - marginTop - marginBottom) / leading
)

// Text writes lines as a plain PDF: A4 pages of Helvetica, the first line in bold, long lines wrapped. It is how
// the tests make PDFs of their own. Characters outside the Latin-1 and Windows-1252 repertoire of the PDF's
// standard fonts are written as "?".
func Text(lines []string) []byte {
	return document(lines, nil, nil)
}

// attachment is a file carried inside a PDF (an embedded file), untouched.
type attachment struct {
	name, desc string
	content    []byte
}

// document writes lines as A4 pages (see Text); with m, every page is stamped at its top and bottom with m's line,
// drawn with the page, as Stamp would (A7.1); with a, the file is attached. Writing the stamps with the page
// rather than reading the PDF back to stamp it is what makes a text piece or a register as cheap to deliver as
// it is to write (docs/benchmarks.md).
func document(lines []string, m *Marks, a *attachment) []byte {
	var wrapped []string
	for _, l := range lines {
		wrapped = append(wrapped, wrap(l, lineRunes)...)
	}
	if len(wrapped) == 0 {
		wrapped = []string{""}
	}
	var pages [][]string
	for len(wrapped) > 0 {
		n := min(linesPage, len(wrapped))
		pages = append(pages, wrapped[:n])
		wrapped = wrapped[n:]
	}

	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// Objects 1-4: catalog, page tree, the two fonts; then a page and its content for each page; then the
	// attachment's file and its specification.
	fileObj := 5 + 2*len(pages)
	if a != nil {
		obj(fmt.Sprintf("<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(%s) %d 0 R] >> >> >>", escape(a.name), fileObj+1))
	} else {
		obj("<< /Type /Catalog /Pages 2 0 R >>")
	}
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 5+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	for i, page := range pages {
		var c bytes.Buffer
		fmt.Fprintf(&c, "BT\n/F1 %d Tf\n%d TL\n%d %d Td\n", fontSize, leading, marginX, pageHeight-marginTop)
		for j, l := range page {
			f := "/F1"
			if i == 0 && j == 0 && a == nil { // a title; a text piece's own first line is not
				f = "/F2"
			}
			fmt.Fprintf(&c, "%s %d Tf\n(%s) Tj\nT*\n", f, fontSize, escape(l))
		}
		c.WriteString("ET\n")
		if m != nil {
			line := m.Line(i+1, len(pages))
			x := (pageWidth - font.TextWidth(line, "Helvetica-Bold", fontSize)) / 2
			for _, y := range []int{pageHeight - 4 - 2 - fontSize, 4 + 2 + 2} {
				fmt.Fprintf(&c, "BT\n/F2 %d Tf\n%.2f %d Td\n(%s) Tj\nET\n", fontSize, x, y, escape(line))
			}
		}
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>",
			pageWidth, pageHeight, 6+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", c.Len(), c.Bytes()))
	}
	if a != nil {
		obj(fmt.Sprintf("<< /Type /EmbeddedFile /Length %d /Params << /Size %d >> >>\nstream\n%s\nendstream", len(a.content), len(a.content), a.content))
		obj(fmt.Sprintf("<< /Type /Filespec /F (%s) /UF (%s) /Desc (%s) /EF << /F %d 0 R /UF %d 0 R >> >>",
			escape(a.name), escape(a.name), escape(a.desc), fileObj, fileObj))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// wrap cuts l into lines of at most n runes, at a space where there is one. It is linear in l's length: a text
// piece may be one line of megabytes.
func wrap(l string, n int) []string {
	if utf8.RuneCountInString(l) <= n {
		return []string{l}
	}
	var out []string
	rs := []rune(l)
	for len(rs) > n {
		cut := n
		for i := n - 1; i > 0; i-- {
			if rs[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, string(rs[:cut]))
		rs = rs[cut:]
		for len(rs) > 0 && rs[0] == ' ' {
			rs = rs[1:]
		}
	}
	return append(out, string(rs))
}

// winAnsi maps the characters of Windows-1252's 0x80-0x9F row that a register may hold.
var winAnsi = map[rune]byte{
	'€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96,
	'—': 0x97, 'œ': 0x9c, 'Œ': 0x8c,
}

// escape writes s as the inside of a PDF literal string in WinAnsiEncoding, bytes past ASCII as octal escapes.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		var c byte
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(r))
			continue
		case r >= 0x20 && r < 0x7f:
			b.WriteByte(byte(r))
			continue
		case r >= 0xa0 && r <= 0xff:
			c = byte(r)
		default:
			var ok bool
			if c, ok = winAnsi[r]; !ok {
				c = '?'
			}
		}
		if c < 0x80 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	return b.String()
}
