package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

func dossierForm(authorities []cleared.ClassifyingAuthority) *formPage {
	auths := make([]option, 0, len(authorities))
	for _, a := range authorities {
		auths = append(auths, option{Value: string(a.ID), Text: a.Title})
	}
	f := &formPage{Page: Page{Title: "dossier.title", Nav: "classify"}, Intro: "dossier.intro", Action: "/ui/dossiers", Submit: "dossier.submit",
		Fields: []field{
			{Name: "authority", Label: "classify.authority", Kind: "select", Required: true, Options: auths},
			{Name: "title", Label: "dossier.name", Kind: "text", Required: true},
			{Name: "level", Label: "piece.level", Help: "dossier.level.help", Kind: "select", Required: true, Options: choose(levelOptions(false))},
		}}
	if len(auths) == 0 {
		f.Warning = "classify.no_authority"
	}
	return f
}

// uiDossierForm serves GET /ui/dossiers/new, with the authorities the actor holds (Me).
func (s *server) uiDossierForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormDossier); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	m, err := s.reg.Me(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, dossierForm(m.Authority))
}

// uiDossier serves POST /ui/dossiers: CreateDossier; then to the classification form, to add its first part.
func (s *server) uiDossier(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewDossier{Authority: cleared.AuthorityID(formText(v, "authority")), Title: formText(v, "title")}
	var err error
	if in.Level, err = formLevel(v, "level", "piece.level"); err == nil {
		var d cleared.Dossier
		if d, err = s.reg.CreateDossier(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/pieces/new?dossier="+string(d.ID), "dossier")
		}
	}
	m, merr := s.reg.Me(r.Context(), u.Actor)
	if merr != nil {
		return merr
	}
	return s.formFail(w, r, u, dossierForm(m.Authority), err)
}
