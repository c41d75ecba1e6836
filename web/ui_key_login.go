package web

import (
	"errors"
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
)

// keyLoginBegin serves POST /login/key/begin: BeginKeyLogin, for a session waiting for its second factor.
func (s *server) keyLoginBegin(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pendingOf(r)
	if err != nil {
		return err
	}
	if err := u.checkCSRF(r); err != nil {
		return err
	}
	term, err := s.requestSessionTerminal(r, u.Session.Terminal)
	if err != nil {
		return err
	}
	options, err := s.auth.BeginKeyLogin(r.Context(), sessionSecret(r), term)
	if err != nil {
		return err
	}
	return writeOptions(w, options)
}

// keyLoginFinish serves POST /login/key: FinishKeyLogin. A refused key reads like a refused code.
func (s *server) keyLoginFinish(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pendingOf(r)
	if err != nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	if err := u.checkCSRF(r); err != nil {
		return err
	}
	f := secondFactorForm(nextOf(r.PostForm))
	term, err := s.requestSessionTerminal(r, u.Session.Terminal)
	var in auth.SignIn
	if err == nil {
		in, err = s.auth.FinishKeyLogin(r.Context(), sessionSecret(r), term, []byte(r.PostForm.Get("answer")))
	}
	if errors.Is(err, cleared.ErrUnauthenticated) {
		f.Problem = &uiProblem{Status: http.StatusUnauthorized, Title: "login.code.failed.title", Message: "keys.login.refused"}
		return s.render(w, r, u, http.StatusUnauthorized, f)
	}
	if err != nil {
		return s.formFail(w, r, u, f, err)
	}
	s.setSession(w, r, in.Secret, in.Session.Expires) // the secret of the first step no longer opens anything
	http.Redirect(w, r, nextOf(r.PostForm), http.StatusSeeOther)
	return nil
}
