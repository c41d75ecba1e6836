package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/registry"
)

// judgeOf registers an investigating judge (no clearance, no grant) in an organisation of his own and gives him an
// API token bound to terminal; it returns him and the token's secret.
func judgeOf(t *testing.T, e *env, terminal cleared.TerminalID) (cleared.Person, string) {
	t.Helper()
	ctx := context.Background()
	nsa := cleared.Actor{Person: e.world.Helene.ID}
	org, err := e.svc.RegisterOrganisation(ctx, nsa, registry.NewOrganisation{Name: "Cabinet d'instruction de Luxembourg", Kind: cleared.PublicBody, Country: "LU"})
	if err != nil {
		t.Fatal(err)
	}
	judge, err := e.svc.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: org.ID, Name: "Nadia Kremer"})
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := e.auth.CreateToken(ctx, auth.NewToken{PersonID: judge.ID, Terminal: terminal, Label: "juge d'instruction", TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return judge, secret
}

// The judicial access API end to end (A9.5), each answer checked against openapi.json: an order recorded by the NSA
// (201, followed through its Location), read by the judge it names and not by others, a piece it covers read by
// the judge and marked as read by the order, refused with A9.5 once the order is ended.
func TestJudicialOrdersAPI(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	judge, secret := judgeOf(t, e, w.OfficeTerm.ID)
	call := func(key, method, route, path string, body any, status int) response {
		t.Helper()
		var r response
		if key == "judge" { // the judge's token is not a demo account's
			var rd io.Reader
			if body != nil {
				js, err := json.Marshal(body)
				if err != nil {
					t.Fatal(err)
				}
				rd = bytes.NewReader(js)
			}
			req, err := http.NewRequest(method, e.srv.URL+path, rd)
			if err != nil {
				t.Fatal(err)
			}
			if rd != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("Authorization", "Bearer "+secret)
			r = e.send(req)
		} else if body == nil {
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
	sec := string(w.Secret.ID)
	now := time.Now().UTC()
	order := map[string]any{"court": "Tribunal d'arrondissement de Luxembourg, cabinet d'instruction", "reference": "JI-2026-042",
		"issued": now.Add(-time.Hour), "persons": []cleared.PersonID{judge.ID}, "pieces": []cleared.PieceID{w.Secret.ID},
		"dossiers": []cleared.DossierID{w.Dossier.ID}, "from": now.Add(-time.Minute), "until": now.AddDate(0, 1, 0)}

	// Before the order, the judge may not know the piece exists.
	call("judge", "GET", "/api/pieces/{id}", "/api/pieces/"+sec, nil, 404)
	// A9.5: only the NSA records an order; the refusal names its rule and its audit entry.
	r := call("anne", "POST", "/api/judicial-orders", "/api/judicial-orders", order, 403)
	if p := wantProblem(t, r, 403, "A9.5"); p.AuditSeq == 0 {
		t.Error("the refusal names no audit entry")
	}
	bad := map[string]any{}
	for k, v := range order {
		bad[k] = v
	}
	bad["until"] = bad["from"]
	call("helene", "POST", "/api/judicial-orders", "/api/judicial-orders", bad, 400)
	bad["until"], bad["unknown"] = order["until"], 1
	call("helene", "POST", "/api/judicial-orders", "/api/judicial-orders", bad, 400) // strict decoding

	r = call("helene", "POST", "/api/judicial-orders", "/api/judicial-orders", order, 201)
	o := decodeAs[cleared.JudicialOrder](t, r)
	loc := r.header.Get("Location")
	if loc != "/api/judicial-orders/"+string(o.ID) {
		t.Fatalf("Location %q", loc)
	}
	r = call("judge", "GET", "/api/judicial-orders/{id}", loc, nil, 200)
	if got := decodeAs[cleared.JudicialOrder](t, r); got.ID != o.ID || got.Status != cleared.JudicialOrderInForce {
		t.Fatalf("the order the Location names: %s", r.body)
	}
	call("anne", "GET", "/api/judicial-orders/{id}", loc, nil, 404)
	r = call("judge", "GET", "/api/judicial-orders", "/api/judicial-orders", nil, 200)
	if l := decodeAs[struct{ Items []cleared.JudicialOrder }](t, r); len(l.Items) != 1 {
		t.Fatalf("the judge's orders: %s", r.body)
	}
	r = call("anne", "GET", "/api/judicial-orders", "/api/judicial-orders", nil, 200)
	if l := decodeAs[struct{ Items []cleared.JudicialOrder }](t, r); len(l.Items) != 0 {
		t.Fatalf("the security officer's orders: %s", r.body)
	}

	// A9.5: read by the order, and shown as such.
	r = call("judge", "GET", "/api/pieces/{id}", "/api/pieces/"+sec, nil, 200)
	p := decodeAs[cleared.Piece](t, r)
	if p.Access != "judicial_order" || p.JudicialOrder == nil || p.JudicialOrder.Reference != "JI-2026-042" {
		t.Fatalf("the piece read by the order: %s", r.body)
	}
	r = call("judge", "GET", "/api/pieces/{id}/content", "/api/pieces/"+sec+"/content", nil, 200)
	if r.header.Get("Judicial-Order") != string(o.ID) {
		t.Errorf("Judicial-Order header %q, want %s", r.header.Get("Judicial-Order"), o.ID)
	}
	r = call("judge", "GET", "/api/dossiers/{id}", "/api/dossiers/"+string(w.Dossier.ID), nil, 200)
	if !strings.Contains(string(r.body), `"access":"judicial_order"`) {
		t.Errorf("the dossier read by the order is not marked: %s", r.body)
	}
	r = call("judge", "GET", "/api/pieces", "/api/pieces", nil, 200)
	if l := decodeAs[struct{ Items []cleared.Piece }](t, r); len(l.Items) != 3 {
		t.Fatalf("the judge's pieces: %s", r.body)
	}
	call("judge", "GET", "/api/pieces/{id}", "/api/pieces/"+string(w.TopSecret.ID), nil, 404) // outside its scope

	// Ended by the NSA: the judge may not end it; once ended, he is told A9.5.
	end := map[string]any{"reason": "Ordonnance de mainlevée"}
	call("judge", "POST", "/api/judicial-orders/{id}/end", loc+"/end", end, 403)
	r = call("helene", "POST", "/api/judicial-orders/{id}/end", loc+"/end", end, 200)
	if got := decodeAs[cleared.JudicialOrder](t, r); got.Status != cleared.JudicialOrderEnded {
		t.Fatalf("ended: %s", r.body)
	}
	call("helene", "POST", "/api/judicial-orders/{id}/end", loc+"/end", end, 409)
	r = call("judge", "GET", "/api/pieces/{id}", "/api/pieces/"+sec, nil, 403)
	wantProblem(t, r, 403, "A9.5")
	call("helene", "GET", "/api/judicial-orders/{id}", "/api/judicial-orders/"+string(cleared.NewJudicialOrderID()), nil, 404)
}
