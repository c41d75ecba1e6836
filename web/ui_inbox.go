package web

import (
	"net/http"
	"strconv"

	"github.com/cleared/cleared"
)

// The pages of the staging inbox (issue 21 §3, S1, A5.1): what partners' systems posted to TAXII, waiting for a
// person who holds a classifying authority to import it (each report a piece) or for one of them or the NSA to
// refuse it; over the same service methods as the API.

// inboxPages registers the pages, from New.
func (s *server) inboxPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/inbox", s.uiInbox)
	page("GET /ui/inbox/{id}/import", s.uiInboxImportForm)
	page("POST /ui/inbox/{id}/import", s.uiInboxImport)
	page("GET /ui/inbox/{id}/refuse", s.uiInboxRefuseForm)
	page("POST /ui/inbox/{id}/refuse", s.uiInboxRefuse)
}

// uiInbox serves GET /ui/inbox: Inbox, every state, by ID; a pending item links to its two decisions.
func (s *server) uiInbox(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	pq, err := idPage[cleared.InboxID](r)
	if err != nil {
		return err
	}
	its, err := sh.Inbox(r.Context(), u.Actor, "", pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "inbox.title", Nav: "registers"}, Intro: "inbox.intro", Caption: "inbox.title",
		Empty: "inbox.none", Columns: []string{"inbox.partner", "inbox.received", "inbox.reports", "inbox.objects",
			"inbox.state", "inbox.import", "inbox.refuse", "common.id"},
		Actions: []link{{Href: "/ui/partners", Key: "partners.title"}}}
	var ids []string
	for _, it := range its {
		ids = append(ids, string(it.Partner))
	}
	n := s.names(r, u, ids...)
	for _, it := range its {
		imp, ref := textCell(""), textCell("")
		if it.State == cleared.InboxPending {
			imp = cell{Href: "/ui/inbox/" + string(it.ID) + "/import", Key: "inbox.import", ID: "import-" + string(it.ID)}
			ref = cell{Href: "/ui/inbox/" + string(it.ID) + "/refuse", Key: "inbox.refuse", ID: "refuse-" + string(it.ID)}
		}
		p.Rows = append(p.Rows, row{ID: string(it.ID), Cells: []cell{textCell(n[string(it.Partner)].Text),
			textCell(formatTime(it.Received)), textCell(strconv.Itoa(it.Reports)), textCell(strconv.Itoa(len(it.Objects))),
			keyCell("inbox.state." + string(it.State)), imp, ref, codeCell(string(it.ID))}})
	}
	if k := len(its); k > 0 {
		p.Next = nextHref("/ui/inbox", r.URL.Query(), k, pq.limit, string(its[k-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// inboxImportForm asks which of the authorities the actor holds registers the item's reports, and a dossier.
func inboxImportForm(id cleared.InboxID, authorities []cleared.ClassifyingAuthority) *formPage {
	auths := make([]option, 0, len(authorities))
	for _, a := range authorities {
		auths = append(auths, option{Value: string(a.ID), Text: a.Title})
	}
	f := &formPage{Page: Page{Title: "inbox.import", Nav: "registers"}, Intro: "inbox.import.intro",
		Action: "/ui/inbox/" + string(id) + "/import", Submit: "inbox.import",
		Links: []link{{Href: "/ui/inbox", Key: "inbox.title"}}, Fields: []field{
			{Name: "authority", Label: "classify.authority", Help: "classify.authority.help", Kind: "select", Required: true, Options: auths},
			{Name: "dossier", Label: "piece.dossier", Help: "classify.dossier.help", Kind: "text"},
		}}
	if len(auths) == 0 {
		f.Warning = "classify.no_authority"
	}
	return f
}

// uiInboxImportForm serves GET /ui/inbox/{id}/import: the form, with the authorities the actor holds (Me).
func (s *server) uiInboxImportForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pathID[cleared.InboxID](r)
	if err != nil {
		return err
	}
	m, err := s.reg.Me(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, inboxImportForm(id, m.Authority))
}

// uiInboxImport serves POST /ui/inbox/{id}/import: ImportInbox, then the inbox.
func (s *server) uiInboxImport(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	id, err := pathID[cleared.InboxID](r)
	if err != nil {
		return err
	}
	_, _, err = sh.ImportInbox(r.Context(), u.Actor, id, cleared.AuthorityID(formText(r.PostForm, "authority")),
		cleared.DossierID(formText(r.PostForm, "dossier")))
	if err != nil {
		m, merr := s.reg.Me(r.Context(), u.Actor)
		if merr != nil {
			return merr
		}
		return s.formFail(w, r, u, inboxImportForm(id, m.Authority), err)
	}
	return seeOther(w, r, "/ui/inbox", "inbox_imported")
}

func inboxRefuseForm(id cleared.InboxID) *formPage {
	return &formPage{Page: Page{Title: "inbox.refuse", Nav: "registers"}, Intro: "inbox.refuse.intro",
		Action: "/ui/inbox/" + string(id) + "/refuse", Submit: "inbox.refuse",
		Links: []link{{Href: "/ui/inbox", Key: "inbox.title"}}, Fields: []field{
			{Name: "reason", Label: "inbox.reason", Help: "inbox.reason.help", Kind: "textarea", Required: true},
		}}
}

// uiInboxRefuseForm serves GET /ui/inbox/{id}/refuse.
func (s *server) uiInboxRefuseForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pathID[cleared.InboxID](r)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, inboxRefuseForm(id))
}

// uiInboxRefuse serves POST /ui/inbox/{id}/refuse: Refuse, then the inbox.
func (s *server) uiInboxRefuse(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	id, err := pathID[cleared.InboxID](r)
	if err != nil {
		return err
	}
	if _, err := sh.Refuse(r.Context(), u.Actor, id, formText(r.PostForm, "reason")); err != nil {
		return s.formFail(w, r, u, inboxRefuseForm(id), err)
	}
	return seeOther(w, r, "/ui/inbox", "inbox_refused")
}
