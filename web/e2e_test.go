//go:build e2e

package web_test

// Browser tests: the web UI driven by a real headless Chromium through chromedp, over the real handler and a fresh
// demo world. They sit behind the build tag e2e, since they need a browser:
//
//	go test -tags e2e -count=1 -run TestBrowser ./web/...
//
// With -update-screenshots they also save full-page screenshots of the main pages into docs/screenshots:
//
//	go test -tags e2e -count=1 -run TestBrowser ./web/... -update-screenshots
//
// Chromium is /usr/bin/chromium when it exists, else whatever chromedp finds on the PATH; without one the tests fail
// (they do not skip: CI installs it). Each test has its own browser and its own server, and 30 seconds in all.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
	"github.com/cleared/cleared/web"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "save full-page screenshots of the main pages into docs/screenshots")

const (
	// e2eTimeout bounds a whole browser test, browser start included, so that a hang fails fast.
	e2eTimeout = 30 * time.Second
	// e2eChromium is Debian's Chromium; elsewhere chromedp looks for a browser on the PATH.
	e2eChromium = "/usr/bin/chromium"
	// e2eScreenshots is docs/screenshots, seen from this package's directory (where go test runs).
	e2eScreenshots = "../docs/screenshots"
	// e2eWidth and e2eHeight are the browser window: the screenshots are this wide, and as tall as the page.
	e2eWidth, e2eHeight = 1280, 800
	// e2eTopSecretText is a line of the demo's TOP SECRET piece (internal/demo).
	e2eTopSecretText = "sources humaines et techniques sur le réseau ORAGE"
)

// e2eEnv is the web UI of a fresh demo world in demonstration mode (the sign-in form chooses the terminal), served
// on a real port as http://localhost:PORT, which browsers treat as a secure origin. Like newUIEnv, its service clock
// can move on by a TOTP step, so that one login can sign in twice in a test: a code is accepted once.
type e2eEnv struct {
	t     *testing.T
	base  string // http://localhost:PORT
	svc   *registry.Service
	auth  *auth.Service
	world *demo.World
	logs  *e2eLog
	// vet and store act for the parts of the procedure a test does not walk through the UI (issue 20).
	vet   *vetting.Service
	store store.Store
	te    *testenv.Env // the store and services beneath, for the stages other helpers' pages set (issue 20)

	mu     sync.Mutex
	offset time.Duration
}

func (e *e2eEnv) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return time.Now().Add(e.offset)
}

// tick moves the service clock to the next TOTP step.
func (e *e2eEnv) tick() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.offset += 31 * time.Second
}

// e2eLog keeps the server's log, shown when a test fails.
type e2eLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *e2eLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *e2eLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newE2EEnv(t *testing.T) *e2eEnv {
	t.Helper()
	return newE2EEnvWith(t, nil)
}

// newE2EEnvWith is newE2EEnv, offering sign-in through idp when it is not nil: the sign-in page shows its link,
// and idp's one registered redirection URL is this server's callback.
func newE2EEnvWith(t *testing.T, idp *testIdP) *e2eEnv {
	t.Helper()
	ctx := context.Background()
	e := &e2eEnv{t: t, logs: &e2eLog{}}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	te := testenv.New(t, testenv.Options{Log: log, Now: e.now})
	st := te.Store
	e.svc, e.auth, e.world, e.vet, e.store, e.te = te.Reg, te.Auth, te.World, te.Vet, te.Store, te
	var err error
	// The server's address is known before it serves, so that the provider can be told where to send browsers back.
	srv := httptest.NewUnstartedServer(nil)
	e.base = fmt.Sprintf("http://localhost:%d", srv.Listener.Addr().(*net.TCPAddr).Port)
	cfg := web.Config{Registry: e.svc, Auth: e.auth, Vetting: te.Vet, Sharing: te.Share, Ready: st.Ping, Log: log, DemoTerminals: true}
	if idp != nil {
		idp.redirect = e.base + web.OIDCCallbackPath
		if cfg.OIDC, err = web.NewOIDC(ctx, web.OIDCConfig{Issuer: idp.issuerURL(), ClientID: idp.clientID,
			ClientSecret: idp.secret, Name: idpName, RedirectURL: idp.redirect}); err != nil {
			t.Fatalf("identity provider: %v", err)
		}
	}
	srv.Config.Handler = web.New(cfg)
	srv.Start()
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", e.logs)
		}
	})
	return e
}

// e2eTab is one browser, with its own profile (cookies), showing one tab.
type e2eTab struct {
	t   *testing.T
	e   *e2eEnv
	ctx context.Context
}

// newBrowser starts a headless Chromium for the test, in English (Accept-Language), bounded by e2eTimeout.
func (e *e2eEnv) newBrowser() *e2eTab {
	t := e.t
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.WindowSize(e2eWidth, e2eHeight),
		chromedp.Flag("accept-lang", "en-GB,en"),
	)
	execPath := "found by chromedp on the PATH"
	if _, err := os.Stat(e2eChromium); err == nil {
		opts = append(opts, chromedp.ExecPath(e2eChromium))
		execPath = e2eChromium
	}
	// The deadline covers the browser's whole life: it is killed when the test's time is up.
	ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("cannot start Chromium (%s): %v\nThe browser tests need Chromium or Chrome: install it (Debian: apt-get install chromium) or put it on the PATH.", execPath, err)
	}
	return &e2eTab{t: t, e: e, ctx: bctx}
}

func (b *e2eTab) fatal(what string, err error) {
	b.t.Helper()
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a page of the site, following redirections, and returns the final answer's status.
func (b *e2eTab) open(path string) int64 {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.e.base+path))
	b.fatal("open "+path, err)
	return res.Status
}

// click clicks the element with the id, waits for the page it leads to, and returns that page's status.
func (b *e2eTab) click(id string) int64 {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.ID(id), chromedp.NodeVisible))
	b.fatal("click #"+id, err)
	return res.Status
}

// typeIn types text into the field with the id, as a user does, after emptying it.
func (b *e2eTab) typeIn(id, text string) {
	b.t.Helper()
	b.fatal("type in #"+id, chromedp.Do(b.ctx, chromedp.Clear(chromedp.ID(id)), chromedp.SendKeys(chromedp.ID(id), text, chromedp.NodeVisible)))
}

// choose selects the option with the value in the <select> with the id, and checks that it is offered.
func (b *e2eTab) choose(id, value string) {
	b.t.Helper()
	if n := b.count(fmt.Sprintf("#%s option[value=%q]", id, value)); n != 1 {
		b.t.Fatalf("#%s offers %d options of value %q, want 1", id, n, value)
	}
	b.fatal("choose in #"+id, chromedp.Do(b.ctx, chromedp.SetValue(chromedp.ID(id), value)))
	if got, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID(id))); err != nil || got != value {
		b.t.Fatalf("#%s holds %q (%v), want %q", id, got, err, value)
	}
}

// text is the text the user sees in the element with the id (innerText, trimmed).
func (b *e2eTab) text(id string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.ID(id)))
	b.fatal("text of #"+id, err)
	return strings.TrimSpace(s)
}

// textOf is text for a CSS selector (its first match).
func (b *e2eTab) textOf(css string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(css)))
	b.fatal("text of "+css, err)
	return strings.TrimSpace(s)
}

// count is how many elements match the CSS selector now (it does not wait for any).
func (b *e2eTab) count(css string) int {
	b.t.Helper()
	nodes, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSSAll(css), chromedp.AtLeast(0)))
	b.fatal("find "+css, err)
	return len(nodes)
}

// attr is an attribute of the element with the id ("" without it).
func (b *e2eTab) attr(id, name string) string {
	b.t.Helper()
	m, err := chromedp.Run(b.ctx, chromedp.Attributes(chromedp.ID(id)))
	b.fatal("attributes of #"+id, err)
	return m[name]
}

// location is the path and query of the page shown.
func (b *e2eTab) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	b.fatal("location", err)
	u, err := url.Parse(loc)
	b.fatal("location "+loc, err)
	if got := u.Scheme + "://" + u.Host; got != b.e.base {
		b.t.Fatalf("the browser left the site: %s", loc)
	}
	return u.RequestURI()
}

// pageText is all the text the page shows.
func (b *e2eTab) pageText() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("body")))
	// The body found may belong to a document the browser is replacing as it is read (CDP's "No node with given
	// id"): read the new one, a few times at most.
	for i := 0; i < 5 && err != nil && strings.Contains(err.Error(), "No node with given id"); i++ {
		time.Sleep(50 * time.Millisecond)
		s, err = chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("body")))
	}
	b.fatal("text of the page", err)
	return s
}

// wantAt fails the test unless the page shown is path (its query aside).
func (b *e2eTab) wantAt(path string) {
	b.t.Helper()
	if loc := b.location(); strings.SplitN(loc, "?", 2)[0] != path {
		b.t.Fatalf("the browser shows %s, want %s", loc, path)
	}
}

// wantBanners checks A7.1 as a reader sees it: exactly two banners (class banner), the first at the very top of
// the page and the last at its very bottom, both reading marking, for level (data-level).
func (b *e2eTab) wantBanners(level, marking string) {
	b.t.Helper()
	banners, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSSAll(".banner"), chromedp.AtLeast(0)))
	b.fatal("find the banners", err)
	if len(banners) != 2 || banners[0].AttributeValue("id") != "banner-top" || banners[1].AttributeValue("id") != "banner-bottom" {
		ids := []string{}
		for _, n := range banners {
			ids = append(ids, n.AttributeValue("id"))
		}
		b.t.Fatalf("A7.1: the page has banners %q, want banner-top and banner-bottom", ids)
	}
	for _, id := range []string{"banner-top", "banner-bottom"} {
		if got := b.text(id); got != marking {
			b.t.Errorf("A7.1: #%s reads %q, want %q", id, got, marking)
		}
		if got := b.attr(id, "data-level"); got != level {
			b.t.Errorf("A7.1: #%s is for level %q, want %q", id, got, level)
		}
	}
	// Where they are drawn: the top one at y=0, the bottom one ending where the document ends.
	geo, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]float64](`(() => {
		const t = document.getElementById("banner-top").getBoundingClientRect();
		const b = document.getElementById("banner-bottom").getBoundingClientRect();
		return [t.top + window.scrollY, t.height, b.bottom + window.scrollY, b.height, document.documentElement.scrollHeight];
	})()`))
	b.fatal("banner geometry", err)
	if top, height := geo[0], geo[1]; top > 1 || height < 10 {
		b.t.Errorf("A7.1: the top banner is drawn at y=%.0f, %.0f px high: not at the top of the page", top, height)
	}
	if bottom, height, doc := geo[2], geo[3], geo[4]; doc-bottom > 1 || height < 10 {
		b.t.Errorf("A7.1: the bottom banner ends at y=%.0f, %.0f px high, the page at %.0f: not at the bottom", bottom, height, doc)
	}
}

// shot saves a full-page PNG screenshot as docs/screenshots/name, with -update-screenshots only.
func (b *e2eTab) shot(name string) {
	b.t.Helper()
	if !*updateScreenshots {
		return
	}
	// FullScreenshot makes a PNG at quality 100 only: any other quality is a JPEG.
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	b.fatal("screenshot "+name, err)
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		b.t.Fatalf("screenshot %s is not a PNG", name)
	}
	b.fatal("screenshot dir", os.MkdirAll(e2eScreenshots, 0o755))
	b.fatal("save screenshot", os.WriteFile(filepath.Join(e2eScreenshots, name), png, 0o644))
	b.t.Logf("saved %s (%d KiB)", filepath.Join("docs/screenshots", name), len(png)/1024)
}

// signIn signs login in at the terminal through both steps of the sign-in form, as a user does, and checks that
// it lands on the dashboard.
func (b *e2eTab) signIn(login string, terminal cleared.TerminalID) {
	b.t.Helper()
	b.passwordStep(login, terminal)
	b.e.tick() // a code is accepted once: each sign-in of a test is in a TOTP step of its own
	b.typeIn("f-code", b.code(login))
	if status := b.click("submit"); status != http.StatusOK {
		b.t.Fatalf("second factor of %s: status %d", login, status)
	}
	b.wantAt("/ui/")
}

// passwordStep fills the first sign-in page (login, password, demo terminal) and checks that it asks for the code.
func (b *e2eTab) passwordStep(login string, terminal cleared.TerminalID) {
	b.t.Helper()
	b.open("/login")
	b.typeIn("f-login", login)
	b.typeIn("f-password", demo.Password(login))
	b.choose("f-terminal", string(terminal))
	if status := b.click("submit"); status != http.StatusOK {
		b.t.Fatalf("sign in %s: status %d\n%s", login, status, b.pageText())
	}
	b.wantAt("/login/second-factor")
}

// code is login's TOTP code now, on the service's clock.
func (b *e2eTab) code(login string) string {
	b.t.Helper()
	c, err := account.TOTPCode(demo.TOTPSecret(login), b.e.now())
	b.fatal("TOTP code", err)
	return c
}

// wrongCode is a six-digit code that none of the steps the service accepts now (one either side) has.
func (b *e2eTab) wrongCode(login string) string {
	b.t.Helper()
	taken := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := account.TOTPCode(demo.TOTPSecret(login), b.e.now().Add(d))
		b.fatal("TOTP code", err)
		taken[c] = true
	}
	for i := 0; ; i++ {
		if c := fmt.Sprintf("%06d", i*111111%1000000); !taken[c] {
			return c
		}
	}
}

// e2eCatalog is a message of the UI's catalogue for lang (web/locale), so that the tests follow its wording.
func e2eCatalog(t *testing.T, lang, key string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("locale", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var cat map[string]string
	if err := json.Unmarshal(b, &cat); err != nil {
		t.Fatalf("locale/%s.json: %v", lang, err)
	}
	msg, ok := cat[key]
	if !ok {
		t.Fatalf("locale/%s.json has no %q", lang, key)
	}
	return msg
}

func TestBrowserLogin(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	b := e.newBrowser()
	en := func(key string) string { return e2eCatalog(t, "en", key) }

	// Without a session, the site opens on the sign-in page.
	b.open("/")
	b.wantAt("/login")
	if got, want := b.text("page-title"), en("login.title"); got != want {
		t.Errorf("sign-in page heading %q, want %q", got, want)
	}
	if got := b.text("warning"); got != en("login.demo_warning") {
		t.Errorf("the demo sign-in page does not say it simulates the terminal: %q", got)
	}
	b.wantBanners("UNCLASSIFIED", "UNCLASSIFIED")
	b.shot("login.png")

	b.passwordStep("sophie", w.ZoneTerm.ID)
	if got, want := b.text("page-title"), en("login.code.title"); got != want {
		t.Errorf("second-factor page heading %q, want %q", got, want)
	}

	// A wrong code is refused on the same page, which says so.
	b.e.tick()
	b.typeIn("f-code", b.wrongCode("sophie"))
	if status := b.click("submit"); status != http.StatusUnauthorized {
		t.Errorf("a wrong code answers %d, want 401", status)
	}
	b.wantAt("/login/second-factor")
	if got, want := b.text("problem-title"), en("login.code.failed.title"); got != want {
		t.Errorf("wrong code: the error reads %q, want %q", got, want)
	}
	if got, want := b.text("login-restart"), en("login.restart"); got != want || b.attr("login-restart", "href") != "/login" {
		t.Errorf("wrong code: the link to start again reads %q to %q, want %q to /login", got, b.attr("login-restart", "href"), want)
	}
	if got, want := b.text("problem-message"), en("login.code.failed"); got != want {
		t.Errorf("wrong code: the message reads %q, want %q", got, want)
	}
	if got := b.attr("f-code", "value"); got != "" {
		t.Errorf("the code field keeps the wrong code %q", got)
	}

	// The right code leads to the dashboard: who one is, at which terminal.
	b.typeIn("f-code", b.code("sophie"))
	if status := b.click("submit"); status != http.StatusOK {
		t.Fatalf("the right code answers %d", status)
	}
	b.wantAt("/ui/")
	if got := b.text("page-title"); got != w.Sophie.Name {
		t.Errorf("dashboard heading %q, want %q", got, w.Sophie.Name)
	}
	if got := b.attr("nav-dashboard", "aria-current"); got != "page" {
		t.Errorf("the navigation does not mark the dashboard as the current page")
	}
	if got := b.text("me-name"); got != w.Sophie.Name {
		t.Errorf("the dashboard names %q, want %q", got, w.Sophie.Name)
	}
	if got := b.text("terminal-name"); got != w.ZoneTerm.Name {
		t.Errorf("the dashboard shows terminal %q, want %q", got, w.ZoneTerm.Name)
	}
	if b.count("#logout") != 1 {
		t.Errorf("the dashboard has no sign-out button")
	}
	b.wantBanners("UNCLASSIFIED", "UNCLASSIFIED")
	b.shot("dashboard.png")
}

// TestBrowserOIDC signs in through the organisation's identity provider (testIdP, in the test's process, which
// signs its person in without a page of its own and sends the browser straight back): the link on the sign-in
// page, the provider, then cleared's own second factor, as docs/accounts.md tells it. An identity linked to no
// account comes back to the sign-in page and its one refusal.
func TestBrowserOIDC(t *testing.T) {
	idp := newTestIdP(t)
	e := newE2EEnvWith(t, idp)
	w := e.world
	en := func(key string) string { return e2eCatalog(t, "en", key) }
	if _, err := e.auth.LinkOIDCAsOperator(context.Background(), "sophie",
		auth.OIDCIdentity{Issuer: idp.issuerURL(), Subject: "248289761001"}); err != nil {
		t.Fatalf("link sophie's account: %v", err)
	}
	idp.set(func(p *testIdP) { p.subject = "248289761001" })

	b := e.newBrowser()
	b.open("/login")
	if got, want := b.text("oidc-link"), strings.ReplaceAll(en("oidc.signin"), "%s", idpName); got != want {
		t.Errorf("the sign-in page's way to the provider reads %q, want %q", got, want)
	}
	b.wantBanners("UNCLASSIFIED", "UNCLASSIFIED")
	b.shot("login-oidc.png")

	// To the provider and back: the callback answers with the second-factor page itself (oidc.go says why).
	if status := b.click("oidc-link"); status != http.StatusOK {
		t.Fatalf("sign in through the provider: status %d\n%s", status, b.pageText())
	}
	b.wantAt(web.OIDCCallbackPath)
	if got, want := b.text("page-title"), en("login.code.title"); got != want {
		t.Fatalf("back from the provider the page is %q, want the second factor's %q\n%s", got, want, b.pageText())
	}
	// The provider's word is not enough: without the code, no page of the UI; the session waits for its code.
	b.open("/ui/")
	b.wantAt("/login")
	b.open("/login/second-factor")
	if got, want := b.text("page-title"), en("login.code.title"); got != want {
		t.Fatalf("the session opened through the provider no longer waits for its code: the page is %q", got)
	}
	b.e.tick()
	b.typeIn("f-code", b.code("sophie"))
	if status := b.click("submit"); status != http.StatusOK {
		t.Fatalf("second factor after the provider: status %d\n%s", status, b.pageText())
	}
	b.wantAt("/ui/")
	if got := b.text("me-name"); got != w.Sophie.Name {
		t.Errorf("signed in through the provider as %q, want %q", got, w.Sophie.Name)
	}
	b.wantBanners("UNCLASSIFIED", "UNCLASSIFIED")

	// An identity the provider vouches for, but that no account is linked to, is refused on the sign-in page.
	idp.set(func(p *testIdP) { p.subject = "31415926" })
	r := e.newBrowser()
	r.open("/login")
	if status := r.click("oidc-link"); status != http.StatusUnauthorized {
		t.Errorf("an identity linked to no account answers %d, want 401", status)
	}
	r.wantAt(web.OIDCCallbackPath)
	if got, want := r.text("page-title"), en("login.title"); got != want {
		t.Errorf("refused: the page is %q, want the sign-in page's %q", got, want)
	}
	if got, want := r.text("problem-title"), en("login.failed.title"); got != want {
		t.Errorf("refused: the error reads %q, want %q", got, want)
	}
	if got, want := r.text("problem-message"), en("oidc.failed"); got != want {
		t.Errorf("refused: the message reads %q, want %q", got, want)
	}
	if r.count("#f-password") != 1 || r.count("#oidc-link") != 1 {
		t.Errorf("refused: the sign-in page does not offer both ways in again")
	}
	r.open("/ui/")
	r.wantAt("/login")
}

func TestBrowserPiecesList(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	b := e.newBrowser()
	b.signIn("sophie", w.ZoneTerm.ID)

	b.click("nav-pieces")
	b.wantAt("/ui/pieces")
	// Sophie's need-to-know (internal/demo): grants on these pieces, and on the dossier BRUME (its two parts).
	mine := []cleared.Piece{w.TopSecret, w.Secret, w.Confidential, w.NATO, w.PartA, w.PartB}
	// Restricted is granted to Max, Léa and Tom only.
	hidden := []cleared.Piece{w.Restricted}
	highest := cleared.Unclassified
	for _, p := range mine {
		if got := b.textOf("#piece-" + string(p.ID) + " th a"); got != p.Title {
			t.Errorf("the row of %s reads %q, want %q", p.ID, got, p.Title)
		}
		highest = max(highest, p.Level)
	}
	if n := b.count("#piece-list tbody tr"); n != len(mine) {
		t.Errorf("the list has %d rows, want %d", n, len(mine))
	}
	list := b.text("piece-list")
	for _, p := range hidden {
		if b.count("#piece-"+string(p.ID)) != 0 || strings.Contains(list, p.Title) {
			t.Errorf("A9.1: the list shows %q, which sophie may not know", p.Title)
		}
	}
	// A7.1: the list is bannered by the highest level it shows.
	b.wantBanners(highest.String(), highest.Marking())
	b.shot("pieces.png")
}

// TestBrowserAgenda: the dashboard opens with what needs the user's action. Paul classified the CONFIDENTIEL
// piece, whose review falls due within 30 days (A3.2, internal/demo): the item names it and links to it.
func TestBrowserAgenda(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	b := e.newBrowser()
	b.signIn("paul", w.OfficeTerm.ID)
	b.wantAt("/ui/")
	if n := b.count(`#agenda-list [data-testid="agenda-item"][data-kind="review"]`); n != 1 {
		t.Fatalf("the agenda lists %d reviews, want 1 (the CONFIDENTIEL piece Paul classified)", n)
	}
	if got := b.textOf("#agenda-list"); !strings.Contains(got, w.Confidential.Title) || !strings.Contains(got, "A3.2") {
		t.Errorf("the agenda reads %q, want the piece's title and A3.2", got)
	}
	b.shot("agenda.png")
	b.click("agenda-review-" + string(w.Confidential.ID))
	b.wantAt("/ui/pieces/" + string(w.Confidential.ID))
	b.wantBanners(w.Confidential.Level.String(), w.Confidential.Marking())
}

func TestBrowserPieceBanner(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	b := e.newBrowser()
	b.signIn("sophie", w.ZoneTerm.ID)

	// From the list, as a user goes.
	b.click("nav-pieces")
	if status, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS("#piece-"+string(w.TopSecret.ID)+" th a"), chromedp.NodeVisible)); err != nil || status.Status != http.StatusOK {
		t.Fatalf("open the TOP SECRET piece from the list: %v", err)
	}
	b.wantAt("/ui/pieces/" + string(w.TopSecret.ID))
	p := w.TopSecret
	marking := p.Marking() // TRES SECRET LUX: the legal marking, the same in every language
	check := func(lang string) {
		t.Helper()
		if got := b.text("page-title"); got != p.Title {
			t.Errorf("%s: the piece page is titled %q, want %q", lang, got, p.Title)
		}
		b.wantBanners(p.Level.String(), marking)
		if got := b.textOf("#piece-marking strong"); got != marking {
			t.Errorf("%s: the piece's marking line reads %q, want %q", lang, got, marking)
		}
		if got, want := b.text("piece-level"), e2eCatalog(t, lang, "level.TOP_SECRET"); got != want {
			t.Errorf("%s: the level reads %q, want %q", lang, got, want)
		}
		if got := b.text("piece-content"); !strings.Contains(got, e2eTopSecretText) {
			t.Errorf("%s: A8.2: in the security zone the content should show, it reads %q", lang, got)
		}
		if b.count("#content-section #problem") != 0 {
			t.Errorf("%s: the content is refused in the security zone: %q", lang, b.text("problem"))
		}
	}
	check("en")
	b.shot("piece-top-secret.png")

	b.click("lang-fr")
	b.wantAt("/ui/pieces/" + string(w.TopSecret.ID))
	if got := b.attr("lang-fr", "aria-current"); got != "true" {
		t.Fatalf("the page is not in French after the switch (lang-fr aria-current=%q)", got)
	}
	check("fr")
}

func TestBrowserTopSecretRefusedOutsideZone(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	b := e.newBrowser()
	en := func(key string) string { return e2eCatalog(t, "en", key) }

	// refused opens the piece's page and checks that it shows the piece, with its banners, but in place of the
	// content a refusal naming rule; and in place of the title, the words that say it is withheld (A8.1, A8.2).
	refused := func(where string, p cleared.Piece, rule string) {
		t.Helper()
		if status := b.open("/ui/pieces/" + string(p.ID)); status != http.StatusOK {
			t.Errorf("%s: the page of %q answers %d", where, p.Title, status)
		}
		if got, want := b.text("page-title"), en("piece.title_withheld"); got != want {
			t.Errorf("%s: the page is titled %q, want %q", where, got, want)
		}
		if strings.Contains(b.pageText(), p.Title) {
			t.Errorf("%s: the title %q shows where the content may not", where, p.Title)
		}
		b.wantBanners(p.Level.String(), p.Marking())
		if b.count("#content-section #problem") != 1 {
			t.Errorf("%s: %q: no refusal where the content would be:\n%s", where, p.Title, b.pageText())
			return
		}
		if got := b.attr("problem", "data-rule"); got != rule {
			t.Errorf("%s: %q is refused by rule %q, want %s", where, p.Title, got, rule)
		}
		if got := b.text("problem-rule"); got != rule {
			t.Errorf("%s: %q: the refusal names rule %q, want %s", where, p.Title, got, rule)
		}
		if got, want := b.text("problem-message"), en("rule."+rule); got != want {
			t.Errorf("%s: %q: the refusal reads %q, want %q", where, p.Title, got, want)
		}
		if b.count("#piece-content") != 0 || b.count("#download") != 0 {
			t.Errorf("%s: %q: the content is offered", where, p.Title)
		}
	}

	// A8.2: TOP SECRET outside a security zone, at an office terminal accredited SECRET.
	b.signIn("sophie", w.OfficeTerm.ID)
	if got := b.text("terminal-name"); got != w.OfficeTerm.Name {
		t.Fatalf("signed in at %q, want %q", got, w.OfficeTerm.Name)
	}
	refused("office", w.TopSecret, "A8.2")
	if strings.Contains(b.pageText(), e2eTopSecretText) {
		t.Errorf("office: A8.2: the TOP SECRET content shows outside the zone")
	}
	b.shot("refused-a8.2.png")

	// A9.3: at the public kiosk no classified content shows at all.
	if status := b.click("logout"); status != http.StatusOK {
		t.Fatalf("sign out: status %d", status)
	}
	b.wantAt("/login")
	b.signIn("sophie", w.Kiosk.ID)
	for _, p := range []cleared.Piece{w.TopSecret, w.Secret, w.Confidential, w.PartB} {
		// Not even the piece is described: the page is the refusal, unclassified (A9.3).
		if status := b.open("/ui/pieces/" + string(p.ID)); status != http.StatusForbidden {
			t.Errorf("kiosk: the page of %q answers %d, want 403", p.Title, status)
		}
		if got := b.attr("problem", "data-rule"); got != "A9.3" {
			t.Errorf("kiosk: %q is refused by rule %q, want A9.3", p.Title, got)
		}
		if strings.Contains(b.pageText(), p.Title) {
			t.Errorf("kiosk: A9.3: the title %q shows in a public place", p.Title)
		}
		b.wantBanners(cleared.Unclassified.String(), "UNCLASSIFIED")
	}
	if status := b.open("/ui/pieces"); status != http.StatusOK || b.count("#empty") != 1 {
		t.Errorf("kiosk: A9.3: the list of pieces is not empty (status %d)", status)
	}
	if strings.Contains(b.pageText(), "Contacts RESTREINT") {
		t.Errorf("kiosk: A9.3: restricted content shows in a public place")
	}
}

func TestBrowserLanguage(t *testing.T) {
	e := newE2EEnv(t)
	w := e.world
	b := e.newBrowser()
	cat := func(lang, key string) string { return e2eCatalog(t, lang, key) }

	// in checks that the page shown is in lang: its lang attribute, the switch, and a text of the page.
	in := func(lang, id, key string) {
		t.Helper()
		if got := b.attr("lang-"+lang, "aria-current"); got != "true" {
			t.Errorf("%s: the language switch does not mark %s as current", b.location(), lang)
		}
		html, err := chromedp.Run(b.ctx, chromedp.Attributes(chromedp.CSS("html")))
		b.fatal("html attributes", err)
		if html["lang"] != lang {
			t.Errorf("%s: <html lang=%q>, want %q", b.location(), html["lang"], lang)
		}
		if got, want := b.text(id), cat(lang, key); got != want {
			t.Errorf("%s: #%s reads %q, want %q (%s)", b.location(), id, got, want, lang)
		}
	}

	// The sign-in page follows the browser (English), and switches to French and back.
	b.open("/login")
	in("en", "submit", "login.submit")
	in("en", "page-title", "login.title")
	b.click("lang-fr")
	b.wantAt("/login")
	in("fr", "submit", "login.submit")
	in("fr", "page-title", "login.title")
	b.click("lang-en")
	b.wantAt("/login")
	in("en", "submit", "login.submit")

	// Signed in, the choice holds from page to page, and the switch is on every page.
	b.signIn("sophie", w.ZoneTerm.ID)
	in("en", "who", "dash.who")
	b.click("lang-fr")
	b.wantAt("/ui/")
	in("fr", "who", "dash.who")
	in("fr", "nav-pieces", "nav.pieces")
	b.shot("dashboard-fr.png")
	b.click("nav-pieces")
	in("fr", "page-title", "pieces.title")
	b.click("lang-en")
	b.wantAt("/ui/pieces")
	in("en", "page-title", "pieces.title")
}
