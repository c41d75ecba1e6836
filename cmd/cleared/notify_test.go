package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Issue 19 §2: serve's notification flags are checked before anything starts.
func TestServe_notify_flags(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--smtp-from", "cleared@example.lu"}, "go with --smtp-addr"},
		{[]string{"--smtp-addr", "mail.example.lu"}, "want host:port"},
		{[]string{"--smtp-addr", "mail.example.lu:587"}, "needs --smtp-from"},
		{[]string{"--smtp-addr", "mail.example.lu:587", "--smtp-from", "cleared@example.lu", "--smtp-username", "u"}, "go together"},
		{[]string{"--webhook-timeout", "0s"}, "must be positive"},
	} {
		code, _, errs := run(t, pass, append([]string{"serve", "--data", dir}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.says) {
			t.Errorf("%v: exit %d, stderr %q; want 2 saying %q", c.args, code, errs, c.says)
		}
	}
}

// A13.1: a server without a mail server says so loudly at start; its webhook key is made at init, kept in the
// key ring and served unchanged after a restart; the NSA registers an endpoint (plain http to loopback only with
// --webhook-allow-http-loopback).
func TestServe_notifications(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, initArgs(dir)...)
	if code != 0 {
		t.Fatalf("init: %s", errs)
	}
	tok := regexp.MustCompile(`cleared_[a-z0-9]{52}`).FindString(out)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer receiver.Close()
	do := func(base, method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	srv := startServe(t, pass, "--data", dir, "--webhook-allow-http-loopback")
	if !strings.Contains(srv.err.String(), "NO MAIL SERVER") {
		t.Errorf("no loud warning without a mail server:\n%s", srv.err.String())
	}
	code, key1 := do(srv.base, "GET", "/api/webhooks/key", "")
	if code != 200 || !strings.Contains(key1, `"ed25519"`) {
		t.Fatalf("key: %d %s", code, key1)
	}
	code, body := do(srv.base, "GET", "/api/organisations", "")
	var orgs struct{ Items []struct{ ID string } }
	if err := json.Unmarshal([]byte(body), &orgs); code != 200 || err != nil || len(orgs.Items) == 0 {
		t.Fatalf("organisations: %d %s", code, body)
	}
	code, body = do(srv.base, "POST", "/api/webhooks", `{"organisation":"`+orgs.Items[0].ID+`","url":"`+receiver.URL+`/hook","scheme":"hmac-sha256"}`)
	if code != 201 || !strings.Contains(body, "whsec_") {
		t.Fatalf("register: %d %s", code, body)
	}
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, srv.err.String())
	}
	srv = startServe(t, pass, "--data", dir)
	defer srv.stop()
	if code, key2 := do(srv.base, "GET", "/api/webhooks/key", ""); code != 200 || key2 != key1 {
		t.Errorf("the webhook key changed across a restart: %s, then %s", key1, key2)
	}
	if code, body := do(srv.base, "POST", "/api/webhooks", `{"organisation":"`+orgs.Items[0].ID+`","url":"`+receiver.URL+`/hook","scheme":"ed25519"}`); code != 400 {
		t.Errorf("http:// without --webhook-allow-http-loopback: %d %s", code, body)
	}
}
