// Package pdf stamps the markings of a classified piece into a PDF at the moment it is rendered (A7.1: pieces are
// marked visibly, clearly and recognisably; A7.2: a downgraded or declassified piece gets its new marks the same
// way). The stored content is never changed: every delivery stamps a fresh copy with the marking the piece has at
// that moment, so a downgrade re-stamps by itself.
//
// Every page is stamped at its top and at its bottom with one line:
//
//	SECRET LUX | pie_2b7c… | page 3 of 20 | copy 2 of 5
//
// the marking as it must be displayed (the original marking first for a piece classified under a treaty, A6.1), the
// piece's reference, the page number, and for a numbered copy (A9.4) its number. [Register] writes a list of rows
// as a PDF whose every page carries the same kind of marking line, for registers exported at the highest level
// they contain.
//
// The stamping is done by github.com/pdfcpu/pdfcpu's text watermarks (its %p and %P page placeholders). A PDF that
// does not parse, is encrypted, or is over [MaxSize] is refused with [cleared.ErrInvalid]; a panic inside the
// library is turned into the same refusal, never allowed to take the server down.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/cleared/cleared"
)

// MaxSize is the largest PDF Stamp accepts: the largest content a piece may have (registry.MaxContentSize).
const MaxSize = 32 << 20

// MediaType is the media type of the documents this package reads and writes.
const MediaType = "application/pdf"

func init() {
	// Without this the library reads and writes a configuration directory under the user's home at first use:
	// a server has no business there, and the defaults are what we want.
	api.DisableConfigDir()
}

// Marks are what every page of a rendering carries.
type Marks struct {
	// Marking is the marking as it must be displayed, e.g. "SECRET LUX" or "NATO SECRET / SECRET LUX".
	Marking string
	// Reference is the piece's reference (its ID).
	Reference string
	// Copy and Copies number a copy ("copy Copy of Copies", A9.4); both zero for the piece itself.
	Copy, Copies int
}

// Validate reports marks that cannot be stamped as [cleared.ErrInvalid].
func (m Marks) Validate() error {
	switch {
	case strings.TrimSpace(m.Marking) == "":
		return cleared.Invalidf("a rendering needs a marking to stamp (A7.1)")
	case strings.TrimSpace(m.Reference) == "":
		return cleared.Invalidf("a rendering needs the piece's reference to stamp (A7.1)")
	case strings.Contains(m.Marking+m.Reference, "%"):
		// pdfcpu reads % as the start of a placeholder (%p, %P), with no escape that always holds.
		return cleared.Invalidf("a marking or reference to stamp cannot contain %%")
	case m.Copy == 0 && m.Copies == 0:
		return nil
	case m.Copy < 1 || m.Copies < 1 || m.Copy > m.Copies:
		return cleared.Invalidf("copy %d of %d is not a copy number: want 1 ≤ n ≤ m", m.Copy, m.Copies)
	}
	return nil
}

// Line is the text stamped on page n of total.
func (m Marks) Line(n, total int) string {
	return m.line(strconv.Itoa(n), strconv.Itoa(total))
}

// line writes the stamp's text with n and total in place of the page number and count.
func (m Marks) line(n, total string) string {
	parts := []string{oneLine(m.Marking), oneLine(m.Reference), "page " + n + " of " + total}
	if m.Copies > 0 {
		parts = append(parts, "copy "+strconv.Itoa(m.Copy)+" of "+strconv.Itoa(m.Copies))
	}
	return strings.Join(parts, " | ")
}

// oneLine keeps a value on the stamp's one line: a line break would start a second line of the stamp.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// stampStyle is the look of the marking line: black on a white box, so that it stays legible over whatever the
// page has there, at a fixed size whatever the page's size.
const stampStyle = "fontname:Helvetica-Bold, points:9, scalefactor:1 abs, rotation:0, fillcolor:#000000, backgroundcolor:#FFFFFF, margins:2, opacity:1"

// Stamp returns src with every page stamped at its top and at its bottom with m's marking, reference, "page n of
// m" and, for a copy, "copy n of m" (A7.1). src is not changed. A src that is not a PDF this package can read,
// an encrypted PDF, or one over MaxSize is refused with [cleared.ErrInvalid] and a sentence saying which.
func Stamp(src []byte, m Marks) (out []byte, err error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(src) > MaxSize {
		return nil, cleared.Invalidf("the PDF is %d bytes, over the %d bytes that can be stamped", len(src), MaxSize)
	}
	defer recoverInvalid(&out, &err)
	ctx, err := read(src)
	if err != nil {
		return nil, err
	}
	return stamp(ctx, m)
}

// recoverInvalid turns a panic of the library into ErrInvalid: it panics on some malformed files, and for us that
// is one more malformed file.
func recoverInvalid(out *[]byte, err *error) {
	if r := recover(); r != nil {
		*out, *err = nil, cleared.Invalidf("the file is not a PDF that can be stamped with its marking (A7.1): it is malformed")
	}
}

// read parses src, refusing what cannot be stamped.
func read(src []byte) (*model.Context, error) {
	conf := model.NewDefaultConfiguration()
	conf.Cmd = model.ADDWATERMARKS
	ctx, err := api.ReadValidateAndOptimize(bytes.NewReader(src), conf)
	if err != nil {
		return nil, readError(err)
	}
	if ctx.XRefTable.Encrypt != nil || ctx.E != nil {
		// An encrypted PDF opens with its own password: a stamp we add would be outside its protection, and
		// one we cannot see through we cannot vouch for. The holder sends it decrypted.
		return nil, cleared.Invalidf("the PDF is encrypted: it cannot be stamped with its marking (A7.1); send it without encryption")
	}
	return ctx, nil
}

// stamp stamps every page of ctx with m, top and bottom, and writes it.
func stamp(ctx *model.Context, m Marks) ([]byte, error) {
	// The text is pdfcpu's: %p and %P are the page number and count (Validate kept every other % out).
	text := m.line("%p", "%P")
	for _, pos := range []string{"tc, offset:0 -4", "bc, offset:0 4"} {
		wm, err := pdfcpu.ParseTextWatermarkDetails(text, stampStyle+", position:"+pos, true, types.POINTS)
		if err != nil {
			return nil, fmt.Errorf("pdf: stamp description: %w", err) // our own description: a bug, not the file's fault
		}
		if err := pdfcpu.AddWatermarks(ctx, nil, wm); err != nil {
			return nil, cleared.Invalidf("the PDF cannot be stamped with its marking: %s", libMessage(err))
		}
	}
	var b bytes.Buffer
	if err := api.WriteContext(ctx, &b); err != nil {
		return nil, cleared.Invalidf("the stamped PDF cannot be written: %s", libMessage(err))
	}
	return b.Bytes(), nil
}

// Check reports whether src is a PDF that Stamp can stamp: ErrInvalid saying why not (corrupt, encrypted, over
// MaxSize), nil if it can. Classification calls it, so that a PDF piece that could never be served marked is
// refused when it is given, not when it is read.
func Check(src []byte) (err error) {
	if len(src) > MaxSize {
		return cleared.Invalidf("the PDF is %d bytes, over the %d bytes that can be stamped", len(src), MaxSize)
	}
	var out []byte
	defer recoverInvalid(&out, &err)
	_, err = read(src)
	return err
}

// readError says in a sentence why the library could not read src.
func readError(err error) error {
	msg := libMessage(err)
	if strings.Contains(strings.ToLower(msg), "password") || strings.Contains(strings.ToLower(msg), "encrypt") {
		return cleared.Invalidf("the PDF is encrypted: it cannot be stamped with its marking (A7.1); send it without encryption")
	}
	return cleared.Invalidf("the file is not a PDF that can be stamped with its marking (A7.1): %s", msg)
}

// libMessage is the library's own message, kept short and without its "pdfcpu: " prefix.
func libMessage(err error) string {
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
		err = u
	}
	msg := strings.TrimPrefix(err.Error(), "pdfcpu: ")
	if len(msg) > 120 {
		msg = msg[:120] + "…"
	}
	return msg
}

// PageCount returns the number of pages of src, or ErrInvalid if it cannot be read.
func PageCount(src []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, cleared.Invalidf("the PDF cannot be read: it is malformed")
		}
	}()
	n, err = api.PageCount(bytes.NewReader(src), model.NewDefaultConfiguration())
	if err != nil {
		return 0, readError(err)
	}
	return n, nil
}
