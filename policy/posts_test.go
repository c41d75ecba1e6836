package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

const (
	orgA cleared.OrganisationID = "org_a"
	orgB cleared.OrganisationID = "org_b"
	orgC cleared.OrganisationID = "org_c"
)

func TestRecordPost(t *testing.T) {
	tests := []struct {
		name      string
		officerOf []cleared.OrganisationID
		nsa       bool
		org       cleared.OrganisationID
		want      Decision
	}{
		{"A14.1 the organisation's security officer records its post", []cleared.OrganisationID{orgB, orgA}, false, orgA, allow()},
		{"A14.1 the NSA records any organisation's post", nil, true, orgA, allow()},
		{"A14.1 another organisation's security officer is refused", []cleared.OrganisationID{orgB}, false, orgA, refuse("A14.1")},
		{"A14.1 a person who is no security officer is refused", nil, false, orgA, refuse("A14.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, RecordPost(tt.officerOf, tt.nsa, tt.org), tt.want) })
	}
}

func TestAssign(t *testing.T) {
	post := AssignTarget{Organisation: orgA, Level: cleared.Secret, Period: cleared.Period{From: now.Add(-days(10)), Until: now.Add(days(10))}}
	contract := AssignTarget{Organisation: orgA, Contractor: orgB, Level: cleared.Secret, Period: post.Period}
	open := AssignTarget{Organisation: orgA, Level: cleared.Secret, Period: cleared.Period{From: now.Add(-days(10))}}
	staffA := cleared.Person{ID: "per_a", OrganisationID: orgA}
	staffB := cleared.Person{ID: "per_b", OrganisationID: orgB}
	staffC := cleared.Person{ID: "per_c", OrganisationID: orgC}
	inside := cleared.Period{From: now, Until: now.Add(days(5))}
	tests := []struct {
		name      string
		officerOf []cleared.OrganisationID
		nsa       bool
		tg        AssignTarget
		p         cleared.Person
		period    cleared.Period
		want      Decision
	}{
		{"A14.1 the security officer assigns his staff to his organisation's post", []cleared.OrganisationID{orgA}, false, post, staffA, inside, allow()},
		{"A14.1 the NSA assigns", nil, true, post, staffA, inside, allow()},
		{"A14.1 the contractor's officer assigns his staff to the contract", []cleared.OrganisationID{orgB}, false, contract, staffB, inside, allow()},
		{"A14.1 the contracting organisation's officer assigns the contractor's staff", []cleared.OrganisationID{orgA}, false, contract, staffB, inside, allow()},
		{"A14.1 exactly the post's period (boundaries inclusive of start, exclusive of end)", []cleared.OrganisationID{orgA}, false, post, staffA, post.Period, allow()},
		{"A14.1 an open-ended assignment to an open-ended post", []cleared.OrganisationID{orgA}, false, open, staffA, cleared.Period{From: now}, allow()},
		{"A14.1 another organisation's officer is refused", []cleared.OrganisationID{orgC}, false, post, staffA, inside, refuse("A14.1")},
		{"A14.1 no officer at all is refused", nil, false, post, staffA, inside, refuse("A14.1")},
		{"A14.1 a person of another organisation to a post is refused", []cleared.OrganisationID{orgA}, false, post, staffB, inside, refuse("A14.1")},
		{"A14.1 a person of neither party to a contract is refused", []cleared.OrganisationID{orgA}, false, contract, staffC, inside, refuse("A14.1")},
		{"A14.1 starting before the post is refused", []cleared.OrganisationID{orgA}, false, post, staffA,
			cleared.Period{From: post.Period.From.Add(-time.Microsecond), Until: now}, refuse("A14.1")},
		{"A14.1 ending after the post is refused", []cleared.OrganisationID{orgA}, false, post, staffA,
			cleared.Period{From: now, Until: post.Period.Until.Add(time.Microsecond)}, refuse("A14.1")},
		{"A14.1 open-ended on a post that ends is refused", []cleared.OrganisationID{orgA}, false, post, staffA, cleared.Period{From: now}, refuse("A14.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Assign(tt.officerOf, tt.nsa, tt.tg, tt.p, tt.period), tt.want) })
	}
}

func TestExempt(t *testing.T) {
	gov := cleared.ExemptionCategory{ID: "exc_gov", Name: "Conseil de Gouvernement", Government: true}
	cats := map[cleared.ExemptionCategoryID]cleared.ExemptionCategory{gov.ID: gov}
	p := cleared.Person{ID: "per_m"}
	member := cleared.ExemptionMembership{Category: gov.ID, PersonID: p.ID, Period: cleared.Period{From: now, Until: now.Add(days(30))}}
	tests := []struct {
		name string
		p    cleared.Person
		ms   []cleared.ExemptionMembership
		cats map[cleared.ExemptionCategoryID]cleared.ExemptionCategory
		at   time.Time
		want bool
	}{
		{"A14.1 a membership from exactly now exempts", p, []cleared.ExemptionMembership{member}, cats, now, true},
		{"A14.1 before the membership: not exempt", p, []cleared.ExemptionMembership{member}, cats, now.Add(-time.Microsecond), false},
		{"A14.1 at the membership's end: no longer exempt", p, []cleared.ExemptionMembership{member}, cats, member.Until, false},
		{"A14.1 a membership of a category that cannot be read (tampered) does not exempt", p, []cleared.ExemptionMembership{member}, nil, now, false},
		{"A14.1 another person's membership does not exempt", cleared.Person{ID: "per_x"}, []cleared.ExemptionMembership{member}, cats, now, false},
		{"A14.1 the person's record as member of the Government exempts", cleared.Person{ID: "per_g", GovernmentMember: true}, nil, nil, now, true},
		{"A14.1 no membership: not exempt", p, nil, cats, now, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Exempt(tt.p, tt.ms, tt.cats, tt.at); got != tt.want {
				t.Fatalf("Exempt = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUncleared(t *testing.T) {
	p := cleared.PersonID("per_u")
	secret := clearance(p, cleared.Secret, now.Add(-days(100)))
	expiring := secret
	expiring.Expires = now // expires exactly at the time of the flag
	tests := []struct {
		name   string
		level  cleared.Level
		cs     []cleared.Clearance
		exempt bool
		want   Decision
	}{
		{"A14.1 a valid clearance at the required level covers", cleared.Secret, []cleared.Clearance{secret}, false, allow()},
		{"A14.1 a valid clearance above the required level covers", cleared.Confidential, []cleared.Clearance{secret}, false, allow()},
		{"A14.1 an exempt person needs none", cleared.TopSecret, nil, true, allow()},
		{"A14.1 no clearance is flagged", cleared.Secret, nil, false, refuse("A14.1")},
		{"A14.1 a clearance below the level is flagged", cleared.TopSecret, []cleared.Clearance{secret}, false, refuse("A14.1")},
		{"A14.1 a clearance expiring exactly now is flagged", cleared.Secret, []cleared.Clearance{expiring}, false, refuse("A14.1")},
		{"A14.1 a suspended clearance is flagged", cleared.Secret, []cleared.Clearance{withStatus(secret, cleared.ClearanceSuspended)}, false, refuse("A14.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Uncleared(tt.level, tt.cs, tt.exempt, now), tt.want) })
	}
	// One microsecond before its expiry, the same clearance still covers.
	checkDecision(t, Uncleared(cleared.Secret, []cleared.Clearance{expiring}, false, now.Add(-time.Microsecond)), allow())
}

func TestClearanceForPosts(t *testing.T) {
	secretPost := RequiredAssignment{Level: cleared.Secret, Assignment: cleared.Assignment{Period: cleared.Period{From: now, Until: now.Add(days(30))}}}
	confPost := RequiredAssignment{Level: cleared.Confidential, Assignment: cleared.Assignment{Period: cleared.Period{From: now.Add(-days(30))}}}
	tests := []struct {
		name   string
		level  cleared.Level
		as     []RequiredAssignment
		issued time.Time
		want   Decision
	}{
		{"A16.1 at the level of the highest post in force", cleared.Secret, []RequiredAssignment{confPost, secretPost}, now, allow()},
		{"A16.1 below the post's level", cleared.Restricted, []RequiredAssignment{secretPost}, now, allow()},
		{"A16.1 no post in force: the paper register's history has no ceiling", cleared.TopSecret, nil, now, allow()},
		{"A16.1 above the highest post in force is refused", cleared.TopSecret, []RequiredAssignment{confPost, secretPost}, now, refuse("A16.1")},
		{"A16.1 the SECRET post not yet started: only CONFIDENTIEL in force", cleared.Secret, []RequiredAssignment{confPost, secretPost},
			now.Add(-time.Microsecond), refuse("A16.1")},
		{"A16.1 the SECRET post ended exactly at the issue: only CONFIDENTIEL in force", cleared.Secret, []RequiredAssignment{confPost, secretPost},
			secretPost.Assignment.Until, refuse("A16.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, ClearanceForPosts(tt.level, tt.as, tt.issued), tt.want) })
	}
}

func TestUnclearedItems(t *testing.T) {
	alice := cleared.Person{ID: "per_alice", OrganisationID: orgA}
	bob := cleared.Person{ID: "per_bob", OrganisationID: orgB}
	asg := func(p cleared.Person, org cleared.OrganisationID) cleared.Assignment {
		return cleared.Assignment{ID: cleared.AssignmentID("asg_" + string(p.ID)), PersonID: p.ID, OrganisationID: org,
			Period: cleared.Period{From: now.Add(-days(1))}}
	}
	as := []Assignee{
		{Assignment: asg(alice, orgA), Level: cleared.Secret, Person: alice},                                                                                           // flagged
		{Assignment: asg(bob, orgA), Level: cleared.Secret, Person: bob},                                                                                               // contractor's staff on A's contract, flagged
		{Assignment: asg(alice, orgA), Level: cleared.Secret, Person: alice, Clearances: []cleared.Clearance{clearance(alice.ID, cleared.Secret, now.Add(-days(10)))}}, // covered
		{Assignment: asg(alice, orgA), Level: cleared.Secret, Person: alice, Exempt: true},                                                                             // exempt
	}
	if got := UnclearedItems([]cleared.OrganisationID{orgA}, false, as, now); len(got) != 2 || got[0].Kind != AgendaUncleared ||
		got[0].Article != "A14.1" || !got[0].Overdue || got[0].Assignment == nil || got[0].Person.ID != alice.ID {
		t.Fatalf("A14.1 officer of A: want alice and bob flagged, got %+v", got)
	}
	if got := UnclearedItems([]cleared.OrganisationID{orgB}, false, as, now); len(got) != 1 || got[0].Person.ID != bob.ID {
		t.Fatalf("A14.1 the contractor's officer sees his own staff only, got %+v", got)
	}
	if got := UnclearedItems([]cleared.OrganisationID{orgC}, false, as, now); len(got) != 0 {
		t.Fatalf("A14.1 another organisation's officer sees none, got %+v", got)
	}
	if got := UnclearedItems(nil, true, as, now); len(got) != 2 {
		t.Fatalf("A14.1 the NSA sees every flag, got %d", len(got))
	}
	if got := UnclearedItems([]cleared.OrganisationID{orgA}, false, as, now.Add(-days(1)).Add(-time.Microsecond)); len(got) != 0 {
		t.Fatalf("A14.1 before the assignment starts there is no flag, got %+v", got)
	}
}

func TestSeePosts(t *testing.T) {
	tests := []struct {
		name      string
		officerOf []cleared.OrganisationID
		nsa       bool
		orgs      []cleared.OrganisationID
		want      Decision
	}{
		{"A14.1 the organisation's officer sees its post", []cleared.OrganisationID{orgA}, false, []cleared.OrganisationID{orgA}, allow()},
		{"A14.1 the contractor's officer sees the contract", []cleared.OrganisationID{orgB}, false, []cleared.OrganisationID{orgA, orgB}, allow()},
		{"A14.1 the NSA sees every post", nil, true, []cleared.OrganisationID{orgA}, allow()},
		{"A14.1 another organisation's officer is not told it exists", []cleared.OrganisationID{orgC}, false, []cleared.OrganisationID{orgA, orgB}, hide("A14.1")},
		{"A14.1 one who is no officer is not told it exists", nil, false, []cleared.OrganisationID{orgA}, hide("A14.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, SeePosts(tt.officerOf, tt.nsa, tt.orgs...), tt.want) })
	}
}

func TestOfferPostsAndExemptions(t *testing.T) {
	nsa := cleared.Person{ID: "per_n", Roles: []cleared.Role{cleared.RoleNSAOfficer}}
	cs := []cleared.Clearance{clearance(nsa.ID, cleared.TopSecret, now.Add(-days(10)))}
	checkDecision(t, OfferPosts(Offer{Person: cleared.Person{ID: "per_o"}, OfficerOf: []cleared.OrganisationID{orgA}}, now), allow())
	checkDecision(t, OfferPosts(Offer{Person: nsa, Clearances: cs}, now), allow())
	checkDecision(t, OfferPosts(Offer{Person: cleared.Person{ID: "per_x"}}, now), refuse("A14.1"))
	checkDecision(t, OfferExemptions(Offer{Person: nsa, Clearances: cs}, now), allow())
	checkDecision(t, OfferExemptions(Offer{Person: cleared.Person{ID: "per_o"}, OfficerOf: []cleared.OrganisationID{orgA}}, now), refuse("A20.1"))
}

func TestEndAssignment(t *testing.T) {
	tg := AssignTarget{Organisation: orgA, Contractor: orgB}
	open := cleared.Assignment{Period: cleared.Period{From: now.Add(-days(10))}}
	ending := cleared.Assignment{Period: cleared.Period{From: now.Add(-days(10)), Until: now.Add(days(10))}}
	tests := []struct {
		name      string
		officerOf []cleared.OrganisationID
		nsa       bool
		a         cleared.Assignment
		until     time.Time
		want      Decision
	}{
		{"A14.1 the officer ends an open-ended assignment from exactly now", []cleared.OrganisationID{orgA}, false, open, now, allow()},
		{"A14.1 the contractor's officer shortens it", []cleared.OrganisationID{orgB}, false, ending, now.Add(days(1)), allow()},
		{"A14.1 the NSA ends it at its recorded end", nil, true, ending, ending.Until, allow()},
		{"A14.1 another organisation's officer is refused", []cleared.OrganisationID{orgC}, false, open, now, refuse("A14.1")},
		{"A14.1 an end in the past is refused", []cleared.OrganisationID{orgA}, false, open, now.Add(-time.Microsecond), refuse("A14.1")},
		{"A14.1 lengthening is refused", []cleared.OrganisationID{orgA}, false, ending, ending.Until.Add(time.Microsecond), refuse("A14.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, EndAssignment(tt.officerOf, tt.nsa, tg, tt.a, tt.until, now), tt.want)
		})
	}
}
