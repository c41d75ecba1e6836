package policy

import (
	"testing"

	"github.com/cleared/cleared"
)

func TestNSARegister(t *testing.T) {
	officer := cleared.Person{ID: cleared.NewPersonID(), Roles: []cleared.Role{cleared.RoleNSAOfficer}}
	valid := []cleared.Clearance{clearance(officer.ID, cleared.Secret, now.AddDate(-1, 0, 0))}
	expired := []cleared.Clearance{clearance(officer.ID, cleared.TopSecret, now.AddDate(-5, 0, 0))}
	tests := []struct {
		name string
		p    cleared.Person
		cs   []cleared.Clearance
		want Decision
	}{
		{"A20.1 cleared NSA officer keeps the registers", officer, valid, allow()},
		{"A20.1 person without the NSA role is refused", cleared.Person{ID: officer.ID}, valid, refuse("A20.1")},
		{"A20.1 NSA officer whose clearance expired is refused", officer, expired, refuse("A20.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, NSARegister(tt.p, tt.cs, now), tt.want) })
	}
}

func TestDesignateOfficer(t *testing.T) {
	p := cleared.NewPersonID()
	checkDecision(t, DesignateOfficer([]cleared.Clearance{clearance(p, cleared.Confidential, now.AddDate(-1, 0, 0))}, now), allow())
	t.Run("A2.2 security officer without a valid clearance is refused", func(t *testing.T) {
		checkDecision(t, DesignateOfficer([]cleared.Clearance{withStatus(clearance(p, cleared.Secret, now.AddDate(-1, 0, 0)), cleared.ClearanceWithdrawn)}, now), refuse("A2.2"))
		checkDecision(t, DesignateOfficer(nil, now), refuse("A2.2"))
	})
}

func TestDelegate(t *testing.T) {
	f := newAuthorities()
	from, until := now, now.AddDate(1, 0, 0)
	gone := f.director
	gone.Until = now
	selfDelegate := f.director // the same office recorded a second time as a delegate
	selfDelegate.Kind = cleared.AuthorityDelegate
	tests := []struct {
		name                string
		principal, delegate cleared.ClassifyingAuthority
		from, until         string
		want                Decision
	}{
		{"A5.1 SRE director delegates to a delegate", f.director, f.delegate, "", "", allow()},
		{"A5.1 member of the Government delegates", f.minister, f.delegate, "", "", allow()},
		{"A5.1 a delegate cannot delegate further", f.delegate, f.delegate, "", "", refuse("A5.1")},
		{"A5.1 delegating to a principal office is refused", f.director, f.minister, "", "", refuse("A5.1")},
		{"A5.1 delegation ending before it starts is refused", f.director, f.delegate, "inverted", "", refuse("A5.1")},
		{"A5.1 principal out of office cannot delegate", gone, f.delegate, "", "", refuse("A5.1")},
		{"A5.1 an authority cannot delegate to itself, whatever its records say", f.director, selfDelegate, "", "", refuse("A5.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fr, un := from, until
			if tt.from == "inverted" {
				fr, un = until, from
			}
			checkDecision(t, Delegate(tt.principal, tt.delegate, fr, un), tt.want)
		})
	}
}

func TestGrantNeedToKnow(t *testing.T) {
	f := newAccess()
	org := cleared.NewOrganisationID()
	originator := cleared.NewAuthorityID()
	actsFor := []cleared.AuthorityID{originator}
	granterSubject := f.subject(cleared.TopSecret, f.zone)
	asOriginator := Granter{Subject: granterSubject, Authorities: []cleared.AuthorityID{originator}}
	asOfficer := Granter{Subject: granterSubject, OfficerOf: []cleared.OrganisationID{org}}
	asNobody := Granter{Subject: granterSubject, OfficerOf: []cleared.OrganisationID{cleared.NewOrganisationID()}}
	officerWithoutGrant := Granter{Subject: &Subject{Person: f.person, Clearances: granterSubject.Clearances, Grants: NewGrantSet(nil)}, OfficerOf: []cleared.OrganisationID{org}}
	grantee := func(l cleared.Level) *Subject {
		p := cleared.NewPersonID()
		return &Subject{Person: p, Clearances: []cleared.Clearance{clearance(p, l, now.AddDate(-1, 0, 0))}}
	}
	dossierTarget := Target{Dossier: f.dossier.ID, Level: f.dossier.Level, DossierLevel: f.dossier.Level}
	year := now.AddDate(1, 0, 0)
	tests := []struct {
		name        string
		g           Granter
		grantee     *Subject
		tg          Target
		from, until string
		want        Decision
	}{
		{"A9.1 originator grants need-to-know to a SECRET holder", asOriginator, grantee(cleared.Secret), TargetOf(f.secret, f.dossier), "", "", allow()},
		{"A9.1 security officer of the holder grants need-to-know", asOfficer, grantee(cleared.TopSecret), TargetOf(f.topSecret, f.dossier), "", "", allow()},
		{"A9.1 grant on a dossier to a TRES SECRET holder", asOfficer, grantee(cleared.TopSecret), dossierTarget, "", "", allow()},
		{"A9.1 grant on a dossier needs a clearance at the dossier's level", asOfficer, grantee(cleared.Secret), dossierTarget, "", "", refuse("A9.1")},
		{"A9.1 grantee below the piece's level is refused", asOriginator, grantee(cleared.Confidential), TargetOf(f.secret, f.dossier), "", "", refuse("A9.1")},
		{"A9.1 grantee without clearance is refused", asOriginator, &Subject{Person: cleared.NewPersonID()}, TargetOf(f.restricted, f.dossier), "", "", refuse("A9.1")},
		{"A14.1 member of the Government may be granted without clearance", asOriginator, &Subject{ClearanceExempt: true}, TargetOf(f.topSecret, f.dossier), "", "", allow()},
		{"A9.1 neither originator nor officer is refused", asNobody, grantee(cleared.Secret), TargetOf(f.secret, f.dossier), "", "", refuse("A9.1")},
		{"A9.1 granter who may not know the piece is hidden", officerWithoutGrant, grantee(cleared.Secret), TargetOf(f.secret, f.dossier), "", "", hide("A9.1")},
		{"A9.1 grant that has already ended is refused", asOriginator, grantee(cleared.Secret), TargetOf(f.secret, f.dossier), "past", "", refuse("A9.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, until := now, year
			if tt.from == "past" {
				from, until = now.AddDate(-1, 0, 0), now.Add(-days(1))
			}
			checkDecision(t, GrantNeedToKnow(tt.g, actsFor, org, tt.grantee, tt.tg, from, until, now), tt.want)
		})
	}
}

func TestEstablishPlace(t *testing.T) {
	org := cleared.NewOrganisationID()
	checkDecision(t, EstablishPlace([]cleared.OrganisationID{org}, org), allow())
	t.Run("A9.2 only the organisation's security officer establishes places", func(t *testing.T) {
		checkDecision(t, EstablishPlace([]cleared.OrganisationID{cleared.NewOrganisationID()}, org), refuse("A9.2"))
		checkDecision(t, EstablishPlace(nil, org), refuse("A9.2"))
	})
}

func TestCustody(t *testing.T) {
	zone := cleared.Place{AccreditedLevel: cleared.TopSecret, SecurityZone: true}
	office := cleared.Place{AccreditedLevel: cleared.Secret}
	tsOffice := cleared.Place{AccreditedLevel: cleared.TopSecret}
	lobby := cleared.Place{Public: true}
	tests := []struct {
		name  string
		place cleared.Place
		level cleared.Level
		want  Decision
	}{
		{"A8.2 TRES SECRET kept in a security zone", zone, cleared.TopSecret, allow()},
		{"A8.1 SECRET kept in a place accredited SECRET", office, cleared.Secret, allow()},
		{"A8.1 CONFIDENTIEL kept in a place accredited SECRET", office, cleared.Confidential, allow()},
		{"A8.2 TRES SECRET outside a security zone is refused", tsOffice, cleared.TopSecret, refuse("A8.2")},
		{"A8.2 TRES SECRET in a SECRET office is refused by A8.2 first", office, cleared.TopSecret, refuse("A8.2")},
		{"A8.1 SECRET in a place accredited CONFIDENTIEL is refused", cleared.Place{AccreditedLevel: cleared.Confidential}, cleared.Secret, refuse("A8.1")},
		{"A9.3 nothing classified is kept in a public place", lobby, cleared.Restricted, refuse("A9.3")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Custody(tt.place, tt.level), tt.want) })
	}
}

func TestPlaceAndTerminalAccreditation(t *testing.T) {
	places := []struct {
		name         string
		level        cleared.Level
		zone, public bool
		want         Decision
	}{
		{"A8.2 a security zone accredited TRES SECRET", cleared.TopSecret, true, false, allow()},
		{"A8.1 an office accredited SECRET", cleared.Secret, false, false, allow()},
		{"A9.3 a public place accredited for nothing classified", cleared.Unclassified, false, true, allow()},
		{"A8.2 a place accredited TRES SECRET must be a security zone", cleared.TopSecret, false, false, refuse("A8.2")},
		{"A9.3 a public place accredited RESTREINT is refused", cleared.Restricted, false, true, refuse("A9.3")},
		{"A9.3 a public place accredited TRES SECRET is refused", cleared.TopSecret, true, true, refuse("A9.3")},
		{"A9.3 a public security zone is refused", cleared.Unclassified, true, true, refuse("A9.3")},
	}
	for _, tt := range places {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, PlaceAccreditation(tt.level, tt.zone, tt.public), tt.want) })
	}
	office := cleared.Place{AccreditedLevel: cleared.Secret}
	checkDecision(t, TerminalAccreditation(office, cleared.Secret), allow())
	checkDecision(t, TerminalAccreditation(office, cleared.Restricted), allow())
	t.Run("A8.1 a terminal is never accredited above its place", func(t *testing.T) {
		checkDecision(t, TerminalAccreditation(office, cleared.TopSecret), refuse("A8.1"))
	})
}

func TestAuthorityHolder(t *testing.T) {
	minister := cleared.Person{GovernmentMember: true}
	official := cleared.Person{}
	checkDecision(t, AuthorityHolder(minister, cleared.AuthorityGovernmentMember), allow())
	checkDecision(t, AuthorityHolder(official, cleared.AuthorityDelegate), allow())
	checkDecision(t, AuthorityHolder(official, cleared.AuthoritySREDirector), allow())
	t.Run("A5.1 only a member of the Government holds a government_member authority", func(t *testing.T) {
		checkDecision(t, AuthorityHolder(official, cleared.AuthorityGovernmentMember), refuse("A5.1"))
	})
}

func TestPersonFile(t *testing.T) {
	org, other := cleared.NewOrganisationID(), cleared.NewOrganisationID()
	target := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org}
	nsa := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: other, Roles: []cleared.Role{cleared.RoleNSAOfficer}}
	officer := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org}
	colleague := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org}
	valid := func(p cleared.Person) []cleared.Clearance {
		return []cleared.Clearance{clearance(p.ID, cleared.Secret, now.AddDate(-1, 0, 0))}
	}
	// Issued five years ago at TOP SECRET: it expires exactly now, so it is no longer valid (A17.1).
	expiredNow := func(p cleared.Person) []cleared.Clearance {
		return []cleared.Clearance{clearance(p.ID, cleared.TopSecret, now.AddDate(-5, 0, 0))}
	}
	withdrawn := func(p cleared.Person) []cleared.Clearance {
		return []cleared.Clearance{withStatus(clearance(p.ID, cleared.Secret, now.AddDate(-1, 0, 0)), cleared.ClearanceWithdrawn)}
	}
	tests := []struct {
		name      string
		reader    cleared.Person
		cs        []cleared.Clearance
		officerOf []cleared.OrganisationID
		want      Decision
	}{
		{"A23.1 the person reads his own file, cleared or not", target, nil, nil, allow()},
		{"A20.1 a cleared NSA officer reads any file", nsa, valid(nsa), nil, allow()},
		{"A20.1 an NSA officer whose clearance expires now is refused", nsa, expiredNow(nsa), nil, refuse("A20.1")},
		{"A20.1 an NSA officer whose clearance was withdrawn is refused", nsa, withdrawn(nsa), nil, refuse("A20.1")},
		{"A20.1 an NSA officer without a clearance is refused", nsa, nil, nil, refuse("A20.1")},
		{"A23.1 a cleared security officer reads his staff's files", officer, valid(officer), []cleared.OrganisationID{org}, allow()},
		{"A23.1 a security officer whose clearance expired is refused", officer, expiredNow(officer), []cleared.OrganisationID{org}, refuse("A23.1")},
		{"A23.1 a security officer of another organisation may not know the person", officer, valid(officer), []cleared.OrganisationID{other}, hide("A23.1")},
		{"A23.1 a colleague may not know the person", colleague, valid(colleague), nil, hide("A23.1")},
		{"A23.1 a cleared stranger may not know the person", cleared.Person{ID: cleared.NewPersonID()}, nil, nil, hide("A23.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, PersonFile(tt.reader, tt.cs, tt.officerOf, target, now), tt.want)
		})
	}
}

func TestAuditReader(t *testing.T) {
	for _, tt := range []struct {
		name string
		role []cleared.Role
		want Decision
	}{
		{"A11.2 an auditor reads the log", []cleared.Role{cleared.RoleAuditor}, allow()},
		{"A11.2 an NSA officer reads the log", []cleared.Role{cleared.RoleNSAOfficer}, allow()},
		{"A11.2 an administrator is refused", []cleared.Role{cleared.RoleAdmin}, refuse("A11.2")},
		{"A11.2 a person with no role is refused", nil, refuse("A11.2")},
	} {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, AuditReader(cleared.Person{Roles: tt.role}), tt.want) })
	}
}

func TestHoldsAuthority(t *testing.T) {
	p := cleared.NewPersonID()
	office := cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID(), PersonID: p}
	checkDecision(t, HoldsAuthority(p, office, true), allow())
	t.Run("A5.1 another person's authority is refused", func(t *testing.T) {
		checkDecision(t, HoldsAuthority(cleared.NewPersonID(), office, true), refuse("A5.1"))
	})
	t.Run("A5.1 an unknown authority is refused in the same words", func(t *testing.T) {
		unknown, theirs := HoldsAuthority(p, cleared.ClassifyingAuthority{}, false), HoldsAuthority(cleared.NewPersonID(), office, true)
		checkDecision(t, unknown, refuse("A5.1"))
		if unknown != theirs {
			t.Fatalf("an unknown authority reads %+v, another's %+v", unknown, theirs)
		}
	})
}
