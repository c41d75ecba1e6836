package policy

import (
	"slices"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func TestReportIncident(t *testing.T) {
	org, other := cleared.NewOrganisationID(), cleared.NewOrganisationID()
	holder := IncidentActor{Person: cleared.NewPersonID(), OrganisationID: org}
	officer := IncidentActor{Person: cleared.NewPersonID(), OrganisationID: other, OfficerOf: []cleared.OrganisationID{org}}
	nsa := IncidentActor{Person: cleared.NewPersonID(), OrganisationID: other, NSA: true}
	tests := []struct {
		name string
		a    IncidentActor
		k    cleared.IncidentKind
		o    IncidentObject
		want Decision
	}{
		{"A13.1 a piece one may know", holder, cleared.IncidentCompromise, IncidentObject{Kind: cleared.IncidentPiece, Known: true}, allow()},
		{"A13.1 a copy of a piece one may know", holder, cleared.IncidentSuspectedCompromise, IncidentObject{Kind: cleared.IncidentCopy, Known: true}, allow()},
		{"A13.1 A9.1 a piece one may not know is not found", holder, cleared.IncidentCompromise, IncidentObject{Kind: cleared.IncidentPiece}, hide("A9.1")},
		{"A13.2 A9.1 a copy of a piece one may not know is not found", holder, cleared.IncidentAttempt, IncidentObject{Kind: cleared.IncidentCopy}, hide("A9.1")},
		{"A13.2 a place of one's organisation", holder, cleared.IncidentThreat, IncidentObject{Kind: cleared.IncidentPlace, OrganisationID: org}, allow()},
		{"A13.2 a terminal of an organisation one is officer of", officer, cleared.IncidentAttempt, IncidentObject{Kind: cleared.IncidentTerminal, OrganisationID: org}, allow()},
		{"A13.1 the NSA reports about a person of any organisation", nsa, cleared.IncidentCompromise, IncidentObject{Kind: cleared.IncidentPerson, OrganisationID: org}, allow()},
		{"A13.2 A9.1 a place of another organisation is not found", holder, cleared.IncidentThreat, IncidentObject{Kind: cleared.IncidentPlace, OrganisationID: other}, hide("A9.1")},
		{"A13.1 A9.1 a person of no organisation is not found", holder, cleared.IncidentCompromise, IncidentObject{Kind: cleared.IncidentPerson}, hide("A9.1")},
		{"A13.1 a register row is cleared's to raise", nsa, cleared.IncidentCompromise, IncidentObject{Kind: cleared.IncidentRegisterRow}, refuse("A13.1")},
		{"A13.2 a register row is cleared's to raise", nsa, cleared.IncidentThreat, IncidentObject{Kind: cleared.IncidentRegisterRow}, refuse("A13.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, ReportIncident(tt.a, tt.k, tt.o), tt.want) })
	}
}

func TestSeeIncident(t *testing.T) {
	org := cleared.NewOrganisationID()
	reporter := cleared.NewPersonID()
	i := cleared.Incident{ID: cleared.NewIncidentID(), OrganisationID: org, ReportedBy: reporter}
	tests := []struct {
		name     string
		a        IncidentActor
		notified bool
		want     IncidentView
	}{
		{"A13.1 the NSA sees every case", IncidentActor{Person: cleared.NewPersonID(), NSA: true}, false, ViewCase},
		{"A13.3 the security officer of the organisation sees the case", IncidentActor{Person: cleared.NewPersonID(), OfficerOf: []cleared.OrganisationID{org}}, false, ViewCase},
		{"A13.1 the originator warned sees the case", IncidentActor{Person: cleared.NewPersonID()}, true, ViewCase},
		{"A13.1 the reporter sees his report", IncidentActor{Person: reporter, OrganisationID: org}, false, ViewReport},
		{"A13.1 a colleague of the reporter sees nothing", IncidentActor{Person: cleared.NewPersonID(), OrganisationID: org}, false, ViewNone},
		{"A13.3 the officer of another organisation sees nothing", IncidentActor{Person: cleared.NewPersonID(), OfficerOf: []cleared.OrganisationID{cleared.NewOrganisationID()}}, false, ViewNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SeeIncident(tt.a, i, tt.notified); got != tt.want {
				t.Errorf("view %d, want %d", got, tt.want)
			}
		})
	}
	// A system-opened incident has no reporter: an empty person ID is no reporter.
	sys := cleared.Incident{ID: cleared.NewIncidentID(), OrganisationID: org}
	if got := SeeIncident(IncidentActor{}, sys, false); got != ViewNone {
		t.Errorf("A13.1 an empty actor sees %d of a system incident, want none", got)
	}
}

func TestInvestigateAndClose(t *testing.T) {
	org := cleared.NewOrganisationID()
	officer := IncidentActor{Person: cleared.NewPersonID(), OfficerOf: []cleared.OrganisationID{org}}
	nsa := IncidentActor{Person: cleared.NewPersonID(), NSA: true}
	holder := IncidentActor{Person: cleared.NewPersonID(), OrganisationID: org}
	open := cleared.Incident{ID: cleared.NewIncidentID(), OrganisationID: org}
	row := cleared.Incident{ID: cleared.NewIncidentID()}
	closed := open
	closed.Closed = now
	ready := open
	ready.Findings, ready.Head = "a courier lost the envelope", cleared.HeadNotice{Name: "the Minister", At: now, How: "letter"}
	noHead := open
	noHead.Findings = ready.Findings
	investigate := []struct {
		name string
		a    IncidentActor
		i    cleared.Incident
		want Decision
	}{
		{"A13.3 the security officer investigates", officer, open, allow()},
		{"A13.3 the NSA investigates a register row", nsa, row, allow()},
		{"A13.3 a holder does not investigate", holder, open, refuse("A13.3")},
		{"A13.3 the NSA does not investigate an organisation's case", nsa, open, refuse("A13.3")},
		{"A13.3 an officer does not investigate a register row", officer, row, refuse("A13.3")},
		{"A13.3 a closed case takes nothing more", officer, closed, refuse("A13.3")},
	}
	for _, tt := range investigate {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Investigate(tt.a, tt.i), tt.want) })
	}
	closing := []struct {
		name string
		a    IncidentActor
		i    cleared.Incident
		want Decision
	}{
		{"A13.3 closed with findings and the head informed", officer, ready, allow()},
		{"A13.3 closing without findings is refused", officer, open, refuse("A13.3")},
		{"A13.3 closing without the head of the body informed is refused", officer, noHead, refuse("A13.3")},
		{"A13.3 a holder does not close", holder, ready, refuse("A13.3")},
		{"A13.3 a closed case is not closed again", officer, closed, refuse("A13.3")},
	}
	for _, tt := range closing {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, CloseIncident(tt.a, tt.i), tt.want) })
	}
}

func TestAcknowledge(t *testing.T) {
	so, stranger := cleared.NewPersonID(), cleared.NewPersonID()
	threat := cleared.Incident{Kind: cleared.IncidentThreat}
	compromise := cleared.Incident{Kind: cleared.IncidentCompromise}
	pending := []cleared.IncidentNotification{{Recipient: so, Created: now}}
	done := []cleared.IncidentNotification{{Recipient: so, Created: now, Acknowledged: now}}
	tests := []struct {
		name string
		p    cleared.PersonID
		i    cleared.Incident
		ns   []cleared.IncidentNotification
		want Decision
	}{
		{"A13.1 the warned acknowledges", so, compromise, pending, allow()},
		{"A13.2 the warned acknowledges", so, threat, pending, allow()},
		{"A13.1 one not warned may not", stranger, compromise, pending, refuse("A13.1")},
		{"A13.2 one not warned may not", stranger, threat, pending, refuse("A13.2")},
		{"A13.1 a warning is acknowledged once", so, compromise, done, refuse("A13.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Acknowledge(tt.p, tt.i, tt.ns), tt.want) })
	}
}

func TestIncidentRecipients(t *testing.T) {
	org := cleared.NewOrganisationID()
	so, former, nsa, nsaSO, orig := cleared.NewPersonID(), cleared.NewPersonID(), cleared.NewPersonID(), cleared.NewPersonID(), cleared.NewPersonID()
	officers := []cleared.SecurityOfficer{
		{OrganisationID: org, PersonID: so, Since: now.Add(-time.Hour)},
		{OrganisationID: org, PersonID: former, Since: now.Add(-days(10)), Until: now}, // left exactly now
		{OrganisationID: org, PersonID: nsaSO, Since: now},                             // in office from exactly now
	}
	f := IncidentFacts{Officers: officers, NSA: []cleared.PersonID{nsa, nsaSO}, Originators: []cleared.PersonID{orig, so}}
	tests := []struct {
		name string
		kind cleared.IncidentKind
		f    IncidentFacts
		want []IncidentRecipient
	}{
		{"A13.1 a compromise warns the security officers, the NSA and the originator, each once", cleared.IncidentCompromise, f,
			[]IncidentRecipient{{so, cleared.AsSecurityOfficer}, {nsaSO, cleared.AsSecurityOfficer}, {nsa, cleared.AsNSA}, {orig, cleared.AsOriginator}}},
		{"A13.1 a suspected compromise likewise", cleared.IncidentSuspectedCompromise, f,
			[]IncidentRecipient{{so, cleared.AsSecurityOfficer}, {nsaSO, cleared.AsSecurityOfficer}, {nsa, cleared.AsNSA}, {orig, cleared.AsOriginator}}},
		{"A13.2 a threat warns the security officers only", cleared.IncidentThreat, f,
			[]IncidentRecipient{{so, cleared.AsSecurityOfficer}, {nsaSO, cleared.AsSecurityOfficer}}},
		{"A13.2 an attempt where no officer is in office warns the NSA", cleared.IncidentAttempt,
			IncidentFacts{Officers: officers[1:2], NSA: []cleared.PersonID{nsa}, Originators: []cleared.PersonID{orig}},
			[]IncidentRecipient{{nsa, cleared.AsNSA}}},
		{"A13.1 a register row (no organisation) warns the NSA", cleared.IncidentCompromise,
			IncidentFacts{NSA: []cleared.PersonID{nsa}}, []IncidentRecipient{{nsa, cleared.AsNSA}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.f.Kind = tt.kind
			if got := IncidentRecipients(tt.f, now); !slices.Equal(got, tt.want) {
				t.Errorf("recipients\n got  %v\n want %v", got, tt.want)
			}
		})
	}
}

func TestEscalation(t *testing.T) {
	const delay = time.Hour
	so, nsa, other := cleared.NewPersonID(), cleared.NewPersonID(), cleared.NewPersonID()
	n := cleared.IncidentNotification{Recipient: so, As: cleared.AsSecurityOfficer, Created: now}
	acked, escalated, esc := n, n, n
	acked.Acknowledged = now.Add(time.Minute)
	escalated.Escalated = now.Add(delay)
	esc.As = cleared.AsEscalation
	tests := []struct {
		name string
		n    cleared.IncidentNotification
		at   time.Time
		want bool
	}{
		{"A13.1 a warning unacknowledged one instant before the delay does not escalate", n, now.Add(delay - time.Microsecond), false},
		{"A13.1 a warning unacknowledged exactly at the delay escalates", n, now.Add(delay), true},
		{"A13.1 a warning acknowledged does not escalate", acked, now.Add(2 * delay), false},
		{"A13.1 a warning escalates once", escalated, now.Add(2 * delay), false},
		{"A13.1 an escalation does not escalate", esc, now.Add(2 * delay), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EscalationDue(tt.n, delay, tt.at); got != tt.want {
				t.Errorf("due %v, want %v", got, tt.want)
			}
		})
	}
	f := IncidentFacts{Officers: []cleared.SecurityOfficer{{PersonID: so, Since: now.Add(-time.Hour)}}, NSA: []cleared.PersonID{nsa, other}}
	got := EscalationRecipients(f, n, []cleared.PersonID{other}, now)
	if want := []IncidentRecipient{{nsa, cleared.AsEscalation}}; !slices.Equal(got, want) {
		t.Errorf("A13.1 escalation of the officer's warning goes to %v, want %v", got, want)
	}
}

// A13.1, A13.2: a warning not acknowledged is on the agenda, overdue from the moment it was given, under its
// kind's rule.
func TestIncidentItems(t *testing.T) {
	is := []cleared.Incident{{ID: cleared.NewIncidentID(), Kind: cleared.IncidentCompromise}, {ID: cleared.NewIncidentID(), Kind: cleared.IncidentThreat}}
	items := IncidentItems(is, []time.Time{now, now.Add(time.Hour)})
	if len(items) != 2 || items[0].Article != "A13.1" || items[1].Article != "A13.2" || !items[0].Overdue ||
		items[1].Incident.ID != is[1].ID || !items[1].Due.Equal(now.Add(time.Hour)) || items[0].Kind != AgendaIncident {
		t.Fatalf("items %+v", items)
	}
}
