package web

import (
	"net/http"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The routes of Chapter 4's first step (issue 20, package vetting): posts and classified contracts with the level
// they require, the assignments of persons to them with their flags (A14.1), the level a person's posts require
// (A16.1), and the register of exemptions from clearance. Registered by New.
func (s *server) vettingAPI(api func(pattern string, h handlerFunc)) {
	api("GET /api/posts", s.postList)
	api("POST /api/posts", s.postCreate)
	api("GET /api/posts/{id}", s.postRead)
	api("GET /api/contracts", s.contractList)
	api("POST /api/contracts", s.contractCreate)
	api("GET /api/contracts/{id}", s.contractRead)
	api("GET /api/assignments", s.assignmentList)
	api("POST /api/assignments", s.assignmentCreate)
	api("POST /api/assignments/{id}/end", s.assignmentEnd)
	api("GET /api/persons/{id}/required-level", s.requiredLevel)
	api("GET /api/exemptions", s.exemptionList)
	api("POST /api/exemptions", s.exemptionCreate)
	api("POST /api/exemptions/{id}/members", s.exemptionMemberCreate)
}

// orgQuery reads the optional organisation query parameter.
func orgQuery(r *http.Request) (cleared.OrganisationID, error) {
	org := cleared.OrganisationID(r.URL.Query().Get("organisation"))
	if org == "" {
		return "", nil
	}
	return org, org.Validate()
}

// postList serves GET /api/posts[?organisation=]: Posts, those the caller answers for (A14.1).
func (s *server) postList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	org, err := orgQuery(r)
	if err != nil {
		return err
	}
	ps, err := s.vet.Posts(r.Context(), a, org, 0)
	if err != nil {
		return err
	}
	return ok(w, list[cleared.Post]{Items: nonNil(ps)})
}

// postCreate serves POST /api/posts: RecordPost (A14.1, A16.1).
func (s *server) postCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in vetting.NewPost
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.vet.RecordPost(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/posts/"+string(p.ID), p)
}

// postRead serves GET /api/posts/{id}: Post, with its assignments and their flags (A14.1).
func (s *server) postRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.PostID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.Post(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// contractList serves GET /api/contracts[?organisation=]: Contracts (A14.1).
func (s *server) contractList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	org, err := orgQuery(r)
	if err != nil {
		return err
	}
	cs, err := s.vet.Contracts(r.Context(), a, org, 0)
	if err != nil {
		return err
	}
	return ok(w, list[cleared.Contract]{Items: nonNil(cs)})
}

// contractCreate serves POST /api/contracts: RecordContract (A14.1, A16.1).
func (s *server) contractCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in vetting.NewContract
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.vet.RecordContract(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/contracts/"+string(c.ID), c)
}

// contractRead serves GET /api/contracts/{id}: Contract (A14.1).
func (s *server) contractRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.ContractID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.Contract(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// assignmentList serves GET /api/assignments[?organisation=][&flagged=true]: Assignments, with their flags (A14.1).
func (s *server) assignmentList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	org, err := orgQuery(r)
	if err != nil {
		return err
	}
	f := vetting.AssignmentFilter{Organisation: org}
	switch r.URL.Query().Get("flagged") {
	case "", "false":
	case "true":
		f.Flagged = true
	default:
		return cleared.Invalidf("flagged: want true or false")
	}
	vs, err := s.vet.Assignments(r.Context(), a, f)
	if err != nil {
		return err
	}
	return ok(w, list[vetting.AssignmentView]{Items: nonNil(vs)})
}

// assignmentCreate serves POST /api/assignments: Assign (A14.1).
func (s *server) assignmentCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in vetting.NewAssignment
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.vet.Assign(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/assignments?organisation="+string(v.OrganisationID), v)
}

// assignmentEnd serves POST /api/assignments/{id}/end: EndAssignment (A14.1), at until if given, else now.
func (s *server) assignmentEnd(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.AssignmentID](r)
	if err != nil {
		return err
	}
	var in struct {
		Until time.Time `json:"until,omitzero"`
	}
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	v, err := s.vet.EndAssignment(r.Context(), a, id, in.Until)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// requiredLevel serves GET /api/persons/{id}/required-level: RequiredLevel (A16.1).
func (s *server) requiredLevel(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.PersonID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.RequiredLevel(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// exemptionList serves GET /api/exemptions: Exemptions, the categories and their members (A14.1).
func (s *server) exemptionList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	vs, err := s.vet.Exemptions(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, list[vetting.CategoryView]{Items: nonNil(vs)})
}

// exemptionCreate serves POST /api/exemptions: RecordExemptionCategory (A14.1).
func (s *server) exemptionCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in vetting.NewExemptionCategory
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.vet.RecordExemptionCategory(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/exemptions", c)
}

// exemptionMemberCreate serves POST /api/exemptions/{id}/members: RecordMembership (A14.1).
func (s *server) exemptionMemberCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.ExemptionCategoryID](r)
	if err != nil {
		return err
	}
	var in vetting.NewMembership
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Category != "" && in.Category != id {
		return cleared.Invalidf("category: the body names another category than the path")
	}
	in.Category = id
	m, err := s.vet.RecordMembership(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/exemptions", m)
}
