package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// uiPlaces serves GET /ui/places: Places, by ID (A8.1, A9.2).
func (s *server) uiPlaces(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.PlaceID](r)
	if err != nil {
		return err
	}
	ps, err := s.reg.Places(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "places.title", Nav: "registers"}, Intro: "places.intro", Caption: "places.title",
		Columns: []string{"place.name", "place.accredited_level", "place.security_zone", "place.public", "place.organisation", "common.id"},
		Empty:   "list.empty", Actions: []link{{Href: "/ui/places/new", Key: "places.new"}}}
	var ids []string
	for _, x := range ps {
		ids = append(ids, string(x.OrganisationID))
	}
	names := s.names(r, u, ids...) // issue 18 §0: names, not IDs
	for _, x := range ps {
		p.Rows = append(p.Rows, row{ID: string(x.ID), Cells: []cell{textCell(x.Name), levelCell(x.AccreditedLevel), yesNo(x.SecurityZone),
			yesNo(x.Public), names.cell(string(x.OrganisationID)), codeCell(string(x.ID))}})
	}
	if n := len(ps); n > 0 {
		p.Next = nextHref("/ui/places", r.URL.Query(), n, pq.limit, string(ps[n-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func placeForm(orgs []option) *formPage {
	return &formPage{Page: Page{Title: "places.new", Nav: "registers"}, Intro: "places.new.intro", Action: "/ui/places", Submit: "form.register",
		Links: []link{{Href: "/ui/places", Key: "places.title"}}, Fields: []field{
			{Name: "organisation_id", Label: "place.organisation", Kind: "select", Required: true, Options: orgs},
			{Name: "name", Label: "place.name", Kind: "text", Required: true},
			{Name: "accredited_level", Label: "place.accredited_level", Kind: "select", Required: true, Options: levelOptions(true)},
			{Name: "security_zone", Label: "place.security_zone", Help: "place.security_zone.help", Kind: "checkbox"},
			{Name: "public", Label: "place.public", Help: "place.public.help", Kind: "checkbox"},
		}}
}

// uiPlaceForm serves GET /ui/places/new?organisation_id=.
func (s *server) uiPlaceForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormPlace); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	orgs, err := s.organisationOptions(r, u)
	if err != nil {
		return err
	}
	f := placeForm(orgs)
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiPlaceCreate serves POST /ui/places: RegisterPlace.
func (s *server) uiPlaceCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewPlace{OrganisationID: cleared.OrganisationID(formText(v, "organisation_id")), Name: formText(v, "name"),
		SecurityZone: formBool(v, "security_zone"), Public: formBool(v, "public")}
	var err error
	if in.AccreditedLevel, err = formLevel(v, "accredited_level", "place.accredited_level"); err == nil {
		if _, err = s.reg.RegisterPlace(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/places", "place")
		}
	}
	orgs, oerr := s.organisationOptions(r, u)
	if oerr != nil {
		return oerr
	}
	return s.formFail(w, r, u, placeForm(orgs), err)
}
