package web

import (
	"encoding/json"
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/sharing/misp"
	"github.com/cleared/cleared/sharing/stix"
)

// Issue 21: the register of partners and the releases of products (S1). The partners' own routes (TAXII, feeds)
// authenticate by client certificate (partner_auth.go); these serve persons, by token.

// sharingAPI registers the routes of partners and releases, and the live feed.
func (s *server) sharingAPI(api func(string, handlerFunc), handle func(string, http.Handler)) {
	api("GET /api/partners", s.partnerList)
	api("GET /api/partners/{id}", s.partnerRead)
	api("PUT /api/partners/{id}", s.partnerPut)
	api("GET /api/pieces/{id}/releases", s.releaseList)
	api("POST /api/pieces/{id}/releases", s.releaseCreate)
	api("GET /api/pieces/{id}/receipt", s.receiptRead)
	api("GET /api/releases/pending", s.releasePending)
	api("POST /api/releases/{id}/approve", s.releaseApprove)
	api("POST /api/releases/{id}/revoke", s.releaseRevoke)
	api("POST /api/releases/{id}/export", s.releaseExport)
	handle("POST /api/imports", s.authed(maxImportBody, s.importProducts)) // products received (web/imports.go)
	s.sourcesAPI(api)                                                      // sources pulled (web/sources.go)
	// Partners' systems, by client certificate.
	handle("GET /live/feed", http.HandlerFunc(s.liveFeed))
	handle("GET /misp/feed/{file}", http.HandlerFunc(s.mispFeed))
}

// sharerWith returns the sharing service and the request's {id}: the prologue of the sharing routes on one object.
func sharerWith[ID idType](s *server, r *http.Request) (*sharing.Service, ID, error) {
	sh, err := s.sharer()
	if err != nil {
		var zero ID
		return nil, zero, err
	}
	id, err := pathID[ID](r)
	return sh, id, err
}

// sharer returns the sharing service, or 503 where the server runs without one.
func (s *server) sharer() (*sharing.Service, error) {
	if s.share == nil {
		return nil, cleared.Unavailablef("sharing with partners is not configured on this server")
	}
	return s.share, nil
}

// partnerList serves GET /api/partners: Partners, by organisation ID.
func (s *server) partnerList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	pq, err := idPage[cleared.OrganisationID](r)
	if err != nil {
		return err
	}
	ps, err := sh.Partners(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, ps, pq.limit, func(p cleared.Partner) cleared.OrganisationID { return p.Organisation })
}

// partnerRead serves GET /api/partners/{id}: Partner.
func (s *server) partnerRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.OrganisationID](s, r)
	if err != nil {
		return err
	}
	p, err := sh.Partner(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p, nil)
}

// partnerPut serves PUT /api/partners/{id}: RecordPartner, the whole record each time.
func (s *server) partnerPut(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.OrganisationID](s, r)
	if err != nil {
		return err
	}
	var in sharing.NewPartner
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := sh.RecordPartner(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p, nil)
}

// releaseCreate serves POST /api/pieces/{id}/releases: Release, released or proposed for a second person.
func (s *server) releaseCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.PieceID](s, r)
	if err != nil {
		return err
	}
	var in sharing.NewRelease
	if err := decode(r, &in); err != nil {
		return err
	}
	rel, err := sh.Release(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return created(w, "/api/pieces/"+string(id)+"/releases", rel)
}

// receiptRead serves GET /api/pieces/{id}/receipt: PieceReceipt, the partner a piece was received from.
func (s *server) receiptRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.PieceID](s, r)
	if err != nil {
		return err
	}
	rc, err := sh.PieceReceipt(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rc, nil)
}

// releaseList serves GET /api/pieces/{id}/releases: PieceReleases, not paged (a piece has few).
func (s *server) releaseList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.PieceID](s, r)
	if err != nil {
		return err
	}
	rs, err := sh.PieceReleases(r.Context(), a, id)
	if err != nil {
		return err
	}
	if rs == nil {
		rs = []cleared.Release{}
	}
	return writeJSON(w, http.StatusOK, list[cleared.Release]{Items: rs}, nil)
}

// releasePending serves GET /api/releases/pending: the proposals the caller may approve.
func (s *server) releasePending(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	pq, err := idPage[cleared.ReleaseID](r)
	if err != nil {
		return err
	}
	rs, err := sh.Pending(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, rs, pq.limit, func(r cleared.Release) cleared.ReleaseID { return r.ID })
}

// releaseApprove serves POST /api/releases/{id}/approve: Approve, by the second person.
func (s *server) releaseApprove(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.ReleaseID](s, r)
	if err != nil {
		return err
	}
	if err := decodeOptional(r, &struct{}{}); err != nil {
		return err
	}
	rel, err := sh.Approve(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rel, nil)
}

// revocation is the body of POST /api/releases/{id}/revoke.
type revocation struct {
	Reason string `json:"reason"`
}

// releaseRevoke serves POST /api/releases/{id}/revoke: Revoke, with the reason partners are not told.
func (s *server) releaseRevoke(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.ReleaseID](s, r)
	if err != nil {
		return err
	}
	var in revocation
	if err := decode(r, &in); err != nil {
		return err
	}
	rel, err := sh.Revoke(r.Context(), a, id, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rel, nil)
}

// exportRequest is the body of POST /api/releases/{id}/export.
type exportRequest struct {
	Partner cleared.OrganisationID `json:"partner"`
	Format  string                 `json:"format"`
}

// releaseExport serves POST /api/releases/{id}/export: Export, the product as the partner receives it, in STIX 2.1
// (the default), MISP or cleared's JSON, as a file; the delivery is recorded as a transmission (A11.2).
func (s *server) releaseExport(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.ReleaseID](s, r)
	if err != nil {
		return err
	}
	var in exportRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	switch in.Format {
	case "", "stix", "misp", "json":
	default:
		return cleared.Invalidf("format must be stix, misp or json")
	}
	it, err := sh.Export(r.Context(), a, id, in.Partner)
	if err != nil {
		return err
	}
	p, err := sh.Partner(r.Context(), a, in.Partner)
	if err != nil {
		return err
	}
	var body []byte
	ctype := "application/json"
	switch in.Format {
	case "json":
		body, err = json.Marshal(it.Product)
	case "misp":
		body, err = misp.Event(it.Product, misp.Options{})
	default:
		body, err = stix.Bundle([]cleared.SharedProduct{it.Product}, stix.Options{ACS: p.ACS})
		ctype = "application/stix+json;version=2.1"
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", `attachment; filename="`+it.Product.UUID+`.json"`)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(body)
	return err
}
