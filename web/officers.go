package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// officerCreate serves POST /api/security-officers: DesignateOfficer. A designation has no ID of its own; it is
// read in the person's file, where Location points.
func (s *server) officerCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewOfficer
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := s.reg.DesignateOfficer(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/persons/"+string(o.PersonID), o)
}
