package web

import (
	"net/http"

	"github.com/cleared/cleared"
)

// sessionList serves GET /api/sessions: the caller's own open web sessions.
func (s *server) sessionList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	xs, err := s.auth.Sessions(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, list[cleared.Session]{Items: mapItems(xs, func(x cleared.Session) cleared.Session { return x })})
}

// sessionRevoke serves DELETE /api/sessions/{id}: RevokeSession, one's own only.
func (s *server) sessionRevoke(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.SessionID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	if err := s.auth.RevokeSession(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
