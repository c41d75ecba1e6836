package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

func grantForm() *formPage {
	return &formPage{Page: Page{Title: "grant.title", Nav: "pieces"}, Intro: "grant.intro", Action: "/ui/grants", Submit: "grant.submit",
		Fields: []field{
			{Name: "piece", Label: "grant.piece", Help: "grant.target.help", Kind: "text"},
			{Name: "dossier", Label: "grant.dossier", Kind: "text"},
			{Name: "person_id", Label: "grant.person", Help: "grant.person.help", Kind: "text", Required: true},
			{Name: "from", Label: "grant.from", Help: "grant.from.help", Kind: "date"},
			{Name: "until", Label: "grant.until", Help: "grant.until.help", Kind: "date", Required: true},
			{Name: "reason", Label: "grant.reason", Help: "grant.reason.help", Kind: "textarea", Required: true},
		}}
}

// uiGrantForm serves GET /ui/grants/new?piece=|dossier=. Given a piece, the page shows its title under its
// banner (Piece): one may grant only what one knows, and a piece one may not know is the 404 page.
func (s *server) uiGrantForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	f := grantForm()
	q := r.URL.Query()
	if id := cleared.PieceID(q.Get("piece")); id != "" {
		if id.Validate() != nil {
			return cleared.ErrNotFound
		}
		p, err := s.reg.Piece(r.Context(), u.Actor, id)
		if err != nil {
			return err
		}
		f.Heading, f.Banner = p.Title, bannerOf(p)
		if p.TitleWithheld { // A8.1, A8.2
			f.Title = "piece.title_withheld"
		}
		f.Links = []link{{Href: "/ui/pieces/" + string(p.ID), Key: "grant.back"}}
	}
	if id := cleared.DossierID(q.Get("dossier")); id != "" { // issue 18 §0: a dossier one may not know is the 404 page
		if id.Validate() != nil {
			return cleared.ErrNotFound
		}
		d, err := s.reg.Dossier(r.Context(), u.Actor, id)
		if err != nil {
			return err
		}
		f.Heading, f.Banner = d.Dossier.Title, banner{Level: d.Dossier.Level, Marking: d.Marking}
		if f.Heading == "" {
			f.Heading = string(id)
		}
		f.Links = []link{{Href: "/ui/dossiers/" + string(id), Key: "grant.back"}}
	}
	// What one may not know is not found; then, only who may grant anything is offered the form (issue 18 §0).
	if err := s.offer(r, u, registry.FormGrant); err != nil {
		return err
	}
	f.prefill(q)
	return s.render(w, r, u, http.StatusOK, f)
}

// uiGrant serves POST /ui/grants: Grant.
func (s *server) uiGrant(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewGrant{PersonID: cleared.PersonID(formText(v, "person_id")), Piece: cleared.PieceID(formText(v, "piece")),
		Dossier: cleared.DossierID(formText(v, "dossier")), Reason: formText(v, "reason")}
	var err error
	if in.From, err = formDate(v, "from", "grant.from"); err == nil {
		in.Until, err = formDate(v, "until", "grant.until")
	}
	if err == nil {
		if _, err = s.reg.Grant(r.Context(), u.Actor, in); err == nil {
			if in.Piece != "" {
				return seeOther(w, r, "/ui/pieces/"+string(in.Piece), "granted")
			}
			return seeOther(w, r, "/ui/pieces", "granted")
		}
	}
	return s.formFail(w, r, u, grantForm(), err)
}
