package web_test

import (
	"testing"

	"github.com/cleared/cleared"
)

// The incidents' API end to end, each answer checked against openapi.json, following the 201's Location: a
// compromise reported warns the security officer, the NSA and the originator (A13.1); a stranger gets 404; the
// warned acknowledge; the security officer closes only with findings and the head's notice (A13.3).
func TestIncidentsAPI(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	call := func(key, method, route, path string, body any, status int) response {
		t.Helper()
		var r response
		if body == nil {
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
	type caseJSON struct {
		ID            string `json:"id"`
		Reported      string `json:"reported"`
		Rule          string `json:"rule"`
		State         string `json:"state"`
		Full          bool   `json:"full"`
		Notifications []struct {
			Recipient    cleared.PersonID `json:"recipient"`
			As           string           `json:"as"`
			Acknowledged string           `json:"acknowledged"`
			Emails       []struct {
				Address string `json:"address"`
				State   string `json:"state"`
			} `json:"emails"`
		} `json:"notifications"`
	}
	// A13.1, A9.1: about a piece one may not know, 404.
	report := map[string]any{"kind": "compromise", "object_kind": "piece", "object": string(w.TopSecret.ID),
		"description": "the printout was left on the train"}
	call("tom", "POST", "/api/incidents", "/api/incidents", report, 404)
	call("tom", "POST", "/api/incidents", "/api/incidents", map[string]any{"kind": "leak", "object_kind": "piece",
		"object": string(w.TopSecret.ID), "description": "x"}, 400)
	r := call("sophie_zone", "POST", "/api/incidents", "/api/incidents", report, 201)
	loc := r.header.Get("Location")
	mine := decodeAs[caseJSON](t, r)
	if loc != "/api/incidents/"+mine.ID || mine.Full || mine.Rule != "A13.1" {
		t.Fatalf("Location %q, report %s", loc, r.body)
	}
	r = call("helene", "GET", "/api/incidents/{id}", loc, nil, 200)
	c := decodeAs[caseJSON](t, r)
	if !c.Full || len(c.Notifications) != 3 || c.Notifications[1].As != "nsa" || len(c.Notifications[1].Emails) != 1 ||
		c.Notifications[1].Emails[0].State != "pending" {
		t.Fatalf("the NSA's case: %s", r.body)
	}
	call("lea", "GET", "/api/incidents/{id}", loc, nil, 404)
	if l := decodeAs[struct{ Items []caseJSON }](t, call("lea", "GET", "/api/incidents", "/api/incidents", nil, 200)); len(l.Items) != 0 {
		t.Errorf("a stranger's list holds %d incidents", len(l.Items))
	}
	if l := decodeAs[struct{ Items []caseJSON }](t, call("director", "GET", "/api/incidents", "/api/incidents?limit=10&cursor=", nil, 200)); len(l.Items) != 1 {
		t.Errorf("the originator's list holds %d incidents", len(l.Items))
	}
	// A13.1: the warned acknowledge; one not warned is refused naming the rule.
	wantProblem(t, call("sophie_zone", "POST", "/api/incidents/{id}/acknowledge", loc+"/acknowledge", nil, 403), 403, "A13.1")
	call("director", "POST", "/api/incidents/{id}/acknowledge", loc+"/acknowledge", nil, 200)
	// A13.3: the officer's case.
	call("anne", "POST", "/api/incidents/{id}/notes", loc+"/notes", map[string]any{"text": "heard the holder"}, 200)
	wantProblem(t, call("helene", "POST", "/api/incidents/{id}/notes", loc+"/notes", map[string]any{"text": "x"}, 403), 403, "A13.3")
	wantProblem(t, call("anne", "POST", "/api/incidents/{id}/close", loc+"/close", nil, 403), 403, "A13.3")
	call("anne", "POST", "/api/incidents/{id}/findings", loc+"/findings", map[string]any{"text": "recovered sealed"}, 200)
	call("anne", "POST", "/api/incidents/{id}/head-notice", loc+"/head-notice", map[string]any{"name": "the Director",
		"at": mine.Reported, "how": "letter"}, 200)
	r = call("anne", "POST", "/api/incidents/{id}/close", loc+"/close", nil, 200)
	if decodeAs[caseJSON](t, r).State != "closed" {
		t.Fatalf("closed: %s", r.body)
	}
	if decodeAs[caseJSON](t, call("sophie_zone", "GET", "/api/incidents/{id}", loc, nil, 200)).State != "closed" {
		t.Error("the reporter does not see his report closed")
	}
}
