package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/pdf"
	"github.com/cleared/cleared/policy"
)

// declassifiedMarking is what a piece no longer classified is stamped with (A7.2: appropriate new marks).
const declassifiedMarking = "DÉCLASSIFIÉ / DECLASSIFIED"

// deliver writes the content of piece p, as ReadContent returned it to a, in a rendering that carries p's
// CURRENT marking on every page (A7.1), so that a downgrade or a declassification re-marks every later delivery
// by itself (A7.2): a PDF is stamped top and bottom with the marking, the reference, "page n of m" and, for a
// numbered copy (copyNo of copies, both 0 for the piece itself), "copy n of m"; a text is set on stamped pages
// with its bytes attached; another format is wrapped in a stamped PDF or refused (A7.1, audited), as p's
// organisation chose (registry.Rendering). The stored content is never changed: each delivery stamps afresh.
// Every route that hands out a piece's content, the piece's or a copy's, goes through here.
func (s *server) deliver(w http.ResponseWriter, r *http.Request, a cleared.Actor, p cleared.Piece, copyNo, copies int, content []byte) error {
	how, err := s.reg.Rendering(r.Context(), a, p)
	if err != nil {
		return err
	}
	m := pdf.Marks{Marking: p.Marking(), Reference: string(p.ID), Copy: copyNo, Copies: copies}
	if m.Marking == "" {
		m.Marking = declassifiedMarking
	}
	name := string(p.ID)
	if copies > 0 {
		name += "-copy-" + strconv.Itoa(copyNo) + "-of-" + strconv.Itoa(copies)
	}
	var out []byte
	switch how {
	case policy.Stamped:
		out, err = pdf.Stamp(content, m)
	case policy.RenderedText:
		out, err = pdf.Render(content, name+".txt", m)
	case policy.Wrapped:
		out, err = pdf.Wrap(content, contentType(p.ContentType), name+extension(p.ContentType), m)
	default:
		return errors.New("deliver: no rendering") // Rendering answers one or refuses: a bug if reached
	}
	if errors.Is(err, cleared.ErrInvalid) {
		// The stored content, not the request, is at fault: a PDF stored before classification checked it.
		return cleared.Conflictf("the piece's content cannot be delivered with its marking (A7.1): %s", cleared.Message(err))
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", pdf.MediaType)
	h.Set("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
	h.Set("Classification", m.Marking)
	h.Set("Rendering", how.String())
	if copies > 0 {
		h.Set("Copy", strconv.Itoa(copyNo)+" of "+strconv.Itoa(copies))
	}
	if p.JudicialOrder != nil { // A9.5: delivered by a judicial order, which the answer names
		h.Set("Judicial-Order", string(p.JudicialOrder.ID))
	}
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(http.StatusOK)
	w.Write(out) //nolint:errcheck // the client may be gone; nothing more can be said to it
	return nil
}

// extension is the file name extension of a media type, with its dot, or "" if none is known.
func extension(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	if exts, err := mime.ExtensionsByType(mt); err == nil && len(exts) > 0 {
		return exts[0]
	}
	return ""
}
