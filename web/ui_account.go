package web

import "net/http"

// My account: the password (ui_password.go), the sessions open in browsers (ui_sessions.go), the API tokens
// (ui_tokens.go).

// uiAccount serves GET /ui/account: the password form and the links to sessions and tokens.
func (s *server) uiAccount(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.render(w, r, u, http.StatusOK, passwordForm())
}
