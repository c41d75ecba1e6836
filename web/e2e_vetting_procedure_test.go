//go:build e2e

package web_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// TestBrowserVettingProcedure walks one case through the whole of Chapter 4 in the web UI, each role in turn, as
// the README's tour shows it: Anne, the SRE's security officer, opens a case for Paula on the SECRET analyst post
// (A25.1, A16.1); Paula fills in, signs and consents (A25.1, A25.2); Hélène (the NSA) investigates within the law's
// categories and files the report (A21.1, A15.2) and refers the case to the commission (A27.4); Claire, its
// president, gives the reasoned opinion (A27.2); the deciding authority grants (A27.1); Anne notifies it and
// briefs Paula, who signs the declaration that makes her clearance active (A18.1). Nine and a half years on, the
// renewal is on Anne's agenda and she opens the renewal case (A17.1); Paula refuses to cooperate (A26.1); six
// months and a day later the daily purge erases that case's data (A23.2), which no page shows any more.
func TestBrowserVettingProcedure(t *testing.T) {
	e := newE2EEnv(t)
	w, te := e.world, e.te
	ctx := t.Context()
	nsa := cleared.Actor{Person: w.Helene.ID}
	paula, err := te.Reg.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: w.SRE.ID, Name: "Paula Simon",
		Email: "paula.simon@sre.example.lu"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.auth.AddAccount(ctx, auth.NewAccount{PersonID: paula.ID, Login: "paula", Password: demo.Password("paula"),
		TOTPSecret: demo.TOTPSecret("paula")}); err != nil {
		t.Fatal(err)
	}
	// The commission's seats are recorded from the designation acts (A27.2) and Claire elected president (A27.3);
	// the commission's own test walks that in the UI.
	var claireSeat cleared.CommissionSeatID
	for _, s := range []struct {
		p cleared.Person
		d string
	}{{w.Claire, cleared.DesignatorPrimeMinister}, {w.Bruno, cleared.DesignatorForeignAffairs}, {w.Nadia, cleared.DesignatorJustice}} {
		m, err := te.Vet.RecordSeat(ctx, nsa, vetting.NewSeat{Person: s.p.ID, Designator: s.d, From: e.now().AddDate(0, -1, 0),
			Until: e.now().AddDate(3, 0, 0), Reference: "Arrêté " + s.d})
		if err != nil {
			t.Fatal(err)
		}
		if s.p.ID == w.Claire.ID {
			claireSeat = m.ID
		}
	}
	if _, err := te.Vet.ElectPresident(ctx, nsa, vetting.Election{Seat: claireSeat, Minutes: "PV de la séance constitutive"}); err != nil {
		t.Fatal(err)
	}
	write := func(b *e2eTab, id, text string) { // into an empty textarea
		b.t.Helper()
		b.fatal("write in #"+id, chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.ID(id), text, chromedp.NodeVisible)))
	}
	setValue := func(b *e2eTab, id, v string) {
		b.t.Helper()
		b.fatal("set #"+id, chromedp.Do(b.ctx, chromedp.SetValue(chromedp.ID(id), v)))
	}
	tick := func(b *e2eTab, id string) {
		b.t.Helper()
		b.fatal("tick #"+id, chromedp.Do(b.ctx, chromedp.Click(chromedp.ID(id), chromedp.NodeVisible)))
	}
	later := func(d time.Duration) {
		e.mu.Lock()
		e.offset += d
		e.mu.Unlock()
	}

	// 1. Intake (A25.1): Anne opens the case for the post; its level is the post's (A16.1).
	anne := e.newBrowser()
	anne.signIn("anne", w.ZoneTerm.ID)
	anne.open("/ui/vetting-cases/new")
	anne.typeIn("f-person_id", string(paula.ID))
	anne.typeIn("f-post", string(w.AnalystPost.ID))
	anne.click("submit")
	casePage := strings.SplitN(anne.location(), "?", 2)[0]
	id := cleared.VettingCaseID(strings.TrimPrefix(casePage, "/ui/vetting-cases/"))
	if id.Validate() != nil {
		t.Fatalf("A25.1: the case was not opened: the browser shows %s", anne.location())
	}

	// 2. Paula fills in her questionnaire, signs it and consents (A25.1, A25.2).
	p := e.newBrowser()
	p.signIn("paula", w.ZoneTerm.ID)
	p.open(casePage)
	p.click("fill-civil_status")
	p.typeIn("f-surname", "Simon")
	p.typeIn("f-given_names", "Paula")
	setValue(p, "f-born", "1988-02-11")
	p.typeIn("f-birthplace", "Esch-sur-Alzette")
	p.typeIn("f-nationalities", "LU")
	p.choose("f-marital_status", "single")
	p.click("submit")
	p.wantAt(casePage)
	p.click("fill-professional")
	p.typeIn("f-employer_1", "Service de Renseignement de l'État")
	p.typeIn("f-function_1", "analyste")
	setValue(p, "f-from_1", "2014-09-01")
	p.click("submit")
	p.wantAt(casePage)
	for _, sec := range []string{"solvency", "reliability", "vulnerability"} {
		p.click("fill-" + sec)
		p.click("submit")
		p.wantAt(casePage)
	}
	p.click("sign")
	p.wantAt(casePage)
	p.click("consent")
	p.wantAt(casePage)
	p.shot("procedure-1-questionnaire.png")

	// 3. The NSA investigates within the law's categories and files the report (A21.1, A15.2).
	h := e.newBrowser()
	h.signIn("helene", w.ZoneTerm.ID)
	inv := casePage + "/investigation"
	h.open(inv)
	h.click("submit")
	h.wantAt(inv)
	day := e.now().AddDate(0, 0, -1).Format(time.DateOnly)
	for _, it := range []struct{ category, period, from, finding, source string }{
		{category: "civil_status", finding: "Identité confirmée au registre national", source: "RNPP"},
		{category: "reliability_reputation", finding: "Casier judiciaire vierge", source: "Parquet général"},
		{category: "solvency", finding: "Aucune dette ni saisie", source: "Banque"},
		{category: "social_professional", period: "now", from: "2014-09-01", finding: "Analyste au SRE", source: "SRE"},
		{category: "social_professional", period: "past", from: "2010-09-01", finding: "Études à Strasbourg", source: "Université"},
	} {
		h.open(inv + "/items")
		h.choose("f-category", it.category)
		if it.period != "" {
			h.choose("f-period", it.period)
			setValue(h, "f-from", it.from)
			if it.period == "past" {
				setValue(h, "f-until", "2014-06-30")
			}
		}
		write(h, "f-finding", it.finding)
		h.typeIn("f-source", it.source)
		setValue(h, "f-collected", day)
		h.click("submit")
		h.wantAt(inv)
	}
	h.open(inv + "/report")
	write(h, "f-conclusion", "Aucun élément ne s'oppose à l'habilitation SECRET.")
	h.click("submit")
	h.wantAt(inv)
	h.shot("procedure-2-investigation.png")

	// 4. The NSA refers the case to the commission, whose president gives the reasoned opinion (A27.4, A27.2).
	h.open("/ui/commission")
	h.click("refer-" + string(id))
	h.wantAt("/ui/commission")
	c := e.newBrowser()
	c.signIn("claire", w.ZoneTerm.ID)
	workspace := casePage + "/commission"
	c.click("agenda-commission-case-" + string(id))
	c.wantAt(workspace)
	if got := c.text("report"); !strings.Contains(got, "Aucun élément ne s'oppose") {
		t.Errorf("A27.4: the commission reads the report as %q", got)
	}
	c.open(workspace + "/opinion/new")
	c.choose("f-advice", "grant")
	write(c, "f-reasons", "Les garanties de discrétion, de loyauté et d'intégrité sont établies.")
	for _, m := range []cleared.Person{w.Claire, w.Bruno, w.Nadia} {
		tick(c, "f-members-"+string(m.ID))
	}
	tick(c, "f-as_president")
	c.click("submit")
	c.wantAt(workspace)
	if text := c.pageText(); !strings.Contains(text, "Paula Simon") || !strings.Contains(text, "Bruno Kayser") {
		t.Error("A27.4: the workspace does not name the person and the members")
	}
	c.shot("procedure-3-commission.png")

	// 5. The deciding authority grants, with reasons, signed (A27.1).
	pm := e.newBrowser()
	pm.signIn("premier", w.ZoneTerm.ID)
	pm.open("/ui/vetting-decisions")
	pm.click("decide-" + string(id))
	pm.choose("f-outcome", "grant")
	write(pm, "f-reasons", "L'enquête de sécurité et l'avis de la commission sont favorables.")
	pm.click("submit")
	decision := casePage + "/decision"
	pm.wantAt(decision)
	if got := pm.text("decision-outcome"); !strings.Contains(got, "granted") {
		t.Fatalf("A27.1: the outcome reads %q", got)
	}
	if !strings.Contains(pm.pageText(), "Paula Simon") {
		t.Error("A27.1: the decision does not name the person")
	}
	pm.shot("procedure-4-decision.png")

	// 6. Anne notifies it (A27.1); Paula reads it with the appeal route (A29.1), never the opinion (A27.4).
	anne.open("/ui/vetting-decisions/to-notify")
	anne.click("notify-" + string(id))
	anne.click("submit")
	anne.wantAt(decision)
	p.open(decision)
	if got := p.text("decision-appeal"); !strings.Contains(got, "tribunal administratif") {
		t.Errorf("A29.1: Paula reads the appeal route %q", got)
	}
	if strings.Contains(p.pageText(), "loyauté et d'intégrité sont établies") {
		t.Error("A27.4: the person reads the commission's opinion")
	}

	// 7. Briefing (A18.1): the clearance granted is pending until Paula signs the declaration Anne's briefing asks.
	var granted cleared.Clearance
	if err := te.Store.View(ctx, func(tx store.Tx) error {
		cs, err := tx.PersonClearances(paula.ID)
		for _, x := range cs {
			if x.Source == cleared.SourceVetting {
				granted = x
			}
		}
		return err
	}); err != nil || granted.Status != cleared.ClearancePending {
		t.Fatalf("A18.1: the granted clearance is %+v (%v)", granted, err)
	}
	briefings := "/ui/clearances/" + string(granted.ID) + "/briefings"
	anne.open(briefings + "/new")
	anne.typeIn("f-briefed_by", "Anne Muller")
	anne.typeIn("f-instructions", "Instructions de sécurité du SRE, v5")
	anne.click("submit")
	anne.wantAt(briefings)
	p.open(briefings)
	p.click("sign-declaration")
	p.wantAt(briefings)
	if got := p.text("clearance-status"); !strings.Contains(got, "activ") {
		t.Fatalf("A18.1: after the declaration the clearance reads %q", got)
	}
	p.shot("procedure-5-declaration.png")

	// 8. Renewal (A17.1): nine and a half years on, Anne's agenda reminds her; she opens the renewal case.
	later(time.Duration(9*365+182) * 24 * time.Hour)
	anne2 := e.newBrowser()
	anne2.signIn("anne", w.ZoneTerm.ID)
	if anne2.count("#agenda-renewal-"+string(granted.ID)) != 1 {
		t.Fatal("A17.1: the renewal is not on the security officer's agenda")
	}
	anne2.shot("procedure-6-renewal.png")
	anne2.click("agenda-renewal-" + string(granted.ID))
	anne2.wantAt("/ui/vetting-cases/new")
	if got := anne2.attr("f-person_id", "value"); got != string(paula.ID) {
		t.Fatalf("A17.1: the renewal form names %q", got)
	}
	anne2.typeIn("f-post", string(w.AnalystPost.ID)) // the post she holds now, which may not be the first case's
	anne2.click("submit")
	renewal := cleared.VettingCaseID(strings.TrimPrefix(strings.SplitN(anne2.location(), "?", 2)[0], "/ui/vetting-cases/"))
	if renewal.Validate() != nil || renewal == id {
		t.Fatalf("A17.1: the renewal case was not opened: the browser shows %s", anne2.location())
	}

	// 9. Paula refuses to cooperate (A26.1); six months and a day later the daily purge erases the renewal case's
	// data (A23.2): the NSA's retention page lists it purged, and its page shows no answer any more.
	p2 := e.newBrowser()
	p2.signIn("paula", w.ZoneTerm.ID)
	renewalPage := "/ui/vetting-cases/" + string(renewal)
	p2.open(renewalPage)
	p2.click("fill-civil_status")
	p2.typeIn("f-birthplace", "Esch-sur-Alzette (renouvellement)")
	p2.click("submit")
	p2.wantAt(renewalPage)
	p2.click("refuse")
	p2.wantAt(renewalPage)
	later(184 * 24 * time.Hour)
	rep, err := te.Vet.Purge(ctx, false)
	if err != nil || !slices.ContainsFunc(rep.Cases, func(c vetting.RetentionCase) bool { return c.ID == renewal }) {
		t.Fatalf("A23.2: purge %+v, %v", rep, err)
	}
	// Ten years on, Hélène's own TRES SECRET clearance has long been renewed (its renewal is not this test's).
	issued := e.now().AddDate(0, -1, 0).UTC().Truncate(time.Microsecond)
	renewed := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.Helene.ID,
		Level: cleared.TopSecret, Issued: issued, Expires: policy.ClearanceExpiry(cleared.TopSecret, issued),
		Status: cleared.ClearanceActive, Source: cleared.SourcePaperRegister, Reference: "ANS-PSC-RENEWED",
		RecordedBy: w.Helene.ID, Recorded: issued}
	if err := te.Store.Update(ctx, func(tx store.Tx) error { return tx.CreateClearance(renewed) }); err != nil {
		t.Fatal(err)
	}
	h2 := e.newBrowser()
	h2.signIn("helene", w.ZoneTerm.ID)
	h2.open("/ui/vetting-retention")
	if got := h2.text("purged"); !strings.Contains(got, string(renewal)) {
		t.Fatalf("A23.2: the purged cases read %q", got)
	}
	h2.shot("procedure-7-purge.png")
	p3 := e.newBrowser()
	p3.signIn("paula", w.ZoneTerm.ID)
	p3.open(renewalPage + "/questionnaire/civil_status")
	if got := p3.attr("f-birthplace", "value"); strings.Contains(got, "renouvellement") {
		t.Errorf("A23.2: the purged case still shows the answer %q", got)
	}
}
