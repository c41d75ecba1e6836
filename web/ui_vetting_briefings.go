package web

import (
	"net/http"
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The pages of briefings and changes of circumstances (issue 20 §7; Art. 18, A18.1): the security officer records
// a holder's briefing from the clearance's briefings page; the holder reads the declaration there and signs it;
// the holder reports a change of his circumstances, which an NSA officer reads and takes up. The security
// officer's page of a report shows that it was made, never what changed: the service gives him nothing more.
// Registered by New.
func (s *server) vettingBriefingPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/clearances/{id}/briefings", s.uiBriefings)
	page("GET /ui/clearances/{id}/briefings/new", s.uiBriefingForm)
	page("POST /ui/clearances/{id}/briefings", s.uiBriefingRecord)
	page("POST /ui/clearances/{id}/declaration", s.uiDeclarationSign)
	page("GET /ui/circumstances", s.uiCircumstances)
	page("GET /ui/circumstances/new", s.uiCircumstanceForm)
	page("POST /ui/circumstances", s.uiCircumstanceReport)
	page("GET /ui/circumstances/{id}", s.uiCircumstance)
	page("POST /ui/circumstances/{id}/take-up", s.uiCircumstanceTakeUp)
}

func briefingsPath(id cleared.ClearanceID) string {
	return "/ui/clearances/" + string(id) + "/briefings"
}

// uiBriefings serves GET /ui/clearances/{id}/briefings: the clearance, its briefings and declarations, when the
// next falls due; for the holder, the declaration to sign when a briefing waits for it.
func (s *server) uiBriefings(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.ClearanceID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	v, err := s.vet.Briefings(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	c := v.Clearance
	n := s.names(r, u, string(c.PersonID))
	overdue := keyCell("common.no")
	if v.Overdue {
		overdue = keyCell("briefing.overdue.yes")
	}
	p := &recordPage{Page: Page{Title: "briefing.title", Nav: "registers"}, Intro: "briefing.intro", Items: []detail{
		{Label: "briefing.holder", Value: n.cell(string(c.PersonID))},
		{Label: "post.level", Value: levelCell(c.Level)},
		{Label: "clearance.status", Value: keyCell("clearance.status." + string(c.Status)), ID: "clearance-status"},
		{Label: "briefing.next", Value: dateCell(v.NextDue), ID: "briefing-next"},
		{Label: "briefing.overdue", Value: overdue, ID: "briefing-overdue"},
		{Label: "common.id", Value: codeCell(string(c.ID))},
	}}
	sec := section{ID: "briefings", Title: "briefing.list", Empty: "briefing.none",
		Columns: []string{"briefing.number", "briefing.briefed_on", "briefing.briefed_by", "briefing.instructions", "briefing.declared"}}
	for _, b := range v.Briefings {
		sec.Rows = append(sec.Rows, row{ID: "briefing-" + strconv.Itoa(b.Number), Cells: []cell{textCell(strconv.Itoa(b.Number)),
			dateCell(b.BriefedOn), textCell(b.BriefedBy), textCell(b.Instructions), dateCell(b.Declared)}})
	}
	p.Sections = []section{sec}
	switch {
	case v.Holder && v.Declaration != "":
		p.Intro = "briefing.intro.holder"
		p.Sections = append(p.Sections, section{ID: "declaration", Title: "briefing.declaration", Columns: []string{"briefing.declaration.text"},
			Rows: []row{
				{ID: "declaration-text", Cells: []cell{{Text: v.Declaration, Pre: true}}},
				{ID: "sign", Cells: []cell{{Post: "/ui/clearances/" + string(id) + "/declaration", CSRF: u.CSRF, Key: "briefing.sign", ID: "sign-declaration"}}},
			}})
	case v.Holder:
		p.Actions = append(p.Actions, link{Href: "/ui/circumstances/new", Key: "circumstance.new"})
	default:
		p.Actions = append(p.Actions, link{Href: briefingsPath(id) + "/new", Key: "briefing.new"})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func briefingForm(id cleared.ClearanceID) *formPage {
	return &formPage{Page: Page{Title: "briefing.new", Nav: "registers"}, Intro: "briefing.new.intro", Action: briefingsPath(id),
		Submit: "briefing.record", Links: []link{{Href: briefingsPath(id), Key: "briefing.title"}}, Fields: []field{
			{Name: "briefed_on", Label: "briefing.briefed_on", Help: "briefing.briefed_on.help", Kind: "date"},
			{Name: "briefed_by", Label: "briefing.briefed_by", Kind: "text", Required: true},
			{Name: "instructions", Label: "briefing.instructions", Help: "briefing.instructions.help", Kind: "text", Required: true},
		}}
}

// uiBriefingForm serves GET /ui/clearances/{id}/briefings/new: the form, to whoever may see the clearance's
// briefings (the service refuses the others' recording with A18.1).
func (s *server) uiBriefingForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.ClearanceID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if _, err := s.vet.Briefings(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, briefingForm(id))
}

// uiBriefingRecord serves POST /ui/clearances/{id}/briefings: RecordBriefing.
func (s *server) uiBriefingRecord(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.ClearanceID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	v := r.PostForm
	in := vetting.NewBriefing{BriefedBy: formText(v, "briefed_by"), Instructions: formText(v, "instructions")}
	var err error
	if in.BriefedOn, err = formDate(v, "briefed_on", "briefing.briefed_on"); err == nil {
		if _, err = s.vet.RecordBriefing(r.Context(), u.Actor, id, in); err == nil {
			return seeOther(w, r, briefingsPath(id), "briefing_recorded")
		}
	}
	return s.formFail(w, r, u, briefingForm(id), err)
}

// uiDeclarationSign serves POST /ui/clearances/{id}/declaration: SignDeclaration, the holder's button.
func (s *server) uiDeclarationSign(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.ClearanceID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if _, err := s.vet.SignDeclaration(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return seeOther(w, r, briefingsPath(id), "briefing_declared")
}

// uiCircumstances serves GET /ui/circumstances: the reports one may see, records only.
func (s *server) uiCircumstances(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	rs, err := s.vet.Circumstances(r.Context(), u.Actor, false)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(rs))
	for _, x := range rs {
		ids = append(ids, string(x.PersonID))
	}
	n := s.names(r, u, ids...)
	p := &tablePage{Page: Page{Title: "circumstance.title", Nav: "registers"}, Intro: "circumstance.intro", Caption: "circumstance.title",
		Columns: []string{"briefing.holder", "circumstance.reported", "circumstance.taken_up", "common.id"}, Empty: "list.empty",
		Actions: []link{{Href: "/ui/circumstances/new", Key: "circumstance.new"}}}
	for _, x := range rs {
		p.Rows = append(p.Rows, row{ID: string(x.ID), Cells: []cell{n.cell(string(x.PersonID)),
			{Text: x.Reported.UTC().Format("2006-01-02 15:04"), Href: "/ui/circumstances/" + string(x.ID), ID: "report-" + string(x.ID)},
			dateCell(x.TakenUp), codeCell(string(x.ID))}})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func circumstanceForm() *formPage {
	return &formPage{Page: Page{Title: "circumstance.new", Nav: "registers"}, Intro: "circumstance.new.intro", Action: "/ui/circumstances",
		Submit: "circumstance.report", Links: []link{{Href: "/ui/circumstances", Key: "circumstance.title"}}, Fields: []field{
			{Name: "kind", Label: "circumstance.kind", Kind: "select", Required: true, Options: []option{
				{Value: "marriage", Key: "circumstance.kind.marriage"}, {Value: "travel", Key: "circumstance.kind.travel"},
				{Value: "debts", Key: "circumstance.kind.debts"}, {Value: "other", Key: "circumstance.kind.other"}}},
			{Name: "on", Label: "circumstance.on", Kind: "date"},
			{Name: "details", Label: "circumstance.details", Help: "circumstance.details.help", Kind: "textarea", Required: true},
		}}
}

// uiCircumstanceForm serves GET /ui/circumstances/new.
func (s *server) uiCircumstanceForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.render(w, r, u, http.StatusOK, circumstanceForm())
}

// uiCircumstanceReport serves POST /ui/circumstances: ReportCircumstance.
func (s *server) uiCircumstanceReport(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := vetting.NewCircumstance{Kind: cleared.CircumstanceKind(formText(v, "kind")), On: formText(v, "on"), Details: formText(v, "details")}
	rep, err := s.vet.ReportCircumstance(r.Context(), u.Actor, in)
	if err == nil {
		return seeOther(w, r, "/ui/circumstances/"+string(rep.ID), "circumstance_reported")
	}
	return s.formFail(w, r, u, circumstanceForm(), err)
}

// uiCircumstance serves GET /ui/circumstances/{id}: the record, and what changed for the holder and the NSA; the
// NSA's button to take it up.
func (s *server) uiCircumstance(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.CircumstanceID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	v, err := s.vet.Circumstance(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	ids := []string{string(v.PersonID)}
	if v.TakenUpBy != "" {
		ids = append(ids, string(v.TakenUpBy))
	}
	n := s.names(r, u, ids...)
	items := []detail{
		{Label: "briefing.holder", Value: n.cell(string(v.PersonID))},
		{Label: "circumstance.reported", Value: dateCell(v.Reported)},
		{Label: "circumstance.taken_up", Value: dateCell(v.TakenUp), ID: "report-taken-up"},
	}
	if v.TakenUpBy != "" {
		items = append(items, detail{Label: "circumstance.taken_up_by", Value: n.cell(string(v.TakenUpBy))})
	}
	p := &recordPage{Page: Page{Title: "circumstance.page", Nav: "registers"}, Intro: "circumstance.page.officer",
		Actions: []link{{Href: "/ui/circumstances", Key: "circumstance.title"}}}
	if v.Full {
		p.Intro = "circumstance.page.intro"
		items = append(items,
			detail{Label: "circumstance.kind", Value: keyCell("circumstance.kind." + string(v.Kind)), ID: "report-kind"},
			detail{Label: "circumstance.on", Value: textCell(v.On)},
			detail{Label: "circumstance.details", Value: cell{Text: v.Details, Pre: true}, ID: "report-details"})
		if v.TakenUp.IsZero() && v.PersonID != u.Actor.Person {
			p.Sections = []section{{ID: "steps", Title: "circumstance.steps", Columns: []string{"vetting.step"}, Rows: []row{{ID: "take-up",
				Cells: []cell{{Post: "/ui/circumstances/" + string(id) + "/take-up", CSRF: u.CSRF, Key: "circumstance.take_up", ID: "take-up"}}}}}}
		}
	}
	p.Items = items
	return s.render(w, r, u, http.StatusOK, p)
}

// uiCircumstanceTakeUp serves POST /ui/circumstances/{id}/take-up: TakeUpCircumstance.
func (s *server) uiCircumstanceTakeUp(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.CircumstanceID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if _, err := s.vet.TakeUpCircumstance(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/circumstances/"+string(id), "circumstance_taken_up")
}
