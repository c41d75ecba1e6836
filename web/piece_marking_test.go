package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/web"
)

// newEnvOn starts the API over the demo world in st (nil: a fresh SQLite database).
func newEnvOn(t *testing.T, st store.Store) *env {
	t.Helper()
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	te := testenv.New(t, testenv.Options{Store: st, Log: log, Now: time.Now})
	srv := httptest.NewServer(web.New(web.Config{Registry: te.Reg, Auth: te.Auth, Ready: te.Store.Ping, Log: log}))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, svc: te.Reg, auth: te.Auth, world: te.World, now: time.Now().UTC(), logs: logs, vkey: te.VKey}
}

// markingDatabases runs f over SQLite, and over PostgreSQL when CLEARED_TEST_POSTGRES names a database (a schema of
// its own, dropped at the end).
func markingDatabases(t *testing.T, f func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) { f(t, newEnvOn(t, nil)) })
	t.Run("postgres", func(t *testing.T) {
		st, _ := testenv.Postgres(t, "cleared_web_marking_")
		f(t, newEnvOn(t, st))
	})
}

type markingsJSON struct {
	Items []struct {
		Seq       int    `json:"seq"`
		Level     string `json:"level"`
		Marking   string `json:"marking"`
		Authority string `json:"authority"`
		By        string `json:"by"`
		Reason    string `json:"reason"`
	} `json:"items"`
}

// Issue 18 §1 end to end through the API, every answer checked against openapi.json: a stranger refused (A5.2),
// the successor in office and the delegating principal allowed, the history of both markings, the content still
// readable, and the TOP SECRET piece now SECRET read by a SECRET-cleared holder given need-to-know.
func TestAPI_DowngradeAndDeclassify_A5_2_A7_2(t *testing.T) {
	markingDatabases(t, func(t *testing.T, e *env) {
		w := e.world
		doc := loadOpenAPI(t)
		ops := oaOperations(t, doc)
		call := func(key, method, route, path string, body any, status int) response {
			t.Helper()
			r := e.request(key, method, path, "application/json", body)
			wantStatus(t, r, status)
			oaCheckAnswer(t, doc, ops[method+" "+route], r)
			return r
		}
		down, decl, marks := "/api/pieces/{id}/downgrade", "/api/pieces/{id}/declassify", "/api/pieces/{id}/markings"
		ts := "/api/pieces/" + string(w.TopSecret.ID)

		r := call("anne", "POST", down, ts+"/downgrade", map[string]any{"level": "SECRET", "reason": "x"}, 403)
		wantProblem(t, r, 403, "A5.2")
		r = call("lea", "POST", down, ts+"/downgrade", map[string]any{"level": "SECRET", "reason": "x"}, 404)
		wantProblem(t, r, 404, "")
		call("sophie_zone", "POST", down, ts+"/downgrade", map[string]any{"level": "SECRETISH", "reason": "x"}, 400)
		call("sophie_zone", "POST", down, ts+"/downgrade", map[string]any{"level": "UNCLASSIFIED", "reason": "x"}, 400)
		call("sophie_zone", "POST", down, ts+"/downgrade", map[string]any{"level": "SECRET", "reason": "x", "by": "me"}, 400)
		// Before the downgrade, the TOP SECRET content stays in the security zone (A8.2).
		wantStatus(t, e.get("sophie_office", ts+"/content"), 403)

		// The delegating principal downgrades what her delegate classified.
		conf := "/api/pieces/" + string(w.Confidential.ID)
		wantStatus(t, e.post("paul", "/api/grants", map[string]any{"person_id": w.Director.ID, "piece": w.Confidential.ID,
			"until": time.Now().AddDate(0, 1, 0).Format(time.RFC3339), "reason": "Supervision"}), 201)
		call("director", "POST", down, conf+"/downgrade", map[string]any{"level": "CONFIDENTIAL", "reason": "x"}, 403)
		call("director", "POST", down, conf+"/downgrade", map[string]any{"level": "RESTRICTED", "reason": "contrat signé"}, 200)
		// A1.1: a NATO piece waits for its originator's consent.
		r = call("paul", "POST", decl, "/api/pieces/"+string(w.NATO.ID)+"/declassify", map[string]any{"reason": "x"}, 403)
		wantProblem(t, r, 403, "A1.1")
		r = call("paul", "POST", down, "/api/pieces/"+string(w.NATO.ID)+"/downgrade",
			map[string]any{"level": "CONFIDENTIAL", "reason": "accord du NOS", "originator_consent": "NATO/NOS/2026-114"}, 200)
		if p := decodeAs[pieceJSON](t, r); p.Marking != "NATO CONFIDENTIAL / CONFIDENTIEL LUX" {
			t.Fatalf("A6.1 the NATO piece after the downgrade: %+v", p)
		}
		if r := call("paul", "GET", marks, "/api/pieces/"+string(w.NATO.ID)+"/markings", nil, 200); !strings.Contains(string(r.body), `"originator_consent":"NATO/NOS/2026-114"`) {
			t.Errorf("A1.1 the consent is not in the history: %s", r.body)
		}
		// A7.2: declassified, marked so.
		r = call("paul", "POST", decl, conf+"/declassify", map[string]any{"reason": "spécifications publiées"}, 200)
		if p := decodeAs[pieceJSON](t, r); p.Level != "UNCLASSIFIED" || p.Marking != cleared.DeclassifiedMarking {
			t.Fatalf("declassified: %+v", p)
		}
		m := decodeAs[markingsJSON](t, call("paul", "GET", marks, conf+"/markings", nil, 200))
		if len(m.Items) != 3 || m.Items[1].Authority != string(w.DirectorAuth.ID) || m.Items[2].Marking != cleared.DeclassifiedMarking {
			t.Fatalf("A7.2 history: %+v", m.Items)
		}
		if r := e.get("lea", conf+"/content"); r.status != 200 || !strings.Contains(string(r.body), "CONFIDENTIEL") {
			t.Errorf("content of the declassified piece: %d %s", r.status, r.body)
		}
		// The NSA records Sophie as the Director's successor in office.
		wantStatus(t, e.post("helene", "/api/authorities", map[string]any{"person_id": w.Sophie.ID, "kind": "sre_director",
			"title": "Directrice du SRE", "predecessor": w.DirectorAuth.ID}), 201)
		r = call("sophie_zone", "POST", down, ts+"/downgrade", map[string]any{"level": "SECRET", "reason": "opération ORAGE close"}, 200)
		if p := decodeAs[pieceJSON](t, r); p.Level != "SECRET" || p.Marking != "SECRET LUX" || r.header.Get("Classification") != "SECRET LUX" {
			t.Fatalf("A7.2 after the downgrade: %+v, header %q", p, r.header.Get("Classification"))
		}
		m = decodeAs[markingsJSON](t, call("sophie_zone", "GET", marks, ts+"/markings", nil, 200))
		if len(m.Items) != 2 || m.Items[0].Marking != "TRES SECRET LUX" || m.Items[1].Marking != "SECRET LUX" ||
			m.Items[1].By != string(w.Sophie.ID) || m.Items[1].Reason != "opération ORAGE close" {
			t.Fatalf("A7.2 marking history: %+v", m.Items)
		}
		call("lea", "GET", marks, ts+"/markings", nil, 404)
		// The content is readable, now at a SECRET terminal too.
		if r := e.get("sophie_office", ts+"/content"); r.status != 200 || !strings.Contains(string(r.body), "ORAGE") {
			t.Fatalf("content after the downgrade: %d %s", r.status, r.body)
		}
		// A9.1: Paul, cleared SECRET, is given need-to-know by the successor and reads it.
		wantStatus(t, e.post("sophie_zone", "/api/grants", map[string]any{"person_id": w.Paul.ID, "piece": w.TopSecret.ID,
			"until": time.Now().AddDate(0, 1, 0).Format(time.RFC3339), "reason": "Analyse"}), 201)
		if r := e.get("paul", "/api/pieces"); !strings.Contains(string(r.body), string(w.TopSecret.ID)) {
			t.Errorf("A9.1 Paul's list lacks the downgraded piece: %s", r.body)
		}
		if r := e.get("paul", ts+"/content"); r.status != 200 || !strings.Contains(string(r.body), "ORAGE") {
			t.Fatalf("A9.1 Paul reads the downgraded piece: %d %s", r.status, r.body)
		}

	})
}

type pieceJSON struct {
	Level   string `json:"level"`
	Marking string `json:"marking"`
}

var relevelLink = regexp.MustCompile(`id="relevel-link"`)

// The piece page shows the marking history, and offers the form only to who may downgrade (A5.2); the form
// downgrades, then declassifies (A7.2).
func TestUI_DowngradeAndDeclassify_A5_2_A7_2(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	path := "/ui/pieces/" + string(w.Confidential.ID)
	lea := e.as("lea", w.OfficeTerm.ID)
	p := lea.get(path)
	wantPage(t, p, http.StatusOK, "CONFIDENTIAL", "CONFIDENTIEL LUX")
	if relevelLink.MatchString(p.body) || !strings.Contains(p.body, `id="marking-1"`) {
		t.Fatalf("Lea's page: a link to downgrade, or no history:\n%s", p.body)
	}
	p = lea.get(path + "/marking")
	wantPage(t, p, http.StatusForbidden, "UNCLASSIFIED", unclassified)
	if !strings.Contains(p.body, `id="problem-rule">A5.2<`) {
		t.Errorf("the form refused to Lea without A5.2:\n%s", p.body)
	}

	// A form sent anyway is refused by the registry, with its rule, and recorded.
	lea.get(path)
	p = lea.post(path+"/marking", url.Values{"level": {"RESTRICTED"}, "reason": {"x"}})
	wantPage(t, p, http.StatusForbidden, "CONFIDENTIAL", "CONFIDENTIEL LUX")
	if !strings.Contains(p.body, `id="problem-rule">A5.2<`) || !strings.Contains(p.body, `id="problem-audit">`) {
		t.Errorf("the form sent by Lea is not refused with A5.2 and its audit entry:\n%s", p.body)
	}

	paul := e.as("paul", w.OfficeTerm.ID)
	p = paul.get(path)
	if !relevelLink.MatchString(p.body) {
		t.Fatalf("Paul, who classified it, is not offered the form:\n%s", p.body)
	}
	for _, lang := range []string{"en", "fr"} {
		paul.get("/lang/" + lang + "?next=/ui/")
		p = paul.get(path + "/marking")
		wantPage(t, p, http.StatusOK, "CONFIDENTIAL", "CONFIDENTIEL LUX")
	}
	if !strings.Contains(p.body, `<option value="RESTRICTED"`) || !strings.Contains(p.body, `<option value="UNCLASSIFIED"`) ||
		strings.Contains(p.body, `<option value="SECRET"`) {
		t.Errorf("the choices offered:\n%s", p.body)
	}
	if strings.Contains(p.body, `name="originator_consent"`) {
		t.Errorf("the consent of a foreign originator is asked for a national piece")
	}
	if p := paul.get("/ui/pieces/" + string(w.NATO.ID) + "/marking"); !strings.Contains(p.body, `name="originator_consent"`) {
		t.Errorf("A1.1 the form of a NATO piece does not ask for its originator's consent:\n%s", p.body)
	}
	paul.get(path + "/marking")
	p = paul.post(path+"/marking", url.Values{"level": {"RESTRICTED"}, "reason": {""}})
	wantPage(t, p, http.StatusBadRequest, "CONFIDENTIAL", "CONFIDENTIEL LUX")
	p = paul.post(path+"/marking", url.Values{"level": {"RESTRICTED"}, "reason": {"contrat signé"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != path+"?ok=downgraded" {
		t.Fatalf("downgrade: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	p = paul.get(p.header.Get("Location"))
	wantPage(t, p, http.StatusOK, "RESTRICTED", "RESTREINT LUX")
	if !strings.Contains(p.body, `id="marking-2" data-level="RESTRICTED"`) || !strings.Contains(p.body, "contrat signé") ||
		!strings.Contains(p.body, "Spécifications CONFIDENTIEL") {
		t.Errorf("A7.2 the page after the downgrade lacks the new marking, its grounds or the content:\n%s", p.body)
	}
	paul.get(path + "/marking")
	p = paul.post(path+"/marking", url.Values{"level": {"UNCLASSIFIED"}, "reason": {"publié"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != path+"?ok=declassified" {
		t.Fatalf("declassify: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	p = paul.get(p.header.Get("Location"))
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !strings.Contains(p.body, `id="marking-3" data-level="UNCLASSIFIED"`) || !strings.Contains(p.body, cleared.DeclassifiedMarking) {
		t.Errorf("A7.2 the declassified piece's page:\n%s", p.body)
	}
}
