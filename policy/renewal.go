package policy

import (
	"slices"
	"time"

	"github.com/cleared/cleared"
)

// Renewal reminders (A17.1, issue 20 workflow 8): a clearance is valid five years for TRES SECRET and ten for the
// others (Art. 17), and renewing it needs a new investigation, which takes months. So the holder and the security
// officers of his organisation are reminded 12, 6 and 3 months before it expires, once at each threshold.

// RenewalThresholds are the months ahead of a clearance's expiry at which its holder and his security officers
// are reminded, from the first to the last.
var RenewalThresholds = []int{12, 6, 3}

// RenewalThreshold returns the threshold (12, 6 or 3 months) that c has reached at t, 0 if none: c must be a
// person's clearance in force (active, classified, not superseded by a later clearance of the same person among
// all), not yet expired at t, and t at or after its expiry minus the threshold's months. The expiry is the earlier
// of the recorded one and Art. 17's. Of the thresholds reached, the nearest to the expiry answers: a clearance
// recorded five months before it expires is reminded at 6, not at 12 and then 6.
func RenewalThreshold(c cleared.Clearance, all []cleared.Clearance, t time.Time) int {
	if c.HolderKind != cleared.HolderPerson || c.Status != cleared.ClearanceActive || !c.Level.Classified() ||
		superseded(c, all) {
		return 0
	}
	e := expiry(c)
	if !t.Before(e) {
		return 0
	}
	due := 0
	for _, m := range RenewalThresholds {
		if !t.Before(e.AddDate(0, -m, 0)) {
			due = m
		}
	}
	return due
}

// RenewalReminderDue returns the threshold whose reminder is due for c at t: the one it has reached
// (RenewalThreshold), unless reminded already lists it; 0 if none is due.
func RenewalReminderDue(c cleared.Clearance, all []cleared.Clearance, reminded []int, t time.Time) int {
	m := RenewalThreshold(c, all, t)
	if m == 0 || slices.Contains(reminded, m) {
		return 0
	}
	return m
}

// RenewalRecipients returns who is reminded of the renewal of holder's clearance at t (A17.1): the holder, and the
// security officers in office at t among officers (those of his organisation), each once.
func RenewalRecipients(holder cleared.PersonID, officers []cleared.SecurityOfficer, t time.Time) []cleared.PersonID {
	ids := []cleared.PersonID{holder}
	for _, o := range officers {
		if o.ActiveAt(t) && !slices.Contains(ids, o.PersonID) {
			ids = append(ids, o.PersonID)
		}
	}
	return ids
}

// RenewalExpiry returns when c expires, as the reminders count: the earlier of the recorded expiry and the law's
// bound on it.
func RenewalExpiry(c cleared.Clearance) time.Time { return expiry(c) }

// RenewalItems are, for a security officer, the clearances of the staff of officerOf (the organisations he is
// security officer of at t) that have reached a renewal threshold at t (RenewalThreshold) while no renewal case of
// their holder is open (renewing): each asks him to open one, since renewal needs a new investigation that he
// requests (A17.1, A25.1). His own clearance is not among them: ClearanceItems shows it to him.
func RenewalItems(me cleared.PersonID, officerOf []cleared.OrganisationID, holders []Holder, renewing map[cleared.PersonID]bool, t time.Time) []AgendaItem {
	var items []AgendaItem
	for _, h := range holders {
		p := h.Person
		if p.ID == me || renewing[p.ID] || !slices.Contains(officerOf, p.OrganisationID) {
			continue
		}
		for _, c := range h.Clearances {
			if c.PersonID != p.ID || RenewalThreshold(c, h.Clearances, t) == 0 {
				continue
			}
			items = append(items, agendaItem(AgendaItem{Kind: AgendaRenewal, Due: expiry(c), Clearance: &c, Person: &p}, t))
		}
	}
	return items
}
