package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func TestConsented(t *testing.T) {
	f := newAccess()
	originator, successor := cleared.NewAuthorityID(), cleared.NewAuthorityID()
	actsFor := []cleared.AuthorityID{originator, successor}
	consent := &cleared.CopyConsent{Piece: f.secret.ID, By: successor, To: f.person, Copies: 1, Given: now.Add(-time.Hour), Until: now.Add(days(1))}
	tests := []struct {
		name    string
		consent *cleared.CopyConsent
		made    int
		want    Decision
	}{
		// A1.1: a profile asks the originator's consent below TOP SECRET; the consent is that of A9.4.
		{"A9.4 consent given by the originator's successor counts (A5.2)", consent, 0, allow()},
		{"A9.4 no consent is refused", nil, 0, refuse("A9.4")},
		{"A9.4 a consent used up is refused", consent, 1, refuse("A9.4")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, Consented(f.person, f.secret.ID, tt.consent, actsFor, tt.made, now), tt.want)
		})
	}
}

func TestConsentAuthority(t *testing.T) {
	originator, successor, stranger := cleared.NewAuthorityID(), cleared.NewAuthorityID(), cleared.NewAuthorityID()
	actsFor := []cleared.AuthorityID{originator, successor}
	tests := []struct {
		name string
		mine []cleared.AuthorityID
		as   cleared.AuthorityID
		want Decision
	}{
		{"A9.4 the originator consents", []cleared.AuthorityID{originator}, originator, allow()},
		{"A9.4 A5.2 the originator's successor consents", []cleared.AuthorityID{stranger, successor}, successor, allow()},
		{"A9.4 another authority may not consent", []cleared.AuthorityID{stranger}, "", refuse("A9.4")},
		{"A9.4 one holding no authority may not consent", nil, "", refuse("A9.4")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as, d := ConsentAuthority(tt.mine, actsFor)
			checkDecision(t, d, tt.want)
			if as != tt.as {
				t.Errorf("acts as %s, want %s", as, tt.as)
			}
		})
	}
}

func TestCopyHolder(t *testing.T) {
	f := newAccess()
	tests := []struct {
		name string
		s    *Subject
		want Decision
	}{
		{"A9.1 a holder cleared with need-to-know may hold a copy", f.subject(cleared.Secret, nil), allow()},
		{"A9.1 a holder cleared below the piece may not hold a copy, and the maker is told", f.subject(cleared.Confidential, nil), refuse("A9.1")},
		{"A9.1 a holder without clearance may not hold a copy", f.subject(cleared.Unclassified, nil), refuse("A9.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, CopyHolder(tt.s, TargetOf(f.secret, f.dossier), now), tt.want)
		})
	}
}

func TestSeeCopy(t *testing.T) {
	holder, maker, other := cleared.NewPersonID(), cleared.NewPersonID(), cleared.NewPersonID()
	org, otherOrg := cleared.NewOrganisationID(), cleared.NewOrganisationID()
	c := cleared.Copy{Holder: holder, CreatedBy: maker, OrganisationID: org}
	tests := []struct {
		name string
		v    CopyViewer
		want bool
	}{
		{"A9.4 the originator sees every copy", CopyViewer{Person: other, Originator: true}, true},
		{"A9.4 the NSA sees every copy", CopyViewer{Person: other, NSA: true}, true},
		{"A9.4 the holder sees his copy", CopyViewer{Person: holder}, true},
		{"A9.4 the maker sees the copy he made", CopyViewer{Person: maker}, true},
		{"A9.4 the security officer of the holding organisation sees its copies", CopyViewer{Person: other, OfficerOf: []cleared.OrganisationID{org}}, true},
		{"A9.4 another reader of the piece does not see the copy", CopyViewer{Person: other, OfficerOf: []cleared.OrganisationID{otherOrg}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SeeCopy(tt.v, c); got != tt.want {
				t.Errorf("SeeCopy = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDestroyCopy(t *testing.T) {
	holder, officer, other := cleared.NewPersonID(), cleared.NewPersonID(), cleared.NewPersonID()
	org := cleared.NewOrganisationID()
	officers := []cleared.OrganisationID{org}
	c := cleared.Copy{Holder: holder, OrganisationID: org}
	gone := c
	gone.Destroyed = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		p         cleared.PersonID
		officerOf []cleared.OrganisationID
		c         cleared.Copy
		pending   bool
		want      Decision
	}{
		{"A10.1 the holder destroys the copy", holder, nil, c, false, allow()},
		{"A10.1 the security officer of its organisation destroys it", officer, officers, c, false, allow()},
		{"A10.1 the officer of another organisation may not", other, []cleared.OrganisationID{cleared.NewOrganisationID()}, c, false, refuse("A10.1")},
		{"A10.1 another person may not destroy the copy", other, nil, c, false, refuse("A10.1")},
		{"A10.1 a copy destroyed already", holder, nil, gone, false, refuse("A10.1")},
		{"A10.2 a copy whose report awaits its countersignature", holder, nil, c, true, refuse("A10.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, DestroyCopy(tt.p, tt.officerOf, tt.c, tt.pending), tt.want)
		})
	}
}

func TestTakeInventory(t *testing.T) {
	org := cleared.NewOrganisationID()
	tests := []struct {
		name      string
		officerOf []cleared.OrganisationID
		nsa       bool
		want      Decision
	}{
		{"A1.1 the organisation's security officer takes its inventory", []cleared.OrganisationID{org}, false, allow()},
		{"A1.1 the NSA takes an organisation's inventory", nil, true, allow()},
		{"A1.1 the officer of another organisation may not", []cleared.OrganisationID{cleared.NewOrganisationID()}, false, refuse("A1.1")},
		{"A1.1 a staff member may not", nil, false, refuse("A1.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, TakeInventory(tt.officerOf, tt.nsa, org), tt.want)
		})
	}
}

func TestUnperformedDuty(t *testing.T) {
	// A1.1: a duty the service cannot perform refuses the act, naming the profile.
	d := UnperformedDuty(Obligation{Duty: "inventory", Rule: "A1.1", Profile: "NATO"}, "a copy")
	checkDecision(t, d, refuse("A1.1"))
	if want := "NATO: the rule profile asks inventory of a copy, which cleared cannot do"; d.Reason != want {
		t.Errorf("reason %q, want %q", d.Reason, want)
	}
}
