package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
)

// The TAXII server's parsers of outside input, for the fuzz tests of taxii_test.go.

// AcceptsTAXII reports whether Accept header values allow TAXII 2.1.
func AcceptsTAXII(values []string) bool { return acceptsTAXII(values) }

// ParseTAXIIPageQuery reads a page request's query string.
func ParseTAXIIPageQuery(rawQuery string) error {
	_, _, _, err := taxiiPageQuery(&http.Request{URL: &url.URL{RawQuery: rawQuery}})
	return err
}

// TAXIIFail renders err as the TAXII server answers it.
func TAXIIFail(err error) (status int, header http.Header, body []byte) {
	s := New(Config{}).(*server)
	w := httptest.NewRecorder()
	s.taxiiFail(w, httptest.NewRequest(http.MethodGet, "/taxii2/", nil), err)
	return w.Code, w.Header(), w.Body.Bytes()
}
