package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/web"
)

// env is a running API over a real registry, SQLite store and key ring, loaded with the demo world.
type env struct {
	t     testing.TB
	srv   *httptest.Server
	svc   *registry.Service
	auth  *auth.Service
	world *demo.World
	now   time.Time
	logs  *lockedBuffer
	vkey  string // the audit log's verifier key
	te    *testenv.Env
}

// newEnv starts an API over a fresh demo world. ready, if not nil, is the readiness check.
func newEnv(t testing.TB, ready func(context.Context) error) *env {
	t.Helper()
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	met := web.NewMetrics()
	now := time.Now().UTC()
	te := testenv.New(t, testenv.Options{Log: log, Observe: met.Decision, Now: time.Now})
	if ready == nil {
		ready = te.Store.Ping
	}
	srv := httptest.NewServer(web.New(web.Config{Registry: te.Reg, Auth: te.Auth, Vetting: te.Vet, Sharing: te.Share, Ready: ready, Log: log, Metrics: met}))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, svc: te.Reg, auth: te.Auth, world: te.World, now: now, logs: logs, vkey: te.VKey, te: te}
}

// response is what the API answered.
type response struct {
	status int
	header http.Header
	body   []byte
	closed bool // the server closes the connection after this answer
}

// request sends a request as the demo account key ("" for none) and reads the whole answer. A body that is a
// string or []byte is sent as it is, anything else as JSON; ctype is the Content-Type of a body.
func (e *env) request(key, method, path, ctype string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			e.t.Fatalf("encode request: %v", err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatalf("request: %v", err)
	}
	if rd != nil && ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+e.world.Token(key))
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) response {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("%s %s: read answer: %v", req.Method, req.URL.Path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b, closed: res.Close}
}

func (e *env) get(key, path string) response { return e.request(key, http.MethodGet, path, "", nil) }

func (e *env) post(key, path string, body any) response {
	return e.request(key, http.MethodPost, path, "application/json", body)
}

// problem is the JSON of a problem answer.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Rule     string `json:"rule"`
	AuditSeq uint64 `json:"audit_seq"`
}

// wantStatus fails the test unless the answer has the status.
func wantStatus(t testing.TB, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
}

// wantProblem checks that the answer is a problem with the status and, if rule is not empty, the rule, and
// returns it.
func wantProblem(t testing.TB, r response, status int, rule string) problem {
	t.Helper()
	wantStatus(t, r, status)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("problem body %s: %v", r.body, err)
	}
	if p.Status != status || p.Type == "" || p.Title == "" || p.Detail == "" {
		t.Errorf("problem %+v: want status %d and a type, title and detail", p, status)
	}
	if p.Rule != rule {
		t.Errorf("problem rule %q, want %q (detail: %s)", p.Rule, rule, p.Detail)
	}
	return p
}

// decodeAs decodes a JSON answer.
func decodeAs[T any](t testing.TB, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

// lockedBuffer collects log lines written from the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestHealth(t *testing.T) {
	e := newEnv(t, nil)
	t.Run("healthz needs no token", func(t *testing.T) {
		r := e.get("", "/healthz")
		wantStatus(t, r, http.StatusOK)
		if got := strings.TrimSpace(string(r.body)); got != `{"status":"ok"}` {
			t.Errorf("body %s, want {\"status\":\"ok\"}", got)
		}
	})
	t.Run("readyz pings the database", func(t *testing.T) {
		r := e.get("", "/readyz")
		wantStatus(t, r, http.StatusOK)
		if got := decodeAs[map[string]string](t, r); got["status"] != "ready" || len(got) != 1 {
			t.Errorf("readyz answered %v", got)
		}
	})
	t.Run("readyz fails closed and hides the cause", func(t *testing.T) {
		down := httptest.NewServer(web.New(web.Config{Registry: e.svc, Auth: e.auth, Log: slog.New(slog.DiscardHandler),
			Ready: func(context.Context) error { return errors.New("db at 10.0.0.7 refused") }}))
		defer down.Close()
		res, err := down.Client().Get(down.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		p := wantProblem(t, response{status: res.StatusCode, header: res.Header, body: b}, http.StatusServiceUnavailable, "")
		if strings.Contains(string(b), "10.0.0.7") {
			t.Errorf("readiness problem shows the cause: %s (%s)", b, p.Detail)
		}
	})
}
