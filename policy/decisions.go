package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Decisions on vetting cases (Art. 15, 16, 27, 29; A15.2, A16.1, A27.1, A27.2, A29.1): who grants, refuses or
// withdraws a clearance and on what, who suspends one, who notifies a decision and who sees it, who records an
// appeal.

// DecisionRequest is what a decision on a case decides on: the case, the outcome and level asked, whether the
// commission gave its opinion on the case (A27.2), and the person's clearances (for a withdrawal).
type DecisionRequest struct {
	Case       cleared.VettingCase
	Outcome    cleared.Outcome
	Level      cleared.Level // the level to grant
	Opinion    bool
	Clearances []cleared.Clearance
}

// DecideCase decides whether one with the deciding authority's role (decider) may decide r at t (A27.1): on a case
// whose investigation is completed, its report filed (reported) or the commission's opinion given (commission),
// A15.2; a refusal or withdrawal only on the commission's opinion on that case (A27.2); a grant at most at the
// case's level (A16.1); a withdrawal of a holder's clearance, on a follow-up or renewal case (A27.1). A valid
// clearance is not asked of the decider: the Prime Minister, a member of the Government, is exempt (A14.1).
// A decided case is a conflict the caller answers before asking.
func DecideCase(decider bool, r DecisionRequest, t time.Time) Decision {
	c := r.Case
	switch {
	case !decider:
		return deny("A27.1", "only the deciding authority grants, refuses or withdraws a clearance")
	case c.Stage != cleared.StageReported && c.Stage != cleared.StageCommission:
		return deny("A15.2", "no decision before the security investigation is completed and its report filed")
	case c.Stage == cleared.StageCommission && !r.Opinion:
		return deny("A27.2", "the case is before the commission, which has not given its opinion")
	case r.Outcome.Negative() && !r.Opinion:
		return deny("A27.2", "a refusal or withdrawal is decided only on the commission's reasoned opinion on the case")
	}
	switch r.Outcome {
	case cleared.OutcomeGrant:
		return GrantClearanceLevel(c.Level, r.Level)
	case cleared.OutcomeWithdraw:
		if c.Kind != cleared.KindFollowUp && c.Kind != cleared.KindRenewal {
			return deny("A27.1", "a clearance is withdrawn on a follow-up or renewal case of its holder")
		}
		if len(Withdrawable(r.Clearances, t)) == 0 {
			return deny("A27.1", "the person holds no clearance to withdraw")
		}
	}
	return Allow
}

// Withdrawable are the clearances of cs a withdrawal ends at t: those not withdrawn and not past their expiry,
// whether active, waiting for the briefing (A18.1) or suspended.
func Withdrawable(cs []cleared.Clearance, t time.Time) []cleared.Clearance {
	var out []cleared.Clearance
	for _, c := range cs {
		switch c.Status {
		case cleared.ClearanceActive, cleared.ClearancePending, cleared.ClearanceSuspended:
			if c.Level.Classified() && t.Before(expiry(c)) {
				out = append(out, c)
			}
		}
	}
	return out
}

// Suspend decides whether an NSA officer or the deciding authority may suspend clearance c at t (A27.1): one
// active or waiting for the briefing, not past its expiry (A17.1). One who knows the clearance (its holder, his
// security officer: knows) is refused; anyone else is told nothing of it.
func Suspend(knows, nsa, decider bool, c cleared.Clearance, t time.Time) Decision {
	switch {
	case !nsa && !decider && knows:
		return deny("A27.1", "a clearance is suspended by the NSA or the deciding authority")
	case !nsa && !decider:
		return hidden("A27.1", "a clearance is suspended by the NSA or the deciding authority")
	case c.Status != cleared.ClearanceActive && c.Status != cleared.ClearancePending:
		return deny("A27.1", "only an active clearance, or one waiting for the briefing, is suspended")
	case !t.Before(expiry(c)):
		return deny("A17.1", "the clearance has expired")
	}
	return Allow
}

// LiftSuspension decides whether an NSA officer or the deciding authority may lift the suspension of clearance
// c (A27.1): only a suspended one; one who knows the clearance is refused, anyone else told nothing.
func LiftSuspension(knows, nsa, decider bool, c cleared.Clearance) Decision {
	switch {
	case !nsa && !decider && knows:
		return deny("A27.1", "a suspension is lifted by the NSA or the deciding authority")
	case !nsa && !decider:
		return hidden("A27.1", "a suspension is lifted by the NSA or the deciding authority")
	case c.Status != cleared.ClearanceSuspended:
		return deny("A27.1", "the clearance is not suspended")
	}
	return Allow
}

// DecisionSight is how much of a decision one sees.
type DecisionSight int

// What one sees of a decision: nothing (it does not exist for him), its outcome and dates without its reasons,
// everything but the commission's opinion, or everything with the opinion.
const (
	DecisionNone DecisionSight = iota
	DecisionOutcome
	DecisionReasons
	DecisionOpinion
)

// SeeDecision decides what person me sees of the decision on case c, notified or not: the deciding authority
// everything, the commission's opinion included (A27.2); the NSA the decision with its reasons; the security
// officer of the person's organisation its outcome and dates, which he notifies (A27.1); the person the decision
// with its reasons and appeal route once notified (A27.1, A29.1), never the opinion (A27.4); others nothing.
func SeeDecision(me cleared.PersonID, officerOf []cleared.OrganisationID, nsa, decider bool, c cleared.VettingCase, notified bool) (DecisionSight, Decision) {
	switch {
	case decider:
		return DecisionOpinion, Allow
	case nsa:
		return DecisionReasons, Allow
	case isOfficer(officerOf, c.OrganisationID):
		return DecisionOutcome, Allow
	case me == c.PersonID && notified:
		return DecisionReasons, Allow
	}
	return DecisionNone, hidden("A27.1", "the decision is seen by the person once notified, his security officer, the NSA and the deciding authority")
}

// Notify decides whether a security officer of officerOf may record the notification of the decision on case c
// (A27.1): the security officer in office of the person's organisation, who notifies it to him.
func Notify(officerOf []cleared.OrganisationID, c cleared.VettingCase) Decision {
	if !isOfficer(officerOf, c.OrganisationID) {
		return deny("A27.1", "the decision is notified to the person by his organisation's security officer")
	}
	return Allow
}

// RecordAppeal decides whether an NSA officer (nsa) may record an appeal, or its outcome, against a decision of
// outcome o (A29.1): the NSA records them, and only a refusal or withdrawal is appealed.
func RecordAppeal(nsa bool, o cleared.Outcome) Decision {
	switch {
	case !nsa:
		return deny("A29.1", "the NSA records the appeals against decisions and their outcome")
	case !o.Negative():
		return deny("A29.1", "only a refusal or a withdrawal is appealed")
	}
	return Allow
}

// DecisionItems are the decisions on cases of the organisations one is security officer of that are not yet
// notified (A27.1): each due at its decision, to be notified to the person.
func DecisionItems(officerOf []cleared.OrganisationID, cs []cleared.VettingCase, t time.Time) []AgendaItem {
	var items []AgendaItem
	for _, c := range cs {
		if !isOfficer(officerOf, c.OrganisationID) || !c.Stage.Closed() || c.Stage == cleared.StageClosedNonCooperation {
			continue
		}
		items = append(items, agendaItem(AgendaItem{Kind: AgendaVettingDecision, Due: c.Closed, VettingCase: &c}, t))
	}
	return items
}

// DecideItems are, for the deciding authority (decider), the cases of cs waiting for his decision (A27.1): open, the
// report filed (reported), or before the commission with its opinion given (opinion names those cases); each due
// from when it reached that stage.
func DecideItems(decider bool, cs []cleared.VettingCase, opinion map[cleared.VettingCaseID]bool, t time.Time) []AgendaItem {
	if !decider {
		return nil
	}
	var items []AgendaItem
	for _, c := range cs {
		if c.Stage.Closed() || (c.Stage != cleared.StageReported && (c.Stage != cleared.StageCommission || !opinion[c.ID])) {
			continue
		}
		items = append(items, agendaItem(AgendaItem{Kind: AgendaVettingDecide, Due: c.Updated, VettingCase: &c}, t))
	}
	return items
}
