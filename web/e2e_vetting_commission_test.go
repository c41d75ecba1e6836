//go:build e2e

package web_test

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/web"
)

// newCommissionE2E is newE2EEnv keeping the test environment, whose store sets what other parts of the procedure
// do (a case's stage, a TRES SECRET clearance), and the persons of a commission and a deciding authority with their
// web logins (the demo has none yet).
func newCommissionE2E(t *testing.T) (*e2eEnv, *testenv.Env) {
	t.Helper()
	e := &e2eEnv{t: t, logs: &e2eLog{}}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	te := testenv.New(t, testenv.Options{Log: log, Now: e.now})
	e.svc, e.auth, e.world = te.Reg, te.Auth, te.World
	srv := httptest.NewUnstartedServer(nil)
	e.base = fmt.Sprintf("http://localhost:%d", srv.Listener.Addr().(*net.TCPAddr).Port)
	srv.Config.Handler = web.New(web.Config{Registry: e.svc, Auth: e.auth, Vetting: te.Vet, Sharing: te.Share, Ready: te.Store.Ping, Log: log, DemoTerminals: true})
	srv.Start()
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", e.logs)
		}
	})
	return e, te
}

// e2ePerson registers a person of the NSA's choosing with a web login (demo password and TOTP secret), a TRES
// SECRET clearance if topSecret.
func e2ePerson(t *testing.T, te *testenv.Env, login, name string, roles []cleared.Role, topSecret bool) cleared.Person {
	t.Helper()
	w, ctx := te.World, t.Context()
	p, err := te.Reg.RegisterPerson(ctx, cleared.Actor{Person: w.Helene.ID}, registry.NewPerson{OrganisationID: w.NSA.ID, Name: name, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := te.Auth.AddAccount(ctx, auth.NewAccount{PersonID: p.ID, Login: login, Password: demo.Password(login),
		TOTPSecret: demo.TOTPSecret(login)}); err != nil {
		t.Fatal(err)
	}
	if topSecret {
		issued := time.Now().UTC().AddDate(-1, 0, 0)
		c := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: p.ID, Level: cleared.TopSecret,
			Issued: issued, Expires: policy.ClearanceExpiry(cleared.TopSecret, issued), Status: cleared.ClearanceActive,
			Reference: "ANS-E2E-" + login, RecordedBy: w.Helene.ID, Recorded: issued}
		if err := te.Store.Update(ctx, func(tx store.Tx) error { return tx.CreateClearance(c) }); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// TestBrowserCommission: helene (the NSA) records the commission's three seats from their designation acts and the
// president's election (A27.2, A27.3), and refers jo's reported case (A27.4; set to reported through the store, as
// the investigation's part does); the president finds it on his agenda, asks for the whole file and more
// information, records the hearing of jo with his observations, and gives the reasoned opinion (A27.2, A27.4);
// helene answers the request from her agenda; the deciding authority reads the opinion; jo's pages never show it
// (A27.4).
func TestBrowserCommission(t *testing.T) {
	e, te := newCommissionE2E(t)
	w := e.world
	members := []cleared.Person{
		e2ePerson(t, te, "mclaire", "Claire Hoffmann", nil, true),
		e2ePerson(t, te, "mbruno", "Bruno Meyer", nil, true),
		e2ePerson(t, te, "mnadia", "Nadia Schmit", nil, true),
	}
	e2ePerson(t, te, "mpremier", "Cabinet du Premier ministre", []cleared.Role{cleared.RoleDecider}, false)
	jo := w.JoCase.ID
	err := te.Store.Update(t.Context(), func(tx store.Tx) error {
		c, err := tx.VettingCase(jo)
		if err != nil {
			return err
		}
		c.Stage, c.Updated = cleared.StageReported, time.Now().UTC()
		return tx.UpdateVettingCase(c)
	})
	if err != nil {
		t.Fatal(err)
	}
	// A textarea starts empty: typed into as it is (chromedp cannot clear one).
	typeArea := func(b *e2eTab, id, text string) {
		b.fatal("type in #"+id, chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.ID(id), text, chromedp.NodeVisible)))
	}
	setDate := func(b *e2eTab, id, date string) {
		b.fatal("set #"+id, chromedp.Do(b.ctx, chromedp.SetValue(chromedp.ID(id), date)))
	}

	// A27.2: the NSA records the seats; A27.3: the president's election.
	nsa := e.newBrowser()
	nsa.signIn("helene", w.ZoneTerm.ID)
	until := time.Now().AddDate(3, 0, 0).Format(time.DateOnly)
	for i, d := range cleared.Designators {
		nsa.open("/ui/commission/members/new")
		nsa.typeIn("f-person", string(members[i].ID))
		nsa.choose("f-designator", d)
		setDate(nsa, "f-until", until)
		nsa.typeIn("f-reference", "Arrêté "+d+" 2026")
		nsa.click("submit")
		nsa.wantAt("/ui/commission")
	}
	if n := nsa.count("#register tbody tr"); n != 3 {
		t.Fatalf("A27.2: the register shows %d seats, want 3", n)
	}
	nsa.open("/ui/commission/president")
	seat := nsa.attr("f-seat", "id")
	if seat == "" {
		t.Fatal("the election form has no seat to choose")
	}
	opts, err := chromedp.Run(nsa.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#f-seat option")].map(o => o.value).filter(v => v)`))
	nsa.fatal("seats offered", err)
	if len(opts) != 3 {
		t.Fatalf("A27.3: the election offers %d members, want the 3 in office", len(opts))
	}
	nsa.choose("f-seat", opts[0])
	nsa.typeIn("f-minutes", "PV de la séance constitutive")
	nsa.click("submit")
	nsa.wantAt("/ui/commission")
	nsa.shot("commission-register.png")

	// A27.4: the NSA refers the reported case.
	nsa.click("refer-" + string(jo))
	nsa.wantAt("/ui/commission")
	if n := nsa.count("#refer-" + string(jo)); n != 0 {
		t.Error("A27.4: the referred case is still offered to refer")
	}

	// The president (the member of the first seat offered) works on it from his agenda.
	login := map[cleared.PersonID]string{members[0].ID: "mclaire", members[1].ID: "mbruno", members[2].ID: "mnadia"}
	var president string
	reg, err := te.Vet.CommissionRegister(t.Context(), cleared.Actor{Person: w.Helene.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range reg {
		if string(m.ID) == opts[0] {
			president = login[m.Person]
		}
	}
	pb := e.newBrowser()
	pb.signIn(president, w.ZoneTerm.ID)
	pb.click("agenda-commission-case-" + string(jo))
	workspace := "/ui/vetting-cases/" + string(jo) + "/commission"
	pb.wantAt(workspace)
	pb.click("ask-file")
	pb.wantAt(workspace)
	if got := pb.text("whole-file"); got == "" || strings.EqualFold(got, "no") {
		t.Errorf("A27.4: the workspace reads %q for the whole file asked for", got)
	}
	pb.open(workspace + "/requests/new")
	typeArea(pb, "f-question", "Quelles activités accessoires la personne exerce-t-elle ?")
	pb.click("submit")
	pb.wantAt(workspace)
	pb.open(workspace + "/hearings/new")
	pb.choose("f-heard", "person")
	setDate(pb, "f-held", time.Now().Format(time.DateOnly))
	typeArea(pb, "f-summary", "Entendu sur ses activités accessoires.")
	typeArea(pb, "f-observations", "Je n'exerce aucune activité accessoire.")
	pb.click("submit")
	pb.wantAt(workspace)
	if text := pb.pageText(); !strings.Contains(text, "Je n'exerce aucune activité accessoire.") {
		t.Error("A27.4: the workspace does not show the person's observations")
	}

	// The NSA answers the request from its agenda.
	nsa.open("/ui/")
	nsa.click("agenda-commission-request-" + string(jo))
	nsa.wantAt(workspace + "/requests")
	rs, err := te.Vet.Requests(t.Context(), cleared.Actor{Person: w.Helene.ID}, jo)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range rs {
		if q.Kind == cleared.RequestInformation {
			nsa.click("answer-" + string(q.ID))
		}
	}
	typeArea(nsa, "f-answer", "Aucune activité accessoire déclarée ni relevée.")
	nsa.click("submit")
	nsa.wantAt(workspace + "/requests")

	// A27.2: the president gives the reasoned opinion, for the three members.
	const reasons = "Éléments de vulnérabilité non déclarés (motif de la commission 5520)."
	pb.open(workspace + "/opinion/new")
	pb.choose("f-advice", "refuse")
	typeArea(pb, "f-reasons", reasons)
	tick := func(id string) { // a checkbox leads to no page: clicked, not followed
		pb.fatal("tick #"+id, chromedp.Do(pb.ctx, chromedp.Click(chromedp.ID(id), chromedp.NodeVisible)))
	}
	for _, m := range members {
		tick("f-members-" + string(m.ID))
	}
	tick("f-as_president")
	pb.click("submit")
	pb.wantAt(workspace)
	if text := pb.pageText(); !strings.Contains(text, reasons) || !strings.Contains(text, "Aucune activité accessoire") {
		t.Error("A27.4: the workspace shows neither the opinion nor the NSA's answer")
	}
	pb.shot("commission-workspace.png")

	// The deciding authority reads it from its agenda.
	dm := e.newBrowser()
	dm.signIn("mpremier", w.ZoneTerm.ID)
	dm.click("agenda-commission-opinion-" + string(jo))
	dm.wantAt(workspace + "/opinion")
	if !strings.Contains(dm.pageText(), reasons) {
		t.Error("A27.2: the deciding authority does not read the opinion")
	}

	// A27.4: jo's pages never show it.
	jb := e.newBrowser()
	jb.signIn("jo", w.ZoneTerm.ID)
	for _, page := range []string{"/ui/", "/ui/vetting-cases", "/ui/vetting-cases/" + string(jo), workspace, workspace + "/opinion",
		workspace + "/requests"} {
		jb.open(page)
		if strings.Contains(jb.pageText(), "5520") {
			t.Errorf("A27.4: %s shows the commission's opinion to the person", page)
		}
	}
	if status := jb.open(workspace + "/opinion"); status != http.StatusNotFound {
		t.Errorf("A27.4: the opinion's page answers the person %d, want 404", status)
	}
}
