package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// authorityList serves GET /api/authorities: Authorities, by ID.
func (s *server) authorityList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.AuthorityID](r)
	if err != nil {
		return err
	}
	as, err := s.reg.Authorities(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, as, pq.limit, func(au cleared.ClassifyingAuthority) cleared.AuthorityID { return au.ID })
}

// authorityCreate serves POST /api/authorities: RegisterAuthority.
func (s *server) authorityCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewAuthority
	if err := decode(r, &in); err != nil {
		return err
	}
	au, err := s.reg.RegisterAuthority(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/authorities/"+string(au.ID), au)
}
