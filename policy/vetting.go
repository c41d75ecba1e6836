package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Intake of a vetting case (Art. 20, 25, 26; A20.1, A25.1, A25.2, A26.1): who opens a case, who sees what of it,
// and the steps of the person under vetting up to the signed questionnaire and consent, or the case's closing for
// non-cooperation.

// CaseRequest is what opening a case decides on: the person, the target he is vetted for (a post or contract of
// his organisation, or one it executes), the origin and kind asked, the information triggering a follow-up, the
// person's clearances and open cases, and the deadline set.
type CaseRequest struct {
	Person     cleared.Person
	Target     AssignTarget
	Origin     cleared.CaseOrigin
	Kind       cleared.CaseKind
	Trigger    string
	Clearances []cleared.Clearance
	Open       int // cases of the person not closed
	Deadline   time.Time
}

// OpenCase decides whether one security officer of officerOf, or an NSA officer, may open the case r at t: a
// national case by the security officer in office of the person's organisation (A25.1), one from a foreign NSA or
// an international organisation by the NSA (A20.1); for a post or contract in force of the person's organisation
// (A16.1); a follow-up only of a holder and citing its trigger (A25.2), a renewal only of one who held a
// clearance (A17.1); one open case per person; a deadline after t (A26.1).
func OpenCase(officerOf []cleared.OrganisationID, nsa bool, r CaseRequest, t time.Time) Decision {
	p := r.Person
	switch {
	case r.Origin == cleared.OriginNational && !isOfficer(officerOf, p.OrganisationID):
		return deny("A25.1", "only the security officer in office of the person's organisation opens a case for him")
	case r.Origin.Foreign() && !nsa:
		return deny("A20.1", "a case requested by a foreign NSA or an international organisation is opened by the NSA")
	case p.OrganisationID != r.Target.Organisation && (r.Target.Contractor == "" || p.OrganisationID != r.Target.Contractor):
		return deny("A16.1", "the post or contract is not of the person's organisation")
	case !r.Target.Period.At(t):
		return deny("A16.1", "the post or contract is not in force")
	case !r.Target.Level.Classified():
		return deny("A16.1", "the post or contract requires no clearance")
	case r.Kind == cleared.KindFollowUp && r.Trigger == "":
		return deny("A25.2", "a follow-up investigation cites the information that triggered it")
	case r.Kind == cleared.KindFollowUp && !holds(r.Clearances, t):
		return deny("A25.2", "a follow-up investigation is of a holder of a valid clearance")
	case r.Kind == cleared.KindRenewal && len(r.Clearances) == 0:
		return deny("A17.1", "a renewal is of a person who held a clearance")
	case r.Open > 0:
		return deny("A25.1", "the person already has a case open")
	case !r.Deadline.After(t):
		return deny("A26.1", "the deadline for the questionnaire and consent is after the opening")
	}
	return Allow
}

func holds(cs []cleared.Clearance, t time.Time) bool {
	_, ok := BestClearance(cs, t)
	return ok
}

// OfferCases: a case is opened by a security officer in office (national, A25.1) or the NSA (from abroad,
// A20.1): one who is neither has none to open.
func OfferCases(o Offer, t time.Time) Decision {
	if len(o.OfficerOf) > 0 || NSARegister(o.Person, o.Clearances, t).Allowed {
		return Allow
	}
	return deny("A25.1", "only a security officer in office, or the NSA for a case from abroad, opens a vetting case")
}

// CaseSight is how much of a case one may see.
type CaseSight int

// What one sees of a case: nothing (it does not exist for him), its stage, or everything including the answers.
const (
	SightNone CaseSight = iota
	SightStage
	SightFull
)

// SeeCase decides what person me, security officer of officerOf or NSA officer, sees of case c: the person
// under vetting everything of his own case; the security officer of the person's organisation and the NSA its
// stage, never the answers (A25.1, A23.1); others nothing, not even that it exists.
func SeeCase(me cleared.PersonID, officerOf []cleared.OrganisationID, nsa bool, c cleared.VettingCase) (CaseSight, Decision) {
	switch {
	case me == c.PersonID:
		return SightFull, Allow
	case nsa || isOfficer(officerOf, c.OrganisationID):
		return SightStage, Allow
	}
	return SightNone, hidden("A25.1", "only the person, his organisation's security officer and the NSA see a case")
}

// CaseStep is what the person under vetting does on his case.
type CaseStep int

// The person's steps.
const (
	StepDraft   CaseStep = iota // save a section of the questionnaire
	StepSign                    // sign the questionnaire
	StepConsent                 // sign the consent
	StepRefuse                  // refuse to cooperate
)

// PersonStep decides whether person me may take step on case c at t: only the person himself, on a case still at
// intake (not signed, not closed) and before its deadline (A25.1, A26.1: at the deadline the case is overdue); a
// complete questionnaire to sign it; a consent not for a follow-up (A25.2), and once only; a signed questionnaire
// is not changed.
func PersonStep(me cleared.PersonID, c cleared.VettingCase, step CaseStep, complete bool, t time.Time) Decision {
	switch {
	case me != c.PersonID:
		return hidden("A25.1", "only the person under vetting fills in, signs or refuses his questionnaire")
	case c.Stage.Closed():
		return deny("A26.1", "the case is closed")
	case !c.Stage.Intake():
		return deny("A25.1", "the questionnaire and consent are signed: the case has left intake")
	case !t.Before(c.Deadline):
		return deny("A26.1", "the deadline for the questionnaire and consent has passed")
	}
	switch step {
	case StepDraft:
		if !c.Signed.IsZero() {
			return deny("A25.1", "the questionnaire is signed and no longer changes")
		}
	case StepSign:
		if !c.Signed.IsZero() {
			return deny("A25.1", "the questionnaire is already signed")
		}
		if !complete {
			return deny("A25.1", "the questionnaire is signed once every section is filled in")
		}
	case StepConsent:
		if c.Kind == cleared.KindFollowUp {
			return deny("A25.2", "a follow-up investigation needs no consent")
		}
		if !c.Consented.IsZero() {
			return deny("A25.2", "the consent is already signed")
		}
	}
	return Allow
}

// ClosedNotice is how long a case closed for non-cooperation stays on the security officer's agenda.
const ClosedNotice = 30 * 24 * time.Hour

// ClosedCaseItems are the cases closed refused for non-cooperation of the organisations one is security officer
// of, from their closing until ClosedNotice after (A26.1): the procedure the case was opened for ends, and the
// officer is the one to end it. Each is due, and overdue, at its closing.
func ClosedCaseItems(officerOf []cleared.OrganisationID, cs []cleared.VettingCase, t time.Time) []AgendaItem {
	var items []AgendaItem
	for _, c := range cs {
		if c.Stage != cleared.StageClosedNonCooperation || !isOfficer(officerOf, c.OrganisationID) ||
			c.Closed.After(t) || !t.Before(c.Closed.Add(ClosedNotice)) {
			continue
		}
		items = append(items, agendaItem(AgendaItem{Kind: AgendaVettingClosed, Due: c.Closed, VettingCase: &c}, t))
	}
	return items
}

// QuestionnaireItems are person me's own cases still at intake (A25.1): each due at its deadline, after which it
// closes for non-cooperation (A26.1).
func QuestionnaireItems(me cleared.PersonID, cs []cleared.VettingCase, t time.Time) []AgendaItem {
	var items []AgendaItem
	for _, c := range cs {
		if c.PersonID != me || !c.Stage.Intake() {
			continue
		}
		items = append(items, agendaItem(AgendaItem{Kind: AgendaVettingQuestionnaire, Due: c.Deadline, VettingCase: &c}, t))
	}
	return items
}

// IntakeDone reports whether case c has what A25.1 and A25.2 ask: the signed questionnaire and, unless a follow-up,
// the signed consent.
func IntakeDone(c cleared.VettingCase) bool {
	return !c.Signed.IsZero() && (c.Kind == cleared.KindFollowUp || !c.Consented.IsZero())
}

// Overdue reports whether case c closes for non-cooperation at t (A26.1): still at intake when its deadline is
// reached.
func Overdue(c cleared.VettingCase, t time.Time) bool {
	return c.Stage.Intake() && !IntakeDone(c) && !t.Before(c.Deadline)
}
