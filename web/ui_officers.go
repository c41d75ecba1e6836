package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

func officerForm(orgs []option) *formPage {
	return &formPage{Page: Page{Title: "officer.title", Nav: "registers"}, Intro: "officer.intro", Action: "/ui/security-officers",
		Submit: "officer.submit", Fields: []field{
			{Name: "organisation_id", Label: "person.organisation", Kind: "select", Required: true, Options: orgs},
			{Name: "person_id", Label: "officer.person", Help: "form.person_id.help", Kind: "text", Required: true},
			{Name: "designated_by", Label: "officer.designated_by", Help: "officer.designated_by.help", Kind: "text", Required: true},
			{Name: "since", Label: "officer.since", Help: "form.date_today.help", Kind: "date"},
		}}
}

// uiOfficerForm serves GET /ui/security-officers/new?organisation_id=&person_id=.
func (s *server) uiOfficerForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormOfficer); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	orgs, err := s.organisationOptions(r, u)
	if err != nil {
		return err
	}
	f := officerForm(orgs)
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiOfficerCreate serves POST /ui/security-officers: DesignateOfficer.
func (s *server) uiOfficerCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewOfficer{OrganisationID: cleared.OrganisationID(formText(v, "organisation_id")),
		PersonID: cleared.PersonID(formText(v, "person_id")), DesignatedBy: formText(v, "designated_by")}
	var err error
	if in.Since, err = formDate(v, "since", "officer.since"); err == nil {
		if _, err = s.reg.DesignateOfficer(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/persons/"+string(in.PersonID), "officer")
		}
	}
	orgs, oerr := s.organisationOptions(r, u)
	if oerr != nil {
		return oerr
	}
	return s.formFail(w, r, u, officerForm(orgs), err)
}
