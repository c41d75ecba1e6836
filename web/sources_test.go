package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
)

// TestSourcesAPI_S1 walks the routes of sources as a registrar, the NSA and others would (issue 21 §2).
func TestSourcesAPI_S1(t *testing.T) {
	e := newEnv(t, nil)
	sw := testenv.NewSharingWorld(t, e.te, nil)
	w := e.world
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	check := func(method, route string, r response) response {
		t.Helper()
		op, ok := ops[method+" "+route]
		if !ok {
			t.Fatalf("%s %s is not documented", method, route)
		}
		oaCheckAnswer(t, doc, op, r)
		return r
	}
	// A server nobody listens at: the poll fails, and says so.
	in := map[string]any{"partner": sw.NATO.Organisation, "kind": "taxii", "url": "https://127.0.0.1:1/taxii2/api/collections/c1/",
		"authority": w.PaulAuth.ID}
	r := check("POST", "/api/sources", e.post("paul", "/api/sources", in))
	if r.status != http.StatusCreated {
		t.Fatalf("record a source: %d %s", r.status, r.body)
	}
	src := decodeAs[cleared.Source](t, r)
	if src.Registrar.Person != w.Paul.ID || r.header.Get("Location") != "/api/sources/"+string(src.ID) {
		t.Errorf("source %+v at %q: want paul as registrar, located at its ID", src, r.header.Get("Location"))
	}
	if r := check("GET", "/api/sources", e.get("helene", "/api/sources")); r.status != http.StatusOK ||
		len(decodeAs[struct{ Items []cleared.Source }](t, r).Items) != 1 {
		t.Errorf("sources as the NSA: %d %s, want the one source", r.status, r.body)
	}
	wantRule(t, e.get("lea", "/api/sources"), http.StatusForbidden, "S1")

	r = check("POST", "/api/sources/{id}/poll", e.post("paul", "/api/sources/"+string(src.ID)+"/poll", nil))
	if p := wantProblem(t, r, http.StatusBadGateway, ""); !strings.Contains(p.Detail, "127.0.0.1:1") {
		t.Errorf("poll of a server that does not answer: %q, want it named", p.Detail)
	}
	wantRule(t, e.post("director", "/api/sources/"+string(src.ID)+"/poll", nil), http.StatusForbidden, "S1")
	wantProblem(t, e.post("lea", "/api/sources/"+string(src.ID)+"/poll", nil), http.StatusNotFound, "")
	wantProblem(t, e.post("paul", "/api/sources/"+string(cleared.NewSourceID())+"/poll", nil), http.StatusNotFound, "")

	// Paused by its registrar: not polled, and says why.
	in["paused"] = true
	if r := check("PUT", "/api/sources/{id}", e.request("paul", "PUT", "/api/sources/"+string(src.ID), "application/json", in)); r.status != http.StatusOK {
		t.Fatalf("pause: %d %s", r.status, r.body)
	}
	wantRule(t, e.post("paul", "/api/sources/"+string(src.ID)+"/poll", nil), http.StatusForbidden, "S1")
	wantRule(t, e.request("lea", "PUT", "/api/sources/"+string(src.ID), "application/json", in), http.StatusForbidden, "A5.1")
	in["colour"] = "blue"
	wantProblem(t, e.request("paul", "PUT", "/api/sources/"+string(src.ID), "application/json", in), http.StatusBadRequest, "")
}
