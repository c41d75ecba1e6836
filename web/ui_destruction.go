package web

import (
	"net/http"
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// destructionPage shows a destruction (A10.1, A10.2): its state, the report's signatures each verified (E2), the
// downloads that let anyone verify them offline, and the countersignature to whom the policy would allow it.
type destructionPage struct {
	Page
	D registry.DestructionView
}

func (*destructionPage) viewName() string { return "destruction" }

func destructionID(r *http.Request) (cleared.DestructionID, error) {
	id := cleared.DestructionID(r.PathValue("id"))
	if id.Validate() != nil {
		return "", cleared.ErrNotFound
	}
	return id, nil
}

// uiDestruction serves GET /ui/destructions/{id}: Destruction. Its banner is the piece's level as destroyed.
func (s *server) uiDestruction(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := destructionID(r)
	if err != nil {
		return err
	}
	v, err := s.reg.Destruction(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	b := bannerOf(cleared.Piece{Level: v.Level})
	b.Marking = v.Marking
	return s.render(w, r, u, http.StatusOK, &destructionPage{Page: Page{Title: "destruction.title", Nav: "pieces", Banner: b}, D: v})
}

// uiDestroy serves POST /ui/pieces/{id}/destruction: Destroy, then the destruction's page.
func (s *server) uiDestroy(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	d, err := s.reg.Destroy(r.Context(), u.Actor, id, registry.NewDestruction{Method: formText(r.PostForm, "method")})
	if err != nil {
		return err
	}
	return seeOther(w, r, "/ui/destructions/"+string(d.ID), "destroyed")
}

// uiCountersign serves POST /ui/destructions/{id}/countersign: Countersign with the certificate cleared holds for
// the officer.
func (s *server) uiCountersign(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := destructionID(r)
	if err != nil {
		return err
	}
	if _, err := s.reg.Countersign(r.Context(), u.Actor, id, registry.Countersignature{}); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/destructions/"+string(id), "countersigned")
}

// uiDestructionDocument serves GET /ui/destructions/{id}/document: the report's exact bytes, to download.
func (s *server) uiDestructionDocument(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := destructionID(r)
	if err != nil {
		return err
	}
	doc, err := s.reg.DestructionDocument(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	return attachment(w, "text/plain; charset=utf-8", string(id)+".txt", doc)
}

// uiDestructionSignature serves GET /ui/destructions/{id}/signatures/{n}: one signature, DER, to download.
func (s *server) uiDestructionSignature(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := destructionID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > 99 {
		return cleared.ErrNotFound
	}
	cms, err := s.reg.DestructionSignature(r.Context(), u.Actor, id, n)
	if err != nil {
		return err
	}
	return attachment(w, "application/pkcs7-signature", string(id)+"-"+strconv.Itoa(n)+".p7s", cms)
}
