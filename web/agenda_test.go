package web_test

import (
	"errors"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/auth"
)

// agendaRow is a row of the dashboard's agenda: its kind, then its cells.
var agendaRow = regexp.MustCompile(`(?s)<tr data-testid="agenda-item" data-kind="([a-z_]+)"[^>]*>(.*?)</tr>`)

// agendaRows returns the rows of the dashboard's agenda by kind.
func agendaRows(body string) map[string][]string {
	rows := map[string][]string{}
	for _, m := range agendaRow.FindAllStringSubmatch(body, -1) {
		rows[m[1]] = append(rows[m[1]], m[2])
	}
	return rows
}

func TestUI_Agenda(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	conf := w.Confidential

	t.Run("A3.2 paul's dashboard lists the review of the piece he classified, in French, bannered by it (A7.1)", func(t *testing.T) {
		paul := e.as("paul", w.OfficeTerm.ID)
		p := paul.get("/ui/")
		wantPage(t, p, http.StatusOK, "CONFIDENTIAL", "CONFIDENTIEL LUX")
		rows := agendaRows(p.body)
		if len(rows) != 1 || len(rows["review"]) != 1 {
			t.Fatalf("agenda rows %v, want one review\n%s", rows, p.body)
		}
		row := rows["review"][0]
		for _, want := range []string{`href="/ui/pieces/` + string(conf.ID) + `"`, conf.Title, "CONFIDENTIEL LUX", "A3.2",
			conf.ReviewOn.UTC().Format("2006-01-02"), "Réexaminez cette classification"} {
			if !strings.Contains(row, want) {
				t.Errorf("the review row lacks %q:\n%s", want, row)
			}
		}
		if !strings.Contains(p.body, "Ce qui attend mon action") || strings.Contains(p.body, `id="agenda-empty"`) {
			t.Errorf("the agenda section is not the French one with items")
		}
		if strings.Index(p.body, `id="agenda-section"`) > strings.Index(p.body, `id="who-section"`) {
			t.Errorf("the agenda is not the first thing on the dashboard")
		}
	})

	t.Run("A3.2 the same in English", func(t *testing.T) {
		paul := e.as("paul", w.OfficeTerm.ID)
		paul.lang = "en"
		p := paul.get("/ui/")
		wantPage(t, p, http.StatusOK, "CONFIDENTIAL", "CONFIDENTIEL LUX")
		row := strings.Join(agendaRows(p.body)["review"], "")
		for _, want := range []string{"What needs my action", "Review this classification", conf.Title, "A3.2"} {
			if !strings.Contains(p.body, want) || want == conf.Title && !strings.Contains(row, want) {
				t.Errorf("the English dashboard lacks %q", want)
			}
		}
	})

	t.Run("A9.1 the director acts for paul's authority but may not know the piece: nothing of it shows", func(t *testing.T) {
		director := e.as("director", w.ZoneTerm.ID)
		p := director.get("/ui/")
		wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
		if strings.Contains(p.body, conf.Title) || strings.Contains(p.body, string(conf.ID)) {
			t.Errorf("A9.1 the director's dashboard names the piece she may not know")
		}
		if !strings.Contains(p.body, `id="agenda-empty"`) || !strings.Contains(p.body, html.EscapeString("Rien n'attend votre action")) {
			t.Errorf("an empty agenda does not say so")
		}
		director.lang = "en"
		if p := director.get("/ui/"); !strings.Contains(p.body, "Nothing needs your action") {
			t.Errorf("an empty agenda does not say so in English")
		}
	})

	t.Run("A9.1 no dashboard shows a piece its reader may not know", func(t *testing.T) {
		lea := e.as("lea", w.OfficeTerm.ID)
		p := lea.get("/ui/")
		for _, h := range []cleared.Piece{w.TopSecret, w.Secret, w.NATO, w.PartA, w.PartB, conf} {
			// lea knows the CONFIDENTIEL piece, but it is paul's to review, not hers.
			if strings.Contains(p.body, string(h.ID)) {
				t.Errorf("lea's dashboard names %q", h.Title)
			}
		}
		wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	})

	t.Run("A17.1 tom is reminded of his clearance; luc, his security officer, of tom's; anne, of the SRE, is not", func(t *testing.T) {
		tom := e.as("tom", w.MinistryTerm.ID)
		row := strings.Join(agendaRows(tom.get("/ui/").body)["clearance"], "")
		for _, want := range []string{`href="/ui/persons/` + string(w.Tom.ID) + `"`, "A17.1", "Votre habilitation expire", `data-level="SECRET"`} {
			if !strings.Contains(row, want) {
				t.Errorf("tom's clearance row lacks %q:\n%s", want, row)
			}
		}
		luc := e.as("luc", w.MinistryTerm.ID)
		luc.lang = "en"
		row = strings.Join(agendaRows(luc.get("/ui/").body)["holder_clearance"], "")
		for _, want := range []string{`href="/ui/persons/` + string(w.Tom.ID) + `"`, w.Tom.Name, "A17.1", "This clearance expires"} {
			if !strings.Contains(row, want) {
				t.Errorf("luc's row of tom's clearance lacks %q:\n%s", want, row)
			}
		}
		anne := e.as("anne", w.ZoneTerm.ID)
		if p := anne.get("/ui/"); strings.Contains(p.body, w.Tom.Name) || len(agendaRows(p.body)) != 0 {
			t.Errorf("A23.1 anne's dashboard shows the ministry's staff")
		}
	})

	t.Run("A17.1 jo's expired clearance is overdue", func(t *testing.T) {
		jo := e.as("jo", w.ZoneTerm.ID)
		p := jo.get("/ui/")
		if !strings.Contains(p.body, `data-kind="clearance" data-overdue="true"`) || !strings.Contains(p.body, "en retard") {
			t.Errorf("jo's expired clearance is not shown overdue")
		}
	})

	t.Run("AUTH.SESSION a session at another terminal leads to the sessions page", func(t *testing.T) {
		e.as("sophie", w.OfficeTerm.ID)
		sophie := e.as("sophie", w.ZoneTerm.ID)
		p := sophie.get("/ui/")
		wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
		rows := agendaRows(p.body)["session"]
		if len(rows) != 1 || !strings.Contains(rows[0], `href="/ui/account/sessions"`) || !strings.Contains(rows[0], string(w.OfficeTerm.ID)) {
			t.Errorf("session rows %q, want one at %s", rows, w.OfficeTerm.ID)
		}
	})

	t.Run("AUTH.LOCKOUT the administrator's dashboard leads to the accounts", func(t *testing.T) {
		for range account.FreeAttempts {
			if _, err := e.auth.Login(t.Context(), auth.LoginInput{Login: "max", Password: "wrong password!"}); !errors.Is(err, cleared.ErrUnauthenticated) {
				t.Fatal(err)
			}
		}
		ada := e.as("ada", "")
		rows := agendaRows(ada.get("/ui/").body)["locked_account"]
		if len(rows) != 1 || !strings.Contains(rows[0], `href="/ui/accounts"`) || !strings.Contains(rows[0], "<code>max</code>") {
			t.Errorf("locked account rows %q, want max's", rows)
		}
	})
}

// TestAPI_MeAgenda checks GET /api/me/agenda against openapi.json, and what it holds for the demo's accounts
// (the whole grid is TestMatrix_Agenda's).
func TestAPI_MeAgenda(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	doc := loadOpenAPI(t)
	op := oaOperations(t, doc)["GET /api/me/agenda"]
	if op == nil {
		t.Fatal("GET /api/me/agenda is not in openapi.json")
	}
	type item struct {
		Kind    string
		Rule    string
		Overdue bool
		Piece   *struct {
			ID      cleared.PieceID
			Marking string
		}
		Person    *struct{ ID cleared.PersonID }
		Clearance *struct {
			PersonID cleared.PersonID `json:"person_id"`
			Marking  string
		}
	}
	for _, tc := range []struct {
		name, key string
		check     func(t *testing.T, items []item)
	}{
		{"A3.2 paul's review carries the piece's marking", "paul", func(t *testing.T, items []item) {
			if len(items) != 1 || items[0].Kind != "review" || items[0].Rule != "A3.2" || items[0].Piece == nil ||
				items[0].Piece.ID != w.Confidential.ID || items[0].Piece.Marking != "CONFIDENTIEL LUX" {
				t.Errorf("items %+v", items)
			}
		}},
		{"A17.1 helene, NSA officer, is told of tom's clearance (after nina's flag, A14.1, overdue)", "helene", func(t *testing.T, items []item) {
			if len(items) != 2 || items[0].Kind != "uncleared" || items[0].Rule != "A14.1" || items[0].Person == nil || items[0].Person.ID != w.Nina.ID {
				t.Errorf("items %+v", items)
				return
			}
			items = items[1:]
			if items[0].Kind != "holder_clearance" || items[0].Person == nil || items[0].Person.ID != w.Tom.ID ||
				items[0].Clearance == nil || items[0].Clearance.Marking != "SECRET LUX" {
				t.Errorf("items %+v", items)
			}
		}},
		{"A17.1 jo's clearance is overdue; A25.1 his questionnaire is due (issue 20)", "jo", func(t *testing.T, items []item) {
			if len(items) != 2 || items[0].Kind != "clearance" || !items[0].Overdue || items[0].Rule != "A17.1" ||
				items[1].Kind != "vetting_questionnaire" || items[1].Overdue || items[1].Rule != "A25.1" {
				t.Errorf("items %+v", items)
			}
		}},
		{"A9.1 the director is told nothing of a piece she may not know", "director", func(t *testing.T, items []item) {
			if len(items) != 0 {
				t.Errorf("items %+v", items)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.get(tc.key, "/api/me/agenda")
			wantStatus(t, r, http.StatusOK)
			oaCheckAnswer(t, doc, op, r)
			ag := decodeAs[struct{ Items []item }](t, r)
			if ag.Items == nil {
				t.Fatalf("no items list: %s", r.body)
			}
			tc.check(t, ag.Items)
		})
	}
	t.Run("no token is 401", func(t *testing.T) {
		r := e.get("", "/api/me/agenda")
		wantStatus(t, r, http.StatusUnauthorized)
		oaCheckAnswer(t, doc, op, r)
	})
}
