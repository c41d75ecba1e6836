package web

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The routes of the intake of vetting cases (issue 20 §2, package vetting, cases.go): the security officer opens a
// case (A25.1; the NSA one from abroad, A20.1); the person fills in the questionnaire section by section, signs it
// and the consent, or refuses (A25.1, A25.2, A26.1). A case read by the security officer or the NSA carries its
// stage, never the answers. Registered by New.
func (s *server) vettingCasesAPI(api func(pattern string, h handlerFunc)) {
	api("GET /api/vetting-cases", s.vettingCaseList)
	api("POST /api/vetting-cases", s.vettingCaseOpen)
	api("GET /api/vetting-cases/{id}", s.vettingCaseRead)
	api("PUT /api/vetting-cases/{id}/questionnaire/{section}", s.vettingCaseSection)
	api("POST /api/vetting-cases/{id}/sign", s.vettingCaseSign)
	api("POST /api/vetting-cases/{id}/consent", s.vettingCaseConsent)
	api("POST /api/vetting-cases/{id}/refuse", s.vettingCaseRefuse)
	api("GET /api/vetting-cases/{id}/signatures", s.vettingCaseSignatures)
}

// vettingCaseSignatures serves GET /api/vetting-cases/{id}/signatures: Signatures, the person's signed
// questionnaire and consent with the documents and their verification (A25.1, A25.2, E2); to the person only.
func (s *server) vettingCaseSignatures(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	gs, err := s.vet.Signatures(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, list[vetting.SignedDocument]{Items: nonNil(gs)})
}

// vettingCaseList serves GET /api/vetting-cases[?organisation=][&open=true]: Cases, the caller's own and those he
// answers for, stages only (A25.1).
func (s *server) vettingCaseList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	org, err := orgQuery(r)
	if err != nil {
		return err
	}
	f := vetting.CaseFilter{Organisation: org}
	switch r.URL.Query().Get("open") {
	case "", "false":
	case "true":
		f.Open = true
	default:
		return cleared.Invalidf("open is true or false")
	}
	cs, err := s.vet.Cases(r.Context(), a, f)
	if err != nil {
		return err
	}
	return ok(w, list[cleared.VettingCase]{Items: nonNil(cs)})
}

// vettingCaseOpen serves POST /api/vetting-cases: OpenCase (A25.1, A20.1, A25.2, A16.1).
func (s *server) vettingCaseOpen(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in vetting.NewCase
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.vet.OpenCase(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/vetting-cases/"+string(c.ID), c)
}

// vettingCaseRead serves GET /api/vetting-cases/{id}: Case, whole for the person, the stage for the others who may
// see it (A25.1).
func (s *server) vettingCaseRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.Case(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// vettingCaseSection serves PUT /api/vetting-cases/{id}/questionnaire/{section}: SaveSection, the body the
// section's answers, checked strictly by the section's fields (A21.1).
func (s *server) vettingCaseSection(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := decode(r, &raw); err != nil {
		return err
	}
	v, err := s.vet.SaveSection(r.Context(), a, id, vetting.Section(r.PathValue("section")), raw)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// caseStep is one of the person's steps on a case: a method of the vetting service.
type caseStep = func(context.Context, cleared.Actor, cleared.VettingCaseID) (vetting.CaseView, error)

// vettingCaseStep serves one of the person's POST steps on case {id}: step is the service's method.
func vettingCaseStep(w http.ResponseWriter, r *http.Request, a cleared.Actor, step caseStep) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	v, err := step(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// vettingCaseSign serves POST /api/vetting-cases/{id}/sign: SignQuestionnaire (A25.1).
func (s *server) vettingCaseSign(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return vettingCaseStep(w, r, a, s.vet.SignQuestionnaire)
}

// vettingCaseConsent serves POST /api/vetting-cases/{id}/consent: Consent (A25.2).
func (s *server) vettingCaseConsent(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return vettingCaseStep(w, r, a, s.vet.Consent)
}

// vettingCaseRefuse serves POST /api/vetting-cases/{id}/refuse: Refuse, the case closes for non-cooperation
// (A26.1).
func (s *server) vettingCaseRefuse(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return vettingCaseStep(w, r, a, s.vet.Refuse)
}
