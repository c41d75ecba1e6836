package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// discoveryOnly is an identity provider that publishes its discovery document, all serve needs to start.
func discoveryOnly(t *testing.T) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"issuer": srv.URL, "authorization_endpoint": srv.URL + "/authorize", //nolint:errcheck
			"token_endpoint": srv.URL + "/token", "jwks_uri": srv.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"ES256"}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestServeOIDC(t *testing.T) {
	idp := discoveryOnly(t)
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(t, pass, initArgs(dir)...); code != 0 {
		t.Fatal(errs)
	}
	secret := filepath.Join(t.TempDir(), "oidc-secret")
	if err := os.WriteFile(secret, []byte("client secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, pass, "--data", dir, "--oidc-issuer", idp.URL, "--oidc-client-id", "cleared",
		"--oidc-client-secret-file", secret, "--oidc-name", "Identités de l'État")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (*http.Response, string) {
		res, err := client.Get(srv.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	if _, body := get("/login"); !strings.Contains(body, `id="oidc-link"`) || !strings.Contains(body, "Identités de l&#39;État") {
		t.Errorf("the sign-in page offers no sign-in through the provider:\n%s", body)
	}
	res, _ := get("/login/oidc")
	to, err := url.Parse(res.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(to.String(), idp.URL+"/authorize?") {
		t.Fatalf("GET /login/oidc: %d to %q, want the provider's authorization endpoint", res.StatusCode, to)
	}
	// The redirection URL is the public URL's (here the default: localhost and the port serve listens on).
	port := regexp.MustCompile(`:(\d+)$`).FindStringSubmatch(srv.base)[1]
	if got, want := to.Query().Get("redirect_uri"), "http://localhost:"+port+"/login/oidc/callback"; got != want {
		t.Errorf("redirect_uri %q, want %q", got, want)
	}
	if !strings.Contains(srv.err.String(), "/login/oidc/callback") {
		t.Errorf("serve does not say the redirection URL to register at the provider:\n%s", srv.err.String())
	}
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, srv.err.String())
	}

	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	for _, tt := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"unreachable provider", []string{"--oidc-issuer", down.URL, "--oidc-client-id", "cleared"}, 1, "discovery"},
		{"client ID without issuer", []string{"--oidc-client-id", "cleared"}, 2, "go with --oidc-issuer"},
		{"issuer without client ID", []string{"--oidc-issuer", idp.URL}, 2, "needs --oidc-client-id"},
		{"issuer not https", []string{"--oidc-issuer", "http://idp.example.lu", "--oidc-client-id", "cleared"}, 2, "https"},
		{"missing secret file", []string{"--oidc-issuer", idp.URL, "--oidc-client-id", "cleared", "--oidc-client-secret-file", filepath.Join(dir, "none")}, 1, "--oidc-client-secret-file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := run(t, pass, append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.says) {
				t.Fatalf("exit %d, want %d; stderr %q does not say %q", code, tt.code, errs, tt.says)
			}
		})
	}
}

func TestUserLinkOIDC(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, initArgs(dir)...)
	if code != 0 {
		t.Fatal(errs)
	}
	officer := regexp.MustCompile(`per_[a-z2-7]{26}`).FindString(out)
	if code, _, errs := run(t, pass, "user", "add", "--data", dir, "--person", officer, "--login", "helene"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs = run(t, pass, "user", "link-oidc", "helene", "--data", dir, "--issuer", "https://idp.example.lu/realms/ans", "--subject", "248289761001")
	if code != 0 || !strings.Contains(out, `"248289761001"`) {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if code, out, errs := run(t, pass, "audit", "tail", "--data", dir, "-n", "1"); code != 0 || !strings.Contains(out, "account.link_oidc") {
		t.Errorf("the link is not the last entry of the audit log: %d %s %s", code, out, errs)
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"unknown login", []string{"user", "link-oidc", "nobody", "--data", dir, "--issuer", "https://idp.example.lu", "--subject", "1"}, 1, "not found"},
		{"no subject", []string{"user", "link-oidc", "helene", "--data", dir, "--issuer", "https://idp.example.lu"}, 2, "link-oidc LOGIN --issuer URL --subject SUB"},
		{"no login", []string{"user", "link-oidc", "--data", dir, "--issuer", "https://idp.example.lu", "--subject", "1"}, 2, "link-oidc LOGIN"},
		{"issuer not https", []string{"user", "link-oidc", "helene", "--data", dir, "--issuer", "http://idp.example.lu", "--subject", "1"}, 1, "https"},
		{"unknown subcommand", []string{"user", "remove"}, 2, "link-oidc"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := run(t, pass, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.says) {
				t.Fatalf("exit %d, want %d; stderr %q does not say %q", code, tt.code, errs, tt.says)
			}
		})
	}
}
