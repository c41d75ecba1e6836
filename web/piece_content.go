package web

import (
	"mime"
	"net/http"

	"github.com/cleared/cleared"
)

// pieceContent serves GET /api/pieces/{id}/content: ReadContent, delivered with the piece's current marking on
// every page (deliver: A7.1, A7.2), as a PDF attachment. The Classification header carries the marking too.
func (s *server) pieceContent(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.PieceID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	p, content, err := s.reg.ReadContent(r.Context(), a, id)
	if err != nil {
		return err
	}
	return s.deliver(w, r, a, p, 0, 0, content)
}

// contentType returns the piece's media type as a well-formed header value; a type the classifier gave that does
// not parse is served as opaque bytes.
func contentType(ct string) string {
	if mt, params, err := mime.ParseMediaType(ct); err == nil {
		if v := mime.FormatMediaType(mt, params); v != "" {
			return v
		}
	}
	return "application/octet-stream"
}
