package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/cleared/cleared"
)

// The web UI: server-rendered HTML pages over the same service as the API (architecture, principle 8). A page
// handler parses the request, calls the service, and renders a typed page struct through html/template; the
// layout every page goes through prints the classification banner at the top and the bottom (A7.1), so no page
// can forget it. Pages are served under /ui/ to a signed-in browser (a session cookie, see session.go); the
// sign-in pages are /login and /login/second-factor.
//
// The banner of a page is the highest level among the pieces it shows: a piece's page shows the piece's own
// marking ("NATO SECRET / SECRET LUX" for a foreign piece), a list the marking of its highest piece. A page that
// shows no piece carries a green UNCLASSIFIED banner ("NON CLASSIFIÉ"), rather than none: a banner on every page
// tells at a glance that nothing on it is classified, and its absence never has to be interpreted. Markings are
// the law's (Art. 7 al. 3) and read the same in both languages; only "UNCLASSIFIED" is translated.

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// uiCSP is the Content-Security-Policy of every page: nothing but our own style sheet, no script, no frame, forms
// posted only to this site.
const uiCSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// uiScriptCSP is the policy of the two pages that use a security key (Page.Script): they load our one script
// file, which calls this site back for the key's challenge. Still no inline script, nothing from elsewhere.
const uiScriptCSP = uiCSP + "; script-src 'self'; connect-src 'self'"

// Body limits of the UI's forms: a form of the registers is small; the classification form carries a file of at
// most registry.MaxContentSize, and the rest of the form. The whole body is held in memory (see parseForm).
const (
	maxFormBody     = 1 << 20
	maxClassifyBody = 33 << 20
)

// uiKit is what the UI needs, built once by New: the templates of every view in each language, the catalogues,
// the static files, and the cross-origin check of forms.
type uiKit struct {
	views  map[string]map[string]*template.Template // language → view → template
	cat    catalog
	static map[string]staticFile
	cop    *http.CrossOriginProtection
}

type staticFile struct {
	body  []byte
	ctype string
	href  string // /static/name?v=<hash>: the URL pages use, which changes when the file does
}

// views lists every view a handler may render. New fails if one has no template, or a template no view: a view
// cannot be undeclared (the idea of miniflux's template engine).
var views = []string{"form", "table", "details", "record", "error", "dashboard", "pieces", "piece", "person", "equivalence", "registers",
	"profiles", "keys", "secondfactor", "login", "destruction"}

// newUIKit parses every template and catalogue. It fails on any error: they are embedded, so an error is a bug of
// this build, found by the first test that starts a server.
func newUIKit() (*uiKit, error) {
	k := &uiKit{views: map[string]map[string]*template.Template{}, static: map[string]staticFile{}, cop: http.NewCrossOriginProtection()}
	var err error
	if k.cat, err = loadCatalog(); err != nil {
		return nil, err
	}
	if err := k.loadStatic(); err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "parts" {
			continue
		}
		if !slices.Contains(views, name) {
			return nil, fmt.Errorf("web: template %s has no view declared in ui.go", f)
		}
		found[name] = true
	}
	for _, v := range views {
		if !found[v] {
			return nil, fmt.Errorf("web: view %q is declared but has no template", v)
		}
	}
	for _, l := range langs {
		k.views[l] = map[string]*template.Template{}
		base, err := template.New("layout").Funcs(k.funcs(l)).ParseFS(templateFS, "templates/layout.html", "templates/parts.html")
		if err != nil {
			return nil, err
		}
		for _, v := range views {
			t, err := base.Clone()
			if err == nil {
				t, err = t.ParseFS(templateFS, "templates/"+v+".html")
			}
			if err != nil {
				return nil, fmt.Errorf("web: view %s: %w", v, err)
			}
			k.views[l][v] = t
		}
	}
	return k, nil
}

func (k *uiKit) loadStatic() error {
	return fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		k.static[name] = staticFile{body: b, ctype: ct, href: "/static/" + name + "?v=" + hex.EncodeToString(sum[:6])}
		return nil
	})
}

// funcs are the template functions for one language. None of them writes text of its own: t looks messages up,
// the others format data.
func (k *uiKit) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"t": k.cat.translator(lang),
		"static": func(name string) string {
			if f, ok := k.static[name]; ok {
				return f.href
			}
			return "/static/" + name
		},
		"levelKey":   func(l cleared.Level) string { return "level." + l.String() },
		"levelClass": levelClass,
		"date":       formatDate,
		"datetime":   formatTime,
		"bytes":      func(n int64) string { return fmt.Sprint(n) },
		"add":        func(a, b int) int { return a + b },
	}
}

// levelClass is a level's CSS class suffix.
func levelClass(l cleared.Level) string {
	return strings.ReplaceAll(strings.ToLower(l.String()), "_", "-")
}

// formatDate writes a date as ISO 8601, which reads the same in both languages; "" for the zero time.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// banner is the classification banner of a page (A7.1).
type banner struct {
	Level   cleared.Level
	Marking string // as the API carries it; "" for an unclassified page, whose text is in the catalogue
}

// Attr is the banner's data-level attribute: the API name of the level.
func (b banner) Attr() string { return b.Level.String() }

// Class is the banner's CSS class suffix, which sets its conventional colour.
func (b banner) Class() string { return levelClass(b.Level) }

// bannerOf is the banner of a page that shows these pieces: the highest level among them. One piece gives its own
// marking, foreign one included; pieces at the highest level that all carry the same marking give it; otherwise
// the national marking of that level.
func bannerOf(ps ...cleared.Piece) banner {
	var b banner
	var national string // the national marking of the highest level, under the law the pieces were read under
	markings := map[string]bool{}
	for _, p := range ps {
		switch {
		case p.Level > b.Level:
			b.Level, national = p.Level, p.NationalMarking()
			clear(markings)
			markings[p.Marking()] = true
		case p.Level == b.Level && p.Level.Classified():
			markings[p.Marking()] = true
		}
	}
	if !b.Level.Classified() {
		return banner{}
	}
	b.Marking = national
	if len(markings) == 1 {
		for m := range markings {
			b.Marking = m
		}
	}
	return b
}

// view is a page struct a template renders. The struct embeds Page, which gives it page().
type view interface {
	viewName() string
	page() *Page
}

// Page is what the layout needs, embedded in every page struct.
type Page struct {
	Lang string
	// Title is the catalogue key of the page's <title> and, unless Heading is set, of its <h1>. The <title> never
	// holds data: browsers keep titles in their history, where a piece's title has no business.
	Title   string
	Heading string // the <h1> when it is data (a piece's title, a person's name)
	Banner  banner
	// CSRF is the session's token, which every form carries; "" without a session.
	CSRF     string
	SignedIn bool
	// Here is the page the language switch comes back to.
	Here string
	// Notice is the catalogue key of a confirmation to show ("ok.*"), from ?ok= after a form succeeded.
	Notice string
	Nav    string // the current section of the navigation
	Demo   bool
	// Script loads static/webauthn.js, for the pages that use a security key, which only a script can reach.
	Script bool
	// May tells, by registry.Form, which forms the reader may use: links to the others are not shown (ui_may.go).
	May map[string]bool
}

func (p *Page) page() *Page { return p }

// render writes the view with status. The page's language, session token and switch target are filled in here,
// so handlers set only what is theirs.
func (s *server) render(w http.ResponseWriter, r *http.Request, u *uiSession, status int, v view) error {
	p := v.page()
	p.Lang = langOf(r)
	p.Demo = s.demoTerminals
	if u != nil {
		p.CSRF = u.CSRF
		p.SignedIn = u.Session.Stage == cleared.StageActive
	}
	s.fillMay(r, u, p, v)
	if p.Here == "" {
		if r.Method == http.MethodGet {
			u := *r.URL
			q := u.Query()
			if q.Has("ok") { // a confirmation is not shown again after switching languages
				q.Del("ok")
				u.RawQuery = q.Encode()
			}
			p.Here = localPath(u.RequestURI())
		}
		if p.Here == "" {
			p.Here = "/ui/"
		}
	}
	if p.Notice == "" {
		if ok := r.URL.Query().Get("ok"); ok != "" && s.kit.cat.has("ok."+ok) {
			p.Notice = "ok." + ok
		}
	}
	t, found := s.kit.views[p.Lang][v.viewName()]
	if !found {
		return fmt.Errorf("web: undeclared view %q", v.viewName())
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("web: render %s: %w", v.viewName(), err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.Lang)
	if p.Script {
		h.Set("Content-Security-Policy", uiScriptCSP)
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client may be gone; nothing more can be said to it
	return nil
}

// uiHeaders sets the headers of every page, over those ServeHTTP sets for every answer (no-store stays: pages
// show classified data; Strict-Transport-Security is ServeHTTP's, on every answer over TLS).
func uiHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", uiCSP)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
}

// A uiHandler serves one page to a signed-in person. It returns an error instead of writing one: [server.uiFail]
// renders it.
type uiHandler func(w http.ResponseWriter, r *http.Request, u *uiSession) error

// ui wraps a page handler: security headers, a body limit, an active session (else to the sign-in page), and
// for a POST a form from this site (cross-origin check) carrying the session's CSRF token. Nothing of the handler
// runs before all of these hold.
func (s *server) ui(h uiHandler) http.Handler { return s.uiLimit(maxFormBody, h) }

func (s *server) uiLimit(limit int64, h uiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uiHeaders(w)
		r.Body = http.MaxBytesReader(unwrap(w), r.Body, limit)
		u, err := s.sessionOf(r)
		if err == nil {
			err = checkSingle(r.URL.Query(), "query")
		}
		if err == nil && r.Method == http.MethodPost {
			err = s.checkForm(r, limit, u)
		}
		if err == nil {
			err = h(w, r, u)
		}
		if err != nil {
			s.uiFail(w, r, u, err)
		}
	})
}

// public wraps a page served without a session (the sign-in pages): security headers, a body limit, and for a
// POST the cross-origin check and the form parsed.
func (s *server) public(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uiHeaders(w)
		r.Body = http.MaxBytesReader(unwrap(w), r.Body, maxFormBody)
		err := checkSingle(r.URL.Query(), "query")
		if err == nil && r.Method == http.MethodPost {
			err = s.checkForm(r, maxFormBody, nil)
		}
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			s.uiFail(w, r, nil, err)
		}
	})
}

// errCrossOrigin is a form posted from another site.
var errCrossOrigin = &statusError{status: http.StatusForbidden, detail: "cross-origin form"}

// checkForm parses a POSTed form and checks it came from a page of this site: the browser's Sec-Fetch-Site or
// Origin header (http.CrossOriginProtection) and, with a session, the session's CSRF token.
func (s *server) checkForm(r *http.Request, limit int64, u *uiSession) error {
	if err := s.kit.cop.Check(r); err != nil {
		return errCrossOrigin
	}
	if err := parseForm(r, limit); err != nil {
		return err
	}
	if u != nil {
		return u.checkCSRF(r)
	}
	return nil
}

// parseForm parses a urlencoded or multipart form. A multipart form is held in memory whole (its limit is the
// body's, which MaxBytesReader enforces): a classified file must never be spilled to a temporary file on disk.
func parseForm(r *http.Request, limit int64) error {
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		err = r.ParseMultipartForm(limit + 1)
	} else {
		err = r.ParseForm()
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &statusError{status: http.StatusRequestEntityTooLarge, detail: "form too large"}
	case err != nil:
		return cleared.Invalidf("malformed form")
	}
	// A field given twice is refused, as a JSON key given twice is (strict.go): the query's and the body's alike.
	if err := checkSingle(r.Form, "form"); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		for name, files := range r.MultipartForm.File {
			if len(files) > 1 || r.PostForm.Has(name) {
				return cleared.Invalidf("form: field %q is given more than once; give it once", name)
			}
		}
	}
	return nil
}

// toLogin sends a browser without a session to the sign-in page, to come back here afterwards if this was a page
// (a form's data is not kept).
func toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet {
		if next := localPath(r.URL.RequestURI()); next != "" && next != "/ui/" {
			target += "?next=" + url.QueryEscape(next)
		}
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// seeOther answers a form that succeeded: to the page that shows the result, with a confirmation key (ok.<key>
// in the catalogues) if one is given.
func seeOther(w http.ResponseWriter, r *http.Request, to, ok string) error {
	if ok != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "ok=" + url.QueryEscape(ok)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// uiProblem is an error as a page shows it: catalogue keys for its title and sentence, and the rule of a refusal.
type uiProblem struct {
	Status  int
	Title   string // key
	Message string // key
	Field   string // key of the form field the problem is with, if any
	Rule    string
	// Detail is the service's own English text, shown as such below the localised sentence: for a refusal, its
	// reason; for invalid input, what is wrong with it.
	Detail   string
	AuditSeq uint64
}

// inputError is a form value the UI could not read (a date, a number): the field's label and what was expected.
type inputError struct {
	field, message string // catalogue keys
}

func (e *inputError) Error() string { return "web: form field " + e.field + ": " + e.message }

// errorPage shows a problem on its own.
type errorPage struct {
	Page
	Problem uiProblem
}

func (*errorPage) viewName() string { return "error" }

// uiFail renders err as a page: the sign-in page for an expired session, else the problem's page with its
// status. The page says nothing of what was asked: no path, no ID (a 404 reads the same for every hidden or
// missing object). A cause the page does not show is logged (causeHidden).
func (s *server) uiFail(w http.ResponseWriter, r *http.Request, u *uiSession, err error) {
	if errors.Is(err, cleared.ErrUnauthenticated) {
		toLogin(w, r)
		return
	}
	p := s.problemFor(err)
	s.logProblem(r, p, err)
	here := "/ui/"
	if u == nil {
		here = "/login"
	}
	page := &errorPage{Page: Page{Title: p.Title, Here: here, Nav: "none"}, Problem: p}
	if rerr := s.render(w, r, u, p.Status, page); rerr != nil {
		s.log.LogAttrs(r.Context(), slog.LevelError, "render error page", slog.String("error", rerr.Error()))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}

// logProblem logs the cause of a problem that its page does not show, as fail does for the API.
func (s *server) logProblem(r *http.Request, p uiProblem, err error) {
	if !causeHidden(err) {
		return
	}
	level := slog.LevelError
	if r.Context().Err() != nil {
		level = slog.LevelInfo
	}
	s.log.LogAttrs(r.Context(), level, "page failed", slog.String("method", r.Method), slog.String("route", r.Pattern),
		slog.Int("status", p.Status), slog.String("error", err.Error()))
}

// formFail shows a form again with the problem that stopped it, keeping what was typed, at the problem's status;
// an expired session and a server-side failure go to uiFail instead.
func (s *server) formFail(w http.ResponseWriter, r *http.Request, u *uiSession, v formView, err error) error {
	p := s.problemFor(err)
	if errors.Is(err, cleared.ErrUnauthenticated) || p.Status >= 500 {
		return err
	}
	s.logProblem(r, p, err)
	f := v.form()
	f.Problem = &p
	f.fill(r.PostForm)
	return s.render(w, r, u, p.Status, v)
}

// formView is a page built around a form: a formPage, or a page that embeds one.
type formView interface {
	view
	form() *formPage
}

// serveStatic serves the UI's style sheet and other static files. They are not classified, and their URL changes
// with their content, so browsers may keep them for a year.
func (s *server) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.kit.static[r.PathValue("name")]
	if !ok {
		s.fail(w, r, cleared.ErrNotFound)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Type", f.ctype)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}

// uiNotFound answers a page path no route serves: "no such page", not the page of a hidden piece (issue 18 §0).
func (s *server) uiNotFound(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return errNoRoute
}
