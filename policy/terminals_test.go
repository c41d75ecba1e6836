package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func TestRevokeTerminal(t *testing.T) {
	org := cleared.NewOrganisationID()
	nsa := cleared.Person{ID: cleared.NewPersonID(), Roles: []cleared.Role{cleared.RoleNSAOfficer}}
	nsaCleared := []cleared.Clearance{clearance(nsa.ID, cleared.Secret, now.AddDate(-1, 0, 0))}
	officer := cleared.Person{ID: cleared.NewPersonID()}
	tests := []struct {
		name      string
		p         cleared.Person
		cs        []cleared.Clearance
		officerOf []cleared.OrganisationID
		org       cleared.OrganisationID
		want      Decision
	}{
		{"A9.2 the organisation's security officer revokes its terminal", officer, nil, []cleared.OrganisationID{org}, org, allow()},
		{"A9.2 another organisation's security officer is refused", officer, nil, []cleared.OrganisationID{cleared.NewOrganisationID()}, org, refuse("A9.2")},
		{"A9.2 a person who is no officer is refused", officer, nil, nil, org, refuse("A9.2")},
		{"A20.1 a cleared NSA officer revokes any terminal", nsa, nsaCleared, nil, org, allow()},
		{"A20.1 an NSA officer revokes a terminal in no place", nsa, nsaCleared, nil, "", allow()},
		{"A9.2 an NSA officer without a valid clearance is refused", nsa, nil, nil, org, refuse("A9.2")},
		{"A9.2 no security officer answers for a terminal in no place", officer, nil, []cleared.OrganisationID{org}, "", refuse("A9.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, RevokeTerminal(tt.p, tt.cs, tt.officerOf, tt.org, now), tt.want)
		})
	}
}

func TestTerminalCertificate(t *testing.T) {
	term := cleared.Terminal{ID: cleared.NewTerminalID(), SecurityZone: true, AccreditedLevel: cleared.TopSecret}
	good := cleared.TerminalCertificate{Terminal: term.ID, NotAfter: now.Add(time.Hour), Issued: now.Add(-time.Hour)}
	revokedCert := good
	revokedCert.Revoked = now.Add(-time.Minute)
	laterRevoked := good
	laterRevoked.Revoked = now.Add(time.Minute)
	expired := good
	expired.NotAfter = now
	revokedTerm := term
	revokedTerm.Revoked = now.Add(-time.Minute)
	other := cleared.Terminal{ID: cleared.NewTerminalID()}
	tests := []struct {
		name string
		c    *cleared.TerminalCertificate
		t    *cleared.Terminal
		want Decision
	}{
		{"A8.2 A9.3 a recorded, current certificate speaks for its terminal", &good, &term, allow()},
		{"A9.3 a revocation still to come does not refuse yet", &laterRevoked, &term, allow()},
		{"A9.3 a certificate the server did not record is no terminal", nil, nil, refuse("A9.3")},
		{"A9.3 a revoked certificate is no terminal", &revokedCert, &term, refuse("A9.3")},
		{"A9.3 an expired certificate is no terminal", &expired, &term, refuse("A9.3")},
		{"A9.3 the certificate of a revoked terminal is no terminal", &good, &revokedTerm, refuse("A9.3")},
		{"A9.3 a certificate whose terminal is gone is no terminal", &good, nil, refuse("A9.3")},
		{"A9.3 a certificate checked against another terminal is refused", &good, &other, refuse("A9.3")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, TerminalCertificate(tt.c, tt.t, now), tt.want) })
	}
}
