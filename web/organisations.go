package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// organisationList serves GET /api/organisations: Organisations, by ID.
func (s *server) organisationList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.OrganisationID](r)
	if err != nil {
		return err
	}
	os, err := s.reg.Organisations(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, os, pq.limit, func(o cleared.Organisation) cleared.OrganisationID { return o.ID })
}

// organisationCreate serves POST /api/organisations: RegisterOrganisation.
func (s *server) organisationCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewOrganisation
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := s.reg.RegisterOrganisation(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/organisations/"+string(o.ID), o)
}

// organisationRead serves GET /api/organisations/{id}: Organisation.
func (s *server) organisationRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.OrganisationID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	o, err := s.reg.Organisation(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, o)
}
