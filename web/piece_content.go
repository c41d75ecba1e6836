package web

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/cleared/cleared"
)

// pieceContent serves GET /api/pieces/{id}/content: ReadContent, the decrypted bytes with the piece's media type.
// The Classification header carries the marking (A7.1), since the bytes may not. The content is an attachment,
// never sniffed nor rendered in the browser's origin.
func (s *server) pieceContent(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.PieceID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	p, content, err := s.reg.ReadContent(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writePieceContent(w, p, content, nil)
}

// copyMark names the copy a content is served as: "copy Number of Of" (A9.4), and the file it is saved as.
type copyMark struct {
	ID         cleared.CopyID
	Number, Of int
}

// writePieceContent writes a piece's decrypted content, or an electronic copy's (cp not nil), whose content is the
// piece's: the piece's media type, and its marking in the Classification header (A7.1), since the bytes may not
// carry it; a copy's number in the Copy header.
func writePieceContent(w http.ResponseWriter, p cleared.Piece, content []byte, cp *copyMark) error {
	h := w.Header()
	name := string(p.ID)
	if cp != nil {
		name = string(cp.ID)
		h.Set("Copy", strconv.Itoa(cp.Number)+" of "+strconv.Itoa(cp.Of))
	}
	h.Set("Content-Type", contentType(p.ContentType))
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Classification", p.Marking())
	h.Set("Content-Length", strconv.Itoa(len(content)))
	w.WriteHeader(http.StatusOK)
	w.Write(content) //nolint:errcheck // the client may be gone; nothing more can be said to it
	return nil
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
