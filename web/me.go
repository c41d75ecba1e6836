package web

import (
	"net/http"

	"github.com/cleared/cleared"
)

// meJSON is the caller's own file and the terminal his token speaks from.
type meJSON struct {
	personFileJSON
	Terminal cleared.TerminalID `json:"terminal,omitempty"` // absent: no registered terminal, a public place (A9.3)
}

// me serves GET /api/me: Person, for the caller himself.
func (s *server) me(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	f, err := s.reg.Person(r.Context(), a, a.Person)
	if err != nil {
		return err
	}
	return ok(w, meJSON{personFileJSON: personFileOut(f), Terminal: a.Terminal})
}
