package web_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestMetrics(t *testing.T) {
	e := newEnv(t, nil)
	ts := string(e.world.TopSecret.ID)
	wantStatus(t, e.get("sophie_zone", "/api/pieces"), http.StatusOK)
	wantProblem(t, e.get("sophie_office", "/api/pieces/"+ts+"/content"), http.StatusForbidden, "A8.2")
	r := e.get("", "/metrics")
	wantStatus(t, r, http.StatusOK)
	body := string(r.body)
	for _, want := range []string{
		`cleared_http_requests_total{code="200",route="GET /api/pieces"} 1`,
		`cleared_http_requests_total{code="403",route="GET /api/pieces/{id}/content"} 1`,
		`cleared_decisions_total{action="piece.read_content",outcome="deny",rule="A8.2"} 1`,
		`cleared_decisions_total{action="piece.list",outcome="allow",rule=""}`,
		`cleared_http_request_duration_seconds_bucket{route="GET /api/pieces"`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Metrics count actions by route pattern: no ID, hence no piece, appears in them.
	if strings.Contains(body, "pce_") || strings.Contains(body, "per_") {
		t.Error("/metrics shows an identifier")
	}
}
