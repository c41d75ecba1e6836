package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
)

// Rule profiles (A1.1) and the law's parameters (A17.1): the API routes.

// profileOut writes a profile with empty lists as [], never null.
func profileOut(p cleared.RuleProfile) cleared.RuleProfile {
	if p.Rules == nil {
		p.Rules = []cleared.ProfileRule{}
	}
	return p
}

// profileSummaryJSON is an item of GET /api/profiles.
type profileSummaryJSON struct {
	cleared.RuleProfile
	InForce bool `json:"in_force"`
}

// profileList serves GET /api/profiles: Profiles, the latest version of each, by name.
func (s *server) profileList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	ps, err := s.reg.Profiles(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, list[profileSummaryJSON]{Items: mapItems(ps, func(p registry.ProfileSummary) profileSummaryJSON {
		return profileSummaryJSON{RuleProfile: profileOut(p.RuleProfile), InForce: p.InForce}
	})})
}

// profileVersionsJSON is the answer of GET /api/profiles/{name}.
type profileVersionsJSON struct {
	Name     string                `json:"name"`
	Versions []cleared.RuleProfile `json:"versions"`
}

// profileRead serves GET /api/profiles/{name}: ProfileVersions, oldest first.
func (s *server) profileRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	name := r.PathValue("name")
	vs, err := s.reg.ProfileVersions(r.Context(), a, name)
	if err != nil {
		return err
	}
	return ok(w, profileVersionsJSON{Name: name, Versions: mapItems(vs, profileOut)})
}

// profileCreate serves POST /api/profiles: RecordProfile, a version of a profile as a document. A document that
// would relax the law is 403 with rule A1.1.
func (s *server) profileCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in cleared.RuleProfile
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.reg.RecordProfile(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/profiles/"+url.PathEscape(p.Name), profileOut(p))
}

// lawJSON is the answer of GET /api/law.
type lawJSON struct {
	InForce  cleared.LawParameters   `json:"in_force"`
	Versions []cleared.LawParameters `json:"versions"`
}

// lawRead serves GET /api/law: the law's parameters in force and every version.
func (s *server) lawRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	l, vs, err := s.reg.Law(r.Context(), a)
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []cleared.LawParameters{}
	}
	return ok(w, lawJSON{InForce: l, Versions: vs})
}

// newLaw is the body of POST /api/law: a version without its number, which the service gives.
type newLaw struct {
	ValidFrom              time.Time                            `json:"valid_from"`
	Note                   string                               `json:"note"`
	ClearanceValidityYears map[cleared.Level]int                `json:"clearance_validity_years"`
	Levels                 map[cleared.Level]cleared.LevelNames `json:"levels"`
}

// lawCreate serves POST /api/law: SetLaw, a version entering into force at valid_from.
func (s *server) lawCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in newLaw
	if err := decode(r, &in); err != nil {
		return err
	}
	l, err := s.reg.SetLaw(r.Context(), a, cleared.LawParameters{ValidFrom: in.ValidFrom, Note: in.Note,
		ClearanceValidityYears: in.ClearanceValidityYears, Levels: in.Levels})
	if err != nil {
		return err
	}
	return created(w, "/api/law", l)
}

// obligationJSON is a duty an act comes with.
type obligationJSON struct {
	Duty    policy.Duty `json:"duty"`
	Rule    string      `json:"rule"`
	Profile string      `json:"profile"`
}

// obligationsJSON is the answer of GET /api/pieces/{id}/obligations.
type obligationsJSON struct {
	Action      policy.Action    `json:"action"`
	Allowed     bool             `json:"allowed"`
	Rule        string           `json:"rule,omitempty"`
	Reason      string           `json:"reason,omitempty"`
	Obligations []obligationJSON `json:"obligations"`
}

// pieceObligations serves GET /api/pieces/{id}/obligations?action=…: what the act would come with under the rule
// profiles in force (A1.1), or the profile that refuses it.
func (s *server) pieceObligations(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.PieceID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	action := policy.Action(r.URL.Query().Get("action"))
	o, err := s.reg.Obligations(r.Context(), a, id, action)
	if err != nil {
		return err
	}
	return ok(w, obligationsJSON{Action: action, Allowed: o.Allowed, Rule: o.Rule, Reason: o.Reason,
		Obligations: mapItems(o.Obligations, func(ob policy.Obligation) obligationJSON {
			return obligationJSON{Duty: ob.Duty, Rule: ob.Rule, Profile: ob.Profile}
		})})
}

// foreignEquivalentJSON is the answer of GET /api/equivalence/{scheme}/{level}.
type foreignEquivalentJSON struct {
	Scheme  cleared.Scheme `json:"scheme"`
	Level   cleared.Level  `json:"level"`
	Marking string         `json:"marking"`
	Version int            `json:"version"`
}

// equivalentRead serves GET /api/equivalence/{scheme}/{level}: ForeignEquivalent. A level without an equivalent
// for the partner is 403 with rule A6.1.
func (s *server) equivalentRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	scheme := cleared.Scheme(r.PathValue("scheme"))
	l, err := cleared.ParseLevel(r.PathValue("level"))
	if err != nil {
		return err
	}
	m, v, err := s.reg.ForeignEquivalent(r.Context(), a, scheme, l)
	if err != nil {
		return err
	}
	return ok(w, foreignEquivalentJSON{Scheme: scheme, Level: l, Marking: m, Version: v})
}
