package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// placeCreate serves POST /api/places: RegisterPlace.
func (s *server) placeCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewPlace
	if err := decode(r, &in); err != nil {
		return err
	}
	pl, err := s.reg.RegisterPlace(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/places/"+string(pl.ID), pl)
}

// placeList serves GET /api/places: Places, by ID.
func (s *server) placeList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.PlaceID](r)
	if err != nil {
		return err
	}
	ps, err := s.reg.Places(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, ps, pq.limit, func(p cleared.Place) cleared.PlaceID { return p.ID })
}
