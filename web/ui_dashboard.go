package web

import (
	"net/http"
	"net/url"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
)

// dashboardPage is the signed-in person's own page: what needs his action, who he is, his clearances, the
// terminal he sits at.
type dashboardPage struct {
	Page
	Me     registry.Me
	Agenda []agendaRow
	Names  names // issue 18 §0: the organisations one is officer of, by name
}

func (*dashboardPage) viewName() string { return "dashboard" }

// agendaRow is an item of the agenda and the page where its action is.
type agendaRow struct {
	registry.AgendaItem
	Href string
	// CSRF is the session's token, for the item's action posted from the agenda (acknowledge an incident).
	CSRF string
}

// agendaHref is the page where an item's action is: the piece, the person's file, one's tokens or sessions, the
// accounts, the dossier's page (issue 18 §0).
func agendaHref(it registry.AgendaItem) string {
	switch {
	case it.Kind == policy.AgendaRenewal: // issue 20: the case form, prefilled for the holder's renewal (A17.1)
		return "/ui/vetting-cases/new?" + url.Values{"person_id": {string(it.Person.ID)}, "kind": {string(cleared.KindRenewal)}}.Encode()
	case it.Kind == policy.AgendaCommissionCase: // issue 20: the workspace of a case before the commission (A27.4)
		return "/ui/vetting-cases/" + string(it.VettingCase.ID) + "/commission"
	case it.Kind == policy.AgendaCommissionRequest: // the commission's requests, for the NSA to answer (A27.4)
		return "/ui/vetting-cases/" + string(it.VettingCase.ID) + "/commission/requests"
	case it.Kind == policy.AgendaCommissionOpinion: // the opinion, for the deciding authority (A27.2)
		return "/ui/vetting-cases/" + string(it.VettingCase.ID) + "/commission/opinion"
	case it.Kind == policy.AgendaBriefing || it.Kind == policy.AgendaDeclaration: // issue 20 (A18.1)
		return briefingsPath(it.Clearance.ID)
	case it.Circumstance != nil: // issue 20 (A18.1)
		return "/ui/circumstances/" + string(it.Circumstance.ID)
	case it.CopyRequest != nil: // issue 18
		return "/ui/pieces/" + string(it.CopyRequest.Piece) + "/copies"
	case it.Inventory != nil:
		return "/ui/inventories/" + string(it.Inventory.ID)
	case it.Assignment != nil && it.Assignment.Contract != "": // issue 20 (A14.1)
		return "/ui/contracts/" + string(it.Assignment.Contract)
	case it.Assignment != nil:
		return "/ui/posts/" + string(it.Assignment.Post)
	case it.Piece != nil:
		return "/ui/pieces/" + string(it.Piece.ID)
	case it.Dossier != nil:
		return "/ui/dossiers/" + string(it.Dossier.ID)
	case it.Person != nil:
		return "/ui/persons/" + string(it.Person.ID)
	case it.Clearance != nil:
		return "/ui/persons/" + string(it.Clearance.PersonID)
	case it.Token != nil:
		return "/ui/account/tokens"
	case it.Session != nil:
		return "/ui/account/sessions"
	case it.Account != nil:
		return "/ui/accounts"
	case it.Destruction != nil:
		return "/ui/destructions/" + string(it.Destruction.ID)
	case it.Transmission != nil: // issue 19: a receipt to confirm or awaited (A11.2)
		return "/ui/transmissions/" + string(it.Transmission.ID)
	case it.Kind == policy.AgendaVettingDecide: // issue 20: the case to decide on (A27.1)
		return "/ui/vetting-cases/" + string(it.VettingCase.ID) + "/decision/new"
	case it.Kind == policy.AgendaVettingDecision: // issue 20: the decision to notify (A27.1)
		return "/ui/vetting-cases/" + string(it.VettingCase.ID) + "/decision"
	case it.VettingCase != nil: // issue 20 (A26.1)
		return "/ui/vetting-cases/" + string(it.VettingCase.ID)
	case it.Incident != nil:
		return "/ui/incidents/" + string(it.Incident.ID)
	}
	return "/ui/"
}

// dashboard serves GET /ui/: Me and Agenda. The page shows the pieces of the agenda, so its banner is the highest
// level among them and the dossiers it names (A7.1).
func (s *server) dashboard(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	m, err := s.reg.Me(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	ag, err := s.reg.Agenda(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	page := &dashboardPage{Page: Page{Title: "dash.title", Heading: m.Person.Name, Nav: "dashboard"}, Me: m}
	var shown []cleared.Piece
	for _, it := range ag.Items {
		page.Agenda = append(page.Agenda, agendaRow{AgendaItem: it, Href: agendaHref(it), CSRF: u.CSRF})
		if it.Piece != nil {
			shown = append(shown, *it.Piece)
		}
		if it.Dossier != nil {
			shown = append(shown, cleared.Piece{Level: it.Dossier.Level})
		}
	}
	page.Banner = bannerOf(shown...)
	var orgs []string
	for _, o := range m.Officer {
		orgs = append(orgs, string(o.OrganisationID))
	}
	page.Names = s.names(r, u, orgs...)
	return s.render(w, r, u, http.StatusOK, page)
}
