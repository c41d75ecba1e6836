package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// clearanceCreate serves POST /api/clearances: RecordClearance.
func (s *server) clearanceCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewClearance
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.reg.RecordClearance(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/clearances/"+string(c.ID), clearanceOut(c))
}
