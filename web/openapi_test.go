package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/web"
)

// The API's reference is web/openapi.json, written by hand. These tests hold it to the server: its references
// resolve, it lists exactly the routes New registers, and real answers of the demo world match its schemas.

// loadOpenAPI reads the document as generic JSON, numbers kept as json.Number.
func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := oaDecode(b, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	return doc
}

func oaDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}

// oaResolve follows a local JSON pointer ("#/components/schemas/Piece") in doc.
func oaResolve(doc map[string]any, ref string) (any, error) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("$ref %q is not local to the document", ref)
	}
	var cur any = doc
	for tok := range strings.SplitSeq(rest, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q: %q is not inside an object", ref, tok)
		}
		if cur, ok = m[tok]; !ok {
			return nil, fmt.Errorf("$ref %q: no %q", ref, tok)
		}
	}
	return cur, nil
}

// oaDeref follows $ref until it reaches an object without one.
func oaDeref(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	for range 10 {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%v is not an object", v)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		if v, _ = oaResolve(doc, ref); v == nil {
			t.Fatalf("$ref %q does not resolve", ref)
		}
	}
	t.Fatal("$ref chain too long")
	return nil
}

// oaWalk calls f on every object in v with its JSON path.
func oaWalk(path string, v any, f func(path string, m map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		f(path, v)
		for k, x := range v {
			oaWalk(path+"/"+k, x, f)
		}
	case []any:
		for i, x := range v {
			oaWalk(path+"/"+strconv.Itoa(i), x, f)
		}
	}
}

// oaMethods are the operation keys of a path item.
var oaMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// oaOperations returns the document's oaOperations by "METHOD /path".
func oaOperations(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	ops := map[string]map[string]any{}
	paths, _ := doc["paths"].(map[string]any)
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			if !slices.Contains(oaMethods, method) {
				t.Errorf("path %s: %q is not an HTTP method", path, method)
				continue
			}
			ops[strings.ToUpper(method)+" "+path] = op.(map[string]any)
		}
	}
	return ops
}

func TestOpenAPI_Document(t *testing.T) {
	doc := loadOpenAPI(t)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	info, _ := doc["info"].(map[string]any)
	if info["title"] != "cleared" || info["version"] == nil {
		t.Errorf("info %v", info)
	}
	for _, want := range []string{"15 June 2004", "RFC 9457", "rule", "audit_seq", "TRES SECRET"} {
		if d, _ := info["description"].(string); !strings.Contains(d, want) {
			t.Errorf("info.description does not mention %q", want)
		}
	}

	t.Run("every $ref resolves", func(t *testing.T) {
		n := 0
		oaWalk("#", doc, func(path string, m map[string]any) {
			if ref, ok := m["$ref"].(string); ok {
				n++
				if _, err := oaResolve(doc, ref); err != nil {
					t.Errorf("%s: %v", path, err)
				}
			}
		})
		if n == 0 {
			t.Error("no $ref at all")
		}
	})

	t.Run("schemas use only keywords the test validator knows", func(t *testing.T) {
		schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
		var check func(path string, s map[string]any)
		check = func(path string, s map[string]any) {
			for k, v := range s {
				if !oaKeywords[k] {
					t.Errorf("%s: keyword %q is not checked by the test's validator", path, k)
				}
				switch k {
				case "properties":
					for name, p := range v.(map[string]any) {
						check(path+"/properties/"+name, p.(map[string]any))
					}
				case "items", "propertyNames":
					check(path+"/"+k, v.(map[string]any))
				case "additionalProperties":
					if m, ok := v.(map[string]any); ok {
						check(path+"/"+k, m)
					}
				}
			}
		}
		for name, s := range schemas {
			check("#/components/schemas/"+name, s.(map[string]any))
		}
	})

	t.Run("operations are complete", func(t *testing.T) {
		public := []string{"GET /healthz", "GET /readyz", "GET /metrics", "GET /api/openapi.json", "GET /api/ca", "GET /api/webhooks/key"}
		ids := map[string]string{}
		for key, op := range oaOperations(t, doc) {
			id, _ := op["operationId"].(string)
			if id == "" || op["summary"] == nil || op["description"] == nil {
				t.Errorf("%s: want operationId, summary and description", key)
			}
			if other, dup := ids[id]; dup {
				t.Errorf("%s and %s share operationId %q", key, other, id)
			}
			ids[id] = key
			sec, hasSec := op["security"].([]any)
			if slices.Contains(public, key) != (hasSec && len(sec) == 0) {
				t.Errorf("%s: security %v; only %v need no token", key, op["security"], public)
			}
			// Path parameters are declared.
			path := strings.SplitN(key, " ", 2)[1]
			for _, m := range regexp.MustCompile(`\{([a-z_]+)\}`).FindAllStringSubmatch(path, -1) {
				found := false
				for _, p := range oaList(op["parameters"]) {
					p := oaDeref(t, doc, p)
					found = found || p["in"] == "path" && p["name"] == m[1] && p["required"] == true
				}
				if !found {
					t.Errorf("%s: path parameter %s not declared", key, m[1])
				}
			}
			if rb, ok := op["requestBody"].(map[string]any); ok {
				s := oaDeref(t, doc, rb["content"].(map[string]any)["application/json"].(map[string]any)["schema"])
				if s["additionalProperties"] != false {
					t.Errorf("%s: the request body is decoded strictly; its schema must say additionalProperties: false", key)
				}
			}
			responses, _ := op["responses"].(map[string]any)
			success := false
			for code, r := range responses {
				r := oaDeref(t, doc, r)
				if r["description"] == nil {
					t.Errorf("%s %s: no description", key, code)
				}
				switch {
				case code[0] == '2':
					success = true
					if code == "201" {
						if _, ok := oaMap(r["headers"])["Location"]; !ok {
							t.Errorf("%s 201: no Location header", key)
						}
					}
				default:
					c, ok := oaMap(r["content"])["application/problem+json"]
					if !ok || len(oaMap(r["content"])) != 1 {
						t.Errorf("%s %s: an error is application/problem+json only", key, code)
						continue
					}
					if ref := oaMap(oaMap(c)["schema"])["$ref"]; ref != "#/components/schemas/Problem" {
						t.Errorf("%s %s: schema %v, want the Problem", key, code, ref)
					}
				}
			}
			if !success {
				t.Errorf("%s: no 2xx answer", key)
			}
		}
	})
}

func oaMap(v any) map[string]any { m, _ := v.(map[string]any); return m }
func oaList(v any) []any         { l, _ := v.([]any); return l }

func TestOpenAPI_Routes(t *testing.T) {
	doc := loadOpenAPI(t)
	documented := map[string]bool{}
	for key := range oaOperations(t, doc) {
		documented[key] = true
	}
	served := map[string]bool{}
	for _, pattern := range web.Routes() {
		if served[pattern] {
			t.Errorf("%s registered twice", pattern)
		}
		served[pattern] = true
		if uiRoute(pattern) {
			continue // an HTML page of the web UI, not part of the API (ui_test.go)
		}
		if !documented[pattern] {
			t.Errorf("%s is served but not in openapi.json", pattern)
		}
	}
	for key := range documented {
		if !served[key] {
			t.Errorf("%s is in openapi.json but not served", key)
		}
	}
	if len(served) < 30 {
		t.Errorf("only %d routes registered: is web.Routes reading New?", len(served))
	}
}

func TestOpenAPI_Answers(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	if _, err := e.svc.Checkpoint(t.Context()); err != nil {
		t.Fatal(err)
	}
	later := e.now.AddDate(1, 0, 0).Format(time.RFC3339)
	ts := string(w.TopSecret.ID)

	type sample struct {
		name   string
		key    string // demo account; "" for none
		method string
		route  string // the pattern, as in openapi.json
		path   string
		body   any    // sent as JSON, and checked against the operation's request schema
		accept string // Accept header
		// badBody: the body breaks the request schema, as the server must find too
		badBody bool
		status  int
	}
	samples := []sample{
		{name: "health", method: "GET", route: "/healthz", path: "/healthz", status: 200},
		{name: "readiness", method: "GET", route: "/readyz", path: "/readyz", status: 200},
		{name: "the document itself", method: "GET", route: "/api/openapi.json", path: "/api/openapi.json", status: 200},
		{name: "A9.1 piece list", key: "sophie_zone", method: "GET", route: "/api/pieces", path: "/api/pieces", status: 200},
		{name: "piece list, oaShort page with a cursor", key: "sophie_zone", method: "GET", route: "/api/pieces", path: "/api/pieces?limit=1", status: 200},
		{name: "A7.1 piece", key: "sophie_zone", method: "GET", route: "/api/pieces/{id}", path: "/api/pieces/" + ts, status: 200},
		{name: "A6.1 foreign piece", key: "sophie_zone", method: "GET", route: "/api/pieces/{id}", path: "/api/pieces/" + string(w.NATO.ID), status: 200},
		{name: "A9.1 hidden piece is 404", key: "lea", method: "GET", route: "/api/pieces/{id}", path: "/api/pieces/" + ts, status: 404},
		{name: "malformed piece ID is 400", key: "lea", method: "GET", route: "/api/pieces/{id}", path: "/api/pieces/pce_x", status: 400},
		{name: "A8.2 content outside a zone is 403", key: "sophie_office", method: "GET", route: "/api/pieces/{id}/content", path: "/api/pieces/" + ts + "/content", status: 403},
		{name: "A9.3 content at the kiosk is 403", key: "sophie_kiosk", method: "GET", route: "/api/pieces/{id}/content", path: "/api/pieces/" + ts + "/content", status: 403},
		{name: "content in the zone", key: "sophie_zone", method: "GET", route: "/api/pieces/{id}/content", path: "/api/pieces/" + ts + "/content", status: 200},
		{name: "person file of the caller", key: "sophie_zone", method: "GET", route: "/api/me", path: "/api/me", status: 200},
		{name: "person file of an authority", key: "paul", method: "GET", route: "/api/me", path: "/api/me", status: 200},
		{name: "no token is 401", method: "GET", route: "/api/me", path: "/api/me", status: 401},
		{name: "person file read by the NSA", key: "helene", method: "GET", route: "/api/persons/{id}", path: "/api/persons/" + string(w.Tom.ID), status: 200},
		{name: "A23.1 another's file is 404", key: "lea", method: "GET", route: "/api/persons/{id}", path: "/api/persons/" + string(w.Tom.ID), status: 404},
		{name: "persons", key: "helene", method: "GET", route: "/api/persons", path: "/api/persons", status: 200},
		{name: "organisations", key: "tom", method: "GET", route: "/api/organisations", path: "/api/organisations", status: 200},
		{name: "organisations, bad limit", key: "tom", method: "GET", route: "/api/organisations", path: "/api/organisations?limit=501", status: 400},
		{name: "organisation", key: "tom", method: "GET", route: "/api/organisations/{id}", path: "/api/organisations/" + string(w.SRE.ID), status: 200},
		{name: "authorities", key: "tom", method: "GET", route: "/api/authorities", path: "/api/authorities", status: 200},
		{name: "channels", key: "tom", method: "GET", route: "/api/channels", path: "/api/channels", status: 200},
		{name: "equivalence", key: "tom", method: "GET", route: "/api/equivalence", path: "/api/equivalence", status: 200},
		{name: "checkpoint", key: "helene", method: "GET", route: "/api/audit/checkpoint", path: "/api/audit/checkpoint", status: 200},
		{name: "checkpoint as text", key: "helene", method: "GET", route: "/api/audit/checkpoint", path: "/api/audit/checkpoint", accept: "text/plain", status: 200},
		{name: "A11.2 checkpoint is for auditors", key: "tom", method: "GET", route: "/api/audit/checkpoint", path: "/api/audit/checkpoint", status: 403},
		{name: "inclusion proof", key: "helene", method: "GET", route: "/api/audit/proof/inclusion", path: "/api/audit/proof/inclusion?seq=1&size=2", status: 200},
		{name: "consistency proof", key: "helene", method: "GET", route: "/api/audit/proof/consistency", path: "/api/audit/proof/consistency?from=1&to=2", status: 200},
		{name: "organisation created", key: "helene", method: "POST", route: "/api/organisations", path: "/api/organisations",
			body: map[string]any{"name": "Acme Défense", "kind": "company", "country": "LU"}, status: 201},
		{name: "A20.1 organisation refused", key: "tom", method: "POST", route: "/api/organisations", path: "/api/organisations",
			body: map[string]any{"name": "X", "kind": "company", "country": "LU"}, status: 403},
		{name: "unknown field is 400", key: "helene", method: "POST", route: "/api/organisations", path: "/api/organisations",
			body: map[string]any{"name": "X", "kind": "company", "country": "LU", "extra": 1}, badBody: true, status: 400},
		{name: "person created", key: "helene", method: "POST", route: "/api/persons", path: "/api/persons",
			body: map[string]any{"organisation_id": w.Company.ID, "name": "Eva Nilles", "roles": []string{}}, status: 201},
		{name: "clearance created", key: "helene", method: "POST", route: "/api/clearances", path: "/api/clearances",
			body: map[string]any{"holder_kind": "person", "person_id": w.Nina.ID, "level": "CONFIDENTIAL",
				"issued": e.now.AddDate(0, -1, 0).Format(time.RFC3339), "reference": "ANS-PSC-OPENAPI"}, status: 201},
		{name: "authority created", key: "helene", method: "POST", route: "/api/authorities", path: "/api/authorities",
			body: map[string]any{"person_id": w.Anne.ID, "kind": "delegate", "title": "Officier délégué"}, status: 201},
		{name: "channel created", key: "helene", method: "POST", route: "/api/channels", path: "/api/channels",
			body: map[string]any{"name": "Réseau", "max_level": "SECRET", "crypto_product": "Chiffreur X", "until": later}, status: 201},
		{name: "place created", key: "anne", method: "POST", route: "/api/places", path: "/api/places",
			body: map[string]any{"organisation_id": w.SRE.ID, "name": "Salle B3", "accredited_level": "TOP_SECRET", "security_zone": true}, status: 201},
		{name: "dossier created", key: "director", method: "POST", route: "/api/dossiers", path: "/api/dossiers",
			body: map[string]any{"authority": w.DirectorAuth.ID, "title": "Dossier ORAGE", "level": "TOP_SECRET"}, status: 201},
		{name: "grant created", key: "paul", method: "POST", route: "/api/grants", path: "/api/grants",
			body: map[string]any{"person_id": w.Tom.ID, "piece": w.Confidential.ID, "until": later, "reason": "Lecture"}, status: 201},
		{name: "equivalence created", key: "helene", method: "POST", route: "/api/equivalence", path: "/api/equivalence",
			body: map[string]any{"note": "FR", "schemes": map[string]map[string]string{"NATO": {"SECRET": "NATO SECRET"}, "FR": {"SECRET": "SECRET DEFENSE FR"}}}, status: 201},
		// Issue 18 §0: the registers one can read, and a dossier's level.
		{name: "A9.1 dossiers", key: "sophie_zone", method: "GET", route: "/api/dossiers", path: "/api/dossiers", status: 200},
		{name: "A4.2 dossier with its parts and levels", key: "sophie_zone", method: "GET", route: "/api/dossiers/{id}", path: "/api/dossiers/" + string(w.Dossier.ID), status: 200},
		{name: "A9.1 hidden dossier is 404", key: "tom", method: "GET", route: "/api/dossiers/{id}", path: "/api/dossiers/" + string(w.Dossier.ID), status: 404},
		{name: "A4.2 dossier below its parts is 403", key: "paul", method: "POST", route: "/api/dossiers/{id}/level", path: "/api/dossiers/" + string(w.Dossier.ID) + "/level",
			body: map[string]any{"level": "RESTRICTED", "reason": "trop bas"}, status: 403},
		{name: "A4.2 dossier level set", key: "paul", method: "POST", route: "/api/dossiers/{id}/level", path: "/api/dossiers/" + string(w.Dossier.ID) + "/level",
			body: map[string]any{"level": "CONFIDENTIAL", "reason": "réexamen", "authority": w.PaulAuth.ID}, status: 200},
		{name: "grants", key: "tom", method: "GET", route: "/api/grants", path: "/api/grants", status: 200},
		{name: "clearances", key: "luc", method: "GET", route: "/api/clearances", path: "/api/clearances", status: 200},
		{name: "delegations", key: "nina", method: "GET", route: "/api/delegations", path: "/api/delegations", status: 200},
		{name: "delegation", key: "nina", method: "GET", route: "/api/delegations/{id}", path: "/api/delegations/" + string(w.Delegation.ID), status: 200},
		{name: "authority", key: "nina", method: "GET", route: "/api/authorities/{id}", path: "/api/authorities/" + string(w.PaulAuth.ID), status: 200},
		{name: "place", key: "nina", method: "GET", route: "/api/places/{id}", path: "/api/places/" + string(w.Zone.ID), status: 200},
		{name: "terminal", key: "nina", method: "GET", route: "/api/terminals/{id}", path: "/api/terminals/" + string(w.ZoneTerm.ID), status: 200},
		{name: "piece classified", key: "paul", method: "POST", route: "/api/pieces", path: "/api/pieces",
			body: newPiece(w.PaulAuth, "SECRET", "Note OpenAPI"), status: 201},
		{name: "A5.3 piece above the authority's clearance", key: "paul", method: "POST", route: "/api/pieces", path: "/api/pieces",
			body: newPiece(w.PaulAuth, "TOP_SECRET", "Trop haut"), status: 403},
		// Issue 20 §4, §10: the investigation and the person's file (A23.1, A24.1, A21.1, A25.3, A28.1).
		{name: "A24.1 investigation", key: "helene", method: "GET", route: "/api/vetting-cases/{id}/investigation",
			path: "/api/vetting-cases/" + string(w.EvaCase.ID) + "/investigation", status: 200},
		{name: "A23.1 investigation hidden from the security officer", key: "anne", method: "GET", route: "/api/vetting-cases/{id}/investigation",
			path: "/api/vetting-cases/" + string(w.EvaCase.ID) + "/investigation", status: 404},
		{name: "A21.1 item added", key: "helene", method: "POST", route: "/api/vetting-cases/{id}/investigation/items",
			path: "/api/vetting-cases/" + string(w.EvaCase.ID) + "/investigation/items",
			body: map[string]any{"category": "social_professional", "period": "past", "from": "2015-10-01", "until": "2019-09-30",
				"finding": "Contrat confirmé", "source": "Universität Trier", "collected": e.now.AddDate(0, 0, -1).Format("2006-01-02")}, status: 201},
		{name: "A21.1 item of another category", key: "helene", method: "POST", route: "/api/vetting-cases/{id}/investigation/items",
			path: "/api/vetting-cases/" + string(w.EvaCase.ID) + "/investigation/items",
			body: map[string]any{"category": "religion", "finding": "x", "source": "y", "collected": "2020-01-01"}, badBody: true, status: 400},
		{name: "A25.3 cooperation request", key: "helene", method: "POST", route: "/api/vetting-cases/{id}/investigation/cooperation",
			path: "/api/vetting-cases/" + string(w.EvaCase.ID) + "/investigation/cooperation",
			body: map[string]any{"direction": "incoming", "foreign_service": "VSSE (BE)", "subject": "Eva Lenz", "sent": e.now.AddDate(0, 0, -1).Format("2006-01-02")}, status: 201},
		{name: "A21.1 report before the checklist is complete", key: "helene", method: "POST", route: "/api/vetting-cases/{id}/investigation/report",
			path: "/api/vetting-cases/" + string(w.EvaCase.ID) + "/investigation/report", body: map[string]any{"conclusion": "Favorable"}, status: 403},
		{name: "A28.1 file before a refusal", key: "jo", method: "GET", route: "/api/vetting-cases/{id}/file",
			path: "/api/vetting-cases/" + string(w.JoCase.ID) + "/file", status: 403},
		{name: "A28.1 file request before a refusal", key: "jo", method: "POST", route: "/api/vetting-cases/{id}/file-requests",
			path: "/api/vetting-cases/" + string(w.JoCase.ID) + "/file-requests", body: map[string]any{"text": "Demande"}, status: 403},
		// Issue 20, package vetting: posts, contracts, assignments, exemptions (A14.1, A16.1).
		{name: "A14.1 posts", key: "anne", method: "GET", route: "/api/posts", path: "/api/posts", status: 200},
		{name: "A14.1 post", key: "anne", method: "GET", route: "/api/posts/{id}", path: "/api/posts/" + string(w.AnalystPost.ID), status: 200},
		{name: "A14.1 another organisation's post is 404", key: "luc", method: "GET", route: "/api/posts/{id}", path: "/api/posts/" + string(w.AnalystPost.ID), status: 404},
		{name: "A14.1 post recorded", key: "anne", method: "POST", route: "/api/posts", path: "/api/posts",
			body: map[string]any{"organisation_id": w.SRE.ID, "title": "Officier de liaison", "level": "TOP_SECRET"}, status: 201},
		{name: "A14.1 post of another organisation is 403", key: "luc", method: "POST", route: "/api/posts", path: "/api/posts",
			body: map[string]any{"organisation_id": w.SRE.ID, "title": "Officier de liaison", "level": "TOP_SECRET"}, status: 403},
		{name: "A14.1 contracts", key: "luc", method: "GET", route: "/api/contracts", path: "/api/contracts?organisation=" + string(w.Ministry.ID), status: 200},
		{name: "A14.1 contract", key: "luc", method: "GET", route: "/api/contracts/{id}", path: "/api/contracts/" + string(w.Contract.ID), status: 200},
		{name: "A14.1 contract recorded", key: "luc", method: "POST", route: "/api/contracts", path: "/api/contracts",
			body: map[string]any{"reference": "MAEE/MP/2026-020", "organisation_id": w.Ministry.ID, "contractor": w.Company.ID, "level": "RESTRICTED",
				"until": later}, status: 201},
		{name: "A14.1 flagged assignments", key: "luc", method: "GET", route: "/api/assignments", path: "/api/assignments?flagged=true", status: 200},
		{name: "A14.1 person assigned", key: "anne", method: "POST", route: "/api/assignments", path: "/api/assignments",
			body: map[string]any{"person_id": w.Jo.ID, "post": w.AnalystPost.ID}, status: 201},
		{name: "A14.1 assignment ended", key: "luc", method: "POST", route: "/api/assignments/{id}/end",
			path: "/api/assignments/" + string(w.NinaOnDeal.ID) + "/end", body: map[string]any{}, status: 200},
		{name: "A14.1 another's assignment is 404", key: "anne", method: "POST", route: "/api/assignments/{id}/end",
			path: "/api/assignments/" + string(w.NinaOnDeal.ID) + "/end", body: map[string]any{}, status: 404},
		{name: "A16.1 required level", key: "anne", method: "GET", route: "/api/persons/{id}/required-level", path: "/api/persons/" + string(w.Paul.ID) + "/required-level", status: 200},
		{name: "A14.1 exemptions", key: "helene", method: "GET", route: "/api/exemptions", path: "/api/exemptions", status: 200},
		{name: "A20.1 exemptions are the NSA's", key: "anne", method: "GET", route: "/api/exemptions", path: "/api/exemptions", status: 403},
		{name: "A14.1 exempt category recorded", key: "helene", method: "POST", route: "/api/exemptions", path: "/api/exemptions",
			body: map[string]any{"name": "Catégorie OpenAPI", "basis": "Art. 14"}, status: 201},
		{name: "A14.1 member recorded", key: "helene", method: "POST", route: "/api/exemptions/{id}/members", path: "/api/exemptions/" + string(w.Government.ID) + "/members",
			body: map[string]any{"person_id": w.Luc.ID, "reference": "Arrêté grand-ducal"}, status: 201},
		// Issue 20 §7: briefings and changes of circumstances (A18.1).
		{name: "A18.1 briefings", key: "helene", method: "GET", route: "/api/clearances/{id}/briefings", path: "/api/clearances/" + string(w.KayserClearance.ID) + "/briefings", status: 200},
		{name: "A18.1 briefing recorded", key: "helene", method: "POST", route: "/api/clearances/{id}/briefings", path: "/api/clearances/" + string(w.KayserClearance.ID) + "/briefings",
			body: map[string]any{"briefed_by": "Hélène Weber", "instructions": "Instructions de sécurité, v3"}, status: 201},
		{name: "A18.1 only the holder signs", key: "helene", method: "POST", route: "/api/clearances/{id}/declaration", path: "/api/clearances/" + string(w.KayserClearance.ID) + "/declaration", status: 403},
		{name: "A18.1 weis's briefings, declared", key: "helene", method: "GET", route: "/api/clearances/{id}/briefings",
			path: "/api/clearances/" + string(w.WeisClearance.ID) + "/briefings", status: 200},
		{name: "A18.1 circumstances", key: "helene", method: "GET", route: "/api/circumstances", path: "/api/circumstances", status: 200},
		{name: "A18.1 circumstance", key: "helene", method: "GET", route: "/api/circumstances/{id}", path: "/api/circumstances/" + string(w.WeisReport.ID), status: 200},
		{name: "A18.1 circumstance reported", key: "sophie_zone", method: "POST", route: "/api/circumstances", path: "/api/circumstances",
			body: map[string]any{"kind": "debts", "on": "2026-11-02", "details": "Prêt immobilier de 300 000 euros"}, status: 201},
		{name: "A18.1 a report is taken up once", key: "helene", method: "POST", route: "/api/circumstances/{id}/take-up",
			path: "/api/circumstances/" + string(w.WeisReport.ID) + "/take-up", status: 403},
		// Issue 20 §3: facility clearances (A15.1, A21.2).
		{name: "A21.2 facility cases", key: "luc", method: "GET", route: "/api/facility-cases", path: "/api/facility-cases", status: 200},
		{name: "A21.2 facility case", key: "luc", method: "GET", route: "/api/facility-cases/{id}", path: "/api/facility-cases/" + string(w.FacilityCase.ID), status: 200},
		{name: "A21.2 facility readiness", key: "helene", method: "GET", route: "/api/vetting-cases/{id}/facility", path: "/api/vetting-cases/" + string(w.FacilityCase.ID) + "/facility", status: 200},
		{name: "A21.2 another's facility case is 404", key: "anne", method: "GET", route: "/api/vetting-cases/{id}/facility", path: "/api/vetting-cases/" + string(w.FacilityCase.ID) + "/facility", status: 404},
		{name: "A15.1 second facility case for a contract is 403", key: "luc", method: "POST", route: "/api/facility-cases", path: "/api/facility-cases",
			body: map[string]any{"contract": w.Contract.ID}, status: 403},
		{name: "A21.2 a facility case as an organ's own case is 403", key: "luc", method: "POST", route: "/api/facility-cases/{id}/organs", path: "/api/facility-cases/" + string(w.FacilityCase.ID) + "/organs",
			body: map[string]any{"person_id": w.Nina.ID, "role": "auditor", "own_case": w.FacilityCase.ID}, status: 403},
		{name: "A21.2 organ without clearance or case is 400", key: "luc", method: "POST", route: "/api/facility-cases/{id}/organs", path: "/api/facility-cases/" + string(w.FacilityCase.ID) + "/organs",
			body: map[string]any{"person_id": w.Nina.ID, "role": "auditor"}, status: 400},
		{name: "A15.1 means recorded", key: "luc", method: "PUT", route: "/api/facility-cases/{id}/means", path: "/api/facility-cases/" + string(w.FacilityCase.ID) + "/means",
			body: map[string]any{"places": []any{map[string]any{"description": "Salle B", "level": "SECRET", "security_zone": true}}, "systems": []any{},
				"storage": []any{map[string]any{"kind": "safe", "description": "Coffre", "level": "SECRET", "in_place": 0}}}, status: 200},
		{name: "A15.1 means with an unknown field are 400", key: "luc", method: "PUT", route: "/api/facility-cases/{id}/means", path: "/api/facility-cases/" + string(w.FacilityCase.ID) + "/means",
			body: map[string]any{"places": []any{}, "vault": true}, badBody: true, status: 400},
		{name: "A21.2 an organ the case does not list is 404", key: "luc", method: "DELETE", route: "/api/facility-cases/{id}/organs/{organ}",
			path: "/api/facility-cases/" + string(w.FacilityCase.ID) + "/organs/" + string(cleared.NewFacilityOrganID()), status: 404},
	}
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			op, ok := ops[s.method+" "+s.route]
			if !ok {
				t.Fatalf("%s %s is not in openapi.json", s.method, s.route)
			}
			if s.body != nil {
				rb := oaMap(oaMap(oaMap(op["requestBody"])["content"])["application/json"])
				if rb == nil {
					t.Fatalf("%s %s has no JSON request body in openapi.json", s.method, s.route)
				}
				js, _ := json.Marshal(s.body)
				var v any
				if err := oaDecode(js, &v); err != nil {
					t.Fatal(err)
				}
				errs := (&oaValidator{doc: doc}).check("request", rb["schema"], v)
				if s.badBody && len(errs) == 0 {
					t.Errorf("request body %s: the schema accepts it", js)
				}
				for _, err := range errs {
					if !s.badBody {
						t.Errorf("request body: %s", err)
					}
				}
			}
			var r response
			if s.accept == "" {
				r = e.request(s.key, s.method, s.path, "application/json", s.body)
			} else {
				req, _ := http.NewRequest(s.method, e.srv.URL+s.path, nil)
				req.Header.Set("Accept", s.accept)
				req.Header.Set("Authorization", "Bearer "+w.Token(s.key))
				r = e.send(req)
			}
			wantStatus(t, r, s.status)
			oaCheckAnswer(t, doc, op, r)
		})
	}

	t.Run("the served document is the embedded file", func(t *testing.T) {
		r := e.get("", "/api/openapi.json")
		file, _ := os.ReadFile("openapi.json")
		if ct := r.header.Get("Content-Type"); ct != "application/json" || !bytes.Equal(r.body, file) {
			t.Errorf("GET /api/openapi.json: Content-Type %q, %d bytes; want application/json and the file's %d", ct, len(r.body), len(file))
		}
	})
}

// oaCheckAnswer checks an answer against the operation's response for its status: the status is listed, the media
// type is one the response declares, its declared headers are present, and a JSON body matches the schema.
func oaCheckAnswer(t *testing.T, doc, op map[string]any, r response) {
	t.Helper()
	rv, ok := oaMap(op["responses"])[strconv.Itoa(r.status)]
	if !ok {
		t.Fatalf("status %d is not among the operation's responses", r.status)
	}
	resp := oaDeref(t, doc, rv)
	for name := range oaMap(resp["headers"]) {
		if name != "WWW-Authenticate" && name != "Content-Disposition" && r.header.Get(name) == "" {
			t.Errorf("header %s declared, not sent", name)
		}
	}
	mt, _, err := mime.ParseMediaType(r.header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", r.header.Get("Content-Type"), err)
	}
	content := oaMap(resp["content"])
	media, ok := content[mt]
	for key, m := range content {
		// A media type declared with its parameters (TAXII's application/taxii+json;version=2.1).
		if declared, _, err := mime.ParseMediaType(key); !ok && err == nil && declared == mt {
			media, ok = m, true
		}
	}
	if !ok {
		if media, ok = content["*/*"]; !ok {
			t.Fatalf("media type %s is not declared for %d (declared: %v)", mt, r.status, content)
		}
	}
	if mt != "application/json" && mt != "application/problem+json" && mt != "application/taxii+json" {
		return
	}
	var v any
	if err := oaDecode(r.body, &v); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	for _, err := range (&oaValidator{doc: doc}).check("body", oaMap(media)["schema"], v) {
		t.Errorf("%s (body: %.300s)", err, r.body)
	}
}

// oaKeywords are the JSON Schema keywords the validator checks, or annotations it may ignore.
var oaKeywords = map[string]bool{
	"$ref": true, "type": true, "properties": true, "required": true, "additionalProperties": true, "items": true,
	"enum": true, "pattern": true, "format": true, "minimum": true, "maximum": true, "minLength": true, "maxLength": true,
	"minItems": true, "maxItems": true, "propertyNames": true,
	// annotations
	"description": true, "examples": true, "default": true, "contentEncoding": true, "contentMediaType": true,
}

// oaValidator checks a JSON value against the subset of JSON Schema the document uses. It is strict about objects:
// a property the schema does not declare is an error even without additionalProperties: false, since the point
// is that the document says everything the server sends.
type oaValidator struct {
	doc  map[string]any
	errs []string
}

func (v *oaValidator) check(path string, schema, x any) []string {
	v.errs = nil
	v.value(path, schema, x)
	return v.errs
}

func (v *oaValidator) fail(path, format string, args ...any) {
	v.errs = append(v.errs, path+": "+fmt.Sprintf(format, args...))
}

func (v *oaValidator) value(path string, schema, x any) {
	s, ok := schema.(map[string]any)
	if !ok {
		v.fail(path, "schema %v is not an object", schema)
		return
	}
	for k := range s {
		if !oaKeywords[k] {
			v.fail(path, "schema keyword %q is not supported by this validator", k)
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		target, err := oaResolve(v.doc, ref)
		if err != nil {
			v.fail(path, "%v", err)
			return
		}
		v.value(path, target, x)
	}
	if typ, ok := s["type"]; ok {
		var types []string
		switch typ := typ.(type) {
		case string:
			types = []string{typ}
		case []any:
			for _, t := range typ {
				types = append(types, t.(string))
			}
		}
		if !slices.ContainsFunc(types, func(t string) bool { return oaHasType(x, t) }) {
			v.fail(path, "%s is not of type %v", oaShort(x), types)
			return
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, x) {
		v.fail(path, "%s is not one of %v", oaShort(x), enum)
	}
	switch x := x.(type) {
	case string:
		v.str(path, s, x)
	case json.Number:
		f, _ := x.Float64()
		if m, ok := s["minimum"].(json.Number); ok {
			if min, _ := m.Float64(); f < min {
				v.fail(path, "%s is below the minimum %s", x, m)
			}
		}
		if m, ok := s["maximum"].(json.Number); ok {
			if max, _ := m.Float64(); f > max {
				v.fail(path, "%s is above the maximum %s", x, m)
			}
		}
	case []any:
		if n, ok := s["minItems"].(json.Number); ok && int64(len(x)) < oaInt(n) {
			v.fail(path, "%d items, at least %s wanted", len(x), n)
		}
		if n, ok := s["maxItems"].(json.Number); ok && int64(len(x)) > oaInt(n) {
			v.fail(path, "%d items, at most %s wanted", len(x), n)
		}
		if items, ok := s["items"]; ok {
			for i, y := range x {
				v.value(path+"["+strconv.Itoa(i)+"]", items, y)
			}
		}
	case map[string]any:
		props := oaMap(s["properties"])
		for _, r := range oaList(s["required"]) {
			if _, ok := x[r.(string)]; !ok {
				v.fail(path, "required property %q is missing", r)
			}
		}
		for k, y := range x {
			if names, ok := s["propertyNames"]; ok {
				v.value(path+" (name "+k+")", names, k)
			}
			if p, ok := props[k]; ok {
				v.value(path+"."+k, p, y)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case map[string]any:
				v.value(path+"."+k, ap, y)
			case nil:
				if _, typed := s["type"]; typed && s["properties"] != nil {
					v.fail(path, "property %q is not declared", k)
				}
			case bool:
				if !ap {
					v.fail(path, "property %q is not declared", k)
				}
			}
		}
	}
}

func (v *oaValidator) str(path string, s map[string]any, x string) {
	if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
		v.fail(path, "%q does not match %s", x, p)
	}
	if n, ok := s["minLength"].(json.Number); ok && int64(len([]rune(x))) < oaInt(n) {
		v.fail(path, "%q is shorter than %s", x, n)
	}
	if n, ok := s["maxLength"].(json.Number); ok && int64(len([]rune(x))) > oaInt(n) {
		v.fail(path, "%q is longer than %s", x, n)
	}
	switch s["format"] {
	case "date-time":
		if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
			v.fail(path, "%q is not an RFC 3339 time", x)
		}
	case "byte":
		if _, err := base64.StdEncoding.DecodeString(x); err != nil {
			v.fail(path, "%q is not base64", oaShort(x))
		}
	}
}

func oaHasType(x any, t string) bool {
	switch x := x.(type) {
	case nil:
		return t == "null"
	case bool:
		return t == "boolean"
	case string:
		return t == "string"
	case json.Number:
		if t == "number" {
			return true
		}
		_, err := strconv.ParseInt(string(x), 10, 64)
		_, uerr := strconv.ParseUint(string(x), 10, 64)
		return t == "integer" && (err == nil || uerr == nil)
	case []any:
		return t == "array"
	case map[string]any:
		return t == "object"
	}
	return false
}

func oaInt(n json.Number) int64 {
	i, err := n.Int64()
	if err != nil {
		panic("openapi.json: " + n.String() + " is not an integer")
	}
	return i
}

func oaShort(x any) string {
	s := fmt.Sprintf("%v", x)
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// TestOpenAPI_Validator shows that the validator above refuses what it must, so that a green TestOpenAPI_Answers
// means something.
func TestOpenAPI_Validator(t *testing.T) {
	doc := loadOpenAPI(t)
	piece := oaSchemaRef("Piece")
	good := `{"id":"pce_aaaaaaaaaaaaaaaaaaaaaaaaaa","kind":"electronic","title":"T","level":"SECRET","reasons":["a"],
		"review_on":"2030-01-01T00:00:00Z","originator":"aut_aaaaaaaaaaaaaaaaaaaaaaaaaa","organisation_id":"org_aaaaaaaaaaaaaaaaaaaaaaaaaa",
		"created":"2026-01-01T00:00:00Z","created_by":"per_aaaaaaaaaaaaaaaaaaaaaaaaaa","marking":"SECRET LUX"}`
	tests := []struct {
		name, edit string // edit adds a property last (a repeated one keeps its last value), or removes one when it starts with -
		ok         bool
	}{
		{"as written", "", true},
		{"an undeclared property", `"secret_note":"x",`, false},
		{"a missing required property", `-"marking":"SECRET LUX"`, false},
		{"an ID of the wrong kind", `"dossier":"pce_aaaaaaaaaaaaaaaaaaaaaaaaaa",`, false},
		{"a level outside the enum", `"level":"SECRET DEFENSE",`, false},
		{"a number for a string", `"content_type":7,`, false},
		{"a time that is not RFC 3339", `"destroyed":"yesterday",`, false},
		{"a reason outside a/b/c", `"reasons":["d"],`, false},
		{"null where no null is allowed", `"foreign":null,`, false},
		{"a foreign marking", `"foreign":{"scheme":"NATO","marking":"NATO SECRET"},`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := good
			switch {
			case strings.HasPrefix(tt.edit, "-"):
				js = strings.Replace(js, ","+tt.edit[1:], "", 1)
			case tt.edit != "":
				js = strings.TrimSuffix(js, "}") + "," + strings.TrimSuffix(tt.edit, ",") + "}"
			}
			var v any
			if err := oaDecode([]byte(js), &v); err != nil {
				t.Fatal(err)
			}
			errs := (&oaValidator{doc: doc}).check("piece", piece, v)
			if (len(errs) == 0) != tt.ok {
				t.Errorf("errors %v, want ok=%v", errs, tt.ok)
			}
		})
	}
}

// oaSchemaRef is a reference to a schema of the document.
func oaSchemaRef(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}
