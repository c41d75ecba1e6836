package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Security incidents (Art. 13): who may report one and about what, who is warned (A13.1, A13.2), who reads a case,
// who acknowledges a warning, who investigates and closes (A13.3), and when an unacknowledged warning escalates.

// IncidentActor is a person acting on incidents: his organisation, whether he is an NSA officer (Art. 20: the
// security of pieces), and the organisations he is security officer of at the decision.
type IncidentActor struct {
	Person         cleared.PersonID
	OrganisationID cleared.OrganisationID
	NSA            bool
	OfficerOf      []cleared.OrganisationID
}

// IncidentObject is what a report is about, as the reporter may know it: for a piece or a copy, Known says whether
// he may know the piece exists (Know, A9.1); for a place, a terminal or a person, OrganisationID is the body it
// belongs to.
type IncidentObject struct {
	Kind           cleared.IncidentObjectKind
	Known          bool
	OrganisationID cleared.OrganisationID
}

// ReportIncident decides whether a may report an incident of kind k about o (A13.1, A13.2). Anyone signed in may
// report what he knows of, since warning early is the point: a piece or copy whose piece he may know (A9.1), a
// place, terminal or person of his own organisation or of one he is security officer of; an NSA officer, about any
// of them. What he may not know of is not found (principle 4), whatever the rule: a report must not reveal that a
// place or a person exists elsewhere. A register row is raised by cleared itself, never reported.
func ReportIncident(a IncidentActor, k cleared.IncidentKind, o IncidentObject) Decision {
	switch o.Kind {
	case cleared.IncidentPiece, cleared.IncidentCopy:
		if !o.Known {
			return NotKnown()
		}
		return Allow
	case cleared.IncidentPlace, cleared.IncidentTerminal, cleared.IncidentPerson:
		if a.NSA || (o.OrganisationID != "" && o.OrganisationID == a.OrganisationID) || isOfficer(a.OfficerOf, o.OrganisationID) {
			return Allow
		}
		return NotKnown()
	}
	return deny(k.Rule(), "a register row's failure is raised by cleared itself; report about a piece, a copy, a place, a terminal or a person")
}

// IncidentView is how much of a case one may see.
type IncidentView int

// Views of a case.
const (
	// ViewNone: not his to know; the case is not found (principle 4).
	ViewNone IncidentView = iota
	// ViewReport: the reporter sees his report and its state (open or closed), not the investigation.
	ViewReport
	// ViewCase: the whole case, its warnings, their deliveries and the investigation.
	ViewCase
)

// SeeIncident says how much of incident i actor a sees, who was warned of it when notified is set: the NSA every
// case (Art. 20), the security officer of the organisation concerned (A13.3), and everyone warned of it (A13.1,
// A13.2) the whole case; the one who reported it his report (A13.1); no one else anything.
func SeeIncident(a IncidentActor, i cleared.Incident, notified bool) IncidentView {
	switch {
	case a.NSA || notified || isOfficer(a.OfficerOf, i.OrganisationID):
		return ViewCase
	case i.ReportedBy != "" && i.ReportedBy == a.Person:
		return ViewReport
	}
	return ViewNone
}

// Investigate decides whether a records on case i the investigation, its findings or the notice to the head of the
// body (A13.3): the security officer of the organisation concerned; for a case of no organisation (a register row
// that failed its seal), an NSA officer, who keeps the registers. A closed case takes nothing more.
func Investigate(a IncidentActor, i cleared.Incident) Decision {
	switch {
	case i.OrganisationID == "" && !a.NSA:
		return deny("A13.3", "the NSA investigates an incident of no organisation (a register row that failed its seal)")
	case i.OrganisationID != "" && !isOfficer(a.OfficerOf, i.OrganisationID):
		return deny("A13.3", "only the security officer of the organisation concerned investigates the incident")
	case !i.Open():
		return deny("A13.3", "the case was closed on "+i.Closed.Format(time.DateOnly))
	}
	return Allow
}

// CloseIncident decides whether a closes case i (A13.3): who investigates it, once the findings and the notice to
// the head of the body are recorded.
func CloseIncident(a IncidentActor, i cleared.Incident) Decision {
	if d := Investigate(a, i); !d.Allowed {
		return d
	}
	switch {
	case i.Findings == "":
		return deny("A13.3", "record the findings of the investigation before closing the case")
	case i.Head.At.IsZero():
		return deny("A13.3", "record that the head of the body was informed before closing the case")
	}
	return Allow
}

// Acknowledge decides whether person p acknowledges his warnings ns of incident i (A13.1, A13.2): only one warned
// acknowledges, and a warning once.
func Acknowledge(p cleared.PersonID, i cleared.Incident, ns []cleared.IncidentNotification) Decision {
	warned := false
	for _, n := range ns {
		if n.Recipient != p {
			continue
		}
		warned = true
		if n.Acknowledged.IsZero() {
			return Allow
		}
	}
	if warned {
		return deny(i.Kind.Rule(), "the warning was acknowledged already")
	}
	return deny(i.Kind.Rule(), "only a person warned of the incident acknowledges it")
}

// IncidentRecipient is a person to warn of an incident, and why.
type IncidentRecipient struct {
	Person cleared.PersonID
	As     cleared.NotifiedAs
}

// IncidentFacts are who may be warned of an incident: the security officers designated in the organisation
// concerned (every designation: InOffice keeps those in office at the decision), the NSA officers, and the persons
// who hold in office an authority acting for the piece's originator (A5.2).
type IncidentFacts struct {
	Kind        cleared.IncidentKind
	Officers    []cleared.SecurityOfficer
	NSA         []cleared.PersonID
	Originators []cleared.PersonID
}

// IncidentRecipients lists who is warned of an incident at t, each once, in the order security officer, NSA, originator
// (a person who is two of them is warned once, as the first). A compromise or a suspected one (A13.1) warns the
// security officers of the organisation concerned, every NSA officer (the NSA is a body; cleared does not know which
// of its staff is on duty, so it warns all, and the first acknowledgement shows the case is taken), and the
// originator. A threat or an attempt (A13.2) warns the security officers only, as the law says; where the
// organisation has no security officer in office (or the object belongs to none), the NSA is warned instead, so
// that no report goes unheard (fail closed).
func IncidentRecipients(f IncidentFacts, t time.Time) []IncidentRecipient {
	var out []IncidentRecipient
	seen := map[cleared.PersonID]bool{}
	add := func(p cleared.PersonID, as cleared.NotifiedAs) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, IncidentRecipient{p, as})
		}
	}
	for _, o := range f.Officers {
		if o.ActiveAt(t) {
			add(o.PersonID, cleared.AsSecurityOfficer)
		}
	}
	if f.Kind.Rule() == "A13.2" && len(out) > 0 {
		return out
	}
	for _, p := range f.NSA {
		add(p, cleared.AsNSA)
	}
	if f.Kind.Rule() == "A13.1" {
		for _, p := range f.Originators {
			add(p, cleared.AsOriginator)
		}
	}
	return out
}

// EscalationDue reports whether warning n, not acknowledged, escalates at t: once the delay has passed since it
// was given (exactly at the delay, it does), once only, and never a warning that is itself an escalation.
func EscalationDue(n cleared.IncidentNotification, delay time.Duration, t time.Time) bool {
	return n.Acknowledged.IsZero() && n.Escalated.IsZero() && n.As != cleared.AsEscalation && !t.Before(n.Created.Add(delay))
}

// EscalationRecipients lists who is warned when n escalates at t: the security officers in office of the
// organisation concerned and every NSA officer (f's), but not n's own recipient, nor anyone warned already by an
// escalation of the case (warned). A silent security officer is so brought to the NSA's notice, and a silent NSA
// officer to his colleagues' and the security officer's.
func EscalationRecipients(f IncidentFacts, n cleared.IncidentNotification, warned []cleared.PersonID, t time.Time) []IncidentRecipient {
	skip := map[cleared.PersonID]bool{n.Recipient: true}
	for _, p := range warned {
		skip[p] = true
	}
	var out []IncidentRecipient
	add := func(p cleared.PersonID) {
		if p != "" && !skip[p] {
			skip[p] = true
			out = append(out, IncidentRecipient{p, cleared.AsEscalation})
		}
	}
	for _, o := range f.Officers {
		if o.ActiveAt(t) {
			add(o.PersonID)
		}
	}
	for _, p := range f.NSA {
		add(p)
	}
	return out
}
