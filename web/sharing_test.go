package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
)

// TestSharingAPI_S1 walks the routes of partners and releases as the NSA, an originator and a second person would.
func TestSharingAPI_S1(t *testing.T) {
	e := newEnv(t, nil)
	sw := testenv.NewSharingWorld(t, e.te, nil)
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	// check holds an answer to the operation's documented response (openapi.json).
	check := func(method, route string, r response) response {
		t.Helper()
		op, ok := ops[method+" "+route]
		if !ok {
			t.Fatalf("%s %s is not documented", method, route)
		}
		oaCheckAnswer(t, doc, op, r)
		return r
	}

	// The register of partners: the NSA and classifying authorities read it; a holder without authority does not.
	if r := check("GET", "/api/partners", e.get("paul", "/api/partners")); r.status != http.StatusOK {
		t.Fatalf("partners as an authority: %d %s", r.status, r.body)
	} else if got := decodeAs[struct{ Items []cleared.Partner }](t, r); len(got.Items) != 3 {
		t.Fatalf("partners: %d, want 3", len(got.Items))
	}
	wantRule(t, e.get("lea", "/api/partners"), http.StatusForbidden, "S1")
	if r := check("GET", "/api/partners/{id}", e.get("helene", "/api/partners/"+string(sw.NATO.Organisation))); r.status != http.StatusOK {
		t.Fatalf("partner: %d %s", r.status, r.body)
	}

	// Only the NSA records a partner; bad input is 400 and changes nothing.
	rec := map[string]any{"scheme": "NATO", "max_level": "TOP SECRET", "channels": sw.NATO.Channels}
	wantRule(t, e.request("paul", "PUT", "/api/partners/"+string(sw.NATO.Organisation), "application/json", rec), http.StatusForbidden, "A20.1")
	if r := e.request("helene", "PUT", "/api/partners/"+string(sw.NATO.Organisation), "application/json",
		map[string]any{"scheme": "NATO", "max_level": "SECRET", "channels": sw.NATO.Channels, "colour": "blue"}); r.status != http.StatusBadRequest {
		t.Fatalf("unknown field: %d", r.status)
	}
	if r := check("PUT", "/api/partners/{id}", e.request("helene", "PUT", "/api/partners/"+string(sw.NATO.Organisation), "application/json", rec)); r.status != http.StatusOK {
		t.Fatalf("record partner: %d %s", r.status, r.body)
	}

	// A SECRET release is proposed, approved by a second person, listed, and revoked.
	body := map[string]any{"sets": []map[string]any{{"partners": []string{string(sw.NATO.Organisation)}}}, "tlp": "amber"}
	r := check("POST", "/api/pieces/{id}/releases", e.post("paul", "/api/pieces/"+string(sw.SecretPiece.ID)+"/releases", body))
	if r.status != http.StatusCreated {
		t.Fatalf("release: %d %s", r.status, r.body)
	}
	rel := decodeAs[cleared.Release](t, r)
	if rel.State != cleared.ReleaseProposed {
		t.Fatalf("a SECRET release: %s, want proposed", rel.State)
	}
	wantRule(t, e.post("paul", "/api/releases/"+string(rel.ID)+"/approve", nil), http.StatusForbidden, "S1")
	if r := check("GET", "/api/releases/pending", e.get("director", "/api/releases/pending")); r.status != http.StatusOK {
		t.Fatalf("pending: %d %s", r.status, r.body)
	} else if got := decodeAs[struct{ Items []cleared.Release }](t, r); len(got.Items) != 1 || got.Items[0].ID != rel.ID {
		t.Fatalf("pending for the director: %+v", got.Items)
	}
	if r := check("POST", "/api/releases/{id}/approve", e.post("director", "/api/releases/"+string(rel.ID)+"/approve", nil)); r.status != http.StatusOK {
		t.Fatalf("approve: %d %s", r.status, r.body)
	}
	if r := check("GET", "/api/pieces/{id}/releases", e.get("paul", "/api/pieces/"+string(sw.SecretPiece.ID)+"/releases")); r.status != http.StatusOK {
		t.Fatalf("releases: %d %s", r.status, r.body)
	} else if got := decodeAs[struct{ Items []cleared.Release }](t, r); len(got.Items) != 2 {
		t.Fatalf("releases of the piece: %d, want 2", len(got.Items))
	}
	// One who may not know the piece gets 404 (A9.1).
	if r := e.get("lea", "/api/pieces/"+string(sw.SecretPiece.ID)+"/releases"); r.status != http.StatusNotFound {
		t.Fatalf("releases to one who may not know the piece: %d", r.status)
	}
	if r := check("POST", "/api/releases/{id}/revoke", e.post("paul", "/api/releases/"+string(rel.ID)+"/revoke", map[string]string{"reason": ""})); r.status != http.StatusBadRequest {
		t.Fatalf("revoke without a reason: %d %s", r.status, r.body)
	}
	if r := check("POST", "/api/releases/{id}/revoke", e.post("paul", "/api/releases/"+string(rel.ID)+"/revoke", map[string]string{"reason": "source withdrawn"})); r.status != http.StatusOK {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := e.post("paul", "/api/releases/rel_x/revoke", map[string]string{"reason": "x"}); r.status != http.StatusBadRequest {
		t.Fatalf("malformed release ID: %d", r.status)
	}

}

// TestSharingAPI_export_S1_A11_2: the originator exports a release as a partner receives it, as a file, and the
// export is among the piece's recipients.
func TestSharingAPI_export_S1_A11_2(t *testing.T) {
	e := newEnv(t, nil)
	sw := testenv.NewSharingWorld(t, e.te, nil)
	path := "/api/releases/" + string(sw.ConfidentialRelease.ID) + "/export"
	for format, want := range map[string]string{"": `"type":"bundle"`, "stix": "CONFIDENTIEL UE/EU CONFIDENTIAL", "misp": `"Event"`, "json": `"marking":"CONFIDENTIEL UE/EU CONFIDENTIAL"`} {
		r := e.post("paul", path, map[string]string{"partner": string(sw.EU.Organisation), "format": format})
		if r.status != http.StatusOK || !strings.Contains(string(r.body), want) || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("export as %q: %d %s %.300s", format, r.status, r.header.Get("Content-Disposition"), r.body)
		}
	}
	if r := e.post("paul", path, map[string]string{"partner": string(sw.EU.Organisation), "format": "xml"}); r.status != http.StatusBadRequest {
		t.Errorf("format xml: %d", r.status)
	}
	wantRule(t, e.post("paul", path, map[string]string{"partner": string(sw.CERT.Organisation)}), http.StatusForbidden, "S1")
	if r := e.post("lea", path, map[string]string{"partner": string(sw.EU.Organisation)}); r.status != http.StatusNotFound {
		t.Errorf("export by one who may not know the piece: %d, want 404", r.status)
	}
	r := e.get("paul", "/api/pieces/"+string(sw.ConfidentialPiece.ID)+"/recipients")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), sw.EU.Name) {
		t.Fatalf("recipients after the export: %d %s", r.status, r.body)
	}
}
