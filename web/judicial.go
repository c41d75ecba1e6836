package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The routes of judicial access (Art. 9 al. 1, A9.5), registered by New.
func (s *server) judicialAPI(api func(pattern string, h handlerFunc)) {
	api("POST /api/judicial-orders", s.judicialOrderRecord)
	api("GET /api/judicial-orders", s.judicialOrderList)
	api("GET /api/judicial-orders/{id}", s.judicialOrderRead)
	api("POST /api/judicial-orders/{id}/end", s.judicialOrderEnd)
}

// judicialOrderRecord serves POST /api/judicial-orders: RecordJudicialOrder, by an NSA officer (403 A9.5 for
// anyone else).
func (s *server) judicialOrderRecord(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewJudicialOrder
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := s.reg.RecordJudicialOrder(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/judicial-orders/"+string(o.ID), o)
}

// judicialOrderList serves GET /api/judicial-orders: JudicialOrders, all to the NSA, his own to a person named.
func (s *server) judicialOrderList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.JudicialOrderID](r)
	if err != nil {
		return err
	}
	os, err := s.reg.JudicialOrders(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, os, pq.limit, func(o cleared.JudicialOrder) cleared.JudicialOrderID { return o.ID })
}

// judicialOrderRead serves GET /api/judicial-orders/{id}: JudicialOrder (404 to who may not know it).
func (s *server) judicialOrderRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.JudicialOrderID](r)
	if err != nil {
		return err
	}
	o, err := s.reg.JudicialOrder(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, o)
}

// judicialOrderEnd serves POST /api/judicial-orders/{id}/end: EndJudicialOrder, when the court lifts the order.
func (s *server) judicialOrderEnd(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.JudicialOrderID](r)
	if err != nil {
		return err
	}
	var in registry.JudicialOrderEnd
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := s.reg.EndJudicialOrder(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, o)
}
