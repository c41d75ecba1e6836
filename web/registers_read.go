package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The registers one can read (issue 18 §0): the item and list routes of the registers that POST creates, so that
// every Location of a 201 names a route that answers.

// dossierFileJSON is a dossier's file: the dossier with its marking, its parts with theirs, its level history.
type dossierFileJSON struct {
	dossierJSON
	Parts  []pieceJSON                  `json:"parts"`
	Levels []cleared.DossierLevelChange `json:"levels"`
}

func dossierFileOut(f registry.DossierFile) dossierFileJSON {
	return dossierFileJSON{dossierJSON: dossierJSON{Dossier: f.Dossier, Marking: f.Marking},
		Parts: mapItems(f.Parts, pieceOut), Levels: f.Levels}
}

// dossierList serves GET /api/dossiers: Dossiers, the dossiers the caller may know (A9.1).
func (s *server) dossierList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.DossierID](r)
	if err != nil {
		return err
	}
	ds, err := s.reg.Dossiers(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, mapItems(ds, func(d cleared.Dossier) dossierJSON { return dossierJSON{Dossier: d, Marking: d.Marking()} }),
		pq.limit, func(d dossierJSON) cleared.DossierID { return d.ID })
}

// dossierRead serves GET /api/dossiers/{id}: Dossier.
func (s *server) dossierRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.DossierID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	f, err := s.reg.Dossier(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, dossierFileOut(f))
}

// dossierSetLevel serves POST /api/dossiers/{id}/level: SetDossierLevel (A4.2, A5.2).
func (s *server) dossierSetLevel(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.DossierID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	var in registry.NewDossierLevel
	if err := decode(r, &in); err != nil {
		return err
	}
	f, err := s.reg.SetDossierLevel(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, dossierFileOut(f))
}

// grantList serves GET /api/grants: Grants, the grants the caller may read (A9.1).
func (s *server) grantList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.GrantID](r)
	if err != nil {
		return err
	}
	gs, err := s.reg.Grants(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, gs, pq.limit, func(g cleared.Grant) cleared.GrantID { return g.ID })
}

// grantRead serves GET /api/grants/{id}: ReadGrant.
func (s *server) grantRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.GrantID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	g, err := s.reg.ReadGrant(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, g)
}

// clearanceList serves GET /api/clearances: Clearances, those the caller may read (A23.1).
func (s *server) clearanceList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.ClearanceID](r)
	if err != nil {
		return err
	}
	cs, err := s.reg.Clearances(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, mapItems(cs, clearanceOut), pq.limit, func(c clearanceJSON) cleared.ClearanceID { return c.ID })
}

// clearanceRead serves GET /api/clearances/{id}: Clearance.
func (s *server) clearanceRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.ClearanceID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	c, err := s.reg.Clearance(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, clearanceOut(c))
}

// delegationList serves GET /api/delegations: Delegations.
func (s *server) delegationList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.DelegationID](r)
	if err != nil {
		return err
	}
	ds, err := s.reg.Delegations(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, ds, pq.limit, func(d cleared.Delegation) cleared.DelegationID { return d.ID })
}

// delegationRead serves GET /api/delegations/{id}: Delegation.
func (s *server) delegationRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.DelegationID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	d, err := s.reg.Delegation(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, d)
}

// channelRead serves GET /api/channels/{id}: Channel.
func (s *server) channelRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.ChannelID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	c, err := s.reg.Channel(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, c)
}

// authorityRead serves GET /api/authorities/{id}: Authority.
func (s *server) authorityRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.AuthorityID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	au, err := s.reg.Authority(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, au)
}

// placeRead serves GET /api/places/{id}: Place.
func (s *server) placeRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.PlaceID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	pl, err := s.reg.Place(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, pl)
}

// terminalRead serves GET /api/terminals/{id}: Terminal.
func (s *server) terminalRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.TerminalID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	t, err := s.reg.Terminal(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, t)
}
