package main

import (
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Under --tls every answer tells browsers to come back over HTTPS only (RFC 6797): pages, the API, static files,
// problems, redirects and 404s alike, so that no first answer leaves a browser willing to go back to plain HTTP.
// Without --tls no answer carries it (a browser ignores it over HTTP, and it would mislead a reader).
func TestServeTLS_StrictTransportSecurityOnEveryAnswer(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, initArgs(dir)...)
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	token := regexp.MustCompile(`cleared_[a-z0-9]{52}`).FindString(out)
	requests := []struct {
		name, method, path, body string
		auth                     bool
		status                   int
	}{
		{"API answer", "GET", "/api/me", "", true, http.StatusOK},
		{"API without a token", "GET", "/api/me", "", false, http.StatusUnauthorized},
		{"API object not found", "GET", "/api/pieces/pce_aaaaaaaaaaaaaaaaaaaaaaaaaa", "", true, http.StatusNotFound},
		{"API malformed body", "POST", "/api/persons", "{", true, http.StatusBadRequest},
		{"API wrong method", "PUT", "/api/me", "", true, http.StatusMethodNotAllowed},
		{"route that does not exist", "GET", "/nowhere", "", false, http.StatusNotFound},
		{"UI page", "GET", "/login", "", false, http.StatusOK},
		{"UI redirect", "GET", "/", "", false, http.StatusSeeOther},
		{"UI page needing a session", "GET", "/ui/pieces", "", false, http.StatusSeeOther},
		{"static file", "GET", "/static/app.css", "", false, http.StatusOK},
		{"static file not found", "GET", "/static/nothing.css", "", false, http.StatusNotFound},
		{"OpenAPI document", "GET", "/api/openapi.json", "", false, http.StatusOK},
		{"health", "GET", "/healthz", "", false, http.StatusOK},
		{"readiness", "GET", "/readyz", "", false, http.StatusOK},
		{"metrics", "GET", "/metrics", "", false, http.StatusOK},
	}
	check := func(t *testing.T, c *http.Client, base string, want string) {
		for _, rq := range requests {
			t.Run(rq.name, func(t *testing.T) {
				req, err := http.NewRequest(rq.method, base+rq.path, strings.NewReader(rq.body))
				if err != nil {
					t.Fatal(err)
				}
				if rq.body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				if rq.auth {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				res, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != rq.status {
					t.Errorf("%s %s: status %d, want %d", rq.method, rq.path, res.StatusCode, rq.status)
				}
				if got := res.Header.Get("Strict-Transport-Security"); got != want {
					t.Errorf("%s %s (%d): Strict-Transport-Security %q, want %q", rq.method, rq.path, res.StatusCode, got, want)
				}
			})
		}
	}
	noRedirect := func(c *http.Client) *http.Client {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		return c
	}

	t.Run("with --tls", func(t *testing.T) {
		srv := startServeTLS(t, pass, "--data", dir)
		defer srv.stop()
		check(t, noRedirect(tlsClient(t, filepath.Join(dir, "ca.crt"), "")), srv.base, "max-age=63072000")
	})
	t.Run("without --tls", func(t *testing.T) {
		srv := startServe(t, pass, "--data", dir)
		defer srv.stop()
		check(t, noRedirect(&http.Client{}), srv.base, "")
	})
}
