package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/vetting"
)

// The pages of decisions on vetting cases (issue 20 §6): the deciding authority lists the cases waiting for him
// and decides on each with reasons (A27.1, A27.2, A15.2, A16.1); the security officer lists the decisions to
// notify and records each notification with its date (A27.1); the person reads his decision once notified, with
// its reasons and appeal route (A29.1), never the commission's opinion (A27.4). Registered by New.
func (s *server) vettingDecisionPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/vetting-decisions", s.uiDecisionsPending)
	page("GET /ui/vetting-decisions/to-notify", s.uiDecisionsToNotify)
	page("GET /ui/vetting-cases/{id}/decision", s.uiDecision)
	page("GET /ui/vetting-cases/{id}/decision/new", s.uiDecisionForm)
	page("POST /ui/vetting-cases/{id}/decision", s.uiDecide)
	page("GET /ui/vetting-cases/{id}/decision/notification", s.uiNotificationForm)
	page("POST /ui/vetting-cases/{id}/decision/notification", s.uiNotify)
	page("GET /ui/vetting-cases/{id}/appeals/new", s.uiAppealForm)
	page("POST /ui/vetting-cases/{id}/appeals", s.uiAppealLodge)
	page("GET /ui/vetting-cases/{id}/appeals/{n}/outcome", s.uiAppealRulingForm)
	page("POST /ui/vetting-cases/{id}/appeals/{n}/outcome", s.uiAppealRule)
	page("GET /ui/clearances/{id}/suspension", s.uiSuspensionForm)
	page("POST /ui/clearances/{id}/suspension", s.uiSuspend)
	page("GET /ui/clearances/{id}/suspension/lift", s.uiLiftForm)
	page("POST /ui/clearances/{id}/suspension/lift", s.uiLift)
}

// uiDecisionsPending serves GET /ui/vetting-decisions: PendingDecisions, to the deciding authority (A27.1).
func (s *server) uiDecisionsPending(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	cs, err := s.vet.PendingDecisions(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, string(c.PersonID))
	}
	n := s.names(r, u, ids...)
	if n == nil {
		n = names{}
	}
	for _, c := range cs {
		if n[string(c.PersonID)].Text == "" && c.PersonName != "" {
			n[string(c.PersonID)] = registry.Name{Text: c.PersonName}
		}
	}
	p := &tablePage{Page: Page{Title: "decision.title", Nav: "registers"}, Intro: "decision.intro", Caption: "decision.title",
		Columns: []string{"vetting.person", "post.level", "decision.waiting", "decision.opinion", "decision.decide"}, Empty: "list.empty"}
	for _, c := range cs {
		opinion := keyCell("decision.opinion.none")
		if c.Opinion {
			opinion = keyCell("decision.opinion.given")
		}
		p.Rows = append(p.Rows, row{ID: string(c.ID), Cells: []cell{n.cell(string(c.PersonID)), levelCell(c.Level),
			keyCell("decision.waiting." + string(c.Stage)), opinion,
			{Key: "decision.decide", Href: "/ui/vetting-cases/" + string(c.ID) + "/decision/new", ID: "decide-" + string(c.ID)}}})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// uiDecisionsToNotify serves GET /ui/vetting-decisions/to-notify: ToNotify, the security officer's decisions to
// notify (A27.1).
func (s *server) uiDecisionsToNotify(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	ds, err := s.vet.ToNotify(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(ds))
	for _, d := range ds {
		ids = append(ids, string(d.Person))
	}
	n := s.names(r, u, ids...)
	p := &tablePage{Page: Page{Title: "decision.tonotify.title", Nav: "registers"}, Intro: "decision.tonotify.intro",
		Caption: "decision.tonotify.title", Columns: []string{"vetting.person", "decision.outcome", "decision.decided", "decision.notify"},
		Empty: "list.empty"}
	for _, d := range ds {
		base := "/ui/vetting-cases/" + string(d.Case) + "/decision"
		p.Rows = append(p.Rows, row{ID: string(d.Case), Cells: []cell{n.cell(string(d.Person)),
			{Key: "decision.outcome." + string(d.Outcome), Href: base, ID: "decision-" + string(d.Case)}, dateCell(d.Decided),
			{Key: "decision.notify", Href: base + "/notification", ID: "notify-" + string(d.Case)}}})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// uiDecision serves GET /ui/vetting-cases/{id}/decision: Decision, as its reader may see it.
func (s *server) uiDecision(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	v, err := s.vet.Decision(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	n := s.names(r, u, string(v.Person), string(v.By), string(v.NotifiedBy))
	if n == nil {
		n = names{}
	}
	if n[string(v.Person)].Text == "" && v.PersonName != "" {
		n[string(v.Person)] = registry.Name{Text: v.PersonName}
	}
	notified := keyCell("decision.notified.not")
	if !v.Notified.IsZero() {
		notified = dateCell(v.Notified)
	}
	items := []detail{
		{Label: "vetting.person", Value: n.cell(string(v.Person))},
		{Label: "decision.outcome", Value: keyCell("decision.outcome." + string(v.Outcome)), ID: "decision-outcome"},
	}
	if v.Outcome == cleared.OutcomeGrant {
		items = append(items, detail{Label: "decision.level", Value: levelCell(v.Level)})
	}
	items = append(items,
		detail{Label: "decision.decided", Value: dateCell(v.Decided)},
		detail{Label: "decision.by", Value: n.cell(string(v.By))},
		detail{Label: "decision.notified", Value: notified, ID: "decision-notified"})
	if v.Reasons != "" {
		sig := keyCell("decision.signature.valid")
		if !v.Valid {
			sig = keyCell("decision.signature.invalid")
		}
		items = append(items, detail{Label: "decision.reasons", Value: cell{Text: v.Reasons, Pre: true}, ID: "decision-reasons"},
			detail{Label: "decision.signature", Value: sig, ID: "decision-signature"})
	}
	items = append(items, detail{Label: "decision.appeal", Value: cell{Text: v.AppealRoute, Pre: true}, ID: "decision-appeal"},
		detail{Label: "common.id", Value: codeCell(string(v.Case))})
	p := &recordPage{Page: Page{Title: "decision.page", Nav: "registers"}, Intro: "decision.page.intro", Items: items,
		Actions: []link{{Href: "/ui/vetting-cases/" + string(id), Key: "vetting.page"}}}
	if v.Opinion != nil {
		p.Sections = append(p.Sections, section{ID: "opinion", Title: "decision.opinion", Columns: []string{"decision.advice", "decision.reasons"},
			Rows: []row{{ID: "opinion", Cells: []cell{keyCell("decision.advice." + string(v.Opinion.Advice)), {Text: v.Opinion.Reasons, Pre: true}}}}})
	}
	offers, err := s.vet.DecisionOffers(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	appeal := offers.Appeal && v.Outcome.Negative()
	if len(v.Appeals) > 0 {
		sec := section{ID: "appeals", Title: "decision.appeals", Columns: []string{"decision.appeal.lodged", "decision.appeal.court",
			"decision.appeal.reference", "decision.appeal.outcome", "decision.appeal.ruled"}}
		for _, a := range v.Appeals {
			outcome := keyCell("decision.appeal.pending")
			if a.Outcome != "" {
				outcome = keyCell("decision.appeal.outcome." + string(a.Outcome))
			} else if appeal {
				n := strconv.Itoa(a.Number)
				outcome = cell{Key: "decision.appeal.rule", Href: "/ui/vetting-cases/" + string(id) + "/appeals/" + n + "/outcome", ID: "rule-" + n}
			}
			sec.Rows = append(sec.Rows, row{ID: "appeal-" + strconv.Itoa(a.Number), Cells: []cell{dateCell(a.Lodged), textCell(a.Court),
				textCell(a.Reference), outcome, dateCell(a.Ruled)}})
		}
		p.Sections = append(p.Sections, sec)
	}
	if appeal {
		p.Actions = append(p.Actions, link{Href: "/ui/vetting-cases/" + string(id) + "/appeals/new", Key: "decision.appeal.new"})
	}
	// Only the person's security officer sees the outcome without the reasons: the notification is his to record.
	if v.Notified.IsZero() && v.Reasons == "" {
		p.Actions = append(p.Actions, link{Href: "/ui/vetting-cases/" + string(id) + "/decision/notification", Key: "decision.notify"})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func decisionForm(id cleared.VettingCaseID) *formPage {
	levels := append([]option{{Value: "", Key: "decision.level.case"}}, levelOptions(false)...)
	return &formPage{Page: Page{Title: "decision.new", Nav: "registers"}, Intro: "decision.new.intro",
		Action: "/ui/vetting-cases/" + string(id) + "/decision", Submit: "decision.submit",
		Links: []link{{Href: "/ui/vetting-decisions", Key: "decision.title"}}, Fields: []field{
			{Name: "outcome", Label: "decision.outcome", Kind: "select", Required: true, Options: choose([]option{
				{Value: "grant", Key: "decision.outcome.grant"}, {Value: "refuse", Key: "decision.outcome.refuse"},
				{Value: "withdraw", Key: "decision.outcome.withdraw"}})},
			{Name: "level", Label: "decision.level", Help: "decision.level.help", Kind: "select", Options: levels},
			{Name: "reasons", Label: "decision.reasons", Help: "decision.reasons.help", Kind: "textarea", Required: true},
		}}
}

// uiDecisionForm serves GET /ui/vetting-cases/{id}/decision/new: the deciding authority's form.
func (s *server) uiDecisionForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	return s.render(w, r, u, http.StatusOK, decisionForm(id))
}

// uiDecide serves POST /ui/vetting-cases/{id}/decision: Decide.
func (s *server) uiDecide(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	v := r.PostForm
	in := vetting.NewDecision{Outcome: cleared.Outcome(formText(v, "outcome")), Reasons: formText(v, "reasons")}
	var err error
	if in.Level, err = formLevel(v, "level", "decision.level"); err == nil {
		if _, err = s.vet.Decide(r.Context(), u.Actor, id, in); err == nil {
			return seeOther(w, r, "/ui/vetting-cases/"+string(id)+"/decision", "decision_recorded")
		}
	}
	return s.formFail(w, r, u, decisionForm(id), err)
}

func notificationForm(id cleared.VettingCaseID) *formPage {
	return &formPage{Page: Page{Title: "decision.notification", Nav: "registers"}, Intro: "decision.notification.intro",
		Action: "/ui/vetting-cases/" + string(id) + "/decision/notification", Submit: "decision.notify",
		Links: []link{{Href: "/ui/vetting-cases/" + string(id) + "/decision", Key: "decision.page"}}, Fields: []field{
			{Name: "notified", Label: "decision.notification.date", Help: "decision.notification.date.help", Kind: "date"},
		}}
}

// uiNotificationForm serves GET /ui/vetting-cases/{id}/decision/notification: the security officer's form.
func (s *server) uiNotificationForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	return s.render(w, r, u, http.StatusOK, notificationForm(id))
}

// uiNotify serves POST /ui/vetting-cases/{id}/decision/notification: Notify. The form gives a day: today (or none)
// is now; an earlier day is its last instant, so a notification the day of the decision is never before it.
func (s *server) uiNotify(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	day, err := formDate(r.PostForm, "notified", "decision.notification.date")
	if err == nil {
		var in vetting.Notification
		if !day.IsZero() {
			in.Notified = dayOf(day)
		}
		if _, err = s.vet.Notify(r.Context(), u.Actor, id, in); err == nil {
			return seeOther(w, r, "/ui/vetting-cases/"+string(id)+"/decision", "decision_notified")
		}
	}
	return s.formFail(w, r, u, notificationForm(id), err)
}

func appealForm(id cleared.VettingCaseID) *formPage {
	return &formPage{Page: Page{Title: "decision.appeal.new", Nav: "registers"}, Intro: "decision.appeal.intro",
		Action: "/ui/vetting-cases/" + string(id) + "/appeals", Submit: "decision.appeal.submit",
		Links: []link{{Href: "/ui/vetting-cases/" + string(id) + "/decision", Key: "decision.page"}}, Fields: []field{
			{Name: "lodged", Label: "decision.appeal.lodged", Kind: "date", Required: true},
			{Name: "court", Label: "decision.appeal.court", Kind: "text", Required: true, Value: "Tribunal administratif"},
			{Name: "reference", Label: "decision.appeal.reference", Kind: "text", Required: true},
		}}
}

// uiAppealForm serves GET /ui/vetting-cases/{id}/appeals/new: the NSA's form of an appeal (A29.1).
func (s *server) uiAppealForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	return s.render(w, r, u, http.StatusOK, appealForm(id))
}

// dayOf is the instant a day given on a form stands for: now for today (or none), else the day's last instant,
// so that a day is never before what happened earlier that day.
func dayOf(day time.Time) time.Time {
	if end := day.AddDate(0, 0, 1).Add(-time.Microsecond); !day.IsZero() && end.Before(time.Now()) {
		return end
	}
	return time.Now()
}

// uiAppealLodge serves POST /ui/vetting-cases/{id}/appeals: LodgeAppeal.
func (s *server) uiAppealLodge(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	v := r.PostForm
	day, err := formDate(v, "lodged", "decision.appeal.lodged")
	if err == nil {
		in := vetting.NewAppeal{Lodged: dayOf(day), Court: formText(v, "court"), Reference: formText(v, "reference")}
		if _, err = s.vet.LodgeAppeal(r.Context(), u.Actor, id, in); err == nil {
			return seeOther(w, r, "/ui/vetting-cases/"+string(id)+"/decision", "appeal_recorded")
		}
	}
	return s.formFail(w, r, u, appealForm(id), err)
}

func appealRulingForm(id cleared.VettingCaseID, n string) *formPage {
	return &formPage{Page: Page{Title: "decision.appeal.rule", Nav: "registers"}, Intro: "decision.appeal.rule.intro",
		Action: "/ui/vetting-cases/" + string(id) + "/appeals/" + n + "/outcome", Submit: "decision.appeal.rule",
		Links: []link{{Href: "/ui/vetting-cases/" + string(id) + "/decision", Key: "decision.page"}}, Fields: []field{
			{Name: "outcome", Label: "decision.appeal.outcome", Kind: "select", Required: true, Options: choose([]option{
				{Value: "upheld", Key: "decision.appeal.outcome.upheld"}, {Value: "annulled", Key: "decision.appeal.outcome.annulled"},
				{Value: "dismissed", Key: "decision.appeal.outcome.dismissed"}})},
			{Name: "ruled", Label: "decision.appeal.ruled", Kind: "date", Required: true},
		}}
}

// appealPath reads the case and appeal number of a page's path.
func appealPath(r *http.Request) (cleared.VettingCaseID, int, error) {
	id := cleared.VettingCaseID(r.PathValue("id"))
	n, err := strconv.Atoi(r.PathValue("n"))
	if id.Validate() != nil || err != nil || n < 1 || n > 999 {
		return id, 0, cleared.ErrNotFound
	}
	return id, n, nil
}

// uiAppealRulingForm serves GET /ui/vetting-cases/{id}/appeals/{n}/outcome: the NSA's form of an appeal's
// outcome (A29.1).
func (s *server) uiAppealRulingForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, n, err := appealPath(r)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, appealRulingForm(id, strconv.Itoa(n)))
}

// uiAppealRule serves POST /ui/vetting-cases/{id}/appeals/{n}/outcome: RuleAppeal.
func (s *server) uiAppealRule(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, n, err := appealPath(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	day, err := formDate(v, "ruled", "decision.appeal.ruled")
	if err == nil {
		in := vetting.AppealRuling{Outcome: cleared.AppealOutcome(formText(v, "outcome")), Ruled: dayOf(day)}
		if _, err = s.vet.RuleAppeal(r.Context(), u.Actor, id, n, in); err == nil {
			return seeOther(w, r, "/ui/vetting-cases/"+string(id)+"/decision", "appeal_ruled")
		}
	}
	return s.formFail(w, r, u, appealRulingForm(id, strconv.Itoa(n)), err)
}

func suspensionForm(id cleared.ClearanceID, lift bool) *formPage {
	f := &formPage{Page: Page{Title: "suspension.new", Nav: "registers"}, Intro: "suspension.intro",
		Action: "/ui/clearances/" + string(id) + "/suspension", Submit: "suspension.submit",
		Links: []link{{Href: "/ui/clearances/" + string(id), Key: "clearance.page"}}, Fields: []field{
			{Name: "reasons", Label: "decision.reasons", Help: "suspension.reasons.help", Kind: "textarea", Required: true},
		}}
	if lift {
		f.Title, f.Intro, f.Submit, f.Action = "suspension.lift", "suspension.lift.intro", "suspension.lift", f.Action+"/lift"
	}
	return f
}

// clearanceActions are the links the clearance page offers the NSA and the deciding authority (A27.1).
func (s *server) clearanceActions(r *http.Request, u *uiSession, c cleared.Clearance) []link {
	o, err := s.vet.DecisionOffers(r.Context(), u.Actor)
	if err != nil || !o.Suspend {
		return nil
	}
	switch c.Status {
	case cleared.ClearanceActive, cleared.ClearancePending:
		return []link{{Href: "/ui/clearances/" + string(c.ID) + "/suspension", Key: "suspension.new"}}
	case cleared.ClearanceSuspended:
		return []link{{Href: "/ui/clearances/" + string(c.ID) + "/suspension/lift", Key: "suspension.lift"}}
	}
	return nil
}

// uiSuspensionForm and uiLiftForm serve GET /ui/clearances/{id}/suspension[/lift]: the forms of the NSA and the
// deciding authority (A27.1).
func (s *server) uiSuspensionForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.uiSuspensionPage(w, r, u, false)
}

func (s *server) uiLiftForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.uiSuspensionPage(w, r, u, true)
}

func (s *server) uiSuspensionPage(w http.ResponseWriter, r *http.Request, u *uiSession, lift bool) error {
	id := cleared.ClearanceID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	return s.render(w, r, u, http.StatusOK, suspensionForm(id, lift))
}

// uiSuspend and uiLift serve POST /ui/clearances/{id}/suspension[/lift]: Suspend and LiftSuspension.
func (s *server) uiSuspend(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.uiSuspensionAct(w, r, u, false)
}

func (s *server) uiLift(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.uiSuspensionAct(w, r, u, true)
}

func (s *server) uiSuspensionAct(w http.ResponseWriter, r *http.Request, u *uiSession, lift bool) error {
	id := cleared.ClearanceID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	in := vetting.NewSuspension{Reasons: formText(r.PostForm, "reasons")}
	act, ok := s.vet.Suspend, "clearance_suspended"
	if lift {
		act, ok = s.vet.LiftSuspension, "suspension_lifted"
	}
	if _, err := act(r.Context(), u.Actor, id, in); err != nil {
		return s.formFail(w, r, u, suspensionForm(id, lift), err)
	}
	return seeOther(w, r, "/ui/clearances/"+string(id), ok)
}
