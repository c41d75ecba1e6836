package web

import (
	"encoding/json"
	"net/http"

	"github.com/cleared/cleared"
)

// The routes of the investigation of vetting cases and of the person's file (issue 20 §4 and §10, package vetting,
// investigation.go and file.go): the NSA opens the investigation of a signed case with its officers, who alone read
// and write it (A23.1, A24.1): items by the law's categories (A21.1), requests with foreign services (A25.3), the
// report once the checklist is complete (A15.2); the person refused or withdrawn asks in writing to see his file and
// reads it, the items revealing sources as their summary (A28.1). Registered by New.
func (s *server) vettingInvestigationAPI(api func(pattern string, h handlerFunc)) {
	api("POST /api/vetting-cases/{id}/investigation", s.investigationOpen)
	api("GET /api/vetting-cases/{id}/investigation", s.investigationRead)
	api("POST /api/vetting-cases/{id}/investigation/officers", s.investigationAssign)
	api("DELETE /api/vetting-cases/{id}/investigation/officers/{person}", s.investigationEndOfficer)
	api("POST /api/vetting-cases/{id}/investigation/items", s.investigationItem)
	api("POST /api/vetting-cases/{id}/investigation/cooperation", s.investigationCooperation)
	api("POST /api/vetting-cases/{id}/investigation/cooperation/{request}/answer", s.investigationAnswer)
	api("POST /api/vetting-cases/{id}/investigation/report", s.investigationReport)
	api("GET /api/vetting-cases/{id}/file", s.vettingFile)
	api("POST /api/vetting-cases/{id}/file-requests", s.vettingFileRequest)
}

// investigationOpening is the body of POST /api/vetting-cases/{id}/investigation: the NSA officers put on the
// case besides the caller.
type investigationOpening struct {
	Officers []cleared.PersonID `json:"officers"`
}

// investigationOpen serves POST /api/vetting-cases/{id}/investigation: OpenInvestigation (A15.2, A24.1).
func (s *server) investigationOpen(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var in investigationOpening
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.vet.OpenInvestigation(r.Context(), a, id, in.Officers)
	if err != nil {
		return err
	}
	return created(w, "/api/vetting-cases/"+string(id)+"/investigation", v)
}

// investigationRead serves GET /api/vetting-cases/{id}/investigation: Investigation, to the officers on the case
// (A23.1, A24.1).
func (s *server) investigationRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.Investigation(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// officerAssignment is the body of POST /api/vetting-cases/{id}/investigation/officers.
type officerAssignment struct {
	PersonID cleared.PersonID `json:"person_id"`
}

// investigationAssign serves POST /api/vetting-cases/{id}/investigation/officers: AssignOfficer (A24.1).
func (s *server) investigationAssign(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var in officerAssignment
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.vet.AssignOfficer(r.Context(), a, id, in.PersonID); err != nil {
		return err
	}
	return s.investigationRead(w, r, a)
}

// investigationEndOfficer serves DELETE /api/vetting-cases/{id}/investigation/officers/{person}: EndOfficer
// (A24.1).
func (s *server) investigationEndOfficer(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	person := cleared.PersonID(r.PathValue("person"))
	if err := person.Validate(); err != nil {
		return err
	}
	if err := s.vet.EndOfficer(r.Context(), a, id, person); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// rawBody decodes a JSON object of the body, kept as it came for the service's strict parser.
func rawBody(r *http.Request) ([]byte, error) {
	var raw json.RawMessage
	if err := decode(r, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// investigationItem serves POST /api/vetting-cases/{id}/investigation/items: AddItem, the body checked by
// vetting.ParseItem (A21.1, A28.1).
func (s *server) investigationItem(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	data, err := rawBody(r)
	if err != nil {
		return err
	}
	it, err := s.vet.AddItem(r.Context(), a, id, data)
	if err != nil {
		return err
	}
	return created(w, "/api/vetting-cases/"+string(id)+"/investigation/items/"+it.ID, it)
}

// investigationCooperation serves POST /api/vetting-cases/{id}/investigation/cooperation: AddCooperation (A25.3).
func (s *server) investigationCooperation(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	data, err := rawBody(r)
	if err != nil {
		return err
	}
	c, err := s.vet.AddCooperation(r.Context(), a, id, data)
	if err != nil {
		return err
	}
	return created(w, "/api/vetting-cases/"+string(id)+"/investigation/cooperation/"+c.ID, c)
}

// investigationAnswer serves POST /api/vetting-cases/{id}/investigation/cooperation/{request}/answer:
// AnswerCooperation (A25.3).
func (s *server) investigationAnswer(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	data, err := rawBody(r)
	if err != nil {
		return err
	}
	c, err := s.vet.AnswerCooperation(r.Context(), a, id, r.PathValue("request"), data)
	if err != nil {
		return err
	}
	return ok(w, c)
}

// investigationReport serves POST /api/vetting-cases/{id}/investigation/report: FileReport (A15.2, A21.1).
func (s *server) investigationReport(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	data, err := rawBody(r)
	if err != nil {
		return err
	}
	v, err := s.vet.FileReport(r.Context(), a, id, data)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// vettingFile serves GET /api/vetting-cases/{id}/file: File, the person's file after his request (A28.1).
func (s *server) vettingFile(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	f, err := s.vet.File(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, f)
}

// vettingFileRequest serves POST /api/vetting-cases/{id}/file-requests: RequestFile (A28.1).
func (s *server) vettingFileRequest(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	data, err := rawBody(r)
	if err != nil {
		return err
	}
	req, err := s.vet.RequestFile(r.Context(), a, id, data)
	if err != nil {
		return err
	}
	return created(w, "/api/vetting-cases/"+string(id)+"/file", req)
}
