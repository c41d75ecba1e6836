package web_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/web"
)

// testIdP is an OpenID Connect identity provider in the test's process, as an organisation would run one: it
// publishes its discovery document and keys, signs the person it is told to in at its authorization endpoint,
// and redeems codes at its token endpoint for ID tokens signed with an ECDSA key. It checks what a provider must:
// the client's secret, the redirection URL, and the PKCE verifier against the challenge.
type testIdP struct {
	t        *testing.T
	srv      *httptest.Server
	key      *ecdsa.PrivateKey
	clientID string
	secret   string
	redirect string // the one redirection URL registered for the client

	mu      sync.Mutex
	subject string                       // who signs in at the provider
	mangle  func(claims map[string]any)  // if set, changes the claims of the ID tokens issued
	signer  *ecdsa.PrivateKey            // if set, signs the ID tokens in place of the published key
	reuse   bool                         // a code may be redeemed more than once, as a careless provider allows
	codes   map[string]*idpGrant         // issued codes
	tokens  int                          // requests to the token endpoint
	pkce    []string                     // code_challenge_methods_supported, as published
	issuer  string                       // the issuer the discovery document states; "" for the server's URL
	answers map[string]func() (int, any) // replaces an endpoint's answer, by path
}

type idpGrant struct {
	nonce, challenge string
	used             bool
}

func newTestIdP(t *testing.T) *testIdP {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p := &testIdP{t: t, key: key, clientID: "cleared-ministere", secret: "client secret of cleared", subject: "248289761001",
		codes: map[string]*idpGrant{}, pkce: []string{"plain", "S256"}, answers: map[string]func() (int, any){}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *testIdP) issuerURL() string { return p.srv.URL }

func (p *testIdP) set(f func(p *testIdP)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

func (p *testIdP) tokenRequests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tokens
}

func idpJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the test client reads it or fails
}

func (p *testIdP) discovery(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f := p.answers[r.URL.Path]; f != nil {
		status, v := f()
		idpJSON(w, status, v)
		return
	}
	iss := p.issuer
	if iss == "" {
		iss = p.srv.URL
	}
	idpJSON(w, http.StatusOK, map[string]any{
		"issuer": iss, "authorization_endpoint": p.srv.URL + "/authorize", "token_endpoint": p.srv.URL + "/token",
		"jwks_uri": p.srv.URL + "/jwks", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"ES256"}, "code_challenge_methods_supported": p.pkce,
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic"},
	})
}

func (p *testIdP) jwks(w http.ResponseWriter, r *http.Request) {
	idpJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &p.key.PublicKey, KeyID: "k1", Algorithm: string(jose.ES256), Use: "sig"}}})
}

// authorize signs p.subject in, as if the person had given his credentials to the provider, and sends the browser
// back with a code. cleared's request must be complete: a wrong one is a bug of cleared, and fails the test.
func (p *testIdP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" || q.Get("client_id") != p.clientID || q.Get("redirect_uri") != p.redirect ||
		!slices.Contains(strings.Fields(q.Get("scope")), "openid") || q.Get("code_challenge_method") != "S256" ||
		len(q.Get("code_challenge")) != 43 || len(q.Get("state")) < 32 || len(q.Get("nonce")) < 32 {
		p.t.Errorf("authorization request %v: want response_type=code, the client, its redirection URL, scope openid, a state, a nonce and an S256 challenge", q)
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	code := base64.RawURLEncoding.EncodeToString(randomN(16))
	p.mu.Lock()
	p.codes[code] = &idpGrant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge")}
	p.mu.Unlock()
	http.Redirect(w, r, p.redirect+"?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusSeeOther)
}

func (p *testIdP) token(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokens++
	// RFC 6749, 2.3.1: the client's ID and secret are form-encoded before they go in the Basic credentials.
	id, secret, ok := r.BasicAuth()
	id, err1 := url.QueryUnescape(id)
	secret, err2 := url.QueryUnescape(secret)
	if !ok || err1 != nil || err2 != nil || id != p.clientID || secret != p.secret {
		idpJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	if err := r.ParseForm(); err != nil {
		idpJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	g := p.codes[r.PostForm.Get("code")]
	verifier := r.PostForm.Get("code_verifier")
	sum := sha256.Sum256([]byte(verifier))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("redirect_uri") != p.redirect:
		idpJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	case g == nil || g.used && !p.reuse:
		idpJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "unknown or used code"})
		return
	case verifier == "" || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge: // RFC 7636, 4.6
		idpJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "PKCE verification failed"})
		return
	}
	g.used = true
	now := time.Now()
	claims := map[string]any{"iss": p.srv.URL, "sub": p.subject, "aud": p.clientID, "exp": now.Add(5 * time.Minute).Unix(),
		"iat": now.Unix(), "nonce": g.nonce}
	if p.mangle != nil {
		p.mangle(claims)
	}
	idpJSON(w, http.StatusOK, map[string]any{"access_token": "access-" + r.PostForm.Get("code"), "token_type": "Bearer",
		"expires_in": 300, "id_token": p.sign(claims)})
}

// sign returns claims as a compact JWS, ES256, with the published key's ID.
func (p *testIdP) sign(claims map[string]any) string {
	key := p.key
	if p.signer != nil {
		key = p.signer
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		p.t.Fatal(err)
	}
	b, err := json.Marshal(claims)
	if err != nil {
		p.t.Fatal(err)
	}
	jws, err := s.Sign(b)
	if err != nil {
		p.t.Fatal(err)
	}
	c, err := jws.CompactSerialize()
	if err != nil {
		p.t.Fatal(err)
	}
	return c
}

func randomN(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck // never fails
	return b
}

// oidcEnv is the web UI over a fresh demo world, with sign-in through testIdP. Plain HTTP runs it as the
// demonstration does (the terminal is chosen); with mutual TLS as production does (the terminal is the client
// certificate's).
type oidcEnv struct {
	t     *testing.T
	idp   *testIdP
	svc   *registry.Service
	auth  *auth.Service
	st    store.Store
	world *demo.World
	srv   *httptest.Server
	ca    *pki.CA // with mutual TLS only
	logs  *lockedBuffer
	admin string // an API token of Ada, the administrator
}

const idpName = "Identités de l'État"

func newOIDCEnv(t *testing.T, mutualTLS bool) *oidcEnv {
	t.Helper()
	ctx := context.Background()
	e := &oidcEnv{t: t, logs: &lockedBuffer{}, idp: newTestIdP(t)}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	te := testenv.New(t, testenv.Options{Log: log, Now: time.Now})
	e.st, e.svc, e.auth, e.world = te.Store, te.Reg, te.Auth, te.World
	var err error
	if e.admin, _, err = e.auth.CreateToken(ctx, auth.NewToken{PersonID: e.world.Ada.ID, Label: "admin", TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewUnstartedServer(nil)
	scheme := "http"
	if mutualTLS {
		scheme = "https"
	}
	e.idp.redirect = scheme + "://" + e.srv.Listener.Addr().String() + web.OIDCCallbackPath
	o, err := web.NewOIDC(ctx, web.OIDCConfig{Issuer: e.idp.issuerURL(), ClientID: e.idp.clientID, ClientSecret: e.idp.secret,
		Name: idpName, RedirectURL: e.idp.redirect})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Config.Handler = web.New(web.Config{Registry: e.svc, Auth: e.auth, Log: log, DemoTerminals: !mutualTLS, OIDC: o})
	if !mutualTLS {
		e.srv.Start()
	} else {
		if e.ca, err = pki.NewCA("cleared test CA", time.Now()); err != nil {
			t.Fatal(err)
		}
		certPEM, keyPEM, err := e.ca.IssueServer([]string{"127.0.0.1"}, time.Now(), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		e.srv.TLS = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert},
			ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: e.ca.Pool()}
		e.srv.StartTLS()
	}
	t.Cleanup(e.srv.Close)
	return e
}

// link links a demo login's account to subject at the test provider, through the API, as Ada.
func (e *oidcEnv) link(login, subject string) {
	e.t.Helper()
	r := e.linkAs(e.admin, e.accountID(login), subject)
	if r.status != http.StatusOK {
		e.t.Fatalf("link %s: %d %s", login, r.status, r.body)
	}
}

func (e *oidcEnv) linkAs(token string, id cleared.AccountID, subject string) response {
	e.t.Helper()
	body := `{"issuer":` + jsonString(e.idp.issuerURL()) + `,"subject":` + jsonString(subject) + `}`
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/api/accounts/"+string(id)+"/oidc", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	return e.send(req)
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

func (e *oidcEnv) send(req *http.Request) response {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// account returns a demo login's account.
func (e *oidcEnv) account(login string) cleared.Account {
	e.t.Helper()
	as, err := e.auth.Accounts(context.Background(), cleared.Actor{Person: e.world.Ada.ID}, "", 500)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, a := range as {
		if a.Login == login {
			return a
		}
	}
	e.t.Fatalf("no account %s", login)
	return cleared.Account{}
}

func (e *oidcEnv) accountID(login string) cleared.AccountID { return e.account(login).ID }

// updateAccount changes an account in the store directly: cleared has no act that disables one yet.
func (e *oidcEnv) updateAccount(login string, change func(a *cleared.Account)) {
	e.t.Helper()
	a := e.account(login)
	change(&a)
	if err := e.st.Update(context.Background(), func(tx store.Tx) error { return tx.UpdateAccount(a) }); err != nil {
		e.t.Fatal(err)
	}
}

// entries returns the audit log's entries from seq from.
func (e *oidcEnv) entries(from uint64) []audit.Record {
	e.t.Helper()
	var rs []audit.Record
	err := e.st.View(context.Background(), func(tx store.Tx) error {
		size, err := tx.AuditSize()
		if err != nil || size <= from {
			return err
		}
		rs, err = tx.AuditRecords(from, int(size-from))
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return rs
}

func (e *oidcEnv) size() uint64 {
	e.t.Helper()
	var n uint64
	if err := e.st.View(context.Background(), func(tx store.Tx) (err error) { n, err = tx.AuditSize(); return err }); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// signIns returns the session.login entries appended from seq from.
func (e *oidcEnv) signIns(from uint64) []audit.Record {
	var out []audit.Record
	for _, r := range e.entries(from) {
		if r.Action == "session.login" {
			out = append(out, r)
		}
	}
	return out
}

// oidcBrowser is one browser: its cookies, and a client certificate with mutual TLS.
type oidcBrowser struct {
	e      *oidcEnv
	client *http.Client
	jar    *cookiejar.Jar
}

func (e *oidcEnv) browser(cert ...tls.Certificate) *oidcBrowser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	tr := e.srv.Client().Transport.(*http.Transport).Clone()
	if len(cert) == 1 {
		tr.TLSClientConfig.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert[0], nil }
	}
	e.t.Cleanup(tr.CloseIdleConnections)
	return &oidcBrowser{e: e, jar: jar, client: &http.Client{Transport: tr, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// terminalCert issues a client certificate to a terminal, as `cleared terminal issue` does.
func (e *oidcEnv) terminalCert(id cleared.TerminalID) tls.Certificate {
	e.t.Helper()
	certPEM, keyPEM, _, err := e.svc.IssueTerminalCertificate(context.Background(), registry.NewTerminalCertificate{Terminal: id, TTL: time.Hour}, e.ca)
	if err != nil {
		e.t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		e.t.Fatal(err)
	}
	return cert
}

// get fetches an absolute URL, in English.
func (b *oidcBrowser) get(u string) page {
	b.e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.do(req)
}

func (b *oidcBrowser) do(req *http.Request) page {
	b.e.t.Helper()
	req.Header.Set("Accept-Language", "en")
	res, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return page{status: res.StatusCode, header: res.Header, body: string(body)}
}

func (b *oidcBrowser) post(path string, form url.Values) page {
	b.e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// start follows the sign-in through the provider up to the provider's redirection back, and returns the callback
// URL it leads to. query is /login/oidc's.
func (b *oidcBrowser) start(query string) string {
	b.e.t.Helper()
	p := b.get(b.e.srv.URL + "/login/oidc" + query)
	to := p.header.Get("Location")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(to, b.e.idp.issuerURL()+"/authorize?") {
		b.e.t.Fatalf("GET /login/oidc: %d to %q, want a redirection to the provider", p.status, to)
	}
	p = b.get(to)
	to = p.header.Get("Location")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(to, b.e.idp.redirect+"?") {
		b.e.t.Fatalf("the provider answered %d to %q:\n%s", p.status, to, p.body)
	}
	return to
}

// flowCookie returns the flow's cookie as the browser keeps it, "" if none.
func (b *oidcBrowser) flowCookie() string {
	u, _ := url.Parse(b.e.srv.URL + "/login/oidc/callback")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == "cleared_oidc" {
			return c.Value
		}
	}
	return ""
}

// setFlowCookie replaces the flow's cookie with value, as a tampering browser would.
func (b *oidcBrowser) setFlowCookie(value string) {
	u, _ := url.Parse(b.e.srv.URL + "/login/oidc")
	b.jar.SetCookies(u, []*http.Cookie{{Name: "cleared_oidc", Value: value, Path: "/login/oidc"}})
}

// editFlowCookie decodes the flow's cookie, lets change alter its fields, and puts it back.
func (b *oidcBrowser) editFlowCookie(change func(f map[string]any)) {
	b.e.t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(b.flowCookie())
	if err != nil {
		b.e.t.Fatalf("flow cookie: %v", err)
	}
	var f map[string]any
	if err := json.Unmarshal(raw, &f); err != nil {
		b.e.t.Fatalf("flow cookie: %v", err)
	}
	change(f)
	raw, _ = json.Marshal(f)
	b.setFlowCookie(base64.RawURLEncoding.EncodeToString(raw))
}

// sessionSet reports whether the answer sets a session cookie.
func sessionSet(p page) bool {
	for _, c := range (&http.Response{Header: p.header}).Cookies() {
		if c.Name == "cleared_session" && c.Value != "" {
			return true
		}
	}
	return false
}

// catalogue returns a message of the English catalogue as a page shows it.
func catalogue(t *testing.T, key string, args ...any) string {
	t.Helper()
	b, err := os.ReadFile("locale/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	msg, ok := m[key]
	if !ok {
		t.Fatalf("no message %s", key)
	}
	if len(args) > 0 {
		msg = strings.ReplaceAll(msg, "%s", args[0].(string))
	}
	return html.EscapeString(msg)
}

// refusedFor runs get, checks that its answer is the one refusal of a sign-in through the provider (wantRefused),
// and that the server's log says why: reason.
func (e *oidcEnv) refusedFor(t *testing.T, reason string, get func() page) {
	t.Helper()
	mark := len(e.logs.String())
	e.wantRefused(get())
	if logged := e.logs.String()[mark:]; !strings.Contains(logged, "sign-in through the identity provider refused") || !strings.Contains(logged, reason) {
		t.Errorf("the log does not say the refusal's reason %q:\n%s", reason, logged)
	}
}

// wantRefused checks that p is the sign-in page with the one refusal of a sign-in through the provider, and
// that no session was opened.
func (e *oidcEnv) wantRefused(p page) {
	e.t.Helper()
	if p.status != http.StatusUnauthorized || !strings.Contains(p.body, catalogue(e.t, "oidc.failed")) || !strings.Contains(p.body, `id="oidc-link"`) {
		e.t.Fatalf("status %d, want 401 and the sign-in page with the generic refusal:\n%s", p.status, p.body)
	}
	if sessionSet(p) {
		e.t.Errorf("a refused sign-in sets a session cookie: %v", p.header.Values("Set-Cookie"))
	}
}

func TestOIDC_SignIn(t *testing.T) {
	e := newOIDCEnv(t, false)
	e.link("sophie", "248289761001")
	zone := e.world.ZoneTerm.ID
	b := e.browser()

	login := b.get(e.srv.URL + "/login?next=/ui/pieces")
	if want := catalogue(t, "oidc.signin", idpName); !strings.Contains(login.body, want) ||
		!strings.Contains(login.body, `href="/login/oidc?next=%2Fui%2Fpieces"`) {
		t.Fatalf("the sign-in page offers no %q to /login/oidc?next=…:\n%s", want, login.body)
	}

	before := e.size()
	p := b.get(e.srv.URL + "/login/oidc?next=/ui/pieces&terminal=" + string(zone))
	var flow *http.Cookie
	for _, c := range (&http.Response{Header: p.header}).Cookies() {
		if c.Name == "cleared_oidc" {
			flow = c
		}
	}
	if flow == nil || !flow.HttpOnly || flow.SameSite != http.SameSiteLaxMode || flow.Path != "/login/oidc" || flow.MaxAge != 600 {
		t.Fatalf("flow cookie %+v: want HttpOnly, SameSite=Lax, for /login/oidc, ten minutes", flow)
	}
	if n := e.size(); n != before {
		t.Errorf("starting a sign-in wrote %d audit entries: an anonymous GET must write nothing", n-before)
	}
	cb := b.start("?next=/ui/pieces&terminal=" + string(zone))
	p = b.get(cb)
	if p.status != http.StatusOK || !sessionSet(p) || !strings.Contains(p.body, `action="/login/second-factor"`) ||
		!strings.Contains(p.body, `name="next" value="/ui/pieces"`) {
		t.Fatalf("callback: %d, want the second-factor page with a session cookie:\n%s", p.status, p.body)
	}
	if b.flowCookie() != "" {
		t.Error("the flow's cookie outlives its callback")
	}
	rs := e.signIns(before)
	if len(rs) != 1 || !rs[0].Allowed || rs[0].Actor != e.world.Sophie.ID || rs[0].Terminal != zone {
		t.Fatalf("sign-ins recorded: %+v, want Sophie's, allowed, from the zone", rs)
	}

	// Only the second factor of cleared signs her in: until then, no page.
	if p := b.get(e.srv.URL + "/ui/"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login") {
		t.Fatalf("/ui/ before the second factor: %d %s", p.status, p.header.Get("Location"))
	}
	m := csrfField.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("no CSRF token on the second-factor page")
	}
	code, err := account.TOTPCode(e.world.Login("sophie").TOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p = b.post("/login/second-factor", url.Values{"csrf": {m[1]}, "code": {code}, "next": {"/ui/pieces"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/pieces" {
		t.Fatalf("second factor: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	p = b.get(e.srv.URL + "/ui/")
	if p.status != http.StatusOK || !strings.Contains(p.body, html.EscapeString(e.world.Sophie.Name)) {
		t.Fatalf("dashboard: %d\n%s", p.status, p.body)
	}
	// The piece only the security zone may show is shown: the session is bound to the zone's terminal.
	if p := b.get(e.srv.URL + "/ui/pieces/" + string(e.world.TopSecret.ID) + "/content"); p.status != http.StatusOK {
		t.Errorf("TOP SECRET content from the zone after signing in through the provider: %d", p.status)
	}
}

func TestOIDC_UnknownSubjectRefusedAndAudited(t *testing.T) {
	e := newOIDCEnv(t, false)
	e.link("sophie", "248289761001")
	e.idp.set(func(p *testIdP) { p.subject = "31415926" })
	b := e.browser()
	before := e.size()
	accounts := len(mustAccounts(e))
	e.wantRefused(b.get(b.start("")))
	rs := e.signIns(before)
	if len(rs) != 1 || rs[0].Allowed || rs[0].Rule != "AUTH.OIDC" || rs[0].Actor != "" {
		t.Fatalf("sign-ins recorded: %+v, want one refused by AUTH.OIDC, of no one", rs)
	}
	if n := len(mustAccounts(e)); n != accounts {
		t.Errorf("%d accounts after an unknown identity came, want %d: none is made from an ID token", n, accounts)
	}
	// It reads exactly as a wrong password does, apart from the way in.
	p := b.post("/login", url.Values{"login": {"sophie"}, "password": {"not her password"}})
	if p.status != http.StatusUnauthorized || !strings.Contains(p.body, catalogue(t, "login.failed.title")) {
		t.Errorf("wrong password: %d", p.status)
	}
}

func mustAccounts(e *oidcEnv) []cleared.Account {
	as, err := e.auth.Accounts(context.Background(), cleared.Actor{Person: e.world.Ada.ID}, "", 500)
	if err != nil {
		e.t.Fatal(err)
	}
	return as
}

// TestOIDC_BadTokensRefused: every ID token that go-oidc or cleared must refuse is refused, the same way, after
// the exchange, and nobody is signed in.
func TestOIDC_BadTokensRefused(t *testing.T) {
	e := newOIDCEnv(t, false)
	e.link("sophie", "248289761001")
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		mangle func(claims map[string]any)
		signer *ecdsa.PrivateKey
		reason string // in the server's log
	}{
		{"wrong audience", func(c map[string]any) { c["aud"] = "another-client" }, nil, "expected audience"},
		{"wrong issuer", func(c map[string]any) { c["iss"] = "https://idp.evil.example" }, nil, "issued by a different provider"},
		{"expired", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }, nil, "token is expired"},
		{"bad nonce", func(c map[string]any) { c["nonce"] = "a nonce of another sign-in" }, nil, "nonce is not this flow's"},
		{"no nonce", func(c map[string]any) { delete(c, "nonce") }, nil, "nonce is not this flow's"},
		{"issued to another client among several audiences", func(c map[string]any) {
			c["aud"], c["azp"] = []string{"cleared-ministere", "another-client"}, "another-client"
		}, nil, `issued to \"another-client\"`},
		{"several audiences without azp", func(c map[string]any) { c["aud"] = []string{"cleared-ministere", "another-client"} }, nil,
			`issued to \"\"`},
		{"signed with another key", nil, other, "failed to verify signature"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.idp.set(func(p *testIdP) { p.mangle, p.signer = c.mangle, c.signer })
			b := e.browser()
			cb := b.start("")
			tokens := e.idp.tokenRequests()
			e.refusedFor(t, c.reason, func() page { return b.get(cb) })
			if e.idp.tokenRequests() != tokens+1 {
				t.Errorf("the code was not exchanged: the refusal is not the ID token's")
			}
			if p := b.get(e.srv.URL + "/login/second-factor"); p.status != http.StatusSeeOther {
				t.Errorf("second-factor page after a refused token: %d", p.status)
			}
		})
	}
	t.Run("issued an hour ago, refused by the registry and audited", func(t *testing.T) {
		e.idp.set(func(p *testIdP) {
			p.mangle, p.signer = func(c map[string]any) { c["iat"] = time.Now().Add(-time.Hour).Unix() }, nil
		})
		b := e.browser()
		before := e.size()
		e.wantRefused(b.get(b.start("")))
		if rs := e.signIns(before); len(rs) != 1 || rs[0].Allowed || rs[0].Rule != "AUTH.OIDC" || rs[0].Actor != e.world.Sophie.ID {
			t.Errorf("sign-ins recorded: %+v, want Sophie's refused by AUTH.OIDC", rs)
		}
	})
	e.idp.set(func(p *testIdP) { p.mangle, p.signer = nil, nil })
	if p := e.browser(); !sessionSet(p.get(p.start(""))) {
		t.Error("a good token after the bad ones is refused")
	}
}

// TestOIDC_FlowRefused: a callback that does not answer this browser's flow is refused before the code is
// exchanged; one replayed with the flow's own cookie is refused by cleared, even from a provider that would
// redeem a code twice.
func TestOIDC_FlowRefused(t *testing.T) {
	e := newOIDCEnv(t, false)
	e.link("sophie", "248289761001")
	refusedBeforeExchange := func(t *testing.T, reason string, b *oidcBrowser, cb string) {
		t.Helper()
		tokens := e.idp.tokenRequests()
		e.refusedFor(t, reason, func() page { return b.get(cb) })
		if n := e.idp.tokenRequests(); n != tokens {
			t.Errorf("the code was sent to the provider %d times for a flow cleared must refuse", n-tokens)
		}
	}
	withQuery := func(u string, change func(q url.Values)) string {
		v, _ := url.Parse(u)
		q := v.Query()
		change(q)
		v.RawQuery = q.Encode()
		return v.String()
	}

	t.Run("bad state", func(t *testing.T) {
		b := e.browser()
		cb := b.start("")
		refusedBeforeExchange(t, "state is not this browser's", b, withQuery(cb, func(q url.Values) { q.Set("state", strings.Repeat("A", 43)) }))
	})
	t.Run("no state", func(t *testing.T) {
		b := e.browser()
		refusedBeforeExchange(t, "state is not this browser's", b, withQuery(b.start(""), func(q url.Values) { q.Del("state") }))
	})
	t.Run("another browser's answer (a sign-in forced on this one)", func(t *testing.T) {
		attacker, victim := e.browser(), e.browser()
		cb := attacker.start("")
		victim.start("")
		refusedBeforeExchange(t, "state is not this browser's", victim, cb)
	})
	t.Run("no flow cookie", func(t *testing.T) {
		b := e.browser()
		cb := b.start("")
		u, _ := url.Parse(e.srv.URL + "/login/oidc")
		b.jar.SetCookies(u, []*http.Cookie{{Name: "cleared_oidc", Path: "/login/oidc", MaxAge: -1}})
		refusedBeforeExchange(t, "no flow cookie", b, cb)
	})
	t.Run("missing PKCE verifier", func(t *testing.T) {
		b := e.browser()
		cb := b.start("")
		b.editFlowCookie(func(f map[string]any) { delete(f, "v") })
		refusedBeforeExchange(t, "no PKCE verifier", b, cb)
	})
	t.Run("wrong PKCE verifier, refused by the provider", func(t *testing.T) {
		b := e.browser()
		cb := b.start("")
		b.editFlowCookie(func(f map[string]any) { f["v"] = strings.Repeat("x", 43) })
		e.refusedFor(t, "PKCE verification failed", func() page { return b.get(cb) })
	})
	t.Run("expired flow", func(t *testing.T) {
		b := e.browser()
		cb := b.start("")
		b.editFlowCookie(func(f map[string]any) { f["e"] = time.Now().Add(-time.Second).Unix() })
		refusedBeforeExchange(t, "took longer than", b, cb)
	})
	t.Run("the provider's error", func(t *testing.T) {
		b := e.browser()
		cb := b.start("")
		refusedBeforeExchange(t, `answered \"access_denied\"`, b, withQuery(cb, func(q url.Values) { q.Del("code"); q.Set("error", "access_denied") }))
	})
	t.Run("replayed state", func(t *testing.T) {
		e.idp.set(func(p *testIdP) { p.reuse = true })
		defer e.idp.set(func(p *testIdP) { p.reuse = false })
		b := e.browser()
		cb := b.start("")
		cookie := b.flowCookie()
		if p := b.get(cb); !sessionSet(p) {
			t.Fatalf("first callback: %d\n%s", p.status, p.body)
		}
		// The browser itself cannot answer twice: the callback took its cookie.
		refusedBeforeExchange(t, "no flow cookie", b, cb)
		// Someone who kept the cookie and the URL replays both: the provider redeems the code again, cleared
		// refuses the ID token's nonce, and records the attempt as Sophie's.
		before := e.size()
		b.setFlowCookie(cookie)
		e.wantRefused(b.get(cb))
		rs := e.signIns(before)
		if len(rs) != 1 || rs[0].Allowed || rs[0].Rule != "AUTH.OIDC" || rs[0].Actor != e.world.Sophie.ID {
			t.Fatalf("sign-ins recorded: %+v, want Sophie's refused by AUTH.OIDC", rs)
		}
	})
}

func TestOIDC_DisabledAndLockedAccounts(t *testing.T) {
	e := newOIDCEnv(t, false)
	e.link("lea", "lea-at-idp")
	e.link("tom", "tom-at-idp")

	t.Run("disabled: the generic refusal, audited", func(t *testing.T) {
		e.updateAccount("lea", func(a *cleared.Account) { a.Disabled = time.Now() })
		e.idp.set(func(p *testIdP) { p.subject = "lea-at-idp" })
		b := e.browser()
		before := e.size()
		e.wantRefused(b.get(b.start("")))
		if rs := e.signIns(before); len(rs) != 1 || rs[0].Allowed || rs[0].Rule != "AUTH.OIDC" || rs[0].Actor != e.world.Lea.ID {
			t.Errorf("sign-ins recorded: %+v", rs)
		}
	})
	t.Run("locked: told until when, as by a password (AUTH.LOCKOUT)", func(t *testing.T) {
		e.updateAccount("tom", func(a *cleared.Account) {
			a.Failures, a.LockedUntil = account.FreeAttempts, time.Now().Add(time.Hour)
		})
		e.idp.set(func(p *testIdP) { p.subject = "tom-at-idp" })
		b := e.browser()
		p := b.get(b.start(""))
		if p.status != http.StatusForbidden || !strings.Contains(p.body, `data-rule="AUTH.LOCKOUT"`) || sessionSet(p) {
			t.Fatalf("locked account: %d, want 403 with rule AUTH.LOCKOUT and no session:\n%s", p.status, p.body)
		}
	})
}

// TestOIDC_TerminalBound: in production the terminal is the client certificate's. The session opened through the
// provider is bound to it, and a flow started at one terminal cannot be finished at another.
func TestOIDC_TerminalBound(t *testing.T) {
	e := newOIDCEnv(t, true)
	e.link("sophie", "248289761001")
	zone, office := e.terminalCert(e.world.ZoneTerm.ID), e.terminalCert(e.world.OfficeTerm.ID)

	b := e.browser(zone)
	// Outside the demonstration the terminal is the certificate's: the way in is a plain link.
	if login := b.get(e.srv.URL + "/login?next=/ui/pieces"); !strings.Contains(login.body, `href="/login/oidc?next=%2Fui%2Fpieces"`) ||
		strings.Contains(login.body, `name="terminal"`) {
		t.Fatalf("the sign-in page under mutual TLS: want a link to /login/oidc?next=… and no terminal to choose:\n%s", login.body)
	}
	p := b.get(b.start(""))
	if !sessionSet(p) {
		t.Fatalf("sign-in from the zone: %d\n%s", p.status, p.body)
	}
	if rs := e.signIns(0); rs[len(rs)-1].Terminal != e.world.ZoneTerm.ID {
		t.Errorf("session opened from %q, want the zone terminal", rs[len(rs)-1].Terminal)
	}

	started := e.browser(zone)
	cb := started.start("")
	finished := e.browser(office)
	finished.setFlowCookie(started.flowCookie())
	tokens := e.idp.tokenRequests()
	e.refusedFor(t, "came back from", func() page { return finished.get(cb) })
	if e.idp.tokenRequests() != tokens {
		t.Error("a flow finished at another terminal reached the token exchange")
	}
}

// TestOIDC_LinkOnlyByAdmin: POST /api/accounts/{id}/oidc is an administrator's; others get 403 with AUTH.ADMIN,
// recorded, and nothing changes.
func TestOIDC_LinkOnlyByAdmin(t *testing.T) {
	e := newOIDCEnv(t, false)
	id := e.accountID("tom")
	for _, who := range []string{"helene", "tom", "sophie_zone"} {
		before := e.size()
		r := e.linkAs(e.world.Token(who), id, "tom-at-idp")
		wantProblem(t, r, http.StatusForbidden, "AUTH.ADMIN")
		if rs := e.entries(before); len(rs) != 1 || rs[0].Action != "account.link_oidc" || rs[0].Allowed {
			t.Errorf("%s's attempt recorded as %+v", who, rs)
		}
		if a := e.account("tom"); a.OIDCSubject != "" {
			t.Fatalf("%s linked Tom's account: %q", who, a.OIDCSubject)
		}
	}
	doc := loadOpenAPI(t)
	op := oaOperations(t, doc)["POST /api/accounts/{id}/oidc"]
	r := e.linkAs(e.admin, id, "tom-at-idp")
	wantStatus(t, r, http.StatusOK)
	oaCheckAnswer(t, doc, op, r)
	if a := decodeAs[cleared.Account](t, r); a.OIDCSubject != e.idp.issuerURL()+"|tom-at-idp" {
		t.Errorf("linked account %+v", a)
	}
	wantProblem(t, e.linkAs(e.admin, e.accountID("lea"), "tom-at-idp"), http.StatusConflict, "")
	wantProblem(t, e.linkAs(e.admin, id, ""), http.StatusBadRequest, "")
	wantProblem(t, e.linkAs(e.admin, cleared.NewAccountID(), "x"), http.StatusNotFound, "")
}

func TestOIDC_NotConfigured(t *testing.T) {
	e := newUIEnv(t)
	b := e.browser()
	if p := b.get("/login"); strings.Contains(p.body, "oidc") {
		t.Errorf("the sign-in page offers an identity provider none is configured for:\n%s", p.body)
	}
	for _, path := range []string{"/login/oidc", "/login/oidc/callback?code=x&state=y"} {
		if p := b.get(path); p.status != http.StatusNotFound {
			t.Errorf("%s without a provider: %d, want 404", path, p.status)
		}
	}
}

// TestNewOIDC: a server does not start with a provider it cannot use.
func TestNewOIDC(t *testing.T) {
	ctx := context.Background()
	idp := newTestIdP(t)
	cfg := func(change func(c *web.OIDCConfig)) web.OIDCConfig {
		c := web.OIDCConfig{Issuer: idp.issuerURL(), ClientID: "cleared", ClientSecret: "s", RedirectURL: "https://cleared.example.lu" + web.OIDCCallbackPath}
		change(&c)
		return c
	}
	o, err := web.NewOIDC(ctx, cfg(func(*web.OIDCConfig) {}))
	if err != nil || o.Name() != "127.0.0.1" {
		t.Fatalf("NewOIDC: %v; name %q, want the issuer's host when none is given", err, o.Name())
	}
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	for _, c := range []struct {
		name  string
		cfg   web.OIDCConfig
		setup func(p *testIdP)
		want  string
	}{
		{"unreachable", cfg(func(c *web.OIDCConfig) { c.Issuer = down.URL }), nil, "discovery"},
		{"issuer not https", cfg(func(c *web.OIDCConfig) { c.Issuer = "http://idp.example.lu" }), nil, "https"},
		{"no client ID", cfg(func(c *web.OIDCConfig) { c.ClientID = "" }), nil, "client ID"},
		{"redirection URL elsewhere", cfg(func(c *web.OIDCConfig) { c.RedirectURL = "https://cleared.example.lu/callback" }), nil, "redirection URL"},
		{"document names another issuer", cfg(func(*web.OIDCConfig) {}), func(p *testIdP) { p.issuer = "https://idp.example.lu" }, "discovery"},
		{"no PKCE with S256", cfg(func(*web.OIDCConfig) {}), func(p *testIdP) { p.pkce = []string{"plain"} }, "S256"},
		{"no discovery document", cfg(func(*web.OIDCConfig) {}), func(p *testIdP) {
			p.answers["/.well-known/openid-configuration"] = func() (int, any) { return http.StatusNotFound, map[string]string{} }
		}, "discovery"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil {
				idp.set(c.setup)
				defer idp.set(func(p *testIdP) { p.issuer, p.pkce, p.answers = "", []string{"S256"}, map[string]func() (int, any){} })
			}
			if _, err := web.NewOIDC(ctx, c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("NewOIDC: %v, want an error about %s", err, c.want)
			}
		})
	}
}
