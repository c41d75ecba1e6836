package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// uiTerminals serves GET /ui/terminals: Terminals, by ID, revoked ones included (A8.2, A9.3).
func (s *server) uiTerminals(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.TerminalID](r)
	if err != nil {
		return err
	}
	ts, err := s.reg.Terminals(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "terminals.title", Nav: "registers"}, Intro: "terminals.intro", Caption: "terminals.title",
		Columns: []string{"terminal.name", "terminal.accredited_level", "terminal.security_zone", "terminal.public_place", "terminal.revoked", "common.id", "terminals.action"},
		Empty:   "list.empty", Actions: []link{{Href: "/ui/terminals/new", Key: "terminals.new"}}}
	for _, x := range ts {
		act := cell{Post: "/ui/terminals/" + string(x.ID) + "/revoke", CSRF: u.CSRF, Key: "terminals.revoke", ID: "revoke-" + string(x.ID)}
		if !x.Revoked.IsZero() {
			act = keyCell("terminals.revoked")
		}
		p.Rows = append(p.Rows, row{ID: string(x.ID), Cells: []cell{textCell(x.Name), levelCell(x.AccreditedLevel), yesNo(x.SecurityZone),
			yesNo(x.Public), textCell(formatDate(x.Revoked)), codeCell(string(x.ID)), act}})
	}
	if n := len(ts); n > 0 {
		p.Next = nextHref("/ui/terminals", r.URL.Query(), n, pq.limit, string(ts[n-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func terminalForm(places []option) *formPage {
	return &formPage{Page: Page{Title: "terminals.new", Nav: "registers"}, Intro: "terminals.new.intro", Action: "/ui/terminals",
		Submit: "form.register", Links: []link{{Href: "/ui/terminals", Key: "terminals.title"}}, Fields: []field{
			{Name: "place", Label: "terminal.place", Help: "terminal.place.help", Kind: "select", Required: true, Options: places},
			{Name: "name", Label: "terminal.name", Kind: "text", Required: true},
			{Name: "accredited_level", Label: "terminal.accredited_level", Help: "terminal.accredited_level.help", Kind: "select", Required: true, Options: levelOptions(true)},
		}}
}

// placeOptions lists the places for a select (the register's first page).
func (s *server) placeOptions(r *http.Request, u *uiSession) ([]option, error) {
	ps, err := s.reg.Places(r.Context(), u.Actor, "", maxLimit)
	if err != nil {
		return nil, err
	}
	opts := make([]option, 0, len(ps))
	for _, p := range ps {
		opts = append(opts, option{Value: string(p.ID), Text: p.Name})
	}
	return choose(opts), nil
}

// uiTerminalForm serves GET /ui/terminals/new?place=.
func (s *server) uiTerminalForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormTerminal); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	places, err := s.placeOptions(r, u)
	if err != nil {
		return err
	}
	f := terminalForm(places)
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiTerminalCreate serves POST /ui/terminals: RegisterTerminal.
func (s *server) uiTerminalCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewTerminal{Place: cleared.PlaceID(formText(v, "place")), Name: formText(v, "name")}
	var err error
	if in.AccreditedLevel, err = formLevel(v, "accredited_level", "terminal.accredited_level"); err == nil {
		if _, err = s.reg.RegisterTerminal(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/terminals", "terminal")
		}
	}
	places, perr := s.placeOptions(r, u)
	if perr != nil {
		return perr
	}
	return s.formFail(w, r, u, terminalForm(places), err)
}

// uiTerminalRevoke serves POST /ui/terminals/{id}/revoke: RevokeTerminal (A9.2).
func (s *server) uiTerminalRevoke(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.TerminalID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if err := s.reg.RevokeTerminal(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/terminals", "terminal_revoked")
}
