package web

import (
	"github.com/cleared/cleared/registry"
	"net/http"
)

// dashboardPage is the signed-in person's own page: who he is, his clearances, the terminal he sits at.
type dashboardPage struct {
	Page
	Me registry.Me
}

func (*dashboardPage) viewName() string { return "dashboard" }

// dashboard serves GET /ui/: Me.
func (s *server) dashboard(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	m, err := s.svc.Me(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, &dashboardPage{Page: Page{Title: "dash.title", Heading: m.Person.Name, Nav: "dashboard"},
		Me: m})
}
