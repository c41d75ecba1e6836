package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// pieceClassify serves POST /api/pieces: Classify. The body is a registry.NewPiece; an electronic piece's content
// travels in base64 ("content"), hence this route's larger body limit.
func (s *server) pieceClassify(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewPiece
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.reg.Classify(r.Context(), a, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, pieceOut(p), http.Header{
		"Location":       {"/api/pieces/" + string(p.ID)},
		"Classification": {p.Marking()}, // A7.1
	})
}
