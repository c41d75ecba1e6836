package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// terminalCreate serves POST /api/terminals: RegisterTerminal.
func (s *server) terminalCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewTerminal
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.reg.RegisterTerminal(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/terminals/"+string(t.ID), t)
}

// terminalList serves GET /api/terminals: Terminals, by ID, revoked ones included.
func (s *server) terminalList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.TerminalID](r)
	if err != nil {
		return err
	}
	ts, err := s.reg.Terminals(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, ts, pq.limit, func(t cleared.Terminal) cleared.TerminalID { return t.ID })
}

// terminalRevoke serves POST /api/terminals/{id}/revoke: RevokeTerminal; its certificates end with it.
func (s *server) terminalRevoke(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.TerminalID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	if err := s.reg.RevokeTerminal(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
