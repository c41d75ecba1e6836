package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The routes of briefings and changes of circumstances (issue 20 §7, package vetting, briefings.go; Art. 18,
// A18.1): the security officer of the holder's organisation, or the NSA, records a briefing; the holder signs the
// declaration, and the first makes a pending clearance active; a holder reports a change of his circumstances,
// read whole by him and the NSA, as a record only by his security officer. Registered by New.
func (s *server) vettingBriefingsAPI(api func(pattern string, h handlerFunc)) {
	api("GET /api/clearances/{id}/briefings", s.briefingList)
	api("POST /api/clearances/{id}/briefings", s.briefingRecord)
	api("POST /api/clearances/{id}/declaration", s.briefingDeclare)
	api("GET /api/circumstances", s.circumstanceList)
	api("POST /api/circumstances", s.circumstanceReport)
	api("GET /api/circumstances/{id}", s.circumstanceRead)
	api("POST /api/circumstances/{id}/take-up", s.circumstanceTakeUp)
}

// briefingsJSON is a clearance's briefings with the clearance's marking (A7.1).
type briefingsJSON struct {
	vetting.BriefingsView
	Clearance clearanceJSON `json:"clearance"`
}

func briefingsOut(v vetting.BriefingsView) briefingsJSON {
	return briefingsJSON{BriefingsView: v, Clearance: clearanceOut(v.Clearance)}
}

// briefingList serves GET /api/clearances/{id}/briefings: Briefings, to the holder, his security officer and the
// NSA (A18.1).
func (s *server) briefingList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.ClearanceID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.Briefings(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, briefingsOut(v))
}

// briefingRecord serves POST /api/clearances/{id}/briefings: RecordBriefing (A18.1).
func (s *server) briefingRecord(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.ClearanceID](r)
	if err != nil {
		return err
	}
	var in vetting.NewBriefing
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.vet.RecordBriefing(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return created(w, "/api/clearances/"+string(id)+"/briefings", briefingsOut(v))
}

// briefingDeclare serves POST /api/clearances/{id}/declaration: SignDeclaration, by the holder (A18.1).
func (s *server) briefingDeclare(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.ClearanceID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.SignDeclaration(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, briefingsOut(v))
}

// circumstanceList serves GET /api/circumstances[?open=true]: Circumstances, records only (A18.1).
func (s *server) circumstanceList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var open bool
	switch r.URL.Query().Get("open") {
	case "", "false":
	case "true":
		open = true
	default:
		return cleared.Invalidf("open is true or false")
	}
	rs, err := s.vet.Circumstances(r.Context(), a, open)
	if err != nil {
		return err
	}
	return ok(w, list[cleared.CircumstanceReport]{Items: nonNil(rs)})
}

// circumstanceReport serves POST /api/circumstances: ReportCircumstance, by a holder (A18.1).
func (s *server) circumstanceReport(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in vetting.NewCircumstance
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.vet.ReportCircumstance(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/circumstances/"+string(v.ID), v)
}

// circumstanceRead serves GET /api/circumstances/{id}: Circumstance (A18.1).
func (s *server) circumstanceRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.CircumstanceID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.Circumstance(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// circumstanceTakeUp serves POST /api/circumstances/{id}/take-up: TakeUpCircumstance, by the NSA (A18.1).
func (s *server) circumstanceTakeUp(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.CircumstanceID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.TakeUpCircumstance(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}
