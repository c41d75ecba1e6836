package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a buffer safe for a server goroutine writing and a test reading.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// run runs the command line with env as the whole environment and returns exit code, stdout and stderr.
func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	a := &app{stdout: &out, stderr: &errb, getenv: func(k string) string { return env[k] }}
	code := a.main(context.Background(), args)
	return code, out.String(), errb.String()
}

var pass = map[string]string{"CLEARED_PASSPHRASE": "correct horse battery staple"}

func initArgs(dir string) []string {
	return []string{"init", "--data", dir, "--officer-name", "Hélène Weber", "--clearance-level", "TRES SECRET",
		"--clearance-issued", time.Now().AddDate(-1, 0, 0).Format(time.DateOnly), "--clearance-reference", "ANS-PSC-2025-0001"}
}

func TestInitTokenVersion(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, initArgs(dir)...)
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	tok := regexp.MustCompile(`cleared_[a-z0-9]{52}`).FindString(out)
	officer := regexp.MustCompile(`per_[a-z2-7]{26}`).FindString(out)
	if tok == "" || officer == "" {
		t.Fatalf("init did not print the officer and his token:\n%s", out)
	}
	for _, f := range []string{"keyring.sealed", "cleared.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("init left no %s: %v", f, err)
		}
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("data folder mode %v, want 0700", fi.Mode().Perm())
	}
	for _, f := range []string{"keyring.sealed", "cleared.db"} {
		if fi, _ := os.Stat(filepath.Join(dir, f)); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", f, fi.Mode().Perm())
		}
	}

	t.Run("a second init is refused and keeps the key ring", func(t *testing.T) {
		before, _ := os.ReadFile(filepath.Join(dir, "keyring.sealed"))
		code, _, errs := run(t, pass, initArgs(dir)...)
		after, _ := os.ReadFile(filepath.Join(dir, "keyring.sealed"))
		if code != 1 || !strings.Contains(errs, "already holds a key ring") || !bytes.Equal(before, after) {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("token create", func(t *testing.T) {
		code, out, errs := run(t, pass, "token", "create", "--data", dir, "--person", officer, "--ttl", "1h")
		if code != 0 || !strings.HasPrefix(out, "cleared_") {
			t.Fatalf("exit %d: %s %s", code, out, errs)
		}
	})
	t.Run("A13.1 inventory open and close", func(t *testing.T) {
		code, out, errs := run(t, pass, "inventory", "open", "--data", dir, "--as", officer, "--holder", officer)
		id := strings.TrimSpace(strings.SplitN(out, "\n", 2)[0])
		if code != 0 || !strings.HasPrefix(id, "inv_") {
			t.Fatalf("open: exit %d: %s %s", code, out, errs)
		}
		code, out, errs = run(t, pass, "inventory", "close", "--data", dir, "--as", officer, "--id", id)
		if code != 0 || !strings.Contains(errs, "0 item(s) missing") {
			t.Fatalf("close: exit %d: %s %s", code, out, errs)
		}
		code, _, errs = run(t, pass, "inventory", "close", "--data", dir, "--as", officer, "--id", id)
		if code != 1 || !strings.Contains(errs, "closed") {
			t.Fatalf("close twice: exit %d: %s", code, errs)
		}
	})
	t.Run("token create with a wrong passphrase", func(t *testing.T) {
		code, _, errs := run(t, map[string]string{"CLEARED_PASSPHRASE": "wrong"}, "token", "create", "--data", dir, "--person", officer)
		if code != 1 || !strings.Contains(errs, "passphrase") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("token create for an unknown person", func(t *testing.T) {
		code, _, errs := run(t, pass, "token", "create", "--data", dir, "--person", "per_aaaaaaaaaaaaaaaaaaaaaaaaaa")
		if code != 1 || !strings.Contains(errs, "not found") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("token create with a malformed person", func(t *testing.T) {
		code, _, errs := run(t, pass, "token", "create", "--data", dir, "--person", "bob")
		if code != 1 || !strings.Contains(errs, "malformed person ID") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("version", func(t *testing.T) {
		code, out, _ := run(t, nil, "version")
		if code != 0 || !strings.HasPrefix(out, "cleared ") {
			t.Fatalf("exit %d: %s", code, out)
		}
	})
}

func TestBadCommandLines(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		says string
	}{
		{"no command", nil, nil, 2, "Usage"},
		{"unknown command", nil, []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unknown flag", nil, []string{"serve", "--nope"}, 2, "flag provided but not defined"},
		{"stray argument", nil, []string{"version", "extra"}, 2, "unexpected argument"},
		{"init without officer", pass, []string{"init", "--data", dir}, 2, "--officer-name is required"},
		{"init with an unknown level", pass, append(initArgs(filepath.Join(dir, "x")), "--clearance-level", "ULTRA"), 2, "unknown classification level"},
		{"init with a bad date", pass, []string{"init", "--data", dir, "--officer-name", "X", "--clearance-issued", "yesterday", "--clearance-reference", "R"}, 2, "want a date"},
		{"init without passphrase and no terminal", map[string]string{}, initArgs(filepath.Join(dir, "y")), 1, "no passphrase"},
		{"serve without init", pass, []string{"serve", "--data", filepath.Join(dir, "none")}, 1, "run 'cleared init"},
		{"serve with a database URL that is not PostgreSQL", pass, []string{"serve", "--demo", "--data", filepath.Join(dir, "z"), "--db", "mysql://x"}, 2, "want a PostgreSQL URL"},
		{"token without create", pass, []string{"token"}, 2, "token create"},
		{"bad log format", pass, []string{"serve", "--log-format", "xml"}, 2, "want text or json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := run(t, tt.env, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.says) {
				t.Fatalf("exit %d, want %d; stderr %q does not say %q", code, tt.code, errs, tt.says)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "y", "keyring.sealed")); err == nil {
		t.Fatal("a refused init left a key ring")
	}
}

// server is a `cleared serve` running in the test.
type server struct {
	base     string
	out, err *syncBuffer
	stop     func() int // cancels the server and returns its exit code
}

// startServe runs `cleared serve args…` with the environment env and waits until it listens.
func startServe(t testing.TB, env map[string]string, args ...string) server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := server{out: &syncBuffer{}, err: &syncBuffer{}}
	a := &app{stdout: s.out, stderr: s.err, getenv: func(k string) string { return env[k] }}
	done := make(chan int, 1)
	go func() { done <- a.main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)) }()
	s.stop = func() int { cancel(); return <-done }
	listening := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
	for i := 0; i < 200; i++ {
		if m := listening.FindStringSubmatch(s.out.String()); m != nil {
			s.base = m[1]
			return s
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before listening: %s", code, s.err.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not start: %s", s.err.String())
	return s
}

func TestServeDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	srv := startServe(t, nil, "--demo", "--data", dir, "--log-level", "warn")
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest("GET", srv.base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz", ""); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	if code, body := get("/api/pieces", "cleared_demo_lea"); code != 200 || !strings.Contains(body, "CONFIDENTIEL LUX") || strings.Contains(body, "SECRET LUX") {
		t.Fatalf("A9.1 lea's list: %d %s", code, body)
	}
	if code, body := get("/metrics", ""); code != 200 || !strings.Contains(body, `cleared_decisions_total{action="piece.list",outcome="allow",rule=""} 1`) {
		t.Fatalf("/metrics: %d, decisions not counted: %.300s", code, body)
	}
	if code, _ := get("/readyz", ""); code != 200 {
		t.Fatalf("readyz %d", code)
	}
	if !strings.Contains(srv.err.String(), "DEMO MODE") {
		t.Fatal("the demo does not say loudly that it is a demo")
	}
	if _, err := os.Stat(filepath.Join(dir, "demo-passphrase")); err != nil {
		t.Fatal("the demo wrote no passphrase file although none was set")
	}
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, srv.err.String())
	}

	t.Run("restart reuses the demo folder", func(t *testing.T) {
		if code := startServe(t, nil, "--demo", "--data", dir).stop(); code != 0 {
			t.Fatalf("restart exit %d", code)
		}
	})
	t.Run("with CLEARED_PASSPHRASE set, as the README's newcomer runs it", func(t *testing.T) {
		fresh := filepath.Join(t.TempDir(), "nested", "demo")
		if code := startServe(t, pass, "--demo", "--data", fresh).stop(); code != 0 {
			t.Fatalf("exit %d", code)
		}
		if _, err := os.Stat(filepath.Join(fresh, "demo-passphrase")); err == nil {
			t.Fatal("the demo wrote a passphrase file although CLEARED_PASSPHRASE was set")
		}
	})
	t.Run("--demo refuses a folder with real data", func(t *testing.T) {
		real := filepath.Join(t.TempDir(), "real")
		if code, _, errs := run(t, pass, initArgs(real)...); code != 0 {
			t.Fatal(errs)
		}
		code, _, errs := run(t, pass, "serve", "--demo", "--data", real, "--addr", "127.0.0.1:0")
		if code != 1 || !strings.Contains(errs, "not the demo's") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("a real installation serves after init", func(t *testing.T) {
		real := filepath.Join(t.TempDir(), "prod")
		if code, _, errs := run(t, pass, initArgs(real)...); code != 0 {
			t.Fatal(errs)
		}
		if code := startServe(t, pass, "--data", real).stop(); code != 0 {
			t.Fatalf("exit %d", code)
		}
	})
}

// Issue 18 §0: "cleared demo code takes --data and --help".
func TestDemoCode_takes_data_and_help(t *testing.T) {
	for _, args := range [][]string{
		{"demo", "code", "sophie"},
		{"demo", "code", "--data", t.TempDir(), "sophie"},
		{"demo", "code", "sophie", "--data", t.TempDir()},
		{"demo", "code", "--data=" + t.TempDir(), "sophie"},
	} {
		code, out, errs := run(t, nil, args...)
		if code != 0 || len(strings.TrimSpace(out)) != 6 {
			t.Errorf("%v: exit %d, out %q, err %q; want a 6-digit code", args, code, out, errs)
		}
	}
	for _, args := range [][]string{{"demo", "code", "--help"}, {"demo", "code", "-h"}, {"demo", "--help"}} {
		code, out, errs := run(t, nil, args...)
		if code != 0 || !strings.Contains(errs, "--data") || out != "" {
			t.Errorf("%v: exit %d, out %q, err %q; want the usage with --data, exit 0", args, code, out, errs)
		}
	}
	for _, args := range [][]string{{"demo", "code"}, {"demo", "code", "nobody"}, {"demo", "code", "sophie", "paul"}, {"demo", "code", "--nope", "sophie"}} {
		if code, _, errs := run(t, nil, args...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, err %q; want a usage error", args, code, errs)
		}
	}
}
