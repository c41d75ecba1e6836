package store

import (
	"time"

	"github.com/cleared/cleared"
)

// IncidentQuery selects incidents: every one if All, else those of one of Organisations, those ReportedBy, and
// those whose warnings went to Recipient (each if set); newest first, after the incident After (the last of the
// previous page; nil for the first), at most Limit.
type IncidentQuery struct {
	After         *cleared.Incident
	All           bool
	Organisations []cleared.OrganisationID
	ReportedBy    cleared.PersonID
	Recipient     cleared.PersonID
	Limit         int
}

// Incidents holds the cases of security incidents, the warnings given and the cases' records (Art. 13, A13.1 to
// A13.3).
type Incidents interface {
	// CreateIncident stores i; ErrConflict if its ID exists.
	CreateIncident(i cleared.Incident) error
	Incident(id cleared.IncidentID) (cleared.Incident, error)
	// UpdateIncident stores i's findings, head notice and closure; ErrNotFound if there is no such incident.
	UpdateIncident(i cleared.Incident) error
	// OpenIncidentAbout returns the newest open incident about the object opened from source; ErrNotFound if none.
	OpenIncidentAbout(kind cleared.IncidentObjectKind, object string, source cleared.IncidentSource) (cleared.Incident, error)
	// ListIncidents answers q; see IncidentQuery.
	ListIncidents(q IncidentQuery) ([]cleared.Incident, error)

	// AddIncidentNotification stores n; ErrConflict if its number exists for its incident.
	AddIncidentNotification(n cleared.IncidentNotification) error
	// IncidentNotifications lists the warnings of an incident, by number.
	IncidentNotifications(id cleared.IncidentID) ([]cleared.IncidentNotification, error)
	// UpdateIncidentNotification stores n's acknowledgement and escalation; ErrNotFound if there is none.
	UpdateIncidentNotification(n cleared.IncidentNotification) error
	// UnacknowledgedNotifications lists at most limit warnings neither acknowledged nor escalated, given at or
	// before t, of recipient (every one if empty), oldest first.
	UnacknowledgedNotifications(recipient cleared.PersonID, t time.Time, limit int) ([]cleared.IncidentNotification, error)

	// AddIncidentNote stores n; ErrConflict if its number exists for its incident.
	AddIncidentNote(n cleared.IncidentNote) error
	// IncidentNotes lists the record of an incident, by number.
	IncidentNotes(id cleared.IncidentID) ([]cleared.IncidentNote, error)

	// PersonsWithRole lists the persons who hold role, by ID (the NSA's officers, who are warned of compromises).
	PersonsWithRole(role cleared.Role) ([]cleared.Person, error)
}
