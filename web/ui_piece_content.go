package web

import (
	"net/http"
)

// uiPieceContent serves GET /ui/pieces/{id}/content: ReadContent, delivered as the API does, with the piece's
// current marking on every page (deliver: A7.1, A7.2). The PDF is never rendered in the site's origin: an
// attachment, not sniffed, and sandboxed should a browser open it anyway.
func (s *server) uiPieceContent(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	p, content, err := s.reg.ReadContent(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return s.deliver(w, r, u.Actor, p, 0, 0, content)
}
