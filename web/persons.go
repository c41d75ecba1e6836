package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// personList serves GET /api/persons: Persons, by ID.
func (s *server) personList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.PersonID](r)
	if err != nil {
		return err
	}
	ps, err := s.reg.Persons(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, ps, pq.limit, func(p cleared.Person) cleared.PersonID { return p.ID })
}

// personCreate serves POST /api/persons: RegisterPerson.
func (s *server) personCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewPerson
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.reg.RegisterPerson(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/persons/"+string(p.ID), p)
}

// personRead serves GET /api/persons/{id}: Person, the person's file.
func (s *server) personRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.PersonID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	f, err := s.reg.Person(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, personFileOut(f))
}
