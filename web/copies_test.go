package web_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// The copies' and inventories' API end to end, each answer checked against openapi.json: the "done when"
// (a TOP SECRET copy refused without consent, A9.4, and numbered after it; a SECRET copy numbered without consent;
// copies listed to the originator; an inventory with a missing copy reports it, A13.1).
func TestCopiesAPI(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	call := func(key, method, route, path string, body any, status int) response {
		t.Helper()
		var r response
		if body == nil { // an action whose body may be omitted is posted without one
			r = e.request(key, method, path, "", nil)
		} else {
			r = e.request(key, method, path, "application/json", body)
		}
		wantStatus(t, r, status)
		op, ok := ops[method+" "+route]
		if !ok {
			t.Fatalf("%s %s is not in openapi.json", method, route)
		}
		oaCheckAnswer(t, doc, op, r)
		return r
	}
	type copyJSON struct {
		ID     string `json:"id"`
		Number int    `json:"number"`
		Of     int    `json:"of"`
	}
	type copies struct {
		Items []copyJSON `json:"items"`
	}
	ts, sec := string(w.TopSecret.ID), string(w.Secret.ID)

	// A9.4: no consent, no copy; audited, with the rule.
	r := call("sophie_zone", "POST", "/api/pieces/{id}/copies", "/api/pieces/"+ts+"/copies", map[string]any{"copies": 1, "reason": "briefing"}, 403)
	if p := wantProblem(t, r, 403, "A9.4"); p.AuditSeq == 0 {
		t.Error("the refusal names no audit entry")
	}
	r = call("sophie_zone", "POST", "/api/pieces/{id}/copy-requests", "/api/pieces/"+ts+"/copy-requests", map[string]any{"copies": 1, "reason": "briefing"}, 201)
	req := decodeAs[cleared.CopyRequest](t, r)
	if loc := r.header.Get("Location"); loc != "/api/copy-requests/"+string(req.ID) {
		t.Errorf("Location %q", loc)
	}
	r = call("director", "GET", "/api/copy-requests", "/api/copy-requests?pending=true", nil, 200)
	if l := decodeAs[struct{ Items []cleared.CopyRequest }](t, r); len(l.Items) != 1 {
		t.Fatalf("pending requests of the originator: %s", r.body)
	}
	call("anne", "POST", "/api/copy-requests/{id}/approve", "/api/copy-requests/"+string(req.ID)+"/approve", nil, 403)
	call("director", "POST", "/api/copy-requests/{id}/approve", "/api/copy-requests/"+string(req.ID)+"/approve", map[string]any{"note": "for the minister"}, 200)
	call("sophie_zone", "GET", "/api/copy-requests/{id}", "/api/copy-requests/"+string(req.ID), nil, 200)
	r = call("sophie_zone", "POST", "/api/pieces/{id}/copies", "/api/pieces/"+ts+"/copies", map[string]any{"copies": 1, "reason": "briefing"}, 201)
	made := decodeAs[copies](t, r)
	if len(made.Items) != 1 || made.Items[0].Number != 1 || made.Items[0].Of != 1 {
		t.Fatalf("TOP SECRET copy after consent: %s", r.body)
	}
	tsCopy := made.Items[0].ID
	r = call("sophie_zone", "GET", "/api/copies/{id}", "/api/copies/"+tsCopy, nil, 200)
	if r.header.Get("Classification") != w.TopSecret.Marking() {
		t.Errorf("Classification %q", r.header.Get("Classification"))
	}
	r = call("sophie_zone", "GET", "/api/copies/{id}/content", "/api/copies/"+tsCopy+"/content", nil, 200)
	if r.header.Get("Copy") != "1 of 1" || len(r.body) == 0 {
		t.Errorf("copy content: Copy header %q, %d bytes", r.header.Get("Copy"), len(r.body))
	}
	call("lea", "GET", "/api/copies/{id}", "/api/copies/"+tsCopy, nil, 404) // A9.1
	// A10.2: the TOP SECRET copy's destruction writes a report signed by Sophie; the copy awaits its countersignature.
	r = call("sophie_zone", "POST", "/api/copies/{id}/destruction", "/api/copies/"+tsCopy+"/destruction", nil, 200)
	var half struct {
		Destruction string    `json:"destruction"`
		Destroyed   time.Time `json:"destroyed"`
	}
	if err := json.Unmarshal(r.body, &half); err != nil || half.Destruction == "" || !half.Destroyed.IsZero() {
		t.Fatalf("a TOP SECRET copy's destruction on one signature: %s", r.body)
	}
	call("sophie_zone", "POST", "/api/copies/{id}/destruction", "/api/copies/"+tsCopy+"/destruction", nil, 409)
	call("sophie_zone", "GET", "/api/destructions/{id}", "/api/destructions/"+half.Destruction, nil, 200)

	// A9.4: SECRET copies are numbered without consent; the originator sees them all.
	r = call("sophie_office", "POST", "/api/pieces/{id}/copies", "/api/pieces/"+sec+"/copies", map[string]any{"copies": 2, "reason": "analysis"}, 201)
	made = decodeAs[copies](t, r)
	if len(made.Items) != 2 || made.Items[1].Number != 2 || made.Items[1].Of != 2 {
		t.Fatalf("SECRET copies: %s", r.body)
	}
	r = call("minister", "GET", "/api/pieces/{id}/copies", "/api/pieces/"+sec+"/copies", nil, 200)
	if l := decodeAs[copies](t, r); len(l.Items) != 2 {
		t.Fatalf("copies listed to the originator: %s", r.body)
	}
	call("sophie_office", "POST", "/api/pieces/{id}/copies", "/api/pieces/"+sec+"/copies", map[string]any{"copies": 0, "reason": "x"}, 400)
	call("sophie_office", "POST", "/api/pieces/{id}/copies", "/api/pieces/"+sec+"/copies", map[string]any{"copies": 1, "reason": "x", "extra": 1}, 400)

	// A13.1: the inventory of Sophie's copies, one missing.
	r = call("anne", "POST", "/api/inventories", "/api/inventories", map[string]any{"holder": string(w.Sophie.ID)}, 201)
	inv := decodeAs[struct {
		ID    string `json:"id"`
		Items []struct {
			Number int    `json:"number"`
			Copy   string `json:"copy"`
		} `json:"items"`
	}](t, r)
	if len(inv.Items) != 3 {
		t.Fatalf("inventory of Sophie: %s", r.body)
	}
	call("tom", "POST", "/api/inventories", "/api/inventories", map[string]any{"organisation": string(w.SRE.ID)}, 403)
	for _, it := range inv.Items {
		present := it.Copy != made.Items[1].ID
		call("anne", "POST", "/api/inventories/{id}/items/{item}", "/api/inventories/"+inv.ID+"/items/"+strconv.Itoa(it.Number), map[string]any{"present": present}, 200)
	}
	call("anne", "POST", "/api/inventories/{id}/items/{item}", "/api/inventories/"+inv.ID+"/items/9", map[string]any{"present": true}, 404)
	r = call("anne", "POST", "/api/inventories/{id}/close", "/api/inventories/"+inv.ID+"/close", map[string]any{"note": "one copy not in the safe"}, 200)
	if closed := decodeAs[cleared.Inventory](t, r); closed.Missing != 1 {
		t.Fatalf("closed inventory: %s", r.body)
	}
	call("anne", "GET", "/api/inventories", "/api/inventories", nil, 200)
	call("anne", "GET", "/api/inventories/{id}", "/api/inventories/"+inv.ID, nil, 200)
	call("tom", "GET", "/api/inventories/{id}", "/api/inventories/"+inv.ID, nil, 403)
}
