package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/cleared/cleared"
)

// sessionCookie holds a signed-in browser's session secret. Only the server reads it (HttpOnly), it goes to this
// site only (SameSite=Strict), and over TLS only when the server is on TLS (Secure).
const sessionCookie = "cleared_session"

// uiSession is a browser's session as the UI handlers see it.
type uiSession struct {
	Actor   cleared.Actor
	Session cleared.Session
	// CSRF is the token every form of this session carries in its "csrf" field. It is derived from the session's
	// secret, which a page of another site can neither read nor guess, so it needs no storage of its own.
	CSRF string
}

// csrfToken derives a session's CSRF token from its secret.
func csrfToken(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("cleared/csrf/v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses a form whose "csrf" field is not the session's token: a form posted from another site.
func (u *uiSession) checkCSRF(r *http.Request) error {
	got := r.PostFormValue("csrf")
	if got == "" || !hmac.Equal([]byte(got), []byte(u.CSRF)) {
		return errCSRF
	}
	return nil
}

// errCSRF is a form without the session's CSRF token: refused, nothing done.
var errCSRF = &statusError{status: http.StatusForbidden, detail: "This form was not sent from a page of this site, or the page was too old: reload it and try again."}

// sessionSecret returns the request's session cookie value, or "".
func sessionSecret(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// requestSessionTerminal is the terminal a session's request comes from: the client certificate's. In demo mode,
// where no browser holds a client certificate, a request without one counts as coming from the terminal the
// session was opened from (chosen on the sign-in form).
func (s *server) requestSessionTerminal(r *http.Request, opened cleared.TerminalID) (cleared.TerminalID, error) {
	t, err := s.requestTerminal(r, "")
	if err != nil {
		return "", err
	}
	if t == "" && s.demoTerminals {
		return opened, nil
	}
	return t, nil
}

// requestSession returns the request's session secret and the terminal the request comes from, checked against
// the one the session was opened at; cleared.ErrUnauthenticated without a session cookie.
func (s *server) requestSession(r *http.Request) (string, cleared.TerminalID, error) {
	secret := sessionSecret(r)
	if secret == "" {
		return "", "", cleared.ErrUnauthenticated
	}
	opened, err := s.openedTerminal(r, secret)
	if err != nil {
		return "", "", err
	}
	t, err := s.requestSessionTerminal(r, opened)
	if err != nil {
		return "", "", err
	}
	return secret, t, nil
}

// sessionOf returns the request's active session (fully signed in), or cleared.ErrUnauthenticated.
func (s *server) sessionOf(r *http.Request) (*uiSession, error) {
	secret, t, err := s.requestSession(r)
	if err != nil {
		return nil, err
	}
	a, x, err := s.auth.SessionActor(r.Context(), secret, t)
	if err != nil {
		return nil, err
	}
	return &uiSession{Actor: a, Session: x, CSRF: csrfToken(secret)}, nil
}

// pendingOf returns the request's session waiting for its second factor, or cleared.ErrUnauthenticated.
func (s *server) pendingOf(r *http.Request) (*uiSession, error) {
	secret, t, err := s.requestSession(r)
	if err != nil {
		return nil, err
	}
	x, err := s.auth.PendingSession(r.Context(), secret, t)
	if err != nil {
		return nil, err
	}
	return &uiSession{Actor: cleared.Actor{Person: x.PersonID, Terminal: x.Terminal}, Session: x, CSRF: csrfToken(secret)}, nil
}

// openedTerminal is, in demo mode only, the terminal the session was opened from; elsewhere "" (the certificate
// alone says).
func (s *server) openedTerminal(r *http.Request, secret string) (cleared.TerminalID, error) {
	if !s.demoTerminals {
		return "", nil
	}
	return s.auth.SessionTerminal(r.Context(), secret)
}

// setSession sets the session cookie.
func (s *server) setSession(w http.ResponseWriter, r *http.Request, secret string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", Expires: expires, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// clearSession removes the session cookie.
func (s *server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// loginTerminal is the terminal a sign-in comes from: the client certificate's or, in demo mode only, the one
// chosen on the form ("" for none: a public place).
func (s *server) loginTerminal(r *http.Request, chosen string) (cleared.TerminalID, error) {
	t, err := s.requestTerminal(r, "")
	if err != nil || t != "" || !s.demoTerminals || chosen == "" {
		return t, err
	}
	id := cleared.TerminalID(chosen)
	if err := id.Validate(); err != nil {
		return "", err
	}
	return id, nil
}
