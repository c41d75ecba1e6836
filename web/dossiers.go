package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// dossierCreate serves POST /api/dossiers: CreateDossier.
func (s *server) dossierCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewDossier
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.reg.CreateDossier(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/dossiers/"+string(d.ID), dossierJSON{Dossier: d, Marking: d.Marking()})
}
