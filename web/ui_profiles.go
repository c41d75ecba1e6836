package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// profilesPage shows the rule profiles (A1.1) and the law's parameters (A17.1, A4.1), each with its versions.
type profilesPage struct {
	Page
	Profiles []profileView
	Law      cleared.LawParameters
	Laws     []cleared.LawParameters
	LawRows  []lawRow
	// MayRecord: the forms are offered only to an NSA officer, whom the service lets record (A20.1).
	MayRecord bool
}

// profileView is a profile as the page shows it: its rules with the catalogue key of their kind.
type profileView struct {
	registry.ProfileSummary
	Rules []ruleView
}

type ruleView struct {
	KindKey string // catalogue key
	cleared.ProfileRule
	Actions string
}

func profileViewOf(p registry.ProfileSummary) profileView {
	v := profileView{ProfileSummary: p}
	for _, r := range p.Rules {
		v.Rules = append(v.Rules, ruleView{KindKey: "profiles.kind." + string(r.Kind), ProfileRule: r, Actions: strings.Join(r.Actions, ", ")})
	}
	return v
}

// lawRow is a level as the law in force names it, and how long its clearances are valid.
type lawRow struct {
	Level cleared.Level
	Names cleared.LevelNames
	Years int
}

func (*profilesPage) viewName() string { return "profiles" }

// uiProfiles serves GET /ui/profiles: Profiles and Law.
func (s *server) uiProfiles(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	ps, err := s.reg.Profiles(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	l, ls, err := s.reg.Law(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	may, err := s.reg.MayRecordRules(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	p := &profilesPage{Page: Page{Title: "profiles.title", Nav: "registers"}, Law: l, Laws: ls, MayRecord: may}
	for _, x := range ps {
		p.Profiles = append(p.Profiles, profileViewOf(x))
	}
	for _, lv := range slices.Backward(cleared.Levels) {
		p.LawRows = append(p.LawRows, lawRow{Level: lv, Names: l.Levels[lv], Years: l.ClearanceValidityYears[lv]})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// profileForm is the form of a new version of a profile: its JSON document.
func profileForm() *formPage {
	return &formPage{Page: Page{Title: "profiles.new", Nav: "registers"}, Intro: "profiles.new.intro", Action: "/ui/profiles",
		Submit: "profiles.submit", Links: []link{{Href: "/ui/profiles", Key: "profiles.title"}}, Fields: []field{
			{Name: "document", Label: "profiles.document", Help: "profiles.document.help", Kind: "textarea", Required: true},
		}}
}

// lawForm is the form of a new version of the law's parameters: its JSON document.
func lawForm() *formPage {
	return &formPage{Page: Page{Title: "law.new", Nav: "registers"}, Intro: "law.new.intro", Action: "/ui/law",
		Submit: "law.submit", Links: []link{{Href: "/ui/profiles", Key: "profiles.title"}}, Fields: []field{
			{Name: "document", Label: "law.document", Help: "law.document.help", Kind: "textarea", Required: true},
		}}
}

// uiProfileForm serves GET /ui/profiles/new.
func (s *server) uiProfileForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.render(w, r, u, http.StatusOK, profileForm())
}

// uiProfileCreate serves POST /ui/profiles: RecordProfile. A document that would relax the law is refused with
// A1.1, shown on the form with what was typed.
func (s *server) uiProfileCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	var doc cleared.RuleProfile
	err := decodeStrict([]byte(r.PostForm.Get("document")), &doc)
	if err == nil {
		if _, err = s.reg.RecordProfile(r.Context(), u.Actor, doc); err == nil {
			return seeOther(w, r, "/ui/profiles", "profile")
		}
	}
	return s.formFail(w, r, u, profileForm(), err)
}

// uiLawForm serves GET /ui/law/new.
func (s *server) uiLawForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.render(w, r, u, http.StatusOK, lawForm())
}

// uiLawCreate serves POST /ui/law: SetLaw, from the same document as POST /api/law.
func (s *server) uiLawCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	var in newLaw
	err := decodeStrict([]byte(r.PostForm.Get("document")), &in)
	if err == nil {
		_, err = s.reg.SetLaw(r.Context(), u.Actor, cleared.LawParameters{ValidFrom: in.ValidFrom, Note: in.Note,
			ClearanceValidityYears: in.ClearanceValidityYears, Levels: in.Levels})
		if err == nil {
			return seeOther(w, r, "/ui/profiles", "law")
		}
	}
	return s.formFail(w, r, u, lawForm(), err)
}

// decodeStrict reads a JSON document typed into a form as strictly as decode reads a request body: every field
// known and given once, every value of its type, nothing after it.
func decodeStrict(data []byte, v any) error {
	if err := checkStrict(data, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&json.RawMessage{}); err != io.EOF {
		return cleared.Invalidf("the document: unexpected data after the JSON object")
	}
	return nil
}
