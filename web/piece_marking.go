package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// pieceDowngrade serves POST /api/pieces/{id}/downgrade: Downgrade, {"level", "reason"}. The answer is the piece
// with its new marking (A7.2), also in the Classification header.
func (s *server) pieceDowngrade(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.PieceID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	var in registry.Downgrading
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.reg.Downgrade(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, pieceOut(p), http.Header{"Classification": {p.Marking()}})
}

// pieceDeclassify serves POST /api/pieces/{id}/declassify: Declassify, {"reason"}. The piece is then UNCLASSIFIED,
// marked DECLASSIFIE (A7.2).
func (s *server) pieceDeclassify(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.PieceID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	var in registry.Declassification
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.reg.Declassify(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, pieceOut(p), http.Header{"Classification": {p.Marking()}})
}

// pieceMarkings serves GET /api/pieces/{id}/markings: PieceMarkings, the history of the piece's markings, oldest
// first (A7.2). A piece the caller may not know is 404 (A9.1).
func (s *server) pieceMarkings(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.PieceID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	ms, err := s.reg.PieceMarkings(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[cleared.PieceMarking]{Items: ms}, nil) // never empty: the classification is the first
}
