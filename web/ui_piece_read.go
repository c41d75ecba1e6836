package web

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// maxInline is the largest text content shown in the page itself; larger content is downloaded.
const maxInline = 1 << 20

// piecePage shows a piece: its metadata and marking, and its content in the page when it is plain text, else a
// link to download it. When the content may not be shown here (A8.1, A8.2, A9.3), the page says why, with the
// rule, in place of the content.
type piecePage struct {
	Page
	Piece    cleared.Piece
	Marking  string
	Text     string
	Inline   bool
	Download bool
	// ContentProblem is why the content is not shown: a refusal with its rule, or a state (destroyed).
	ContentProblem *uiProblem
	markingView    // its marking history, and the link to downgrade or declassify it (ui_piece_marking.go)
	// Destructions are the piece's destruction records; CanDestroy offers the act to who may (A10.1).
	Destructions []cleared.Destruction
	CanDestroy   bool
	// Transmit offers sending the piece and listing its recipients to who may (Art. 11, A11.2).
	Transmit registry.TransmitOffer
	// Names names the IDs the page shows (issue 18 §0).
	Names names
	// Receipt names the partner a piece received from one came from, its foreign originator (issue 21, A6.1).
	Receipt *cleared.Receipt
}

func (*piecePage) viewName() string { return "piece" }

// pieceID reads the {id} of a piece's page. A malformed ID answers like a missing piece: no such page.
func pieceID(r *http.Request) (cleared.PieceID, error) {
	id := cleared.PieceID(r.PathValue("id"))
	if id.Validate() != nil {
		return "", cleared.ErrNotFound
	}
	return id, nil
}

// isText reports whether a media type is plain text, shown in the page rather than downloaded.
func isText(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "text/plain"
}

// uiPieceRead serves GET /ui/pieces/{id}: Piece, then ReadContent for plain text. A piece one may not know is
// the same 404 page as a piece that does not exist (A9.1).
func (s *server) uiPieceRead(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	p, err := s.reg.Piece(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	page := &piecePage{Page: Page{Title: "piece.page", Heading: p.Title, Nav: "pieces", Banner: bannerOf(p)}, Piece: p, Marking: p.Marking()}
	if p.TitleWithheld { // A8.1, A8.2: this terminal may not say what the piece is about
		page.Title = "piece.title_withheld"
	}
	switch {
	case p.Kind != cleared.Electronic:
	case !p.Destroyed.IsZero():
		page.ContentProblem = &uiProblem{Status: http.StatusConflict, Title: "piece.destroyed.title", Message: "piece.destroyed"}
	case isText(p.ContentType) && p.ContentSize <= maxInline:
		_, content, err := s.reg.ReadContent(r.Context(), u.Actor, id)
		var forbidden *cleared.ErrForbidden
		switch {
		case err == nil:
			page.Inline, page.Text = true, strings.ToValidUTF8(string(content), "\uFFFD")
		case errors.As(err, &forbidden) || errors.Is(err, cleared.ErrConflict):
			pr := s.problemFor(err)
			s.logProblem(r, pr, err)
			page.ContentProblem = &pr
		default:
			return err
		}
	default:
		// A7.1: offer the download only where it would be delivered marked (deliver decides again).
		_, d, err := s.reg.WouldRender(r.Context(), u.Actor, p)
		if err != nil {
			return err
		}
		if page.Download = d.Allowed; !d.Allowed {
			pr := s.problemFor(d.Err())
			page.ContentProblem = &pr
		}
	}
	if page.markingView, err = s.markingsOf(r, u, p); err != nil {
		return err
	}
	if page.Destructions, page.CanDestroy, err = s.reg.PieceDestructions(r.Context(), u.Actor, id); err != nil {
		return err
	}
	// A judicial order gives reads only (A9.5): nothing to send, no recipients to list.
	if p.JudicialOrder == nil {
		if page.Transmit, err = s.reg.TransmitSheet(r.Context(), u.Actor, id); err != nil {
			return err
		}
	}
	ids := []string{string(p.Originator), string(p.OrganisationID), string(p.Dossier), string(p.Custodian),
		string(p.Location), string(p.CreatedBy)}
	for _, m := range page.Markings {
		ids = append(ids, string(m.Authority), string(m.By))
	}
	// A piece under a foreign marking may have been received from a partner: its originator is shown (A6.1).
	if p.Foreign != nil && s.share != nil && p.JudicialOrder == nil {
		rc, err := s.share.PieceReceipt(r.Context(), u.Actor, id)
		switch {
		case err == nil:
			page.Receipt = &rc
			ids = append(ids, string(rc.Partner))
		case !errors.Is(err, cleared.ErrNotFound):
			return err
		}
	}
	page.Names = s.names(r, u, ids...)
	return s.render(w, r, u, http.StatusOK, page)
}
