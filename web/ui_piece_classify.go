package web

import (
	"io"
	"net/http"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// classifyForm is the form of a new piece; authorities are the ones the actor holds, to act as.
func classifyForm(authorities []cleared.ClassifyingAuthority) *formPage {
	auths := make([]option, 0, len(authorities))
	for _, a := range authorities {
		auths = append(auths, option{Value: string(a.ID), Text: a.Title})
	}
	f := &formPage{Page: Page{Title: "classify.title", Nav: "classify"}, Intro: "classify.intro", Action: "/ui/pieces",
		Multipart: true, Submit: "classify.submit", Fields: []field{
			{Name: "authority", Label: "classify.authority", Help: "classify.authority.help", Kind: "select", Required: true, Options: auths},
			{Name: "title", Label: "piece.title", Help: "classify.title.help", Kind: "text", Required: true},
			{Name: "kind", Label: "piece.kind", Kind: "select", Options: enumOptions("piece.kind.", cleared.Electronic, cleared.Physical)},
			{Name: "level", Label: "piece.level", Help: "classify.level.help", Kind: "select", Options: choose(levelOptions(false))},
			{Name: "foreign_marking", Label: "piece.foreign", Help: "classify.foreign.help", Kind: "text"},
			{Name: "reasons", Label: "piece.reasons", Help: "classify.reasons.help", Kind: "checks", Required: true,
				Options: enumOptions("reason.", cleared.ReasonSecurity, cleared.ReasonInternational, cleared.ReasonPotential)},
			{Name: "review_on", Label: "piece.review_on", Help: "classify.review.help", Kind: "date", Required: true},
			{Name: "dossier", Label: "piece.dossier", Help: "classify.dossier.help", Kind: "text"},
			{Name: "file", Label: "classify.file", Help: "classify.file.help", Kind: "file"},
			{Name: "text", Label: "classify.text", Help: "classify.text.help", Kind: "textarea", NoEcho: true},
			{Name: "custodian", Label: "piece.custodian", Help: "classify.custodian.help", Kind: "text"},
			{Name: "location", Label: "piece.location", Help: "classify.location.help", Kind: "text"},
		}}
	if len(auths) == 0 {
		f.Warning = "classify.no_authority"
	}
	return f
}

// uiClassifyForm serves GET /ui/pieces/new: the form, with the authorities the actor holds (Me).
func (s *server) uiClassifyForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormClassify); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	m, err := s.reg.Me(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	f := classifyForm(m.Authority)
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiClassify serves POST /ui/pieces: Classify, from a multipart form whose file (or text) is the content of an
// electronic piece. On success, to the new piece's page.
func (s *server) uiClassify(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	in, err := classifyInput(r)
	if err == nil {
		var p cleared.Piece
		if p, err = s.reg.Classify(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/pieces/"+string(p.ID), "classified")
		}
	}
	m, merr := s.reg.Me(r.Context(), u.Actor)
	if merr != nil {
		return merr
	}
	f := classifyForm(m.Authority)
	// The form shows again what was typed, the title included, under the banner of the level chosen (A7.1); the
	// content is not shown again.
	if in.Level.Classified() {
		f.Banner = banner{Level: in.Level, Marking: in.Level.Marking()}
	}
	return s.formFail(w, r, u, f, err)
}

// classifyInput reads the classification form.
func classifyInput(r *http.Request) (registry.NewPiece, error) {
	v := r.PostForm
	in := registry.NewPiece{Authority: cleared.AuthorityID(formText(v, "authority")), Kind: cleared.PieceKind(formText(v, "kind")),
		Title: formText(v, "title"), ForeignMarking: formMarking(v, "foreign_marking"), Dossier: cleared.DossierID(formText(v, "dossier")),
		Custodian: cleared.PersonID(formText(v, "custodian")), Location: cleared.PlaceID(formText(v, "location"))}
	var err error
	if in.Level, err = formLevel(v, "level", "piece.level"); err != nil {
		return in, err
	}
	for _, x := range v["reasons"] {
		in.Reasons = append(in.Reasons, cleared.Reason(x))
	}
	if in.ReviewOn, err = formDate(v, "review_on", "piece.review_on"); err != nil {
		return in, err
	}
	if in.Kind != cleared.Electronic {
		return in, nil
	}
	if r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 {
		fh := r.MultipartForm.File["file"][0]
		if fh.Size > 0 {
			f, err := fh.Open()
			if err != nil {
				return in, err
			}
			defer f.Close()
			if in.Content, err = io.ReadAll(io.LimitReader(f, registry.MaxContentSize+1)); err != nil {
				return in, err
			}
			in.ContentType = fh.Header.Get("Content-Type")
			return in, nil
		}
	}
	if text := v.Get("text"); strings.TrimSpace(text) != "" {
		// Browsers send a text area's lines ended by CRLF.
		in.Content, in.ContentType = []byte(strings.ReplaceAll(text, "\r\n", "\n")), "text/plain; charset=utf-8"
	}
	return in, nil
}
