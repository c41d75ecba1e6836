package web

import (
	"net/http"

	"github.com/cleared/cleared"
)

// otherFormatsJSON is an organisation's choice for files that cannot be stamped (A7.1).
type otherFormatsJSON struct {
	OrganisationID cleared.OrganisationID `json:"organisation_id"`
	OtherFormats   cleared.OtherFormats   `json:"other_formats"`
}

// otherFormatsIn is the body of PUT /api/organisations/{id}/other-formats.
type otherFormatsIn struct {
	OtherFormats cleared.OtherFormats `json:"other_formats"`
}

// otherFormatsRead serves GET /api/organisations/{id}/other-formats: OtherFormats.
func (s *server) otherFormatsRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.OrganisationID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	o, _, err := s.reg.OtherFormats(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, otherFormatsJSON{OrganisationID: id, OtherFormats: o})
}

// otherFormatsSet serves PUT /api/organisations/{id}/other-formats: SetOtherFormats, by the organisation's
// security officer (A7.1).
func (s *server) otherFormatsSet(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.OrganisationID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	var in otherFormatsIn
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.reg.SetOtherFormats(r.Context(), a, id, in.OtherFormats); err != nil {
		return err
	}
	return ok(w, otherFormatsJSON{OrganisationID: id, OtherFormats: in.OtherFormats})
}
