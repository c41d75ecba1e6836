package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The pages of security incidents (Art. 13: A13.1, A13.2, A13.3), over the same service methods as the API. The
// report form is offered to everyone signed in (one reports what one knows of, policy.ReportIncident); the case
// offers the acknowledgement to who was warned and the investigation's forms to who investigates
// (registry.IncidentCase says which).

// incidentPages registers the pages, from New.
func (s *server) incidentPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/incidents", s.uiIncidents)
	page("GET /ui/incidents/new", s.uiIncidentForm)
	page("POST /ui/incidents", s.uiIncidentReport)
	page("GET /ui/incidents/{id}", s.uiIncident)
	page("POST /ui/incidents/{id}/acknowledge", s.uiIncidentAcknowledge)
	page("GET /ui/incidents/{id}/{form}", s.uiIncidentCaseForm)
	page("POST /ui/incidents/{id}/{form}", s.uiIncidentCasePost)
}

func incidentID(r *http.Request) (cleared.IncidentID, error) {
	id := cleared.IncidentID(r.PathValue("id"))
	if id.Validate() != nil {
		return "", cleared.ErrNotFound
	}
	return id, nil
}

// uiIncidents serves GET /ui/incidents: the incidents one may know of, and the report form's link.
func (s *server) uiIncidents(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	cs, _, err := s.reg.Incidents(r.Context(), u.Actor, "", maxLimit)
	if err != nil {
		return err
	}
	pg := &tablePage{Page: Page{Title: "incidents.title", Nav: "registers"}, Intro: "incidents.intro", Caption: "incidents.title",
		Empty:   "incidents.none",
		Columns: []string{"incident.reported", "incident.kind", "incident.object_kind", "incident.organisation", "incident.state"},
		Actions: []link{{Href: "/ui/incidents/new", Key: "incidents.new"}}}
	var ids []string
	for _, c := range cs {
		ids = append(ids, string(c.OrganisationID))
	}
	names := s.names(r, u, ids...)
	for _, c := range cs {
		pg.Rows = append(pg.Rows, row{ID: string(c.ID), Cells: []cell{linkCell(formatDate(c.Reported), "/ui/incidents/"+string(c.ID)),
			keyCell("incident.kind." + string(c.Kind)), keyCell("incident.object." + string(c.ObjectKind)),
			names.cell(string(c.OrganisationID)), keyCell("incident.state." + c.State)}})
	}
	return s.render(w, r, u, http.StatusOK, pg)
}

func incidentForm() *formPage {
	kind := func(k cleared.IncidentKind) option {
		return option{Value: string(k), Key: "incident.kind." + string(k)}
	}
	obj := func(k cleared.IncidentObjectKind) option {
		return option{Value: string(k), Key: "incident.object." + string(k)}
	}
	return &formPage{Page: Page{Title: "incidents.new", Nav: "registers"}, Intro: "incidents.new.intro", Action: "/ui/incidents",
		Submit: "incidents.submit", Links: []link{{Href: "/ui/incidents", Key: "incidents.title"}}, Fields: []field{
			{Name: "kind", Label: "incident.kind", Kind: "select", Required: true, Options: []option{
				kind(cleared.IncidentCompromise), kind(cleared.IncidentSuspectedCompromise), kind(cleared.IncidentThreat), kind(cleared.IncidentAttempt)}},
			{Name: "object_kind", Label: "incident.object_kind", Kind: "select", Required: true, Options: []option{
				obj(cleared.IncidentPiece), obj(cleared.IncidentCopy), obj(cleared.IncidentPlace), obj(cleared.IncidentTerminal), obj(cleared.IncidentPerson)}},
			{Name: "object", Label: "incident.object", Help: "incident.object.help", Kind: "text", Required: true},
			{Name: "description", Label: "incident.description", Help: "incident.description.help", Kind: "textarea", Required: true},
		}}
}

// uiIncidentForm serves GET /ui/incidents/new; ?object_kind= and ?object= prefill it (from a piece's page).
func (s *server) uiIncidentForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	f := incidentForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiIncidentReport serves POST /ui/incidents: ReportIncident (A13.1, A13.2).
func (s *server) uiIncidentReport(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewIncident{Kind: cleared.IncidentKind(formText(v, "kind")), ObjectKind: cleared.IncidentObjectKind(formText(v, "object_kind")),
		Object: formText(v, "object"), Description: formText(v, "description")}
	c, err := s.reg.ReportIncident(r.Context(), u.Actor, in)
	if err == nil {
		return seeOther(w, r, "/ui/incidents/"+string(c.ID), "incident_reported")
	}
	return s.formFail(w, r, u, incidentForm(), err)
}

// deliveryCell says where a message stands: delivered at, pending, or delayed with its last error and attempts
// ("says so": an unreachable server delays a warning, never loses it).
func deliveryCell(d registry.DeliveryView) cell {
	switch d.State {
	case "delivered":
		return textCell(formatDate(d.Delivered) + " " + d.Delivered.Format("15:04:05"))
	case "delayed":
		return textCell(d.LastError + " (" + strconv.Itoa(d.Attempts) + " ×, " + formatDate(d.NextAttempt) + " " + d.NextAttempt.Format("15:04") + ")")
	}
	return keyCell("incident.delivery.pending")
}

// uiIncident serves GET /ui/incidents/{id}: the case as one may see it. The whole case shows each warning, its
// acknowledgement and its e-mails, the webhook calls and the investigation's record; the reporter sees his report
// and its state.
func (s *server) uiIncident(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := incidentID(r)
	if err != nil {
		return err
	}
	c, err := s.reg.Incident(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	ids := []string{string(c.OrganisationID), string(c.ReportedBy), string(c.ClosedBy)}
	for _, n := range c.Notes {
		ids = append(ids, string(n.By))
	}
	names := s.names(r, u, ids...)
	base := "/ui/incidents/" + string(id)
	items := []detail{
		{Label: "incident.id", Value: codeCell(string(c.ID)), ID: "incident-id"},
		{Label: "incident.kind", Value: keyCell("incident.kind." + string(c.Kind)), ID: "incident-kind"},
		{Label: "incident.rule", Value: textCell(c.Rule)},
		{Label: "incident.object_kind", Value: keyCell("incident.object." + string(c.ObjectKind))},
		{Label: "incident.object", Value: codeCell(c.Object)},
		{Label: "incident.organisation", Value: names.cell(string(c.OrganisationID))},
		{Label: "incident.source", Value: keyCell("incident.source." + string(c.Source))},
		{Label: "incident.reported_by", Value: names.cell(string(c.ReportedBy))},
		{Label: "incident.reported", Value: textCell(formatDate(c.Reported) + " " + c.Reported.Format("15:04"))},
		{Label: "incident.description", Value: cell{Text: c.Description, Pre: true}},
		{Label: "incident.state", Value: keyCell("incident.state." + c.State), ID: "incident-state"},
	}
	if c.Mine {
		items = append(items, detail{Label: "incident.acknowledgement", ID: "incident-ack",
			Value: cell{Post: base + "/acknowledge", CSRF: u.CSRF, Key: "incident.acknowledge", ID: "acknowledge"}})
	}
	pg := &recordPage{Page: Page{Title: "incident.page", Nav: "registers"}, Items: items,
		Actions: []link{{Href: "/ui/incidents", Key: "incidents.title"}}}
	if !c.Full {
		pg.Intro = "incident.report.intro"
		return s.render(w, r, u, http.StatusOK, pg)
	}
	pg.Intro = "incident.intro"
	if c.Findings != "" {
		pg.Items = append(pg.Items, detail{Label: "incident.findings", Value: cell{Text: c.Findings, Pre: true}, ID: "incident-findings"})
	}
	if !c.Head.At.IsZero() {
		pg.Items = append(pg.Items, detail{Label: "incident.head", ID: "incident-head",
			Value: textCell(c.Head.Name + ", " + formatDate(c.Head.At) + ", " + c.Head.How)})
	}
	if !c.Closed.IsZero() {
		pg.Items = append(pg.Items, detail{Label: "incident.closed", Value: textCell(formatDate(c.Closed) + " — " + names.textOr(string(c.ClosedBy)))})
	}
	if c.Investigator {
		pg.Items = append(pg.Items, detail{Label: "incident.close", ID: "incident-close",
			Value: cell{Post: base + "/close", CSRF: u.CSRF, Key: "incident.close", ID: "close"}})
		pg.Actions = append(pg.Actions, link{Href: base + "/notes", Key: "incident.note.new"},
			link{Href: base + "/findings", Key: "incident.findings.new"}, link{Href: base + "/head-notice", Key: "incident.head.new"})
	}
	warned := section{ID: "notifications", Title: "incident.notifications", Empty: "incident.notifications.none",
		Columns: []string{"incident.recipient", "incident.as", "incident.warned", "incident.acknowledged", "incident.email", "incident.delivery"}}
	for _, n := range c.Notifications {
		ack := keyCell("incident.not_acknowledged")
		if !n.Acknowledged.IsZero() {
			ack = textCell(formatDate(n.Acknowledged) + " " + n.Acknowledged.Format("15:04"))
		}
		address, state := textCell(""), keyCell("incident.email.none")
		if len(n.Emails) > 0 {
			d := n.Emails[len(n.Emails)-1]
			address, state = textCell(d.Address), deliveryCell(d)
		}
		warned.Rows = append(warned.Rows, row{ID: "n" + strconv.Itoa(n.Number), Cells: []cell{textCell(n.RecipientName), keyCell("incident.as." + string(n.As)),
			textCell(formatDate(n.Created) + " " + n.Created.Format("15:04")), ack, address, state}})
	}
	hooks := section{ID: "webhooks", Title: "incident.webhooks", Empty: "incident.webhooks.none",
		Columns: []string{"incident.webhook", "incident.delivery"}}
	for _, d := range c.Webhooks {
		hooks.Rows = append(hooks.Rows, row{ID: string(d.ID), Cells: []cell{codeCell(d.Address), deliveryCell(d)}})
	}
	record := section{ID: "record", Title: "incident.record", Empty: "incident.record.none",
		Columns: []string{"incident.note.at", "incident.note.by", "incident.note.text"}}
	for _, n := range c.Notes {
		by := keyCell("incident.by_cleared")
		if n.By != "" {
			by = names.cell(string(n.By))
		}
		record.Rows = append(record.Rows, row{ID: "note" + strconv.Itoa(n.Number), Cells: []cell{textCell(formatDate(n.At) + " " + n.At.Format("15:04")), by,
			cell{Text: n.Text, Pre: true}}})
	}
	pg.Sections = []section{warned, hooks, record}
	return s.render(w, r, u, http.StatusOK, pg)
}

// uiIncidentAcknowledge serves POST /ui/incidents/{id}/acknowledge: AcknowledgeIncident, from the case or the
// agenda.
func (s *server) uiIncidentAcknowledge(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := incidentID(r)
	if err != nil {
		return err
	}
	if _, err := s.reg.AcknowledgeIncident(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/incidents/"+string(id), "incident_acknowledged")
}

// incidentCaseForm is the form of one step of the investigation (A13.3): a note, the findings, the notice to the
// head of the body; nil for another name.
func incidentCaseForm(id cleared.IncidentID, form string) *formPage {
	base := "/ui/incidents/" + string(id)
	f := &formPage{Page: Page{Nav: "registers"}, Action: base + "/" + form, Links: []link{{Href: base, Key: "incident.page"}}}
	switch form {
	case "notes":
		f.Title, f.Intro, f.Submit = "incident.note.new", "incident.note.intro", "incident.note.submit"
		f.Fields = []field{{Name: "text", Label: "incident.note.text", Kind: "textarea", Required: true}}
	case "findings":
		f.Title, f.Intro, f.Submit = "incident.findings.new", "incident.findings.intro", "incident.findings.submit"
		f.Fields = []field{{Name: "text", Label: "incident.findings", Kind: "textarea", Required: true}}
	case "head-notice":
		f.Title, f.Intro, f.Submit = "incident.head.new", "incident.head.intro", "incident.head.submit"
		f.Fields = []field{{Name: "name", Label: "incident.head.name", Kind: "text", Required: true},
			{Name: "at", Label: "incident.head.at", Help: "incident.head.at.help", Kind: "date"},
			{Name: "how", Label: "incident.head.how", Kind: "textarea", Required: true}}
	case "close":
		f.Title, f.Intro, f.Submit = "incident.close", "incident.close.intro", "incident.close"
	default:
		return nil
	}
	return f
}

// uiIncidentCaseForm serves GET /ui/incidents/{id}/notes|findings|head-notice. The case is read first, so that
// one who may not know it gets the same 404 as for a case that does not exist.
func (s *server) uiIncidentCaseForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := incidentID(r)
	if err != nil {
		return err
	}
	f := incidentCaseForm(id, r.PathValue("form"))
	if f == nil {
		return cleared.ErrNotFound
	}
	if _, err := s.reg.Incident(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, f)
}

// uiIncidentCasePost serves POST /ui/incidents/{id}/notes|findings|head-notice|close (A13.3).
func (s *server) uiIncidentCasePost(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := incidentID(r)
	if err != nil {
		return err
	}
	form := r.PathValue("form")
	f := incidentCaseForm(id, form)
	if f == nil {
		return cleared.ErrNotFound
	}
	v, ctx := r.PostForm, r.Context()
	switch form {
	case "notes":
		_, err = s.reg.RecordIncidentNote(ctx, u.Actor, id, formText(v, "text"))
	case "findings":
		_, err = s.reg.RecordIncidentFindings(ctx, u.Actor, id, formText(v, "text"))
	case "head-notice":
		in := registry.HeadNoticeInput{Name: formText(v, "name"), How: formText(v, "how")}
		if d := formText(v, "at"); d != "" {
			if in.At, err = time.Parse(time.DateOnly, d); err != nil {
				err = cleared.Invalidf("at: give the date the head of the body was informed, or leave it empty for now")
			}
		}
		if err == nil {
			_, err = s.reg.RecordHeadNotice(ctx, u.Actor, id, in)
		}
	case "close":
		_, err = s.reg.CloseIncident(ctx, u.Actor, id)
		if err != nil {
			return err
		}
	}
	if err == nil {
		return seeOther(w, r, "/ui/incidents/"+string(id), "incident_recorded")
	}
	return s.formFail(w, r, u, f, err)
}
