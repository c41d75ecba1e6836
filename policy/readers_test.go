package policy

import (
	"testing"

	"github.com/cleared/cleared"
)

func TestClearanceFile(t *testing.T) {
	org, other := cleared.NewOrganisationID(), cleared.NewOrganisationID()
	holder := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org}
	c := clearance(holder.ID, cleared.Secret, now.AddDate(-1, 0, 0))
	facility := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderFacility, OrganisationID: org, Level: cleared.Secret}
	nsa := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: other, Roles: []cleared.Role{cleared.RoleNSAOfficer}}
	officer := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org}
	stranger := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org}
	valid := func(p cleared.Person) []cleared.Clearance {
		return []cleared.Clearance{clearance(p.ID, cleared.Confidential, now.AddDate(-1, 0, 0))}
	}
	tests := []struct {
		name      string
		reader    cleared.Person
		cs        []cleared.Clearance
		officerOf []cleared.OrganisationID
		c         cleared.Clearance
		want      Decision
	}{
		{"A23.1 the holder reads his own clearance, even uncleared now", holder, nil, nil, c, allow()},
		{"A20.1 a cleared NSA officer reads any clearance", nsa, valid(nsa), nil, c, allow()},
		{"A23.1 the security officer of the holder's organisation reads it", officer, valid(officer), []cleared.OrganisationID{org}, c, allow()},
		{"A23.1 the security officer of the organisation reads its facility clearance", officer, valid(officer), []cleared.OrganisationID{org}, facility, allow()},
		{"A23.1 a colleague who is not officer may not know it exists", stranger, valid(stranger), nil, c, hide("A23.1")},
		{"A23.1 the officer of another organisation may not know it exists", officer, valid(officer), []cleared.OrganisationID{other}, c, hide("A23.1")},
		{"A20.1 an NSA officer without a valid clearance is refused", nsa, nil, nil, c, refuse("A20.1")},
		{"A23.1 a security officer without a valid clearance is refused", officer, nil, []cleared.OrganisationID{org}, c, refuse("A23.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, ClearanceFile(tt.reader, tt.cs, tt.officerOf, tt.c, org, now), tt.want)
		})
	}
}

func TestReadGrant(t *testing.T) {
	f := newAccess()
	holder := cleared.NewOrganisationID()
	originator := cleared.NewAuthorityID()
	tg := TargetOf(f.secret, cleared.Dossier{})
	grantee := cleared.NewPersonID()
	g := cleared.Grant{ID: cleared.NewGrantID(), PersonID: grantee, Piece: f.secret.ID, GrantedBy: f.person, From: now.AddDate(-1, 0, 0), Until: now.AddDate(1, 0, 0)}
	knower := f.subject(cleared.TopSecret, f.zone) // f.person: cleared and granted the piece
	byOther := g
	byOther.GrantedBy = cleared.NewPersonID()
	unknowing := &Subject{Person: f.person, Clearances: knower.Clearances, Grants: NewGrantSet(nil)}
	tests := []struct {
		name   string
		reader GrantReader
		g      cleared.Grant
		want   Decision
	}{
		{"A9.1 the grantee reads his own grant", GrantReader{Subject: &Subject{Person: grantee}}, g, allow()},
		{"A9.1 who granted it reads it while he knows the piece", GrantReader{Subject: knower}, g, allow()},
		{"A9.1 the originating authority reads it", GrantReader{Subject: knower, Authorities: []cleared.AuthorityID{originator}}, byOther, allow()},
		{"A9.1 the holding organisation's security officer reads it", GrantReader{Subject: knower, OfficerOf: []cleared.OrganisationID{holder}}, byOther, allow()},
		{"A9.1 one who knows the piece but answers not for it may not know the grant", GrantReader{Subject: knower,
			Authorities: []cleared.AuthorityID{cleared.NewAuthorityID()}, OfficerOf: []cleared.OrganisationID{cleared.NewOrganisationID()}}, byOther, hide("A9.1")},
		{"A9.1 the officer who may not know the piece may not know the grant", GrantReader{Subject: unknowing, OfficerOf: []cleared.OrganisationID{holder}}, byOther, hide("A9.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, ReadGrant(tt.reader, tt.g, tg, []cleared.AuthorityID{originator}, holder, now), tt.want)
		})
	}
}

func TestSetDossierLevel(t *testing.T) {
	f := newAuthorities()
	director := f.directorFacts()             // TOP SECRET clearance
	delegate := f.delegateFacts(f.delegation) // SECRET clearance, delegation in force
	actsFor := []cleared.AuthorityID{f.delegate.ID, f.director.ID}
	gone := director
	gone.Office.Until = now.Add(-days(1))
	parts := []cleared.Level{cleared.Confidential, cleared.Secret}
	tests := []struct {
		name     string
		a        Authority
		found    bool
		actsFor  []cleared.AuthorityID
		from, to cleared.Level
		want     Decision
	}{
		{"A4.2 setting the level it already has is refused", delegate, true, actsFor, cleared.Secret, cleared.Secret, refuse("A4.2")},
		{"A4.2 the principal who delegated raises it to TOP SECRET", director, true, actsFor, cleared.Secret, cleared.TopSecret, allow()},
		{"A4.2 the originator sets it higher than its parts", delegate, true, actsFor, cleared.Confidential, cleared.Secret, allow()},
		{"A4.2 below its highest part is refused", director, true, actsFor, cleared.TopSecret, cleared.Confidential, refuse("A4.2")},
		{"A5.2 lowering to its highest part is a downgrade by who acts for the originator", director, true, actsFor, cleared.TopSecret, cleared.Secret, allow()},
		{"A5.2 a stranger authority is refused", f.ministerFacts(), true, actsFor, cleared.Secret, cleared.TopSecret, refuse("A5.2")},
		{"A5.2 an actor holding no authority is refused", Authority{}, false, actsFor, cleared.Secret, cleared.TopSecret, refuse("A5.2")},
		{"A5.3 the originator cannot raise above his own clearance", delegate, true, actsFor, cleared.Secret, cleared.TopSecret, refuse("A5.3")},
		{"A5.1 an authority out of office is refused", gone, true, actsFor, cleared.Secret, cleared.TopSecret, refuse("A5.1")},
		{"A5.1 an authority out of office cannot lower it", gone, true, actsFor, cleared.TopSecret, cleared.Secret, refuse("A5.1")},
		{"A4.1 an unknown level is refused", director, true, actsFor, cleared.Secret, cleared.Level(9), refuse("A4.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, SetDossierLevel(tt.a, tt.found, tt.actsFor, tt.from, tt.to, parts, now), tt.want)
		})
	}
}
