package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/web"
)

// uiEnv is the web UI over a fresh demo world, in demonstration mode (the terminal is chosen on the sign-in
// form). Its service clock can be moved forward, so that one login can sign in more than once: a TOTP code is
// accepted once per 30-second step.
type uiEnv struct {
	t     testing.TB
	srv   *httptest.Server
	svc   *registry.Service
	auth  *auth.Service
	st    store.Store // for fixtures no page can make (a security key needs a real authenticator)
	world *demo.World
	env   *testenv.Env // the audit log's last entries

	mu     sync.Mutex
	offset time.Duration
}

func (e *uiEnv) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return time.Now().Add(e.offset)
}

// tick moves the clock to the next TOTP step.
func (e *uiEnv) tick() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.offset += 31 * time.Second
}

func newUIEnv(t testing.TB) *uiEnv {
	t.Helper()
	e := &uiEnv{t: t}
	wa, err := auth.NewWebAuthn("http://localhost")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	te := testenv.New(t, testenv.Options{Log: log, Now: e.now, WebAuthn: wa})
	e.st, e.svc, e.auth, e.world, e.env = te.Store, te.Reg, te.Auth, te.World, te
	e.srv = httptest.NewServer(web.New(web.Config{Registry: e.svc, Auth: e.auth, Vetting: te.Vet, Sharing: te.Share, Log: log, DemoTerminals: true}))
	t.Cleanup(e.srv.Close)
	return e
}

// browser is one person's browser: its own cookies, a language, and the last page it got.
type browser struct {
	e      *uiEnv
	client *http.Client
	lang   string // Accept-Language
	last   page
}

// page is an answer as a browser sees it.
type page struct {
	status int
	header http.Header
	body   string
}

func (e *uiEnv) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &browser{e: e, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // the tests look at each redirection
	}}}
}

func (b *browser) do(req *http.Request) page {
	b.e.t.Helper()
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	p := page{status: res.StatusCode, header: res.Header, body: string(body)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && (res.StatusCode < 300 || res.StatusCode >= 400) {
		b.last = p
	}
	return p
}

func (b *browser) get(path string) page {
	b.e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form, with the CSRF token of the last page unless the form has one.
func (b *browser) post(path string, form url.Values) page {
	b.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", b.csrf())
	}
	req, err := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the token in the last page's forms ("" without a session).
func (b *browser) csrf() string {
	if m := csrfField.FindStringSubmatch(b.last.body); m != nil {
		return m[1]
	}
	return ""
}

// signIn signs login in from terminal (empty for none), through both steps, and checks it lands on next.
func (b *browser) signIn(login string, terminal cleared.TerminalID) {
	b.e.t.Helper()
	l := b.e.world.Login(login)
	b.get("/login")
	p := b.post("/login", url.Values{"login": {login}, "password": {l.Password}, "terminal": {string(terminal)}, "next": {"/ui/"}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login/second-factor") {
		b.e.t.Fatalf("sign in %s: %d %s\n%s", login, p.status, p.header.Get("Location"), p.body)
	}
	b.get(p.header.Get("Location"))
	b.e.tick()
	code, err := account.TOTPCode(l.TOTPSecret, b.e.now())
	if err != nil {
		b.e.t.Fatal(err)
	}
	p = b.post("/login/second-factor", url.Values{"code": {code}, "next": {"/ui/"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/" {
		b.e.t.Fatalf("second factor of %s: %d %s\n%s", login, p.status, p.header.Get("Location"), p.body)
	}
}

// as returns a browser signed in as login at terminal.
func (e *uiEnv) as(login string, terminal cleared.TerminalID) *browser {
	e.t.Helper()
	b := e.browser()
	b.signIn(login, terminal)
	return b
}

var (
	bannerTop    = regexp.MustCompile(`<div class="banner banner-top banner-([a-z-]+)" role="note" id="banner-top" data-testid="banner-top" data-level="([A-Z_]+)"[^>]*>([^<]*)</div>`)
	bannerBottom = regexp.MustCompile(`<div class="banner banner-bottom banner-([a-z-]+)" role="note" id="banner-bottom" data-testid="banner-bottom" data-level="([A-Z_]+)"[^>]*>([^<]*)</div>`)
	missingKey   = regexp.MustCompile(`\[[a-z_]+(\.[A-Za-z0-9_.]+)+\]`)
)

// wantPage checks what every page must have: the status, the banners at the top and the bottom with the level
// and text given (A7.1), no missing catalogue key, and the UI's security headers.
func wantPage(t testing.TB, p page, status int, level, text string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d\n%s", p.status, status, p.body)
	}
	top, bottom := bannerTop.FindStringSubmatch(p.body), bannerBottom.FindStringSubmatch(p.body)
	if top == nil || bottom == nil {
		t.Fatalf("A7.1: a banner is missing (top %v, bottom %v)\n%s", top != nil, bottom != nil, p.body)
	}
	if top[2] != level || top[3] != text {
		t.Errorf("A7.1: top banner %s %q, want %s %q", top[2], top[3], level, text)
	}
	if top[1] != bottom[1] || top[2] != bottom[2] || top[3] != bottom[3] {
		t.Errorf("A7.1: bottom banner %v differs from top %v", bottom[1:], top[1:])
	}
	if strings.Index(p.body, `id="banner-top"`) > strings.Index(p.body, "<main") || strings.Index(p.body, `id="banner-bottom"`) < strings.Index(p.body, "</footer>") {
		t.Errorf("A7.1: banners are not at the top and the bottom of the page")
	}
	if m := missingKey.FindString(p.body); m != "" {
		t.Errorf("the page shows a missing catalogue key %s", m)
	}
	wantUIHeaders(t, p)
}

var webauthnScript = regexp.MustCompile(`<script src="/static/webauthn\.js\?v=[0-9a-f]+" defer></script>`)

// wantUIHeaders checks a page's security headers, and that it holds no inline script, style or event handler: the
// one script there may be is our file for security keys, which its page's policy names.
func wantUIHeaders(t testing.TB, p page) {
	t.Helper()
	csp := "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	if webauthnScript.MatchString(p.body) {
		csp += "; script-src 'self'; connect-src 'self'"
		p.body = webauthnScript.ReplaceAllString(p.body, "")
	}
	for k, v := range map[string]string{
		"Content-Security-Policy": csp,
		"Referrer-Policy":         "no-referrer",
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "no-store",
		"Content-Type":            "text/html; charset=utf-8",
	} {
		if got := p.header.Get(k); got != v {
			t.Errorf("header %s: %q, want %q", k, got, v)
		}
	}
	if strings.Contains(p.body, "<script") || strings.Contains(p.body, " style=") || strings.Contains(p.body, " on") && regexp.MustCompile(` on[a-z]+=`).MatchString(p.body) {
		t.Errorf("the page has a script, an inline style or an event handler")
	}
}

const unclassified = "NON CLASSIFIÉ"

func TestUI_SignIn(t *testing.T) {
	e := newUIEnv(t)
	w := e.world

	t.Run("without a session, / and every page lead to the sign-in page, coming back after", func(t *testing.T) {
		b := e.browser()
		if p := b.get("/"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/login" {
			t.Errorf("/ answers %d %s", p.status, p.header.Get("Location"))
		}
		p := b.get("/ui/pieces?q=x")
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/login?next="+url.QueryEscape("/ui/pieces?q=x") {
			t.Errorf("/ui/pieces answers %d %s", p.status, p.header.Get("Location"))
		}
		wantPage(t, b.get("/login?next=%2Fui%2Fpieces"), http.StatusOK, "UNCLASSIFIED", unclassified)
		if !strings.Contains(b.last.body, `name="next" value="/ui/pieces"`) {
			t.Errorf("the sign-in form does not carry next")
		}
	})
	t.Run("the demo sign-in form offers the terminals, and says it simulates a client certificate", func(t *testing.T) {
		p := e.browser().get("/login")
		for _, want := range []string{`<select id="f-terminal" name="terminal"`, `value="` + string(w.ZoneTerm.ID) + `"`, "Aucun (lieu public)",
			"simulation de démonstration", `autocomplete="current-password"`, `<label for="f-password">`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("sign-in form lacks %q", want)
			}
		}
	})
	t.Run("a wrong password is refused on the form, and says nothing of the login", func(t *testing.T) {
		b := e.browser()
		b.get("/login")
		wrong := b.post("/login", url.Values{"login": {"sophie"}, "password": {"not her password"}})
		unknown := b.post("/login", url.Values{"login": {"nobody"}, "password": {"not her password"}})
		wantPage(t, wrong, http.StatusUnauthorized, "UNCLASSIFIED", unclassified)
		if !strings.Contains(wrong.body, "Identifiant ou mot de passe incorrect.") {
			t.Errorf("no message on a wrong password:\n%s", wrong.body)
		}
		if strings.ReplaceAll(wrong.body, "sophie", "nobody") != unknown.body {
			t.Errorf("a wrong password and an unknown login read differently")
		}
		if len(b.client.Jar.Cookies(mustURL(e.srv.URL))) != 0 {
			t.Errorf("a refused sign-in set a cookie")
		}
	})
	t.Run("the second factor page asks for a one-time code", func(t *testing.T) {
		b := e.browser()
		b.get("/login")
		p := b.post("/login", url.Values{"login": {"tom"}, "password": {w.Login("tom").Password}, "terminal": {string(w.MinistryTerm.ID)}})
		p = b.get(p.header.Get("Location"))
		wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
		for _, want := range []string{`autocomplete="one-time-code"`, `inputmode="numeric"`, `<label for="f-code">`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("second-factor form lacks %s", want)
			}
		}
		if p := b.get("/ui/"); p.status != http.StatusSeeOther {
			t.Errorf("a session waiting for its code reaches the dashboard: %d", p.status)
		}
		if p := b.post("/login/second-factor", url.Values{"code": {"000000"}}); p.status != http.StatusUnauthorized || !strings.Contains(p.body, "Code refusé") {
			t.Errorf("a wrong code answers %d", p.status)
		}
	})
	t.Run("signed in, the dashboard shows who one is and the terminal one sits at", func(t *testing.T) {
		b := e.as("sophie", w.OfficeTerm.ID)
		p := b.get("/ui/")
		wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
		for _, want := range []string{"Sophie Wagner", "Service de Renseignement de l&#39;État", "314-WS02", "ANS-PSC-2024-0311",
			"Hors zone de sécurité", `id="terminal-up-to"`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		if p := b.get("/"); p.header.Get("Location") != "/ui/" {
			t.Errorf("/ sends a signed-in browser to %q", p.header.Get("Location"))
		}
	})
	t.Run("next must be a page of this site", func(t *testing.T) {
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "/api/pieces"} {
			b := e.browser()
			b.get("/login")
			e.tick()
			p := b.post("/login", url.Values{"login": {"lea"}, "password": {w.Login("lea").Password}, "next": {next}})
			if loc := p.header.Get("Location"); loc != "/login/second-factor?next=%2Fui%2F" {
				t.Errorf("next %q leads to %q", next, loc)
			}
		}
	})
	t.Run("sign out ends the session", func(t *testing.T) {
		b := e.as("tom", w.MinistryTerm.ID)
		b.get("/ui/")
		if p := b.post("/logout", nil); p.status != http.StatusSeeOther || p.header.Get("Location") != "/login?ok=logout" {
			t.Fatalf("logout answers %d %s", p.status, p.header.Get("Location"))
		}
		if p := b.get("/ui/"); p.status != http.StatusSeeOther {
			t.Errorf("after sign-out the dashboard answers %d", p.status)
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestUI_A7_1_BannerOfEveryPage(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	sophie := e.as("sophie", w.ZoneTerm.ID)
	lea := e.as("lea", w.OfficeTerm.ID)
	anne := e.as("anne", w.ZoneTerm.ID) // a security officer: the grant form is offered to her (issue 18 §0)
	cases := []struct {
		name        string
		b           *browser
		path        string
		level, text string
	}{
		{"a list shows the highest level among its pieces", sophie, "/ui/pieces", "TOP_SECRET", "TRES SECRET LUX"},
		{"a list of lower pieces is bannered lower", lea, "/ui/pieces", "CONFIDENTIAL", "CONFIDENTIEL LUX"},
		{"a search result is bannered by what it shows", sophie, "/ui/pieces?q=brume", "CONFIDENTIAL", "CONFIDENTIEL LUX"},
		{"a piece shows its own marking", sophie, "/ui/pieces/" + string(w.Secret.ID), "SECRET", "SECRET LUX"},
		{"A6.1 a foreign piece shows its foreign marking too", sophie, "/ui/pieces/" + string(w.NATO.ID), "SECRET", "NATO SECRET / SECRET LUX"},
		{"the grant form of a piece is bannered by the piece", anne, "/ui/grants/new?piece=" + string(w.TopSecret.ID), "TOP_SECRET", "TRES SECRET LUX"},
		{"a page without pieces is unclassified", sophie, "/ui/", "UNCLASSIFIED", unclassified},
		{"a register is unclassified", sophie, "/ui/places", "UNCLASSIFIED", unclassified},
		{"the 404 page is unclassified", lea, "/ui/pieces/" + string(w.TopSecret.ID), "UNCLASSIFIED", unclassified},
	}
	for _, tc := range cases {
		t.Run("A7.1 "+tc.name, func(t *testing.T) {
			p := tc.b.get(tc.path)
			status := http.StatusOK
			if strings.Contains(tc.name, "404") {
				status = http.StatusNotFound
			}
			wantPage(t, p, status, tc.level, tc.text)
		})
	}
	t.Run("A7.1 the banner reads the same in English, but for UNCLASSIFIED", func(t *testing.T) {
		sophie.get("/lang/en?next=/ui/")
		wantPage(t, sophie.get("/ui/pieces/"+string(w.NATO.ID)), http.StatusOK, "SECRET", "NATO SECRET / SECRET LUX")
		wantPage(t, sophie.get("/ui/"), http.StatusOK, "UNCLASSIFIED", "UNCLASSIFIED")
	})
}

func TestUI_A9_1_OnlyWhatOneMayKnow(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	lea := e.as("lea", w.OfficeTerm.ID)
	hidden := []cleared.Piece{w.TopSecret, w.Secret, w.NATO, w.PartA, w.PartB}

	t.Run("A9.1 lea's list holds her pieces", func(t *testing.T) {
		p := lea.get("/ui/pieces")
		for _, mine := range []cleared.Piece{w.Confidential, w.Restricted} {
			if !strings.Contains(p.body, `href="/ui/pieces/`+string(mine.ID)+`"`) {
				t.Errorf("lea's list lacks %q", mine.Title)
			}
		}
	})
	never := cleared.NewPieceID()
	t.Run("A9.1 a hidden piece and a missing one show the same 404 page", func(t *testing.T) {
		for _, suffix := range []string{"", "/content"} {
			hid := lea.get("/ui/pieces/" + string(w.TopSecret.ID) + suffix)
			miss := lea.get("/ui/pieces/" + string(never) + suffix)
			wantPage(t, hid, http.StatusNotFound, "UNCLASSIFIED", unclassified)
			if hid.body != miss.body {
				t.Errorf("%s: hidden piece page\n%s\nmissing piece page\n%s", suffix, hid.body, miss.body)
			}
			if !strings.Contains(hid.body, "ne vous est pas accessible") {
				t.Errorf("the 404 page does not say why")
			}
			if strings.Contains(hid.body, string(w.TopSecret.ID)) {
				t.Errorf("the 404 page names the ID asked for")
			}
		}
		// Issue 18 §0: an unknown page says "no such page", not the missing piece's sentence.
		if p := lea.get("/ui/nowhere"); p.status != http.StatusNotFound || p.body == lea.get("/ui/pieces/"+string(never)).body ||
			!strings.Contains(p.body, "vérifiez l&#39;adresse") || strings.Contains(p.body, "ne vous est pas accessible") {
			t.Errorf("an unknown page: %d %s", p.status, p.body)
		}
		if p := lea.get("/ui/grants/new?piece=" + string(w.TopSecret.ID)); p.status != http.StatusNotFound {
			t.Errorf("the grant form of a hidden piece answers %d", p.status)
		}
	})
	t.Run("A9.1 no page lea reaches shows a title she may not know", func(t *testing.T) {
		paths := []string{"/ui/", "/ui/pieces", "/ui/pieces?q=e", "/ui/pieces?q=a", "/ui/pieces?q=brume", "/ui/pieces/new", "/ui/registers",
			"/ui/pieces/" + string(w.TopSecret.ID), "/ui/pieces/" + string(w.PartA.ID) + "/content", "/ui/grants/new?piece=" + string(w.NATO.ID),
			"/ui/pieces/" + string(w.Confidential.ID), "/ui/pieces/" + string(w.Restricted.ID), "/ui/organisations", "/ui/places",
			"/ui/terminals", "/ui/authorities", "/ui/account", "/ui/account/sessions", "/ui/account/tokens"}
		for _, path := range paths {
			p := lea.get(path)
			for _, h := range hidden {
				if strings.Contains(p.body, h.Title) || strings.Contains(p.body, string(h.ID)) {
					t.Errorf("A9.1 %s shows the hidden piece %q", path, h.Title)
				}
			}
		}
	})
	t.Run("A9.1 a search looks only among one's pieces", func(t *testing.T) {
		p := lea.get("/ui/pieces?q=BRUME")
		if !strings.Contains(p.body, `id="empty"`) {
			t.Errorf("lea's search for BRUME finds something:\n%s", p.body)
		}
		sophie := e.as("sophie", w.ZoneTerm.ID)
		p = sophie.get("/ui/pieces?q=brume")
		for _, want := range []cleared.Piece{w.PartA, w.PartB} {
			if !strings.Contains(p.body, want.Title) {
				t.Errorf("sophie's search lacks %q", want.Title)
			}
		}
		if strings.Contains(p.body, w.TopSecret.Title) {
			t.Errorf("sophie's search for brume shows %q", w.TopSecret.Title)
		}
	})
}

func TestUI_A8_2_RefusedContentIsExplained(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	t.Run("A8.2 TRES SECRET content is shown in the security zone", func(t *testing.T) {
		p := e.as("sophie", w.ZoneTerm.ID).get("/ui/pieces/" + string(w.TopSecret.ID))
		wantPage(t, p, http.StatusOK, "TOP_SECRET", "TRES SECRET LUX")
		if !strings.Contains(p.body, `<pre class="content" id="piece-content" data-testid="piece-content" tabindex="0">Évaluation TRES SECRET`) {
			t.Errorf("content not shown in the zone:\n%s", p.body)
		}
	})
	office := e.as("sophie", w.OfficeTerm.ID)
	t.Run("A8.2 outside the zone the page shows the piece and says why its content is not shown", func(t *testing.T) {
		p := office.get("/ui/pieces/" + string(w.TopSecret.ID))
		wantPage(t, p, http.StatusOK, "TOP_SECRET", "TRES SECRET LUX")
		if !strings.Contains(p.body, `data-rule="A8.2"`) || !strings.Contains(p.body, "ne s&#39;utilisent que dans une zone de sécurité") {
			t.Errorf("no localised A8.2 refusal:\n%s", p.body)
		}
		if strings.Contains(p.body, "sources humaines") {
			t.Errorf("the content is shown outside the zone")
		}
	})
	t.Run("A8.2 the download outside the zone is a 403 page naming the rule", func(t *testing.T) {
		p := office.get("/ui/pieces/" + string(w.TopSecret.ID) + "/content")
		wantPage(t, p, http.StatusForbidden, "UNCLASSIFIED", unclassified)
		if !strings.Contains(p.body, `id="problem-rule">A8.2<`) {
			t.Errorf("the 403 page does not name A8.2:\n%s", p.body)
		}
	})
	t.Run("A9.3 from no terminal nothing classified is shown, in English too", func(t *testing.T) {
		b := e.browser()
		b.lang = "en-GB,en;q=0.9"
		b.signIn("tom", "")
		p := b.get("/ui/pieces/" + string(w.Secret.ID))
		wantPage(t, p, http.StatusForbidden, "UNCLASSIFIED", "UNCLASSIFIED")
		if !strings.Contains(p.body, `data-rule="A9.3"`) || !strings.Contains(p.body, "No classified piece may be shown") {
			t.Errorf("no localised A9.3 refusal:\n%s", p.body)
		}
		if strings.Contains(p.body, w.Secret.Title) {
			t.Errorf("the refusal page shows the title")
		}
	})
	t.Run("A8.1 the download at an accredited terminal carries the marking", func(t *testing.T) {
		p := office.get("/ui/pieces/" + string(w.Secret.ID) + "/content")
		if p.status != http.StatusOK || p.header.Get("Classification") != "SECRET LUX" ||
			!strings.HasPrefix(p.header.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(p.body, "%PDF-") ||
			p.header.Get("Rendering") != "rendered-text" {
			t.Errorf("download: %d %v %q", p.status, p.header, p.body)
		}
	})
}

func TestUI_CSRF_ForgedFormChangesNothing(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	paul := e.as("paul", w.OfficeTerm.ID)
	tom := e.as("tom", w.MinistryTerm.ID)
	grant := func(csrf string) url.Values {
		return url.Values{"csrf": {csrf}, "piece": {string(w.Confidential.ID)}, "person_id": {string(w.Tom.ID)},
			"until": {e.now().AddDate(0, 6, 0).Format(time.DateOnly)}, "reason": {"Suivi du contrat au ministère"}}
	}
	tomSees := func() bool {
		return tom.get("/ui/pieces/"+string(w.Confidential.ID)).status == http.StatusOK
	}
	paul.get("/ui/grants/new?piece=" + string(w.Confidential.ID))
	for name, csrf := range map[string]string{"forged": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "missing": "", "another session's": tom.csrf()} {
		t.Run("a "+name+" token is refused", func(t *testing.T) {
			p := paul.post("/ui/grants", grant(csrf))
			wantPage(t, p, http.StatusForbidden, "UNCLASSIFIED", unclassified)
			if !strings.Contains(p.body, "Formulaire refusé") {
				t.Errorf("no CSRF message:\n%s", p.body)
			}
			if tomSees() {
				t.Fatalf("a forged form granted need-to-know")
			}
		})
	}
	t.Run("a form posted from another site is refused even with the token", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/ui/grants", strings.NewReader(grant(paul.csrf()).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if p := paul.do(req); p.status != http.StatusForbidden || tomSees() {
			t.Errorf("cross-site form answers %d", p.status)
		}
	})
	t.Run("A9.1 the page's own token grants, and tom then sees the piece", func(t *testing.T) {
		paul.get("/ui/grants/new?piece=" + string(w.Confidential.ID))
		p := paul.post("/ui/grants", grant(paul.csrf()))
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/pieces/"+string(w.Confidential.ID)+"?ok=granted" {
			t.Fatalf("grant answers %d %s\n%s", p.status, p.header.Get("Location"), p.body)
		}
		if !tomSees() {
			t.Errorf("tom does not see the piece he was granted")
		}
	})
}

func TestUI_LanguageSwitch(t *testing.T) {
	e := newUIEnv(t)
	b := e.browser()
	t.Run("French by default", func(t *testing.T) {
		p := b.get("/login")
		if !strings.Contains(p.body, `<html lang="fr">`) || !strings.Contains(p.body, "<h1 id=\"page-title\">Connexion</h1>") {
			t.Errorf("default page is not French:\n%s", p.body)
		}
	})
	t.Run("the browser's language when it is one of ours", func(t *testing.T) {
		b.lang = "de-DE, en;q=0.8, fr;q=0.5"
		p := b.get("/login")
		if !strings.Contains(p.body, `<html lang="en">`) || !strings.Contains(p.body, "<h1 id=\"page-title\">Sign in</h1>") {
			t.Errorf("page is not English:\n%s", p.body)
		}
		if p.header.Get("Content-Language") != "en" {
			t.Errorf("Content-Language %q", p.header.Get("Content-Language"))
		}
	})
	t.Run("the switch keeps the choice over the browser's language, and comes back to the page", func(t *testing.T) {
		p := b.get("/lang/fr?next=" + url.QueryEscape("/login"))
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/login" {
			t.Fatalf("switch answers %d %s", p.status, p.header.Get("Location"))
		}
		if p := b.get("/login"); !strings.Contains(p.body, `<html lang="fr">`) {
			t.Errorf("the choice of French is not kept")
		}
		if p := b.get("/lang/en?next=" + url.QueryEscape("https://evil.example/")); p.header.Get("Location") != "/ui/" {
			t.Errorf("the switch leads off-site: %s", p.header.Get("Location"))
		}
	})
	t.Run("every page carries the switch", func(t *testing.T) {
		p := b.get("/login")
		if !strings.Contains(p.body, `id="lang-fr"`) || !strings.Contains(p.body, `id="lang-en"`) {
			t.Errorf("no language switch")
		}
	})
}

func TestUI_StaticFiles(t *testing.T) {
	e := newUIEnv(t)
	p := e.browser().get("/login")
	m := regexp.MustCompile(`<link rel="stylesheet" href="(/static/app\.css\?v=[0-9a-f]+)">`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no style sheet link")
	}
	css := e.browser().get(m[1])
	if css.status != http.StatusOK || css.header.Get("Content-Type") != "text/css; charset=utf-8" ||
		css.header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.Contains(css.body, ".banner-top-secret") {
		t.Errorf("style sheet: %d %v", css.status, css.header)
	}
	if p := e.browser().get("/static/nothing.js"); p.status != http.StatusNotFound {
		t.Errorf("missing static file: %d", p.status)
	}
}

// TestUI_Pages visits every page of the UI as the NSA officer, and submits the forms of the registers and of a
// classification, checking each page's banner, headers and catalogue.
func TestUI_Pages(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	helene := e.as("helene", w.ZoneTerm.ID)
	for _, path := range []string{"/ui/", "/ui/pieces", "/ui/registers", "/ui/organisations", "/ui/organisations/new",
		"/ui/organisations/" + string(w.SRE.ID), "/ui/persons", "/ui/persons/new", "/ui/persons/" + string(w.Sophie.ID),
		"/ui/security-officers/new", "/ui/clearances/new", "/ui/authorities", "/ui/authorities/new", "/ui/delegations/new", "/ui/places",
		"/ui/terminals", "/ui/channels", "/ui/channels/new", "/ui/equivalence", "/ui/equivalence/new",
		"/ui/audit/inclusion", "/ui/audit/consistency", "/ui/audit/erase", "/ui/account", "/ui/account/sessions", "/ui/account/tokens",
		"/ui/account/tokens/new", "/ui/audit",
		// Issue 18 §0: the registers one can read.
		"/ui/dossiers", "/ui/grants", "/ui/clearances", "/ui/delegations", "/ui/delegations/" + string(w.Delegation.ID)} {
		for _, lang := range []struct{ code, unclassified string }{{"en", "UNCLASSIFIED"}, {"fr", unclassified}} {
			t.Run(lang.code+path, func(t *testing.T) {
				helene.get("/lang/" + lang.code + "?next=/ui/")
				wantPage(t, helene.get(path), http.StatusOK, "UNCLASSIFIED", lang.unclassified)
			})
		}
	}
	// Issue 18 §0: the forms the NSA officer may not use are offered to those who may.
	for _, c := range []struct{ login, path string }{{"director", "/ui/pieces/new"}, {"director", "/ui/dossiers/new"},
		{"director", "/ui/grants/new"}, {"anne", "/ui/places/new"}, {"anne", "/ui/terminals/new"}, {"anne", "/ui/grants/new"}} {
		t.Run(c.login+c.path, func(t *testing.T) {
			wantPage(t, e.as(c.login, w.ZoneTerm.ID).get(c.path), http.StatusOK, "UNCLASSIFIED", unclassified)
		})
	}
	t.Run("the register of accounts, to an administrator", func(t *testing.T) {
		ada := e.as("ada", "")
		for _, path := range []string{"/ui/accounts", "/ui/accounts/new?person_id=" + string(w.Nina.ID)} {
			wantPage(t, ada.get(path), http.StatusOK, "UNCLASSIFIED", unclassified)
		}
		p := helene.get("/ui/accounts")
		wantPage(t, p, http.StatusForbidden, "UNCLASSIFIED", unclassified)
		if !strings.Contains(p.body, `id="problem-rule">AUTH.ADMIN<`) {
			t.Errorf("no rule on the refusal:\n%s", p.body)
		}
	})
	for _, lang := range []string{"en", "fr"} {
		t.Run("in "+lang+" every form field has a label", func(t *testing.T) {
			helene.get("/lang/" + lang + "?next=/ui/")
			for _, path := range []string{"/ui/pieces/new", "/ui/persons/new", "/ui/equivalence/new", "/ui/account/tokens/new"} {
				p := helene.get(path)
				for _, id := range regexp.MustCompile(`<(?:input|select|textarea) (?:type="[a-z]+" )?id="([^"]+)"`).FindAllStringSubmatch(p.body, -1) {
					if !strings.Contains(p.body, `<label for="`+id[1]+`">`) {
						t.Errorf("%s: input %s has no label", path, id[1])
					}
				}
			}
		})
	}
	t.Run("A20.1 a register kept by the NSA refuses others with the rule", func(t *testing.T) {
		p := e.as("lea", w.OfficeTerm.ID).get("/ui/persons")
		wantPage(t, p, http.StatusForbidden, "UNCLASSIFIED", unclassified)
		if !strings.Contains(p.body, `id="problem-rule">A20.1<`) {
			t.Errorf("no rule on the refusal:\n%s", p.body)
		}
	})
	t.Run("register an organisation", func(t *testing.T) {
		helene.get("/ui/organisations/new")
		p := helene.post("/ui/organisations", url.Values{"name": {"Cour administrative"}, "kind": {"public_body"}, "country": {"LU"}})
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/ui/organisations/org_") {
			t.Fatalf("register organisation: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
		}
		p = helene.get(p.header.Get("Location"))
		wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
		if !strings.Contains(p.body, "Cour administrative") || !strings.Contains(p.body, `id="notice"`) {
			t.Errorf("the new organisation's page lacks its name or the confirmation")
		}
	})
	t.Run("a refused form is shown again with what was typed and the problem", func(t *testing.T) {
		helene.get("/ui/organisations/new")
		p := helene.post("/ui/organisations", url.Values{"name": {"Sans pays"}, "kind": {"company"}, "country": {"Luxembourg"}})
		wantPage(t, p, http.StatusBadRequest, "UNCLASSIFIED", unclassified)
		if !strings.Contains(p.body, `value="Sans pays"`) || !strings.Contains(p.body, `id="problem"`) || !strings.Contains(p.body, `<option value="company" selected>`) {
			t.Errorf("the form is not shown again:\n%s", p.body)
		}
	})
	t.Run("A5.3 classify from the form, then read the piece", func(t *testing.T) {
		director := e.as("director", w.ZoneTerm.ID)
		director.get("/ui/pieces/new")
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range map[string]string{"csrf": director.csrf(), "authority": string(w.DirectorAuth.ID), "title": "Note de synthèse TEMPÊTE",
			"kind": "electronic", "level": "SECRET", "reasons": "a", "review_on": e.now().AddDate(1, 0, 0).Format(time.DateOnly)} {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", "note.txt")
		fw.Write([]byte("Synthèse SECRET du réseau TEMPÊTE.\n"))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/ui/pieces", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		p := director.do(req)
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/ui/pieces/pce_") {
			t.Fatalf("classify: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
		}
		loc := p.header.Get("Location")
		p = director.get(loc)
		wantPage(t, p, http.StatusOK, "SECRET", "SECRET LUX")
		// A7.1: a file that cannot be stamped is refused by default (its organisation has not chosen to wrap it):
		// the page says so and offers no download.
		if strings.Contains(p.body, `id="download"`) || !strings.Contains(p.body, `id="problem-rule">A7.1<`) {
			t.Errorf("a file sent as application/octet-stream is offered for download, or its refusal not told:\n%s", p.body)
		}
		if got := director.get(strings.TrimSuffix(loc, "?ok=classified") + "/content"); got.status != http.StatusForbidden || !strings.Contains(got.body, `id="problem-rule">A7.1<`) {
			t.Errorf("content read back: %d %.300q", got.status, got.body)
		}
	})
	t.Run("A3.1 a classification without reasons is refused on the form, under the banner of the level chosen", func(t *testing.T) {
		director := e.as("director", w.ZoneTerm.ID)
		director.get("/ui/pieces/new")
		p := director.post("/ui/pieces", url.Values{"authority": {string(w.DirectorAuth.ID)}, "title": {"Sans motif"}, "kind": {"electronic"},
			"level": {"TOP_SECRET"}, "review_on": {e.now().AddDate(1, 0, 0).Format(time.DateOnly)}, "text": {"texte très secret"}})
		wantPage(t, p, http.StatusForbidden, "TOP_SECRET", "TRES SECRET LUX")
		if !strings.Contains(p.body, `id="problem-rule">A3.1<`) || strings.Contains(p.body, "texte très secret") {
			t.Errorf("refused classification:\n%s", p.body)
		}
	})
	t.Run("create and revoke an API token", func(t *testing.T) {
		helene.get("/ui/account/tokens/new")
		p := helene.post("/ui/account/tokens", url.Values{"label": {"script"}, "days": {"7"}, "scopes": {"read"}})
		wantPage(t, p, http.StatusCreated, "UNCLASSIFIED", unclassified)
		secret := regexp.MustCompile(`id="token-secret"><code>(cleared_[a-z0-9_]+)</code>`).FindStringSubmatch(p.body)
		if secret == nil {
			t.Fatalf("no secret shown:\n%s", p.body)
		}
		if _, _, err := e.auth.Authenticate(context.Background(), secret[1]); err != nil {
			t.Errorf("the new token does not authenticate: %v", err)
		}
		p = helene.get("/ui/account/tokens")
		m := regexp.MustCompile(`<form method="post" action="(/ui/account/tokens/tok_[a-z0-9]+/revoke)"`).FindAllStringSubmatch(p.body, -1)
		if len(m) == 0 {
			t.Fatalf("no revoke button")
		}
		for _, x := range m {
			if p := helene.post(x[1], nil); p.status != http.StatusSeeOther {
				t.Errorf("revoke: %d", p.status)
			}
		}
		if _, _, err := e.auth.Authenticate(context.Background(), secret[1]); err == nil {
			t.Errorf("the revoked token still authenticates")
		}
	})
}

// uiRoute reports whether a pattern New registers is a page of the web UI (or its style sheet), which
// openapi.json does not describe.
func uiRoute(pattern string) bool {
	_, path, _ := strings.Cut(pattern, " ")
	for _, prefix := range []string{"/ui/", "/login", "/logout", "/static/", "/lang/"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return path == "/{$}"
}

func TestUI_ClassifyBodyLimit(t *testing.T) {
	e := newUIEnv(t)
	director := e.as("director", e.world.ZoneTerm.ID)
	director.get("/ui/pieces/new")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", director.csrf())
	mw.WriteField("title", "Trop gros")
	fw, _ := mw.CreateFormFile("file", "big.bin")
	fw.Write(bytes.Repeat([]byte{'x'}, 34<<20))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/ui/pieces", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	p := director.do(req)
	if p.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 34 MiB form answers %d", p.status)
	}
	wantPage(t, p, http.StatusRequestEntityTooLarge, "UNCLASSIFIED", unclassified)
}

// TestUI_Forms submits each form of the registers once, as the person who keeps that register, and follows it to
// the page that shows the result.
func TestUI_Forms(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	day := func(months int) string { return e.now().AddDate(0, months, 0).Format(time.DateOnly) }
	helene := e.as("helene", w.ZoneTerm.ID)
	anne := e.as("anne", w.ZoneTerm.ID)
	director := e.as("director", w.ZoneTerm.ID)
	ada := e.as("ada", "")
	if _, err := e.svc.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	newcomer, err := e.svc.RegisterPerson(context.Background(), cleared.Actor{Person: w.Helene.ID},
		registry.NewPerson{OrganisationID: w.SRE.ID, Name: "Marie Faber"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		b        *browser
		form     string // the page of the form, for its token
		action   string
		values   url.Values
		location string // prefix of where success leads
		status   int    // when the answer is a page (201), not a redirection
	}{
		{"person", helene, "/ui/persons/new", "/ui/persons", url.Values{"organisation_id": {string(w.SRE.ID)}, "name": {"Eva Lang"}, "roles": {"auditor"}}, "/ui/persons/per_", 0},
		{"A2.2 officer", helene, "/ui/security-officers/new", "/ui/security-officers", url.Values{"organisation_id": {string(w.SRE.ID)},
			"person_id": {string(w.Sophie.ID)}, "designated_by": {"Directrice du SRE"}}, "/ui/persons/" + string(w.Sophie.ID) + "?ok=officer", 0},
		{"clearance", helene, "/ui/clearances/new", "/ui/clearances", url.Values{"holder_kind": {"person"}, "person_id": {string(w.Nina.ID)},
			"level": {"RESTRICTED"}, "issued": {day(-1)}, "reference": {"ANS-PSC-2026-0999"}}, "/ui/persons/" + string(w.Nina.ID), 0},
		{"facility clearance", helene, "/ui/clearances/new", "/ui/clearances", url.Values{"holder_kind": {"facility"}, "organisation_id": {string(w.Company.ID)},
			"level": {"SECRET"}, "issued": {day(-1)}, "reference": {"ANS-FSC-2026-0001"}}, "/ui/organisations/" + string(w.Company.ID), 0},
		{"authority", helene, "/ui/authorities/new", "/ui/authorities", url.Values{"person_id": {string(w.Anne.ID)}, "kind": {"delegate"},
			"title": {"Cheffe de la sécurité, SRE"}}, "/ui/authorities?ok=authority", 0},
		{"delegation", director, "/ui/delegations/new", "/ui/delegations", url.Values{"principal": {string(w.DirectorAuth.ID)},
			"delegate": {string(w.PaulAuth.ID)}, "until": {day(3)}, "reference": {"Décision SRE/DIR/2026-2"}}, "/ui/authorities?ok=delegation", 0},
		{"A9.2 place", anne, "/ui/places/new", "/ui/places", url.Values{"organisation_id": {string(w.SRE.ID)}, "name": {"Salle C1"},
			"accredited_level": {"TOP_SECRET"}, "security_zone": {"1"}}, "/ui/places?ok=place", 0},
		{"A9.2 terminal", anne, "/ui/terminals/new", "/ui/terminals", url.Values{"place": {string(w.Office.ID)}, "name": {"314-WS03"},
			"accredited_level": {"CONFIDENTIAL"}}, "/ui/terminals?ok=terminal", 0},
		{"A9.2 terminal revoked", anne, "/ui/terminals", "/ui/terminals/" + string(w.OfficeTerm.ID) + "/revoke", url.Values{}, "/ui/terminals?ok=terminal_revoked", 0},
		{"A11.1 channel", helene, "/ui/channels/new", "/ui/channels", url.Values{"name": {"Réseau ORION"}, "max_level": {"SECRET"},
			"crypto_product": {"ECHELON-7"}, "until": {day(12)}}, "/ui/channels?ok=channel", 0},
		{"A6.1 equivalence", helene, "/ui/equivalence/new", "/ui/equivalence", url.Values{"note": {"Ajout FR"}, "m.NATO.SECRET": {"NATO SECRET"},
			"m.NATO.TOP_SECRET": {"COSMIC TOP SECRET"}, "new_scheme": {"FR"}, "m._new.SECRET": {"SECRET (FR)"}}, "/ui/equivalence?ok=equivalence", 0},
		{"A4.2 dossier", director, "/ui/dossiers/new", "/ui/dossiers", url.Values{"authority": {string(w.DirectorAuth.ID)}, "title": {"Dossier NUAGE"},
			"level": {"SECRET"}}, "/ui/pieces/new?dossier=dos_", 0},
		{"organisation", helene, "/ui/organisations/new", "/ui/organisations", url.Values{"name": {"Partenaire"}, "kind": {"foreign_partner"}, "country": {"BE"}},
			"/ui/organisations/org_", 0},
		{"account", ada, "/ui/accounts/new", "/ui/accounts", url.Values{"person_id": {string(newcomer.ID)}, "login": {"marie"},
			"password": {"une phrase de passe assez longue"}}, "", http.StatusCreated},
		{"unlock", ada, "/ui/accounts", "/ui/accounts/", nil, "/ui/accounts?ok=unlocked", 0},
		{"A23.2 erase an audit payload", helene, "/ui/audit/erase", "/ui/audit/erase", url.Values{"seq": {"3"}, "reason": {"A23.2 : délai échu"}}, "/ui/audit?ok=erased", 0},
		{"password", ada, "/ui/account", "/ui/account/password", url.Values{"old": {w.Login("ada").Password}, "new": {"une autre phrase de passe"},
			"repeat": {"une autre phrase de passe"}}, "/ui/account?ok=password", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.b.get(tc.form)
			action := tc.action
			if tc.name == "unlock" {
				m := regexp.MustCompile(`action="(/ui/accounts/acc_[a-z0-9]+/unlock)"`).FindStringSubmatch(tc.b.last.body)
				if m == nil {
					t.Fatalf("no unlock button:\n%s", tc.b.last.body)
				}
				action = m[1]
			}
			p := tc.b.post(action, tc.values)
			if tc.status != 0 {
				wantPage(t, p, tc.status, "UNCLASSIFIED", unclassified)
				return
			}
			if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), tc.location) {
				t.Fatalf("%s answers %d %s\n%s", action, p.status, p.header.Get("Location"), p.body)
			}
			wantPage(t, tc.b.get(p.header.Get("Location")), http.StatusOK, "UNCLASSIFIED", unclassified)
			if !strings.Contains(tc.b.last.body, `id="notice"`) {
				t.Errorf("no confirmation on %s", p.header.Get("Location"))
			}
		})
	}
	t.Run("audit proofs", func(t *testing.T) {
		p := helene.get("/ui/audit")
		size := regexp.MustCompile(`id="checkpoint-size">([0-9]+)<`).FindStringSubmatch(p.body)
		if size == nil {
			t.Fatalf("no checkpoint:\n%s", p.body)
		}
		p = helene.get("/ui/audit/inclusion?seq=1&size=" + size[1])
		wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
		if !strings.Contains(p.body, `id="proof"`) {
			t.Errorf("no inclusion proof:\n%s", p.body)
		}
		p = helene.get("/ui/audit/consistency?from=2&to=" + size[1])
		wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
		p = helene.get("/ui/audit/inclusion?seq=x&size=" + size[1])
		wantPage(t, p, http.StatusBadRequest, "UNCLASSIFIED", unclassified)
		if !strings.Contains(p.body, `value="x"`) {
			t.Errorf("the proof form does not show again what was typed")
		}
	})
	t.Run("sessions: end another one, then the current one", func(t *testing.T) {
		other := e.as("anne", w.ZoneTerm.ID)
		p := anne.get("/ui/account/sessions")
		m := regexp.MustCompile(`action="(/ui/account/sessions/ses_[a-z0-9]+/revoke)"`).FindAllStringSubmatch(p.body, -1)
		if len(m) == 0 || !strings.Contains(p.body, "session actuelle") {
			t.Fatalf("sessions page:\n%s", p.body)
		}
		for _, x := range m {
			anne.post(x[1], nil)
		}
		if p := other.get("/ui/"); p.status != http.StatusSeeOther {
			t.Errorf("the ended session still works: %d", p.status)
		}
		if p := anne.get("/ui/"); p.status != http.StatusOK {
			t.Errorf("the current session was ended: %d", p.status)
		}
	})
}

func TestUI_LoginFromAnotherSiteIsRefused(t *testing.T) {
	e := newUIEnv(t)
	form := url.Values{"login": {"tom"}, "password": {e.world.Login("tom").Password}}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	b := e.browser()
	p := b.do(req)
	wantPage(t, p, http.StatusForbidden, "UNCLASSIFIED", unclassified)
	if len(b.client.Jar.Cookies(mustURL(e.srv.URL))) != 0 {
		t.Errorf("a sign-in posted from another site opened a session")
	}
}

// TestUI_SecurityKeys checks the server's side of the security key pages; the ceremony itself needs a browser and
// a key (the browser tests use Chromium's virtual authenticator).
func TestUI_SecurityKeys(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	anne := e.as("anne", w.ZoneTerm.ID)
	p := anne.get("/ui/account/keys")
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !webauthnScript.MatchString(p.body) || !strings.Contains(p.body, `data-webauthn="create"`) || !strings.Contains(p.body, "<noscript>") {
		t.Errorf("the keys page lacks its script or form:\n%s", p.body)
	}
	t.Run("begin answers the options of navigator.credentials.create", func(t *testing.T) {
		begin := anne.post("/ui/account/keys/begin", nil)
		if begin.status != http.StatusOK || begin.header.Get("Content-Type") != "application/json" || !strings.Contains(begin.body, `"challenge"`) {
			t.Errorf("begin: %d %s %s", begin.status, begin.header.Get("Content-Type"), begin.body)
		}
	})
	t.Run("begin needs the session's token", func(t *testing.T) {
		if p := anne.post("/ui/account/keys/begin", url.Values{"csrf": {"forged"}}); p.status != http.StatusForbidden {
			t.Errorf("begin with a forged token: %d", p.status)
		}
	})
	t.Run("a wrong answer is refused on the page, and registers nothing", func(t *testing.T) {
		anne.get("/ui/account/keys")
		anne.post("/ui/account/keys/begin", nil)
		p := anne.post("/ui/account/keys", url.Values{"name": {"clé"}, "answer": {`{"id":"x"}`}})
		wantPage(t, p, http.StatusBadRequest, "UNCLASSIFIED", unclassified)
		if !strings.Contains(p.body, `id="problem"`) || !strings.Contains(p.body, `id="empty"`) {
			t.Errorf("refused key:\n%s", p.body)
		}
	})
	t.Run("one removes one's own key, not another's", func(t *testing.T) {
		accOf := func(p cleared.PersonID) cleared.AccountID {
			var id cleared.AccountID
			if err := e.st.View(context.Background(), func(tx store.Tx) error {
				a, err := tx.AccountByPerson(p)
				id = a.ID
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return id
		}
		mine := cleared.WebAuthnCredential{ID: []byte("anne's key"), AccountID: accOf(w.Anne.ID), Name: "clé d'Anne", Data: []byte("{}"), Created: e.now()}
		maxs := cleared.WebAuthnCredential{ID: []byte("max's key"), AccountID: accOf(w.Max.ID), Name: "clé de Max", Data: []byte("{}"), Created: e.now()}
		if err := e.st.Update(context.Background(), func(tx store.Tx) error {
			return errors.Join(tx.CreateWebAuthnCredential(mine), tx.CreateWebAuthnCredential(maxs))
		}); err != nil {
			t.Fatal(err)
		}
		p := anne.get("/ui/account/keys")
		ref := base64.RawURLEncoding.EncodeToString(mine.ID)
		if !strings.Contains(p.body, "clé d&#39;Anne") || !strings.Contains(p.body, `value="`+ref+`"`) {
			t.Fatalf("the keys page does not list Anne's key with its removal form:\n%s", p.body)
		}
		if p := anne.post("/ui/account/keys/remove", url.Values{"key": {ref}, "csrf": {"forged"}}); p.status != http.StatusForbidden {
			t.Errorf("removal with a forged token: %d", p.status)
		}
		if p := anne.post("/ui/account/keys/remove", url.Values{"key": {base64.RawURLEncoding.EncodeToString(maxs.ID)}}); p.status != http.StatusNotFound {
			t.Errorf("Anne removes Max's key: %d", p.status)
		}
		p = anne.post("/ui/account/keys/remove", url.Values{"key": {ref}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/account/keys?ok=key_removed" {
			t.Fatalf("removal: %d to %q", p.status, p.header.Get("Location"))
		}
		if p := anne.get("/ui/account/keys"); strings.Contains(p.body, "clé d&#39;Anne") {
			t.Errorf("the removed key is still listed")
		}
		ks, err := e.auth.SecurityKeys(context.Background(), cleared.Actor{Person: w.Max.ID})
		if err != nil || len(ks) != 1 {
			t.Errorf("Max's keys after Anne's attempt: %v %v", ks, err)
		}
	})
	t.Run("the second-factor page offers a key; without one the key sign-in is refused and the code still works", func(t *testing.T) {
		b := e.browser()
		b.get("/login")
		p := b.post("/login", url.Values{"login": {"tom"}, "password": {w.Login("tom").Password}, "terminal": {string(w.MinistryTerm.ID)}})
		p = b.get(p.header.Get("Location"))
		wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
		if !strings.Contains(p.body, `data-webauthn="get"`) {
			t.Errorf("no key form on the second-factor page")
		}
		if p := b.post("/login/key/begin", nil); p.status != http.StatusConflict {
			t.Errorf("key sign-in without a key: %d", p.status)
		}
		b.get("/login/second-factor")
		if p := b.post("/login/key", url.Values{"answer": {"{}"}}); p.status != http.StatusUnauthorized || !strings.Contains(p.body, "La clé de sécurité a été refusée.") {
			t.Errorf("a wrong key answer: %d\n%s", p.status, p.body)
		}
	})
}
