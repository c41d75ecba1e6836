package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

func clearanceForm() *formPage {
	return &formPage{Page: Page{Title: "clearance.title", Nav: "registers"}, Intro: "clearance.intro", Action: "/ui/clearances",
		Submit: "clearance.submit", Fields: []field{
			{Name: "holder_kind", Label: "clearance.holder_kind", Kind: "select", Required: true,
				Options: enumOptions("clearance.holder.", cleared.HolderPerson, cleared.HolderFacility)},
			{Name: "person_id", Label: "clearance.person", Help: "clearance.person.help", Kind: "text"},
			{Name: "organisation_id", Label: "clearance.organisation", Help: "clearance.organisation.help", Kind: "text"},
			{Name: "level", Label: "clearance.level", Kind: "select", Required: true, Options: choose(levelOptions(false))},
			{Name: "issued", Label: "clearance.issued", Help: "clearance.issued.help", Kind: "date", Required: true},
			{Name: "reference", Label: "clearance.reference", Help: "clearance.reference.help", Kind: "text", Required: true},
		}}
}

// uiClearanceForm serves GET /ui/clearances/new?person_id=|organisation_id=.
func (s *server) uiClearanceForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormClearance); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	f := clearanceForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiClearanceCreate serves POST /ui/clearances: RecordClearance.
func (s *server) uiClearanceCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewClearance{HolderKind: cleared.HolderKind(formText(v, "holder_kind")), Reference: formText(v, "reference")}
	if in.HolderKind == cleared.HolderFacility {
		in.OrganisationID = cleared.OrganisationID(formText(v, "organisation_id"))
	} else {
		in.PersonID = cleared.PersonID(formText(v, "person_id"))
	}
	var err error
	if in.Level, err = formLevel(v, "level", "clearance.level"); err == nil {
		in.Issued, err = formDate(v, "issued", "clearance.issued")
	}
	if err == nil {
		if _, err = s.reg.RecordClearance(r.Context(), u.Actor, in); err == nil {
			if in.HolderKind == cleared.HolderFacility {
				return seeOther(w, r, "/ui/organisations/"+string(in.OrganisationID), "clearance")
			}
			return seeOther(w, r, "/ui/persons/"+string(in.PersonID), "clearance")
		}
	}
	return s.formFail(w, r, u, clearanceForm(), err)
}
