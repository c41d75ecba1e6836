package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/registry"
)

// addJudge registers an investigating judge (no clearance, no grant) with a web login of his own.
func addJudge(t *testing.T, e *uiEnv) cleared.Person {
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
	l := demo.Login{Login: "kremer", Person: judge, Password: demo.Password("kremer"), TOTPSecret: demo.TOTPSecret("kremer")}
	if _, err := e.auth.AddAccount(ctx, auth.NewAccount{PersonID: judge.ID, Login: l.Login, Password: l.Password, TOTPSecret: l.TOTPSecret}); err != nil {
		t.Fatal(err)
	}
	e.world.Logins = append(e.world.Logins, l)
	return judge
}

// The pages of judicial access (A9.5): the NSA records an order from its form (refused to others with A9.5), the
// judge it names reads the covered piece, whose page says it is read by the order and offers no copy; once the NSA
// ends the order, the page is refused with A9.5.
func TestUI_JudicialOrders(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	judge := addJudge(t, e)
	sec := string(w.Secret.ID)
	nadia := e.as("kremer", w.OfficeTerm.ID)
	if p := nadia.get("/ui/pieces/" + sec); p.status != http.StatusNotFound {
		t.Fatalf("before the order the judge gets %d, want 404", p.status)
	}

	anne := e.as("anne", w.ZoneTerm.ID)
	if p := anne.get("/ui/judicial-orders/new"); p.status != http.StatusForbidden || !strings.Contains(p.body, `id="problem-rule">A9.5<`) {
		t.Fatalf("the form offered to a security officer: %d\n%s", p.status, p.body)
	}
	if p := anne.get("/ui/judicial-orders"); strings.Contains(p.body, `href="/ui/judicial-orders/new"`) {
		t.Errorf("the register offers a security officer to record an order:\n%s", p.body)
	}

	helene := e.as("helene", w.ZoneTerm.ID)
	p := helene.get("/ui/judicial-orders")
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !strings.Contains(p.body, `href="/ui/judicial-orders/new"`) {
		t.Fatalf("the register does not offer the NSA to record an order:\n%s", p.body)
	}
	wantPage(t, helene.get("/ui/judicial-orders/new"), http.StatusOK, "UNCLASSIFIED", unclassified)
	today := e.now().UTC().Format(time.DateOnly)
	form := url.Values{"court": {"Tribunal d'arrondissement de Luxembourg"}, "reference": {"JI-2026-077"}, "issued": {today},
		"persons": {string(judge.ID)}, "pieces": {sec}, "from": {today}, "until": {e.now().AddDate(0, 1, 0).Format(time.DateOnly)}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("persons", "")
	if r := helene.post("/ui/judicial-orders", bad); r.status != http.StatusBadRequest {
		t.Fatalf("an order naming no one: %d\n%s", r.status, r.body)
	}
	r := helene.post("/ui/judicial-orders", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("record: %d\n%s", r.status, r.body)
	}
	order := strings.Split(r.header.Get("Location"), "?")[0]
	p = helene.get(order)
	wantPage(t, p, http.StatusOK, "UNCLASSIFIED", unclassified)
	if !strings.Contains(p.body, "JI-2026-077") || !strings.Contains(p.body, order+"/end") {
		t.Fatalf("the order's page for the NSA:\n%s", p.body)
	}

	// A9.5: the judge reads the piece by the order, and the page says so; no copy is offered.
	p = nadia.get("/ui/pieces/" + sec)
	wantPage(t, p, http.StatusOK, "SECRET", w.Secret.Marking())
	if !strings.Contains(p.body, `id="judicial-access"`) || !strings.Contains(p.body, "JI-2026-077") {
		t.Fatalf("the piece read by the order does not say so:\n%s", p.body)
	}
	if strings.Contains(p.body, `id="copies-link"`) {
		t.Errorf("a copy is offered to the judge:\n%s", p.body)
	}
	if p := nadia.get("/ui/pieces"); !strings.Contains(p.body, sec) || !regexp.MustCompile(`data-testid="judicial-access">[^<]*JI-2026-077<`).MatchString(p.body) {
		t.Errorf("the judge's list does not hold the piece, marked as read by the order:\n%s", p.body)
	}
	p = nadia.get(order)
	if p.status != http.StatusOK || strings.Contains(p.body, order+"/end") {
		t.Errorf("the judge's view of his order: %d, offers the end:\n%s", p.status, p.body)
	}
	// In English and in French.
	for lang, says := range map[string]string{"en": "You read this piece by the judicial order", "fr": "Vous consultez cette pièce au titre de l&#39;ordonnance judiciaire"} {
		nadia.lang = lang
		if p := nadia.get("/ui/pieces/" + sec); !strings.Contains(p.body, says) {
			t.Errorf("the page in %s does not say the piece is read by the order:\n%s", lang, p.body)
		}
	}

	wantPage(t, helene.get(order+"/end"), http.StatusOK, "UNCLASSIFIED", unclassified)
	if r := helene.post(order+"/end", url.Values{"reason": {"Ordonnance de mainlevée"}}); r.status != http.StatusSeeOther {
		t.Fatalf("end: %d\n%s", r.status, r.body)
	}
	if p := nadia.get("/ui/pieces/" + sec); p.status != http.StatusForbidden || !strings.Contains(p.body, `id="problem-rule">A9.5<`) {
		t.Errorf("after the end: %d\n%s", p.status, p.body)
	}
}
