package web

import (
	"errors"
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing"
)

// The pages of the sources cleared pulls products from (issue 21 §2, S1, A6.1), over the same service methods as
// the API: the list with each source's last poll and error, the form to record one (its recorder its registrar,
// as one of the authorities he holds), and a poll at once.

// sourcesPages registers the pages, from New.
func (s *server) sourcesPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/sources", s.uiSources)
	page("GET /ui/sources/new", s.uiSourceForm)
	page("POST /ui/sources", s.uiSourceRecord)
	page("POST /ui/sources/{id}/poll", s.uiSourcePoll)
}

// uiSources serves GET /ui/sources: Sources, by ID.
func (s *server) uiSources(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	pq, err := idPage[cleared.SourceID](r)
	if err != nil {
		return err
	}
	ss, err := sh.Sources(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "sources.title", Nav: "registers"}, Intro: "sources.intro", Caption: "sources.title",
		Columns: []string{"source.partner", "source.kind", "source.url", "source.registrar", "source.polled", "source.state",
			"source.action", "common.id"},
		Empty: "list.empty", Actions: []link{{Href: "/ui/sources/new", Key: "sources.new"}, {Href: "/ui/partners", Key: "partners.title"}}}
	var ids []string
	for _, src := range ss {
		ids = append(ids, string(src.Partner), string(src.Registrar.Person))
	}
	n := s.names(r, u, ids...)
	for _, src := range ss {
		state := keyCell("source.ok")
		switch {
		case src.Paused:
			state = keyCell("source.paused")
		case src.LastError != "":
			state = textCell(src.LastError)
		case src.Polled.IsZero():
			state = keyCell("source.never")
		}
		polled := ""
		if !src.Polled.IsZero() {
			polled = formatTime(src.Polled)
		}
		p.Rows = append(p.Rows, row{ID: string(src.ID), Cells: []cell{textCell(n[string(src.Partner)].Text),
			keyCell("source.kind." + string(src.Kind)), codeCell(src.URL), textCell(n[string(src.Registrar.Person)].Text),
			textCell(polled), state,
			{Post: "/ui/sources/" + string(src.ID) + "/poll", CSRF: u.CSRF, Key: "source.poll", ID: "poll-" + string(src.ID)},
			codeCell(string(src.ID))}})
	}
	if k := len(ss); k > 0 {
		p.Next = nextHref("/ui/sources", r.URL.Query(), k, pq.limit, string(ss[k-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// sourceForm is the form to record a source: the partner, the protocol and address, the authority (one the actor
// holds) the products are classified as, and a dossier.
func (s *server) sourceForm(r *http.Request, u *uiSession) (*formPage, error) {
	sh, err := s.sharer()
	if err != nil {
		return nil, err
	}
	ps, err := sh.Partners(r.Context(), u.Actor, "", maxListLimit)
	if err != nil {
		return nil, err
	}
	m, err := s.reg.Me(r.Context(), u.Actor)
	if err != nil {
		return nil, err
	}
	partners := []option{}
	for _, p := range ps {
		partners = append(partners, option{Value: string(p.Organisation), Text: p.Name + " (" + string(p.Scheme) + ")"})
	}
	auths := []option{}
	for _, a := range m.Authority {
		auths = append(auths, option{Value: string(a.ID), Text: a.Title})
	}
	f := &formPage{Page: Page{Title: "sources.new", Nav: "registers"}, Intro: "sources.new.intro", Action: "/ui/sources",
		Submit: "sources.submit", Links: []link{{Href: "/ui/sources", Key: "sources.title"}}, Fields: []field{
			{Name: "partner", Label: "source.partner", Kind: "select", Required: true, Options: partners},
			{Name: "kind", Label: "source.kind", Kind: "select", Options: enumOptions("source.kind.", cleared.SourceTAXII, cleared.SourceMISPFeed)},
			{Name: "url", Label: "source.url", Help: "source.url.help", Kind: "text", Required: true},
			{Name: "authority", Label: "classify.authority", Help: "source.authority.help", Kind: "select", Required: true, Options: auths},
			{Name: "dossier", Label: "piece.dossier", Help: "classify.dossier.help", Kind: "text"},
		}}
	if len(auths) == 0 {
		f.Warning = "classify.no_authority"
	}
	return f, nil
}

// uiSourceForm serves GET /ui/sources/new.
func (s *server) uiSourceForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	f, err := s.sourceForm(r, u)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, f)
}

// uiSourceRecord serves POST /ui/sources: PutSource, then the list.
func (s *server) uiSourceRecord(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	v := r.PostForm
	in := sharing.NewSource{Partner: cleared.OrganisationID(formText(v, "partner")), Kind: cleared.SourceKind(formText(v, "kind")),
		URL: formText(v, "url"), Authority: cleared.AuthorityID(formText(v, "authority")), Dossier: cleared.DossierID(formText(v, "dossier"))}
	if _, err = sh.PutSource(r.Context(), u.Actor, "", in); err == nil {
		return seeOther(w, r, "/ui/sources", "source")
	}
	f, ferr := s.sourceForm(r, u)
	if ferr != nil {
		return ferr
	}
	return s.formFail(w, r, u, f, err)
}

// uiSourcePoll serves POST /ui/sources/{id}/poll: PollNow, then the list, which shows the poll's outcome.
func (s *server) uiSourcePoll(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	id := cleared.SourceID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	_, err = sh.PollNow(r.Context(), u.Actor, id)
	var failed *sharing.PollError
	switch {
	case errors.As(err, &failed):
		return seeOther(w, r, "/ui/sources", "poll_failed")
	case err != nil:
		return err
	}
	return seeOther(w, r, "/ui/sources", "polled")
}
