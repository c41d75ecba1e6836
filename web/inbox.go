package web

import (
	"net/http"

	"github.com/cleared/cleared"
)

// Issue 21 §3: the staging inbox of what partners' systems post to TAXII (web/taxii_add.go), for persons by token:
// holders of a classifying authority, who alone register what it holds (A5.1), and the NSA. Anyone else is
// refused the inbox and does not find its items.

// inboxAPI registers the inbox's routes.
func (s *server) inboxAPI(api func(string, handlerFunc)) {
	api("GET /api/inbox", s.inboxList)
	api("GET /api/inbox/{id}", s.inboxRead)
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
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	id, err := pathID[cleared.InboxID](r)
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
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	id, err := pathID[cleared.InboxID](r)
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
