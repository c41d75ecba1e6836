package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func TestDestroy(t *testing.T) {
	f := newAccess()
	tests := []struct {
		name      string
		s         *Subject
		piece     cleared.Piece
		custodian bool
		destroyed bool
		want      Decision
		pending   bool
	}{
		{"A10.1 the holder of a SECRET piece destroys it", f.subject(cleared.Secret, f.office), f.secret, false, false, allow(), false},
		{"A10.1 the holder of a TRES SECRET piece destroys it in the security zone", f.subject(cleared.TopSecret, f.zone), f.topSecret, false, false, allow(), false},
		{"A10.1 the custodian of a physical piece destroys it without a grant", &Subject{Person: f.person}, f.otherPiece, true, false, allow(), false},
		{"A10.1 a stranger is refused and the piece hidden", f.subject(cleared.Secret, f.office), f.otherPiece, false, false, hide("A9.1"), false},
		{"A10.1 a holder cleared below the piece is refused and it is hidden", f.subject(cleared.Confidential, f.office), f.secret, false, false, hide("A9.1"), false},
		{"A8.2 TRES SECRET is not destroyed from outside the security zone", f.subject(cleared.TopSecret, f.office), f.topSecret, false, false, refuse("A8.2"), false},
		{"A10.1 a piece already destroyed is refused", f.subject(cleared.Secret, f.office), f.secret, false, true, refuse("A10.1"), false},
		{"A10.1 a physical piece already destroyed is refused to its custodian", &Subject{Person: f.person}, f.otherPiece, true, true, refuse("A10.1"), false},
		{"A10.1 a stranger learns nothing of a destroyed piece", f.subject(cleared.Secret, f.office), f.otherPiece, false, true, hide("A9.1"), false},
		{"A10.2 a destruction awaiting its countersignature is not started again", f.subject(cleared.Secret, f.office), f.secret, false, false, refuse("A10.2"), true},
		{"A10.2 a stranger learns nothing of a pending destruction", f.subject(cleared.Secret, f.office), f.otherPiece, false, false, hide("A9.1"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, Destroy(tt.s, TargetOf(tt.piece, f.dossier), tt.custodian, tt.destroyed, tt.pending, now), tt.want)
		})
	}
}

func TestReportNeeded(t *testing.T) {
	tests := []struct {
		name  string
		level cleared.Level
		duty  bool
		want  bool
	}{
		{"A10.2 TRES SECRET needs a report", cleared.TopSecret, false, true},
		{"A10.2 SECRET needs a report", cleared.Secret, false, true},
		{"A10.2 CONFIDENTIEL needs none", cleared.Confidential, false, false},
		{"A10.2 RESTREINT needs none", cleared.Restricted, false, false},
		{"A1.1 CONFIDENTIEL needs one where a profile says so", cleared.Confidential, true, true},
	}
	for _, tt := range tests {
		if got := ReportNeeded(tt.level, tt.duty); got != tt.want {
			t.Errorf("%s: ReportNeeded = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCountersigner(t *testing.T) {
	org := cleared.NewOrganisationID()
	holder, officer, second := cleared.NewPersonID(), cleared.NewPersonID(), cleared.NewPersonID()
	officers := []cleared.SecurityOfficer{
		{OrganisationID: org, PersonID: officer, Since: now.AddDate(-1, 0, 0)},
		{OrganisationID: org, PersonID: second, Since: now.AddDate(-1, 0, 0)},
		{OrganisationID: cleared.NewOrganisationID(), PersonID: holder, Since: now.AddDate(-1, 0, 0)},
	}
	former := []cleared.SecurityOfficer{{OrganisationID: org, PersonID: officer, Since: now.AddDate(-2, 0, 0), Until: now}}
	tests := []struct {
		name              string
		person, destroyer cleared.PersonID
		officers          []cleared.SecurityOfficer
		want              Decision
		signers           []cleared.PersonID
		done              bool
	}{
		{"A10.2 the organisation's security officer countersigns", officer, holder, officers, allow(), nil, false},
		{"A10.2 the destroyer cannot countersign his own report", holder, holder, officers, refuse("A10.2"), nil, false},
		{"A10.2 an officer who destroyed cannot countersign himself", officer, officer, officers, refuse("A10.2"), nil, false},
		{"A10.2 a second officer countersigns the officer's destruction", second, officer, officers, allow(), nil, false},
		{"A10.2 an officer of another organisation is refused", holder, officer, officers, refuse("A10.2"), nil, false},
		{"A10.2 a stranger is refused", cleared.NewPersonID(), holder, officers, refuse("A10.2"), nil, false},
		{"A10.2 an officer whose office ended at this instant is refused", officer, holder, former, refuse("A10.2"), nil, false},
		{"A10.2 an officer who signed already is refused", second, holder, officers, refuse("A10.2"), []cleared.PersonID{holder, second}, false},
		{"A10.2 a complete destruction is not countersigned again", officer, holder, officers, refuse("A10.2"), []cleared.PersonID{holder, second}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, Countersigner(tt.person, tt.destroyer, org, tt.officers, tt.signers, tt.done, now), tt.want)
		})
	}
}

func TestSignWith(t *testing.T) {
	me := cleared.NewPersonID()
	c := cleared.SigningCertificate{Person: me, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0)}
	revoked := c
	revoked.Revoked = now
	revokedLater := c
	revokedLater.Revoked = now.Add(time.Second)
	tests := []struct {
		name   string
		c      cleared.SigningCertificate
		signer cleared.PersonID
		at     time.Time
		want   Decision
	}{
		{"E2 the holder signs with his certificate", c, me, now, allow()},
		{"E2 another person's certificate is refused", c, cleared.NewPersonID(), now, refuse("E2")},
		{"E2 a certificate revoked at this instant cannot sign", revoked, me, now, refuse("E2")},
		{"E2 a signature made before the revocation stays valid", revokedLater, me, now, allow()},
		{"E2 a certificate at its end cannot sign", c, me, c.NotAfter, refuse("E2")},
		{"E2 a certificate before its start cannot sign", c, me, c.NotBefore.Add(-time.Nanosecond), refuse("E2")},
		{"E2 a certificate at its start signs", c, me, c.NotBefore, allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, SignWith(tt.c, tt.signer, tt.at), tt.want) })
	}
}

func TestManageCertificate(t *testing.T) {
	org := cleared.NewOrganisationID()
	holder := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org}
	actor := cleared.NewPersonID()
	tests := []struct {
		name      string
		actor     cleared.PersonID
		nsa       bool
		officerOf []cleared.OrganisationID
		revoke    bool
		want      Decision
	}{
		{"E2 an NSA officer issues", actor, true, nil, false, allow()},
		{"E2 the security officer of the holder's organisation issues", actor, false, []cleared.OrganisationID{org}, false, allow()},
		{"E2 the security officer of the holder's organisation revokes", actor, false, []cleared.OrganisationID{org}, true, allow()},
		{"E2 the holder revokes his own", holder.ID, false, nil, true, allow()},
		{"E2 the holder does not issue his own", holder.ID, false, nil, false, refuse("E2")},
		{"E2 an officer of another organisation is refused", actor, false, []cleared.OrganisationID{cleared.NewOrganisationID()}, true, refuse("E2")},
		{"E2 a stranger is refused", actor, false, nil, true, refuse("E2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, ManageCertificate(tt.actor, tt.nsa, tt.officerOf, holder, tt.revoke), tt.want)
		})
	}
}

func TestSeeDestruction(t *testing.T) {
	org := cleared.NewOrganisationID()
	d := cleared.Destruction{DestroyedBy: cleared.NewPersonID(), OrganisationID: org}
	other := cleared.NewPersonID()
	tests := []struct {
		name      string
		person    cleared.PersonID
		officerOf []cleared.OrganisationID
		oversight bool
		knows     bool
		want      Decision
	}{
		{"A10.2 whoever destroyed reads the report", d.DestroyedBy, nil, false, false, allow()},
		{"A10.2 the security officer of the holding organisation reads it", other, []cleared.OrganisationID{org}, false, false, allow()},
		{"A10.2 the NSA or an auditor reads it", other, nil, true, false, allow()},
		{"A9.1 one who may know the piece reads it", other, nil, false, true, allow()},
		{"A9.1 a stranger is answered not found", other, []cleared.OrganisationID{cleared.NewOrganisationID()}, false, false, hide("A9.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, SeeDestruction(tt.person, d, tt.officerOf, tt.oversight, tt.knows), tt.want)
		})
	}
}

func TestDestroyDuties(t *testing.T) {
	report := Obligation{Duty: DutyDestructionReport, Rule: "A1.1", Profile: "NATO"}
	other := Obligation{Duty: "witnessed_burning", Rule: "A1.1", Profile: "MinDef"}
	checkDecision(t, DestroyDuties(Outcome{Decision: Allow}), allow())
	checkDecision(t, DestroyDuties(Outcome{Decision: Allow, Obligations: []Obligation{report}}), allow())
	// A1.1: a duty the workflow cannot perform refuses the act rather than being skipped.
	checkDecision(t, DestroyDuties(Outcome{Decision: Allow, Obligations: []Obligation{report, other}}), refuse("A1.1"))
}

func TestChooseCertificate(t *testing.T) {
	me := cleared.NewPersonID()
	cert := func(issued time.Time, held bool) cleared.SigningCertificate {
		c := cleared.SigningCertificate{Fingerprint: issued.String(), Person: me, NotBefore: issued, NotAfter: issued.AddDate(2, 0, 0)}
		if held {
			c.SealedKey = []byte("sealed")
		}
		return c
	}
	old, newer := cert(now.AddDate(-1, 0, 0), true), cert(now.AddDate(0, -1, 0), true)
	revoked := newer
	revoked.Revoked = now.Add(-time.Hour)
	expired := cert(now.AddDate(-3, 0, 0), true)
	foreign := cert(now.AddDate(0, -1, 0), false)
	tests := []struct {
		name      string
		certs     []cleared.SigningCertificate
		want      cleared.SigningCertificate
		wantIssue bool
		dec       Decision
	}{
		{"E2 one without a certificate is issued one at first use", nil, cleared.SigningCertificate{}, true, allow()},
		{"E2 the newest certificate signs", []cleared.SigningCertificate{old, newer}, newer, false, allow()},
		{"E2 a revoked certificate gives way to an older valid one", []cleared.SigningCertificate{old, revoked}, old, false, allow()},
		{"E2 a revoked certificate alone is refused, not replaced", []cleared.SigningCertificate{revoked}, revoked, false, refuse("E2")},
		{"E2 an expired certificate alone is refused", []cleared.SigningCertificate{expired}, expired, false, refuse("E2")},
		{"E2 only the organisation's certificates: sign outside cleared", []cleared.SigningCertificate{foreign}, cleared.SigningCertificate{}, false, refuse("E2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, issue, d := ChooseCertificate(tt.certs, me, now)
			checkDecision(t, d, tt.dec)
			if issue != tt.wantIssue || c.Fingerprint != tt.want.Fingerprint {
				t.Errorf("ChooseCertificate = %q, issue %v; want %q, issue %v", c.Fingerprint, issue, tt.want.Fingerprint, tt.wantIssue)
			}
		})
	}
}

func TestHandedSignature(t *testing.T) {
	checkDecision(t, HandedSignature(true, "", true), allow())
	checkDecision(t, HandedSignature(false, "message digest mismatch", true), refuse("E2"))
	checkDecision(t, HandedSignature(true, "", false), refuse("E2"))
}
