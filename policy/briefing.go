package policy

import (
	"slices"
	"time"

	"github.com/cleared/cleared"
)

// Briefings (Art. 18, A18.1; issue 20 workflow 7): every cleared person receives, at the clearance and at regular
// intervals after, the instructions on protecting classified pieces, and signs a declaration that he received
// them and undertakes to respect them. A clearance granted through vetting is pending until the first declaration
// is signed; the next briefing falls due RebriefingMonths after the last one declared, and an overdue one is
// flagged to the holder and to his security officers. Holders report changes of their circumstances, which reach
// the NSA.

// RebriefingMonths is how many months after a declared briefing the next one falls due. Art. 18 says "à
// intervalles réguliers" and gives no figure, so it is not among the dated law parameters (which hold the law's
// own figures): it is the service's rule, yearly, as the NATO and EU security rules ask of their holders.
const RebriefingMonths = 12

// SeeBriefings decides whether a reader sees the briefings of clearance c (A18.1, A23.1): its holder, the security
// officers in office of the holder's organisation (officerOf) and the NSA; anyone else may not know of them.
func SeeBriefings(me cleared.PersonID, officerOf []cleared.OrganisationID, nsa bool, holder cleared.Person, c cleared.Clearance) Decision {
	if c.HolderKind == cleared.HolderPerson && c.PersonID == holder.ID && (me == holder.ID || nsa || isOfficer(officerOf, holder.OrganisationID)) {
		return Allow
	}
	return hidden("A18.1", "only the holder, his security officer and the NSA see the briefings of a clearance")
}

// briefable reports whether c takes a briefing at t: a person's clearance pending its first declaration (not yet
// expired), or in force.
func briefable(c cleared.Clearance, t time.Time) bool {
	if c.Status == cleared.ClearancePending {
		return c.Level.Classified() && !t.Before(c.Issued) && t.Before(expiry(c))
	}
	return ClearanceValid(c, t).Allowed
}

// awaiting returns the briefing of bs that waits for its declaration, if any.
func awaiting(bs []cleared.Briefing) (cleared.Briefing, bool) {
	for _, b := range bs {
		if b.Declared.IsZero() {
			return b, true
		}
	}
	return cleared.Briefing{}, false
}

// RecordBriefing decides whether one security officer of officerOf, or an NSA officer, may record at t a briefing
// of the holder of clearance c, whose briefings are bs (A18.1): the security officer in office of the holder's
// organisation or the NSA, never the holder himself; a clearance pending its declaration or in force; no earlier
// briefing still waiting for the holder's declaration. The reader has seen the clearance (SeeBriefings).
func RecordBriefing(me cleared.PersonID, officerOf []cleared.OrganisationID, nsa bool, holder cleared.Person, c cleared.Clearance, bs []cleared.Briefing, t time.Time) Decision {
	switch {
	case me == holder.ID:
		return deny("A18.1", "a holder's briefing is recorded by his security officer or the NSA, not by himself")
	case !nsa && !isOfficer(officerOf, holder.OrganisationID):
		return deny("A18.1", "only the security officer in office of the holder's organisation, or the NSA, records his briefing")
	case !briefable(c, t):
		return deny("A18.1", "a briefing is recorded for a clearance awaiting its declaration or in force, not for one suspended, withdrawn or expired")
	}
	if _, ok := awaiting(bs); ok {
		return deny("A18.1", "the last briefing recorded still waits for the holder's declaration")
	}
	return Allow
}

// SignDeclaration decides whether person me may sign at t the declaration after the briefing of clearance c whose
// briefings are bs (A18.1): only the holder, for his own clearance pending or in force, and only after a briefing
// recorded and not yet declared. It returns that briefing.
func SignDeclaration(me cleared.PersonID, c cleared.Clearance, bs []cleared.Briefing, t time.Time) (cleared.Briefing, Decision) {
	if me != c.PersonID {
		return cleared.Briefing{}, deny("A18.1", "only the holder signs the declaration after his own briefing")
	}
	if !briefable(c, t) {
		return cleared.Briefing{}, deny("A18.1", "the clearance is suspended, withdrawn or expired: no declaration is signed for it")
	}
	b, ok := awaiting(bs)
	if !ok {
		return b, deny("A18.1", "no briefing recorded waits for your declaration: your security officer records the briefing first")
	}
	return b, Allow
}

// Activates reports whether the declaration of a briefing of c makes it active (A18.1): the first declaration of a
// clearance pending it.
func Activates(c cleared.Clearance) bool { return c.Status == cleared.ClearancePending }

// NextBriefing returns when the next briefing of c falls due: RebriefingMonths after the date of the last briefing
// declared (the date the instructions were given, not the signature's, so that a late signature does not put the
// next briefing off); false if none is declared (a clearance pending, or imported from the paper register before
// any briefing was recorded in cleared).
func NextBriefing(bs []cleared.Briefing) (time.Time, bool) {
	var last time.Time
	for _, b := range bs {
		if !b.Declared.IsZero() && b.BriefedOn.After(last) {
			last = b.BriefedOn
		}
	}
	if last.IsZero() {
		return time.Time{}, false
	}
	return last.AddDate(0, RebriefingMonths, 0), true
}

// BriefingOverdue reports whether the re-briefing of c is overdue at t (A18.1): c in force, with a declared briefing
// whose successor fell due at or before t. Exactly at the due date it is overdue.
func BriefingOverdue(c cleared.Clearance, bs []cleared.Briefing, t time.Time) bool {
	due, ok := NextBriefing(bs)
	return ok && ClearanceValid(c, t).Allowed && !t.Before(due)
}

// BriefingFact is a clearance with its briefings and its holder, as the agenda decides on it.
type BriefingFact struct {
	Holder    cleared.Person
	Clearance cleared.Clearance
	Briefings []cleared.Briefing
}

// BriefingItems are the agenda's items of briefings at t (A18.1): to the holder (me), his own clearance pending its
// briefing or declaration, or whose re-briefing is overdue (AgendaDeclaration, with the briefing to declare if one
// waits); to the security officers of the holder's organisation (officerOf), the same clearances of their staff
// (AgendaBriefing), due since the issue for a first briefing, since the due date for a re-briefing. A clearance
// neither pending nor overdue gives nothing.
func BriefingItems(me cleared.PersonID, officerOf []cleared.OrganisationID, facts []BriefingFact, t time.Time) []AgendaItem {
	var items []AgendaItem
	for _, f := range facts {
		c, p := f.Clearance, f.Holder
		if c.PersonID != p.ID || c.HolderKind != cleared.HolderPerson {
			continue
		}
		var due time.Time
		switch {
		case c.Status == cleared.ClearancePending && briefable(c, t):
			due = c.Issued
		case BriefingOverdue(c, f.Briefings, t):
			due, _ = NextBriefing(f.Briefings)
		default:
			continue
		}
		it := AgendaItem{Due: due, Clearance: &c, Person: &p}
		if b, ok := awaiting(f.Briefings); ok {
			it.Briefing = &b
		}
		if p.ID == me {
			it.Kind = AgendaDeclaration
			items = append(items, agendaItem(it, t))
		}
		if p.ID != me && slices.Contains(officerOf, p.OrganisationID) {
			it.Kind = AgendaBriefing
			items = append(items, agendaItem(it, t))
		}
	}
	return items
}

// SeeCircumstance says how much of a report of a change of circumstances a reader sees (A18.1, A23.1): all of it,
// what changed included, for the holder who made it and the NSA (SightFull); that it was made, for the security
// officers in office of his organisation (SightStage); nothing for anyone else, who may not know of it.
func SeeCircumstance(me cleared.PersonID, officerOf []cleared.OrganisationID, nsa bool, r cleared.CircumstanceReport) (CaseSight, Decision) {
	switch {
	case me == r.PersonID || nsa:
		return SightFull, Allow
	case isOfficer(officerOf, r.OrganisationID):
		return SightStage, Allow
	}
	return SightNone, hidden("A18.1", "a report of a change of circumstances is seen by its holder, the NSA and, without its details, his security officer")
}

// ReportCircumstance decides whether person p may report a change of his circumstances at t (A18.1): a holder of a
// clearance pending its briefing or in force reports his own.
func ReportCircumstance(cs []cleared.Clearance, t time.Time) Decision {
	for _, c := range cs {
		if c.HolderKind == cleared.HolderPerson && briefable(c, t) {
			return Allow
		}
	}
	return deny("A18.1", "changes of circumstances are reported by the holder of a clearance")
}

// TakeUpCircumstance decides whether a reader may take a report up (A18.1): an NSA officer, once.
func TakeUpCircumstance(nsa bool, r cleared.CircumstanceReport) Decision {
	switch {
	case !nsa:
		return deny("A18.1", "a report of a change of circumstances is taken up by the NSA")
	case !r.TakenUp.IsZero():
		return deny("A18.1", "the report was taken up already")
	}
	return Allow
}

// CircumstanceItems are, for an NSA officer, the reports of changes of circumstances no NSA officer took up yet,
// each due since it was made (A18.1): the case officer reads it and takes it up.
func CircumstanceItems(nsa bool, rs []cleared.CircumstanceReport, t time.Time) []AgendaItem {
	if !nsa {
		return nil
	}
	var items []AgendaItem
	for i := range rs {
		if rs[i].TakenUp.IsZero() {
			items = append(items, agendaItem(AgendaItem{Kind: AgendaCircumstance, Due: rs[i].Reported, Circumstance: &rs[i]}, t))
		}
	}
	return items
}

// BriefingSuspension returns when clearance c of a person of organisation org, whose briefings are bs, stops
// granting anything for want of its re-briefing (A18.1): the due date of its next briefing (NextBriefing), where a
// profile in force at t for org has a suspend_on_overdue_briefing rule covering its level, with the profile's name;
// zero and "" where none does, or no briefing was declared. Without such a profile an overdue re-briefing is flagged
// on the agenda only.
func BriefingSuspension(ps Profiles, org cleared.OrganisationID, c cleared.Clearance, bs []cleared.Briefing, t time.Time) (time.Time, string) {
	due, ok := NextBriefing(bs)
	if !ok {
		return time.Time{}, ""
	}
	for _, p := range ps.list {
		if p.SuspendsOverdue != nil && p.SuspendsOverdue(org, c.Level, t) {
			return due, p.Name
		}
	}
	return time.Time{}, ""
}

// SuspendedForBriefing reports whether clearance c grants nothing at t because its re-briefing is overdue and a
// profile says so (BriefingSuspension), with the profile's name.
func SuspendedForBriefing(ps Profiles, org cleared.OrganisationID, c cleared.Clearance, bs []cleared.Briefing, t time.Time) (string, bool) {
	due, name := BriefingSuspension(ps, org, c, bs, t)
	return name, !due.IsZero() && BriefingOverdue(c, bs, t)
}

// CaseOfficerReports keeps, of the reports rs not taken up, those that reach NSA officer me (A18.1, A24.1): a
// report reaches the officers on its holder's latest case (officers, by holder), and every NSA officer when no one
// is on such a case, so that no report goes unread.
func CaseOfficerReports(me cleared.PersonID, rs []cleared.CircumstanceReport, officers map[cleared.PersonID][]cleared.PersonID) []cleared.CircumstanceReport {
	var out []cleared.CircumstanceReport
	for _, r := range rs {
		on := officers[r.PersonID]
		if len(on) == 0 || slices.Contains(on, me) {
			out = append(out, r)
		}
	}
	return out
}
