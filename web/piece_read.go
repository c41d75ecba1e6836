package web

import (
	"net/http"

	"github.com/cleared/cleared"
)

// pieceRead serves GET /api/pieces/{id}: Piece, the metadata with its marking (A7.1, also in a Classification
// header). A piece the caller may not know is 404, as if it did not exist (A9.1).
func (s *server) pieceRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.PieceID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	p, err := s.reg.Piece(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, pieceOut(p), http.Header{"Classification": {p.Marking()}})
}
