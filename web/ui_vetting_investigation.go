package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/vetting"
)

// The pages of the investigation and of the person's file (issue 20 §4, §10): the NSA's workspace on a case (open
// the investigation, the officers on the case, items by the law's categories with the checklist of the level,
// requests with foreign services, the report; A15.2, A21.1, A24.1, A25.3), and the person's request to see his
// file after a refusal or withdrawal and the file itself, the items revealing sources as their summary (A28.1).
// What a page shows is what the service gives its reader. Registered by New.
func (s *server) vettingInvestigationPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/vetting-cases/{id}/investigation", s.uiInvestigation)
	page("POST /ui/vetting-cases/{id}/investigation", s.uiInvestigationOpen)
	page("GET /ui/vetting-cases/{id}/investigation/officers", s.uiInvestigationForm(investigatorForm))
	page("POST /ui/vetting-cases/{id}/investigation/officers", s.uiInvestigationAssign)
	page("POST /ui/vetting-cases/{id}/investigation/officers/{person}/end", s.uiInvestigationEndOfficer)
	page("GET /ui/vetting-cases/{id}/investigation/items", s.uiInvestigationForm(itemForm))
	page("POST /ui/vetting-cases/{id}/investigation/items", s.uiInvestigationItem)
	page("GET /ui/vetting-cases/{id}/investigation/cooperation", s.uiInvestigationForm(cooperationForm))
	page("POST /ui/vetting-cases/{id}/investigation/cooperation", s.uiInvestigationCooperation)
	page("GET /ui/vetting-cases/{id}/investigation/cooperation/{request}/answer", s.uiInvestigationAnswerForm)
	page("POST /ui/vetting-cases/{id}/investigation/cooperation/{request}/answer", s.uiInvestigationAnswer)
	page("GET /ui/vetting-cases/{id}/investigation/report", s.uiInvestigationForm(reportForm))
	page("POST /ui/vetting-cases/{id}/investigation/report", s.uiInvestigationReport)
	page("GET /ui/vetting-cases/{id}/file", s.uiVettingFile)
	page("GET /ui/vetting-cases/{id}/file-request", s.uiInvestigationForm(fileRequestForm))
	page("POST /ui/vetting-cases/{id}/file-request", s.uiVettingFileRequest)
}

// caseLinks are the links the case's page offers to the investigation (to the NSA, on a case past intake) and to
// the file (to the person, on a case refused or withdrawn); the service decides when they are followed.
func caseLinks(c vetting.CaseView, nsa bool) []link {
	base := "/ui/vetting-cases/" + string(c.ID)
	var out []link
	if nsa && !c.Stage.Intake() && c.Stage != cleared.StageClosedNonCooperation {
		out = append(out, link{Href: base + "/investigation", Key: "investigation.title"})
	}
	if c.Full && c.Stage.Negative() {
		out = append(out, link{Href: base + "/file-request", Key: "file.request"}, link{Href: base + "/file", Key: "file.title"})
	}
	return out
}

// caseID reads the case's ID of a page's path; a malformed one is a page that does not exist.
func caseID(r *http.Request) (cleared.VettingCaseID, error) {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return id, cleared.ErrNotFound
	}
	return id, nil
}

func investigationBase(id cleared.VettingCaseID) string {
	return "/ui/vetting-cases/" + string(id) + "/investigation"
}

func openInvestigationForm(id cleared.VettingCaseID) *formPage {
	return &formPage{Page: Page{Title: "investigation.open", Nav: "registers"}, Intro: "investigation.open.intro",
		Action: investigationBase(id), Submit: "investigation.open",
		Links:  []link{{Href: "/ui/vetting-cases/" + string(id), Key: "vetting.page"}},
		Fields: []field{{Name: "officers", Label: "investigation.officers", Help: "investigation.officers.help", Kind: "text"}}}
}

func investigatorForm(id cleared.VettingCaseID) *formPage {
	return &formPage{Page: Page{Title: "investigation.assign", Nav: "registers"}, Intro: "investigation.assign.intro",
		Action: investigationBase(id) + "/officers", Submit: "investigation.assign",
		Links:  []link{{Href: investigationBase(id), Key: "investigation.title"}},
		Fields: []field{{Name: "person_id", Label: "investigation.officer", Kind: "text", Required: true}}}
}

func itemForm(id cleared.VettingCaseID) *formPage {
	cats := []option{}
	for _, c := range policy.Categories {
		cats = append(cats, option{Value: string(c), Key: "investigation.category." + string(c)})
	}
	return &formPage{Page: Page{Title: "investigation.item.add", Nav: "registers"}, Intro: "investigation.item.intro",
		Action: investigationBase(id) + "/items", Submit: "investigation.item.add",
		Links: []link{{Href: investigationBase(id), Key: "investigation.title"}},
		Fields: []field{
			{Name: "category", Label: "investigation.category", Kind: "select", Required: true, Options: choose(cats)},
			{Name: "period", Label: "investigation.period", Help: "investigation.period.help", Kind: "select", Options: choose([]option{
				{Value: "now", Key: "investigation.period.now"}, {Value: "past", Key: "investigation.period.past"}})},
			{Name: "from", Label: "q.from", Kind: "date"},
			{Name: "until", Label: "q.until", Kind: "date"},
			{Name: "finding", Label: "investigation.finding", Kind: "textarea", Required: true},
			{Name: "source", Label: "investigation.source", Kind: "text", Required: true},
			{Name: "collected", Label: "investigation.collected", Kind: "date", Required: true},
			{Name: "reveals_source", Label: "investigation.reveals_source", Kind: "checkbox"},
			{Name: "summary", Label: "investigation.summary", Help: "investigation.summary.help", Kind: "textarea"},
		}}
}

func cooperationForm(id cleared.VettingCaseID) *formPage {
	return &formPage{Page: Page{Title: "investigation.cooperation.add", Nav: "registers"}, Intro: "investigation.cooperation.intro",
		Action: investigationBase(id) + "/cooperation", Submit: "investigation.cooperation.add",
		Links: []link{{Href: investigationBase(id), Key: "investigation.title"}},
		Fields: []field{
			{Name: "direction", Label: "investigation.direction", Kind: "select", Required: true, Options: choose([]option{
				{Value: "outgoing", Key: "investigation.direction.outgoing"}, {Value: "incoming", Key: "investigation.direction.incoming"}})},
			{Name: "foreign_service", Label: "investigation.foreign_service", Kind: "text", Required: true},
			{Name: "subject", Label: "investigation.subject", Kind: "textarea", Required: true},
			{Name: "reference", Label: "investigation.reference", Kind: "text"},
			{Name: "sent", Label: "investigation.sent", Kind: "date", Required: true},
		}}
}

func answerForm(id cleared.VettingCaseID, request string) *formPage {
	return &formPage{Page: Page{Title: "investigation.answer", Nav: "registers"}, Intro: "investigation.answer.intro",
		Action: investigationBase(id) + "/cooperation/" + request + "/answer", Submit: "investigation.answer",
		Links: []link{{Href: investigationBase(id), Key: "investigation.title"}},
		Fields: []field{
			{Name: "answer", Label: "investigation.answer.text", Kind: "textarea", Required: true},
			{Name: "answered", Label: "investigation.answered", Kind: "date", Required: true},
		}}
}

func reportForm(id cleared.VettingCaseID) *formPage {
	return &formPage{Page: Page{Title: "investigation.report", Nav: "registers"}, Intro: "investigation.report.intro",
		Action: investigationBase(id) + "/report", Submit: "investigation.report.file",
		Links:  []link{{Href: investigationBase(id), Key: "investigation.title"}},
		Fields: []field{{Name: "conclusion", Label: "investigation.conclusion", Kind: "textarea", Required: true}}}
}

func fileRequestForm(id cleared.VettingCaseID) *formPage {
	return &formPage{Page: Page{Title: "file.request", Nav: "registers"}, Intro: "file.request.intro",
		Action: "/ui/vetting-cases/" + string(id) + "/file-request", Submit: "file.request.send",
		Links:  []link{{Href: "/ui/vetting-cases/" + string(id), Key: "vetting.page"}},
		Fields: []field{{Name: "text", Label: "file.request.text", Kind: "textarea", Required: true}}}
}

// uiInvestigationForm serves the GET of one of the investigation's forms; the POST decides who may send it.
func (s *server) uiInvestigationForm(form func(cleared.VettingCaseID) *formPage) uiHandler {
	return func(w http.ResponseWriter, r *http.Request, u *uiSession) error {
		id, err := caseID(r)
		if err != nil {
			return err
		}
		if _, err := s.vet.Case(r.Context(), u.Actor, id); err != nil {
			return err // a case one may not know has no form either
		}
		f := form(id)
		if strings.Contains(f.Action, "/investigation") && s.offerVetting(r, u, vetting.FormInvestigation) != nil {
			return cleared.ErrNotFound // the investigation is the NSA's: others may not know it (A23.1)
		}
		f.prefill(r.URL.Query())
		return s.render(w, r, u, http.StatusOK, f)
	}
}

// uiInvestigation serves GET /ui/vetting-cases/{id}/investigation: the NSA's workspace on the case, or on a signed
// case the form that opens the investigation.
func (s *server) uiInvestigation(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	c, err := s.vet.Case(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	if s.offerVetting(r, u, vetting.FormInvestigation) != nil {
		return cleared.ErrNotFound // the investigation is the NSA's: others may not know it (A23.1)
	}
	if c.Stage == cleared.StageSigned {
		return s.render(w, r, u, http.StatusOK, openInvestigationForm(id))
	}
	v, err := s.vet.Investigation(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	ids := []string{string(v.Case.PersonID)}
	for _, o := range v.Officers {
		ids = append(ids, string(o.Person))
	}
	n := s.names(r, u, ids...)
	base := investigationBase(id)
	p := &recordPage{Page: Page{Title: "investigation.title", Nav: "registers"}, Intro: "investigation.intro", Items: []detail{
		{Label: "vetting.person", Value: n.cell(string(v.Case.PersonID))},
		{Label: "post.level", Value: levelCell(v.Case.Level)},
		{Label: "vetting.stage", Value: keyCell("vetting.stage." + string(v.Case.Stage)), ID: "case-stage"},
		{Label: "common.id", Value: codeCell(string(id))},
	}, Actions: []link{{Href: "/ui/vetting-cases/" + string(id), Key: "vetting.page"}}}
	open := v.Case.Stage == cleared.StageInvestigation
	if open {
		p.Actions = append(p.Actions, link{Href: base + "/items", Key: "investigation.item.add"},
			link{Href: base + "/officers", Key: "investigation.assign"})
		if len(v.Missing) == 0 {
			p.Actions = append(p.Actions, link{Href: base + "/report", Key: "investigation.report.file"})
		}
	}
	if !v.Case.Stage.Closed() {
		p.Actions = append(p.Actions, link{Href: base + "/cooperation", Key: "investigation.cooperation.add"})
	}
	officers := section{ID: "officers", Title: "investigation.officers", Columns: []string{"investigation.officer", "investigation.assigned", "investigation.ended", "investigation.end"}}
	for _, o := range v.Officers {
		end := textCell("")
		if o.Ended.IsZero() && !v.Case.Stage.Closed() {
			end = cell{Post: base + "/officers/" + string(o.Person) + "/end", CSRF: u.CSRF, Key: "investigation.end", ID: "end-" + string(o.Person)}
		}
		officers.Rows = append(officers.Rows, row{ID: string(o.Person), Cells: []cell{n.cell(string(o.Person)), dateCell(o.Assigned), dateCell(o.Ended), end}})
	}
	checklist := section{ID: "checklist", Title: "investigation.checklist", Columns: []string{"investigation.check", "investigation.check.state"}}
	for _, c := range v.Checklist {
		state := "investigation.check.done"
		if contains(v.Missing, c) {
			state = "investigation.check.missing"
		}
		checklist.Rows = append(checklist.Rows, row{ID: "check-" + string(c), Cells: []cell{keyCell("investigation.check." + string(c)), keyCell(state)}})
	}
	p.Sections = []section{officers, checklist, itemsSection(v.Items, false), s.cooperationSection(id, v.Cooperation, !v.Case.Stage.Closed())}
	if v.Report != nil {
		p.Items = append(p.Items, detail{Label: "investigation.conclusion", Value: cell{Text: v.Report.Conclusion, Pre: true}, ID: "report"})
	}
	if v.FileRequest != nil {
		p.Items = append(p.Items, detail{Label: "file.requested", Value: dateCell(v.FileRequest.Filed), ID: "file-requested"})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func contains(cs []policy.Check, c policy.Check) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// itemsSection lists items; forPerson shows, for an item revealing sources, its summary in place of the finding.
func itemsSection(items []vetting.Item, forPerson bool) section {
	sec := section{ID: "items", Title: "investigation.items", Empty: "investigation.items.none",
		Columns: []string{"investigation.category", "investigation.period", "investigation.finding", "investigation.source", "investigation.collected", "investigation.summary"}}
	for _, it := range items {
		period := textCell("")
		if it.Period != "" {
			period = cell{Text: strings.TrimSpace(it.From + " – " + it.Until)}
		}
		finding, source := cell{Text: it.Finding, Pre: true}, textCell(it.Source)
		if it.Withheld {
			finding, source = keyCell("file.withheld"), keyCell("file.withheld")
		}
		summary := textCell("")
		if it.RevealsSource {
			summary = cell{Text: it.Summary, Pre: true, ID: "summary-" + it.ID}
		}
		sec.Rows = append(sec.Rows, row{ID: it.ID, Cells: []cell{keyCell("investigation.category." + string(it.Category)), period, finding, source, textCell(it.Collected), summary}})
	}
	return sec
}

func (s *server) cooperationSection(id cleared.VettingCaseID, rs []vetting.Cooperation, open bool) section {
	sec := section{ID: "cooperation", Title: "investigation.cooperation", Empty: "investigation.cooperation.none",
		Columns: []string{"investigation.direction", "investigation.foreign_service", "investigation.subject", "investigation.sent", "investigation.answer.text", "investigation.answered"}}
	for _, c := range rs {
		answer := cell{Text: c.Answer, Pre: true}
		if c.Answer == "" && open {
			answer = cell{Key: "investigation.answer", Href: investigationBase(id) + "/cooperation/" + c.ID + "/answer", ID: "answer-" + c.ID}
		}
		sec.Rows = append(sec.Rows, row{ID: c.ID, Cells: []cell{keyCell("investigation.direction." + c.Direction), textCell(c.Service + " " + c.Reference),
			{Text: c.Subject, Pre: true}, textCell(c.Sent), answer, textCell(c.Answered)}})
	}
	return sec
}

// uiInvestigationOpen serves POST /ui/vetting-cases/{id}/investigation: OpenInvestigation, the officers given as
// person IDs separated by commas or spaces.
func (s *server) uiInvestigationOpen(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	var officers []cleared.PersonID
	for _, f := range strings.FieldsFunc(formText(r.PostForm, "officers"), func(c rune) bool { return c == ',' || c == ' ' }) {
		officers = append(officers, cleared.PersonID(f))
	}
	if _, err := s.vet.OpenInvestigation(r.Context(), u.Actor, id, officers); err != nil {
		return s.investigationFail(w, r, u, openInvestigationForm(id), err)
	}
	return seeOther(w, r, investigationBase(id), "investigation_opened")
}

// investigationFail shows a form again with its problem; what the reader may not know stays a missing page.
func (s *server) investigationFail(w http.ResponseWriter, r *http.Request, u *uiSession, f *formPage, err error) error {
	if errors.Is(err, cleared.ErrNotFound) {
		return err
	}
	return s.formFail(w, r, u, f, err)
}

// uiInvestigationAssign serves POST /ui/vetting-cases/{id}/investigation/officers: AssignOfficer.
func (s *server) uiInvestigationAssign(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	if err := s.vet.AssignOfficer(r.Context(), u.Actor, id, cleared.PersonID(formText(r.PostForm, "person_id"))); err != nil {
		return s.investigationFail(w, r, u, investigatorForm(id), err)
	}
	return seeOther(w, r, investigationBase(id), "investigation_assigned")
}

// uiInvestigationEndOfficer serves the button that ends an officer's assignment: EndOfficer.
func (s *server) uiInvestigationEndOfficer(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	if err := s.vet.EndOfficer(r.Context(), u.Actor, id, cleared.PersonID(r.PathValue("person"))); err != nil {
		return err
	}
	return seeOther(w, r, investigationBase(id), "investigation_ended")
}

// formJSON turns the posted fields named into a JSON object of their texts, leaving out empty ones, as the API
// takes it; bools are the checkboxes among them.
func formJSON(r *http.Request, names []string, bools ...string) []byte {
	m := map[string]any{}
	for _, n := range names {
		if v := formText(r.PostForm, n); v != "" {
			m[n] = v
		}
	}
	for _, b := range bools {
		if formBool(r.PostForm, b) {
			m[b] = true
		}
	}
	data, _ := json.Marshal(m) // strings and booleans always encode
	return data
}

// uiInvestigationItem serves POST /ui/vetting-cases/{id}/investigation/items: AddItem.
func (s *server) uiInvestigationItem(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	data := formJSON(r, []string{"category", "period", "from", "until", "finding", "source", "collected", "summary"}, "reveals_source")
	if _, err := s.vet.AddItem(r.Context(), u.Actor, id, data); err != nil {
		return s.investigationFail(w, r, u, itemForm(id), err)
	}
	return seeOther(w, r, investigationBase(id), "investigation_item")
}

// uiInvestigationCooperation serves POST /ui/vetting-cases/{id}/investigation/cooperation: AddCooperation.
func (s *server) uiInvestigationCooperation(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	data := formJSON(r, []string{"direction", "foreign_service", "subject", "reference", "sent"})
	if _, err := s.vet.AddCooperation(r.Context(), u.Actor, id, data); err != nil {
		return s.investigationFail(w, r, u, cooperationForm(id), err)
	}
	return seeOther(w, r, investigationBase(id), "investigation_cooperation")
}

// uiInvestigationAnswerForm serves the form of an answer to a request.
func (s *server) uiInvestigationAnswerForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	return s.uiInvestigationForm(func(cleared.VettingCaseID) *formPage { return answerForm(id, r.PathValue("request")) })(w, r, u)
}

// uiInvestigationAnswer serves POST /ui/vetting-cases/{id}/investigation/cooperation/{request}/answer:
// AnswerCooperation.
func (s *server) uiInvestigationAnswer(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	rid := r.PathValue("request")
	if _, err := s.vet.AnswerCooperation(r.Context(), u.Actor, id, rid, formJSON(r, []string{"answer", "answered"})); err != nil {
		return s.investigationFail(w, r, u, answerForm(id, rid), err)
	}
	return seeOther(w, r, investigationBase(id), "investigation_answer")
}

// uiInvestigationReport serves POST /ui/vetting-cases/{id}/investigation/report: FileReport.
func (s *server) uiInvestigationReport(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	if _, err := s.vet.FileReport(r.Context(), u.Actor, id, formJSON(r, []string{"conclusion"})); err != nil {
		return s.investigationFail(w, r, u, reportForm(id), err)
	}
	return seeOther(w, r, investigationBase(id), "investigation_reported")
}

// uiVettingFileRequest serves POST /ui/vetting-cases/{id}/file-request: RequestFile.
func (s *server) uiVettingFileRequest(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	if _, err := s.vet.RequestFile(r.Context(), u.Actor, id, formJSON(r, []string{"text"})); err != nil {
		return s.investigationFail(w, r, u, fileRequestForm(id), err)
	}
	return seeOther(w, r, "/ui/vetting-cases/"+string(id)+"/file", "file_requested")
}

// uiVettingFile serves GET /ui/vetting-cases/{id}/file: File, the person's file (A28.1): his questionnaire's
// sections, the report, the items, those revealing sources as their summary.
func (s *server) uiVettingFile(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	f, err := s.vet.File(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	p := &recordPage{Page: Page{Title: "file.title", Nav: "registers"}, Intro: "file.intro", Items: []detail{
		{Label: "vetting.stage", Value: keyCell("vetting.stage." + string(f.Case.Stage)), ID: "case-stage"},
		{Label: "common.id", Value: codeCell(string(id))},
	}, Actions: []link{{Href: "/ui/vetting-cases/" + string(id), Key: "vetting.page"}}}
	if f.Request != nil {
		p.Items = append(p.Items, detail{Label: "file.requested", Value: dateCell(f.Request.Filed)})
	}
	if f.Report != nil {
		p.Items = append(p.Items, detail{Label: "investigation.conclusion", Value: cell{Text: f.Report.Conclusion, Pre: true}, ID: "report"})
	}
	q := section{ID: "questionnaire", Title: "vetting.questionnaire", Columns: []string{"vetting.section", "file.answers"}}
	for _, sec := range vetting.Sections {
		if a, ok := f.Questionnaire[sec]; ok {
			q.Rows = append(q.Rows, row{ID: string(sec), Cells: []cell{keyCell("vetting.section." + string(sec)), {Text: string(a), Pre: true}}})
		}
	}
	p.Sections = []section{q, itemsSection(f.Items, true)}
	return s.render(w, r, u, http.StatusOK, p)
}
