package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The routes of transmissions (Art. 11, A11.1, A11.2, S2), registered by New.
func (s *server) transmissionAPI(api func(pattern string, h handlerFunc)) {
	api("GET /api/crypto-products", s.cryptoProductList)
	api("POST /api/crypto-products", s.cryptoProductCreate)
	api("GET /api/crypto-products/{id}", s.cryptoProductRead)
	api("GET /api/addressees", s.addresseeList)
	api("PUT /api/organisations/{id}/addressee", s.addresseeSet)
	api("POST /api/pieces/{id}/transmissions", s.transmissionCreate)
	api("GET /api/pieces/{id}/recipients", s.recipientList)
	api("GET /api/transmissions/{id}", s.transmissionRead)
	api("POST /api/transmissions/{id}/receipt", s.transmissionReceipt)
}

// cryptoProductList serves GET /api/crypto-products: CryptoProducts, by ID.
func (s *server) cryptoProductList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.CryptoProductID](r)
	if err != nil {
		return err
	}
	ps, err := s.reg.CryptoProducts(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, ps, pq.limit, func(p cleared.CryptoProduct) cleared.CryptoProductID { return p.ID })
}

// cryptoProductCreate serves POST /api/crypto-products: RegisterCryptoProduct (NSA, A11.1).
func (s *server) cryptoProductCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewCryptoProduct
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.reg.RegisterCryptoProduct(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/crypto-products/"+string(p.ID), p)
}

// cryptoProductRead serves GET /api/crypto-products/{id}: CryptoProduct.
func (s *server) cryptoProductRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.CryptoProductID](r)
	if err != nil {
		return err
	}
	p, err := s.reg.CryptoProduct(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, p)
}

// addresseeList serves GET /api/addressees: Addressees, by organisation ID.
func (s *server) addresseeList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.OrganisationID](r)
	if err != nil {
		return err
	}
	as, err := s.reg.Addressees(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, as, pq.limit, func(ad cleared.Addressee) cleared.OrganisationID { return ad.Organisation })
}

// addresseeSet serves PUT /api/organisations/{id}/addressee: RecordAddressee (NSA, A11.1, S2).
func (s *server) addresseeSet(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.OrganisationID](r)
	if err != nil {
		return err
	}
	var in registry.NewAddressee
	if err := decode(r, &in); err != nil {
		return err
	}
	ad, err := s.reg.RecordAddressee(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, ad)
}

// transmissionCreate serves POST /api/pieces/{id}/transmissions: Transmit (A11.1, A9.1, A9.4, S2, A1.1); 201 with
// the transmission at its Location.
func (s *server) transmissionCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.PieceID](r)
	if err != nil {
		return err
	}
	var in registry.NewTransmission
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.reg.Transmit(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t, http.Header{"Location": {"/api/transmissions/" + string(t.ID)},
		"Classification": {t.Marking}})
}

// recipientList serves GET /api/pieces/{id}/recipients: Recipients, every transmission of the piece and of its
// copies, to the originator and the NSA (A11.2).
func (s *server) recipientList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.PieceID](r)
	if err != nil {
		return err
	}
	rs, err := s.reg.Recipients(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, list[registry.Sent]{Items: nonNil(rs)})
}

// transmissionRead serves GET /api/transmissions/{id}: Transmission, with the piece's marking in the
// Classification header (A7.1).
func (s *server) transmissionRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.TransmissionID](r)
	if err != nil {
		return err
	}
	t, err := s.reg.Transmission(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t, http.Header{"Classification": {t.Marking}})
}

// transmissionReceipt serves POST /api/transmissions/{id}/receipt: ConfirmReceipt (A11.2).
func (s *server) transmissionReceipt(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.TransmissionID](r)
	if err != nil {
		return err
	}
	var none struct{}
	if err := decodeOptional(r, &none); err != nil {
		return err
	}
	t, err := s.reg.ConfirmReceipt(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t, http.Header{"Classification": {t.Marking}})
}
