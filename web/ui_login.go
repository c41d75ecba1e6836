package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
)

// Signing in: a login and password (/login), then a TOTP code (/login/second-factor). The terminal a session is
// opened from is the client certificate's; in the demonstration only, the sign-in form offers to choose it, and
// says that this simulates the certificate.

// home serves GET /: to the dashboard when signed in, else to the sign-in page.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	to := "/login"
	if _, err := s.sessionOf(r); err == nil {
		to = "/ui/"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// nextOf is where to go once signed in: the page asked for, if it is one of ours, else the dashboard.
func nextOf(v url.Values) string {
	if p := localPath(v.Get("next")); p != "" && p != "/login" && p != "/login/second-factor" {
		return p
	}
	return "/ui/"
}

// loginPage is the sign-in form and, when the organisation's identity provider is configured, the way to sign in
// through it instead (oidc.go).
type loginPage struct {
	formPage
	OIDC *oidcLink // nil: no identity provider
}

func (*loginPage) viewName() string { return "login" }

// loginForm is the sign-in form; terminals lists the demonstration's terminals (nil outside it).
func (s *server) loginForm(r *http.Request, terminals []cleared.Terminal) *loginPage {
	p := &loginPage{formPage: formPage{Page: Page{Title: "login.title", Here: "/login", Nav: "none"}, Intro: "login.intro",
		Action: "/login", Submit: "login.submit", Fields: []field{
			{Name: "login", Label: "login.login", Kind: "text", Required: true, Auto: "username"},
			{Name: "password", Label: "login.password", Kind: "password", Required: true, Auto: "current-password"},
		}}, OIDC: s.oidcLinkFor(nextOf(r.URL.Query()))}
	f := &p.formPage
	if s.demoTerminals {
		t := s.kit.cat.translator(langOf(r))
		opts := []option{{Value: "", Key: "login.terminal.none"}}
		for _, term := range terminals {
			label := term.Name + " · " + t("level."+term.AccreditedLevel.String())
			if term.SecurityZone {
				label += " · " + t("terminal.zone")
			}
			if term.Public {
				label += " · " + t("terminal.public")
			}
			opts = append(opts, option{Value: string(term.ID), Text: label})
		}
		f.Warning = "login.demo_warning"
		f.Fields = append(f.Fields, field{Name: "terminal", Label: "login.terminal", Help: "login.terminal.help", Kind: "select", Options: opts})
	}
	f.Fields = append(f.Fields, field{Name: "next", Kind: "hidden", Value: nextOf(r.URL.Query())})
	return p
}

// demoTerminalList lists the terminals of the sign-in form, in demonstration mode only.
func (s *server) demoTerminalList(r *http.Request) ([]cleared.Terminal, error) {
	if !s.demoTerminals {
		return nil, nil
	}
	return s.reg.DemoTerminals(r.Context())
}

// loginShow serves GET /login.
func (s *server) loginShow(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.sessionOf(r); err == nil {
		http.Redirect(w, r, nextOf(r.URL.Query()), http.StatusSeeOther)
		return nil
	}
	ts, err := s.demoTerminalList(r)
	if err != nil {
		return err
	}
	return s.render(w, r, nil, http.StatusOK, s.loginForm(r, ts))
}

// loginSubmit serves POST /login: Login. A wrong login and a wrong password read the same.
func (s *server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	ts, err := s.demoTerminalList(r)
	if err != nil {
		return err
	}
	f := s.loginForm(r, ts)
	term, err := s.loginTerminal(r, v.Get("terminal"))
	if err != nil {
		return s.formFail(w, r, nil, f, err)
	}
	in, err := s.auth.Login(r.Context(), auth.LoginInput{Login: formText(v, "login"), Password: v.Get("password"),
		Terminal: term, Remote: r.RemoteAddr})
	if errors.Is(err, cleared.ErrUnauthenticated) {
		f.Problem = &uiProblem{Status: http.StatusUnauthorized, Title: "login.failed.title", Message: "login.failed"}
		f.fill(v)
		return s.render(w, r, nil, http.StatusUnauthorized, f)
	}
	if err != nil {
		return s.formFail(w, r, nil, f, err)
	}
	s.setSession(w, r, in.Secret, in.Session.Expires)
	next := nextOf(v)
	if in.Session.Stage == cleared.StageActive {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/login/second-factor?next="+url.QueryEscape(next), http.StatusSeeOther)
	return nil
}
