package policy

import (
	"testing"

	"github.com/cleared/cleared"
)

func TestManageWebhook(t *testing.T) {
	mine, other := cleared.NewOrganisationID(), cleared.NewOrganisationID()
	tests := []struct {
		name      string
		officerOf []cleared.OrganisationID
		nsa       bool
		org       cleared.OrganisationID
		want      Decision
	}{
		{"A13.1 the security officer in office registers his organisation's endpoint", []cleared.OrganisationID{other, mine}, false, mine, allow()},
		{"A13.1 the NSA registers any organisation's endpoint", nil, true, other, allow()},
		{"A13.1 a security officer of another organisation is refused", []cleared.OrganisationID{other}, false, mine, refuse("A13.1")},
		{"A13.1 one who is no security officer (or no longer in office) is refused", nil, false, mine, refuse("A13.1")},
		{"A13.1 no organisation named is refused to an officer", []cleared.OrganisationID{mine}, false, "", refuse("A13.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, ManageWebhook(tt.officerOf, tt.nsa, tt.org), tt.want)
		})
	}
}

func TestOfferWebhooks(t *testing.T) {
	org := cleared.NewOrganisationID()
	nsa := cleared.Person{ID: cleared.NewPersonID(), Roles: []cleared.Role{cleared.RoleNSAOfficer}}
	tests := []struct {
		name string
		o    Offer
		want Decision
	}{
		{"A13.1 offered to a security officer in office", Offer{Person: cleared.Person{ID: cleared.NewPersonID()}, OfficerOf: []cleared.OrganisationID{org}}, allow()},
		{"A13.1 offered to an NSA officer", Offer{Person: nsa}, allow()},
		{"A13.1 not offered to anyone else", Offer{Person: cleared.Person{ID: cleared.NewPersonID(), Roles: []cleared.Role{cleared.RoleAuditor}}}, refuse("A13.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, OfferWebhooks(tt.o), tt.want) })
	}
}
