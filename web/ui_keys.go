package web

import (
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/cleared/cleared"
)

// Security keys (WebAuthn): registering one to one's account, and signing in with one. The browser talks to the
// key, which only a script can ask it to do (static/webauthn.js): the script fetches the ceremony's options from
// a "begin" route, and posts the key's answer as an ordinary form, which these handlers answer like any other.

// keysPage lists one's security keys, each with the form that removes it, and the form that registers another.
type keysPage struct {
	Page
	Keys    []keyRow
	Problem *uiProblem
}

// keyRow is a security key as its row shows it, with its ID as the removal form sends it.
type keyRow struct {
	cleared.WebAuthnCredential
	Ref string
}

func keyRows(ks []cleared.WebAuthnCredential) []keyRow {
	rows := make([]keyRow, len(ks))
	for i, k := range ks {
		rows[i] = keyRow{WebAuthnCredential: k, Ref: base64.RawURLEncoding.EncodeToString(k.ID)}
	}
	return rows
}

func (*keysPage) viewName() string { return "keys" }

// uiKeys serves GET /ui/account/keys: SecurityKeys.
func (s *server) uiKeys(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	ks, err := s.auth.SecurityKeys(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, &keysPage{Page: Page{Title: "keys.title", Nav: "account", Script: true}, Keys: keyRows(ks)})
}

// uiKeyRemove serves POST /ui/account/keys/remove: RemoveSecurityKey. A key that is not one's own is the 404 page.
func (s *server) uiKeyRemove(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := base64.RawURLEncoding.DecodeString(r.PostForm.Get("key"))
	if err != nil || len(id) == 0 {
		return cleared.ErrNotFound
	}
	if err := s.auth.RemoveSecurityKey(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/account/keys", "key_removed")
}

// writeOptions answers a ceremony's options, as JSON, to the page's script.
func writeOptions(w http.ResponseWriter, options []byte) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(options) //nolint:errcheck // the client may be gone; nothing more can be said to it
	return nil
}

// uiKeyBegin serves POST /ui/account/keys/begin: BeginKeyRegistration, for this session.
func (s *server) uiKeyBegin(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	options, err := s.auth.BeginKeyRegistration(r.Context(), u.Actor, sessionSecret(r))
	if err != nil {
		return err
	}
	return writeOptions(w, options)
}

// uiKeyRegister serves POST /ui/account/keys: FinishKeyRegistration, with the key's answer the script put in the
// form.
func (s *server) uiKeyRegister(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	_, err := s.auth.FinishKeyRegistration(r.Context(), u.Actor, sessionSecret(r), formText(v, "name"), []byte(v.Get("answer")))
	if err == nil {
		return seeOther(w, r, "/ui/account/keys", "key")
	}
	p := s.problemFor(err)
	if errors.Is(err, cleared.ErrUnauthenticated) || p.Status >= 500 {
		return err
	}
	s.logProblem(r, p, err)
	ks, kerr := s.auth.SecurityKeys(r.Context(), u.Actor)
	if kerr != nil {
		return kerr
	}
	return s.render(w, r, u, p.Status, &keysPage{Page: Page{Title: "keys.title", Nav: "account", Script: true}, Keys: keyRows(ks), Problem: &p})
}
