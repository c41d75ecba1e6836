package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The routes of facility clearances (issue 20 §3, package vetting, facility.go; A15.1, A21.2): the NSA or the
// contracting organisation's security officer opens the case of the company executing a classified contract,
// lists its organs with their clearance or own case, records its material and technical means, and reads its
// readiness: who lacks what for the facility clearance to be granted. Registered by New.
func (s *server) vettingFacilityAPI(api func(pattern string, h handlerFunc)) {
	api("GET /api/facility-cases", s.facilityCaseList)
	api("POST /api/facility-cases", s.facilityCaseOpen)
	api("GET /api/facility-cases/{id}", s.facilityCaseRead)
	api("GET /api/vetting-cases/{id}/facility", s.facilityCaseRead)
	api("POST /api/facility-cases/{id}/organs", s.facilityOrganAdd)
	api("DELETE /api/facility-cases/{id}/organs/{organ}", s.facilityOrganRemove)
	api("PUT /api/facility-cases/{id}/means", s.facilityMeans)
}

// facilityCaseList serves GET /api/facility-cases: FacilityCases, those the caller may see (A21.2).
func (s *server) facilityCaseList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	cs, err := s.vet.FacilityCases(r.Context(), a, 0)
	if err != nil {
		return err
	}
	return ok(w, list[cleared.VettingCase]{Items: nonNil(cs)})
}

// facilityCaseOpen serves POST /api/facility-cases: OpenFacilityCase (A15.1, A21.2, A16.1).
func (s *server) facilityCaseOpen(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in vetting.NewFacilityCase
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.vet.OpenFacilityCase(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/facility-cases/"+string(v.ID), v)
}

// facilityCaseRead serves GET /api/facility-cases/{id} and GET /api/vetting-cases/{id}/facility: FacilityCase, the
// case with its organs, means and readiness at the time of the read (A15.1, A21.2).
func (s *server) facilityCaseRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.FacilityCase(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// facilityOrganAdd serves POST /api/facility-cases/{id}/organs: AddOrgan (A21.2), answering the organ listed as
// the case now shows it.
func (s *server) facilityOrganAdd(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var in vetting.NewOrgan
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.vet.AddOrgan(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	for _, o := range v.Organs {
		if o.PersonID == in.PersonID && o.Role == in.Role {
			return created(w, "/api/facility-cases/"+string(id)+"/organs/"+string(o.ID), o)
		}
	}
	return ok(w, v)
}

// facilityOrganRemove serves DELETE /api/facility-cases/{id}/organs/{organ}: RemoveOrgan (A21.2), answering the
// case as it now stands.
func (s *server) facilityOrganRemove(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	organ := cleared.FacilityOrganID(r.PathValue("organ"))
	if err := organ.Validate(); err != nil {
		return err
	}
	v, err := s.vet.RemoveOrgan(r.Context(), a, id, organ)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// facilityMeans serves PUT /api/facility-cases/{id}/means: RecordMeans (A15.1), the body the means, checked
// strictly; the answer the case as it now stands.
func (s *server) facilityMeans(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var in vetting.NewMeans
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.vet.RecordMeans(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, v)
}
