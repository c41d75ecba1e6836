package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// equivalencePage shows the equivalence table in force (A6.1): for each national level, its foreign markings.
type equivalencePage struct {
	Page
	Table   cleared.EquivalenceTable
	Schemes []cleared.Scheme
	Rows    []equivalenceRow
}

type equivalenceRow struct {
	Level    cleared.Level
	Markings []string // in the order of Schemes; "" where a scheme has no equivalent
}

func (*equivalencePage) viewName() string { return "equivalence" }

func schemesOf(t cleared.EquivalenceTable) []cleared.Scheme {
	ss := make([]cleared.Scheme, 0, len(t.Schemes))
	for s := range t.Schemes {
		ss = append(ss, s)
	}
	slices.Sort(ss)
	return ss
}

// uiEquivalence serves GET /ui/equivalence: Equivalence.
func (s *server) uiEquivalence(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	t, err := s.reg.Equivalence(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	p := &equivalencePage{Page: Page{Title: "equivalence.title", Nav: "registers"}, Table: t, Schemes: schemesOf(t)}
	for _, l := range slices.Backward(cleared.Levels) {
		row := equivalenceRow{Level: l}
		for _, sc := range p.Schemes {
			row.Markings = append(row.Markings, t.Schemes[sc][l])
		}
		p.Rows = append(p.Rows, row)
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// newScheme names the inputs of a scheme added by the form.
const newScheme = "_new"

// equivalenceForm is the form of a new version of the table, filled with the table in force: one input per
// scheme and level, and a blank scheme to add one.
func (s *server) equivalenceForm(r *http.Request, t cleared.EquivalenceTable) *formPage {
	tr := s.kit.cat.translator(langOf(r))
	f := &formPage{Page: Page{Title: "equivalence.new", Nav: "registers"}, Intro: "equivalence.new.intro", Action: "/ui/equivalence",
		Submit: "equivalence.submit", Links: []link{{Href: "/ui/equivalence", Key: "equivalence.title"}}, Fields: []field{
			{Name: "valid_from", Label: "equivalence.valid_from", Help: "form.date_today.help", Kind: "date"},
			{Name: "note", Label: "equivalence.note", Kind: "text", Value: t.Note},
		}}
	for _, sc := range append(schemesOf(t), newScheme) {
		if sc == newScheme {
			f.Fields = append(f.Fields, field{Name: "new_scheme", Label: "equivalence.new_scheme", Help: "equivalence.new_scheme.help", Kind: "text"})
		}
		for _, l := range slices.Backward(cleared.Levels) {
			name := string(sc)
			if sc == newScheme {
				name = tr("equivalence.new_scheme")
			}
			f.Fields = append(f.Fields, field{Name: "m." + string(sc) + "." + l.String(), LabelText: name + " · " + tr("level."+l.String()),
				Kind: "text", Value: t.Schemes[sc][l]})
		}
	}
	return f
}

// uiEquivalenceForm serves GET /ui/equivalence/new.
func (s *server) uiEquivalenceForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormEquivalence); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	t, err := s.reg.Equivalence(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, s.equivalenceForm(r, t))
}

// uiEquivalenceCreate serves POST /ui/equivalence: SetEquivalence. A scheme whose inputs are all blank is left out.
func (s *server) uiEquivalenceCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	t := cleared.EquivalenceTable{Note: formText(v, "note"), Schemes: map[cleared.Scheme]map[cleared.Level]string{}}
	var err error
	t.ValidFrom, err = formDate(v, "valid_from", "equivalence.valid_from")
	for name := range v {
		rest, ok := strings.CutPrefix(name, "m.")
		// A blank input is no equivalent; any other is taken as typed, and must be exact (cleared.CheckName).
		marking := v.Get(name)
		if !ok || strings.TrimSpace(marking) == "" || err != nil {
			continue
		}
		sc, lv, ok := strings.Cut(rest, ".")
		if !ok {
			continue
		}
		if sc == newScheme {
			sc = strings.ToUpper(formText(v, "new_scheme"))
		}
		l, perr := cleared.ParseLevel(lv)
		if perr != nil || !l.Classified() {
			err = &inputError{field: "equivalence.title", message: "form.bad_level"}
			break
		}
		if t.Schemes[cleared.Scheme(sc)] == nil {
			t.Schemes[cleared.Scheme(sc)] = map[cleared.Level]string{}
		}
		t.Schemes[cleared.Scheme(sc)][l] = marking
	}
	if err == nil {
		if _, err = s.reg.SetEquivalence(r.Context(), u.Actor, t); err == nil {
			return seeOther(w, r, "/ui/equivalence", "equivalence")
		}
	}
	cur, cerr := s.reg.Equivalence(r.Context(), u.Actor)
	if cerr != nil {
		return cerr
	}
	return s.formFail(w, r, u, s.equivalenceForm(r, cur), err)
}
