package policy

import (
	"testing"

	"github.com/cleared/cleared"
)

func TestDecideCase(t *testing.T) {
	c := cleared.VettingCase{ID: "vet_x", PersonID: "per_v", OrganisationID: orgA, Level: cleared.Secret,
		Kind: cleared.KindInitial, Stage: cleared.StageReported}
	held := clearance("per_v", cleared.Secret, now.Add(-days(100)))
	expired := held
	expired.Expires = now // expires exactly at the decision
	base := DecisionRequest{Case: c, Outcome: cleared.OutcomeGrant, Level: cleared.Secret}
	with := func(f func(*DecisionRequest)) DecisionRequest { r := base; f(&r); return r }
	followUp := func(r *DecisionRequest) {
		r.Case.Kind, r.Outcome, r.Level, r.Opinion, r.Clearances = cleared.KindFollowUp, cleared.OutcomeWithdraw, 0, true, []cleared.Clearance{held}
	}
	tests := []struct {
		name    string
		decider bool
		r       DecisionRequest
		want    Decision
	}{
		{"A27.1 the deciding authority grants on the investigation's report", true, base, allow()},
		{"A27.1 one without the deciding authority's role is refused", false, base, refuse("A27.1")},
		{"A15.2 no grant before the report is filed (investigation)", true, with(func(r *DecisionRequest) { r.Case.Stage = cleared.StageInvestigation }), refuse("A15.2")},
		{"A15.2 no grant on a case at intake", true, with(func(r *DecisionRequest) { r.Case.Stage = cleared.StageSigned }), refuse("A15.2")},
		{"A15.2 no decision on a case closed for non-cooperation", true, with(func(r *DecisionRequest) { r.Case.Stage = cleared.StageClosedNonCooperation }), refuse("A15.2")},
		{"A27.2 no grant while the commission has the case without its opinion", true, with(func(r *DecisionRequest) { r.Case.Stage = cleared.StageCommission }), refuse("A27.2")},
		{"A27.2 a grant on the commission's opinion", true, with(func(r *DecisionRequest) { r.Case.Stage, r.Opinion = cleared.StageCommission, true }), allow()},
		{"A27.2 a refusal without the commission's opinion is refused", true, with(func(r *DecisionRequest) { r.Outcome, r.Level = cleared.OutcomeRefuse, 0 }), refuse("A27.2")},
		{"A27.2 a refusal on the commission's opinion", true, with(func(r *DecisionRequest) { r.Outcome, r.Level, r.Opinion = cleared.OutcomeRefuse, 0, true }), allow()},
		{"A16.1 a grant above the case's level is refused", true, with(func(r *DecisionRequest) { r.Level = cleared.TopSecret }), refuse("A16.1")},
		{"A16.1 a grant below the case's level is allowed", true, with(func(r *DecisionRequest) { r.Level = cleared.Confidential }), allow()},
		{"A16.1 a grant at no classified level is refused", true, with(func(r *DecisionRequest) { r.Level = cleared.Unclassified }), refuse("A16.1")},
		{"A27.1 a holder's clearance withdrawn on a follow-up, on the opinion", true, with(followUp), allow()},
		{"A27.1 a withdrawal on a renewal case", true, with(func(r *DecisionRequest) { followUp(r); r.Case.Kind = cleared.KindRenewal }), allow()},
		{"A27.2 a withdrawal without the commission's opinion is refused", true, with(func(r *DecisionRequest) { followUp(r); r.Opinion = false }), refuse("A27.2")},
		{"A27.1 no withdrawal on an initial case", true, with(func(r *DecisionRequest) { followUp(r); r.Case.Kind = cleared.KindInitial }), refuse("A27.1")},
		{"A27.1 no withdrawal of a clearance withdrawn already", true, with(func(r *DecisionRequest) {
			followUp(r)
			r.Clearances = []cleared.Clearance{withStatus(held, cleared.ClearanceWithdrawn)}
		}), refuse("A27.1")},
		{"A27.1 no withdrawal of a clearance expiring exactly at the decision", true, with(func(r *DecisionRequest) {
			followUp(r)
			r.Clearances = []cleared.Clearance{expired}
		}), refuse("A27.1")},
		{"A27.1 a suspended clearance is withdrawn", true, with(func(r *DecisionRequest) {
			followUp(r)
			r.Clearances = []cleared.Clearance{withStatus(held, cleared.ClearanceSuspended)}
		}), allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, DecideCase(tt.decider, tt.r, now), tt.want) })
	}
}

func TestSuspend(t *testing.T) {
	active := clearance("per_v", cleared.Secret, now.Add(-days(100)))
	expired := active
	expired.Expires = now
	tests := []struct {
		name                 string
		knows, nsa, decider  bool
		c                    cleared.Clearance
		want, wantLiftOfSusp Decision
	}{
		{"A27.1 the NSA suspends an active clearance", false, true, false, active, allow(), allow()},
		{"A27.1 the deciding authority suspends one", false, false, true, active, allow(), allow()},
		{"A27.1 one waiting for the briefing is suspended", false, true, false, withStatus(active, cleared.ClearancePending), allow(), allow()},
		{"A27.1 the holder or his security officer is refused", true, false, false, active, refuse("A27.1"), refuse("A27.1")},
		{"A27.1 anyone else is told nothing", false, false, false, active, hide("A27.1"), hide("A27.1")},
		{"A27.1 a withdrawn clearance is not suspended", false, true, false, withStatus(active, cleared.ClearanceWithdrawn), refuse("A27.1"), allow()},
		{"A17.1 a clearance expiring exactly now is not suspended", false, true, false, expired, refuse("A17.1"), allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, Suspend(tt.knows, tt.nsa, tt.decider, tt.c, now), tt.want)
			checkDecision(t, LiftSuspension(tt.knows, tt.nsa, tt.decider, withStatus(tt.c, cleared.ClearanceSuspended)), tt.wantLiftOfSusp)
		})
	}
	t.Run("A27.1 only a suspended clearance has its suspension lifted", func(t *testing.T) {
		checkDecision(t, LiftSuspension(false, true, false, active), refuse("A27.1"))
	})
	t.Run("A27.1 a suspended clearance grants nothing", func(t *testing.T) {
		checkDecision(t, ClearanceValid(withStatus(active, cleared.ClearanceSuspended), now), refuse("A27.1"))
	})
}

func TestSeeDecision(t *testing.T) {
	c := cleared.VettingCase{ID: "vet_x", PersonID: "per_v", OrganisationID: orgA}
	tests := []struct {
		name         string
		me           cleared.PersonID
		officerOf    []cleared.OrganisationID
		nsa, decider bool
		notified     bool
		sight        DecisionSight
	}{
		{"A27.2 the deciding authority sees the opinion with the decision", "per_d", nil, false, true, false, DecisionOpinion},
		{"A27.1 the NSA sees the reasons, not the opinion", "per_n", nil, true, false, false, DecisionReasons},
		{"A27.1 the person's security officer sees the outcome to notify, not the reasons", "per_o", []cleared.OrganisationID{orgA}, false, false, false, DecisionOutcome},
		{"A27.1 another organisation's security officer sees nothing", "per_o", []cleared.OrganisationID{orgB}, false, false, true, DecisionNone},
		{"A27.1 the person sees nothing before the notification", "per_v", nil, false, false, false, DecisionNone},
		{"A27.4 the person sees the reasons once notified, never the opinion", "per_v", nil, false, false, true, DecisionReasons},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, d := SeeDecision(tt.me, tt.officerOf, tt.nsa, tt.decider, c, tt.notified)
			if got != tt.sight || d.Allowed != (tt.sight != DecisionNone) || (!d.Allowed && !d.Hidden) {
				t.Errorf("SeeDecision = %v, %+v; want %v", got, d, tt.sight)
			}
		})
	}
}

func TestNotifyAndAppeal(t *testing.T) {
	c := cleared.VettingCase{ID: "vet_x", PersonID: "per_v", OrganisationID: orgA}
	t.Run("A27.1 the person's security officer notifies", func(t *testing.T) { checkDecision(t, Notify([]cleared.OrganisationID{orgA}, c), allow()) })
	t.Run("A27.1 another is refused", func(t *testing.T) { checkDecision(t, Notify([]cleared.OrganisationID{orgB}, c), refuse("A27.1")) })
	t.Run("A29.1 the NSA records an appeal against a refusal", func(t *testing.T) { checkDecision(t, RecordAppeal(true, cleared.OutcomeRefuse), allow()) })
	t.Run("A29.1 and against a withdrawal", func(t *testing.T) { checkDecision(t, RecordAppeal(true, cleared.OutcomeWithdraw), allow()) })
	t.Run("A29.1 a grant is not appealed", func(t *testing.T) { checkDecision(t, RecordAppeal(true, cleared.OutcomeGrant), refuse("A29.1")) })
	t.Run("A29.1 one not of the NSA is refused", func(t *testing.T) { checkDecision(t, RecordAppeal(false, cleared.OutcomeRefuse), refuse("A29.1")) })
	t.Run("A27.1 a decision not notified is on its officer's agenda, due at the decision", func(t *testing.T) {
		d := c
		d.Stage, d.Closed = cleared.StageRefused, now.Add(-days(1))
		items := DecisionItems([]cleared.OrganisationID{orgA}, []cleared.VettingCase{d}, now)
		if len(items) != 1 || items[0].Kind != AgendaVettingDecision || items[0].Article != "A27.1" || !items[0].Due.Equal(d.Closed) {
			t.Fatalf("items %+v", items)
		}
		if items := DecisionItems([]cleared.OrganisationID{orgB}, []cleared.VettingCase{d}, now); len(items) != 0 {
			t.Errorf("another organisation's officer has %+v", items)
		}
	})
}

func TestDecideItems(t *testing.T) {
	base := cleared.VettingCase{ID: "vet_r", Stage: cleared.StageReported, Updated: now.Add(-days(2))}
	commission, waiting, closed := base, base, base
	commission.ID, commission.Stage = "vet_c", cleared.StageCommission
	waiting.ID, waiting.Stage = "vet_w", cleared.StageCommission
	closed.ID, closed.Stage = "vet_g", cleared.StageGranted
	cs := []cleared.VettingCase{base, commission, waiting, closed}
	opinion := map[cleared.VettingCaseID]bool{"vet_c": true}
	t.Run("A27.1 the deciding authority has the reported cases and those with the commission's opinion", func(t *testing.T) {
		items := DecideItems(true, cs, opinion, now)
		if len(items) != 2 || items[0].VettingCase.ID != "vet_r" || items[1].VettingCase.ID != "vet_c" || items[0].Kind != AgendaVettingDecide ||
			items[0].Article != "A27.1" || !items[0].Due.Equal(base.Updated) {
			t.Fatalf("items %+v", items)
		}
	})
	t.Run("A27.1 anyone else has none", func(t *testing.T) {
		if items := DecideItems(false, cs, opinion, now); len(items) != 0 {
			t.Fatalf("items %+v", items)
		}
	})
}
