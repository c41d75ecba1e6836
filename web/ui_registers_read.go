package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The pages of the registers one can read (issue 18 §0), and names in place of IDs: every ID a page shows is named
// to its reader (registry.Names), and linked where he may open it; one he may not know reads "not shown".

// recordPage is one record with tables of what belongs to it (a dossier's parts and level history).
type recordPage struct {
	Page
	Intro    string
	Items    []detail
	Sections []section
	Actions  []link
}

func (*recordPage) viewName() string { return "record" }

type section struct {
	ID, Title string // element id, catalogue key
	Columns   []string
	Rows      []row
	Empty     string // key
}

// names names IDs for one page.
type names map[string]registry.Name

// names looks up the names of ids for the page's reader; an error leaves them unnamed ("not shown").
func (s *server) names(r *http.Request, u *uiSession, ids ...string) names {
	n, err := s.reg.Names(r.Context(), u.Actor, ids)
	if err != nil {
		s.log.WarnContext(r.Context(), "names unavailable", "error", err)
		return names{}
	}
	return n
}

// hrefOf is the page of the object an ID names, "" for none.
func hrefOf(id string) string {
	prefix, _, _ := strings.Cut(id, "_")
	switch prefix + "_" {
	case cleared.PrefixOrganisation:
		return "/ui/organisations/" + id
	case cleared.PrefixPerson:
		return "/ui/persons/" + id
	case cleared.PrefixPiece:
		return "/ui/pieces/" + id
	case cleared.PrefixDossier:
		return "/ui/dossiers/" + id
	case cleared.PrefixChannel:
		return "/ui/channels/" + id
	case cleared.PrefixDelegation:
		return "/ui/delegations/" + id
	case cleared.PrefixGrant:
		return "/ui/grants/" + id
	case cleared.PrefixClearance:
		return "/ui/clearances/" + id
	}
	return ""
}

// Cell is cell for templates, whose IDs are of the root package's types.
func (n names) Cell(id any) cell { return n.cell(fmt.Sprint(id)) }

// cell names id: its name, linked to its page when the reader may open it; "not shown" when he may not know it;
// empty for no ID.
func (n names) cell(id string) cell {
	if id == "" {
		return cell{Text: "—"}
	}
	nm := n[id]
	if nm.Text == "" {
		return keyCell("name.hidden")
	}
	c := cell{Text: nm.Text}
	if nm.Readable {
		c.Href = hrefOf(id)
	}
	return c
}

// orID names id as cell does, but shows the ID itself where the reader may not know the name: for the registers
// whose keeper works with IDs he is not shown the files of (accounts, by their administrator).
func (n names) orID(id string) cell {
	if n[id].Text == "" {
		return codeCell(id)
	}
	return n.cell(id)
}

func dateCell(t time.Time) cell {
	if t.IsZero() {
		return textCell("—")
	}
	return textCell(formatDate(t))
}

// uiDossiers serves GET /ui/dossiers: Dossiers, those one may know (A9.1).
func (s *server) uiDossiers(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.DossierID](r)
	if err != nil {
		return err
	}
	ds, err := s.reg.Dossiers(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	var ids []string
	for _, d := range ds {
		ids = append(ids, string(d.Originator), string(d.OrganisationID))
	}
	n := s.names(r, u, ids...)
	p := &tablePage{Page: Page{Title: "dossiers.title", Nav: "registers"}, Intro: "dossiers.intro", Caption: "dossiers.title",
		Columns: []string{"dossier.name", "piece.level", "piece.originator", "person.organisation", "common.id"}, Empty: "list.empty",
		Actions: []link{{Href: "/ui/dossiers/new", Key: "dossier.new"},
			{Href: "/ui/dossiers/export.csv", Key: "pieces.export.csv"}, {Href: "/ui/dossiers/export.pdf", Key: "pieces.export.pdf"}}}
	for _, d := range ds {
		title := d.Title
		if title == "" {
			title = string(d.ID)
		}
		p.Rows = append(p.Rows, row{ID: string(d.ID), Cells: []cell{linkCell(title, "/ui/dossiers/"+string(d.ID)), levelCell(d.Level),
			n.cell(string(d.Originator)), n.cell(string(d.OrganisationID)), codeCell(string(d.ID))}})
		if d.Level > p.Banner.Level {
			p.Banner = banner{Level: d.Level, Marking: d.Marking()} // A7.1: the highest level shown
		}
	}
	if k := len(ds); k > 0 {
		p.Next = nextHref("/ui/dossiers", r.URL.Query(), k, pq.limit, string(ds[k-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// uiDossierPage serves GET /ui/dossiers/{id}: Dossier, with the parts one may know and the history of its level
// (A4.2). A dossier one may not know is the 404 page (A9.1).
func (s *server) uiDossierPage(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.DossierID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	f, err := s.reg.Dossier(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	d := f.Dossier
	ids := []string{string(d.Originator), string(d.OrganisationID), string(d.CreatedBy)}
	for _, c := range f.Levels {
		ids = append(ids, string(c.Piece), string(c.Authority), string(c.By))
	}
	n := s.names(r, u, ids...)
	heading := d.Title
	if heading == "" {
		heading = string(d.ID)
	}
	p := &recordPage{Page: Page{Title: "dossier.page", Heading: heading, Nav: "registers", Banner: banner{Level: d.Level, Marking: f.Marking}},
		Items: []detail{
			{Label: "piece.level", Value: cell{Level: true, LevelValue: d.Level, Text: f.Marking}, ID: "dossier-level"},
			{Label: "piece.originator", Value: n.cell(string(d.Originator))},
			{Label: "person.organisation", Value: n.cell(string(d.OrganisationID))},
			{Label: "piece.created", Value: dateCell(d.Created)},
			{Label: "piece.created_by", Value: n.cell(string(d.CreatedBy))},
			{Label: "common.id", Value: codeCell(string(d.ID))},
		}}
	parts := section{ID: "dossier-parts", Title: "dossier.parts", Empty: "dossier.parts.none",
		Columns: []string{"piece.title", "piece.level", "piece.created"}}
	for _, x := range f.Parts {
		title := x.Title
		if x.TitleWithheld {
			title = string(x.ID)
		}
		parts.Rows = append(parts.Rows, row{ID: string(x.ID), Cells: []cell{linkCell(title, "/ui/pieces/"+string(x.ID)),
			levelCell(x.Level), dateCell(x.Created)}})
	}
	levels := section{ID: "dossier-levels", Title: "dossier.levels", Empty: "dossier.levels.none",
		Columns: []string{"dossier.level.at", "dossier.level.cause", "dossier.level.from", "dossier.level.to", "dossier.level.why", "dossier.level.by"}}
	for _, c := range f.Levels {
		from := levelCell(c.From)
		if c.Cause == cleared.LevelCreated {
			from = textCell("—")
		}
		why := textCell(c.Reason)
		if c.Piece != "" {
			why = n.cell(string(c.Piece))
		}
		by := n.cell(string(c.By))
		if c.Authority != "" {
			by = n.cell(string(c.Authority))
		}
		levels.Rows = append(levels.Rows, row{Cells: []cell{dateCell(c.At), keyCell("dossier.cause." + string(c.Cause)), from,
			levelCell(c.To), why, by}})
	}
	p.Sections = []section{parts, levels}
	if f.MaySetLevel {
		p.Actions = append(p.Actions, link{Href: "/ui/dossiers/" + string(d.ID) + "/level", Key: "dossier.set_level"})
	}
	p.Actions = append(p.Actions, link{Href: "/ui/grants/new?dossier=" + string(d.ID), Key: "grant.new.dossier"})
	return s.render(w, r, u, http.StatusOK, p)
}

func dossierLevelForm(d registry.DossierFile) *formPage {
	heading := d.Dossier.Title
	if heading == "" {
		heading = string(d.Dossier.ID)
	}
	return &formPage{Page: Page{Title: "dossier.set_level", Heading: heading, Nav: "registers",
		Banner: banner{Level: d.Dossier.Level, Marking: d.Marking}}, Intro: "dossier.set_level.intro",
		Action: "/ui/dossiers/" + string(d.Dossier.ID) + "/level", Submit: "dossier.set_level",
		Links: []link{{Href: "/ui/dossiers/" + string(d.Dossier.ID), Key: "dossier.page"}},
		Fields: []field{
			{Name: "level", Label: "piece.level", Kind: "select", Required: true, Options: choose(levelOptions(false))},
			{Name: "reason", Label: "dossier.level.reason", Kind: "textarea", Required: true},
		}}
}

// uiDossierLevelForm serves GET /ui/dossiers/{id}/level: the form, to who may set the level (else the refusal).
func (s *server) uiDossierLevelForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.DossierID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	f, err := s.reg.Dossier(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	if !f.MaySetLevel {
		return &cleared.ErrForbidden{Rule: "A5.2", Reason: "only the authority that opened the dossier, its successor or the principal that delegated it sets its level"}
	}
	return s.render(w, r, u, http.StatusOK, dossierLevelForm(f))
}

// uiDossierLevel serves POST /ui/dossiers/{id}/level: SetDossierLevel (A4.2, A5.2).
func (s *server) uiDossierLevel(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.DossierID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	v := r.PostForm
	in := registry.NewDossierLevel{Reason: formText(v, "reason")}
	var err error
	if in.Level, err = formLevel(v, "level", "piece.level"); err == nil {
		if _, err = s.reg.SetDossierLevel(r.Context(), u.Actor, id, in); err == nil {
			return seeOther(w, r, "/ui/dossiers/"+string(id), "dossier_level")
		}
	}
	f, ferr := s.reg.Dossier(r.Context(), u.Actor, id)
	if ferr != nil {
		return ferr
	}
	return s.formFail(w, r, u, dossierLevelForm(f), err)
}

// uiGrants serves GET /ui/grants: Grants, those one may read (A9.1).
func (s *server) uiGrants(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.GrantID](r)
	if err != nil {
		return err
	}
	gs, err := s.reg.Grants(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	var ids []string
	for _, g := range gs {
		ids = append(ids, string(g.PersonID), string(g.Piece), string(g.Dossier), string(g.GrantedBy))
	}
	n := s.names(r, u, ids...)
	p := &tablePage{Page: Page{Title: "grants.title", Nav: "registers"}, Intro: "grants.intro", Caption: "grants.title",
		Columns: []string{"grant.person", "grant.object", "grant.from", "grant.until", "grant.by", "common.id"}, Empty: "list.empty",
		Actions: []link{{Href: "/ui/grants/new", Key: "grant.new"}}}
	for _, g := range gs {
		p.Rows = append(p.Rows, row{ID: string(g.ID), Cells: []cell{n.cell(string(g.PersonID)), n.cell(string(g.Piece) + string(g.Dossier)),
			dateCell(g.From), dateCell(g.Until), n.cell(string(g.GrantedBy)), linkCell(string(g.ID), "/ui/grants/"+string(g.ID))}})
	}
	if k := len(gs); k > 0 {
		p.Next = nextHref("/ui/grants", r.URL.Query(), k, pq.limit, string(gs[k-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// uiGrantPage serves GET /ui/grants/{id}: ReadGrant. A grant one may not read is the 404 page (A9.1).
func (s *server) uiGrantPage(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.GrantID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	g, err := s.reg.ReadGrant(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	n := s.names(r, u, string(g.PersonID), string(g.Piece), string(g.Dossier), string(g.GrantedBy))
	items := []detail{
		{Label: "grant.person", Value: n.cell(string(g.PersonID)), ID: "grant-person"},
		{Label: "grant.object", Value: n.cell(string(g.Piece) + string(g.Dossier)), ID: "grant-object"},
		{Label: "grant.from", Value: dateCell(g.From)},
		{Label: "grant.until", Value: dateCell(g.Until)},
		{Label: "grant.reason", Value: textCell(g.Reason)},
		{Label: "grant.by", Value: n.cell(string(g.GrantedBy))},
		{Label: "common.id", Value: codeCell(string(g.ID))},
	}
	if !g.Revoked.IsZero() {
		items = append(items, detail{Label: "grant.revoked", Value: dateCell(g.Revoked)})
	}
	return s.render(w, r, u, http.StatusOK, &recordPage{Page: Page{Title: "grant.page", Nav: "registers"}, Items: items})
}

// uiClearances serves GET /ui/clearances: Clearances, those one may read (A23.1).
func (s *server) uiClearances(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.ClearanceID](r)
	if err != nil {
		return err
	}
	cs, err := s.reg.Clearances(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	var ids []string
	for _, c := range cs {
		ids = append(ids, string(c.PersonID), string(c.OrganisationID))
	}
	n := s.names(r, u, ids...)
	p := &tablePage{Page: Page{Title: "clearances.title", Nav: "registers"}, Intro: "clearances.intro", Caption: "clearances.title",
		Columns: []string{"clearance.holder", "clearance.level", "clearance.status", "clearance.expires", "clearance.reference"}, Empty: "list.empty",
		Actions: []link{{Href: "/ui/clearances/new", Key: "clearance.new"}}}
	for _, c := range cs {
		p.Rows = append(p.Rows, row{ID: string(c.ID), Cells: []cell{n.cell(string(c.PersonID) + string(c.OrganisationID)), levelCell(c.Level),
			keyCell("clearance.status." + string(c.Status)), dateCell(c.Expires), linkCell(c.Reference, "/ui/clearances/"+string(c.ID))}})
	}
	if k := len(cs); k > 0 {
		p.Next = nextHref("/ui/clearances", r.URL.Query(), k, pq.limit, string(cs[k-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// uiClearancePage serves GET /ui/clearances/{id}: Clearance. One one may not read is the 404 page (A23.1).
func (s *server) uiClearancePage(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.ClearanceID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	c, err := s.reg.Clearance(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	n := s.names(r, u, string(c.PersonID), string(c.OrganisationID), string(c.RecordedBy))
	return s.render(w, r, u, http.StatusOK, &recordPage{Page: Page{Title: "clearance.page", Nav: "registers"}, Items: []detail{
		{Label: "clearance.holder", Value: n.cell(string(c.PersonID) + string(c.OrganisationID)), ID: "clearance-holder"},
		{Label: "clearance.level", Value: cell{Level: true, LevelValue: c.Level, Text: c.Level.Marking()}},
		{Label: "clearance.status", Value: keyCell("clearance.status." + string(c.Status))},
		{Label: "clearance.issued", Value: dateCell(c.Issued)},
		{Label: "clearance.expires", Value: dateCell(c.Expires)},
		{Label: "clearance.reference", Value: textCell(c.Reference)},
		{Label: "clearance.recorded_by", Value: n.cell(string(c.RecordedBy))},
		{Label: "common.id", Value: codeCell(string(c.ID))},
	}, Actions: s.clearanceActions(r, u, c)}) // issue 20 §6: suspension (A27.1)
}

// uiDelegations serves GET /ui/delegations: Delegations (A5.1).
func (s *server) uiDelegations(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.DelegationID](r)
	if err != nil {
		return err
	}
	ds, err := s.reg.Delegations(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	var ids []string
	for _, d := range ds {
		ids = append(ids, string(d.Principal), string(d.Delegate))
	}
	n := s.names(r, u, ids...)
	p := &tablePage{Page: Page{Title: "delegations.title", Nav: "registers"}, Intro: "delegations.intro", Caption: "delegations.title",
		Columns: []string{"delegation.principal", "delegation.delegate", "grant.from", "grant.until", "delegation.reference"}, Empty: "list.empty",
		Actions: []link{{Href: "/ui/delegations/new", Key: "delegation.title"}}}
	for _, d := range ds {
		ref := d.Reference
		if ref == "" {
			ref = string(d.ID)
		}
		p.Rows = append(p.Rows, row{ID: string(d.ID), Cells: []cell{n.cell(string(d.Principal)), n.cell(string(d.Delegate)),
			dateCell(d.From), dateCell(d.Until), linkCell(ref, "/ui/delegations/"+string(d.ID))}})
	}
	if k := len(ds); k > 0 {
		p.Next = nextHref("/ui/delegations", r.URL.Query(), k, pq.limit, string(ds[k-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// uiDelegationPage serves GET /ui/delegations/{id}: Delegation.
func (s *server) uiDelegationPage(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.DelegationID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	d, err := s.reg.Delegation(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	n := s.names(r, u, string(d.Principal), string(d.Delegate), string(d.GrantedBy))
	return s.render(w, r, u, http.StatusOK, &recordPage{Page: Page{Title: "delegation.page", Nav: "registers"}, Items: []detail{
		{Label: "delegation.principal", Value: n.cell(string(d.Principal)), ID: "delegation-principal"},
		{Label: "delegation.delegate", Value: n.cell(string(d.Delegate)), ID: "delegation-delegate"},
		{Label: "grant.from", Value: dateCell(d.From)},
		{Label: "grant.until", Value: dateCell(d.Until)},
		{Label: "delegation.reference", Value: textCell(d.Reference)},
		{Label: "grant.by", Value: n.cell(string(d.GrantedBy))},
		{Label: "common.id", Value: codeCell(string(d.ID))},
	}})
}

// uiChannelPage serves GET /ui/channels/{id}: Channel (A11.1).
func (s *server) uiChannelPage(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.ChannelID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	c, err := s.reg.Channel(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	n := s.names(r, u, string(c.ApprovedBy))
	return s.render(w, r, u, http.StatusOK, &recordPage{Page: Page{Title: "channel.page", Heading: c.Name, Nav: "registers"}, Items: []detail{
		{Label: "channel.max_level", Value: levelCell(c.MaxLevel)},
		{Label: "channel.crypto_product", Value: textCell(c.CryptoProduct)},
		{Label: "grant.from", Value: dateCell(c.From)},
		{Label: "grant.until", Value: dateCell(c.Until)},
		{Label: "channel.approved_by", Value: n.cell(string(c.ApprovedBy)), ID: "channel-approved-by"},
		{Label: "common.id", Value: codeCell(string(c.ID))},
	}})
}
