package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// The commission of Art. 27 (A27.2, A27.3, A27.4): its register of three seats, one per designating authority,
// kept by the NSA from the designation acts; its president, elected among the members in office for three years;
// the referral of a reported case by the NSA; the commission's work on a referred case (requests for the whole file
// and for more information, hearings, its one reasoned opinion), each act by a member in office holding a valid
// TRES SECRET clearance (CommissionMayAct); and who is told of what on the agenda. The opinion goes to the
// deciding authority, never to the person (A27.4).

// CommissionSize is the number of the commission's members (Art. 27 al. 2: three officials).
const CommissionSize = 3

// PresidentTerm is the president's term in years (Art. 27 al. 3).
const PresidentTerm = 3

// overlaps reports whether the terms of a and b share an instant.
func overlaps(a, b cleared.CommissionMember) bool {
	return a.From.Before(b.Until) && b.From.Before(a.Until)
}

// DesignateMember decides whether a seat m may be added to the commission's register holding seats: recorded by the
// NSA (nsa, NSARegister's decision); one seat per designating authority in force at a time, three in all, and one
// seat per person (A27.2).
func DesignateMember(nsa Decision, seats []cleared.CommissionMember, m cleared.CommissionMember) Decision {
	if !nsa.Allowed {
		return deny("A27.2", "only the National Security Authority keeps the commission's register")
	}
	var concurrent int
	for _, s := range seats {
		if s.ID == m.ID || !overlaps(s, m) {
			continue
		}
		concurrent++
		switch {
		case s.Designator == m.Designator:
			return deny("A27.2", "the designating authority already has a member in office for this term: end that seat first")
		case s.Person == m.Person:
			return deny("A27.2", "the person already sits on the commission for this term")
		}
	}
	if concurrent >= CommissionSize {
		return deny("A27.2", "the commission has three members: end a seat first")
	}
	return Allow
}

// EndSeat decides whether the NSA may end seat m at until, deciding at t: within the term as recorded, after its
// start, and not before t, since the member's past acts were done in office (A27.2).
func EndSeat(nsa Decision, m cleared.CommissionMember, until, t time.Time) Decision {
	switch {
	case !nsa.Allowed:
		return deny("A27.2", "only the National Security Authority keeps the commission's register")
	case !until.After(m.From) || until.After(m.Until):
		return deny("A27.2", "a seat ends after its start and no later than the end of its term")
	case until.Before(t):
		return deny("A27.2", "a seat is ended from now on: the member's past acts were done in office")
	}
	return Allow
}

// ElectPresident decides whether the NSA may record, from the commission's minutes, the election of member m as
// president at from (A27.3): he is elected among the members, so his seat covers from.
func ElectPresident(nsa Decision, m cleared.CommissionMember, from time.Time) Decision {
	switch {
	case !nsa.Allowed:
		return deny("A27.3", "the NSA records the president's election from the commission's minutes")
	case !m.InOffice(from):
		return deny("A27.3", "the president is elected among the members in office at the election")
	}
	return Allow
}

// CommissionSeatOf returns the seat of person p on the register at t: the one whose term covers t, else his latest
// seat (ended or to come), which CommissionMayAct then refuses; false if he never had a seat.
func CommissionSeatOf(seats []cleared.CommissionMember, p cleared.PersonID, t time.Time) (cleared.CommissionMember, bool) {
	var last cleared.CommissionMember
	found := false
	for _, s := range seats {
		if s.Person != p {
			continue
		}
		if s.InOffice(t) {
			return s, true
		}
		if !found || s.From.After(last.From) {
			last, found = s, true
		}
	}
	return last, found
}

// ReferCase decides whether the NSA (nsa, NSARegister's decision) may refer case c to the commission: once the
// investigation report is filed (stage reported; A27.4: the commission receives the report from the NSA).
func ReferCase(nsa Decision, c cleared.VettingCase) Decision {
	switch {
	case !nsa.Allowed:
		return deny("A27.4", "only the National Security Authority refers a case to the commission")
	case c.Stage != cleared.StageReported:
		return deny("A27.4", "a case is referred to the commission once its investigation report is filed")
	}
	return Allow
}

// CommissionWork decides whether the commission may still work on case c (requests, hearings, its opinion): the case
// is referred and before the commission, not yet decided (A27.4).
func CommissionWork(c cleared.VettingCase, referred bool) Decision {
	if !referred || c.Stage != cleared.StageCommission {
		return deny("A27.4", "the case is not before the commission")
	}
	return Allow
}

// GiveOpinion decides whether the opinion naming members may be recorded on case c at t (A27.2): on a case before
// the commission, once, given by members whose seats cover t.
func GiveOpinion(c cleared.VettingCase, referred, given bool, members []cleared.PersonID, seats []cleared.CommissionMember, t time.Time) Decision {
	if !referred || c.Stage != cleared.StageCommission {
		return deny("A27.2", "an opinion is given on a case referred to the commission and not yet decided")
	}
	if given {
		return deny("A27.2", "the commission gives one opinion on a case")
	}
	for _, p := range members {
		if s, ok := CommissionSeatOf(seats, p, t); !ok || !s.InOffice(t) {
			return deny("A27.2", "the opinion is given by members of the commission in office")
		}
	}
	return Allow
}

// AnswerRequest decides whether an NSA officer (nsa) may answer request r on case c: a request for information, not
// answered yet, on a case before the commission (A27.4).
func AnswerRequest(nsa Decision, c cleared.VettingCase, r cleared.CommissionRequest) Decision {
	switch {
	case !nsa.Allowed:
		return deny("A27.4", "the commission's requests for information are answered by the NSA")
	case r.Kind != cleared.RequestInformation:
		return deny("A27.4", "only a request for information is answered; the file is served at once")
	case !r.Answered.IsZero():
		return deny("A27.4", "the request is answered already")
	case c.Stage != cleared.StageCommission:
		return deny("A27.4", "the case is no longer before the commission")
	}
	return Allow
}

// CommissionItems are the cases before the commission without its opinion, on the agenda of a member in office
// (member): due since their referral (A27.4).
func CommissionItems(member bool, cases []cleared.VettingCase, referred map[cleared.VettingCaseID]time.Time,
	given map[cleared.VettingCaseID]bool, t time.Time) []AgendaItem {
	if !member {
		return nil
	}
	var out []AgendaItem
	for _, c := range cases {
		at, ok := referred[c.ID]
		if !ok || c.Stage != cleared.StageCommission || given[c.ID] {
			continue
		}
		out = append(out, agendaItem(AgendaItem{Kind: AgendaCommissionCase, Due: at, VettingCase: &c}, t))
	}
	return out
}

// InformationRequestItems are the commission's requests for information not yet answered, on an NSA officer's
// agenda (nsa), due since they were made, each with its case (cases[i] is rs[i]'s) (A27.4).
func InformationRequestItems(nsa bool, rs []cleared.CommissionRequest, cases []cleared.VettingCase, t time.Time) []AgendaItem {
	if !nsa {
		return nil
	}
	var out []AgendaItem
	for i, r := range rs {
		if r.Kind != cleared.RequestInformation || !r.Answered.IsZero() || cases[i].Stage != cleared.StageCommission {
			continue
		}
		out = append(out, agendaItem(AgendaItem{Kind: AgendaCommissionRequest, Due: r.Made, VettingCase: &cases[i]}, t))
	}
	return out
}

// OpinionItems are the cases before the commission whose opinion is given, on the agenda of the deciding authority
// (decider: a person with the role decider, A27.1), due since the opinion (given[i] is when cases[i]'s was given).
// The person under vetting never has them (A27.4).
func OpinionItems(decider bool, cases []cleared.VettingCase, given []time.Time, t time.Time) []AgendaItem {
	if !decider {
		return nil
	}
	var out []AgendaItem
	for i := range cases {
		if cases[i].Stage != cleared.StageCommission {
			continue
		}
		out = append(out, agendaItem(AgendaItem{Kind: AgendaCommissionOpinion, Due: given[i], VettingCase: &cases[i]}, t))
	}
	return out
}

// SeeOpinion decides whether person me may read the commission's opinion on case c at t: the deciding authority
// (decider, A27.1) and a member who may act (seat, if seated; CommissionMayAct); never the person under vetting
// (A27.4), to whom, as to anyone else, it does not exist.
func SeeOpinion(me cleared.PersonID, c cleared.VettingCase, seat cleared.CommissionMember, seated bool,
	clearances []cleared.Clearance, decider bool, t time.Time) Decision {
	switch {
	case me == c.PersonID:
		return hidden("A27.4", "the commission's opinion is not communicated to the person")
	case decider:
		return Allow
	case seated:
		return CommissionMayAct(seat, clearances, false, t)
	}
	return hidden("A27.4", "the commission's opinion goes to the deciding authority")
}

// SeeRegister decides whether one may read the commission's register: the NSA (nsa), which keeps it, and those who
// hold or held a seat (seated) (A27.2).
func SeeRegister(nsa, seated bool) Decision {
	if !nsa && !seated {
		return deny("A27.2", "the commission's register is kept by the NSA for the commission")
	}
	return Allow
}

// NotOnCommission is the refusal of a commission's act on a referred case to one who may see the case but holds no
// seat (the person, his security officer, the NSA): the work is the members' (A27.4).
func NotOnCommission() Decision {
	return deny("A27.4", "only the commission's members in office work on a case referred to the commission")
}

// SeeCommissionCases decides whether one may list the cases before the commission: the NSA (nsa), and a member
// (seated) who may act (mayAct, CommissionMayAct's decision, A27.3); no one else (A27.4).
func SeeCommissionCases(nsa, seated bool, mayAct Decision) Decision {
	switch {
	case nsa:
		return Allow
	case !seated:
		return deny("A27.4", "the cases before the commission are its members' and the NSA's")
	}
	return mayAct
}
