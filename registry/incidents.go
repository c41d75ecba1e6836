package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Security incidents (Art. 13). A compromise or a suspected one (A13.1), or a threat or an attempt (A13.2), about a
// piece, a copy, a place, a terminal or a person, is reported by anyone who knows of it, or opened by cleared itself
// when it detects one (a register row that fails its seal, content that fails authentication, a piece or copy
// missing at an inventory). In the transaction that records it, each person to warn (policy.Recipients) gets a
// warning on his agenda, an e-mail if he has an address, and his organisation's webhooks a signed call: the
// messages are written to the outbox (store.Outbox), which package notify sends after the commit, retrying until it
// is delivered. The report never waits for a mail server. A warning not acknowledged within the escalation delay
// escalates once (EscalateIncidents). The security officer of the organisation concerned investigates, records the
// findings and the notice to the head of the body, and closes the case (A13.3).

// DefaultEscalation is how long a warning waits for its acknowledgement before it escalates, unless
// Config.IncidentEscalation says otherwise.
const DefaultEscalation = time.Hour

// maxEscalations bounds the warnings one EscalateIncidents escalates; the next call takes the rest.
const maxEscalations = 200

// NewIncident is the input of ReportIncident.
type NewIncident struct {
	Kind        cleared.IncidentKind       `json:"kind"`
	ObjectKind  cleared.IncidentObjectKind `json:"object_kind"`
	Object      string                     `json:"object"`
	Description string                     `json:"description"`
}

func (in NewIncident) validate() error {
	if err := in.Kind.Validate(); err != nil {
		return err
	}
	if err := in.ObjectKind.Validate(); err != nil {
		return err
	}
	if err := cleared.CheckText("description", in.Description, 1, maxText); err != nil {
		return err
	}
	switch in.ObjectKind {
	case cleared.IncidentPiece:
		return cleared.PieceID(in.Object).Validate()
	case cleared.IncidentCopy:
		return cleared.CopyID(in.Object).Validate()
	case cleared.IncidentPlace:
		return cleared.PlaceID(in.Object).Validate()
	case cleared.IncidentTerminal:
		return cleared.TerminalID(in.Object).Validate()
	case cleared.IncidentPerson:
		return cleared.PersonID(in.Object).Validate()
	}
	return cleared.Invalidf("a register row's failure is raised by cleared itself: report about a piece, a copy, a place, a terminal or a person")
}

// DeliveryView is one message of the outbox about an incident, as the case shows it: its state says whether it
// left ("delivered"), waits for its first try ("pending"), or failed and will be tried again ("delayed", with the
// last error): an unreachable mail server or webhook delays a warning and says so, it never loses it.
type DeliveryView struct {
	cleared.Delivery
	State string `json:"state"`
}

// NotificationView is one warning of an incident: its acknowledgement, and the e-mails sent to its recipient.
type NotificationView struct {
	cleared.IncidentNotification
	RecipientName string         `json:"recipient_name"`
	Emails        []DeliveryView `json:"emails"`
}

// IncidentCase is an incident as shown. Its reporter sees his report and its state only; the NSA, the security
// officer of the organisation concerned and everyone warned see the whole case (policy.SeeIncident).
type IncidentCase struct {
	cleared.Incident
	Rule  string `json:"rule"`
	State string `json:"state"` // open or closed
	// Full is set when the reader sees the whole case: the warnings, the webhook calls and the record.
	Full          bool                   `json:"full"`
	Notifications []NotificationView     `json:"notifications,omitempty"`
	Webhooks      []DeliveryView         `json:"webhooks,omitempty"`
	Notes         []cleared.IncidentNote `json:"notes,omitempty"`
	// Mine is the reader's own warning not acknowledged yet, if any (he may acknowledge it).
	Mine bool `json:"awaiting_my_acknowledgement"`
	// Investigator is set when the reader may record the investigation (A13.3).
	Investigator bool `json:"investigator"`
}

// incidentActor describes the actor to the policy of incidents.
func incidentActor(tx store.Registers, me cleared.Person, now time.Time) (policy.IncidentActor, error) {
	officerOf, err := facts.OfficerOf(tx, me.ID, now)
	return policy.IncidentActor{Person: me.ID, OrganisationID: me.OrganisationID, NSA: me.HasRole(cleared.RoleNSAOfficer),
		OfficerOf: officerOf}, err
}

// incidentObject loads what a report about in's object needs: the object as the reporter may know it, and the
// organisation concerned, the originator and the piece's classification time. An object that does not exist is
// not known (a report must not tell which IDs exist).
func incidentObject(tx store.Tx, sub *policy.Subject, in NewIncident, now time.Time) (o policy.IncidentObject, originator cleared.AuthorityID, classified time.Time, err error) {
	o.Kind = in.ObjectKind
	missing := func(err error) error {
		var tampered *store.TamperedError
		if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
			return nil // o stays unknown
		}
		return err
	}
	knowPiece := func(id cleared.PieceID) error {
		p, err := tx.Piece(id)
		if err != nil {
			return missing(err)
		}
		tg, err := target(tx, p)
		if err != nil {
			return missing(err)
		}
		o.Known = policy.Know(sub, tg, now).Allowed
		if o.OrganisationID == "" {
			o.OrganisationID = p.OrganisationID
		}
		originator, classified = p.Originator, p.Created
		return nil
	}
	switch in.ObjectKind {
	case cleared.IncidentPiece:
		err = knowPiece(cleared.PieceID(in.Object))
	case cleared.IncidentCopy:
		c, e := tx.Copy(cleared.CopyID(in.Object))
		if e != nil {
			return o, "", classified, missing(e)
		}
		o.OrganisationID = c.OrganisationID
		err = knowPiece(c.Piece)
	case cleared.IncidentPlace:
		pl, e := tx.Place(cleared.PlaceID(in.Object))
		if e != nil {
			return o, "", classified, missing(e)
		}
		o.OrganisationID = pl.OrganisationID
	case cleared.IncidentTerminal:
		tm, e := tx.Terminal(cleared.TerminalID(in.Object))
		if e != nil {
			return o, "", classified, missing(e)
		}
		o.OrganisationID, err = terminalOrganisation(tx, tm)
		err = missing(err)
	case cleared.IncidentPerson:
		p, e := tx.Person(cleared.PersonID(in.Object))
		if e != nil {
			return o, "", classified, missing(e)
		}
		o.OrganisationID = p.OrganisationID
	}
	return o, originator, classified, err
}

// terminalOrganisation is the organisation a terminal belongs to: its place's, or else who registered it's.
func terminalOrganisation(tx store.Tx, tm cleared.Terminal) (cleared.OrganisationID, error) {
	if tm.Place != "" {
		pl, err := tx.Place(tm.Place)
		return pl.OrganisationID, err
	}
	p, err := tx.Person(tm.RegisteredBy)
	return p.OrganisationID, err
}

// ReportIncident records an incident reported by the actor (A13.1, A13.2) and, in the same transaction, warns who
// policy.Recipients names: a warning on each one's agenda, an e-mail to each who has an address, a signed webhook
// call to each endpoint of their organisations (the outbox; package notify sends them after the commit). One may
// report what one knows of (policy.ReportIncident); an object one may not know is not found. The messages carry
// no classified content: the incident's ID, kind, time, organisation and the path of its case.
func (s *Service) ReportIncident(ctx context.Context, a cleared.Actor, in NewIncident) (c IncidentCase, err error) {
	defer cleared.Wrap(&err, "report incident")
	if err := in.validate(); err != nil {
		return c, err
	}
	now := s.clock()
	sent := 0
	err = s.run.Do(ctx, a, act.IncidentReport, now, func(tx store.Tx, x *act.Act) error {
		sub, me, err := facts.Subject(tx, a, now)
		if err != nil {
			return err
		}
		ia, err := incidentActor(tx, me, now)
		if err != nil {
			return err
		}
		o, originator, classified, err := incidentObject(tx, sub, in, now)
		if err != nil {
			return err
		}
		if d := policy.ReportIncident(ia, in.Kind, o); !d.Allowed {
			return x.Deny(in.Object, d)
		}
		i := cleared.Incident{ID: cleared.NewIncidentID(), Kind: in.Kind, ObjectKind: in.ObjectKind, Object: in.Object,
			OrganisationID: o.OrganisationID, Originator: originator, Description: in.Description, Source: cleared.SourceReport,
			ReportedBy: me.ID, Reported: now}
		if sent, err = s.openIncident(tx, x, i, classified); err != nil {
			return err
		}
		c, err = s.incidentCase(tx, i.ID, ia)
		return err
	})
	if err == nil {
		s.woken(sent)
	}
	return c, err
}

// incidentOpened is the audit payload of an incident opened: the case (never the piece's title: the description
// is the reporter's) and who was warned.
type incidentOpened struct {
	Incident   cleared.Incident           `json:"incident"`
	Warned     []policy.IncidentRecipient `json:"warned"`
	Deliveries []cleared.DeliveryID       `json:"deliveries"`
}

// openIncident stores incident i, warns its recipients and writes their messages to the outbox, in tx; it sets the
// action's object and payload and returns the number of messages written. classified is when the piece concerned
// was classified (successors and delegations acting for its originator are counted from it, A5.2).
func (s *Service) openIncident(tx store.Tx, x *act.Act, i cleared.Incident, classified time.Time) (int, error) {
	f, err := s.incidentFacts(tx, i, classified, x.Now)
	if err != nil {
		return 0, err
	}
	if err := tx.CreateIncident(i); err != nil {
		return 0, err
	}
	rs := policy.IncidentRecipients(f, x.Now)
	ds, err := s.warn(tx, i, rs, nil, 0, x.Now)
	if err != nil {
		return 0, err
	}
	x.Object = string(i.ID)
	x.Payload = incidentOpened{Incident: i, Warned: rs, Deliveries: ds}
	return len(ds), nil
}

// incidentFacts loads who may be warned of i: the security officers of the organisation concerned, the NSA's
// officers, and the persons holding in office an authority that acts for the originator.
func (s *Service) incidentFacts(tx store.Tx, i cleared.Incident, classified time.Time, now time.Time) (policy.IncidentFacts, error) {
	f := policy.IncidentFacts{Kind: i.Kind}
	var err error
	if i.OrganisationID != "" {
		if f.Officers, err = tx.SecurityOfficers(i.OrganisationID); err != nil {
			return f, err
		}
	}
	nsa, err := tx.PersonsWithRole(cleared.RoleNSAOfficer)
	if err != nil {
		return f, err
	}
	for _, p := range nsa {
		f.NSA = append(f.NSA, p.ID)
	}
	if i.Originator != "" {
		acts, err := facts.ActsFor(tx, i.Originator, classified)
		if err != nil && !errors.Is(err, cleared.ErrNotFound) {
			return f, err
		}
		for _, id := range acts {
			au, err := tx.Authority(id)
			if err != nil {
				continue // an authority whose row fails its seal warns no one; the NSA is warned of the case anyway
			}
			if au.InOfficeAt(now) {
				f.Originators = append(f.Originators, au.PersonID)
			}
		}
	}
	return f, nil
}

// warn records a warning of incident i for each of rs (numbered after the first existing ones), and writes to the
// outbox an e-mail for each who has an address and one call per webhook of their organisations. escalated is the
// warning whose want of acknowledgement causes these (nil for the first warnings). It returns the messages written.
func (s *Service) warn(tx store.Tx, i cleared.Incident, rs []policy.IncidentRecipient, escalated *cleared.IncidentNotification, first int, now time.Time) ([]cleared.DeliveryID, error) {
	var ids []cleared.DeliveryID
	orgName := ""
	if i.OrganisationID != "" {
		if o, err := tx.Organisation(i.OrganisationID); err == nil {
			orgName = o.Name
		}
	}
	msg := incidentMessage{i: i, orgName: orgName, escalated: escalated}
	hooked := map[cleared.OrganisationID]bool{}
	var orgs []cleared.OrganisationID
	for n, r := range rs {
		if err := tx.AddIncidentNotification(cleared.IncidentNotification{Incident: i.ID, Number: first + n + 1,
			Recipient: r.Person, As: r.As, Created: now}); err != nil {
			return nil, err
		}
		p, err := tx.Person(r.Person)
		if err != nil {
			// A recipient whose row fails its seal is warned in the application only: his address cannot be trusted.
			var tampered *store.TamperedError
			if errors.As(err, &tampered) {
				continue
			}
			return nil, err
		}
		if p.Email != "" {
			d := cleared.Delivery{ID: cleared.NewDeliveryID(), Medium: cleared.MediumEmail, Recipient: p.ID, Address: p.Email,
				Subject: msg.subject(), Body: []byte(msg.email(r.As)), Cause: string(i.ID), Created: now, NextAttempt: now}
			if err := tx.EnqueueDelivery(d); err != nil {
				return nil, err
			}
			ids = append(ids, d.ID)
		}
		if !hooked[p.OrganisationID] {
			hooked[p.OrganisationID] = true
			orgs = append(orgs, p.OrganisationID)
		}
	}
	seen := map[cleared.WebhookID]bool{}
	for _, o := range orgs {
		hs, err := tx.WebhooksOf(o)
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			if seen[h.ID] {
				continue
			}
			seen[h.ID] = true
			body, err := msg.webhook()
			if err != nil {
				return nil, err
			}
			d := cleared.Delivery{ID: cleared.NewDeliveryID(), Medium: cleared.MediumWebhook, Address: string(h.ID),
				Subject: msg.subject(), Body: body, Cause: string(i.ID), Created: now, NextAttempt: now}
			if err := tx.EnqueueDelivery(d); err != nil {
				return nil, err
			}
			ids = append(ids, d.ID)
		}
	}
	return ids, nil
}

// IncidentEvent is the JSON body of a webhook call about an incident (docs/registry.md, "Incidents"): a small,
// stable schema that names what happened and where to look, never classified content. Type is
// "incident.reported" for the first warnings and "incident.escalated" for an escalation.
type IncidentEvent struct {
	Type         string                     `json:"type"`
	Incident     cleared.IncidentID         `json:"incident"`
	Kind         cleared.IncidentKind       `json:"kind"`
	Rule         string                     `json:"rule"`
	ObjectKind   cleared.IncidentObjectKind `json:"object_kind"`
	Source       cleared.IncidentSource     `json:"source"`
	Reported     time.Time                  `json:"reported"`
	Organisation cleared.OrganisationID     `json:"organisation,omitempty"`
	// URL is the path of the case in cleared's API (the UI's is /ui/incidents/{id}); the receiver prefixes its
	// server's address.
	URL string `json:"url"`
	// Unacknowledged is, on an escalation, when the warning no one acknowledged was given.
	Unacknowledged time.Time `json:"unacknowledged_since,omitzero"`
}

// incidentMessage writes the messages about one incident.
type incidentMessage struct {
	i         cleared.Incident
	orgName   string
	escalated *cleared.IncidentNotification
}

func (m incidentMessage) subject() string {
	if m.escalated != nil {
		return fmt.Sprintf("[cleared] Unacknowledged security incident %s (%s)", m.i.ID, m.i.Kind.Rule())
	}
	return fmt.Sprintf("[cleared] Security incident %s (%s)", m.i.ID, m.i.Kind.Rule())
}

func (m incidentMessage) email(as cleared.NotifiedAs) string {
	var b strings.Builder
	if m.escalated != nil {
		fmt.Fprintf(&b, "A warning of this security incident given on %s has not been acknowledged.\n\n",
			m.escalated.Created.Format(time.RFC3339))
	}
	fmt.Fprintf(&b, "A security incident concerns you (Art. 13 of the law of 15 June 2004, %s).\n\n", m.i.Kind.Rule())
	fmt.Fprintf(&b, "Incident:      %s\nKind:          %s\nAbout:         %s\nOpened by:     %s\nReported:      %s\n",
		m.i.ID, m.i.Kind, m.i.ObjectKind, m.i.Source, m.i.Reported.Format(time.RFC3339))
	if m.i.OrganisationID != "" {
		fmt.Fprintf(&b, "Organisation:  %s (%s)\n", m.orgName, m.i.OrganisationID)
	}
	fmt.Fprintf(&b, "You are warned as: %s\n\n", as)
	fmt.Fprintf(&b, "Open the case in cleared and acknowledge it: /ui/incidents/%s\n", m.i.ID)
	b.WriteString("This message carries no classified content.\n")
	return b.String()
}

func (m incidentMessage) webhook() ([]byte, error) {
	e := IncidentEvent{Type: "incident.reported", Incident: m.i.ID, Kind: m.i.Kind, Rule: m.i.Kind.Rule(),
		ObjectKind: m.i.ObjectKind, Source: m.i.Source, Reported: m.i.Reported, Organisation: m.i.OrganisationID,
		URL: "/api/incidents/" + string(m.i.ID)}
	if m.escalated != nil {
		e.Type, e.Unacknowledged = "incident.escalated", m.escalated.Created
	}
	return json.Marshal(e)
}

// woken tells the dispatcher that n messages wait, once they are committed.
func (s *Service) woken(n int) {
	if n > 0 && s.wake != nil {
		s.wake()
	}
}

// deliveryState names where a message stands.
func deliveryState(d cleared.Delivery) DeliveryView {
	v := DeliveryView{Delivery: d}
	switch {
	case !d.Delivered.IsZero():
		v.State = "delivered"
	case d.Attempts == 0:
		v.State = "pending"
	default:
		v.State = "delayed"
	}
	return v
}

// incidentCase loads case id as ia sees it; ErrNotFound if he may not know it.
func (s *Service) incidentCase(tx store.Tx, id cleared.IncidentID, ia policy.IncidentActor) (IncidentCase, error) {
	i, err := tx.Incident(id)
	if err != nil {
		var tampered *store.TamperedError
		if errors.As(err, &tampered) {
			return IncidentCase{}, cleared.ErrNotFound
		}
		return IncidentCase{}, err
	}
	ns, err := tx.IncidentNotifications(id)
	if err != nil {
		return IncidentCase{}, err
	}
	c := IncidentCase{Incident: i, Rule: i.Kind.Rule(), State: "open"}
	if !i.Open() {
		c.State = "closed"
	}
	notified := false
	for _, n := range ns {
		if n.Recipient == ia.Person {
			notified = true
			if n.Acknowledged.IsZero() {
				c.Mine = true
			}
		}
	}
	switch policy.SeeIncident(ia, i, notified) {
	case policy.ViewNone:
		return IncidentCase{}, cleared.ErrNotFound
	case policy.ViewReport:
		c.Findings, c.Head, c.ClosedBy = "", cleared.HeadNotice{}, ""
		return c, nil
	}
	c.Full = true
	c.Investigator = policy.Investigate(ia, i).Allowed
	ds, err := tx.DeliveriesOf(string(id))
	if err != nil {
		return c, err
	}
	emails := map[cleared.PersonID][]DeliveryView{}
	for _, d := range ds {
		if d.Medium == cleared.MediumWebhook {
			c.Webhooks = append(c.Webhooks, deliveryState(d))
		} else {
			emails[d.Recipient] = append(emails[d.Recipient], deliveryState(d))
		}
	}
	for _, n := range ns {
		v := NotificationView{IncidentNotification: n, Emails: append([]DeliveryView{}, emails[n.Recipient]...)}
		delete(emails, n.Recipient) // a person warned twice (an escalation) shows his e-mails once
		if p, err := tx.Person(n.Recipient); err == nil {
			v.RecipientName = p.Name
		}
		c.Notifications = append(c.Notifications, v)
	}
	c.Notes, err = tx.IncidentNotes(id)
	return c, err
}

// Incident returns case id to one who may know it (policy.SeeIncident): the whole case to the NSA, the security
// officer of the organisation concerned and everyone warned; his report and its state to the reporter; not found
// to anyone else.
func (s *Service) Incident(ctx context.Context, a cleared.Actor, id cleared.IncidentID) (c IncidentCase, err error) {
	defer cleared.Wrap(&err, "incident %s", id)
	if err := id.Validate(); err != nil {
		return c, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.IncidentRead, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		ia, err := incidentActor(tx, me, now)
		if err != nil {
			return err
		}
		c, err = s.incidentCase(tx, id, ia)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		}
		x.Object = string(id)
		return err
	})
	return c, err
}

// Incidents lists, newest first, the incidents the actor may know of: every one to the NSA, those of the
// organisations he is security officer of, those he was warned of, and those he reported (as his report). The
// list is filtered by the rule of Incident before anything is counted. It continues after the incident after (the
// last of the previous page; empty for the first) and returns the one to continue after, empty at the end.
func (s *Service) Incidents(ctx context.Context, a cleared.Actor, after cleared.IncidentID, limit int) (cs []IncidentCase, next cleared.IncidentID, err error) {
	defer cleared.Wrap(&err, "list incidents")
	limit = page(limit)
	if after != "" {
		if err := after.Validate(); err != nil {
			return nil, "", err
		}
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.IncidentList, now, func(tx store.Tx, x *act.Act) error {
		cs = nil
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		ia, err := incidentActor(tx, me, now)
		if err != nil {
			return err
		}
		q := store.IncidentQuery{All: ia.NSA, Organisations: ia.OfficerOf, ReportedBy: me.ID, Recipient: me.ID, Limit: limit}
		if after != "" {
			// The cursor is an incident of the previous page: one the reader may know, or the cursor is bad input.
			if _, err := s.incidentCase(tx, after, ia); err != nil {
				if errors.Is(err, cleared.ErrNotFound) {
					return cleared.Invalidf("cursor: no incident of yours to continue after")
				}
				return err
			}
			prev, err := tx.Incident(after)
			if err != nil {
				return err
			}
			q.After = &prev
		}
		is, err := tx.ListIncidents(q)
		if err != nil {
			return err
		}
		next = ""
		if len(is) == limit {
			next = is[len(is)-1].ID
		}
		for _, i := range is {
			c, err := s.incidentCase(tx, i.ID, ia)
			if errors.Is(err, cleared.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			c.Notifications, c.Webhooks, c.Notes = nil, nil, nil // the list names the cases; each case shows its detail
			cs = append(cs, c)
		}
		x.Payload = map[string]int{"items": len(cs)}
		return nil
	})
	return cs, next, err
}

// caseAction runs an action of the case workflow on incident id: it loads the case, hides it from who may not know
// it, and lets fn decide and change it.
func (s *Service) caseAction(ctx context.Context, a cleared.Actor, id cleared.IncidentID, name act.Name, fn func(tx store.Tx, x *act.Act, ia policy.IncidentActor, i *cleared.Incident) error) (c IncidentCase, err error) {
	if err := id.Validate(); err != nil {
		return c, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, name, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		ia, err := incidentActor(tx, me, now)
		if err != nil {
			return err
		}
		seen, err := s.incidentCase(tx, id, ia)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		}
		if err != nil {
			return err
		}
		x.Object = string(id)
		i := seen.Incident
		if !seen.Full { // the reporter's view hides the record: decide on the stored case
			if i, err = tx.Incident(id); err != nil {
				return err
			}
		}
		if err := fn(tx, x, ia, &i); err != nil {
			return err
		}
		c, err = s.incidentCase(tx, id, ia)
		return err
	})
	return c, err
}

// AcknowledgeIncident records that the actor, warned of incident id, acknowledges his warnings (A13.1, A13.2): the
// escalation of them stops. One not warned who may know the case is refused naming the rule; one who may not know
// it gets not found.
func (s *Service) AcknowledgeIncident(ctx context.Context, a cleared.Actor, id cleared.IncidentID) (c IncidentCase, err error) {
	defer cleared.Wrap(&err, "acknowledge incident %s", id)
	return s.caseAction(ctx, a, id, act.IncidentAcknowledge, func(tx store.Tx, x *act.Act, ia policy.IncidentActor, i *cleared.Incident) error {
		ns, err := tx.IncidentNotifications(id)
		if err != nil {
			return err
		}
		if d := policy.Acknowledge(ia.Person, *i, ns); !d.Allowed {
			return x.Deny(string(id), d)
		}
		var acked []int
		for _, n := range ns {
			if n.Recipient == ia.Person && n.Acknowledged.IsZero() {
				n.Acknowledged = x.Now
				if err := tx.UpdateIncidentNotification(n); err != nil {
					return err
				}
				acked = append(acked, n.Number)
			}
		}
		x.Payload = map[string][]int{"acknowledged": acked}
		return nil
	})
}

// RecordIncidentNote adds a note of the investigation to case id (A13.3): the security officer of the organisation
// concerned (the NSA for a register row), while the case is open (policy.Investigate).
func (s *Service) RecordIncidentNote(ctx context.Context, a cleared.Actor, id cleared.IncidentID, text string) (c IncidentCase, err error) {
	defer cleared.Wrap(&err, "note on incident %s", id)
	if err := cleared.CheckText("note", text, 1, maxText); err != nil {
		return c, err
	}
	return s.caseAction(ctx, a, id, act.IncidentNote, func(tx store.Tx, x *act.Act, ia policy.IncidentActor, i *cleared.Incident) error {
		if d := policy.Investigate(ia, *i); !d.Allowed {
			return x.Deny(string(id), d)
		}
		ns, err := tx.IncidentNotes(id)
		if err != nil {
			return err
		}
		n := cleared.IncidentNote{Incident: id, Number: len(ns) + 1, Kind: cleared.NoteInvestigation, Text: text, By: ia.Person, At: x.Now}
		x.Payload = n
		return tx.AddIncidentNote(n)
	})
}

// RecordIncidentFindings records the findings of the investigation of case id (A13.3), replacing earlier ones
// (the audit log keeps each), by who investigates it while it is open.
func (s *Service) RecordIncidentFindings(ctx context.Context, a cleared.Actor, id cleared.IncidentID, findings string) (c IncidentCase, err error) {
	defer cleared.Wrap(&err, "findings of incident %s", id)
	if err := cleared.CheckText("findings", findings, 1, maxText); err != nil {
		return c, err
	}
	return s.caseAction(ctx, a, id, act.IncidentFindings, func(tx store.Tx, x *act.Act, ia policy.IncidentActor, i *cleared.Incident) error {
		if d := policy.Investigate(ia, *i); !d.Allowed {
			return x.Deny(string(id), d)
		}
		i.Findings = findings
		x.Payload = map[string]string{"findings": findings}
		return tx.UpdateIncident(*i)
	})
}

// HeadNoticeInput is the input of RecordHeadNotice: who the head of the body is, when (the time of recording if
// zero; a day, for a date given without a time, not before the report's) and how he was informed.
type HeadNoticeInput struct {
	Name string    `json:"name"`
	At   time.Time `json:"at"`
	How  string    `json:"how"`
}

// RecordHeadNotice records that the head of the body was informed of incident id (A13.3), by who investigates it:
// not in the future, nor before the day it was reported.
func (s *Service) RecordHeadNotice(ctx context.Context, a cleared.Actor, id cleared.IncidentID, in HeadNoticeInput) (c IncidentCase, err error) {
	defer cleared.Wrap(&err, "head notice of incident %s", id)
	if err := cleared.CheckLine("name", in.Name, 1, maxName); err != nil {
		return c, err
	}
	if err := cleared.CheckText("how", in.How, 1, maxText); err != nil {
		return c, err
	}
	at := in.At.UTC().Truncate(time.Microsecond)
	return s.caseAction(ctx, a, id, act.IncidentHeadNotice, func(tx store.Tx, x *act.Act, ia policy.IncidentActor, i *cleared.Incident) error {
		if d := policy.Investigate(ia, *i); !d.Allowed {
			return x.Deny(string(id), d)
		}
		if at.IsZero() {
			at = x.Now
		}
		if at.After(x.Now) {
			return cleared.Invalidf("at: the head of the body cannot have been informed after now")
		}
		if at.Before(i.Reported.Truncate(24 * time.Hour)) {
			return cleared.Invalidf("at: the head of the body cannot have been informed before the incident was reported")
		}
		i.Head = cleared.HeadNotice{Name: in.Name, At: at, How: in.How}
		x.Payload = i.Head
		return tx.UpdateIncident(*i)
	})
}

// CloseIncident closes case id (A13.3): by who investigates it, once its findings and the notice to the head of
// the body are recorded (policy.CloseIncident); refused naming A13.3 otherwise, nothing changed.
func (s *Service) CloseIncident(ctx context.Context, a cleared.Actor, id cleared.IncidentID) (c IncidentCase, err error) {
	defer cleared.Wrap(&err, "close incident %s", id)
	return s.caseAction(ctx, a, id, act.IncidentClose, func(tx store.Tx, x *act.Act, ia policy.IncidentActor, i *cleared.Incident) error {
		if d := policy.CloseIncident(ia, *i); !d.Allowed {
			return x.Deny(string(id), d)
		}
		i.Closed, i.ClosedBy = x.Now, ia.Person
		return tx.UpdateIncident(*i)
	})
}

// escalated is the audit payload of EscalateIncidents.
type escalated struct {
	Notification cleared.IncidentNotification `json:"notification"`
	Warned       []policy.IncidentRecipient   `json:"warned"`
}

// EscalateIncidents escalates, once, every warning of an open incident not acknowledged within the escalation
// delay (Config.IncidentEscalation; exactly at the delay it escalates): the security officers of the organisation
// concerned and the NSA's officers who were not warned by an escalation of the case yet are warned, in the
// application, by e-mail and webhook (policy.EscalationRecipients); the case records it. It returns the number of
// warnings escalated. Package notify calls it from its dispatcher's loop; `cleared incident escalate` runs it once.
// When nothing is due, nothing is written (not even an audit entry).
func (s *Service) EscalateIncidents(ctx context.Context) (n int, err error) {
	defer cleared.Wrap(&err, "escalate incidents")
	now := s.clock()
	var due []cleared.IncidentNotification
	err = s.store.View(ctx, func(tx store.Tx) error {
		due, err = tx.UnacknowledgedNotifications("", now.Add(-s.escalation), maxEscalations)
		return err
	})
	if err != nil || len(due) == 0 {
		return 0, err
	}
	sent := 0
	err = s.run.Do(ctx, cleared.Actor{}, act.IncidentEscalate, now, func(tx store.Tx, x *act.Act) error {
		n, sent = 0, 0
		var done []escalated
		due, err := tx.UnacknowledgedNotifications("", now.Add(-s.escalation), maxEscalations)
		if err != nil {
			return err
		}
		for _, w := range due {
			if !policy.EscalationDue(w, s.escalation, now) {
				continue
			}
			i, err := tx.Incident(w.Incident)
			if err != nil {
				var tampered *store.TamperedError
				if errors.As(err, &tampered) {
					continue // raised by the store; its own incident warns the NSA
				}
				return err
			}
			w.Escalated = now
			if err := tx.UpdateIncidentNotification(w); err != nil {
				return err
			}
			n++
			if !i.Open() {
				continue // a closed case needs no one's attention: the warning is only marked
			}
			about := i
			about.Originator = "" // an escalation goes to the officers and the NSA (policy.EscalationRecipients)
			f, err := s.incidentFacts(tx, about, time.Time{}, now)
			if err != nil {
				return err
			}
			ns, err := tx.IncidentNotifications(i.ID)
			if err != nil {
				return err
			}
			var warned []cleared.PersonID
			for _, o := range ns {
				if o.As == cleared.AsEscalation {
					warned = append(warned, o.Recipient)
				}
			}
			rs := policy.EscalationRecipients(f, w, warned, now)
			ds, err := s.warn(tx, i, rs, &w, len(ns), now)
			if err != nil {
				return err
			}
			sent += len(ds)
			notes, err := tx.IncidentNotes(i.ID)
			if err != nil {
				return err
			}
			text := fmt.Sprintf("The warning of %s (%s) given on %s was not acknowledged within %s: escalated to %d person(s).",
				w.Recipient, w.As, w.Created.Format(time.RFC3339), s.escalation, len(rs))
			if err := tx.AddIncidentNote(cleared.IncidentNote{Incident: i.ID, Number: len(notes) + 1, Kind: cleared.NoteEscalation,
				Text: text, At: now}); err != nil {
				return err
			}
			done = append(done, escalated{Notification: w, Warned: rs})
		}
		x.Payload = done
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.woken(sent)
	return n, nil
}

// detectIncident opens, in tx, an incident cleared detected about an object, unless one detected the same way is
// open about it already (a tampered row raised by every read, content failing at every try: one case, not a
// thousand). A person's report about the object does not absorb it: what cleared detects is another fact. by is who acted
// when it was detected (the inventory's closer), or empty for cleared itself. It returns the incident's ID (the
// open one's if there was one) and the number of messages written.
func (s *Service) detectIncident(tx store.Tx, x *act.Act, i cleared.Incident, classified time.Time) (cleared.IncidentID, int, error) {
	open, err := tx.OpenIncidentAbout(i.ObjectKind, i.Object, i.Source)
	if err == nil {
		return open.ID, 0, nil
	}
	if !errors.Is(err, cleared.ErrNotFound) {
		return "", 0, err
	}
	i.ID, i.Reported = cleared.NewIncidentID(), x.Now
	object, payload := x.Object, x.Payload
	n, err := s.openIncident(tx, x, i, classified)
	if object != "" { // inside another action: its object and payload stay its own
		x.Object, x.Payload = object, payload
	}
	return i.ID, n, err
}

// detectContentFailure opens, in its own action (incident.detect), an incident about a piece whose content failed
// authentication at a read (A13.1): altered in the database, or moved from another piece. The read itself has
// already failed closed.
func (s *Service) detectContentFailure(ctx context.Context, p cleared.Piece, c cleared.CopyID) {
	i := cleared.Incident{Kind: cleared.IncidentSuspectedCompromise, ObjectKind: cleared.IncidentPiece, Object: string(p.ID),
		OrganisationID: p.OrganisationID, Originator: p.Originator, Source: cleared.SourceAuthentication,
		Description: "The content of the piece failed authentication when it was read: altered in the database, or moved from another piece."}
	if c != "" {
		i.Description = "The content of the piece failed authentication when its copy " + string(c) + " was read: altered in the database, or moved from another piece."
	}
	sent := 0
	ctx = context.WithoutCancel(ctx) // the reader leaving must not spare the incident
	err := s.run.Do(ctx, cleared.Actor{}, act.IncidentDetect, s.clock(), func(tx store.Tx, x *act.Act) error {
		id, n, err := s.detectIncident(tx, x, i, p.Created)
		sent = n
		if x.Object == "" {
			x.Object, x.Payload = string(id), map[string]string{"incident": string(id), "open_already": "true"}
		}
		return err
	})
	if err != nil {
		s.log.ErrorContext(ctx, "could not open an incident for content that failed authentication (A13.1)", "piece", p.ID, "err", err)
		return
	}
	s.woken(sent)
}

// incidentAgenda is the agenda's source of incidents: those the reader was warned of and has not acknowledged
// (A13.1, A13.2), each with an Acknowledge action on the page.
type incidentAgenda struct{}

// AgendaItems loads the incidents the reader was warned of and his warnings of each.
func (incidentAgenda) AgendaItems(tx store.Tx, r policy.AgendaReader, now time.Time) ([]policy.AgendaItem, error) {
	is, err := tx.ListIncidents(store.IncidentQuery{Recipient: r.Person.ID, Limit: maxListLimit})
	if err != nil {
		return nil, err
	}
	var pending []cleared.Incident
	var warned []time.Time
	for _, i := range is {
		ns, err := tx.IncidentNotifications(i.ID)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if n.Recipient == r.Person.ID && n.Acknowledged.IsZero() {
				pending, warned = append(pending, i), append(warned, n.Created)
				break
			}
		}
	}
	return policy.IncidentItems(pending, warned), nil
}
