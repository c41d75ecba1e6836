package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// uiPersons serves GET /ui/persons: Persons, by ID (the NSA's register, A20.1).
func (s *server) uiPersons(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.PersonID](r)
	if err != nil {
		return err
	}
	ps, err := s.reg.Persons(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "persons.title", Nav: "registers"}, Intro: "persons.intro", Caption: "persons.title",
		Columns: []string{"person.name", "person.organisation", "person.government_member", "common.id"}, Empty: "list.empty",
		Actions: []link{{Href: "/ui/persons/new", Key: "persons.new"}}}
	var ids []string
	for _, x := range ps {
		ids = append(ids, string(x.OrganisationID))
	}
	n := s.names(r, u, ids...)
	for _, x := range ps {
		p.Rows = append(p.Rows, row{ID: string(x.ID), Cells: []cell{linkCell(x.Name, "/ui/persons/"+string(x.ID)),
			n.cell(string(x.OrganisationID)), yesNo(x.GovernmentMember), codeCell(string(x.ID))}})
	}
	if n := len(ps); n > 0 {
		p.Next = nextHref("/ui/persons", r.URL.Query(), n, pq.limit, string(ps[n-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// personPage is a person's file.
type personPage struct {
	Page
	File  registry.PersonFile
	Names names // issue 18 §0: names, not IDs
}

func (*personPage) viewName() string { return "person" }

// uiPerson serves GET /ui/persons/{id}: Person. A file one may not see is the 404 page (A23.1).
func (s *server) uiPerson(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.PersonID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	f, err := s.reg.Person(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	ids := []string{string(f.Person.OrganisationID)}
	for _, o := range f.Officer {
		ids = append(ids, string(o.OrganisationID))
	}
	return s.render(w, r, u, http.StatusOK, &personPage{Page: Page{Title: "person.page", Heading: f.Person.Name, Nav: "registers"}, File: f,
		Names: s.names(r, u, ids...)})
}

func personForm(orgs []option) *formPage {
	return &formPage{Page: Page{Title: "persons.new", Nav: "registers"}, Intro: "persons.new.intro", Action: "/ui/persons",
		Submit: "form.register", Links: []link{{Href: "/ui/persons", Key: "persons.title"}}, Fields: []field{
			{Name: "organisation_id", Label: "person.organisation", Kind: "select", Required: true, Options: orgs},
			{Name: "name", Label: "person.name", Kind: "text", Required: true},
			{Name: "email", Label: "person.email", Kind: "email"},
			{Name: "government_member", Label: "person.government_member", Help: "person.government_member.help", Kind: "checkbox"},
			{Name: "roles", Label: "person.roles", Help: "person.roles.help", Kind: "checks",
				Options: enumOptions("role.", cleared.RoleNSAOfficer, cleared.RoleAuditor, cleared.RoleAdmin)},
		}}
}

// uiPersonForm serves GET /ui/persons/new?organisation_id=.
func (s *server) uiPersonForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormPerson); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	orgs, err := s.organisationOptions(r, u)
	if err != nil {
		return err
	}
	f := personForm(orgs)
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiPersonCreate serves POST /ui/persons: RegisterPerson.
func (s *server) uiPersonCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewPerson{OrganisationID: cleared.OrganisationID(formText(v, "organisation_id")), Name: formText(v, "name"),
		Email: formText(v, "email"), GovernmentMember: formBool(v, "government_member")}
	for _, x := range v["roles"] {
		in.Roles = append(in.Roles, cleared.Role(x))
	}
	p, err := s.reg.RegisterPerson(r.Context(), u.Actor, in)
	if err == nil {
		return seeOther(w, r, "/ui/persons/"+string(p.ID), "person")
	}
	orgs, oerr := s.organisationOptions(r, u)
	if oerr != nil {
		return oerr
	}
	return s.formFail(w, r, u, personForm(orgs), err)
}
