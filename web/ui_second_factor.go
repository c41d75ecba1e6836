package web

import (
	"errors"
	"net/http"

	"github.com/cleared/cleared"
)

// secondFactorPage asks for the second factor: a TOTP code, or a security key (which needs the page's script).
type secondFactorPage struct {
	formPage
	Next string
}

func (*secondFactorPage) viewName() string { return "secondfactor" }

func secondFactorForm(next string) *secondFactorPage {
	return &secondFactorPage{Next: next, formPage: formPage{Page: Page{Title: "login.code.title", Here: "/login/second-factor", Nav: "none", Script: true},
		Intro: "login.code.intro", Action: "/login/second-factor", Submit: "login.code.submit",
		Fields: []field{
			{Name: "code", Label: "login.code", Help: "login.code.help", Kind: "text", Required: true, Auto: "one-time-code", Mode: "numeric"},
			{Name: "next", Kind: "hidden", Value: next},
		}}}
}

// secondFactorShow serves GET /login/second-factor, to a session waiting for its code.
func (s *server) secondFactorShow(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pendingOf(r)
	if err != nil {
		toLogin(w, r)
		return nil
	}
	return s.render(w, r, u, http.StatusOK, secondFactorForm(nextOf(r.URL.Query())))
}

// secondFactorSubmit serves POST /login/second-factor: SecondFactor, from the terminal the request comes from.
func (s *server) secondFactorSubmit(w http.ResponseWriter, r *http.Request) error {
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
	if err != nil {
		return s.formFail(w, r, u, f, err)
	}
	in, err := s.auth.SecondFactor(r.Context(), sessionSecret(r), term, formText(r.PostForm, "code"))
	if errors.Is(err, cleared.ErrUnauthenticated) {
		f.Problem = &uiProblem{Status: http.StatusUnauthorized, Title: "login.code.failed.title", Message: "login.code.failed"}
		f.fill(r.PostForm)
		f.Fields[0].Value = ""
		return s.render(w, r, u, http.StatusUnauthorized, f)
	}
	if err != nil {
		return s.formFail(w, r, u, f, err)
	}
	s.setSession(w, r, in.Secret, in.Session.Expires) // the secret of the first step no longer opens anything
	http.Redirect(w, r, nextOf(r.PostForm), http.StatusSeeOther)
	return nil
}
