package policy

import (
	"slices"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// TestRenewalThreshold_A17_1 decides at the exact boundaries: a clearance reaches a threshold at its expiry minus
// 12, 6 or 3 months to the nanosecond, not one instant before; an expired, withdrawn, suspended, unclassified,
// superseded or legal entity's clearance reaches none.
func TestRenewalThreshold_A17_1(t *testing.T) {
	const me = cleared.PersonID("per_me")
	c := clearance(me, cleared.Secret, now.AddDate(-9, 0, 0)) // expires at now + 1 year
	e := c.Expires
	later := clearance(me, cleared.Secret, now.AddDate(0, -1, 0))
	facility := c
	facility.HolderKind, facility.PersonID, facility.OrganisationID = cleared.HolderFacility, "", "org_x"
	unclassified := c
	unclassified.Level = cleared.Unclassified
	for _, tc := range []struct {
		name string
		c    cleared.Clearance
		all  []cleared.Clearance
		at   time.Time
		want int
	}{
		{"A17.1_none_before_12_months", c, nil, e.AddDate(-1, 0, 0).Add(-time.Nanosecond), 0},
		{"A17.1_12_months_exactly", c, nil, e.AddDate(0, -12, 0), 12},
		{"A17.1_12_until_6", c, nil, e.AddDate(0, -6, 0).Add(-time.Nanosecond), 12},
		{"A17.1_6_months_exactly", c, nil, e.AddDate(0, -6, 0), 6},
		{"A17.1_6_until_3", c, nil, e.AddDate(0, -3, 0).Add(-time.Nanosecond), 6},
		{"A17.1_3_months_exactly", c, nil, e.AddDate(0, -3, 0), 3},
		{"A17.1_3_until_expiry", c, nil, e.Add(-time.Nanosecond), 3},
		{"A17.1_refused_expired_at_expiry", c, nil, e, 0},
		{"A17.1_refused_withdrawn", withStatus(c, cleared.ClearanceWithdrawn), nil, e.AddDate(0, -6, 0), 0},
		{"A17.1_refused_suspended", withStatus(c, cleared.ClearanceSuspended), nil, e.AddDate(0, -6, 0), 0},
		{"A17.1_refused_superseded", c, []cleared.Clearance{c, later}, e.AddDate(0, -6, 0), 0},
		{"A17.1_refused_facility", facility, nil, e.AddDate(0, -6, 0), 0},
		{"A17.1_refused_unclassified", unclassified, nil, e.AddDate(0, -6, 0), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			all := tc.all
			if all == nil {
				all = []cleared.Clearance{tc.c}
			}
			if got := RenewalThreshold(tc.c, all, tc.at); got != tc.want {
				t.Fatalf("RenewalThreshold = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestRenewalThreshold_A17_1_law_bound: the expiry is the earlier of the recorded one and the law's bound: a
// clearance recorded beyond MaxClearanceValidityYears reaches its thresholds against the bound.
func TestRenewalThreshold_A17_1_law_bound(t *testing.T) {
	c := clearance("per_me", cleared.Secret, now.AddDate(-cleared.MaxClearanceValidityYears+1, 0, 0))
	c.Expires = c.Issued.AddDate(cleared.MaxClearanceValidityYears+5, 0, 0)
	e := c.Issued.AddDate(cleared.MaxClearanceValidityYears, 0, 0)
	if got := RenewalThreshold(c, []cleared.Clearance{c}, e.AddDate(0, -6, 0)); got != 6 {
		t.Fatalf("at the bound - 6 months: %d, want 6", got)
	}
}

// TestRenewalReminderDue_A17_1: a threshold is reminded once: not again once recorded; the next one is due when
// reached.
func TestRenewalReminderDue_A17_1(t *testing.T) {
	c := clearance("per_me", cleared.Secret, now.AddDate(-9, 0, 0))
	all := []cleared.Clearance{c}
	at6 := c.Expires.AddDate(0, -6, 0)
	for _, tc := range []struct {
		name     string
		reminded []int
		at       time.Time
		want     int
	}{
		{"A17.1_due_first_time", nil, at6, 6},
		{"A17.1_due_after_12_reminded", []int{12}, at6, 6},
		{"A17.1_refused_already_reminded", []int{12, 6}, at6, 0},
		{"A17.1_refused_none_reached", nil, c.Expires.AddDate(-2, 0, 0), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := RenewalReminderDue(c, all, tc.reminded, tc.at); got != tc.want {
				t.Fatalf("RenewalReminderDue = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestRenewalRecipients_A17_1: the holder and the security officers in office, once each; not one whose office
// ended or has not begun.
func TestRenewalRecipients_A17_1(t *testing.T) {
	sos := []cleared.SecurityOfficer{
		{PersonID: "per_so", Since: now.Add(-days(10))},
		{PersonID: "per_so", Since: now.Add(-days(20))},
		{PersonID: "per_gone", Since: now.Add(-days(20)), Until: now},
		{PersonID: "per_next", Since: now.Add(time.Nanosecond)},
		{PersonID: "per_me", Since: now.Add(-days(1))},
	}
	got := RenewalRecipients("per_me", sos, now)
	if want := []cleared.PersonID{"per_me", "per_so"}; !slices.Equal(got, want) {
		t.Fatalf("recipients = %v, want %v", got, want)
	}
}

// TestRenewalItems_A17_1: the security officer sees his staff's clearances from 12 months before their expiry,
// exactly, until they expire, while no renewal case of the holder is open; not one instant before, not another
// organisation's, not his own, not once a renewal case is open.
func TestRenewalItems_A17_1(t *testing.T) {
	const so, org = cleared.PersonID("per_so"), cleared.OrganisationID("org_sre")
	jo := cleared.Person{ID: "per_jo", OrganisationID: org}
	other := cleared.Person{ID: "per_x", OrganisationID: "org_other"}
	c := clearance(jo.ID, cleared.Secret, now.AddDate(-9, 0, 0))
	e := c.Expires
	mine := clearance(so, cleared.Secret, c.Issued)
	cx := clearance(other.ID, cleared.Secret, c.Issued)
	holders := []Holder{{Person: jo, Clearances: []cleared.Clearance{c}}, {Person: other, Clearances: []cleared.Clearance{cx}},
		{Person: cleared.Person{ID: so, OrganisationID: org}, Clearances: []cleared.Clearance{mine}}}
	for _, tc := range []struct {
		name     string
		officer  []cleared.OrganisationID
		renewing map[cleared.PersonID]bool
		at       time.Time
		want     int
	}{
		{"A17.1_refused_one_instant_before_12_months", []cleared.OrganisationID{org}, nil, e.AddDate(0, -12, 0).Add(-time.Nanosecond), 0},
		{"A17.1_12_months_exactly", []cleared.OrganisationID{org}, nil, e.AddDate(0, -12, 0), 1},
		{"A17.1_3_months", []cleared.OrganisationID{org}, nil, e.AddDate(0, -3, 0), 1},
		{"A17.1_refused_expired", []cleared.OrganisationID{org}, nil, e, 0},
		{"A17.1_refused_renewal_case_open", []cleared.OrganisationID{org}, map[cleared.PersonID]bool{jo.ID: true}, e.AddDate(0, -6, 0), 0},
		{"A17.1_refused_not_his_officer", nil, nil, e.AddDate(0, -6, 0), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items := RenewalItems(so, tc.officer, holders, tc.renewing, tc.at)
			if len(items) != tc.want {
				t.Fatalf("%d items, want %d: %+v", len(items), tc.want, items)
			}
			for _, it := range items {
				if it.Kind != AgendaRenewal || it.Article != "A17.1" || it.Person.ID != jo.ID || it.Clearance.ID != c.ID || !it.Due.Equal(e) {
					t.Errorf("item %+v", it)
				}
			}
		})
	}
}
