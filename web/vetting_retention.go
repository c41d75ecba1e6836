package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The routes of the retention of vetting cases' personal data (issue 20 §9, package vetting, retention.go): the
// NSA reads which cases are due for erasure, held or purged, and records why a closed case's data is kept, with
// the date it reviews that again (A23.2). The purge itself is the server's daily job and `cleared purge`, not a
// route. Registered by New.
func (s *server) vettingRetentionAPI(api func(pattern string, h handlerFunc)) {
	api("GET /api/vetting-retention", s.vettingRetentionRead)
	api("POST /api/vetting-cases/{id}/retention-hold", s.vettingRetentionHold)
}

// vettingRetentionRead serves GET /api/vetting-retention: Retention, the cases due, held and purged (A23.2); the
// NSA's only.
func (s *server) vettingRetentionRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	v, err := s.vet.Retention(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// vettingRetentionHold serves POST /api/vetting-cases/{id}/retention-hold: HoldCase, the body {"reason": …,
// "review": RFC 3339} (A23.2).
func (s *server) vettingRetentionHold(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var in vetting.Hold
	if err := decode(r, &in); err != nil {
		return err
	}
	rc, err := s.vet.HoldCase(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, rc)
}
