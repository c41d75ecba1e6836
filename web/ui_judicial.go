package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The pages of judicial access (Art. 9 al. 1, A9.5), over the same service methods as the API: the NSA records and
// ends orders; a person an order names reads it, and reads what it covers (the piece's page says so).

// judicialPages registers the pages, from New.
func (s *server) judicialPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/judicial-orders", s.uiJudicialOrders)
	page("GET /ui/judicial-orders/new", s.uiJudicialOrderForm)
	page("POST /ui/judicial-orders", s.uiJudicialOrderRecord)
	page("GET /ui/judicial-orders/{id}", s.uiJudicialOrder)
	page("GET /ui/judicial-orders/{id}/end", s.uiJudicialOrderEndForm)
	page("POST /ui/judicial-orders/{id}/end", s.uiJudicialOrderEnd)
}

// uiJudicialOrders serves GET /ui/judicial-orders: JudicialOrders, all to the NSA, his own to a person named.
func (s *server) uiJudicialOrders(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.JudicialOrderID](r)
	if err != nil {
		return err
	}
	os, err := s.reg.JudicialOrders(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "judicial.title", Nav: "registers"}, Intro: "judicial.intro", Caption: "judicial.title",
		Columns: []string{"judicial.reference", "judicial.court", "judicial.status", "judicial.from", "judicial.until"},
		Empty:   "judicial.none", Actions: []link{{Href: "/ui/judicial-orders/new", Key: "judicial.new"}}}
	for _, o := range os {
		p.Rows = append(p.Rows, row{ID: string(o.ID), Cells: []cell{linkCell(o.Reference, "/ui/judicial-orders/"+string(o.ID)),
			textCell(o.Court), keyCell("judicial.status." + string(o.Status)), dateCell(o.From), dateCell(o.Until)}})
	}
	if k := len(os); k > 0 {
		p.Next = nextHref("/ui/judicial-orders", r.URL.Query(), k, pq.limit, string(os[k-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func judicialOrderForm() *formPage {
	return &formPage{Page: Page{Title: "judicial.new", Nav: "registers"}, Intro: "judicial.new.intro", Action: "/ui/judicial-orders",
		Submit: "judicial.submit", Links: []link{{Href: "/ui/judicial-orders", Key: "judicial.title"}}, Fields: []field{
			{Name: "court", Label: "judicial.court", Help: "judicial.court.help", Kind: "text", Required: true},
			{Name: "reference", Label: "judicial.reference", Help: "judicial.reference.help", Kind: "text", Required: true},
			{Name: "issued", Label: "judicial.issued", Kind: "date", Required: true},
			{Name: "persons", Label: "judicial.persons", Help: "judicial.ids.help", Kind: "textarea", Required: true},
			{Name: "pieces", Label: "judicial.pieces", Help: "judicial.objects.help", Kind: "textarea"},
			{Name: "dossiers", Label: "judicial.dossiers", Kind: "textarea"},
			{Name: "from", Label: "judicial.from", Help: "judicial.period.help", Kind: "date", Required: true},
			{Name: "until", Label: "judicial.until", Kind: "date", Required: true},
		}}
}

// uiJudicialOrderForm serves GET /ui/judicial-orders/new, to the NSA (a 403 page naming A9.5 for anyone else).
func (s *server) uiJudicialOrderForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormJudicialOrder); err != nil {
		return err
	}
	f := judicialOrderForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// formIDs reads a list of IDs typed one per line, or separated by spaces or commas.
func formIDs[ID ~string](v url.Values, name string) []ID {
	var out []ID
	for _, s := range strings.FieldsFunc(v.Get(name), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		out = append(out, ID(s))
	}
	return out
}

// uiJudicialOrderRecord serves POST /ui/judicial-orders: RecordJudicialOrder.
func (s *server) uiJudicialOrderRecord(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewJudicialOrder{Court: formText(v, "court"), Reference: formText(v, "reference"),
		Persons: formIDs[cleared.PersonID](v, "persons"), Pieces: formIDs[cleared.PieceID](v, "pieces"),
		Dossiers: formIDs[cleared.DossierID](v, "dossiers")}
	var err error
	if in.Issued, err = formDate(v, "issued", "judicial.issued"); err == nil {
		if in.From, err = formDate(v, "from", "judicial.from"); err == nil {
			in.Until, err = formDate(v, "until", "judicial.until")
		}
	}
	if err == nil {
		var o cleared.JudicialOrder
		if o, err = s.reg.RecordJudicialOrder(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/judicial-orders/"+string(o.ID), "judicial_recorded")
		}
	}
	return s.formFail(w, r, u, judicialOrderForm(), err)
}

func judicialOrderID(r *http.Request) (cleared.JudicialOrderID, error) {
	id := cleared.JudicialOrderID(r.PathValue("id"))
	if id.Validate() != nil {
		return "", cleared.ErrNotFound
	}
	return id, nil
}

// uiJudicialOrder serves GET /ui/judicial-orders/{id}: JudicialOrder, with the pieces and dossiers it covers
// (named to who may read them: the judge while it is in force) and, for the NSA, the way to end it.
func (s *server) uiJudicialOrder(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := judicialOrderID(r)
	if err != nil {
		return err
	}
	o, err := s.reg.JudicialOrder(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	ids := []string{string(o.RecordedBy), string(o.EndedBy)}
	for _, p := range o.Persons {
		ids = append(ids, string(p))
	}
	for _, p := range o.Pieces {
		ids = append(ids, string(p))
	}
	for _, d := range o.Dossiers {
		ids = append(ids, string(d))
	}
	n := s.names(r, u, ids...)
	items := []detail{
		{Label: "judicial.court", Value: textCell(o.Court), ID: "order-court"},
		{Label: "judicial.reference", Value: textCell(o.Reference), ID: "order-reference"},
		{Label: "judicial.issued", Value: dateCell(o.Issued)},
		{Label: "judicial.status", Value: keyCell("judicial.status." + string(o.Status)), ID: "order-status"},
		{Label: "judicial.from", Value: dateCell(o.From)},
		{Label: "judicial.until", Value: dateCell(o.Until)},
		{Label: "judicial.recorded_by", Value: n.cell(string(o.RecordedBy))},
	}
	if !o.Ended.IsZero() {
		items = append(items, detail{Label: "judicial.ended", Value: dateCell(o.Ended), ID: "order-ended"},
			detail{Label: "judicial.end_reason", Value: textCell(o.EndReason)})
	}
	items = append(items, detail{Label: "common.id", Value: codeCell(string(o.ID))})
	named := func(id string) row { return row{ID: id, Cells: []cell{n.orID(id), codeCell(id)}} }
	persons := section{ID: "order-persons", Title: "judicial.persons", Columns: []string{"judicial.name", "common.id"}, Empty: "list.empty"}
	for _, p := range o.Persons {
		persons.Rows = append(persons.Rows, named(string(p)))
	}
	covered := section{ID: "order-covers", Title: "judicial.covers", Columns: []string{"judicial.name", "common.id"}, Empty: "list.empty"}
	for _, p := range o.Pieces {
		covered.Rows = append(covered.Rows, named(string(p)))
	}
	for _, d := range o.Dossiers {
		covered.Rows = append(covered.Rows, named(string(d)))
	}
	pg := &recordPage{Page: Page{Title: "judicial.page", Heading: o.Reference, Nav: "registers"}, Intro: "judicial.page.intro",
		Items: items, Sections: []section{persons, covered}, Actions: []link{{Href: "/ui/judicial-orders", Key: "judicial.title"}}}
	if o.Status == cleared.JudicialOrderInForce || o.Status == cleared.JudicialOrderPending {
		// Offered to who may record orders, who alone ends them.
		if ds, err := s.reg.Forms(r.Context(), u.Actor); err == nil && ds[registry.FormJudicialOrder].Allowed {
			pg.Actions = append(pg.Actions, link{Href: "/ui/judicial-orders/" + string(id) + "/end", Key: "judicial.end"})
		}
	}
	return s.render(w, r, u, http.StatusOK, pg)
}

func judicialEndForm(id cleared.JudicialOrderID) *formPage {
	return &formPage{Page: Page{Title: "judicial.end", Nav: "registers"}, Intro: "judicial.end.intro",
		Action: "/ui/judicial-orders/" + string(id) + "/end", Submit: "judicial.end.submit",
		Links: []link{{Href: "/ui/judicial-orders/" + string(id), Key: "judicial.page"}}, Fields: []field{
			{Name: "reason", Label: "judicial.end_reason", Help: "judicial.end_reason.help", Kind: "textarea", Required: true},
		}}
}

// uiJudicialOrderEndForm serves GET /ui/judicial-orders/{id}/end, to the NSA.
func (s *server) uiJudicialOrderEndForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := judicialOrderID(r)
	if err != nil {
		return err
	}
	if _, err := s.reg.JudicialOrder(r.Context(), u.Actor, id); err != nil {
		return err
	}
	if err := s.offer(r, u, registry.FormJudicialOrder); err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, judicialEndForm(id))
}

// uiJudicialOrderEnd serves POST /ui/judicial-orders/{id}/end: EndJudicialOrder.
func (s *server) uiJudicialOrderEnd(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := judicialOrderID(r)
	if err != nil {
		return err
	}
	_, err = s.reg.EndJudicialOrder(r.Context(), u.Actor, id, registry.JudicialOrderEnd{Reason: formText(r.PostForm, "reason")})
	if err == nil {
		return seeOther(w, r, "/ui/judicial-orders/"+string(id), "judicial_ended")
	}
	return s.formFail(w, r, u, judicialEndForm(id), err)
}
