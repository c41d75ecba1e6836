package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The routes of copies (A9.4) and inventories (A1.1, A13.1), registered by New.
func (s *server) copyAPI(api func(pattern string, h handlerFunc)) {
	api("POST /api/pieces/{id}/copies", s.copyMake)
	api("GET /api/pieces/{id}/copies", s.copyList)
	api("GET /api/copies/{id}", s.copyRead)
	api("GET /api/copies/{id}/content", s.copyContent)
	api("POST /api/copies/{id}/destruction", s.copyDestroy)
	api("POST /api/pieces/{id}/copy-requests", s.copyRequestCreate)
	api("GET /api/copy-requests", s.copyRequestList)
	api("GET /api/copy-requests/{id}", s.copyRequestRead)
	api("POST /api/copy-requests/{id}/approve", s.copyRequestApprove)
	api("POST /api/copy-requests/{id}/refuse", s.copyRequestRefuse)
	api("POST /api/inventories", s.inventoryOpen)
	api("GET /api/inventories", s.inventoryList)
	api("GET /api/inventories/{id}", s.inventoryRead)
	api("POST /api/inventories/{id}/items/{item}", s.inventoryCheck)
	api("POST /api/inventories/{id}/close", s.inventoryClose)
}

// decodeOptional decodes a JSON body if there is one: an action whose every field is optional may be posted
// without a body.
func decodeOptional(r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return decode(r, v)
}

func pathID[ID idType](r *http.Request) (ID, error) {
	id := ID(r.PathValue("id"))
	return id, id.Validate()
}

// copyMake serves POST /api/pieces/{id}/copies: MakeCopies, numbered copies (A9.4); a TOP SECRET piece's wait for
// its originator's consent (403 A9.4).
func (s *server) copyMake(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.PieceID](r)
	if err != nil {
		return err
	}
	var in registry.NewCopies
	if err := decode(r, &in); err != nil {
		return err
	}
	cs, err := s.reg.MakeCopies(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return created(w, "/api/pieces/"+string(id)+"/copies", list[registry.NumberedCopy]{Items: nonNil(cs)})
}

// copyList serves GET /api/pieces/{id}/copies: PieceCopies, the copies the caller may see.
func (s *server) copyList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.PieceID](r)
	if err != nil {
		return err
	}
	cs, err := s.reg.PieceCopies(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, list[registry.NumberedCopy]{Items: nonNil(cs)})
}

// copyRead serves GET /api/copies/{id}: Copy, with the piece's marking in the Classification header (A7.1).
func (s *server) copyRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.CopyID](r)
	if err != nil {
		return err
	}
	c, err := s.reg.Copy(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c, http.Header{"Classification": {c.Marking}})
}

// copyContent serves GET /api/copies/{id}/content: ReadCopyContent, the piece's content delivered as this copy:
// marked as the piece is, with the copy's number on every page and in the Copy header.
func (s *server) copyContent(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.CopyID](r)
	if err != nil {
		return err
	}
	c, p, content, err := s.reg.ReadCopyContent(r.Context(), a, id)
	if err != nil {
		return err
	}
	return s.deliver(w, r, a, p, c.Number, c.Of, content) // stamped "copy n of m" on every page (A7.1, A9.4)
}

// copyDestroy serves POST /api/copies/{id}/destruction: DestroyCopy (A10.1; from SECRET, a signed report, A10.2).
func (s *server) copyDestroy(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.CopyID](r)
	if err != nil {
		return err
	}
	var in registry.NewDestruction
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	c, err := s.reg.DestroyCopy(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, c)
}

// copyRequestCreate serves POST /api/pieces/{id}/copy-requests: RequestCopies.
func (s *server) copyRequestCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.PieceID](r)
	if err != nil {
		return err
	}
	var in registry.NewCopyRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	req, err := s.reg.RequestCopies(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return created(w, "/api/copy-requests/"+string(req.ID), req)
}

// copyRequestList serves GET /api/copy-requests[?pending=true]: CopyRequests.
func (s *server) copyRequestList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return cleared.Invalidf("malformed query string: %v", err)
	}
	if err := checkSingle(q, "query"); err != nil {
		return err
	}
	pending := false
	if v := q.Get("pending"); v != "" {
		if pending, err = strconv.ParseBool(v); err != nil {
			return cleared.Invalidf("pending: want true or false")
		}
	}
	rs, err := s.reg.CopyRequests(r.Context(), a, pending)
	if err != nil {
		return err
	}
	return ok(w, list[registry.ListedCopyRequest]{Items: nonNil(rs)})
}

// copyRequestRead serves GET /api/copy-requests/{id}: CopyRequest.
func (s *server) copyRequestRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.CopyRequestID](r)
	if err != nil {
		return err
	}
	req, err := s.reg.CopyRequest(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, req)
}

// copyRequestApprove serves POST /api/copy-requests/{id}/approve: ApproveCopyRequest (A9.4, A5.2).
func (s *server) copyRequestApprove(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return s.copyRequestDecide(w, r, a, true)
}

// copyRequestRefuse serves POST /api/copy-requests/{id}/refuse: RefuseCopyRequest.
func (s *server) copyRequestRefuse(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	return s.copyRequestDecide(w, r, a, false)
}

func (s *server) copyRequestDecide(w http.ResponseWriter, r *http.Request, a cleared.Actor, approve bool) error {
	id, err := pathID[cleared.CopyRequestID](r)
	if err != nil {
		return err
	}
	var in registry.CopyDecision
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	decide := s.reg.RefuseCopyRequest
	if approve {
		decide = s.reg.ApproveCopyRequest
	}
	req, err := decide(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, req)
}

// inventoryOpen serves POST /api/inventories: OpenInventory.
func (s *server) inventoryOpen(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewInventory
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.reg.OpenInventory(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/inventories/"+string(v.ID), v)
}

// inventoryList serves GET /api/inventories: Inventories.
func (s *server) inventoryList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	vs, err := s.reg.Inventories(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, list[cleared.Inventory]{Items: nonNil(vs)})
}

// inventoryRead serves GET /api/inventories/{id}: Inventory.
func (s *server) inventoryRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.InventoryID](r)
	if err != nil {
		return err
	}
	v, err := s.reg.Inventory(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// inventoryCheck serves POST /api/inventories/{id}/items/{item}: CheckInventoryItem.
func (s *server) inventoryCheck(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.InventoryID](r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("item"))
	if err != nil || n < 1 {
		return cleared.Invalidf("item: want the item's number, from 1")
	}
	var in registry.ItemCheck
	if err := decode(r, &in); err != nil {
		return err
	}
	it, err := s.reg.CheckInventoryItem(r.Context(), a, id, n, in)
	if err != nil {
		return err
	}
	return ok(w, it)
}

// inventoryClose serves POST /api/inventories/{id}/close: CloseInventory, the reconciliation (A13.1).
func (s *server) inventoryClose(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.InventoryID](r)
	if err != nil {
		return err
	}
	var in registry.CloseNote
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	v, err := s.reg.CloseInventory(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// nonNil returns xs, or an empty slice for nil, so that JSON shows [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
