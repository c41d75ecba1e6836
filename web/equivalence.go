package web

import (
	"net/http"
	"time"

	"github.com/cleared/cleared"
)

// equivalenceRead serves GET /api/equivalence: Equivalence, the table in force now.
func (s *server) equivalenceRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	t, err := s.reg.Equivalence(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, t)
}

// newEquivalence is the body of POST /api/equivalence: a table without its version, which the service numbers.
type newEquivalence struct {
	ValidFrom time.Time                                   `json:"valid_from"`
	Note      string                                      `json:"note"`
	Schemes   map[cleared.Scheme]map[cleared.Level]string `json:"schemes"`
}

// equivalenceCreate serves POST /api/equivalence: SetEquivalence, a new version of the table. It is read back
// at /api/equivalence once it takes effect.
func (s *server) equivalenceCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in newEquivalence
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.reg.SetEquivalence(r.Context(), a, cleared.EquivalenceTable{ValidFrom: in.ValidFrom, Note: in.Note, Schemes: in.Schemes})
	if err != nil {
		return err
	}
	return created(w, "/api/equivalence", t)
}
