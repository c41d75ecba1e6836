package web

import (
	"net/http"
	"strconv"
)

// uiPieceContent serves GET /ui/pieces/{id}/content: ReadContent, as a download carrying the marking in its
// Classification header (A7.1), as the API does. The bytes are never rendered in the site's origin: an
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
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Type", contentType(p.ContentType))
	h.Set("Content-Disposition", `attachment; filename="`+string(p.ID)+`"`)
	h.Set("Classification", p.Marking())
	h.Set("Content-Length", strconv.Itoa(len(content)))
	w.WriteHeader(http.StatusOK)
	w.Write(content) //nolint:errcheck // the client may be gone; nothing more can be said to it
	return nil
}
