package web

import (
	"net/http"

	"github.com/cleared/cleared"
)

// otherFormatsForm is the page where an organisation's security officer chooses how its files that cannot be
// stamped are delivered (A7.1).
func otherFormatsForm(org cleared.OrganisationID, current cleared.OtherFormats) *formPage {
	opts := []option{
		{Value: string(cleared.OtherFormatsRefuse), Key: "other_formats.refuse", Selected: current != cleared.OtherFormatsWrap},
		{Value: string(cleared.OtherFormatsWrap), Key: "other_formats.wrap", Selected: current == cleared.OtherFormatsWrap},
	}
	return &formPage{Page: Page{Title: "other_formats.title", Nav: "registers"}, Intro: "other_formats.intro",
		Action: "/ui/organisations/" + string(org) + "/other-formats", Submit: "other_formats.submit",
		Links:  []link{{Href: "/ui/organisations/" + string(org), Key: "organisations.title"}},
		Fields: []field{{Name: "other_formats", Label: "other_formats.label", Help: "other_formats.help", Kind: "select", Required: true, Options: opts}}}
}

// uiOtherFormatsForm serves GET /ui/organisations/{id}/other-formats: OtherFormats, in a form that only the
// organisation's security officer may submit (the service refuses anyone else with A7.1).
func (s *server) uiOtherFormatsForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.OrganisationID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	o, mayChoose, err := s.reg.OtherFormats(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	if !mayChoose {
		// A7.1: the choice is shown to all, the form only to the organisation's security officer.
		key := "other_formats.refuse"
		if o == cleared.OtherFormatsWrap {
			key = "other_formats.wrap"
		}
		return s.render(w, r, u, http.StatusOK, &detailsPage{Page: Page{Title: "other_formats.title", Nav: "registers"},
			Intro: "other_formats.intro", Items: []detail{{Label: "other_formats.label", Value: keyCell(key), ID: "other-formats"}}})
	}
	return s.render(w, r, u, http.StatusOK, otherFormatsForm(id, o))
}

// uiOtherFormatsSet serves POST /ui/organisations/{id}/other-formats: SetOtherFormats.
func (s *server) uiOtherFormatsSet(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.OrganisationID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	o := cleared.OtherFormats(formText(r.PostForm, "other_formats"))
	err := s.reg.SetOtherFormats(r.Context(), u.Actor, id, o)
	if err == nil {
		return seeOther(w, r, "/ui/organisations/"+string(id)+"/other-formats", "other_formats")
	}
	return s.formFail(w, r, u, otherFormatsForm(id, o), err)
}
