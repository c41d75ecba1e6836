package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"

	"golang.org/x/text/language"
)

// The web UI speaks French and English. Every string a person reads is a message of the catalogues in locale/,
// one JSON object per language from key to text; templates name keys ({{t "key"}}), never text. French is the
// default: the law is written in French, and the country's administration works in it.

//go:embed locale/*.json
var localeFS embed.FS

// langCookie keeps the language a person chose with the switch on every page.
const langCookie = "cleared_lang"

// langs are the UI's languages, the default first.
var langs = []string{"fr", "en"}

var langMatcher = language.NewMatcher([]language.Tag{language.French, language.English})

// catalog maps each language to its messages.
type catalog map[string]map[string]string

// loadCatalog reads locale/<lang>.json for every language, strictly: each must be a flat object of strings.
func loadCatalog() (catalog, error) {
	c := catalog{}
	for _, l := range langs {
		b, err := localeFS.ReadFile(path.Join("locale", l+".json"))
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("locale/%s.json: %w", l, err)
		}
		c[l] = m
	}
	return c, nil
}

// has reports whether key is a message of every language.
func (c catalog) has(key string) bool {
	for _, l := range langs {
		if _, ok := c[l][key]; !ok {
			return false
		}
	}
	return true
}

// translator returns the t function of templates for lang: the message of key, formatted with args if any. A
// missing key shows as itself between brackets, so that it is seen and fixed (a test checks that none is missing).
func (c catalog) translator(lang string) func(key string, args ...any) string {
	m := c[lang]
	return func(key string, args ...any) string {
		msg, ok := m[key]
		if !ok {
			return "[" + key + "]"
		}
		if len(args) > 0 {
			return fmt.Sprintf(msg, args...)
		}
		return msg
	}
}

// validLang reports whether l is one of the UI's languages.
func validLang(l string) bool {
	for _, x := range langs {
		if x == l {
			return true
		}
	}
	return false
}

// langOf is the language of a request: the one chosen with the switch (a cookie), else the browser's preference
// among ours (Accept-Language), else French.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && validLang(c.Value) {
		return c.Value
	}
	if al := r.Header.Get("Accept-Language"); al != "" && len(al) < 500 {
		tags, _, err := language.ParseAcceptLanguage(al)
		if err == nil && len(tags) > 0 {
			_, i, conf := langMatcher.Match(tags...)
			if conf != language.No {
				return langs[i]
			}
		}
	}
	return langs[0]
}

// setLang keeps the chosen language for a year. It is not secret (no HttpOnly needed), but nothing but the
// server reads it.
func setLang(w http.ResponseWriter, r *http.Request, l string) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 366 * 24 * 3600, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// localPath returns p if it is a path of this site's pages a redirection may lead to (/ui/…, /login), else "".
// It refuses anything a browser could read as another site: "//host", "/\host", schemes, control characters.
func localPath(p string) string {
	if p == "" || len(p) > 2000 || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\x00\r\n\t") {
		return ""
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f {
			return ""
		}
	}
	switch {
	case p == "/login", p == "/login/second-factor", p == "/ui/", strings.HasPrefix(p, "/ui/"):
		return p
	}
	return ""
}
