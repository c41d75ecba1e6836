package web_test

import (
	"testing"

	"github.com/cleared/cleared"
)

// The transmissions' API end to end, each answer checked against openapi.json and every 201's Location followed:
// the "done when" (a SECRET piece over a CONFIDENTIEL channel refused, A11.1; over a SECRET one recorded
// with its recipient; the originator lists who received it, A11.2), the receipt, the register of products and
// addressees (A11.1, S2).
func TestTransmissionsAPI(t *testing.T) {
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
	// follow reads a 201's Location and checks the answer against the route it names.
	follow := func(key string, r response, route string) response {
		t.Helper()
		loc := r.header.Get("Location")
		if loc == "" {
			t.Fatalf("201 without Location: %s", r.body)
		}
		return call(key, "GET", route, loc, nil, 200)
	}
	type sentJSON struct {
		ID              string `json:"id"`
		RecipientPerson string `json:"recipient_person"`
		RecipientName   string `json:"recipient_name"`
		Received        string `json:"received"`
	}
	sec := string(w.Secret.ID)

	// A11.1: a SECRET piece over a CONFIDENTIEL channel is refused, with its rule and audit entry.
	r := call("sophie_zone", "POST", "/api/pieces/{id}/transmissions", "/api/pieces/"+sec+"/transmissions",
		map[string]any{"to_person": w.Tom.ID, "channel": w.ConfidentialChannel.ID}, 403)
	if p := wantProblem(t, r, 403, "A11.1"); p.AuditSeq == 0 {
		t.Error("the refusal names no audit entry")
	}
	// A9.1: a recipient without need-to-know is named in a 403, not hidden from the sender who knows the piece.
	r = call("sophie_zone", "POST", "/api/pieces/{id}/transmissions", "/api/pieces/"+sec+"/transmissions",
		map[string]any{"to_person": w.Lea.ID, "channel": w.SecretChannel.ID}, 403)
	wantProblem(t, r, 403, "A9.1")
	// A9.1: one who may not know the piece is told it does not exist.
	call("lea", "POST", "/api/pieces/{id}/transmissions", "/api/pieces/"+sec+"/transmissions",
		map[string]any{"to_person": w.Tom.ID, "channel": w.SecretChannel.ID}, 404)
	// Strict decoding.
	call("sophie_zone", "POST", "/api/pieces/{id}/transmissions", "/api/pieces/"+sec+"/transmissions",
		map[string]any{"to_person": w.Tom.ID, "channel": w.SecretChannel.ID, "by_pigeon": true}, 400)

	r = call("sophie_zone", "POST", "/api/pieces/{id}/transmissions", "/api/pieces/"+sec+"/transmissions",
		map[string]any{"to_person": w.Tom.ID, "channel": w.SecretChannel.ID, "note": "pour la négociation"}, 201)
	sent := decodeAs[sentJSON](t, r)
	if r.header.Get("Classification") != w.Secret.Marking() || sent.RecipientPerson != string(w.Tom.ID) {
		t.Fatalf("transmission %s, Classification %q", r.body, r.header.Get("Classification"))
	}
	if got := decodeAs[sentJSON](t, follow("sophie_zone", r, "/api/transmissions/{id}")); got.ID != sent.ID {
		t.Fatalf("Location reads %+v", got)
	}
	call("lea", "GET", "/api/transmissions/{id}", "/api/transmissions/"+sent.ID, nil, 404)

	// A11.2: the originator and the NSA list who received it; the recipient may not; a stranger gets 404.
	for _, key := range []string{"minister", "helene"} {
		r = call(key, "GET", "/api/pieces/{id}/recipients", "/api/pieces/"+sec+"/recipients", nil, 200)
		l := decodeAs[struct{ Items []sentJSON }](t, r)
		if len(l.Items) != 1 || l.Items[0].RecipientName != w.Tom.Name {
			t.Fatalf("%s lists %s", key, r.body)
		}
	}
	wantProblem(t, call("tom", "GET", "/api/pieces/{id}/recipients", "/api/pieces/"+sec+"/recipients", nil, 403), 403, "A11.2")
	call("lea", "GET", "/api/pieces/{id}/recipients", "/api/pieces/"+sec+"/recipients", nil, 404)

	// A11.2: the receipt, from the recipient's agenda.
	r = call("tom", "GET", "/api/me/agenda", "/api/me/agenda", nil, 200)
	ag := decodeAs[struct {
		Items []struct {
			Kind         string `json:"kind"`
			Rule         string `json:"rule"`
			Transmission *struct {
				ID string `json:"id"`
			} `json:"transmission"`
		}
	}](t, r)
	found := false
	for _, it := range ag.Items {
		found = found || it.Kind == "receipt" && it.Rule == "A11.2" && it.Transmission != nil && it.Transmission.ID == sent.ID
	}
	if !found {
		t.Fatalf("the receipt is not on Tom's agenda: %s", r.body)
	}
	wantProblem(t, call("sophie_zone", "POST", "/api/transmissions/{id}/receipt", "/api/transmissions/"+sent.ID+"/receipt", nil, 403), 403, "A11.2")
	r = call("tom", "POST", "/api/transmissions/{id}/receipt", "/api/transmissions/"+sent.ID+"/receipt", nil, 200)
	if decodeAs[sentJSON](t, r).Received == "" {
		t.Fatalf("receipt not recorded: %s", r.body)
	}
	call("tom", "POST", "/api/transmissions/{id}/receipt", "/api/transmissions/"+sent.ID+"/receipt", nil, 409)

	// A11.1: the NSA approves a product and accredits a channel naming it; the channel reads back with its product.
	r = call("helene", "POST", "/api/crypto-products", "/api/crypto-products",
		map[string]any{"name": "Chiffreur Z", "reference": "ANS-AGR-2026-1", "approved_until": "2030-01-01"}, 201)
	prod := decodeAs[cleared.CryptoProduct](t, r)
	follow("helene", r, "/api/crypto-products/{id}")
	call("helene", "GET", "/api/crypto-products", "/api/crypto-products", nil, 200)
	call("sophie_zone", "POST", "/api/crypto-products", "/api/crypto-products",
		map[string]any{"name": "x", "reference": "y", "approved_until": "2030-01-01"}, 403)
	r = call("helene", "POST", "/api/channels", "/api/channels",
		map[string]any{"name": "Liaison Z", "max_level": "SECRET", "product": prod.ID, "until": "2029-01-01"}, 201)
	ch := decodeAs[cleared.Channel](t, follow("helene", r, "/api/channels/{id}"))
	if ch.Product != prod.ID || ch.CryptoProduct != prod.Name {
		t.Fatalf("channel %+v does not name its product", ch)
	}

	// S2: the national recipients are registered; the NSA records the channels they accept.
	r = call("sophie_zone", "GET", "/api/addressees", "/api/addressees", nil, 200)
	if l := decodeAs[struct{ Items []cleared.Addressee }](t, r); len(l.Items) != 3 {
		t.Fatalf("addressees %s, want the three national recipients", r.body)
	}
	call("helene", "PUT", "/api/organisations/{id}/addressee", "/api/organisations/"+string(w.Customs.ID)+"/addressee",
		map[string]any{"type": "customs", "scope": []string{"customs"}, "channels": []string{string(ch.ID)}}, 200)
	call("anne", "PUT", "/api/organisations/{id}/addressee", "/api/organisations/"+string(w.Customs.ID)+"/addressee",
		map[string]any{"channels": []string{string(ch.ID)}}, 403)
	r = call("sophie_zone", "POST", "/api/pieces/{id}/transmissions", "/api/pieces/"+sec+"/transmissions",
		map[string]any{"to_organisation": w.Customs.ID, "channel": ch.ID, "purpose": "crime"}, 403)
	wantProblem(t, r, 403, "S2")
	r = call("sophie_zone", "POST", "/api/pieces/{id}/transmissions", "/api/pieces/"+sec+"/transmissions",
		map[string]any{"to_organisation": w.Customs.ID, "channel": ch.ID, "purpose": "customs"}, 201)
	follow("helene", r, "/api/transmissions/{id}")
}
