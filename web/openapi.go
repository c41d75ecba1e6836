package web

import (
	_ "embed"
	"net/http"
)

// openapiJSON is the OpenAPI 3.1 description of every route in [New], written by hand; TestOpenAPI holds the two
// to each other.
//
//go:embed openapi.json
var openapiJSON []byte

// openapi serves GET /api/openapi.json. It needs no token: it describes the API and reveals no data.
func (s *server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openapiJSON) //nolint:errcheck // the client may be gone; nothing more can be said to it
}
