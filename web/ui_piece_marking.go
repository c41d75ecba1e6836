package web

import (
	"errors"
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// markingView is what the piece page shows of its markings: their history (A7.2), and whether the reader may
// downgrade or declassify the piece, so that the link to the form is offered only to him (A5.2).
type markingView struct {
	Markings []cleared.PieceMarking
	Relevel  bool
}

// markingsOf fills the marking part of a piece's page for the piece p the actor has just read.
func (s *server) markingsOf(r *http.Request, u *uiSession, p cleared.Piece) (markingView, error) {
	var v markingView
	ms, err := s.reg.PieceMarkings(r.Context(), u.Actor, p.ID)
	if err != nil {
		return v, err
	}
	may, err := s.reg.MayRelevel(r.Context(), u.Actor, p.ID)
	if err != nil {
		return v, err
	}
	v.Markings, v.Relevel = ms, len(may.Levels) > 0 || may.Declassify
	return v, nil
}

// declassifyValue is the form's choice that declassifies rather than downgrades.
const declassifyValue = "UNCLASSIFIED"

// markingForm is the form to downgrade or declassify piece p, offering the levels may allows.
func markingForm(p cleared.Piece, may registry.Relevelling) *formPage {
	var opts []option
	for i := len(may.Levels) - 1; i >= 0; i-- { // highest first, as the levels are listed everywhere
		l := may.Levels[i]
		opts = append(opts, option{Value: l.String(), Key: "level." + l.String()})
	}
	if may.Declassify {
		opts = append(opts, option{Value: declassifyValue, Key: "marking.declassify"})
	}
	f := &formPage{Page: Page{Title: "marking.title", Heading: p.Title, Nav: "pieces", Banner: bannerOf(p)},
		Intro: "marking.intro", Warning: "marking.warning", Action: "/ui/pieces/" + string(p.ID) + "/marking", Submit: "marking.submit",
		Fields: []field{
			{Name: "level", Label: "marking.level", Help: "marking.level.help", Kind: "select", Required: true, Options: opts},
			{Name: "reason", Label: "marking.reason", Help: "marking.reason.help", Kind: "textarea", Required: true},
		},
		Links: []link{{Href: "/ui/pieces/" + string(p.ID), Key: "grant.back"}}}
	if may.Consent { // A1.1: a piece of a treaty waits for its originator's consent
		f.Fields = append(f.Fields, field{Name: "originator_consent", Label: "marking.consent", Help: "marking.consent.help", Kind: "text", Required: true})
	}
	if p.TitleWithheld { // A8.1, A8.2
		f.Title, f.Heading = "piece.title_withheld", ""
	}
	return f
}

// relevelForm reads the piece of the request and what its reader may do to its marking. A piece he may not know is
// the 404 page (A9.1); one he may know but not re-mark is a refusal naming A5.2: the page offers no link to it.
func (s *server) relevelForm(r *http.Request, u *uiSession) (cleared.Piece, *formPage, error) {
	id, err := pieceID(r)
	if err != nil {
		return cleared.Piece{}, nil, err
	}
	p, err := s.reg.Piece(r.Context(), u.Actor, id)
	if err != nil {
		return p, nil, err
	}
	may, err := s.reg.MayRelevel(r.Context(), u.Actor, id)
	if err != nil {
		return p, nil, err
	}
	if len(may.Levels) == 0 && !may.Declassify {
		return p, nil, &cleared.ErrForbidden{Rule: "A5.2",
			Reason: "only the authority that classified the piece, its successor or the principal that delegated it may downgrade or declassify it"}
	}
	return p, markingForm(p, may), nil
}

// uiMarkingForm serves GET /ui/pieces/{id}/marking: the form to downgrade or declassify a piece.
func (s *server) uiMarkingForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	_, f, err := s.relevelForm(r, u)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, f)
}

// uiMarking serves POST /ui/pieces/{id}/marking: Downgrade, or Declassify for the choice UNCLASSIFIED. The
// registry decides (and records a refusal as every refusal); the form is sent back with its refusal if it refuses.
func (s *server) uiMarking(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	reason, level, consent := formText(v, "reason"), formText(v, "level"), formText(v, "originator_consent")
	ok := "downgraded"
	if level == declassifyValue {
		ok = "declassified"
		_, err = s.reg.Declassify(r.Context(), u.Actor, id, registry.Declassification{Reason: reason, OriginatorConsent: consent})
	} else {
		var l cleared.Level
		if l, err = cleared.ParseLevel(level); err == nil {
			_, err = s.reg.Downgrade(r.Context(), u.Actor, id, registry.Downgrading{Level: l, Reason: reason, OriginatorConsent: consent})
		}
	}
	if err == nil {
		return seeOther(w, r, "/ui/pieces/"+string(id), ok)
	}
	if errors.Is(err, cleared.ErrNotFound) {
		return err // A9.1: the 404 page, as for a piece that does not exist
	}
	p, perr := s.reg.Piece(r.Context(), u.Actor, id)
	if perr != nil {
		return perr
	}
	may, merr := s.reg.MayRelevel(r.Context(), u.Actor, id)
	if merr != nil {
		return merr
	}
	return s.formFail(w, r, u, markingForm(p, may), err)
}
