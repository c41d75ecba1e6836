package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func newIncident(w world, kind cleared.IncidentKind, n int) cleared.Incident {
	return cleared.Incident{ID: cleared.NewIncidentID(), Kind: kind, ObjectKind: cleared.IncidentPerson,
		Object: string(w.person.ID), OrganisationID: w.org.ID, Description: "badge lost", Source: cleared.SourceReport,
		ReportedBy: w.person.ID, Reported: day(n)}
}

// testIncident is the chapter of incidents (Art. 13): a case, its warnings and its record, each sealed.
func testIncident(t *testing.T, open opener) {
	t.Run("A13.1_case_created_found_open_listed_and_closed", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		other := newWorld(t, s)
		older, newer := newIncident(w, cleared.IncidentCompromise, -2), newIncident(w, cleared.IncidentThreat, -1)
		elsewhere := newIncident(other, cleared.IncidentAttempt, 0)
		elsewhere.ReportedBy = ""
		update(t, s, func(tx store.Tx) error {
			for _, i := range []cleared.Incident{older, newer, elsewhere} {
				if err := tx.CreateIncident(i); err != nil {
					return err
				}
			}
			return nil
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateIncident(older) })
		wantKind(t, "CreateIncident twice", err, cleared.ErrConflict)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Incident(older.ID)
			same(t, "Incident", got, older)
			if err != nil {
				return err
			}
			_, err = tx.Incident(cleared.NewIncidentID())
			wantKind(t, "Incident unknown", err, cleared.ErrNotFound)
			about, err := tx.OpenIncidentAbout(cleared.IncidentPerson, string(w.person.ID), cleared.SourceReport)
			same(t, "OpenIncidentAbout is the newest", about.ID, newer.ID)
			if err != nil {
				return err
			}
			mine, err := tx.ListIncidents(store.IncidentQuery{Organisations: []cleared.OrganisationID{w.org.ID}, Limit: 10})
			same(t, "ListIncidents of an organisation, newest first", mine, []cleared.Incident{newer, older})
			if err != nil {
				return err
			}
			all, err := tx.ListIncidents(store.IncidentQuery{All: true, Limit: 2})
			same(t, "ListIncidents all, limited", all, []cleared.Incident{elsewhere, newer})
			if err != nil {
				return err
			}
			rest, err := tx.ListIncidents(store.IncidentQuery{All: true, After: &newer, Limit: 2})
			same(t, "ListIncidents after the last of a page", rest, []cleared.Incident{older})
			if err != nil {
				return err
			}
			none, err := tx.ListIncidents(store.IncidentQuery{Limit: 10})
			same(t, "ListIncidents of no one", len(none), 0)
			return err
		})
		closed := newer
		closed.Findings, closed.Head = "found", cleared.HeadNotice{Name: "the Minister", At: day(0), How: "letter"}
		closed.Closed, closed.ClosedBy = day(0), w.person.ID
		closed.Description = "ignored: the report is not rewritten"
		update(t, s, func(tx store.Tx) error { return tx.UpdateIncident(closed) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Incident(newer.ID)
			closed.Description = newer.Description
			same(t, "Incident closed", got, closed)
			if err != nil {
				return err
			}
			about, err := tx.OpenIncidentAbout(cleared.IncidentPerson, string(w.person.ID), cleared.SourceReport)
			same(t, "OpenIncidentAbout skips a closed case", about.ID, older.ID)
			if err != nil {
				return err
			}
			_, err = tx.OpenIncidentAbout(cleared.IncidentPiece, "pce_none", cleared.SourceReport)
			wantKind(t, "OpenIncidentAbout none", err, cleared.ErrNotFound)
			_, err = tx.OpenIncidentAbout(cleared.IncidentPerson, string(w.person.ID), cleared.SourceTampering)
			wantKind(t, "OpenIncidentAbout of another source", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("A13.1_warnings_acknowledged_escalated_due_exactly_at_the_time", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		nsa := newPerson(w.org.ID)
		nsa.Roles = []cleared.Role{cleared.RoleNSAOfficer, cleared.RoleAuditor}
		create(t, s, nsa)
		i := newIncident(w, cleared.IncidentCompromise, -1)
		first := cleared.IncidentNotification{Incident: i.ID, Number: 1, Recipient: w.person.ID, As: cleared.AsSecurityOfficer, Created: day(-1)}
		second := cleared.IncidentNotification{Incident: i.ID, Number: 2, Recipient: nsa.ID, As: cleared.AsNSA, Created: day(0)}
		note := cleared.IncidentNote{Incident: i.ID, Number: 1, Kind: cleared.NoteInvestigation, Text: "heard the holder", By: w.person.ID, At: day(0)}
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateIncident(i); err != nil {
				return err
			}
			if err := tx.AddIncidentNotification(second); err != nil {
				return err
			}
			if err := tx.AddIncidentNotification(first); err != nil {
				return err
			}
			return tx.AddIncidentNote(note)
		})
		view(t, s, func(tx store.Tx) error {
			ns, err := tx.IncidentNotifications(i.ID)
			same(t, "IncidentNotifications by number", ns, []cleared.IncidentNotification{first, second})
			if err != nil {
				return err
			}
			due, err := tx.UnacknowledgedNotifications("", day(-1), 10)
			same(t, "UnacknowledgedNotifications given exactly at t", due, []cleared.IncidentNotification{first})
			if err != nil {
				return err
			}
			due, err = tx.UnacknowledgedNotifications(nsa.ID, day(1), 10)
			same(t, "UnacknowledgedNotifications of a recipient", due, []cleared.IncidentNotification{second})
			if err != nil {
				return err
			}
			notes, err := tx.IncidentNotes(i.ID)
			same(t, "IncidentNotes", notes, []cleared.IncidentNote{note})
			if err != nil {
				return err
			}
			with, err := tx.PersonsWithRole(cleared.RoleNSAOfficer)
			same(t, "PersonsWithRole", with, []cleared.Person{nsa})
			if err != nil {
				return err
			}
			mine, err := tx.ListIncidents(store.IncidentQuery{Recipient: nsa.ID, Limit: 10})
			same(t, "ListIncidents of a recipient", len(mine), 1)
			return err
		})
		first.Acknowledged, second.Escalated = day(0), day(1)
		update(t, s, func(tx store.Tx) error {
			if err := tx.UpdateIncidentNotification(first); err != nil {
				return err
			}
			return tx.UpdateIncidentNotification(second)
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddIncidentNote(note) })
		wantKind(t, "AddIncidentNote twice", err, cleared.ErrConflict)
		view(t, s, func(tx store.Tx) error {
			ns, err := tx.IncidentNotifications(i.ID)
			same(t, "IncidentNotifications updated", ns, []cleared.IncidentNotification{first, second})
			if err != nil {
				return err
			}
			due, err := tx.UnacknowledgedNotifications("", day(5), 10)
			same(t, "UnacknowledgedNotifications after acknowledgement and escalation", len(due), 0)
			return err
		})
	})
}
