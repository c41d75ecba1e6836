package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/store"
)

func TestProblemOf(t *testing.T) {
	secret := "sqlstore: read piece pce_abc: disk /var/lib/cleared is full"
	cases := []struct {
		name   string
		err    error
		status int
		rule   string
		detail string // the exact detail, or "" to skip
	}{
		{"not found, bare", cleared.ErrNotFound, 404, "", detailNotFound},
		{"not found, naming the ID", fmt.Errorf("piece pce_x: %w", cleared.NotFoundf("piece pce_x not found")), 404, "", detailNotFound},
		{"A9.1 not found wins over another kind in the chain", fmt.Errorf("%w: %w", cleared.ErrConflict, cleared.ErrNotFound), 404, "", detailNotFound},
		{"unauthenticated", fmt.Errorf("list: %w", cleared.ErrUnauthenticated), 401, "", detailUnauthenticated},
		{"A8.2 forbidden carries the rule and its reason", fmt.Errorf("read content: %w", &cleared.ErrForbidden{Rule: "A8.2", Reason: "only in a security zone"}), 403, "A8.2", "only in a security zone"},
		{"invalid shows what is wrong", fmt.Errorf("register: %w", cleared.Invalidf("country %q: want LU", "lu")), 400, "", `country "lu": want LU`},
		{"a driver's constraint text is not shown", fmt.Errorf("sqlstore: create piece pce_x: %w: UNIQUE constraint failed: pieces.id (2067)", cleared.ErrConflict), 409, "", detailConflict},
		{"a driver's invalid text is not shown", fmt.Errorf("sqlstore: create grant: %w: FOREIGN KEY constraint failed", cleared.ErrInvalid), 400, "", detailInvalid},
		{"conflict shows the state", cleared.Conflictf("the piece was destroyed"), 409, "", "the piece was destroyed"},
		{"A10.1 destroyed key is a conflict", keyring.ErrKeyDestroyed, 409, "", ""},
		{"unavailable hides the cause", fmt.Errorf("%s: %w", secret, cleared.ErrUnavailable), 503, "", detailUnavailable},
		{"anything else is 500 and hides the cause", errors.New(secret), 500, "", detailInternal},
		{"a canceled context is 500", context.Canceled, 500, "", detailInternal},
		{"body too large", &statusError{status: 413, detail: "too big"}, 413, "", "too big"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := problemOf(tc.err)
			if p.Status != tc.status || p.Rule != tc.rule {
				t.Errorf("status %d rule %q, want %d %q", p.Status, p.Rule, tc.status, tc.rule)
			}
			if tc.detail != "" && p.Detail != tc.detail {
				t.Errorf("detail %q, want %q", p.Detail, tc.detail)
			}
			if !strings.HasPrefix(p.Type, problemBase) || p.Title == "" || p.Title != problemTypes[p.Status].title {
				t.Errorf("type %q title %q", p.Type, p.Title)
			}
			if strings.Contains(p.Detail, "/var/lib") || strings.Contains(p.Detail, "constraint failed") {
				t.Errorf("detail shows the cause: %q", p.Detail)
			}
		})
	}
}

func TestFailLogsTheHiddenCause(t *testing.T) {
	var logs bytes.Buffer
	s := &server{log: slog.New(slog.NewTextHandler(&logs, nil))}
	rec := httptest.NewRecorder()
	s.fail(rec, httptest.NewRequest("GET", "/api/pieces", nil), errors.New("disk full"))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "disk full") {
		t.Errorf("answer %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "disk full") {
		t.Errorf("the cause is not logged: %s", logs.String())
	}
}

// A page hides a driver's text as the API does, and logs it as the API does: else nobody could ever learn what
// a form broke.
func TestUIFailLogsTheHiddenCause(t *testing.T) {
	var logs bytes.Buffer
	s := kitServer(t)
	s.log = slog.New(slog.NewTextHandler(&logs, nil))
	for _, err := range []error{
		fmt.Errorf("sqlstore: create grant: %w: UNIQUE constraint failed: grants.id", cleared.ErrConflict),
		errors.New("disk full"),
	} {
		logs.Reset()
		rec := httptest.NewRecorder()
		s.uiFail(rec, httptest.NewRequest("POST", "/ui/grants", nil), nil, err)
		if strings.Contains(rec.Body.String(), err.Error()) {
			t.Errorf("the page shows the cause: %s", rec.Body)
		}
		if !strings.Contains(logs.String(), err.Error()) {
			t.Errorf("%q: the cause is not logged: %s", err, logs.String())
		}
	}
	logs.Reset()
	conflict := fmt.Errorf("sqlstore: change password: %w: database is locked", cleared.ErrConflict)
	rec := httptest.NewRecorder()
	if err := s.formFail(rec, httptest.NewRequest("POST", "/ui/account/password", nil), nil, passwordForm(), conflict); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusConflict || !strings.Contains(logs.String(), "database is locked") {
		t.Errorf("a form shown again at %d, the cause logged: %q", rec.Code, logs.String())
	}
	logs.Reset()
	s.uiFail(httptest.NewRecorder(), httptest.NewRequest("POST", "/ui/grants", nil), nil, cleared.Conflictf("the piece was destroyed"))
	if logs.Len() != 0 {
		t.Errorf("a refusal the page explains is logged: %s", logs.String())
	}
}

func TestPieceCursorRoundTrip(t *testing.T) {
	c := store.PieceCursor{Created: time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC), ID: cleared.NewPieceID()}
	s := encodePieceCursor(c)
	got, err := parsePieceCursor(s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	if !got.Created.Equal(c.Created) || got.ID != c.ID {
		t.Errorf("round trip gave %+v, want %+v", *got, c)
	}
	for _, bad := range []string{"", s + "=", s[:len(s)-1], s + "A", "\n" + s, s[:10] + "\r\n" + s[10:], strings.ToUpper(s), "a b"} {
		if _, err := parsePieceCursor(bad); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("parse %q: %v, want an invalid-input error", bad, err)
		}
	}
}

// FuzzParsePieceCursor: a cursor comes from outside; parsing never panics, refuses with ErrInvalid, and what it
// accepts is exactly what encodePieceCursor writes.
func FuzzParsePieceCursor(f *testing.F) {
	f.Add(encodePieceCursor(store.PieceCursor{Created: time.Unix(1, 0), ID: cleared.NewPieceID()}))
	f.Add("")
	f.Add("AAAAAAAAAAA")
	f.Add("////")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parsePieceCursor(s)
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("parse %q: %v, not of kind ErrInvalid", s, err)
			}
			return
		}
		if again := encodePieceCursor(*c); again != s {
			t.Fatalf("parse %q accepted a cursor that encodes as %q", s, again)
		}
		if c.ID.Validate() != nil || c.Created.UnixNano() <= 0 {
			t.Fatalf("parse %q gave %+v", s, *c)
		}
	})
}

// FuzzDecodeJSON: a request body comes from outside; decoding never panics, and every refusal is a 400 or 413
// problem (never a 500).
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"authority":"aut_x","kind":"electronic","title":"t","level":"SECRET","reasons":["a"],"review_on":"2030-01-01T00:00:00Z","content":"aGk="}`))
	f.Add([]byte(`{"level":"ULTRA"}`))
	f.Add([]byte(`{"reasons":"a"} x`))
	f.Add([]byte(`{"content":"%%%"}`))
	f.Add([]byte(`{"review_on":1}`))
	f.Add([]byte(`{"foreign_marking":null,"dossier":""}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/api/pieces", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		req.Body = http.MaxBytesReader(rec, req.Body, 1<<10)
		var in struct {
			Level   cleared.Level    `json:"level"`
			Reasons []cleared.Reason `json:"reasons"`
			Content []byte           `json:"content"`
			Review  time.Time        `json:"review_on"`
			Kind    cleared.PieceKind
			Title   string `json:"title"`
			Tags    map[cleared.Scheme]map[cleared.Level]string
		}
		err := decode(req, &in)
		if err == nil {
			if !json.Valid(body) {
				t.Fatalf("accepted invalid JSON %q", body)
			}
			return
		}
		if p := problemOf(err); p.Status != http.StatusBadRequest && p.Status != http.StatusRequestEntityTooLarge {
			t.Fatalf("decode %q: %v gives status %d", body, err, p.Status)
		}
	})
}

// kitServer is a server with only the UI's templates and catalogues, enough to map errors to pages.
func kitServer(t *testing.T) *server {
	t.Helper()
	kit, err := newUIKit()
	if err != nil {
		t.Fatal(err)
	}
	return &server{kit: kit}
}

// A form field the UI could not read, in the same chain as a kind of the service, is answered as that kind, as
// the API answers it: a page once said 400 and named the field where the API said 404 (A9.1), 413 or 409.
func TestProblemFor_FormFieldYieldsToTheService(t *testing.T) {
	s := kitServer(t)
	field := &inputError{field: "pieces.search", message: "form.too_long"}
	for _, err := range []error{
		errors.Join(field, cleared.ErrNotFound),
		errors.Join(field, &statusError{status: http.StatusRequestEntityTooLarge, detail: "form too large"}),
		errors.Join(field, cleared.Conflictf("the piece was destroyed")),
		errors.Join(field, fmt.Errorf("list: %w", cleared.ErrUnauthenticated)),
	} {
		api, page := problemOf(err), s.problemFor(err)
		if page.Status != api.Status || page.Field != "" {
			t.Errorf("%q: page %d naming field %q, API %d", err, page.Status, page.Field, api.Status)
		}
	}
	if p := s.problemFor(field); p.Status != http.StatusBadRequest || p.Field != field.field || p.Message != field.message {
		t.Errorf("the field alone: %+v", p)
	}
}

// TestErrorKinds holds the one table of error kinds to what both sides make of it: each sample error is of the
// kind named, and its page has the API's status; every row is met by a sample, its status has a problem type, and
// its catalogue keys are in every language. A 404 carries nothing of the error on either side (A9.1).
func TestErrorKinds(t *testing.T) {
	s := kitServer(t)
	field := &inputError{field: "pieces.search", message: "form.too_long"}
	refusal := &cleared.ErrForbidden{Rule: "A8.2", Reason: "only in a security zone", AuditSeq: 7}
	tooLarge := &statusError{status: http.StatusRequestEntityTooLarge, detail: "form too large"}
	samples := []struct {
		kind string
		err  error
	}{
		{"no route", errNoRoute},
		{"form from elsewhere", errCSRF},
		{"form from elsewhere", fmt.Errorf("grant: %w", errCrossOrigin)},
		{"form from elsewhere", errors.Join(errCSRF, cleared.ErrNotFound)},
		{"HTTP refusal", tooLarge},
		{"HTTP refusal", &statusError{status: http.StatusMethodNotAllowed, detail: "not that method"}},
		{"HTTP refusal", &statusError{status: http.StatusUnsupportedMediaType, detail: "not JSON"}},
		{"HTTP refusal", errors.Join(tooLarge, errCSRF)},
		{"HTTP refusal", errors.Join(cleared.ErrNotFound, tooLarge)},
		{"not found", cleared.ErrNotFound},
		{"not found", fmt.Errorf("piece pce_x: %w", cleared.NotFoundf("piece pce_x not found"))},
		{"not found", errors.Join(refusal, cleared.ErrNotFound)},
		{"not found", errors.Join(field, cleared.ErrNotFound)},
		{"not found", fmt.Errorf("%w: %w", cleared.ErrConflict, cleared.ErrNotFound)},
		{"unauthenticated", fmt.Errorf("list: %w", cleared.ErrUnauthenticated)},
		{"forbidden", refusal},
		{"forbidden", &cleared.ErrForbidden{Rule: "ZZ.9", Reason: "a rule the catalogues do not know"}},
		{"forbidden", errors.Join(refusal, cleared.ErrInvalid)},
		{"invalid", cleared.Invalidf("country %q: want LU", "lu")},
		{"invalid", fmt.Errorf("sqlstore: create grant: %w: FOREIGN KEY constraint failed", cleared.ErrInvalid)},
		{"invalid", errors.Join(field, cleared.Invalidf("no such level"))},
		{"conflict", cleared.Conflictf("the piece was destroyed")},
		{"conflict", keyring.ErrKeyDestroyed},
		{"unavailable", cleared.Unavailablef("database down")},
		{"form field", field},
		{"form field", fmt.Errorf("search: %w", field)},
		{"internal", errors.New("disk full")},
		{"internal", context.Canceled},
	}
	met := map[string]bool{}
	for _, sm := range samples {
		k, _ := kindOf(sm.err)
		met[k.name] = true
		api, page := problemOf(sm.err), s.problemFor(sm.err)
		if k.name != sm.kind || page.Status != api.Status {
			t.Errorf("%q: kind %q, want %q; API %d, page %d", sm.err, k.name, sm.kind, api.Status, page.Status)
		}
		if _, ok := problemTypes[api.Status]; !ok {
			t.Errorf("%q: status %d has no problem type", sm.err, api.Status)
		}
		for _, key := range []string{page.Title, page.Message, page.Field} {
			if key != "" && !s.kit.cat.has(key) {
				t.Errorf("%q: key %q is not in every catalogue", sm.err, key)
			}
		}
		if api.Status == http.StatusNotFound && sm.kind != "no route" && (api != newProblem(http.StatusNotFound, detailNotFound) ||
			page != uiProblem{Status: http.StatusNotFound, Title: "problem.not_found.title", Message: "problem.not_found"}) {
			t.Errorf("A9.1: %q: the 404 says more than not found: %+v, %+v", sm.err, api, page)
		}
	}
	for _, k := range append(errorKinds, internalKind) {
		if !met[k.name] {
			t.Errorf("no sample of the kind %q", k.name)
		}
		for _, key := range []string{k.title, k.message} {
			if !s.kit.cat.has(key) {
				t.Errorf("kind %q: key %q is not in every catalogue", k.name, key)
			}
		}
	}
}
