package web

import "net/http"

// logout serves POST /logout: Logout, for a signed-in session or one waiting for its code.
func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	u, err := s.sessionOf(r)
	if err != nil {
		u, err = s.pendingOf(r)
	}
	if err == nil {
		if err := u.checkCSRF(r); err != nil {
			return err
		}
		if err := s.auth.Logout(r.Context(), sessionSecret(r)); err != nil {
			return err
		}
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/login?ok=logout", http.StatusSeeOther)
	return nil
}
