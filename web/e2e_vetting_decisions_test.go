//go:build e2e

package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// TestBrowserVettingDecision: jo's case (demo) has its investigation report filed (set through the store: the
// investigation is its own test's); the deciding authority (the demo's premier) finds it among the cases waiting, grants the clearance with reasons (A27.1, A15.2);
// anne, jo's security officer, finds the decision on her agenda and records its notification (A27.1); jo then
// reads his decision with its reasons and the appeal route (A29.1).
func TestBrowserVettingDecision(t *testing.T) {
	e := newE2EEnv(t)
	w, te := e.world, e.te
	c := w.JoCase
	c.Stage, c.Updated = cleared.StageReported, e.now().UTC().Truncate(time.Microsecond)
	if err := te.Store.Update(te.Ctx, func(tx store.Tx) error { return tx.UpdateVettingCase(c) }); err != nil {
		t.Fatal(err)
	}
	decision := "/ui/vetting-cases/" + string(c.ID) + "/decision"

	premier := e.newBrowser()
	premier.signIn("premier", w.ZoneTerm.ID)
	if premier.count("#agenda-vetting-decide-"+string(c.ID)) != 1 {
		t.Error("A27.1: the case is not on the deciding authority's agenda")
	}
	premier.open("/ui/vetting-decisions")
	premier.shot("vetting-decisions-pending.png")
	premier.click("decide-" + string(c.ID))
	premier.choose("f-outcome", "grant")
	// A textarea starts empty: typed into as it is (chromedp cannot clear one).
	premier.fatal("type in f-reasons", chromedp.Do(premier.ctx, chromedp.SendKeys(chromedp.ID("f-reasons"),
		"L'enquête de sécurité n'a relevé aucun élément défavorable.", chromedp.NodeVisible)))
	premier.click("submit")
	premier.wantAt(decision)
	if got := premier.text("decision-outcome"); !strings.Contains(got, "granted") {
		t.Fatalf("A27.1: the outcome reads %q", got)
	}
	if got := premier.text("decision-signature"); !strings.Contains(got, "valid") || strings.Contains(got, "not") {
		t.Errorf("A27.1: the signature reads %q", got)
	}
	premier.shot("vetting-decision-decider.png")

	anne := e.newBrowser()
	anne.signIn("anne", w.ZoneTerm.ID)
	anne.click("agenda-vetting-decision-" + string(c.ID))
	anne.wantAt(decision)
	if text := anne.pageText(); strings.Contains(text, "aucun élément défavorable") {
		t.Error("A27.1: the security officer reads the reasons")
	}
	anne.open("/ui/vetting-decisions/to-notify")
	anne.click("notify-" + string(c.ID))
	anne.click("submit")
	anne.wantAt(decision)
	if got := anne.text("decision-notified"); strings.Contains(got, "not yet") {
		t.Fatalf("A27.1: the notification reads %q", got)
	}
	anne.shot("vetting-decision-officer.png")

	jo := e.newBrowser()
	jo.signIn("jo", w.ZoneTerm.ID)
	jo.open(decision)
	if got := jo.text("decision-reasons"); !strings.Contains(got, "aucun élément défavorable") {
		t.Errorf("A27.1: jo reads the reasons %q", got)
	}
	if got := jo.text("decision-appeal"); !strings.Contains(got, "tribunal administratif") {
		t.Errorf("A29.1: jo reads the appeal route %q", got)
	}
	jo.shot("vetting-decision-person.png")

	// A27.1: the NSA suspends the clearance granted, from its page.
	var granted cleared.ClearanceID
	if err := te.Store.View(te.Ctx, func(tx store.Tx) error {
		cs, err := tx.PersonClearances(w.Jo.ID)
		for _, c := range cs {
			if c.Source == cleared.SourceVetting {
				granted = c.ID
			}
		}
		return err
	}); err != nil || granted == "" {
		t.Fatalf("jo's granted clearance: %v", err)
	}
	helene := e.newBrowser()
	helene.signIn("helene", w.ZoneTerm.ID)
	helene.open("/ui/clearances/" + string(granted) + "/suspension")
	helene.fatal("type in f-reasons", chromedp.Do(helene.ctx, chromedp.SendKeys(chromedp.ID("f-reasons"),
		"Enquête de suivi ouverte.", chromedp.NodeVisible)))
	helene.click("submit")
	helene.wantAt("/ui/clearances/" + string(granted))
	if text := helene.pageText(); !strings.Contains(text, "suspended") {
		t.Errorf("A27.1: the clearance page after the suspension reads %q", text)
	}
	helene.shot("clearance-suspended.png")
}
