package sqlstore

import (
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// incidentCodec seals the rows of incidents: the organisation concerned decides who investigates and reads the
// case, and the findings and closure are what the security officer answers for (A13.3).
var incidentCodec = codec[cleared.Incident]{table: "incidents",
	key: func(i cleared.Incident) string { return string(i.ID) },
	row: func(i cleared.Incident) ([]any, error) {
		return []any{string(i.ID), string(i.Kind), string(i.ObjectKind), i.Object, null(i.OrganisationID),
			null(i.Originator), i.Description, string(i.Source), null(i.ReportedBy), ns(i.Reported), i.Findings,
			i.Head.Name, i.Head.How, ns(i.Head.At), ns(i.Closed), null(i.ClosedBy)}, nil
	}}

// incidentColumns are the columns scanIncident reads, and the MAC.
const incidentColumns = `id, kind, object_kind, object, organisation_id, originator, description, source, reported_by,
	reported, findings, head_name, head_how, head_at, closed, closed_by, mac`

func scanIncident(s scanner) (cleared.Incident, error) {
	var i cleared.Incident
	err := s.Scan(&i.ID, &i.Kind, &i.ObjectKind, &i.Object, opt(&i.OrganisationID), opt(&i.Originator), &i.Description,
		&i.Source, opt(&i.ReportedBy), ts(&i.Reported), &i.Findings, &i.Head.Name, &i.Head.How, ts(&i.Head.At),
		ts(&i.Closed), opt(&i.ClosedBy))
	return i, err
}

// CreateIncident stores i; ErrConflict if its ID exists.
func (tx *Tx) CreateIncident(i cleared.Incident) error {
	err := i.ID.Validate()
	if err == nil {
		err = i.Kind.Validate()
	}
	if err == nil {
		err = i.ObjectKind.Validate()
	}
	if err == nil {
		err = checkTimeSet("report", i.Reported)
	}
	if err == nil {
		err = checkTimes(i.Head.At, i.Closed)
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, incidentCodec, i)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO incidents (`+incidentColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create incident %s", i.ID)
	}
	return nil
}

// Incident returns the incident with the given ID; ErrNotFound if there is none.
func (tx *Tx) Incident(id cleared.IncidentID) (cleared.Incident, error) {
	i, err := get(tx, checked(tx, incidentCodec, scanIncident), `SELECT `+incidentColumns+` FROM incidents WHERE id = $1`, id)
	if err != nil {
		return i, tx.notFound(err, "incident", id)
	}
	return i, nil
}

// UpdateIncident stores i's findings, head notice and closure; the rest of the row is kept as stored.
func (tx *Tx) UpdateIncident(i cleared.Incident) error {
	if err := checkTimes(i.Head.At, i.Closed); err != nil {
		return tx.errorf(err, "update incident %s", i.ID)
	}
	old, err := tx.Incident(i.ID)
	if err != nil {
		return err
	}
	old.Findings, old.Head, old.Closed, old.ClosedBy = i.Findings, i.Head, i.Closed, i.ClosedBy
	mac, err := macOf(tx, incidentCodec, old)
	if err == nil {
		_, err = tx.exec(`UPDATE incidents SET findings = $2, head_name = $3, head_how = $4, head_at = $5, closed = $6,
			closed_by = $7, mac = $8 WHERE id = $1`,
			old.ID, old.Findings, old.Head.Name, old.Head.How, ns(old.Head.At), ns(old.Closed), null(old.ClosedBy), mac)
	}
	if err != nil {
		return tx.errorf(err, "update incident %s", i.ID)
	}
	return nil
}

// OpenIncidentAbout returns the newest open incident about the object opened from source; ErrNotFound if none.
func (tx *Tx) OpenIncidentAbout(kind cleared.IncidentObjectKind, object string, source cleared.IncidentSource) (cleared.Incident, error) {
	is, err := list(tx, checked(tx, incidentCodec, scanIncident), `SELECT `+incidentColumns+` FROM incidents
		WHERE object_kind = $1 AND object = $2 AND source = $3 AND closed IS NULL ORDER BY reported DESC, id DESC LIMIT 1`,
		string(kind), object, string(source))
	if err != nil {
		return cleared.Incident{}, tx.errorf(err, "open incident about %s %s", kind, object)
	}
	if len(is) == 0 {
		return cleared.Incident{}, cleared.NotFoundf("no open incident about %s %s", kind, object)
	}
	return is[0], nil
}

// ListIncidents answers q: see store.IncidentQuery.
func (tx *Tx) ListIncidents(q store.IncidentQuery) ([]cleared.Incident, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	var or []string
	if q.All {
		or = append(or, "1 = 1")
	}
	if len(q.Organisations) > 0 {
		var in []string
		for _, o := range q.Organisations {
			in = append(in, arg(string(o)))
		}
		or = append(or, "organisation_id IN ("+strings.Join(in, ", ")+")")
	}
	if q.ReportedBy != "" {
		or = append(or, "reported_by = "+arg(string(q.ReportedBy)))
	}
	if q.Recipient != "" {
		or = append(or, "id IN (SELECT incident_id FROM incident_notifications WHERE recipient = "+arg(string(q.Recipient))+")")
	}
	if len(or) == 0 {
		return nil, nil
	}
	query := `SELECT ` + incidentColumns + ` FROM incidents WHERE (` + strings.Join(or, " OR ") + `)`
	if q.After != nil {
		at, id := arg(q.After.Reported.UnixNano()), arg(string(q.After.ID))
		query += ` AND (reported < ` + at + ` OR (reported = ` + at + ` AND id < ` + id + `))`
	}
	query += ` ORDER BY reported DESC, id DESC LIMIT ` + arg(q.Limit)
	is, err := list(tx, checked(tx, incidentCodec, scanIncident), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list incidents")
	}
	return is, nil
}

// notificationCodec seals the rows of incident_notifications: who was warned and whether he acknowledged is what
// A13.1 asks to be shown.
var notificationCodec = codec[cleared.IncidentNotification]{table: "incident_notifications",
	key: func(n cleared.IncidentNotification) string { return string(n.Incident) + "/" + strconv.Itoa(n.Number) },
	row: func(n cleared.IncidentNotification) ([]any, error) {
		return []any{string(n.Incident), int64(n.Number), string(n.Recipient), string(n.As), ns(n.Created),
			ns(n.Acknowledged), ns(n.Escalated)}, nil
	}}

const notificationColumns = `incident_id, number, recipient, notified_as, created, acknowledged, escalated, mac`

func scanNotification(s scanner) (cleared.IncidentNotification, error) {
	var n cleared.IncidentNotification
	err := s.Scan(&n.Incident, &n.Number, &n.Recipient, &n.As, ts(&n.Created), ts(&n.Acknowledged), ts(&n.Escalated))
	return n, err
}

// AddIncidentNotification stores n; ErrConflict if its number exists for its incident.
func (tx *Tx) AddIncidentNotification(n cleared.IncidentNotification) error {
	err := checkTimeSet("notification", n.Created)
	if err == nil {
		err = checkTimes(n.Acknowledged, n.Escalated)
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, notificationCodec, n)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO incident_notifications (`+notificationColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "add notification %d of incident %s", n.Number, n.Incident)
	}
	return nil
}

// IncidentNotifications lists the warnings of an incident, by number.
func (tx *Tx) IncidentNotifications(id cleared.IncidentID) ([]cleared.IncidentNotification, error) {
	ns, err := list(tx, checked(tx, notificationCodec, scanNotification), `SELECT `+notificationColumns+`
		FROM incident_notifications WHERE incident_id = $1 ORDER BY number`, string(id))
	if err != nil {
		return nil, tx.errorf(err, "list notifications of incident %s", id)
	}
	return ns, nil
}

// UpdateIncidentNotification stores n's acknowledgement and escalation; ErrNotFound if there is none.
func (tx *Tx) UpdateIncidentNotification(n cleared.IncidentNotification) error {
	if err := checkTimes(n.Acknowledged, n.Escalated); err != nil {
		return tx.errorf(err, "update notification %d of incident %s", n.Number, n.Incident)
	}
	old, err := get(tx, checked(tx, notificationCodec, scanNotification), `SELECT `+notificationColumns+`
		FROM incident_notifications WHERE incident_id = $1 AND number = $2`, string(n.Incident), n.Number)
	if err != nil {
		return tx.notFound(err, "notification", string(n.Incident)+"/"+strconv.Itoa(n.Number))
	}
	old.Acknowledged, old.Escalated = n.Acknowledged, n.Escalated
	mac, err := macOf(tx, notificationCodec, old)
	if err == nil {
		_, err = tx.exec(`UPDATE incident_notifications SET acknowledged = $3, escalated = $4, mac = $5
			WHERE incident_id = $1 AND number = $2`, string(old.Incident), old.Number, ns(old.Acknowledged), ns(old.Escalated), mac)
	}
	if err != nil {
		return tx.errorf(err, "update notification %d of incident %s", n.Number, n.Incident)
	}
	return nil
}

// UnacknowledgedNotifications lists at most limit warnings neither acknowledged nor escalated, given at or before
// t, of recipient (every one if empty), oldest first.
func (tx *Tx) UnacknowledgedNotifications(recipient cleared.PersonID, t time.Time, limit int) ([]cleared.IncidentNotification, error) {
	if err := checkPage(limit); err != nil {
		return nil, err
	}
	if err := checkTimeSet("current", t); err != nil {
		return nil, err
	}
	query := `SELECT ` + notificationColumns + ` FROM incident_notifications
		WHERE acknowledged IS NULL AND escalated IS NULL AND created <= $1`
	args := []any{t.UnixNano()}
	if recipient != "" {
		args = append(args, string(recipient))
		query += ` AND recipient = $2`
	}
	args = append(args, limit)
	query += ` ORDER BY created, incident_id, number LIMIT $` + strconv.Itoa(len(args))
	ns, err := list(tx, checked(tx, notificationCodec, scanNotification), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list unacknowledged notifications")
	}
	return ns, nil
}

// noteCodec seals the rows of incident_notes: the investigation's record (A13.3).
var noteCodec = codec[cleared.IncidentNote]{table: "incident_notes",
	key: func(n cleared.IncidentNote) string { return string(n.Incident) + "/" + strconv.Itoa(n.Number) },
	row: func(n cleared.IncidentNote) ([]any, error) {
		return []any{string(n.Incident), int64(n.Number), string(n.Kind), n.Text, null(n.By), ns(n.At)}, nil
	}}

const noteColumns = `incident_id, number, kind, text, by_person, at, mac`

func scanNote(s scanner) (cleared.IncidentNote, error) {
	var n cleared.IncidentNote
	err := s.Scan(&n.Incident, &n.Number, &n.Kind, &n.Text, opt(&n.By), ts(&n.At))
	return n, err
}

// AddIncidentNote stores n; ErrConflict if its number exists for its incident.
func (tx *Tx) AddIncidentNote(n cleared.IncidentNote) error {
	err := checkTimeSet("note", n.At)
	var args []any
	if err == nil {
		args, err = sealRow(tx, noteCodec, n)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO incident_notes (`+noteColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "add note %d of incident %s", n.Number, n.Incident)
	}
	return nil
}

// IncidentNotes lists the record of an incident, by number.
func (tx *Tx) IncidentNotes(id cleared.IncidentID) ([]cleared.IncidentNote, error) {
	ns, err := list(tx, checked(tx, noteCodec, scanNote), `SELECT `+noteColumns+`
		FROM incident_notes WHERE incident_id = $1 ORDER BY number`, string(id))
	if err != nil {
		return nil, tx.errorf(err, "list notes of incident %s", id)
	}
	return ns, nil
}

// PersonsWithRole lists the persons who hold role, by ID. The list of roles is narrowed in SQL and decided on the
// row once its seal is checked.
func (tx *Tx) PersonsWithRole(role cleared.Role) ([]cleared.Person, error) {
	if err := role.Validate(); err != nil {
		return nil, err
	}
	ps, err := list(tx, checked(tx, personCodec, scanPerson), `SELECT `+personColumns+` FROM persons
		WHERE roles LIKE $1 ORDER BY id`, "%"+string(role)+"%")
	if err != nil {
		return nil, tx.errorf(err, "list persons with role %s", role)
	}
	out := ps[:0]
	for _, p := range ps {
		if p.HasRole(role) {
			out = append(out, p)
		}
	}
	return out, nil
}
