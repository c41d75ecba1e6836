package web

import (
	"context"
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The routes of security incidents (Art. 13: A13.1, A13.2, A13.3), registered by New.
func (s *server) incidentAPI(api func(pattern string, h handlerFunc)) {
	api("POST /api/incidents", s.incidentReport)
	api("GET /api/incidents", s.incidentList)
	api("GET /api/incidents/{id}", s.incidentRead)
	api("POST /api/incidents/{id}/acknowledge", s.incidentAcknowledge)
	api("POST /api/incidents/{id}/notes", s.incidentNote)
	api("POST /api/incidents/{id}/findings", s.incidentFindings)
	api("POST /api/incidents/{id}/head-notice", s.incidentHeadNotice)
	api("POST /api/incidents/{id}/close", s.incidentClose)
}

// incidentText is the body of a note or of findings.
type incidentText struct {
	Text string `json:"text"`
}

// incidentReport serves POST /api/incidents: ReportIncident; the warnings leave through the outbox (A13.1, A13.2).
func (s *server) incidentReport(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewIncident
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.reg.ReportIncident(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/incidents/"+string(c.ID), c)
}

// incidentList serves GET /api/incidents: the incidents the caller may know of, newest first, ?limit= and
// ?cursor= (the last incident of the previous page).
func (s *server) incidentList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := parsePageQuery(r)
	if err != nil {
		return err
	}
	cs, next, err := s.reg.Incidents(r.Context(), a, cleared.IncidentID(pq.cursor), pq.limit)
	if err != nil {
		return err
	}
	return ok(w, list[registry.IncidentCase]{Items: nonNil(cs), NextCursor: string(next)})
}

// incidentRead serves GET /api/incidents/{id}: the case as the caller may see it, 404 if not his to know.
func (s *server) incidentRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.IncidentID](r)
	if err != nil {
		return err
	}
	c, err := s.reg.Incident(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, c)
}

// incidentAcknowledge serves POST /api/incidents/{id}/acknowledge: the caller's warnings acknowledged.
func (s *server) incidentAcknowledge(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.IncidentID](r)
	if err != nil {
		return err
	}
	var none struct{}
	if err := decodeOptional(r, &none); err != nil {
		return err
	}
	c, err := s.reg.AcknowledgeIncident(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, c)
}

// incidentNote serves POST /api/incidents/{id}/notes: a note of the investigation (A13.3).
func (s *server) incidentNote(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return s.recordIncidentText(w, r, a, s.reg.RecordIncidentNote)
}

// incidentFindings serves POST /api/incidents/{id}/findings: the findings of the investigation (A13.3).
func (s *server) incidentFindings(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return s.recordIncidentText(w, r, a, s.reg.RecordIncidentFindings)
}

// recordIncidentText records the text of the request's body on the case with record, and answers the case.
func (s *server) recordIncidentText(w http.ResponseWriter, r *http.Request, a cleared.Actor,
	record func(context.Context, cleared.Actor, cleared.IncidentID, string) (registry.IncidentCase, error)) error {
	id, err := pathID[cleared.IncidentID](r)
	if err != nil {
		return err
	}
	var in incidentText
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := record(r.Context(), a, id, in.Text)
	if err != nil {
		return err
	}
	return ok(w, c)
}

// incidentHeadNotice serves POST /api/incidents/{id}/head-notice: the head of the body informed (A13.3).
func (s *server) incidentHeadNotice(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.IncidentID](r)
	if err != nil {
		return err
	}
	var in registry.HeadNoticeInput
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.reg.RecordHeadNotice(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, c)
}

// incidentClose serves POST /api/incidents/{id}/close: the case closed (A13.3: findings and the head's notice first).
func (s *server) incidentClose(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.IncidentID](r)
	if err != nil {
		return err
	}
	var none struct{}
	if err := decodeOptional(r, &none); err != nil {
		return err
	}
	c, err := s.reg.CloseIncident(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, c)
}
