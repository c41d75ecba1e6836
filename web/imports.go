package web

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing"
)

// Issue 21: products received from partners (S1), a STIX 2.1 bundle or a MISP event, registered as pieces by the
// sharing service (sharing/imports.go); this is its HTTP side.

// maxImportBody is the body limit of POST /api/imports: the largest document the parsers read.
const maxImportBody = sharing.MaxImportBytes

// importItem is one product in the answer: the piece registered for it, or revoked (a product the partner
// withdrew, not registered), or known (received before at this version, not registered again).
type importItem struct {
	Piece   *pieceJSON `json:"piece,omitempty"`
	UUID    string     `json:"uuid"`
	Skipped int        `json:"skipped"`
	Revoked bool       `json:"revoked,omitempty"`
	Known   bool       `json:"known,omitempty"`
}

// importProducts serves POST /api/imports?format=stix|misp&partner=&authority=&dossier=: the partner's document
// is registered by the sharing service (sharing.Service.Import), each product classified under its marking by the
// actor as the authority given, the partner recorded as its originator.
func (s *server) importProducts(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return cleared.Invalidf("malformed query string: %v", err)
	}
	for k, v := range q {
		if k != "format" && k != "partner" && k != "authority" && k != "dossier" {
			return cleared.Invalidf("unknown parameter %q: an import takes format, partner, authority and dossier", truncate(k, 40))
		}
		if len(v) != 1 {
			return cleared.Invalidf("parameter %s given %d times: give it once", k, len(v))
		}
	}
	format := cleared.ImportFormat(q.Get("format"))
	if err := format.Validate(); err != nil {
		return err
	}
	if q.Get("partner") == "" {
		return cleared.Invalidf("parameter partner is required: the partner that sent the document, recorded as the products' originator (A6.1)")
	}
	if q.Get("authority") == "" {
		return cleared.Invalidf("parameter authority is required: the classifying authority you hold and classify the products as (A5.1)")
	}
	if err := checkImportType(string(format), r.Header.Get("Content-Type")); err != nil {
		return err
	}
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return decodeError(err)
	}
	got, err := sh.Import(r.Context(), a, sharing.Import{Format: format, Data: data,
		Partner: cleared.OrganisationID(q.Get("partner")), Authority: cleared.AuthorityID(q.Get("authority")),
		Dossier: cleared.DossierID(q.Get("dossier"))})
	if err != nil {
		return err
	}
	items, top := importAnswer(got)
	h := http.Header{"Location": {"/api/pieces"}}
	if top != nil {
		h.Set("Classification", top.NationalMarking()) // A7.1: the highest level in the answer
	}
	return writeJSON(w, http.StatusCreated, struct {
		Items []importItem `json:"items"`
	}{items}, h)
}

// checkImportType accepts the media types partners send: STIX as application/stix+json (of version 2.1, if it
// says) or application/json, MISP as application/json.
func checkImportType(format, ct string) error {
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil {
		cs, hasCharset := params["charset"]
		utf8 := !hasCharset || strings.EqualFold(cs, "utf-8")
		v, hasVersion := params["version"]
		switch {
		case mt == "application/json" && utf8:
			return nil
		case format == "stix" && mt == "application/stix+json" && utf8 && (!hasVersion || v == "2.1"):
			return nil
		}
	}
	want := "application/json"
	if format == "stix" {
		want = "application/stix+json;version=2.1 or application/json"
	}
	return &statusError{status: http.StatusUnsupportedMediaType, detail: "A " + format + " import is sent as " + want + "."}
}
