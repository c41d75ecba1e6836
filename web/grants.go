package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// grantCreate serves POST /api/grants: Grant, need-to-know of a person for a piece or a dossier.
func (s *server) grantCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewGrant
	if err := decode(r, &in); err != nil {
		return err
	}
	g, err := s.reg.Grant(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/grants/"+string(g.ID), g)
}
