package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// uiAuthorities serves GET /ui/authorities: Authorities, by ID (A5.1).
func (s *server) uiAuthorities(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.AuthorityID](r)
	if err != nil {
		return err
	}
	as, err := s.reg.Authorities(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "authorities.title", Nav: "registers"}, Intro: "authorities.intro", Caption: "authorities.title",
		Columns: []string{"authority.title", "authority.kind", "authority.person", "authority.from", "authority.until", "common.id"}, Empty: "list.empty",
		Actions: []link{{Href: "/ui/authorities/new", Key: "authorities.new"}, {Href: "/ui/delegations/new", Key: "delegation.title"}}}
	var ids []string
	for _, a := range as {
		ids = append(ids, string(a.PersonID))
	}
	names := s.names(r, u, ids...) // issue 18 §0: names, not IDs; a person one may not know is not named
	for _, a := range as {
		p.Rows = append(p.Rows, row{ID: string(a.ID), Cells: []cell{textCell(a.Title), keyCell("authority.kind." + string(a.Kind)),
			names.cell(string(a.PersonID)), textCell(formatDate(a.From)), textCell(formatDate(a.Until)),
			codeCell(string(a.ID))}})
	}
	if n := len(as); n > 0 {
		p.Next = nextHref("/ui/authorities", r.URL.Query(), n, pq.limit, string(as[n-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func authorityForm() *formPage {
	return &formPage{Page: Page{Title: "authorities.new", Nav: "registers"}, Intro: "authorities.new.intro", Action: "/ui/authorities",
		Submit: "form.register", Links: []link{{Href: "/ui/authorities", Key: "authorities.title"}}, Fields: []field{
			{Name: "person_id", Label: "authority.person", Help: "form.person_id.help", Kind: "text", Required: true},
			{Name: "kind", Label: "authority.kind", Kind: "select", Required: true, Options: choose(enumOptions("authority.kind.",
				cleared.AuthorityGovernmentMember, cleared.AuthorityChiefOfStaff, cleared.AuthoritySREDirector, cleared.AuthorityDelegate))},
			{Name: "title", Label: "authority.title", Help: "authority.title.help", Kind: "text", Required: true},
			{Name: "from", Label: "authority.from", Help: "form.date_today.help", Kind: "date"},
			{Name: "until", Label: "authority.until", Help: "authority.until.help", Kind: "date"},
			{Name: "predecessor", Label: "authority.predecessor", Help: "authority.predecessor.help", Kind: "text"},
		}}
}

// uiAuthorityForm serves GET /ui/authorities/new?person_id=.
func (s *server) uiAuthorityForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormAuthority); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	f := authorityForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiAuthorityCreate serves POST /ui/authorities: RegisterAuthority.
func (s *server) uiAuthorityCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewAuthority{PersonID: cleared.PersonID(formText(v, "person_id")), Kind: cleared.AuthorityKind(formText(v, "kind")),
		Title: formText(v, "title"), Predecessor: cleared.AuthorityID(formText(v, "predecessor"))}
	var err error
	if in.From, err = formDate(v, "from", "authority.from"); err == nil {
		in.Until, err = formDate(v, "until", "authority.until")
	}
	if err == nil {
		if _, err = s.reg.RegisterAuthority(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/authorities", "authority")
		}
	}
	return s.formFail(w, r, u, authorityForm(), err)
}

// authorityOptions lists the authorities for a select (the register's first page).
func (s *server) authorityOptions(r *http.Request, u *uiSession) ([]option, error) {
	as, err := s.reg.Authorities(r.Context(), u.Actor, "", maxLimit)
	if err != nil {
		return nil, err
	}
	opts := make([]option, 0, len(as))
	for _, a := range as {
		opts = append(opts, option{Value: string(a.ID), Text: a.Title})
	}
	return choose(opts), nil
}
