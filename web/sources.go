package web

import (
	"errors"
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing"
)

// Issue 21 §2: the sources cleared pulls products from (S1, A6.1), for persons by token. The server polls them
// on its own (cleared serve --pull-every); these record them, list them and poll one at once.

// sourcesAPI registers the routes of sources.
func (s *server) sourcesAPI(api func(string, handlerFunc)) {
	api("GET /api/sources", s.sourceList)
	api("POST /api/sources", s.sourceCreate)
	api("PUT /api/sources/{id}", s.sourcePut)
	api("POST /api/sources/{id}/poll", s.sourcePoll)
}

// sourceList serves GET /api/sources: Sources, by ID.
func (s *server) sourceList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	pq, err := idPage[cleared.SourceID](r)
	if err != nil {
		return err
	}
	ss, err := sh.Sources(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, ss, pq.limit, func(s cleared.Source) cleared.SourceID { return s.ID })
}

// sourceCreate serves POST /api/sources: PutSource of a new source, the caller its registrar.
func (s *server) sourceCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return s.sourceWrite(w, r, a, "")
}

// sourcePut serves PUT /api/sources/{id}: PutSource, by its registrar or the NSA.
func (s *server) sourcePut(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.SourceID](r)
	if err != nil {
		return err
	}
	return s.sourceWrite(w, r, a, id)
}

func (s *server) sourceWrite(w http.ResponseWriter, r *http.Request, a cleared.Actor, id cleared.SourceID) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	var in sharing.NewSource
	if err := decode(r, &in); err != nil {
		return err
	}
	src, err := sh.PutSource(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	if id == "" {
		return created(w, "/api/sources/"+string(src.ID), src)
	}
	return writeJSON(w, http.StatusOK, src, nil)
}

// sourcePoll serves POST /api/sources/{id}/poll: PollNow.
func (s *server) sourcePoll(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.SourceID](s, r)
	if err != nil {
		return err
	}
	res, err := sh.PollNow(r.Context(), a, id)
	var failed *sharing.PollError
	if errors.As(err, &failed) {
		// The partner's server failed, not the request: the poll is recorded and the source keeps the error.
		return &statusError{status: http.StatusBadGateway, detail: "The poll of source " + string(id) + " failed: " +
			truncate(failed.Err.Error(), 500)}
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res, nil)
}
