package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/vetting"
)

// The pages of the commission of Art. 27 (issue 20 §5; A27.2, A27.3, A27.4): the NSA keeps the register (record a
// seat, end one, record the president's election from the minutes) and refers the reported cases; a member who may
// act works on a referred case in its workspace (ask for the whole file or more information, record hearings, give
// the opinion); the NSA answers the requests for information; the deciding authority reads the opinion. No page of
// the person under vetting shows it (A27.4). Registered by New.
func (s *server) vettingCommissionPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/commission", s.uiCommission)
	page("GET /ui/commission/members/new", s.uiSeatForm)
	page("POST /ui/commission/members", s.uiSeatRecord)
	page("POST /ui/commission/members/{id}/end", s.uiSeatEnd)
	page("GET /ui/commission/president", s.uiPresidentForm)
	page("POST /ui/commission/president", s.uiPresidentElect)
	page("POST /ui/vetting-cases/{id}/referral", s.uiRefer)
	page("GET /ui/vetting-cases/{id}/commission", s.uiWorkspace)
	page("POST /ui/vetting-cases/{id}/commission/file", s.uiFileRequest)
	page("GET /ui/vetting-cases/{id}/commission/requests", s.uiCommissionRequests)
	page("GET /ui/vetting-cases/{id}/commission/requests/new", s.uiRequestForm)
	page("POST /ui/vetting-cases/{id}/commission/requests", s.uiRequestMake)
	page("GET /ui/vetting-cases/{id}/commission/requests/{request}/answer", s.uiAnswerForm)
	page("POST /ui/vetting-cases/{id}/commission/requests/{request}/answer", s.uiAnswer)
	page("GET /ui/vetting-cases/{id}/commission/hearings/new", s.uiHearingForm)
	page("POST /ui/vetting-cases/{id}/commission/hearings", s.uiHearingRecord)
	page("GET /ui/vetting-cases/{id}/commission/opinion", s.uiOpinion)
	page("GET /ui/vetting-cases/{id}/commission/opinion/new", s.uiOpinionForm)
	page("POST /ui/vetting-cases/{id}/commission/opinion", s.uiOpinionGive)
}

// nameOf is the name of id for the page's reader, or the ID itself when he may not see the name.
func nameOf(n names, id string) string {
	if t := n[id].Text; t != "" {
		return t
	}
	return id
}

func commissionBase(id cleared.VettingCaseID) string {
	return "/ui/vetting-cases/" + string(id) + "/commission"
}

// uiCommission serves GET /ui/commission: the register (A27.2, A27.3) to the NSA and the members; the cases before
// the commission with their workspace (A27.4); to the NSA, the reported cases it may refer and the register's forms.
func (s *server) uiCommission(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	seats, err := s.vet.CommissionRegister(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(seats))
	for _, m := range seats {
		ids = append(ids, string(m.Person))
	}
	n := s.names(r, u, ids...)
	nsa := s.vet.OfferCommission(r.Context(), u.Actor)
	reg := section{ID: "register", Title: "commission.register", Empty: "list.empty",
		Columns: []string{"commission.member", "commission.designator", "commission.from", "commission.until",
			"commission.president", "commission.reference", "common.id"}}
	now := s.vet.Now()
	for _, m := range seats {
		pres := textCell("—")
		if m.President {
			pres = textCell(formatDate(m.PresidentFrom) + " → " + formatDate(m.PresidentUntil()))
		}
		id := cell{Text: string(m.ID), Code: true}
		if nsa && m.InOffice(now) {
			id = cell{Post: "/ui/commission/members/" + string(m.ID) + "/end", CSRF: u.CSRF, Key: "commission.end", ID: "end-" + string(m.ID)}
		}
		reg.Rows = append(reg.Rows, row{ID: string(m.ID), Cells: []cell{n.cell(string(m.Person)),
			keyCell("commission.designator." + m.Designator), dateCell(m.From), dateCell(m.Until), pres, textCell(m.Reference), id}})
	}
	p := &recordPage{Page: Page{Title: "commission.title", Nav: "registers"}, Intro: "commission.intro", Sections: []section{reg}}
	if nsa {
		p.Actions = []link{{Href: "/ui/commission/members/new", Key: "commission.seat.new"}, {Href: "/ui/commission/president", Key: "commission.elect"}}
	}
	if cs, err := s.vet.CommissionCases(r.Context(), u.Actor); err == nil {
		sec := section{ID: "cases", Title: "commission.cases", Empty: "list.empty",
			Columns: []string{"vetting.person", "post.level", "vetting.stage", "common.id"}}
		for _, c := range cs {
			href := commissionBase(c.ID)
			if nsa {
				href += "/requests"
			}
			sec.Rows = append(sec.Rows, row{ID: string(c.ID), Cells: []cell{textCell(string(c.PersonID)), levelCell(c.Level),
				keyCell("vetting.stage." + string(c.Stage)), {Text: string(c.ID), Code: true, Href: href, ID: "workspace-" + string(c.ID)}}})
		}
		p.Sections = append(p.Sections, sec)
	}
	if nsa {
		cs, err := s.vet.Cases(r.Context(), u.Actor, vetting.CaseFilter{Open: true})
		if err != nil {
			return err
		}
		sec := section{ID: "to-refer", Title: "commission.to_refer", Empty: "list.empty",
			Columns: []string{"vetting.person", "post.level", "common.id", "commission.refer"}}
		for _, c := range cs {
			if c.Stage != cleared.StageReported {
				continue
			}
			sec.Rows = append(sec.Rows, row{ID: string(c.ID), Cells: []cell{textCell(string(c.PersonID)), levelCell(c.Level),
				codeCell(string(c.ID)), {Post: "/ui/vetting-cases/" + string(c.ID) + "/referral", CSRF: u.CSRF, Key: "commission.refer", ID: "refer-" + string(c.ID)}}})
		}
		p.Sections = append(p.Sections, sec)
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func seatForm() *formPage {
	var ds []option
	for _, d := range cleared.Designators {
		ds = append(ds, option{Value: d, Key: "commission.designator." + d})
	}
	return &formPage{Page: Page{Title: "commission.seat.new", Nav: "registers"}, Intro: "commission.seat.intro",
		Action: "/ui/commission/members", Submit: "commission.seat.record", Links: []link{{Href: "/ui/commission", Key: "commission.title"}},
		Fields: []field{
			{Name: "person", Label: "commission.member", Help: "commission.member.help", Kind: "text", Required: true},
			{Name: "designator", Label: "commission.designator", Kind: "select", Required: true, Options: choose(ds)},
			{Name: "from", Label: "commission.from", Help: "commission.from.help", Kind: "date"},
			{Name: "until", Label: "commission.until", Kind: "date", Required: true},
			{Name: "reference", Label: "commission.reference", Help: "commission.reference.help", Kind: "text", Required: true},
		}}
}

// uiSeatForm serves GET /ui/commission/members/new, to the NSA (A27.2).
func (s *server) uiSeatForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if !s.vet.OfferCommission(r.Context(), u.Actor) {
		return cleared.ErrNotFound
	}
	f := seatForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiSeatRecord serves POST /ui/commission/members: RecordSeat (A27.2).
func (s *server) uiSeatRecord(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := vetting.NewSeat{Person: cleared.PersonID(formText(v, "person")), Designator: formText(v, "designator"), Reference: formText(v, "reference")}
	var err error
	if in.From, err = formDate(v, "from", "commission.from"); err == nil {
		if in.Until, err = formDate(v, "until", "commission.until"); err == nil {
			if _, err = s.vet.RecordSeat(r.Context(), u.Actor, in); err == nil {
				return seeOther(w, r, "/ui/commission", "commission_seat")
			}
		}
	}
	return s.formFail(w, r, u, seatForm(), err)
}

// uiSeatEnd serves POST /ui/commission/members/{id}/end: EndSeat now (A27.2).
func (s *server) uiSeatEnd(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.CommissionSeatID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if _, err := s.vet.EndSeat(r.Context(), u.Actor, id, time.Time{}); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/commission", "commission_seat_ended")
}

func presidentForm(seats []cleared.CommissionMember, n names) *formPage {
	var os []option
	for _, m := range seats {
		os = append(os, option{Value: string(m.ID), Text: nameOf(n, string(m.Person)) + " (" + m.Designator + ")"})
	}
	return &formPage{Page: Page{Title: "commission.elect", Nav: "registers"}, Intro: "commission.elect.intro",
		Action: "/ui/commission/president", Submit: "commission.elect.record", Links: []link{{Href: "/ui/commission", Key: "commission.title"}},
		Fields: []field{
			{Name: "seat", Label: "commission.member", Kind: "select", Required: true, Options: choose(os)},
			{Name: "from", Label: "commission.elected", Help: "commission.elected.help", Kind: "date"},
			{Name: "minutes", Label: "commission.minutes", Kind: "text", Required: true},
		}}
}

// presidentPage is the election's form with the members in office as its choices.
func (s *server) presidentPage(r *http.Request, u *uiSession) (*formPage, error) {
	seats, err := s.vet.CommissionRegister(r.Context(), u.Actor)
	if err != nil {
		return nil, err
	}
	now := s.vet.Now()
	seats = slices.DeleteFunc(seats, func(m cleared.CommissionMember) bool { return !m.InOffice(now) })
	ids := make([]string, 0, len(seats))
	for _, m := range seats {
		ids = append(ids, string(m.Person))
	}
	return presidentForm(seats, s.names(r, u, ids...)), nil
}

// uiPresidentForm serves GET /ui/commission/president, to the NSA (A27.3).
func (s *server) uiPresidentForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if !s.vet.OfferCommission(r.Context(), u.Actor) {
		return cleared.ErrNotFound
	}
	f, err := s.presidentPage(r, u)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, f)
}

// uiPresidentElect serves POST /ui/commission/president: ElectPresident (A27.3).
func (s *server) uiPresidentElect(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := vetting.Election{Seat: cleared.CommissionSeatID(formText(v, "seat")), Minutes: formText(v, "minutes")}
	var err error
	if in.From, err = formDate(v, "from", "commission.elected"); err == nil {
		if _, err = s.vet.ElectPresident(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/commission", "commission_president")
		}
	}
	f, ferr := s.presidentPage(r, u)
	if ferr != nil {
		return ferr
	}
	return s.formFail(w, r, u, f, err)
}

// uiRefer serves POST /ui/vetting-cases/{id}/referral: Refer (A27.4).
func (s *server) uiRefer(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	if _, err := s.vet.Refer(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/commission", "commission_referred")
}

// requestsSection shows a case's requests; answer links them to the NSA's form of their answer.
func requestsSection(id cleared.VettingCaseID, rs []cleared.CommissionRequest, n names, answer bool) section {
	sec := section{ID: "requests", Title: "commission.requests", Empty: "list.empty",
		Columns: []string{"commission.request.kind", "commission.made", "commission.question", "commission.answer", "commission.answered"}}
	for _, q := range rs {
		ans := textCell(q.Answer)
		if answer && q.Kind == cleared.RequestInformation && q.Answered.IsZero() {
			ans = cell{Key: "commission.answer.give", Href: commissionBase(id) + "/requests/" + string(q.ID) + "/answer", ID: "answer-" + string(q.ID)}
		}
		answered := dateCell(q.Answered)
		if q.AnsweredBy != "" {
			answered = textCell(formatDate(q.Answered) + " — " + nameOf(n, string(q.AnsweredBy)))
		}
		sec.Rows = append(sec.Rows, row{ID: string(q.ID), Cells: []cell{keyCell("commission.request.kind." + string(q.Kind)),
			dateCell(q.Made), textCell(q.Question), ans, answered}})
	}
	return sec
}

// uiWorkspace serves GET /ui/vetting-cases/{id}/commission: Workspace, to a member who may act (A27.3, A27.4).
func (s *server) uiWorkspace(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := s.vet.Workspace(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	ids := []string{string(v.Case.PersonID), string(v.By)}
	for _, q := range v.Requests {
		ids = append(ids, string(q.AnsweredBy))
	}
	for _, h := range v.Hearings {
		ids = append(ids, string(h.Person))
	}
	if v.Opinion != nil {
		for _, m := range v.Opinion.Members {
			ids = append(ids, string(m))
		}
	}
	n := s.names(r, u, ids...)
	if n == nil {
		n = names{}
	}
	for id, name := range v.Names { // the commission's own: it works on the whole case (A27.4)
		if n[string(id)].Text == "" {
			n[string(id)] = registry.Name{Text: name}
		}
	}
	file := keyCell("commission.file.none")
	if v.File != nil {
		file = keyCell("commission.file.report")
		if v.WholeFile {
			file = keyCell("commission.file.whole")
		}
	}
	items := []detail{
		{Label: "vetting.person", Value: n.cell(string(v.Case.PersonID))},
		{Label: "post.level", Value: levelCell(v.Case.Level)},
		{Label: "vetting.stage", Value: keyCell("vetting.stage." + string(v.Case.Stage)), ID: "case-stage"},
		{Label: "commission.referred", Value: textCell(formatDate(v.Referred) + " — " + nameOf(n, string(v.By)))},
		{Label: "commission.file", Value: file, ID: "case-file"},
		{Label: "commission.whole_file", Value: yesNo(v.WholeFile), ID: "whole-file"},
		{Label: "common.id", Value: codeCell(string(v.Case.ID))},
	}
	base := commissionBase(id)
	p := &recordPage{Page: Page{Title: "commission.workspace", Nav: "registers"}, Intro: "commission.workspace.intro", Items: items,
		Sections: []section{requestsSection(id, v.Requests, n, false)},
		Actions:  []link{{Href: "/ui/commission", Key: "commission.title"}}}
	if v.File != nil && v.File.Report != nil {
		p.Items = append(p.Items, detail{Label: "investigation.conclusion", Value: cell{Text: v.File.Report.Conclusion, Pre: true}, ID: "report"})
	}
	if v.File != nil && v.File.Whole != nil {
		p.Sections = append(p.Sections, itemsSection(v.File.Whole.Items, false))
	}
	hs := section{ID: "hearings", Title: "commission.hearings", Empty: "list.empty",
		Columns: []string{"commission.held", "commission.heard", "commission.summary", "commission.observations"}}
	for _, h := range v.Hearings {
		hs.Rows = append(hs.Rows, row{ID: string(h.ID), Cells: []cell{dateCell(h.Held),
			textCell(nameOf(n, string(h.Person))), textCell(h.Summary), textCell(h.Observations)}})
	}
	p.Sections = append(p.Sections, hs)
	if v.Opinion != nil {
		p.Sections = append(p.Sections, opinionSection(*v.Opinion, n))
	}
	if v.Case.Stage == cleared.StageCommission {
		if !v.WholeFile {
			p.Sections = append(p.Sections, section{ID: "file-request", Title: "commission.file", Columns: []string{"commission.request.kind"},
				Rows: []row{{ID: "file", Cells: []cell{{Post: base + "/file", CSRF: u.CSRF, Key: "commission.file.ask", ID: "ask-file"}}}}})
		}
		p.Actions = append(p.Actions, link{Href: base + "/requests/new", Key: "commission.request.new"},
			link{Href: base + "/hearings/new", Key: "commission.hearing.new"})
		if v.Opinion == nil {
			p.Actions = append(p.Actions, link{Href: base + "/opinion/new", Key: "commission.opinion.new"})
		}
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func opinionSection(o cleared.Opinion, n names) section {
	members := ""
	for i, m := range o.Members {
		if i > 0 {
			members += ", "
		}
		members += nameOf(n, string(m))
	}
	return section{ID: "opinion", Title: "commission.opinion", Columns: []string{"commission.advice", "commission.reasons", "commission.members", "commission.given"},
		Rows: []row{{ID: "opinion", Cells: []cell{keyCell("commission.advice." + string(o.Advice)), textCell(o.Reasons), textCell(members), dateCell(o.Given)}}}}
}

// uiFileRequest serves POST /ui/vetting-cases/{id}/commission/file: Request for the whole file (A27.4).
func (s *server) uiFileRequest(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	if _, err := s.vet.Request(r.Context(), u.Actor, id, vetting.NewRequest{Kind: cleared.RequestFile}); err != nil {
		return err
	}
	return seeOther(w, r, commissionBase(id), "commission_requested")
}

// uiCommissionRequests serves GET /ui/vetting-cases/{id}/commission/requests: Requests, with the NSA's answer links
// (A27.4).
func (s *server) uiCommissionRequests(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	rs, err := s.vet.Requests(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	ids := []string{}
	for _, q := range rs {
		ids = append(ids, string(q.AnsweredBy))
	}
	p := &recordPage{Page: Page{Title: "commission.requests", Nav: "registers"}, Intro: "commission.requests.intro",
		Items:    []detail{{Label: "common.id", Value: codeCell(string(id))}},
		Sections: []section{requestsSection(id, rs, s.names(r, u, ids...), s.vet.OfferCommission(r.Context(), u.Actor))},
		Actions:  []link{{Href: "/ui/commission", Key: "commission.title"}}}
	return s.render(w, r, u, http.StatusOK, p)
}

func requestForm(id cleared.VettingCaseID) *formPage {
	return &formPage{Page: Page{Title: "commission.request.new", Nav: "registers"}, Intro: "commission.request.intro",
		Action: commissionBase(id) + "/requests", Submit: "commission.request.send", Links: []link{{Href: commissionBase(id), Key: "commission.workspace"}},
		Fields: []field{{Name: "question", Label: "commission.question", Kind: "textarea", Required: true}}}
}

// uiRequestForm serves GET /ui/vetting-cases/{id}/commission/requests/new: the form of a request for information,
// to a member who may act (the workspace decides).
func (s *server) uiRequestForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	if _, err := s.vet.Workspace(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, requestForm(id))
}

// uiRequestMake serves POST /ui/vetting-cases/{id}/commission/requests: Request for information (A27.4).
func (s *server) uiRequestMake(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	in := vetting.NewRequest{Kind: cleared.RequestInformation, Question: formText(r.PostForm, "question")}
	if _, err = s.vet.Request(r.Context(), u.Actor, id, in); err == nil {
		return seeOther(w, r, commissionBase(id), "commission_requested")
	}
	return s.formFail(w, r, u, requestForm(id), err)
}

func commissionAnswerForm(id cleared.VettingCaseID, rid cleared.CommissionRequestID) *formPage {
	base := commissionBase(id) + "/requests"
	return &formPage{Page: Page{Title: "commission.answer.give", Nav: "registers"}, Intro: "commission.answer.intro",
		Action: base + "/" + string(rid) + "/answer", Submit: "commission.answer.send", Links: []link{{Href: base, Key: "commission.requests"}},
		Fields: []field{{Name: "answer", Label: "commission.answer", Kind: "textarea", Required: true}}}
}

// requestPath reads the case and request of the path.
func requestPath(r *http.Request) (cleared.VettingCaseID, cleared.CommissionRequestID, error) {
	id, err := caseID(r)
	rid := cleared.CommissionRequestID(r.PathValue("request"))
	if err == nil && rid.Validate() != nil {
		err = cleared.ErrNotFound
	}
	return id, rid, err
}

// uiAnswerForm serves GET /ui/vetting-cases/{id}/commission/requests/{request}/answer, to the NSA (A27.4).
func (s *server) uiAnswerForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, rid, err := requestPath(r)
	if err != nil {
		return err
	}
	rs, err := s.vet.Requests(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(rs, func(q cleared.CommissionRequest) bool { return q.ID == rid })
	if i < 0 || !s.vet.OfferCommission(r.Context(), u.Actor) {
		return cleared.ErrNotFound
	}
	f := commissionAnswerForm(id, rid)
	f.Fields[0].Help = "commission.answer.help"
	f.Intro = "commission.answer.intro"
	f.Heading = rs[i].Question
	return s.render(w, r, u, http.StatusOK, f)
}

// uiAnswer serves POST /ui/vetting-cases/{id}/commission/requests/{request}/answer: AnswerRequest (A27.4).
func (s *server) uiAnswer(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, rid, err := requestPath(r)
	if err != nil {
		return err
	}
	if _, err = s.vet.AnswerRequest(r.Context(), u.Actor, id, rid, formText(r.PostForm, "answer")); err == nil {
		return seeOther(w, r, commissionBase(id)+"/requests", "commission_answered")
	}
	return s.formFail(w, r, u, commissionAnswerForm(id, rid), err)
}

func hearingForm(id cleared.VettingCaseID) *formPage {
	return &formPage{Page: Page{Title: "commission.hearing.new", Nav: "registers"}, Intro: "commission.hearing.intro",
		Action: commissionBase(id) + "/hearings", Submit: "commission.hearing.record", Links: []link{{Href: commissionBase(id), Key: "commission.workspace"}},
		Fields: []field{
			{Name: "heard", Label: "commission.heard", Kind: "select", Required: true, Options: choose([]option{
				{Value: "person", Key: "commission.heard.person"}, {Value: "nsa", Key: "commission.heard.nsa"}})},
			{Name: "person", Label: "commission.heard.member", Help: "commission.heard.member.help", Kind: "text"},
			{Name: "held", Label: "commission.held", Kind: "date", Required: true},
			{Name: "summary", Label: "commission.summary", Kind: "textarea", Required: true},
			{Name: "observations", Label: "commission.observations", Help: "commission.observations.help", Kind: "textarea"},
		}}
}

// uiHearingForm serves GET /ui/vetting-cases/{id}/commission/hearings/new, to a member who may act.
func (s *server) uiHearingForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	if _, err := s.vet.Workspace(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, hearingForm(id))
}

// uiHearingRecord serves POST /ui/vetting-cases/{id}/commission/hearings: RecordHearing (A27.4).
func (s *server) uiHearingRecord(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	in := vetting.NewHearing{Heard: cleared.Heard(formText(v, "heard")), Person: cleared.PersonID(formText(v, "person")),
		Summary: formText(v, "summary"), Observations: formText(v, "observations")}
	if in.Held, err = formDate(v, "held", "commission.held"); err == nil {
		if _, err = s.vet.RecordHearing(r.Context(), u.Actor, id, in); err == nil {
			return seeOther(w, r, commissionBase(id), "commission_heard")
		}
	}
	return s.formFail(w, r, u, hearingForm(id), err)
}

// opinionForm is the form of the opinion, the members in office to tick.
func opinionForm(id cleared.VettingCaseID, seats []cleared.CommissionMember, n names, now time.Time) *formPage {
	var ms []option
	for _, m := range seats {
		if m.InOffice(now) {
			ms = append(ms, option{Value: string(m.Person), Text: nameOf(n, string(m.Person))})
		}
	}
	return &formPage{Page: Page{Title: "commission.opinion.new", Nav: "registers"}, Intro: "commission.opinion.intro",
		Action: commissionBase(id) + "/opinion", Submit: "commission.opinion.give", Links: []link{{Href: commissionBase(id), Key: "commission.workspace"}},
		Fields: []field{
			{Name: "advice", Label: "commission.advice", Kind: "select", Required: true, Options: choose([]option{
				{Value: "grant", Key: "commission.advice.grant"}, {Value: "refuse", Key: "commission.advice.refuse"},
				{Value: "withdraw", Key: "commission.advice.withdraw"}})},
			{Name: "reasons", Label: "commission.reasons", Help: "commission.reasons.help", Kind: "textarea", Required: true},
			{Name: "members", Label: "commission.members", Kind: "checks", Options: ms},
			{Name: "as_president", Label: "commission.as_president", Kind: "checkbox"},
		}}
}

// opinionPage builds the opinion's form for case id, after the workspace's check.
func (s *server) opinionPage(r *http.Request, u *uiSession, id cleared.VettingCaseID) (*formPage, error) {
	if _, err := s.vet.Workspace(r.Context(), u.Actor, id); err != nil {
		return nil, err
	}
	seats, err := s.vet.CommissionRegister(r.Context(), u.Actor)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(seats))
	for _, m := range seats {
		ids = append(ids, string(m.Person))
	}
	return opinionForm(id, seats, s.names(r, u, ids...), s.vet.Now()), nil
}

// uiOpinionForm serves GET /ui/vetting-cases/{id}/commission/opinion/new, to a member who may act.
func (s *server) uiOpinionForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	f, err := s.opinionPage(r, u, id)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, f)
}

// uiOpinionGive serves POST /ui/vetting-cases/{id}/commission/opinion: GiveOpinion (A27.2).
func (s *server) uiOpinionGive(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	in := vetting.NewOpinion{Advice: cleared.Advice(formText(v, "advice")), Reasons: formText(v, "reasons"), AsPresident: formBool(v, "as_president")}
	for _, m := range v["members"] {
		in.Members = append(in.Members, cleared.PersonID(m))
	}
	if _, err = s.vet.GiveOpinion(r.Context(), u.Actor, id, in); err == nil {
		return seeOther(w, r, commissionBase(id), "commission_opinion")
	}
	f, ferr := s.opinionPage(r, u, id)
	if ferr != nil {
		return ferr
	}
	return s.formFail(w, r, u, f, err)
}

// uiOpinion serves GET /ui/vetting-cases/{id}/commission/opinion: Opinion, to the deciding authority and the members
// who may act; not found for anyone else, the person first (A27.4).
func (s *server) uiOpinion(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	o, err := s.vet.Opinion(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	ids := []string{string(o.By)}
	for _, m := range o.Members {
		ids = append(ids, string(m))
	}
	p := &recordPage{Page: Page{Title: "commission.opinion", Nav: "registers"}, Intro: "commission.opinion.page",
		Items:    []detail{{Label: "common.id", Value: codeCell(string(id))}},
		Sections: []section{opinionSection(o, s.names(r, u, ids...))}}
	return s.render(w, r, u, http.StatusOK, p)
}
