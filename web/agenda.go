package web

import (
	"net/http"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// agendaJSON is the answer of GET /api/me/agenda: every item due, soonest first (overdue first). It is computed,
// not a register: it has no pages.
type agendaJSON struct {
	At    time.Time        `json:"at"`
	Items []agendaItemJSON `json:"items"`
}

// agendaItemJSON is an item: its kind, the article behind it (the requirement ID, or the account rule), when it
// is due, and what it is about, every object that carries a level with its marking (A7.1).
type agendaItemJSON struct {
	Kind      string           `json:"kind"`
	Rule      string           `json:"rule"`
	Due       time.Time        `json:"due"`
	Overdue   bool             `json:"overdue"`
	Clearance *clearanceJSON   `json:"clearance,omitempty"`
	Person    *cleared.Person  `json:"person,omitempty"`
	Piece     *pieceJSON       `json:"piece,omitempty"`
	Dossier   *dossierJSON     `json:"dossier,omitempty"`
	Token     *cleared.Token   `json:"token,omitempty"`
	Session   *cleared.Session `json:"session,omitempty"`
	Account   *cleared.Account `json:"account,omitempty"`
	// Issue 18.
	CopyRequest *cleared.CopyRequest `json:"copy_request,omitempty"`
	Inventory   *cleared.Inventory   `json:"inventory,omitempty"`
	// Destruction: a report awaiting the caller's countersignature (A10.2).
	Destruction *cleared.Destruction `json:"destruction,omitempty"`
	// Transmission: a receipt to confirm, or one the caller sent still unconfirmed (A11.2; issue 19).
	Transmission *cleared.Transmission `json:"transmission,omitempty"`
	// Assignment: a person assigned without the clearance it needs (A14.1, issue 20).
	Assignment *cleared.Assignment `json:"assignment,omitempty"`
	// Incident: one was warned of it and has not acknowledged it (A13.1, A13.2).
	Incident *cleared.Incident `json:"incident,omitempty"`
	// VettingCase: a case of one's staff closed for non-cooperation (A26.1, issue 20); its record, no answer.
	VettingCase *cleared.VettingCase `json:"vetting_case,omitempty"`
	// Briefing: the briefing that waits for the holder's declaration (A18.1); Circumstance: a report of a change of
	// circumstances to take up, its record only (A18.1).
	Briefing     *cleared.Briefing           `json:"briefing,omitempty"`
	Circumstance *cleared.CircumstanceReport `json:"circumstance,omitempty"`
}

func agendaItemOut(it registry.AgendaItem) agendaItemJSON {
	out := agendaItemJSON{Kind: string(it.Kind), Rule: it.Article, Due: it.Due, Overdue: it.Overdue, Person: it.Person,
		Token: it.Token, Session: it.Session, Account: it.Account, CopyRequest: it.CopyRequest, Inventory: it.Inventory,
		Destruction: it.Destruction, Transmission: it.Transmission, Assignment: it.Assignment, Incident: it.Incident,
		VettingCase: it.VettingCase, Briefing: it.Briefing, Circumstance: it.Circumstance}
	if it.Clearance != nil {
		c := clearanceOut(*it.Clearance)
		out.Clearance = &c
	}
	if it.Piece != nil {
		p := pieceOut(*it.Piece)
		out.Piece = &p
	}
	if it.Dossier != nil {
		out.Dossier = &dossierJSON{Dossier: *it.Dossier, Marking: it.Dossier.Marking()}
	}
	return out
}

// meAgenda serves GET /api/me/agenda: Agenda, what needs the caller's action.
func (s *server) meAgenda(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	ag, err := s.reg.Agenda(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, agendaJSON{At: ag.At, Items: mapItems(ag.Items, agendaItemOut)})
}
