package web

import (
	"net/http"

	"github.com/cleared/cleared"
)

// uiSessions serves GET /ui/account/sessions: Sessions, one's own, with a button to end each.
func (s *server) uiSessions(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	xs, err := s.auth.Sessions(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "sessions.title", Nav: "account"}, Intro: "sessions.intro", Caption: "sessions.title",
		Columns: []string{"sessions.created", "sessions.last_seen", "sessions.expires", "sessions.terminal", "sessions.remote", "sessions.action"},
		Empty:   "sessions.none", Actions: []link{{Href: "/ui/account", Key: "account.title"}}}
	var ids []string
	for _, x := range xs {
		ids = append(ids, string(x.Terminal))
	}
	names := s.names(r, u, ids...) // issue 18 §0: terminals by name
	for _, x := range xs {
		act := cell{Post: "/ui/account/sessions/" + string(x.ID) + "/revoke", CSRF: u.CSRF, Key: "sessions.revoke", ID: "revoke-" + string(x.ID)}
		if x.ID == u.Session.ID {
			act = keyCell("sessions.current")
		}
		p.Rows = append(p.Rows, row{ID: string(x.ID), Cells: []cell{textCell(formatTime(x.Created)), textCell(formatTime(x.LastSeen)),
			textCell(formatTime(x.Expires)), names.orID(string(x.Terminal)), textCell(x.Remote), act}})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// uiSessionRevoke serves POST /ui/account/sessions/{id}/revoke: RevokeSession. Ending the current session signs
// out.
func (s *server) uiSessionRevoke(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.SessionID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if err := s.auth.RevokeSession(r.Context(), u.Actor, id); err != nil {
		return err
	}
	if id == u.Session.ID {
		s.clearSession(w, r)
		return seeOther(w, r, "/login", "logout")
	}
	return seeOther(w, r, "/ui/account/sessions", "session_revoked")
}
