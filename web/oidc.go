package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
)

// Signing in through an organisation's own identity provider (OpenID Connect, the authorization code flow with
// PKCE). It replaces the password step only:
//
//   - GET /login/oidc sends the browser to the provider with a fresh state, nonce and PKCE verifier (S256), which
//     this browser keeps for ten minutes in a cookie only the server reads (oidcFlow);
//   - GET /login/oidc/callback, where the provider sends the browser back, checks that the state it brings is the
//     cookie's, exchanges the code with the verifier at the provider's token endpoint, verifies the ID token with
//     go-oidc (signature, issuer, audience, expiry) and its nonce against the cookie's, and hands its issuer and
//     subject to registry.OIDCLogin, which maps them to the account an administrator linked and opens a session
//     waiting for cleared's own second factor, from the terminal the request comes from.
//
// Every refusal but a lock-out reads the same on the page, as a wrong password does. Why it was refused goes to the
// server's log when this adapter refuses (the provider's answer is not right), and to the audit log when the
// registry does (a valid ID token named someone, or an identity no account is linked to).

const (
	// oidcCookie holds one sign-in's flow (oidcFlow), sent to oidcPath and what is under it only.
	oidcCookie = "cleared_oidc"
	oidcPath   = "/login/oidc"
	// OIDCCallbackPath is the path of the redirection URL to register at the provider, under the server's public
	// URL.
	OIDCCallbackPath = "/login/oidc/callback"
	oidcFlowTimeout  = 10 * time.Minute
	maxOIDCCookie    = 2048
)

// OIDCConfig is what signing in through an identity provider needs (serve --oidc-*).
type OIDCConfig struct {
	// Issuer is the provider's issuer URL, exactly as its discovery document states it.
	Issuer       string
	ClientID     string
	ClientSecret string // "" for a public client, which PKCE alone protects
	// Name is the provider as people know it, shown on the sign-in page ("Sign in with <Name>"); "" shows the
	// issuer's host.
	Name string
	// RedirectURL is where the provider sends the browser back: the server's public URL + /login/oidc/callback. It
	// must be registered at the provider as it is.
	RedirectURL string
	// HTTPClient reaches the provider (discovery, its keys, the token exchange); nil is a client that gives up
	// after 30 seconds.
	HTTPClient *http.Client
}

// OIDC is an identity provider, discovered and ready to sign people in. Its methods are safe for concurrent use.
type OIDC struct {
	name     string
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	client   *http.Client
}

// NewOIDC checks cfg and discovers the provider (its /.well-known/openid-configuration). A provider that cannot be
// reached, or whose document names another issuer, is an error: a server must not start with a sign-in button
// that cannot work.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	if err := auth.CheckOIDCIssuer(cfg.Issuer); err != nil {
		return nil, fmt.Errorf("identity provider: %w", err)
	}
	if cfg.ClientID == "" {
		return nil, errors.New("identity provider: a client ID is required")
	}
	ru, err := url.Parse(cfg.RedirectURL)
	if err != nil || (ru.Scheme != "https" && ru.Scheme != "http") || ru.Host == "" || ru.Path != OIDCCallbackPath {
		return nil, fmt.Errorf("identity provider: the redirection URL %q is not <public URL>%s", cfg.RedirectURL, OIDCCallbackPath)
	}
	o := &OIDC{name: cfg.Name, client: cfg.HTTPClient}
	if o.name == "" {
		iu, _ := url.Parse(cfg.Issuer) // CheckOIDCIssuer parsed it
		o.name = iu.Hostname()
	}
	if o.client == nil {
		o.client = &http.Client{Timeout: 30 * time.Second}
	}
	// The provider keeps the client of this context for fetching its keys later.
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.client), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("identity provider %s: discovery: %w", cfg.Issuer, err)
	}
	var meta struct {
		PKCE       []string `json:"code_challenge_methods_supported"`
		AuthMethod []string `json:"token_endpoint_auth_methods_supported"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, fmt.Errorf("identity provider %s: discovery document: %w", cfg.Issuer, err)
	}
	// A provider that lists its PKCE methods without S256 would ignore the challenge: the code could be redeemed
	// by whoever intercepts it. One that lists none is taken to support it, as many do without saying so.
	if len(meta.PKCE) > 0 && !slices.Contains(meta.PKCE, "S256") {
		return nil, fmt.Errorf("identity provider %s: it does not offer PKCE with S256 (it offers %v)", cfg.Issuer, meta.PKCE)
	}
	// The client authenticates the way the provider says it accepts, the default being HTTP Basic (OpenID Connect
	// Discovery 1.0, 3): oauth2's auto-detection would try twice with one single-use code.
	style := oauth2.AuthStyleInHeader
	if cfg.ClientSecret == "" || len(meta.AuthMethod) > 0 && !slices.Contains(meta.AuthMethod, "client_secret_basic") {
		style = oauth2.AuthStyleInParams
	}
	ep := p.Endpoint()
	ep.AuthStyle = style
	o.oauth = oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Endpoint: ep, RedirectURL: cfg.RedirectURL,
		Scopes: []string{oidc.ScopeOpenID}} // "sub" is all cleared reads: it asks for nothing more about the person
	o.verifier = p.Verifier(&oidc.Config{ClientID: cfg.ClientID})
	return o, nil
}

// Name is the provider as the sign-in page names it.
func (o *OIDC) Name() string { return o.name }

// oidcFlow is one sign-in through the provider, from the redirection to the callback, kept by the browser that
// started it. The cookie is HttpOnly, and SameSite=Lax rather than Strict: it must come back with the provider's
// redirection, a navigation from another site. It needs no seal: it only ever holds what this same browser asked
// for, and what would matter if changed is checked elsewhere (the nonce by the ID token, the verifier by the
// provider, the terminal by the request's own certificate).
type oidcFlow struct {
	State    string             `json:"s"`
	Nonce    string             `json:"n"`
	Verifier string             `json:"v"`
	Terminal cleared.TerminalID `json:"t,omitempty"` // the terminal the sign-in started from
	Next     string             `json:"x,omitempty"` // the page to go to once signed in
	Expires  int64              `json:"e"`           // Unix seconds
}

// randomToken returns 32 random bytes, base64url: a state or a nonce.
func randomToken() string { return base64.RawURLEncoding.EncodeToString(randomBytes(32)) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails (it panics first)
	return b
}

// setOIDCFlow keeps f in its cookie, until it expires.
func setOIDCFlow(w http.ResponseWriter, r *http.Request, f oidcFlow) error {
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("web: OIDC flow cookie: %w", err)
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: oidcPath,
		MaxAge: int(oidcFlowTimeout / time.Second), HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	return nil
}

// clearOIDCFlow removes the flow's cookie: a flow is answered once, whatever the answer.
func clearOIDCFlow(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: oidcPath, MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// readOIDCFlow reads the request's flow cookie, strictly: every field of the form this server writes, and not
// expired at now.
func readOIDCFlow(r *http.Request, now time.Time) (oidcFlow, error) {
	var f oidcFlow
	c, err := r.Cookie(oidcCookie)
	if err != nil || c.Value == "" {
		return f, errors.New("no sign-in was started from this browser (no flow cookie), or it was answered already")
	}
	if len(c.Value) > maxOIDCCookie {
		return f, errors.New("the flow cookie is too long")
	}
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err == nil {
		err = json.Unmarshal(b, &f)
	}
	switch {
	case err != nil:
		return f, fmt.Errorf("the flow cookie cannot be read: %w", err)
	case len(f.State) != 43 || len(f.Nonce) != 43:
		return f, errors.New("the flow cookie holds no state or nonce")
	case len(f.Verifier) < 43 || len(f.Verifier) > 128: // RFC 7636, 4.1
		return f, errors.New("the flow cookie holds no PKCE verifier")
	case f.Terminal != "" && f.Terminal.Validate() != nil:
		return f, errors.New("the flow cookie names no terminal")
	case now.Unix() > f.Expires:
		return f, errors.New("the sign-in took longer than " + oidcFlowTimeout.String())
	}
	return f, nil
}

// oidcStart serves GET /login/oidc: to the identity provider, with a new flow. In the demonstration the terminal
// may be chosen with ?terminal=, as on the sign-in form.
func (s *server) oidcStart(w http.ResponseWriter, r *http.Request) error {
	if s.oidc == nil {
		return cleared.ErrNotFound
	}
	q := r.URL.Query()
	term, err := s.loginTerminal(r, q.Get("terminal"))
	if err != nil {
		return err
	}
	f := oidcFlow{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(), Terminal: term,
		Next: nextOf(q), Expires: time.Now().Add(oidcFlowTimeout).Unix()}
	if err := setOIDCFlow(w, r, f); err != nil {
		return err
	}
	to := s.oidc.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// oidcCallbackServe serves GET /login/oidc/callback: the provider's answer, checked, then OIDCLogin.
//
// On success it answers with the second-factor page itself rather than a redirection to it: the session cookie is
// SameSite=Strict, and a browser does not send such a cookie along a chain of redirections that began on another
// site (the provider's), so the page would find no session. Its form is posted from this site's own page, which
// sends it.
func (s *server) oidcCallbackServe(w http.ResponseWriter, r *http.Request) error {
	if s.oidc == nil {
		return cleared.ErrNotFound
	}
	f, err := readOIDCFlow(r, time.Now())
	clearOIDCFlow(w, r)
	var in auth.OIDCLoginInput
	if err == nil {
		in, err = s.oidcIdentity(r, f)
	}
	if err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "sign-in through the identity provider refused", slog.String("reason", err.Error()))
		return s.oidcRefused(w, r, f.Next)
	}
	signIn, err := s.auth.OIDCLogin(r.Context(), in)
	if errors.Is(err, cleared.ErrUnauthenticated) {
		return s.oidcRefused(w, r, f.Next)
	}
	if err != nil {
		ts, terr := s.demoTerminalList(r)
		if terr != nil {
			return terr
		}
		return s.formFail(w, r, nil, s.loginForm(r, ts), err) // a locked account is told until when, as by Login
	}
	s.setSession(w, r, signIn.Secret, signIn.Session.Expires)
	u := &uiSession{Actor: cleared.Actor{Person: signIn.Session.PersonID, Terminal: signIn.Session.Terminal},
		Session: signIn.Session, CSRF: csrfToken(signIn.Secret)}
	return s.render(w, r, u, http.StatusOK, secondFactorForm(nextOf(url.Values{"next": {f.Next}})))
}

// oidcIdentity checks the provider's answer to flow f and returns what OIDCLogin needs, or why it is refused.
func (s *server) oidcIdentity(r *http.Request, f oidcFlow) (auth.OIDCLoginInput, error) {
	var in auth.OIDCLoginInput
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return in, fmt.Errorf("the provider answered %q", e)
	}
	// The state ties the answer to this browser's flow: an answer meant for another browser (a sign-in forced on
	// this one) has another state.
	if st := q.Get("state"); st == "" || !hmac.Equal([]byte(st), []byte(f.State)) {
		return in, errors.New("the state is not this browser's flow's")
	}
	code := q.Get("code")
	if code == "" {
		return in, errors.New("the provider sent no code")
	}
	// A8.2, A9.3: the session is bound to the terminal of this request; the flow must have started from it.
	term, err := s.loginTerminal(r, string(f.Terminal))
	if err != nil {
		return in, fmt.Errorf("terminal: %w", err)
	}
	if term != f.Terminal {
		return in, fmt.Errorf("the sign-in started from terminal %q and came back from %q", f.Terminal, term)
	}
	ctx := context.WithValue(r.Context(), oauth2.HTTPClient, s.oidc.client)
	tok, err := s.oidc.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return in, fmt.Errorf("token exchange: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return in, errors.New("the token endpoint sent no ID token")
	}
	id, err := s.oidc.verifier.Verify(r.Context(), raw)
	if err != nil {
		return in, fmt.Errorf("ID token: %w", err)
	}
	if !hmac.Equal([]byte(id.Nonce), []byte(f.Nonce)) {
		return in, errors.New("the ID token's nonce is not this flow's")
	}
	// OpenID Connect Core 1.0, 3.1.3.7: a token for several audiences names the client it was issued to (azp);
	// go-oidc checks the audience only.
	var claims struct {
		AZP string `json:"azp"`
	}
	if err := id.Claims(&claims); err != nil {
		return in, fmt.Errorf("ID token claims: %w", err)
	}
	if claims.AZP != "" && claims.AZP != s.oidc.oauth.ClientID || len(id.Audience) > 1 && claims.AZP == "" {
		return in, fmt.Errorf("the ID token was issued to %q, not to this client", claims.AZP)
	}
	return auth.OIDCLoginInput{Identity: auth.OIDCIdentity{Issuer: id.Issuer, Subject: id.Subject}, Nonce: id.Nonce,
		IssuedAt: id.IssuedAt, Terminal: term, Remote: r.RemoteAddr}, nil
}

// oidcRefused shows the sign-in page with the one refusal every failed sign-in through the provider gets.
func (s *server) oidcRefused(w http.ResponseWriter, r *http.Request, next string) error {
	ts, err := s.demoTerminalList(r)
	if err != nil {
		return err
	}
	f := s.loginForm(r, ts)
	f.fill(url.Values{"next": {nextOf(url.Values{"next": {next}})}})
	f.Problem = &uiProblem{Status: http.StatusUnauthorized, Title: "login.failed.title", Message: "oidc.failed"}
	return s.render(w, r, nil, http.StatusUnauthorized, f)
}

// oidcLink is the sign-in page's way to the provider.
type oidcLink struct {
	Name string // the provider as people know it: data, put in a message of the catalogues
	Href string
}

// oidcLinkFor is the link to sign in through the provider, then go to next; nil when none is configured.
func (s *server) oidcLinkFor(next string) *oidcLink {
	if s.oidc == nil {
		return nil
	}
	return &oidcLink{Name: s.oidc.name, Href: oidcPath + "?next=" + url.QueryEscape(next)}
}

// accountLinkOIDC serves POST /api/accounts/{id}/oidc: LinkOIDC, by an admin.
func (s *server) accountLinkOIDC(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.AccountID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	var in auth.OIDCIdentity
	if err := decode(r, &in); err != nil {
		return err
	}
	acc, err := s.auth.LinkOIDC(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, acc)
}
