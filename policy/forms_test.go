package policy

import (
	"testing"

	"github.com/cleared/cleared"
)

func TestOffer(t *testing.T) {
	f := newAuthorities()
	nsa := cleared.Person{ID: cleared.NewPersonID(), Roles: []cleared.Role{cleared.RoleNSAOfficer}}
	valid := []cleared.Clearance{clearance(nsa.ID, cleared.Secret, now.AddDate(-1, 0, 0))}
	plain := cleared.Person{ID: cleared.NewPersonID()}
	admin := cleared.Person{ID: cleared.NewPersonID(), Roles: []cleared.Role{cleared.RoleAdmin}}
	gone := f.director
	gone.Until = now.Add(-days(1))
	officer := Offer{Person: plain, OfficerOf: []cleared.OrganisationID{cleared.NewOrganisationID()}}
	tests := []struct {
		name string
		got  Decision
		want Decision
	}{
		{"A20.1 a cleared NSA officer is offered the NSA's registers", OfferRegister(Offer{Person: nsa, Clearances: valid}, now), allow()},
		{"A20.1 anyone else is refused them", OfferRegister(Offer{Person: plain, Clearances: valid}, now), refuse("A20.1")},
		{"A20.1 an NSA officer without a valid clearance is refused them", OfferRegister(Offer{Person: nsa}, now), refuse("A20.1")},
		{"A9.2 a security officer is offered places and terminals", OfferPlaces(officer), allow()},
		{"A9.2 one who is officer of nothing is refused them", OfferPlaces(Offer{Person: nsa, Clearances: valid}), refuse("A9.2")},
		{"A5.1 an authority in office is offered classification", OfferClassify(Offer{Authorities: []cleared.ClassifyingAuthority{f.director}}, now), allow()},
		{"A5.1 an authority out of office is refused it", OfferClassify(Offer{Authorities: []cleared.ClassifyingAuthority{gone}}, now), refuse("A5.1")},
		{"A5.1 one who holds none is refused it", OfferClassify(officer, now), refuse("A5.1")},
		{"A9.1 an authority in office is offered grants", OfferGrant(Offer{Authorities: []cleared.ClassifyingAuthority{f.delegate}}, now), allow()},
		{"A9.1 a security officer is offered grants", OfferGrant(officer, now), allow()},
		{"A9.1 one who is neither is refused them", OfferGrant(Offer{Person: nsa, Clearances: valid, Authorities: []cleared.ClassifyingAuthority{gone}}, now), refuse("A9.1")},
		{"A5.1 a principal in office is offered delegations", OfferDelegate(Offer{Authorities: []cleared.ClassifyingAuthority{f.minister}}, now), allow()},
		{"A5.1 the NSA is offered delegations", OfferDelegate(Offer{Person: nsa, Clearances: valid}, now), allow()},
		{"A5.1 a delegate is refused them", OfferDelegate(Offer{Authorities: []cleared.ClassifyingAuthority{f.delegate}}, now), refuse("A5.1")},
		{"A5.1 a principal out of office is refused them", OfferDelegate(Offer{Authorities: []cleared.ClassifyingAuthority{gone}}, now), refuse("A5.1")},
		{"A9.5 a cleared NSA officer is offered judicial orders", OfferJudicialOrder(Offer{Person: nsa, Clearances: valid}, now), allow()},
		{"A9.5 a security officer is refused them", OfferJudicialOrder(officer, now), refuse("A9.5")},
		{"A20.1 an NSA officer without a valid clearance is refused them", OfferJudicialOrder(Offer{Person: nsa}, now), refuse("A20.1")},
		{"AUTH.ADMIN an administrator is offered accounts", OfferAccounts(Offer{Person: admin}), allow()},
		{"AUTH.ADMIN anyone else is refused them", OfferAccounts(Offer{Person: nsa}), refuse("AUTH.ADMIN")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, tt.got, tt.want) })
	}
}
