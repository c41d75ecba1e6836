package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The pages of the intake of vetting cases (issue 20 §2): the security officer opens a case and follows its stage
// (A25.1; the NSA a foreign one, A20.1); the person under vetting fills in the questionnaire section by section,
// signs it and the consent, or refuses (A25.1, A25.2, A26.1). The officer's pages never hold an answer: the service
// gives him none. Registered by New.
func (s *server) vettingCasePages(page func(pattern string, h uiHandler)) {
	page("GET /ui/vetting-cases", s.uiVettingCases)
	page("GET /ui/vetting-cases/new", s.uiVettingCaseForm)
	page("POST /ui/vetting-cases", s.uiVettingCaseOpen)
	page("GET /ui/vetting-cases/{id}", s.uiVettingCase)
	page("GET /ui/vetting-cases/{id}/questionnaire/{section}", s.uiQuestionnaireSection)
	page("POST /ui/vetting-cases/{id}/questionnaire/{section}", s.uiQuestionnaireSave)
	page("POST /ui/vetting-cases/{id}/sign", s.uiVettingCaseSign)
	page("POST /ui/vetting-cases/{id}/consent", s.uiVettingCaseConsent)
	page("POST /ui/vetting-cases/{id}/refuse", s.uiVettingCaseRefuse)
}

// uiVettingCases serves GET /ui/vetting-cases: Cases, one's own and those one answers for, with their stage.
func (s *server) uiVettingCases(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	cs, err := s.vet.Cases(r.Context(), u.Actor, vetting.CaseFilter{})
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, string(c.PersonID))
	}
	n := s.names(r, u, ids...)
	p := &tablePage{Page: Page{Title: "vetting.title", Nav: "registers"}, Intro: "vetting.intro", Caption: "vetting.title",
		Columns: []string{"vetting.person", "post.level", "vetting.stage", "vetting.deadline", "common.id"}, Empty: "list.empty"}
	if s.offerVetting(r, u, vetting.FormVettingCase) == nil {
		p.Actions = []link{{Href: "/ui/vetting-cases/new", Key: "vetting.new"}}
	}
	for _, c := range cs {
		p.Rows = append(p.Rows, row{ID: string(c.ID), Cells: []cell{n.cell(string(c.PersonID)), levelCell(c.Level),
			cell{Key: "vetting.stage." + string(c.Stage), Href: "/ui/vetting-cases/" + string(c.ID), ID: "case-" + string(c.ID)},
			dateCell(c.Deadline), codeCell(string(c.ID))}})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func vettingCaseForm() *formPage {
	return &formPage{Page: Page{Title: "vetting.new", Nav: "registers"}, Intro: "vetting.new.intro", Action: "/ui/vetting-cases",
		Submit: "vetting.open", Links: []link{{Href: "/ui/vetting-cases", Key: "vetting.title"}}, Fields: []field{
			{Name: "person_id", Label: "vetting.person", Help: "vetting.person.help", Kind: "text", Required: true},
			{Name: "post", Label: "vetting.post", Help: "vetting.post.help", Kind: "text"},
			{Name: "contract", Label: "assignment.contract", Kind: "text"},
			{Name: "origin", Label: "vetting.origin", Help: "vetting.origin.help", Kind: "select", Options: []option{
				{Value: "national", Key: "vetting.origin.national"}, {Value: "foreign_nsa", Key: "vetting.origin.foreign_nsa"},
				{Value: "international", Key: "vetting.origin.international"}}},
			{Name: "foreign_body", Label: "vetting.foreign_body", Kind: "text"},
			{Name: "foreign_reference", Label: "vetting.foreign_reference", Kind: "text"},
			{Name: "kind", Label: "vetting.kind", Kind: "select", Options: []option{
				{Value: "initial", Key: "vetting.kind.initial"}, {Value: "renewal", Key: "vetting.kind.renewal"},
				{Value: "follow_up", Key: "vetting.kind.follow_up"}}},
			{Name: "trigger", Label: "vetting.trigger", Help: "vetting.trigger.help", Kind: "textarea"},
			{Name: "deadline", Label: "vetting.deadline", Help: "vetting.deadline.help", Kind: "date"},
		}}
}

// uiVettingCaseForm serves GET /ui/vetting-cases/new, offered only to a security officer in office or the NSA.
func (s *server) uiVettingCaseForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offerVetting(r, u, vetting.FormVettingCase); err != nil {
		return err
	}
	f := vettingCaseForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiVettingCaseOpen serves POST /ui/vetting-cases: OpenCase.
func (s *server) uiVettingCaseOpen(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := vetting.NewCase{PersonID: cleared.PersonID(formText(v, "person_id")), Post: cleared.PostID(formText(v, "post")),
		Contract: cleared.ContractID(formText(v, "contract")), Origin: cleared.CaseOrigin(formText(v, "origin")),
		ForeignBody: formText(v, "foreign_body"), ForeignReference: formText(v, "foreign_reference"),
		Kind: cleared.CaseKind(formText(v, "kind")), Trigger: formText(v, "trigger")}
	var err error
	if in.Deadline, err = formDate(v, "deadline", "vetting.deadline"); err == nil {
		var c cleared.VettingCase
		if c, err = s.vet.OpenCase(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/vetting-cases/"+string(c.ID), "vetting_opened")
		}
	}
	return s.formFail(w, r, u, vettingCaseForm(), err)
}

// uiVettingCase serves GET /ui/vetting-cases/{id}: the case's record and stage; for the person, his questionnaire's
// sections and the buttons to sign, consent or refuse.
func (s *server) uiVettingCase(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	c, err := s.vet.Case(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	n := s.names(r, u, string(c.PersonID), string(c.OrganisationID))
	target := codeCell(string(c.Post))
	if c.Contract != "" {
		target = codeCell(string(c.Contract))
	}
	items := []detail{
		{Label: "vetting.person", Value: n.cell(string(c.PersonID))},
		{Label: "post.organisation", Value: n.cell(string(c.OrganisationID))},
		{Label: "vetting.post", Value: target},
		{Label: "post.level", Value: levelCell(c.Level)},
		{Label: "vetting.stage", Value: keyCell("vetting.stage." + string(c.Stage)), ID: "case-stage"},
		{Label: "vetting.origin", Value: keyCell("vetting.origin." + string(c.Origin))},
		{Label: "vetting.kind", Value: keyCell("vetting.kind." + string(c.Kind))},
		{Label: "vetting.deadline", Value: dateCell(c.Deadline)},
		{Label: "vetting.signed", Value: dateCell(c.Signed)},
		{Label: "vetting.consented", Value: dateCell(c.Consented)},
		{Label: "common.id", Value: codeCell(string(c.ID))},
	}
	if c.ForeignBody != "" {
		items = append(items, detail{Label: "vetting.foreign_body", Value: textCell(c.ForeignBody + " — " + c.ForeignReference)})
	}
	if c.Trigger != "" {
		items = append(items, detail{Label: "vetting.trigger", Value: textCell(c.Trigger)})
	}
	if c.CloseCause != "" {
		items = append(items, detail{Label: "vetting.closed", Value: keyCell("vetting.cause." + c.CloseCause), ID: "case-cause"})
	}
	p := &recordPage{Page: Page{Title: "vetting.page", Nav: "registers"}, Intro: "vetting.page.intro", Items: items,
		Actions: append([]link{{Href: "/ui/vetting-cases", Key: "vetting.title"}}, caseLinks(c, s.offerVetting(r, u, vetting.FormInvestigation) == nil)...)}
	if c.Stage == cleared.StageGranted || c.Stage == cleared.StageRefused || c.Stage == cleared.StageWithdrawn {
		p.Actions = append(p.Actions, link{Href: "/ui/vetting-cases/" + string(id) + "/decision", Key: "decision.page"}) // issue 20 §6
	}
	if !c.Full {
		return s.render(w, r, u, http.StatusOK, p)
	}
	p.Intro = "vetting.page.person"
	open := c.Stage == cleared.StageOpened || c.Stage == cleared.StageQuestionnaire
	sec := section{ID: "questionnaire", Title: "vetting.questionnaire", Columns: []string{"vetting.section", "vetting.saved", "vetting.fill"}}
	for _, sc := range vetting.Sections {
		fill := textCell("")
		if open && c.Signed.IsZero() {
			fill = cell{Key: "vetting.fill", Href: "/ui/vetting-cases/" + string(id) + "/questionnaire/" + string(sc), ID: "fill-" + string(sc)}
		}
		saved := keyCell("vetting.missing")
		if t, ok := c.Saved[sc]; ok {
			saved = dateCell(t)
		}
		sec.Rows = append(sec.Rows, row{ID: string(sc), Cells: []cell{keyCell("vetting.section." + string(sc)), saved, fill}})
	}
	p.Sections = []section{sec}
	if open {
		steps := section{ID: "steps", Title: "vetting.steps", Columns: []string{"vetting.step"}}
		if c.Signed.IsZero() {
			steps.Rows = append(steps.Rows, row{ID: "sign", Cells: []cell{{Post: "/ui/vetting-cases/" + string(id) + "/sign", CSRF: u.CSRF, Key: "vetting.sign", ID: "sign"}}})
		}
		if c.Kind != cleared.KindFollowUp && c.Consented.IsZero() {
			steps.Rows = append(steps.Rows, row{ID: "consent", Cells: []cell{{Post: "/ui/vetting-cases/" + string(id) + "/consent", CSRF: u.CSRF, Key: "vetting.consent", ID: "consent"}}})
		}
		steps.Rows = append(steps.Rows, row{ID: "refuse", Cells: []cell{{Post: "/ui/vetting-cases/" + string(id) + "/refuse", CSRF: u.CSRF, Key: "vetting.refuse", ID: "refuse"}}})
		p.Sections = append(p.Sections, steps)
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// sectionFields are the inputs of a section of the questionnaire (A21.1's categories).
func sectionFields(sec vetting.Section) []field {
	yes := func(name, label string) field { return field{Name: name, Label: label, Kind: "checkbox"} }
	switch sec {
	case vetting.SectionCivilStatus:
		return []field{
			{Name: "surname", Label: "q.surname", Kind: "text", Required: true},
			{Name: "given_names", Label: "q.given_names", Kind: "text", Required: true},
			{Name: "born", Label: "q.born", Kind: "date", Required: true},
			{Name: "birthplace", Label: "q.birthplace", Kind: "text", Required: true},
			{Name: "nationalities", Label: "q.nationalities", Help: "q.nationalities.help", Kind: "text", Required: true},
			{Name: "marital_status", Label: "q.marital_status", Kind: "select", Required: true, Options: choose([]option{
				{Value: "single", Key: "q.marital.single"}, {Value: "married", Key: "q.marital.married"},
				{Value: "partnered", Key: "q.marital.partnered"}, {Value: "divorced", Key: "q.marital.divorced"},
				{Value: "widowed", Key: "q.marital.widowed"}})},
		}
	case vetting.SectionSolvency:
		return []field{yes("debts", "q.debts"), {Name: "debt_details", Label: "q.debt_details", Kind: "textarea"}, yes("insolvency", "q.insolvency")}
	case vetting.SectionProfessional:
		var fs []field
		for i := 1; i <= maxJobRows; i++ {
			n := strconv.Itoa(i)
			fs = append(fs, field{Name: "employer_" + n, Label: "q.employer", Kind: "text", Required: i == 1},
				field{Name: "function_" + n, Label: "q.function", Kind: "text", Required: i == 1},
				field{Name: "from_" + n, Label: "q.from", Kind: "date", Required: i == 1},
				field{Name: "until_" + n, Label: "q.until", Help: "q.until.help", Kind: "date"})
		}
		return fs
	case vetting.SectionReliability:
		return []field{yes("convictions", "q.convictions"), yes("proceedings", "q.proceedings"), {Name: "details", Label: "q.details", Kind: "textarea"}}
	}
	return []field{yes("foreign_contacts", "q.foreign_contacts"), yes("pressure", "q.pressure"), {Name: "details", Label: "q.details", Kind: "textarea"}}
}

// maxJobRows is how many jobs the page's form offers; the API takes more.
const maxJobRows = 4

// sectionJSON turns the posted form of a section into its answers, as the API takes them.
func sectionJSON(sec vetting.Section, v url.Values) ([]byte, error) {
	m := map[string]any{}
	switch sec {
	case vetting.SectionCivilStatus:
		for _, k := range []string{"surname", "given_names", "born", "birthplace", "marital_status"} {
			m[k] = formText(v, k)
		}
		var ns []string
		for _, n := range strings.Split(formText(v, "nationalities"), ",") {
			if n = strings.ToUpper(strings.TrimSpace(n)); n != "" {
				ns = append(ns, n)
			}
		}
		m["nationalities"] = ns
	case vetting.SectionProfessional:
		jobs := []map[string]string{}
		for i := 1; i <= maxJobRows; i++ {
			n := strconv.Itoa(i)
			j := map[string]string{"employer": formText(v, "employer_"+n), "function": formText(v, "function_"+n), "from": formText(v, "from_"+n)}
			if u := formText(v, "until_"+n); u != "" {
				j["until"] = u
			}
			if j["employer"] != "" || j["function"] != "" || j["from"] != "" || j["until"] != "" {
				jobs = append(jobs, j)
			}
		}
		m["jobs"] = jobs
	default:
		for _, f := range sectionFields(sec) {
			if f.Kind == "checkbox" {
				m[f.Name] = formBool(v, f.Name)
			} else {
				m[f.Name] = formText(v, f.Name)
			}
		}
	}
	return json.Marshal(m)
}

// sectionValues turns a section's answers (saved or offered from an earlier case) into the form's values.
func sectionValues(sec vetting.Section, data []byte) url.Values {
	v := url.Values{}
	var m map[string]any
	if json.Unmarshal(data, &m) != nil {
		return v
	}
	for k, x := range m {
		switch x := x.(type) {
		case string:
			v.Set(k, x)
		case bool:
			if x {
				v.Set(k, "on")
			}
		case []any:
			if k == "nationalities" {
				var ns []string
				for _, n := range x {
					if s, ok := n.(string); ok {
						ns = append(ns, s)
					}
				}
				v.Set(k, strings.Join(ns, ", "))
			}
			if k == "jobs" {
				for i, j := range x {
					jm, _ := j.(map[string]any)
					for f, val := range jm {
						if s, ok := val.(string); ok && i < maxJobRows {
							v.Set(f+"_"+strconv.Itoa(i+1), s)
						}
					}
				}
			}
		}
	}
	return v
}

func sectionForm(id cleared.VettingCaseID, sec vetting.Section) *formPage {
	base := "/ui/vetting-cases/" + string(id)
	return &formPage{Page: Page{Title: "vetting.section." + string(sec), Nav: "registers"}, Intro: "vetting.section.intro",
		Action: base + "/questionnaire/" + string(sec), Submit: "vetting.save", Fields: sectionFields(sec),
		Links: []link{{Href: base, Key: "vetting.page"}}}
}

// uiQuestionnaireSection serves GET /ui/vetting-cases/{id}/questionnaire/{section}: the person's form of a section,
// filled with his draft, or else with his earlier case's answers to check (A25.1).
func (s *server) uiQuestionnaireSection(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, sec := cleared.VettingCaseID(r.PathValue("id")), vetting.Section(r.PathValue("section"))
	if id.Validate() != nil || !sec.Valid() {
		return cleared.ErrNotFound
	}
	c, err := s.vet.Case(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	if !c.Full {
		return cleared.ErrNotFound // the answers are the person's: another reader has no form of them
	}
	f := sectionForm(id, sec)
	if a, ok := c.Answers[sec]; ok {
		f.fill(sectionValues(sec, a))
	} else if a, ok := c.Prefill[sec]; ok {
		f.fill(sectionValues(sec, a))
		f.Warning = "vetting.prefilled"
	}
	return s.render(w, r, u, http.StatusOK, f)
}

// uiQuestionnaireSave serves POST /ui/vetting-cases/{id}/questionnaire/{section}: SaveSection.
func (s *server) uiQuestionnaireSave(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, sec := cleared.VettingCaseID(r.PathValue("id")), vetting.Section(r.PathValue("section"))
	if id.Validate() != nil || !sec.Valid() {
		return cleared.ErrNotFound
	}
	data, err := sectionJSON(sec, r.PostForm)
	if err == nil {
		if _, err = s.vet.SaveSection(r.Context(), u.Actor, id, sec, data); err == nil {
			return seeOther(w, r, "/ui/vetting-cases/"+string(id), "vetting_saved")
		}
	}
	return s.formFail(w, r, u, sectionForm(id, sec), err)
}

// uiVettingCaseSign, uiVettingCaseConsent and uiVettingCaseRefuse serve the person's buttons.
func (s *server) uiVettingCaseSign(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.uiCaseStep(w, r, u, s.vet.SignQuestionnaire, "vetting_signed")
}

func (s *server) uiVettingCaseConsent(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.uiCaseStep(w, r, u, s.vet.Consent, "vetting_consented")
}

func (s *server) uiVettingCaseRefuse(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.uiCaseStep(w, r, u, s.vet.Refuse, "vetting_refused")
}

func (s *server) uiCaseStep(w http.ResponseWriter, r *http.Request, u *uiSession, step caseStep, ok string) error {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if _, err := step(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/vetting-cases/"+string(id), ok)
}
