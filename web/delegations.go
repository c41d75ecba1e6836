package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// delegationCreate serves POST /api/delegations: RegisterDelegation.
func (s *server) delegationCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewDelegation
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.reg.RegisterDelegation(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/delegations/"+string(d.ID), d)
}
