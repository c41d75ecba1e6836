package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Sizes of the pieces page: rows shown, and, when searching, the service's pages looked through for one page of
// matches before offering to continue.
const (
	uiPiecesPage   = 25
	searchBatch    = 100
	searchMaxPages = 10
)

// piecesPage lists the pieces one may know, newest first, or those of them whose title matches a search.
type piecesPage struct {
	Page
	Query  string
	Pieces []cleared.Piece
	Next   string
	// More: the search stopped before filling a page; Next continues it.
	More bool
}

func (*piecesPage) viewName() string { return "pieces" }

// uiPieceList serves GET /ui/pieces?q=&cursor=: ListPieces. A search filters the pieces the service lists, page by
// page, so it looks only at pieces the reader may know (A9.1) and says nothing of the others: not a count, not
// even whether any exist.
func (s *server) uiPieceList(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	q := r.URL.Query()
	var after *store.PieceCursor
	if c := q.Get("cursor"); c != "" {
		var err error
		if after, err = parsePieceCursor(c); err != nil {
			return err
		}
	}
	query := strings.TrimSpace(q.Get("q"))
	if len(query) > 200 {
		return &inputError{field: "pieces.search", message: "form.too_long"}
	}
	page := &piecesPage{Page: Page{Title: "pieces.title", Nav: "pieces"}, Query: query}
	var next *store.PieceCursor
	if query == "" {
		ps, n, err := s.reg.ListPieces(r.Context(), u.Actor, after, uiPiecesPage)
		if err != nil {
			return err
		}
		page.Pieces, next = ps, n
	} else {
		want := fold(query)
	search:
		for range searchMaxPages {
			ps, n, err := s.reg.ListPieces(r.Context(), u.Actor, after, searchBatch)
			if err != nil {
				return err
			}
			next = nil
			for i, p := range ps {
				if !strings.Contains(fold(p.Title), want) {
					continue
				}
				page.Pieces = append(page.Pieces, p)
				if len(page.Pieces) == uiPiecesPage {
					if i < len(ps)-1 || n != nil {
						next = &store.PieceCursor{Created: p.Created, ID: p.ID}
					}
					break search
				}
			}
			next, after = n, n
			if n == nil {
				break
			}
		}
		page.More = next != nil && len(page.Pieces) < uiPiecesPage
	}
	if next != nil {
		v := url.Values{"cursor": {encodePieceCursor(*next)}}
		if query != "" {
			v.Set("q", query)
		}
		page.Next = "/ui/pieces?" + v.Encode()
	}
	page.Banner = bannerOf(page.Pieces...) // A7.1: the highest level shown
	return s.render(w, r, u, http.StatusOK, page)
}

// fold makes a title comparable for search: lower case, without accents.
func fold(s string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, c) {
			b.WriteRune(unicode.ToLower(c))
		}
	}
	return b.String()
}
