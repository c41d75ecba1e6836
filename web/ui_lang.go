package web

import (
	"net/http"

	"github.com/cleared/cleared"
)

// langSwitch serves GET /lang/{lang}?next=: keeps the language chosen and goes back to the page.
func (s *server) langSwitch(w http.ResponseWriter, r *http.Request) error {
	l := r.PathValue("lang")
	if !validLang(l) {
		return cleared.ErrNotFound
	}
	setLang(w, r, l)
	next := localPath(r.URL.Query().Get("next"))
	if next == "" {
		next = "/ui/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}
