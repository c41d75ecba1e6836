package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

func delegationForm(auths []option) *formPage {
	return &formPage{Page: Page{Title: "delegation.title", Nav: "registers"}, Intro: "delegation.intro", Action: "/ui/delegations",
		Submit: "delegation.submit", Links: []link{{Href: "/ui/authorities", Key: "authorities.title"}}, Fields: []field{
			{Name: "principal", Label: "delegation.principal", Kind: "select", Required: true, Options: auths},
			{Name: "delegate", Label: "delegation.delegate", Kind: "select", Required: true, Options: auths},
			{Name: "from", Label: "delegation.from", Help: "form.date_today.help", Kind: "date"},
			{Name: "until", Label: "delegation.until", Kind: "date", Required: true},
			{Name: "reference", Label: "delegation.reference", Help: "delegation.reference.help", Kind: "text"},
		}}
}

// uiDelegationForm serves GET /ui/delegations/new.
func (s *server) uiDelegationForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormDelegation); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	auths, err := s.authorityOptions(r, u)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, delegationForm(auths))
}

// uiDelegationCreate serves POST /ui/delegations: RegisterDelegation.
func (s *server) uiDelegationCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewDelegation{Delegate: cleared.AuthorityID(formText(v, "delegate")), Principal: cleared.AuthorityID(formText(v, "principal")),
		Reference: formText(v, "reference")}
	var err error
	if in.From, err = formDate(v, "from", "delegation.from"); err == nil {
		in.Until, err = formDate(v, "until", "delegation.until")
	}
	if err == nil {
		if _, err = s.reg.RegisterDelegation(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/authorities", "delegation")
		}
	}
	auths, aerr := s.authorityOptions(r, u)
	if aerr != nil {
		return aerr
	}
	return s.formFail(w, r, u, delegationForm(auths), err)
}
