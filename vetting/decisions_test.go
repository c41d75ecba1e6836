package vetting_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// deciding is an intake (eva of the SRE, a SECRET post) with a deciding authority, created here (the demo's
// premier comes with the lead's merge), and a commission member.
type deciding struct {
	intake
	pm     cleared.Actor
	member cleared.Person
}

func newDeciding(t *testing.T, e *env) deciding {
	w := e.World
	post := must(e.Vet.RecordPost(e.Ctx, e.anne, vetting.NewPost{OrganisationID: w.SRE.ID, Title: "Analyste", Level: cleared.Secret}))
	p := e.person(t, w.SRE.ID, "Eva Lenz")
	pm := must(e.Reg.RegisterPerson(e.Ctx, e.nsa, registry.NewPerson{OrganisationID: w.SRE.ID, Name: "Premier Ministre",
		GovernmentMember: true, Roles: []cleared.Role{cleared.RoleDecider}}))
	member := e.person(t, w.SRE.ID, "Claire Commission")
	return deciding{intake: intake{env: e, post: post, eva: p, actor: cleared.Actor{Person: p.ID}},
		pm: cleared.Actor{Person: pm.ID}, member: member}
}

// reported opens a case of kind for eva and moves it, through the store, to stage (the investigation is helper
// inv's, the commission helper com's).
func (d deciding) reported(t *testing.T, kind cleared.CaseKind, stage cleared.CaseStage) cleared.VettingCase {
	t.Helper()
	in := vetting.NewCase{PersonID: d.eva.ID, Post: d.post.ID, Kind: kind}
	if kind == cleared.KindFollowUp {
		in.Trigger = "dettes signalées"
	}
	c := must(d.Vet.OpenCase(d.Ctx, d.anne, in))
	c.Stage, c.Updated = stage, d.Clock.Now().UTC().Truncate(time.Microsecond)
	if err := d.Store.Update(d.Ctx, func(tx store.Tx) error { return tx.UpdateVettingCase(c) }); err != nil {
		t.Fatal(err)
	}
	return c
}

// opinion records the commission's opinion on case c, its reasons sealed under the case's key.
func (d deciding) opinion(t *testing.T, c cleared.VettingCaseID, advice cleared.Advice) {
	t.Helper()
	err := d.Store.Update(d.Ctx, func(tx store.Tx) error {
		k, err := tx.VettingCaseKey(c)
		if err != nil {
			return err
		}
		sealed, err := d.Ring.SealRecord(string(c), keyring.DataKey{KEK: k.KEK, Wrapped: k.Wrapped}, "opinion", []byte("avis motivé de la commission"))
		if err != nil {
			return err
		}
		return tx.AddOpinion(store.Opinion{Case: c, Advice: advice, Members: []cleared.PersonID{d.member.ID}, By: d.member.ID,
			Given: d.Clock.Now().UTC().Truncate(time.Microsecond), Reasons: sealed})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hold gives eva a SECRET clearance from the paper register, issued a year ago.
func (d deciding) hold(t *testing.T) cleared.Clearance {
	t.Helper()
	return must(d.Reg.RecordClearance(d.Ctx, d.nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: d.eva.ID,
		Level: cleared.Secret, Issued: d.Clock.Now().AddDate(-1, 0, 0), Reference: "ANS-PSC-EVA"}))
}

func (d deciding) clearances(t *testing.T) []cleared.Clearance {
	t.Helper()
	var cs []cleared.Clearance
	if err := d.Store.View(d.Ctx, func(tx store.Tx) (err error) { cs, err = tx.PersonClearances(d.eva.ID); return err }); err != nil {
		t.Fatal(err)
	}
	return cs
}

const reasons = "L'enquête n'a relevé aucun élément défavorable."

func TestDecide_grant(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		d := newDeciding(t, e)
		c := d.reported(t, cleared.KindInitial, cleared.StageReported)
		t.Run("A27.1 a decision without reasons is malformed, nothing stored", func(t *testing.T) {
			_, err := d.Vet.Decide(d.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeGrant, Reasons: "  "})
			wantKind(t, err, cleared.ErrInvalid)
		})
		t.Run("A27.1 a security officer who sees the case is refused", func(t *testing.T) {
			_, err := d.Vet.Decide(d.Ctx, d.anne, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeGrant, Reasons: reasons})
			testenv.WantRule(t, err, "A27.1")
		})
		t.Run("A27.1 another organisation's officer does not know the case", func(t *testing.T) {
			_, err := d.Vet.Decide(d.Ctx, d.luc, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeGrant, Reasons: reasons})
			wantKind(t, err, cleared.ErrNotFound)
		})
		t.Run("A16.1 a grant above the case's level is refused", func(t *testing.T) {
			_, err := d.Vet.Decide(d.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeGrant, Level: cleared.TopSecret, Reasons: reasons})
			testenv.WantRule(t, err, "A16.1")
		})
		t.Run("A27.1 the case waits on the deciding authority's agenda, no one else's", func(t *testing.T) {
			if !onAgenda(t, d.env, d.pm, policy.AgendaVettingDecide, c.ID) || onAgenda(t, d.env, d.nsa, policy.AgendaVettingDecide, c.ID) {
				t.Error("the case to decide is not on the deciding authority's agenda alone")
			}
		})
		var v vetting.DecisionView
		t.Run("A27.1 the deciding authority grants at the case's level, signed; the clearance waits for the briefing", func(t *testing.T) {
			v = must(d.Vet.Decide(d.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeGrant, Reasons: reasons}))
			if v.Stage != cleared.StageGranted || v.Level != cleared.Secret || len(v.Clearances) != 1 || !v.Valid ||
				!strings.Contains(v.AppealRoute, "art. 29") || v.Certificate == "" {
				t.Fatalf("decision %+v", v)
			}
			cs := d.clearances(t)
			if len(cs) != 1 || cs[0].ID != v.Clearances[0] || cs[0].Status != cleared.ClearancePending || cs[0].Source != cleared.SourceVetting ||
				!cs[0].Expires.Equal(policy.ClearanceExpiry(cleared.Secret, cs[0].Issued)) {
				t.Fatalf("A17.1, A18.1: clearances %+v", cs)
			}
			if policy.ClearanceValid(cs[0], d.Clock.Now()).Allowed {
				t.Error("A18.1: the granted clearance grants before the briefing")
			}
		})
		t.Run("A27.1 the case decided leaves the agenda", func(t *testing.T) {
			if onAgenda(t, d.env, d.pm, policy.AgendaVettingDecide, c.ID) {
				t.Error("the decided case stays on the deciding authority's agenda")
			}
		})
		t.Run("A27.1 the case is decided once", func(t *testing.T) {
			_, err := d.Vet.Decide(d.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeGrant, Reasons: reasons})
			wantKind(t, err, cleared.ErrConflict)
		})
		t.Run("A27.1 the deciding authority reads it, its signature verifies", func(t *testing.T) {
			got := must(d.Vet.Decision(d.Ctx, d.pm, c.ID))
			if !got.Valid || got.Reasons != reasons || got.Digest != v.Digest || len(got.CMS) == 0 {
				t.Fatalf("decision %+v", got)
			}
		})
		t.Run("A29.1 a grant is not appealed", func(t *testing.T) {
			_, err := d.Vet.LodgeAppeal(d.Ctx, d.nsa, c.ID, vetting.NewAppeal{Lodged: d.Clock.Now(), Court: "Tribunal administratif", Reference: "TA 1"})
			testenv.WantRule(t, err, "A29.1")
		})
	})
}

func TestDecide_A15_2_A27_2_before_the_report_and_without_the_opinion(t *testing.T) {
	e := newEnv(t)
	d := newDeciding(t, e)
	for _, stage := range []cleared.CaseStage{cleared.StageOpened, cleared.StageSigned, cleared.StageInvestigation} {
		t.Run("A15.2 no grant at stage "+string(stage), func(t *testing.T) {
			c := d.reported(t, cleared.KindInitial, stage)
			defer closeCase(t, d, c)
			_, err := d.Vet.Decide(d.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeGrant, Reasons: reasons})
			testenv.WantRule(t, err, "A15.2")
		})
	}
	c := d.reported(t, cleared.KindInitial, cleared.StageReported)
	t.Run("A27.2 no refusal without the commission's opinion", func(t *testing.T) {
		_, err := d.Vet.Decide(d.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeRefuse, Reasons: reasons})
		testenv.WantRule(t, err, "A27.2")
		if got := must(d.Vet.Case(d.Ctx, d.anne, c.ID)); got.Stage != cleared.StageReported {
			t.Errorf("the refused decision changed the stage to %s", got.Stage)
		}
	})
	t.Run("A27.2 the refusal on the commission's opinion; the person does not see it before the notification", func(t *testing.T) {
		d.opinion(t, c.ID, cleared.AdviceRefuse)
		v := must(d.Vet.Decide(d.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeRefuse, Reasons: "Vulnérabilité aux pressions."}))
		if v.Stage != cleared.StageRefused || len(v.Clearances) != 0 {
			t.Fatalf("decision %+v", v)
		}
		_, err := d.Vet.Decision(d.Ctx, d.actor, c.ID)
		wantKind(t, err, cleared.ErrNotFound)
		if got := must(d.Vet.Case(d.Ctx, d.actor, c.ID)); got.Stage != cleared.StageCommission || !got.Closed.IsZero() {
			t.Errorf("A27.1: before the notification the person's case reads %s, closed %v", got.Stage, got.Closed)
		}
		if got := must(d.Vet.Case(d.Ctx, d.anne, c.ID)); got.Stage != cleared.StageRefused {
			t.Errorf("A27.1: the security officer reads the stage %s", got.Stage)
		}
		if got := must(d.Vet.Decision(d.Ctx, d.pm, c.ID)); got.Opinion == nil || got.Opinion.Advice != cleared.AdviceRefuse {
			t.Errorf("A27.2: the deciding authority reads no opinion: %+v", got.Opinion)
		}
	})
	t.Run("A27.1 notification: another organisation's officer does not know it, the NSA is refused, a date before the decision is malformed", func(t *testing.T) {
		_, err := d.Vet.Notify(d.Ctx, d.luc, c.ID, vetting.Notification{})
		wantKind(t, err, cleared.ErrNotFound)
		_, err = d.Vet.Notify(d.Ctx, d.nsa, c.ID, vetting.Notification{})
		testenv.WantRule(t, err, "A27.1")
		_, err = d.Vet.Notify(d.Ctx, d.pm, c.ID, vetting.Notification{})
		testenv.WantRule(t, err, "A27.1")
		_, err = d.Vet.Notify(d.Ctx, d.anne, c.ID, vetting.Notification{Notified: d.Clock.Now().Add(-time.Hour)})
		wantKind(t, err, cleared.ErrInvalid)
		_, err = d.Vet.Notify(d.Ctx, d.anne, c.ID, vetting.Notification{Notified: d.Clock.Now().Add(time.Hour)})
		wantKind(t, err, cleared.ErrInvalid)
	})
	t.Run("A27.1 the decision is on the officer's agenda until he notifies it, with its date", func(t *testing.T) {
		if !onAgenda(t, d.env, d.anne, policy.AgendaVettingDecision, c.ID) {
			t.Fatal("the decision to notify is not on anne's agenda")
		}
		officer := must(d.Vet.Decision(d.Ctx, d.anne, c.ID))
		if officer.Reasons != "" || officer.Opinion != nil {
			t.Errorf("the security officer reads the reasons or the opinion: %+v", officer)
		}
		at := d.Clock.Now().UTC().Truncate(time.Microsecond)
		v := must(d.Vet.Notify(d.Ctx, d.anne, c.ID, vetting.Notification{Notified: at}))
		if !v.Notified.Equal(at) || v.NotifiedBy != d.anne.Person {
			t.Errorf("notified %v by %s", v.Notified, v.NotifiedBy)
		}
		if onAgenda(t, d.env, d.anne, policy.AgendaVettingDecision, c.ID) {
			t.Error("the notified decision stays on anne's agenda")
		}
		_, err := d.Vet.Notify(d.Ctx, d.anne, c.ID, vetting.Notification{})
		wantKind(t, err, cleared.ErrConflict)
	})
	t.Run("A27.4 A29.1 the person reads his decision with its reasons and the appeal route, never the opinion", func(t *testing.T) {
		v := must(d.Vet.Decision(d.Ctx, d.actor, c.ID))
		if v.Reasons != "Vulnérabilité aux pressions." || v.Opinion != nil || !strings.Contains(v.AppealRoute, "tribunal administratif") || !v.Valid {
			t.Errorf("the person's decision %+v", v)
		}
		for _, got := range must(d.Vet.Cases(d.Ctx, d.actor, vetting.CaseFilter{})) {
			if got.ID == c.ID && got.Stage != cleared.StageRefused {
				t.Errorf("A27.1: once notified the person's case reads %s", got.Stage)
			}
		}
	})
	t.Run("A29.1 the NSA records an appeal and its outcome, once; dates in order", func(t *testing.T) {
		now := d.Clock.Now()
		_, err := d.Vet.LodgeAppeal(d.Ctx, d.anne, c.ID, vetting.NewAppeal{Lodged: now, Court: "Tribunal administratif", Reference: "TA 1"})
		testenv.WantRule(t, err, "A29.1")
		_, err = d.Vet.LodgeAppeal(d.Ctx, d.nsa, c.ID, vetting.NewAppeal{Lodged: now.Add(-time.Hour), Court: "Tribunal administratif", Reference: "TA 1"})
		wantKind(t, err, cleared.ErrInvalid)
		ap := must(d.Vet.LodgeAppeal(d.Ctx, d.nsa, c.ID, vetting.NewAppeal{Lodged: now, Court: "Tribunal administratif", Reference: "TA 48211"}))
		_, err = d.Vet.RuleAppeal(d.Ctx, d.nsa, c.ID, ap.Number, vetting.AppealRuling{Outcome: cleared.AppealUpheld, Ruled: now.Add(-time.Hour)})
		wantKind(t, err, cleared.ErrInvalid)
		must(d.Vet.RuleAppeal(d.Ctx, d.nsa, c.ID, ap.Number, vetting.AppealRuling{Outcome: cleared.AppealUpheld, Ruled: now}))
		_, err = d.Vet.RuleAppeal(d.Ctx, d.nsa, c.ID, ap.Number, vetting.AppealRuling{Outcome: cleared.AppealAnnulled, Ruled: now})
		wantKind(t, err, cleared.ErrConflict)
		v := must(d.Vet.Decision(d.Ctx, d.actor, c.ID))
		if len(v.Appeals) != 1 || v.Appeals[0].Outcome != cleared.AppealUpheld || v.Appeals[0].Reference != "TA 48211" {
			t.Errorf("appeals %+v", v.Appeals)
		}
	})
}

// closeCase closes c through the store, so that the person may have another case open.
func closeCase(t *testing.T, d deciding, c cleared.VettingCase) {
	t.Helper()
	c.Stage, c.Closed = cleared.StageClosedNonCooperation, d.Clock.Now().UTC().Truncate(time.Microsecond)
	if err := d.Store.Update(d.Ctx, func(tx store.Tx) error { return tx.UpdateVettingCase(c) }); err != nil {
		t.Fatal(err)
	}
}

func onAgenda(t *testing.T, e *env, a cleared.Actor, k policy.AgendaKind, c cleared.VettingCaseID) bool {
	t.Helper()
	ag := must(e.Reg.Agenda(e.Ctx, a))
	for _, it := range ag.Items {
		if it.Kind == k && it.VettingCase != nil && it.VettingCase.ID == c {
			return true
		}
	}
	return false
}

func TestDecide_withdrawal_and_suspension_A27_1(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		d := newDeciding(t, e)
		clr := d.hold(t)
		t.Run("A27.1 a security officer who knows the clearance may not suspend it; a stranger does not know it", func(t *testing.T) {
			_, err := d.Vet.Suspend(d.Ctx, d.anne, clr.ID, vetting.NewSuspension{Reasons: "enquête de suivi"})
			testenv.WantRule(t, err, "A27.1")
			_, err = d.Vet.Suspend(d.Ctx, d.luc, clr.ID, vetting.NewSuspension{Reasons: "enquête de suivi"})
			wantKind(t, err, cleared.ErrNotFound)
			_, err = d.Vet.Suspend(d.Ctx, d.nsa, clr.ID, vetting.NewSuspension{})
			wantKind(t, err, cleared.ErrInvalid)
		})
		t.Run("A27.1 the NSA suspends it: it grants nothing; lifted, it is active again", func(t *testing.T) {
			must(d.Vet.Suspend(d.Ctx, d.nsa, clr.ID, vetting.NewSuspension{Reasons: "enquête de suivi ouverte"}))
			if cs := d.clearances(t); cs[0].Status != cleared.ClearanceSuspended || policy.ClearanceValid(cs[0], d.Clock.Now()).Allowed {
				t.Fatalf("suspended clearance %+v", cs[0])
			}
			_, err := d.Vet.Suspend(d.Ctx, d.pm, clr.ID, vetting.NewSuspension{Reasons: "encore"})
			testenv.WantRule(t, err, "A27.1")
			must(d.Vet.LiftSuspension(d.Ctx, d.pm, clr.ID, vetting.NewSuspension{Reasons: "rien de défavorable"}))
			if cs := d.clearances(t); cs[0].Status != cleared.ClearanceActive {
				t.Fatalf("lifted clearance %+v", cs[0])
			}
			_, err = d.Vet.LiftSuspension(d.Ctx, d.pm, clr.ID, vetting.NewSuspension{Reasons: "encore"})
			testenv.WantRule(t, err, "A27.1")
		})
		c := d.reported(t, cleared.KindFollowUp, cleared.StageCommission)
		t.Run("A27.2 no withdrawal while the commission has not given its opinion", func(t *testing.T) {
			_, err := d.Vet.Decide(d.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeWithdraw, Reasons: reasons})
			testenv.WantRule(t, err, "A27.2")
		})
		t.Run("A27.1 the withdrawal on the opinion withdraws the holder's clearance", func(t *testing.T) {
			d.opinion(t, c.ID, cleared.AdviceWithdraw)
			v := must(d.Vet.Decide(d.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeWithdraw, Reasons: "Dettes importantes."}))
			if v.Stage != cleared.StageWithdrawn || len(v.Clearances) != 1 || v.Clearances[0] != clr.ID {
				t.Fatalf("decision %+v", v)
			}
			if cs := d.clearances(t); cs[0].Status != cleared.ClearanceWithdrawn {
				t.Fatalf("withdrawn clearance %+v", cs[0])
			}
			_, err := d.Vet.Suspend(d.Ctx, d.nsa, clr.ID, vetting.NewSuspension{Reasons: "après retrait"})
			testenv.WantRule(t, err, "A27.1")
		})
	})
}

// A facility clearance is granted by the deciding authority only when every organ of the company holds the
// clearance its case needs (A21.2, A15.1): the demo's Luxdefence case names Max, whose RESTREINT clearance is below
// the contract's CONFIDENTIEL, so the grant is refused naming A21.2 and nothing is stored; once Max holds a
// CONFIDENTIEL clearance, the grant creates the company's clearance, active (a company signs no declaration).
func TestDecide_facility_A21_2(t *testing.T) {
	e := newEnv(t)
	d := newDeciding(t, e)
	w := e.World
	c := w.FacilityCase
	c.Stage, c.Updated = cleared.StageReported, d.Clock.Now().UTC().Truncate(time.Microsecond)
	if err := d.Store.Update(d.Ctx, func(tx store.Tx) error { return tx.UpdateVettingCase(c) }); err != nil {
		t.Fatal(err)
	}
	facility := func() []cleared.Clearance {
		var cs []cleared.Clearance
		err := d.Store.View(d.Ctx, func(tx store.Tx) (err error) { cs, err = tx.FacilityClearances(w.Company.ID); return err })
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	before := len(facility())
	_, err := d.Vet.Decide(d.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeGrant, Reasons: reasons})
	testenv.WantRule(t, err, "A21.2")
	if n := len(facility()); n != before {
		t.Fatalf("A21.2: a refused grant stored a facility clearance (%d, was %d)", n, before)
	}
	issued := d.Clock.Now().AddDate(0, -1, 0).UTC()
	clr := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.Max.ID, Level: cleared.Confidential,
		Issued: issued, Expires: policy.ClearanceExpiry(cleared.Confidential, issued), Status: cleared.ClearanceActive,
		Source: cleared.SourcePaperRegister, Reference: "ANS-PSC-TEST", RecordedBy: w.Helene.ID, Recorded: issued}
	if err := d.Store.Update(d.Ctx, func(tx store.Tx) error { return tx.CreateClearance(clr) }); err != nil {
		t.Fatal(err)
	}
	v := must(d.Vet.Decide(d.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeGrant, Reasons: reasons}))
	if v.Stage != cleared.StageGranted || len(v.Clearances) != 1 {
		t.Fatalf("decision %+v", v)
	}
	var got cleared.Clearance
	for _, x := range facility() {
		if x.ID == v.Clearances[0] {
			got = x
		}
	}
	if got.HolderKind != cleared.HolderFacility || got.OrganisationID != w.Company.ID || got.Level != cleared.Confidential ||
		got.Status != cleared.ClearanceActive || got.Source != cleared.SourceVetting {
		t.Fatalf("A15.1: the company's clearance is %+v", got)
	}
}
