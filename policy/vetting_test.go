package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func TestOpenCase(t *testing.T) {
	staff := cleared.Person{ID: "per_v", OrganisationID: orgA}
	post := AssignTarget{Organisation: orgA, Level: cleared.Secret, Period: cleared.Period{From: now.Add(-days(10))}}
	held := clearance(staff.ID, cleared.Secret, now.Add(-days(100)))
	expiring := held
	expiring.Expires = now // expires exactly at the opening
	base := CaseRequest{Person: staff, Target: post, Origin: cleared.OriginNational, Kind: cleared.KindInitial, Deadline: now.Add(days(30))}
	with := func(f func(*CaseRequest)) CaseRequest { r := base; f(&r); return r }
	officer := []cleared.OrganisationID{orgA}
	tests := []struct {
		name      string
		officerOf []cleared.OrganisationID
		nsa       bool
		r         CaseRequest
		want      Decision
	}{
		{"A25.1 the security officer of the person's organisation opens a case", officer, false, base, allow()},
		{"A25.1 another organisation's security officer is refused", []cleared.OrganisationID{orgB}, false, base, refuse("A25.1")},
		{"A25.1 the NSA does not open a national case in the officer's stead", nil, true, base, refuse("A25.1")},
		{"A20.1 the NSA opens a case a foreign NSA requested", nil, true, with(func(r *CaseRequest) { r.Origin = cleared.OriginForeignNSA }), allow()},
		{"A20.1 the NSA opens a case an international organisation requested", nil, true, with(func(r *CaseRequest) { r.Origin = cleared.OriginInternational }), allow()},
		{"A20.1 a security officer does not open a foreign case", officer, false, with(func(r *CaseRequest) { r.Origin = cleared.OriginForeignNSA }), refuse("A20.1")},
		{"A16.1 a post of another organisation is refused", officer, false, with(func(r *CaseRequest) { r.Target.Organisation = orgB }), refuse("A16.1")},
		{"A16.1 a contract the person's organisation executes is allowed", officer, false, with(func(r *CaseRequest) { r.Target.Organisation, r.Target.Contractor = orgB, orgA }), allow()},
		{"A16.1 a post starting after the opening is refused", officer, false, with(func(r *CaseRequest) { r.Target.Period.From = now.Add(time.Nanosecond) }), refuse("A16.1")},
		{"A16.1 a post starting exactly at the opening is in force", officer, false, with(func(r *CaseRequest) { r.Target.Period.From = now }), allow()},
		{"A16.1 a post ended exactly at the opening is refused", officer, false, with(func(r *CaseRequest) { r.Target.Period.Until = now }), refuse("A16.1")},
		{"A16.1 a post requiring no level is refused", officer, false, with(func(r *CaseRequest) { r.Target.Level = cleared.Unclassified }), refuse("A16.1")},
		{"A25.2 a follow-up of a holder citing its trigger is allowed", officer, false, with(func(r *CaseRequest) {
			r.Kind, r.Trigger, r.Clearances = cleared.KindFollowUp, "dettes signalées", []cleared.Clearance{held}
		}), allow()},
		{"A25.2 a follow-up without its trigger is refused", officer, false, with(func(r *CaseRequest) {
			r.Kind, r.Clearances = cleared.KindFollowUp, []cleared.Clearance{held}
		}), refuse("A25.2")},
		{"A25.2 a follow-up of a non-holder is refused", officer, false, with(func(r *CaseRequest) {
			r.Kind, r.Trigger = cleared.KindFollowUp, "dettes"
		}), refuse("A25.2")},
		{"A25.2 a follow-up of a clearance expiring exactly at the opening is refused", officer, false, with(func(r *CaseRequest) {
			r.Kind, r.Trigger, r.Clearances = cleared.KindFollowUp, "dettes", []cleared.Clearance{expiring}
		}), refuse("A25.2")},
		{"A17.1 a renewal of one who held a clearance is allowed", officer, false, with(func(r *CaseRequest) {
			r.Kind, r.Clearances = cleared.KindRenewal, []cleared.Clearance{expiring}
		}), allow()},
		{"A17.1 a renewal of one who never held a clearance is refused", officer, false, with(func(r *CaseRequest) { r.Kind = cleared.KindRenewal }), refuse("A17.1")},
		{"A25.1 a second open case of the person is refused", officer, false, with(func(r *CaseRequest) { r.Open = 1 }), refuse("A25.1")},
		{"A26.1 a deadline exactly at the opening is refused", officer, false, with(func(r *CaseRequest) { r.Deadline = now }), refuse("A26.1")},
		{"A26.1 a deadline one instant after the opening is allowed", officer, false, with(func(r *CaseRequest) { r.Deadline = now.Add(time.Microsecond) }), allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, OpenCase(tt.officerOf, tt.nsa, tt.r, now), tt.want) })
	}
}

func TestSeeCase(t *testing.T) {
	c := cleared.VettingCase{PersonID: "per_v", OrganisationID: orgA}
	tests := []struct {
		name      string
		me        cleared.PersonID
		officerOf []cleared.OrganisationID
		nsa       bool
		sight     CaseSight
		want      Decision
	}{
		{"A25.1 the person sees all of his own case", "per_v", nil, false, SightFull, allow()},
		{"A25.1 his organisation's security officer sees the stage, never the answers", "per_so", []cleared.OrganisationID{orgA}, false, SightStage, allow()},
		{"A25.1 the NSA sees the stage", "per_nsa", nil, true, SightStage, allow()},
		{"A25.1 another organisation's security officer does not know it exists", "per_so", []cleared.OrganisationID{orgB}, false, SightNone, hide("A25.1")},
		{"A25.1 a colleague does not know it exists", "per_x", nil, false, SightNone, hide("A25.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, d := SeeCase(tt.me, tt.officerOf, tt.nsa, c)
			checkDecision(t, d, tt.want)
			if s != tt.sight {
				t.Errorf("sight %d, want %d", s, tt.sight)
			}
		})
	}
}

func TestPersonStep(t *testing.T) {
	c := cleared.VettingCase{PersonID: "per_v", Kind: cleared.KindInitial, Stage: cleared.StageQuestionnaire, Deadline: now.Add(days(1))}
	with := func(f func(*cleared.VettingCase)) cleared.VettingCase { x := c; f(&x); return x }
	signed := with(func(x *cleared.VettingCase) { x.Signed = now.Add(-days(1)) })
	tests := []struct {
		name     string
		me       cleared.PersonID
		c        cleared.VettingCase
		step     CaseStep
		complete bool
		want     Decision
	}{
		{"A25.1 the person saves a draft", "per_v", c, StepDraft, false, allow()},
		{"A25.1 another person may not fill it in, nor know it exists", "per_x", c, StepDraft, false, hide("A25.1")},
		{"A25.1 a signed questionnaire no longer changes", "per_v", signed, StepDraft, true, refuse("A25.1")},
		{"A25.1 the person signs a complete questionnaire", "per_v", c, StepSign, true, allow()},
		{"A25.1 an incomplete questionnaire is not signed", "per_v", c, StepSign, false, refuse("A25.1")},
		{"A25.1 a questionnaire is signed once", "per_v", signed, StepSign, true, refuse("A25.1")},
		{"A25.2 the person signs the consent", "per_v", c, StepConsent, false, allow()},
		{"A25.2 the consent is signed once", "per_v", with(func(x *cleared.VettingCase) { x.Consented = now.Add(-days(1)) }), StepConsent, false, refuse("A25.2")},
		{"A25.2 a follow-up needs no consent", "per_v", with(func(x *cleared.VettingCase) { x.Kind = cleared.KindFollowUp }), StepConsent, false, refuse("A25.2")},
		{"A26.1 the person refuses to cooperate", "per_v", c, StepRefuse, false, allow()},
		{"A26.1 one instant before the deadline is in time", "per_v", with(func(x *cleared.VettingCase) { x.Deadline = now.Add(time.Nanosecond) }), StepSign, true, allow()},
		{"A26.1 at the deadline exactly it is too late", "per_v", with(func(x *cleared.VettingCase) { x.Deadline = now }), StepDraft, false, refuse("A26.1")},
		{"A26.1 a closed case takes no step", "per_v", with(func(x *cleared.VettingCase) { x.Stage = cleared.StageClosedNonCooperation }), StepRefuse, false, refuse("A26.1")},
		{"A25.1 a case that left intake takes no step", "per_v", with(func(x *cleared.VettingCase) { x.Stage = cleared.StageSigned }), StepRefuse, false, refuse("A25.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, PersonStep(tt.me, tt.c, tt.step, tt.complete, now), tt.want) })
	}
}

func TestOverdue(t *testing.T) {
	c := cleared.VettingCase{Kind: cleared.KindInitial, Stage: cleared.StageQuestionnaire, Deadline: now}
	with := func(f func(*cleared.VettingCase)) cleared.VettingCase { x := c; f(&x); return x }
	tests := []struct {
		name string
		c    cleared.VettingCase
		at   time.Time
		want bool
	}{
		{"A26.1 at the deadline exactly a case at intake is overdue", c, now, true},
		{"A26.1 one instant before, it is not", c, now.Add(-time.Nanosecond), false},
		{"A26.1 signed without the consent is overdue", with(func(x *cleared.VettingCase) { x.Signed = now }), now, true},
		{"A25.2 a signed follow-up needs no consent", with(func(x *cleared.VettingCase) { x.Signed, x.Kind = now, cleared.KindFollowUp }), now, false},
		{"A26.1 a case signed and consented is not overdue", with(func(x *cleared.VettingCase) { x.Signed, x.Consented = now, now }), now, false},
		{"A26.1 a closed case does not close again", with(func(x *cleared.VettingCase) { x.Stage = cleared.StageClosedNonCooperation }), now, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Overdue(tt.c, tt.at); got != tt.want {
				t.Errorf("Overdue = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClosedCaseItems(t *testing.T) {
	closed := cleared.VettingCase{ID: "vet_a", OrganisationID: orgA, Stage: cleared.StageClosedNonCooperation, Closed: now.Add(-days(1))}
	with := func(f func(*cleared.VettingCase)) cleared.VettingCase { x := closed; f(&x); return x }
	officer := []cleared.OrganisationID{orgA}
	tests := []struct {
		name      string
		officerOf []cleared.OrganisationID
		c         cleared.VettingCase
		want      int
	}{
		{"A26.1 the officer of the person's organisation is told the procedure ends", officer, closed, 1},
		{"A26.1 another organisation's officer is not", []cleared.OrganisationID{orgB}, closed, 0},
		{"A26.1 an open case is no item", officer, with(func(x *cleared.VettingCase) { x.Stage, x.Closed = cleared.StageQuestionnaire, time.Time{} }), 0},
		{"A26.1 closed exactly now, it is on the agenda", officer, with(func(x *cleared.VettingCase) { x.Closed = now }), 1},
		{"A26.1 the notice ends exactly ClosedNotice after the closing", officer, with(func(x *cleared.VettingCase) { x.Closed = now.Add(-ClosedNotice) }), 0},
		{"A26.1 one instant before the notice ends, it is still there", officer, with(func(x *cleared.VettingCase) { x.Closed = now.Add(-ClosedNotice + time.Nanosecond) }), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := ClosedCaseItems(tt.officerOf, []cleared.VettingCase{tt.c}, now)
			if len(items) != tt.want {
				t.Fatalf("%d items, want %d", len(items), tt.want)
			}
			if tt.want == 1 && (items[0].Kind != AgendaVettingClosed || items[0].Article != "A26.1" || !items[0].Overdue || items[0].VettingCase.ID != "vet_a") {
				t.Errorf("item %+v", items[0])
			}
		})
	}
}

// A25.1, A20.1: the form to open a case is offered to a security officer in office and to the NSA only.
func TestOfferCases(t *testing.T) {
	nsa := cleared.Person{ID: "per_n", Roles: []cleared.Role{cleared.RoleNSAOfficer}}
	cs := []cleared.Clearance{clearance(nsa.ID, cleared.TopSecret, now.Add(-days(10)))}
	checkDecision(t, OfferCases(Offer{Person: cleared.Person{ID: "per_o"}, OfficerOf: []cleared.OrganisationID{orgA}}, now), allow())
	checkDecision(t, OfferCases(Offer{Person: nsa, Clearances: cs}, now), allow())
	checkDecision(t, OfferCases(Offer{Person: cleared.Person{ID: "per_x"}}, now), refuse("A25.1"))
}

func TestQuestionnaireItems(t *testing.T) {
	c := cleared.VettingCase{ID: "vet_a", PersonID: "per_v", Stage: cleared.StageQuestionnaire, Deadline: now.Add(days(3))}
	with := func(f func(*cleared.VettingCase)) cleared.VettingCase { x := c; f(&x); return x }
	tests := []struct {
		name    string
		c       cleared.VettingCase
		want    int
		overdue bool
	}{
		{"A25.1 the person's case at intake is on his agenda, due at its deadline", c, 1, false},
		{"A26.1 at the deadline exactly it is overdue", with(func(x *cleared.VettingCase) { x.Deadline = now }), 1, true},
		{"A25.1 another person's case is not on his agenda", with(func(x *cleared.VettingCase) { x.PersonID = "per_x" }), 0, false},
		{"A25.1 a signed case has left intake", with(func(x *cleared.VettingCase) { x.Stage = cleared.StageSigned }), 0, false},
		{"A26.1 a closed case is no item", with(func(x *cleared.VettingCase) { x.Stage = cleared.StageClosedNonCooperation }), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := QuestionnaireItems("per_v", []cleared.VettingCase{tt.c}, now)
			if len(items) != tt.want {
				t.Fatalf("%d items, want %d", len(items), tt.want)
			}
			if tt.want == 1 && (items[0].Kind != AgendaVettingQuestionnaire || items[0].Article != "A25.1" || items[0].Overdue != tt.overdue || !items[0].Due.Equal(tt.c.Deadline)) {
				t.Errorf("item %+v", items[0])
			}
		})
	}
}
