package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// uiOrganisations serves GET /ui/organisations: Organisations, by ID.
func (s *server) uiOrganisations(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.OrganisationID](r)
	if err != nil {
		return err
	}
	os, err := s.reg.Organisations(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "organisations.title", Nav: "registers"}, Intro: "organisations.intro", Caption: "organisations.title",
		Columns: []string{"organisation.name", "organisation.kind", "organisation.country", "common.id"}, Empty: "list.empty",
		Actions: []link{{Href: "/ui/organisations/new", Key: "organisations.new"}}}
	for _, o := range os {
		p.Rows = append(p.Rows, row{ID: string(o.ID), Cells: []cell{linkCell(o.Name, "/ui/organisations/"+string(o.ID)),
			keyCell("organisation.kind." + string(o.Kind)), textCell(o.Country), codeCell(string(o.ID))}})
	}
	if n := len(os); n > 0 {
		p.Next = nextHref("/ui/organisations", r.URL.Query(), n, pq.limit, string(os[n-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// uiOrganisation serves GET /ui/organisations/{id}: Organisation, with the acts that start from it.
func (s *server) uiOrganisation(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.OrganisationID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	o, err := s.reg.Organisation(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	q := "?organisation_id=" + string(o.ID)
	return s.render(w, r, u, http.StatusOK, &detailsPage{Page: Page{Title: "organisation.page", Heading: o.Name, Nav: "registers"},
		Items: []detail{
			{Label: "organisation.name", Value: textCell(o.Name), ID: "organisation-name"},
			{Label: "organisation.kind", Value: keyCell("organisation.kind." + string(o.Kind))},
			{Label: "organisation.country", Value: textCell(o.Country)},
			{Label: "common.created", Value: textCell(formatTime(o.Created))},
			{Label: "common.id", Value: codeCell(string(o.ID))},
		},
		Actions: []link{
			{Href: "/ui/persons/new" + q, Key: "persons.new"},
			{Href: "/ui/security-officers/new" + q, Key: "officer.new"},
			{Href: "/ui/clearances/new?holder_kind=facility&organisation_id=" + string(o.ID), Key: "clearance.new.facility"},
			{Href: "/ui/places/new" + q, Key: "places.new"},
		}})
}

func organisationForm() *formPage {
	return &formPage{Page: Page{Title: "organisations.new", Nav: "registers"}, Intro: "organisations.new.intro", Action: "/ui/organisations",
		Submit: "form.register", Links: []link{{Href: "/ui/organisations", Key: "organisations.title"}}, Fields: []field{
			{Name: "name", Label: "organisation.name", Kind: "text", Required: true},
			{Name: "kind", Label: "organisation.kind", Kind: "select", Required: true,
				Options: choose(enumOptions("organisation.kind.", cleared.PublicBody, cleared.Company, cleared.ForeignPartner))},
			{Name: "country", Label: "organisation.country", Help: "organisation.country.help", Kind: "text", Required: true, Value: "LU"},
		}}
}

// uiOrganisationForm serves GET /ui/organisations/new.
func (s *server) uiOrganisationForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormOrganisation); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	return s.render(w, r, u, http.StatusOK, organisationForm())
}

// uiOrganisationCreate serves POST /ui/organisations: RegisterOrganisation.
func (s *server) uiOrganisationCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	o, err := s.reg.RegisterOrganisation(r.Context(), u.Actor, registry.NewOrganisation{Name: formText(v, "name"),
		Kind: cleared.OrganisationKind(formText(v, "kind")), Country: formText(v, "country")})
	if err != nil {
		return s.formFail(w, r, u, organisationForm(), err)
	}
	return seeOther(w, r, "/ui/organisations/"+string(o.ID), "organisation")
}

// organisationOptions lists the organisations for a select (the first page of the register, which is enough for
// a country's cleared bodies; the ID can be typed on the API otherwise).
func (s *server) organisationOptions(r *http.Request, u *uiSession) ([]option, error) {
	os, err := s.reg.Organisations(r.Context(), u.Actor, "", maxLimit)
	if err != nil {
		return nil, err
	}
	opts := make([]option, 0, len(os))
	for _, o := range os {
		opts = append(opts, option{Value: string(o.ID), Text: o.Name})
	}
	return choose(opts), nil
}
