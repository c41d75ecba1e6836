package web

import (
	"net/http"
	"net/url"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing"
)

// Issue 21 §3: the staging inbox of what partners' systems post to TAXII (web/taxii_add.go), for persons by token:
// holders of a classifying authority, who alone register what it holds (A5.1), and the NSA. Anyone else is
// refused the inbox and does not find its items.

// inboxAPI registers the inbox's routes.
func (s *server) inboxAPI(api func(string, handlerFunc)) {
	api("GET /api/inbox", s.inboxList)
	api("GET /api/inbox/{id}", s.inboxRead)
	api("POST /api/inbox/{id}/import", s.inboxImport)
	api("POST /api/inbox/{id}/refuse", s.inboxRefuse)
}

// inboxList serves GET /api/inbox?state=&limit=&cursor=: Inbox, by ID, of one state if given.
func (s *server) inboxList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	pq, err := idPage[cleared.InboxID](r)
	if err != nil {
		return err
	}
	state := cleared.InboxState(r.URL.Query().Get("state"))
	its, err := sh.Inbox(r.Context(), a, state, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, its, pq.limit, func(it cleared.InboxItem) cleared.InboxID { return it.ID })
}

// inboxRead serves GET /api/inbox/{id}: InboxItem.
func (s *server) inboxRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.InboxID](s, r)
	if err != nil {
		return err
	}
	it, err := sh.InboxItem(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, it)
}

// inboxRefuse serves POST /api/inbox/{id}/refuse with {"reason": …}: Refuse. The partner's status says its
// objects were not registered, never why.
func (s *server) inboxRefuse(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.InboxID](s, r)
	if err != nil {
		return err
	}
	var in revocation
	if err := decode(r, &in); err != nil {
		return err
	}
	it, err := sh.Refuse(r.Context(), a, id, in.Reason)
	if err != nil {
		return err
	}
	return ok(w, it)
}

// inboxImport serves POST /api/inbox/{id}/import?authority=&dossier=: ImportInbox, each report of the envelope a
// piece classified by the actor as the authority given (A5.1). 201 with the item and, as POST /api/imports
// answers, one entry per product; the Classification header gives the highest level registered (A7.1).
func (s *server) inboxImport(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	sh, id, err := sharerWith[cleared.InboxID](s, r)
	if err != nil {
		return err
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return cleared.Invalidf("malformed query string: %v", err)
	}
	for k, v := range q {
		if k != "authority" && k != "dossier" {
			return cleared.Invalidf("unknown parameter %q: an import takes authority and dossier", truncate(k, 40))
		}
		if len(v) != 1 {
			return cleared.Invalidf("parameter %s given %d times: give it once", k, len(v))
		}
	}
	it, got, err := sh.ImportInbox(r.Context(), a, id, cleared.AuthorityID(q.Get("authority")), cleared.DossierID(q.Get("dossier")))
	if err != nil {
		return err
	}
	items, top := importAnswer(got)
	h := http.Header{"Location": {"/api/inbox/" + string(id)}}
	if top != nil {
		h.Set("Classification", top.NationalMarking()) // A7.1: the highest level in the answer
	}
	return writeJSON(w, http.StatusCreated, struct {
		Item  cleared.InboxItem `json:"item"`
		Items []importItem      `json:"items"`
	}{it, items}, h)
}

// importAnswer renders what an import did, one entry per product, and the piece of the highest level registered.
func importAnswer(got []sharing.Imported) ([]importItem, *cleared.Piece) {
	items := make([]importItem, len(got))
	var top *cleared.Piece
	for i, im := range got {
		items[i] = importItem{UUID: im.UUID, Skipped: im.Skipped, Revoked: im.Revoked, Known: im.Known}
		if im.Piece != nil {
			out := pieceOut(*im.Piece)
			items[i].Piece = &out
			if top == nil || im.Piece.Level > top.Level {
				top = im.Piece
			}
		}
	}
	return items, top
}
