package web

import (
	"net/http/httptest"
	"testing"
)

func TestUIHeaders(t *testing.T) {
	w := httptest.NewRecorder()
	uiHeaders(w)
	if got := w.Header().Get("Content-Security-Policy"); got != uiCSP {
		t.Errorf("CSP %q", got)
	}
	if got := w.Header().Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("X-Frame-Options %q", got)
	}
}
