package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// A23.2: the due dates of a case's data, at the boundaries exactly.
func TestRetentionDueA23_2(t *testing.T) {
	closed := time.Date(2020, 8, 31, 9, 0, 0, 0, time.UTC)
	refused := cleared.VettingCase{ID: "vet_r", PersonID: "per_p", Stage: cleared.StageRefused, Closed: closed}
	// 31 August + 6 months: Go's AddDate normalises 31 February to 3 March; the rule is that date, exactly.
	six := closed.AddDate(0, 6, 0)
	granted := refused
	granted.Stage = cleared.StageGranted
	left := closed.AddDate(1, 0, 0)
	ended := cleared.Assignment{PersonID: "per_p", Post: "pst_a", Period: cleared.Period{From: closed.AddDate(-1, 0, 0), Until: left}}
	inForce := cleared.Assignment{PersonID: "per_p", Post: "pst_b", Period: cleared.Period{From: closed}}
	future := cleared.Assignment{PersonID: "per_p", Post: "pst_c", Period: cleared.Period{From: left.AddDate(10, 0, 0)}}
	valid := cleared.Clearance{PersonID: "per_p", Level: cleared.Secret, Status: cleared.ClearanceActive, Issued: closed, Expires: closed.AddDate(5, 0, 0)}
	pending := valid
	pending.Status = cleared.ClearancePending
	withdrawn := valid
	withdrawn.Status = cleared.ClearanceWithdrawn
	tenYears := valid
	tenYears.Expires = closed.AddDate(10, 0, 0)
	tenPending, tenWithdrawn := tenYears, tenYears
	tenPending.Status, tenWithdrawn.Status = cleared.ClearancePending, cleared.ClearanceWithdrawn
	with := func(c cleared.VettingCase, f func(*RetentionFacts)) RetentionFacts {
		r := RetentionFacts{Case: c}
		if f != nil {
			f(&r)
		}
		return r
	}
	stage := func(s cleared.CaseStage) cleared.VettingCase { c := refused; c.Stage = s; return c }
	tests := []struct {
		name string
		f    RetentionFacts
		at   time.Time
		due  bool
	}{
		{"A23.2 a refusal is not due one instant before six months", with(refused, nil), six.Add(-time.Nanosecond), false},
		{"A23.2 a refusal is due exactly at six months", with(refused, nil), six, true},
		{"A23.2 a refusal for non-cooperation is due at six months", with(stage(cleared.StageClosedNonCooperation), nil), six, true},
		{"A23.2 a withdrawal is treated as a refusal: due at six months", with(stage(cleared.StageWithdrawn), nil), six, true},
		{"A23.2 a withdrawal is not due before six months", with(stage(cleared.StageWithdrawn), nil), six.Add(-time.Nanosecond), false},
		{"A23.2 an open case is never due", with(stage(cleared.StageInvestigation), nil), six.AddDate(50, 0, 0), false},
		{"A23.2 a purged case is not due again", with(refused, func(f *RetentionFacts) { f.Purged = six }), six.AddDate(1, 0, 0), false},
		{"A23.2 a hold keeps a refusal until its review date", with(refused, func(f *RetentionFacts) { f.HoldReview = six.AddDate(1, 0, 0) }), six.AddDate(1, 0, 0).Add(-time.Nanosecond), false},
		{"A23.2 a hold's review date reached: due", with(refused, func(f *RetentionFacts) { f.HoldReview = six.AddDate(1, 0, 0) }), six.AddDate(1, 0, 0), true},
		{"A23.2 a hold reviewed before the due date changes nothing", with(refused, func(f *RetentionFacts) { f.HoldReview = six.AddDate(0, -1, 0) }), six, true},
		{"A23.2 a granted person still assigned is never due", with(granted, func(f *RetentionFacts) { f.Assignments = []cleared.Assignment{ended, inForce} }), left.AddDate(50, 0, 0), false},
		{"A23.2 a granted person with an assignment to come is not due", with(granted, func(f *RetentionFacts) { f.Assignments = []cleared.Assignment{ended, future} }), left.AddDate(6, 0, 0), false},
		{"A23.2 five years after the last assignment ended, less an instant: not due", with(granted, func(f *RetentionFacts) { f.Assignments = []cleared.Assignment{ended} }), left.AddDate(5, 0, 0).Add(-time.Nanosecond), false},
		{"A23.2 exactly five years after the last assignment ended: due", with(granted, func(f *RetentionFacts) { f.Assignments = []cleared.Assignment{ended} }), left.AddDate(5, 0, 0), true},
		{"A23.2 a hold keeps a granted case past five years", with(granted, func(f *RetentionFacts) {
			f.Assignments, f.HoldReview = []cleared.Assignment{ended}, left.AddDate(7, 0, 0)
		}), left.AddDate(6, 0, 0), false},
		{"A23.2 never assigned and holding a valid clearance: never due", with(granted, func(f *RetentionFacts) { f.Clearances = []cleared.Clearance{valid} }), valid.Expires.Add(-time.Nanosecond), false},
		{"A23.2 never assigned, clearance pending its briefing: not due", with(granted, func(f *RetentionFacts) { f.Clearances = []cleared.Clearance{pending} }), valid.Expires.Add(-time.Nanosecond), false},
		{"A23.2 never assigned: five years after the clearance expired, less an instant", with(granted, func(f *RetentionFacts) { f.Clearances = []cleared.Clearance{valid} }), valid.Expires.AddDate(5, 0, 0).Add(-time.Nanosecond), false},
		{"A23.2 never assigned: exactly five years after the clearance expired", with(granted, func(f *RetentionFacts) { f.Clearances = []cleared.Clearance{valid} }), valid.Expires.AddDate(5, 0, 0), true},
		{"A23.2 a withdrawn clearance counts to its expiry (no date of withdrawal is recorded)", with(granted, func(f *RetentionFacts) { f.Clearances = []cleared.Clearance{withdrawn} }), valid.Expires.AddDate(5, 0, 0).Add(-time.Nanosecond), false},
		// A clearance that outlives five years after the closing keeps the activity going, whatever its status says.
		{"A23.2 never assigned, a ten-year clearance in force: not due six years on", with(granted, func(f *RetentionFacts) { f.Clearances = []cleared.Clearance{tenYears} }), closed.AddDate(6, 0, 0), false},
		{"A23.2 never assigned, a ten-year clearance pending its briefing: not due six years on", with(granted, func(f *RetentionFacts) { f.Clearances = []cleared.Clearance{tenPending} }), closed.AddDate(6, 0, 0), false},
		{"A23.2 a withdrawn ten-year clearance counts to its expiry: not due six years on", with(granted, func(f *RetentionFacts) { f.Clearances = []cleared.Clearance{tenWithdrawn} }), closed.AddDate(6, 0, 0), false},
		{"A23.2 a withdrawn ten-year clearance: due five years after its expiry", with(granted, func(f *RetentionFacts) { f.Clearances = []cleared.Clearance{tenWithdrawn} }), tenYears.Expires.AddDate(5, 0, 0), true},
		{"A23.2 neither assignment nor clearance: five years after the grant", with(granted, nil), closed.AddDate(5, 0, 0), true},
		{"A23.2 neither assignment nor clearance: not before five years after the grant", with(granted, nil), closed.AddDate(5, 0, 0).Add(-time.Nanosecond), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PurgeDue(tt.f, tt.at); got != tt.due {
				due, ok := RetentionDue(tt.f, tt.at)
				t.Errorf("PurgeDue at %s = %v, want %v (due %s, %v)", tt.at, got, tt.due, due, ok)
			}
		})
	}
}

// A23.2: who records a hold, on which case, to which date.
func TestRetentionHoldA23_2(t *testing.T) {
	nsa := cleared.Person{ID: "per_n", Roles: []cleared.Role{cleared.RoleNSAOfficer}}
	cs := []cleared.Clearance{clearance(nsa.ID, cleared.TopSecret, now.Add(-days(100)))}
	other := cleared.Person{ID: "per_o", Roles: []cleared.Role{cleared.RoleAuditor}}
	closed := RetentionFacts{Case: cleared.VettingCase{Stage: cleared.StageRefused, Closed: now.Add(-days(100))}}
	open := RetentionFacts{Case: cleared.VettingCase{Stage: cleared.StageCommission}}
	purged := closed
	purged.Purged = now.Add(-days(1))
	review := now.Add(days(365))
	tests := []struct {
		name   string
		p      cleared.Person
		cs     []cleared.Clearance
		f      RetentionFacts
		review time.Time
		want   Decision
	}{
		{"A23.2 an NSA officer holds a closed case's data to a review date", nsa, cs, closed, review, allow()},
		{"A23.2 an NSA officer without a valid clearance is refused", nsa, nil, closed, review, refuse("A23.2")},
		{"A23.2 an auditor is refused", other, cs, closed, review, refuse("A23.2")},
		{"A23.2 a purged case is refused", nsa, cs, purged, review, refuse("A23.2")},
		{"A23.2 an open case is refused", nsa, cs, open, review, refuse("A23.2")},
		{"A23.2 a review date exactly now is refused", nsa, cs, closed, now, refuse("A23.2")},
		{"A23.2 a review date one instant ahead is allowed", nsa, cs, closed, now.Add(time.Microsecond), allow()},
		{"A23.2 a review date exactly five years ahead is allowed", nsa, cs, closed, now.AddDate(5, 0, 0), allow()},
		{"A23.2 a review date beyond five years is refused", nsa, cs, closed, now.AddDate(5, 0, 0).Add(time.Microsecond), refuse("A23.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, RetentionHold(tt.p, tt.cs, tt.f, tt.review, now), tt.want)
		})
	}
	checkDecision(t, SeeRetention(nsa, cs, now), allow())
	checkDecision(t, SeeRetention(other, cs, now), refuse("A23.2"))
}

// A23.2: a holder never assigned is still active while a clearance of his is in force or pending its briefing (no
// date yet); one withdrawn stopped him at its expiry, even one still to come (no date of withdrawal is recorded).
func TestActivityEndA23_2(t *testing.T) {
	closed := time.Date(2020, 8, 31, 9, 0, 0, 0, time.UTC)
	c := cleared.VettingCase{ID: "vet_g", PersonID: "per_p", Stage: cleared.StageGranted, Closed: closed}
	clr := cleared.Clearance{PersonID: "per_p", Level: cleared.Secret, Issued: closed, Expires: closed.AddDate(10, 0, 0)}
	at := closed.AddDate(6, 0, 0)
	for _, tt := range []struct {
		status  cleared.ClearanceStatus
		stopped bool
	}{
		{cleared.ClearanceActive, false},
		{cleared.ClearancePending, false},
		{cleared.ClearanceWithdrawn, true},
		{cleared.ClearanceSuspended, true},
	} {
		x := clr
		x.Status = tt.status
		end, stopped := ActivityEnd(RetentionFacts{Case: c, Clearances: []cleared.Clearance{x}}, at)
		if stopped != tt.stopped || (stopped && !end.Equal(clr.Expires)) {
			t.Errorf("%s: ActivityEnd = %s, %v; want stopped %v at its expiry", tt.status, end, stopped, tt.stopped)
		}
	}
	// A clearance in force that expires exactly now no longer keeps the holder active: the activity ended then.
	x := clr
	x.Status = cleared.ClearanceActive
	if end, stopped := ActivityEnd(RetentionFacts{Case: c, Clearances: []cleared.Clearance{x}}, clr.Expires); !stopped || !end.Equal(clr.Expires) {
		t.Errorf("a clearance expiring exactly now: ActivityEnd = %s, %v; want stopped at its expiry", end, stopped)
	}
	if _, stopped := ActivityEnd(RetentionFacts{Case: c, Clearances: []cleared.Clearance{x}}, clr.Expires.Add(-time.Nanosecond)); stopped {
		t.Error("a clearance expiring in a nanosecond: the activity has ended")
	}
}
