package web

import (
	"net/http"
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The pages of copies (A9.4) and inventories (A1.1, A13.1), over the same service methods as the API. A page
// offers an action only to one the policy would let do it (registry.CopySheet says what).

// copyPages registers the pages, from New.
func (s *server) copyPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/pieces/{id}/copies", s.uiCopies)
	page("GET /ui/pieces/{id}/copies/new", s.uiCopyForm)
	page("POST /ui/pieces/{id}/copies", s.uiCopyMake)
	page("GET /ui/pieces/{id}/copy-requests/new", s.uiCopyRequestForm)
	page("POST /ui/pieces/{id}/copy-requests", s.uiCopyRequestCreate)
	page("POST /ui/copy-requests/{id}/approve", s.uiCopyRequestApprove)
	page("POST /ui/copy-requests/{id}/refuse", s.uiCopyRequestRefuse)
	page("GET /ui/copy-requests", s.uiCopyRequests)
	page("POST /ui/copies/{id}/destroy", s.uiCopyDestroy)
	page("GET /ui/inventories", s.uiInventories)
	page("GET /ui/inventories/new", s.uiInventoryForm)
	page("POST /ui/inventories", s.uiInventoryOpen)
	page("GET /ui/inventories/{id}", s.uiInventory)
	page("POST /ui/inventories/{id}/items/{item}/{state}", s.uiInventoryCheck)
	page("POST /ui/inventories/{id}/close", s.uiInventoryClose)
}

// copyNumber is "n / m", the copy's number among the copies made (A9.4).
func copyNumber(c registry.NumberedCopy) string {
	return strconv.Itoa(c.Number) + " / " + strconv.Itoa(c.Of)
}

func requestStatus(r cleared.CopyRequest) cell {
	return keyCell("copy_request.status." + string(r.Status))
}

// uiCopies serves GET /ui/pieces/{id}/copies: the copies of the piece one may see, numbered, the copy requests one
// may see, and the actions the policy would allow: make a copy, ask the originator's consent, approve or refuse
// (the originator), destroy (the holder or the security officer).
func (s *server) uiCopies(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	p, err := s.reg.Piece(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	cs, err := s.reg.CopySheet(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	pg := &tablePage{Page: Page{Title: "copies.title", Heading: p.Title, Nav: "pieces", Banner: bannerOf(p)}, Intro: "copies.intro",
		Caption: "copies.caption", Empty: "copies.none",
		Columns: []string{"copy.number", "copy.kind", "copy.holder", "copy.location", "copy.created", "copy.destroyed", "copies.action"},
		Actions: []link{{Href: "/ui/pieces/" + string(id), Key: "copies.back"}}}
	if p.TitleWithheld {
		pg.Title, pg.Heading = "piece.title_withheld", ""
	}
	if cs.MayCopy {
		pg.Actions = append(pg.Actions, link{Href: "/ui/pieces/" + string(id) + "/copies/new", Key: "copies.new"})
	}
	if cs.NeedsConsent && cs.MayRequest {
		pg.Actions = append(pg.Actions, link{Href: "/ui/pieces/" + string(id) + "/copy-requests/new", Key: "copy_request.new"})
	}
	var ids []string
	for _, c := range cs.Copies {
		ids = append(ids, string(c.Holder), string(c.Location))
	}
	names := s.names(r, u, ids...)
	for _, c := range cs.Copies {
		act := textCell("")
		if cs.MayDestroy[c.ID] {
			act = cell{Post: "/ui/copies/" + string(c.ID) + "/destroy", CSRF: u.CSRF, Key: "copies.destroy", ID: "destroy-" + string(c.ID)}
		}
		pg.Rows = append(pg.Rows, row{ID: string(c.ID), Cells: []cell{textCell(copyNumber(c)), keyCell("piece.kind." + string(c.Kind)),
			names.cell(string(c.Holder)), names.cell(string(c.Location)), textCell(formatDate(c.Created)), textCell(formatDate(c.Destroyed)), act}})
	}
	if len(cs.Requests) > 0 { // the requests one may see, and decide if one acts for the originator, have their page
		pg.Actions = append(pg.Actions, link{Href: "/ui/copy-requests", Key: "copy_requests.title"})
	}
	return s.render(w, r, u, http.StatusOK, pg)
}

func copyForm(id cleared.PieceID) *formPage {
	return &formPage{Page: Page{Title: "copies.new", Nav: "pieces"}, Intro: "copies.new.intro", Action: "/ui/pieces/" + string(id) + "/copies",
		Submit: "copies.submit", Links: []link{{Href: "/ui/pieces/" + string(id) + "/copies", Key: "copies.title"}}, Fields: []field{
			{Name: "copies", Label: "copy.count", Kind: "number", Value: "1", Required: true},
			{Name: "reason", Label: "copy.reason", Help: "copy.reason.help", Kind: "textarea", Required: true},
			{Name: "holder", Label: "copy.holder", Help: "copy.holder.help", Kind: "text"},
			{Name: "location", Label: "copy.location", Help: "copy.location.help", Kind: "text"},
		}}
}

// pieceForm shows a form about piece id under its banner; a piece one may not know is the 404 page.
func (s *server) pieceForm(w http.ResponseWriter, r *http.Request, u *uiSession, id cleared.PieceID, f *formPage) error {
	p, err := s.reg.Piece(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	f.Heading, f.Banner = p.Title, bannerOf(p)
	if p.TitleWithheld {
		f.Title, f.Heading = "piece.title_withheld", ""
	}
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiCopyForm serves GET /ui/pieces/{id}/copies/new.
func (s *server) uiCopyForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	return s.pieceForm(w, r, u, id, copyForm(id))
}

// uiCopyMake serves POST /ui/pieces/{id}/copies: MakeCopies.
func (s *server) uiCopyMake(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	in := registry.NewCopies{Reason: formText(v, "reason"), Holder: cleared.PersonID(formText(v, "holder")),
		Location: cleared.PlaceID(formText(v, "location"))}
	n, err := formUint(v, "copies", "copy.count")
	if err == nil {
		in.Copies = int(min(n, 1000))
		if _, err = s.reg.MakeCopies(r.Context(), u.Actor, id, in); err == nil {
			return seeOther(w, r, "/ui/pieces/"+string(id)+"/copies", "copied")
		}
	}
	return s.formFail(w, r, u, copyForm(id), err)
}

func copyRequestForm(id cleared.PieceID) *formPage {
	return &formPage{Page: Page{Title: "copy_request.new", Nav: "pieces"}, Intro: "copy_request.new.intro",
		Action: "/ui/pieces/" + string(id) + "/copy-requests", Submit: "copy_request.submit",
		Links: []link{{Href: "/ui/pieces/" + string(id) + "/copies", Key: "copies.title"}}, Fields: []field{
			{Name: "copies", Label: "copy.count", Kind: "number", Value: "1", Required: true},
			{Name: "reason", Label: "copy.reason", Help: "copy.reason.help", Kind: "textarea", Required: true},
		}}
}

// uiCopyRequestForm serves GET /ui/pieces/{id}/copy-requests/new.
func (s *server) uiCopyRequestForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	return s.pieceForm(w, r, u, id, copyRequestForm(id))
}

// uiCopyRequestCreate serves POST /ui/pieces/{id}/copy-requests: RequestCopies.
func (s *server) uiCopyRequestCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	in := registry.NewCopyRequest{Reason: formText(v, "reason")}
	n, err := formUint(v, "copies", "copy.count")
	if err == nil {
		in.Copies = int(min(n, 1000))
		if _, err = s.reg.RequestCopies(r.Context(), u.Actor, id, in); err == nil {
			return seeOther(w, r, "/ui/pieces/"+string(id)+"/copies", "copy_requested")
		}
	}
	return s.formFail(w, r, u, copyRequestForm(id), err)
}

// uiCopyRequestApprove serves POST /ui/copy-requests/{id}/approve: ApproveCopyRequest (A9.4, A5.2).
func (s *server) uiCopyRequestApprove(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.CopyRequestID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	rq, err := s.reg.ApproveCopyRequest(r.Context(), u.Actor, id, registry.CopyDecision{})
	if err != nil {
		return err
	}
	return seeOther(w, r, "/ui/pieces/"+string(rq.Piece)+"/copies", "copy_approved")
}

// uiCopyRequestRefuse serves POST /ui/copy-requests/{id}/refuse: RefuseCopyRequest.
func (s *server) uiCopyRequestRefuse(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.CopyRequestID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	rq, err := s.reg.RefuseCopyRequest(r.Context(), u.Actor, id, registry.CopyDecision{})
	if err != nil {
		return err
	}
	return seeOther(w, r, "/ui/pieces/"+string(rq.Piece)+"/copies", "copy_refused")
}

// uiCopyRequests serves GET /ui/copy-requests: one's requests, and those waiting for one as originator, with
// approve and refuse offered on those one may decide (they are listed only to who may know the piece).
func (s *server) uiCopyRequests(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	rs, err := s.reg.CopyRequests(r.Context(), u.Actor, false)
	if err != nil {
		return err
	}
	pg := &tablePage{Page: Page{Title: "copy_requests.title", Nav: "pieces"}, Intro: "copy_requests.intro", Caption: "copy_requests.title",
		Empty:   "copy_requests.none",
		Columns: []string{"copy_request.piece", "copy_request.status", "copy_request.requested_by", "copy_request.copies", "copy_request.reason", "copies.action", "copies.action"}}
	var ids []string
	for _, rq := range rs {
		ids = append(ids, string(rq.Piece), string(rq.RequestedBy))
	}
	names := s.names(r, u, ids...)
	for _, rq := range rs {
		approve, refuse := textCell(""), textCell("")
		if rq.Status == cleared.CopyRequestPending && rq.MayDecide {
			approve = cell{Post: "/ui/copy-requests/" + string(rq.ID) + "/approve", CSRF: u.CSRF, Key: "copy_request.approve", ID: "approve-" + string(rq.ID)}
			refuse = cell{Post: "/ui/copy-requests/" + string(rq.ID) + "/refuse", CSRF: u.CSRF, Key: "copy_request.refuse", ID: "refuse-" + string(rq.ID)}
		}
		pg.Rows = append(pg.Rows, row{ID: string(rq.ID), Cells: []cell{linkCell(names.textOr(string(rq.Piece)), "/ui/pieces/"+string(rq.Piece)+"/copies"),
			requestStatus(rq.CopyRequest), names.cell(string(rq.RequestedBy)), textCell(strconv.Itoa(rq.Used) + " / " + strconv.Itoa(rq.Copies)),
			textCell(rq.Reason), approve, refuse}})
	}
	return s.render(w, r, u, http.StatusOK, pg)
}

// uiCopyDestroy serves POST /ui/copies/{id}/destroy: DestroyCopy (A10.1; from SECRET, the signed report's page, A10.2).
func (s *server) uiCopyDestroy(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.CopyID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	c, err := s.reg.DestroyCopy(r.Context(), u.Actor, id, registry.NewDestruction{Method: r.PostFormValue("method")})
	if err != nil {
		return err
	}
	if c.Destruction != "" { // A10.2: the report awaits the security officer's countersignature
		return seeOther(w, r, "/ui/destructions/"+string(c.Destruction), "destroyed")
	}
	return seeOther(w, r, "/ui/pieces/"+string(c.Piece)+"/copies", "copy_destroyed")
}

// uiInventories serves GET /ui/inventories: the inventories one may take.
func (s *server) uiInventories(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	vs, err := s.reg.Inventories(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	pg := &tablePage{Page: Page{Title: "inventories.title", Nav: "registers"}, Intro: "inventories.intro", Caption: "inventories.title",
		Empty:   "inventories.none",
		Columns: []string{"inventory.opened", "inventory.organisation", "inventory.holder", "inventory.closed", "inventory.missing"},
		Actions: []link{{Href: "/ui/inventories/new", Key: "inventories.new"}}}
	var ids []string
	for _, v := range vs {
		ids = append(ids, string(v.OrganisationID), string(v.Holder))
	}
	names := s.names(r, u, ids...)
	for _, v := range vs {
		pg.Rows = append(pg.Rows, row{ID: string(v.ID), Cells: []cell{linkCell(formatDate(v.Opened), "/ui/inventories/"+string(v.ID)),
			names.cell(string(v.OrganisationID)), names.cell(string(v.Holder)), textCell(formatDate(v.Closed)), textCell(strconv.Itoa(v.Missing))}})
	}
	return s.render(w, r, u, http.StatusOK, pg)
}

func inventoryForm() *formPage {
	return &formPage{Page: Page{Title: "inventories.new", Nav: "registers"}, Intro: "inventories.new.intro", Action: "/ui/inventories",
		Submit: "inventories.submit", Links: []link{{Href: "/ui/inventories", Key: "inventories.title"}}, Fields: []field{
			{Name: "organisation", Label: "inventory.organisation", Help: "inventory.target.help", Kind: "text"},
			{Name: "holder", Label: "inventory.holder", Kind: "text"},
			{Name: "note", Label: "inventory.note", Kind: "textarea"},
		}}
}

// uiInventoryForm serves GET /ui/inventories/new.
func (s *server) uiInventoryForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	f := inventoryForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiInventoryOpen serves POST /ui/inventories: OpenInventory.
func (s *server) uiInventoryOpen(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewInventory{OrganisationID: cleared.OrganisationID(formText(v, "organisation")), Holder: cleared.PersonID(formText(v, "holder")),
		Note: formText(v, "note")}
	inv, err := s.reg.OpenInventory(r.Context(), u.Actor, in)
	if err == nil {
		return seeOther(w, r, "/ui/inventories/"+string(inv.ID), "inventory_opened")
	}
	return s.formFail(w, r, u, inventoryForm(), err)
}

func inventoryID(r *http.Request) (cleared.InventoryID, error) {
	id := cleared.InventoryID(r.PathValue("id"))
	if id.Validate() != nil {
		return "", cleared.ErrNotFound
	}
	return id, nil
}

// uiInventory serves GET /ui/inventories/{id}: the items, each confirmed present or missing while the inventory
// is open, and its closing, which reports what is missing (A13.1).
func (s *server) uiInventory(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := inventoryID(r)
	if err != nil {
		return err
	}
	v, err := s.reg.Inventory(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	open := v.Closed.IsZero()
	pg := &tablePage{Page: Page{Title: "inventory.title", Nav: "registers"}, Intro: "inventory.intro", Caption: "inventory.items",
		Empty:   "inventory.empty",
		Columns: []string{"inventory.item", "inventory.piece", "inventory.marking", "copy.number", "inventory.present", "copies.action", "copies.action"},
		Actions: []link{{Href: "/ui/inventories", Key: "inventories.title"}}}
	if !open {
		pg.Intro = "inventory.closed.intro"
	}
	base := "/ui/inventories/" + string(id)
	var ids []string
	for _, it := range v.Items {
		ids = append(ids, string(it.Piece))
	}
	names := s.names(r, u, ids...)
	for _, it := range v.Items {
		state := keyCell("inventory.unchecked")
		if it.Present != nil {
			state = yesNo(*it.Present)
		}
		present, missing := textCell(""), textCell("")
		if open {
			n := strconv.Itoa(it.Number)
			present = cell{Post: base + "/items/" + n + "/present", CSRF: u.CSRF, Key: "inventory.mark_present", ID: "present-" + n}
			missing = cell{Post: base + "/items/" + n + "/missing", CSRF: u.CSRF, Key: "inventory.mark_missing", ID: "missing-" + n}
		}
		number := ""
		if it.CopyNumber > 0 {
			number = strconv.Itoa(it.CopyNumber)
		}
		pg.Rows = append(pg.Rows, row{ID: strconv.Itoa(it.Number), Cells: []cell{textCell(strconv.Itoa(it.Number)), names.cell(string(it.Piece)),
			textCell(it.Marking), textCell(number), state, present, missing}})
	}
	if open {
		pg.Rows = append(pg.Rows, row{ID: "close", Cells: []cell{keyCell("inventory.close.row"), textCell(""), textCell(""), textCell(""), textCell(""),
			cell{Post: base + "/close", CSRF: u.CSRF, Key: "inventory.close", ID: "close"}, textCell("")}})
	} else {
		pg.Rows = append(pg.Rows, row{ID: "missing", Cells: []cell{keyCell("inventory.missing"), textCell(""), textCell(""), textCell(""),
			textCell(strconv.Itoa(v.Missing)), textCell(""), textCell("")}})
	}
	return s.render(w, r, u, http.StatusOK, pg)
}

// uiInventoryCheck serves POST /ui/inventories/{id}/items/{item}/present|missing: CheckInventoryItem.
func (s *server) uiInventoryCheck(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := inventoryID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("item"))
	if err != nil || n < 1 {
		return cleared.ErrNotFound
	}
	state := r.PathValue("state")
	if state != "present" && state != "missing" {
		return cleared.ErrNotFound
	}
	present := state == "present"
	if _, err := s.reg.CheckInventoryItem(r.Context(), u.Actor, id, n, registry.ItemCheck{Present: &present}); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/inventories/"+string(id), "inventory_checked")
}

// uiInventoryClose serves POST /ui/inventories/{id}/close: CloseInventory (A13.1).
func (s *server) uiInventoryClose(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := inventoryID(r)
	if err != nil {
		return err
	}
	if _, err := s.reg.CloseInventory(r.Context(), u.Actor, id, registry.CloseNote{}); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/inventories/"+string(id), "inventory_closed")
}

// textOr is the name of id, or the ID itself where no name may be shown (a piece whose title is withheld here).
func (n names) textOr(id string) string {
	if t := n[id].Text; t != "" {
		return t
	}
	return id
}
