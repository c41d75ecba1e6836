package web

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestUIHeaders_HSTSOnlyOverTLS(t *testing.T) {
	w := httptest.NewRecorder()
	uiHeaders(w, httptest.NewRequest("GET", "/ui/", nil))
	if got := w.Header().Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS over plain HTTP: %q", got)
	}
	r := httptest.NewRequest("GET", "/ui/", nil)
	r.TLS = &tls.ConnectionState{}
	w = httptest.NewRecorder()
	uiHeaders(w, r)
	if got := w.Header().Get("Strict-Transport-Security"); got != "max-age=63072000" {
		t.Errorf("HSTS over TLS: %q", got)
	}
	if got := w.Header().Get("Content-Security-Policy"); got != uiCSP {
		t.Errorf("CSP %q", got)
	}
}
