package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/pdf"
	"github.com/cleared/cleared/store"
)

// unclassifiedRegister is the marking of a register that holds no classified row (A7.1: marked accordingly).
const unclassifiedRegister = "NON CLASSIFIÉ / UNCLASSIFIED"

// maxExportRows bounds one export, so that a request cannot hold the server for long; the register says so when
// it is cut.
const maxExportRows = 10000

// pieceRegister is a register a caller may know (the pieces of ListPieces, the dossiers of Dossiers, A9.1) as rows
// to export, and the marking of its highest level (A7.1).
type pieceRegister struct {
	name    string // "pieces", "dossiers": the file's name and the register's title
	marking string
	header  []string
	rows    [][]string
	cut     bool
	at      time.Time
}

// markAt sets the register's marking: the highest level it holds, with the original markings of the foreign
// pieces at that level before it (A6.1), as a piece's own marking is; unclassified where it holds no classified row.
func (reg *pieceRegister) markAt(top cleared.Level, foreign map[string]bool) {
	reg.marking = unclassifiedRegister
	if top.Classified() {
		var parts []string
		for m := range foreign {
			parts = append(parts, m)
		}
		slices.Sort(parts)
		reg.marking = strings.Join(append(parts, top.Marking()), " / ")
	}
}

// dossiersRegister reads every dossier a may know, page by page, as Dossiers lists them (each page an audited
// read), marked at the highest level of a dossier (A4.2: at least its parts').
func (s *server) dossiersRegister(ctx context.Context, a cleared.Actor) (*pieceRegister, error) {
	reg := &pieceRegister{name: "dossiers", header: []string{"id", "title", "level", "marking", "originator", "organisation", "created"},
		at: time.Now().UTC()}
	top, after := cleared.Unclassified, ""
	for {
		ds, err := s.reg.Dossiers(ctx, a, after, maxLimit)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if len(reg.rows) == maxExportRows {
				reg.cut = true
				break
			}
			reg.rows = append(reg.rows, []string{string(d.ID), d.Title, d.Level.String(), d.Marking(), string(d.Originator),
				string(d.OrganisationID), d.Created.Format(time.RFC3339)})
			top = max(top, d.Level)
		}
		if len(ds) < maxLimit || reg.cut {
			break
		}
		after = string(ds[len(ds)-1].ID)
	}
	reg.markAt(top, nil)
	return reg, nil
}

// piecesRegister reads every piece a may know, page by page, as ListPieces lists them (each page an audited read).
func (s *server) piecesRegister(ctx context.Context, a cleared.Actor) (*pieceRegister, error) {
	reg := &pieceRegister{name: "pieces", header: []string{"id", "title", "level", "marking", "kind", "originator", "organisation", "dossier", "review_on", "created", "destroyed"},
		at: time.Now().UTC()}
	top, foreign := cleared.Unclassified, map[string]bool{}
	var after *store.PieceCursor
	for {
		ps, next, err := s.reg.ListPieces(ctx, a, after, maxLimit)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if len(reg.rows) == maxExportRows {
				reg.cut = true
				break
			}
			title := p.Title
			if p.TitleWithheld {
				title = "(title withheld at this terminal)"
			}
			var destroyed string
			if !p.Destroyed.IsZero() {
				destroyed = p.Destroyed.Format(time.RFC3339)
			}
			reg.rows = append(reg.rows, []string{string(p.ID), title, p.Level.String(), p.Marking(), string(p.Kind), string(p.Originator),
				string(p.OrganisationID), string(p.Dossier), p.ReviewOn.Format(time.DateOnly), p.Created.Format(time.RFC3339), destroyed})
			if p.Level > top {
				top, foreign = p.Level, map[string]bool{}
			}
			if p.Level == top && p.Foreign != nil && p.Foreign.Marking != "" {
				foreign[p.Foreign.Marking] = true
			}
		}
		if next == nil || reg.cut {
			break
		}
		after = next
	}
	reg.markAt(top, foreign)
	return reg, nil
}

// title names the register and its moment, for the PDF's first line and its stamp.
func (reg *pieceRegister) title() string {
	t := "Register of " + reg.name + ", " + strconv.Itoa(len(reg.rows)) + " rows, exported " + reg.at.Format(time.RFC3339)
	if reg.cut {
		t += " (cut at " + strconv.Itoa(maxExportRows) + " rows)"
	}
	return t
}

// csv writes the register as CSV: its marking alone on the first line and again on the last (A7.1), the header,
// then a row per piece. A cell that a spreadsheet would read as a formula is prefixed with an apostrophe.
func (reg *pieceRegister) csv() []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{reg.marking}) //nolint:errcheck // a bytes.Buffer does not fail
	cw.Write([]string{reg.title()}) //nolint:errcheck
	cw.Write(reg.header)            //nolint:errcheck
	for _, r := range reg.rows {
		out := make([]string, len(r))
		for i, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				c = "'" + c
			}
			out[i] = c
		}
		cw.Write(out) //nolint:errcheck
	}
	cw.Write([]string{reg.marking}) //nolint:errcheck
	cw.Flush()
	return b.Bytes()
}

// pdf writes the register as a PDF, every page stamped top and bottom with its marking (A7.1).
func (reg *pieceRegister) pdf() ([]byte, error) {
	return pdf.Register(reg.title(), pdf.Marks{Marking: reg.marking, Reference: "register of " + reg.name + " " + reg.at.Format("2006-01-02T15:04Z")},
		reg.header, reg.rows)
}

// exportPieces answers the register of pieces as CSV or PDF, named and marked.
func (s *server) exportPieces(w http.ResponseWriter, r *http.Request, a cleared.Actor, asPDF bool) error {
	reg, err := s.piecesRegister(r.Context(), a)
	if err != nil {
		return err
	}
	return writeRegister(w, reg, asPDF)
}

// exportDossiers answers the register of dossiers as CSV or PDF, named and marked.
func (s *server) exportDossiers(w http.ResponseWriter, r *http.Request, a cleared.Actor, asPDF bool) error {
	reg, err := s.dossiersRegister(r.Context(), a)
	if err != nil {
		return err
	}
	return writeRegister(w, reg, asPDF)
}

// writeRegister writes reg as CSV or PDF, named after the register and its moment, its marking in the
// Classification header too.
func writeRegister(w http.ResponseWriter, reg *pieceRegister, asPDF bool) error {
	var err error
	body, ct, ext := reg.csv(), "text/csv; charset=utf-8", ".csv"
	if asPDF {
		if body, err = reg.pdf(); err != nil {
			return err
		}
		ct, ext = pdf.MediaType, ".pdf"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", `attachment; filename="`+reg.name+`-`+reg.at.Format("20060102T150405Z")+ext+`"`)
	h.Set("Classification", reg.marking)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body) //nolint:errcheck // the client may be gone; nothing more can be said to it
	return nil
}

// pieceExportCSV serves GET /api/pieces/export.csv: the pieces the caller may know, marked at the highest level
// they contain (A7.1).
func (s *server) pieceExportCSV(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return s.exportPieces(w, r, a, false)
}

// pieceExportPDF serves GET /api/pieces/export.pdf: the same register as a PDF, every page marked (A7.1).
func (s *server) pieceExportPDF(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return s.exportPieces(w, r, a, true)
}

// uiPieceExportCSV serves GET /ui/pieces/export.csv, as the API does.
func (s *server) uiPieceExportCSV(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return s.exportPieces(w, r, u.Actor, false)
}

// uiPieceExportPDF serves GET /ui/pieces/export.pdf, as the API does.
func (s *server) uiPieceExportPDF(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return s.exportPieces(w, r, u.Actor, true)
}

// dossierExportCSV serves GET /api/dossiers/export.csv: the dossiers the caller may know, marked at the highest
// level they contain (A7.1, A4.2).
func (s *server) dossierExportCSV(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return s.exportDossiers(w, r, a, false)
}

// dossierExportPDF serves GET /api/dossiers/export.pdf: the same register as a PDF, every page marked (A7.1).
func (s *server) dossierExportPDF(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return s.exportDossiers(w, r, a, true)
}

// uiDossierExportCSV serves GET /ui/dossiers/export.csv, as the API does.
func (s *server) uiDossierExportCSV(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return s.exportDossiers(w, r, u.Actor, false)
}

// uiDossierExportPDF serves GET /ui/dossiers/export.pdf, as the API does.
func (s *server) uiDossierExportPDF(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return s.exportDossiers(w, r, u.Actor, true)
}
