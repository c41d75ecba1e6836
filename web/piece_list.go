package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// pieceList serves GET /api/pieces: ListPieces, the pieces the caller may know (A9.1), newest first. The service
// filters before anything is counted, so a page may hold fewer items than the limit and still have a next cursor.
func (s *server) pieceList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := parsePageQuery(r)
	if err != nil {
		return err
	}
	var after *store.PieceCursor
	if pq.cursor != "" {
		if after, err = parsePieceCursor(pq.cursor); err != nil {
			return err
		}
	}
	ps, next, err := s.reg.ListPieces(r.Context(), a, after, pq.limit)
	if err != nil {
		return err
	}
	out := list[pieceJSON]{Items: mapItems(ps, pieceOut)}
	if next != nil {
		out.NextCursor = encodePieceCursor(*next)
	}
	return ok(w, out)
}
