package registry_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// incidents is the registry of an env with a Wake that counts, and the escalation delay of an hour.
type incidents struct {
	*registry.Service
	woken atomic.Int32
}

func newIncidents(e *env) *incidents {
	in := &incidents{}
	in.Service = registry.New(e.Run, e.ring, registry.Config{Now: e.clock.Now, Log: slog.New(slog.DiscardHandler),
		Wake: func() { in.woken.Add(1) }, IncidentEscalation: time.Hour})
	return in
}

// webhookOf registers an active endpoint for org, as package notify's registration would.
func webhookOf(t *testing.T, e *env, org cleared.OrganisationID) cleared.Webhook {
	t.Helper()
	h := cleared.Webhook{ID: cleared.NewWebhookID(), OrganisationID: org, URL: "https://soc.example.lu/" + string(org),
		Scheme: cleared.WebhookEd25519, CreatedBy: e.w.Helene.ID, Created: e.clock.Now()}
	if err := e.st.Update(e.ctx, func(tx store.Tx) error { return tx.CreateWebhook(h) }); err != nil {
		t.Fatal(err)
	}
	return h
}

func deliveriesOf(t *testing.T, e *env, cause string) []cleared.Delivery {
	t.Helper()
	var ds []cleared.Delivery
	if err := e.st.View(e.ctx, func(tx store.Tx) (err error) { ds, err = tx.DeliveriesOf(cause); return err }); err != nil {
		t.Fatal(err)
	}
	return ds
}

// dueMessages counts the messages of the outbox not delivered.
func dueMessages(t *testing.T, e *env) int {
	t.Helper()
	var due []cleared.Delivery
	if err := e.st.View(e.ctx, func(tx store.Tx) (err error) {
		due, err = tx.DueDeliveries(e.clock.Now().Add(time.Hour), 500)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return len(due)
}

// detected lists the incidents opened from source, newest first.
func detected(t *testing.T, e *env, source cleared.IncidentSource) []cleared.Incident {
	t.Helper()
	var out []cleared.Incident
	for _, i := range openIncidents(t, e) {
		if i.Source == source {
			out = append(out, i)
		}
	}
	return out
}

func openIncidents(t *testing.T, e *env) []cleared.Incident {
	t.Helper()
	var is []cleared.Incident
	if err := e.st.View(e.ctx, func(tx store.Tx) (err error) {
		is, err = tx.ListIncidents(store.IncidentQuery{All: true, Limit: 500})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return is
}

func rcp(p cleared.PersonID, as cleared.NotifiedAs) policy.IncidentRecipient {
	return policy.IncidentRecipient{Person: p, As: as}
}

func warned(c registry.IncidentCase) []policy.IncidentRecipient {
	var out []policy.IncidentRecipient
	for _, n := range c.Notifications {
		out = append(out, policy.IncidentRecipient{Person: n.Recipient, As: n.As})
	}
	return out
}

// reportTopSecret has Sophie report a compromise of the TOP SECRET piece of the SRE, whose originator is the
// Director.
func reportTopSecret(t *testing.T, e *env, svc *incidents) registry.IncidentCase {
	t.Helper()
	c, err := svc.ReportIncident(e.ctx, e.as("sophie_zone"), registry.NewIncident{Kind: cleared.IncidentCompromise,
		ObjectKind: cleared.IncidentPiece, Object: string(e.w.TopSecret.ID), Description: "the printout was left on the train"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A13.1: a compromise warns the security officer, the NSA and the originator at once: one warning each on the
// case, and, in the transaction that recorded the incident, one e-mail each and one call per webhook of their
// organisations in the outbox; the dispatcher is woken once committed. No message carries the piece's title.
func TestIncidentReportWarnsTheThreeAtOnce(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		w := e.w
		svc := newIncidents(e)
		sreHook, nsaHook := webhookOf(t, e, w.SRE.ID), webhookOf(t, e, w.NSA.ID)
		webhookOf(t, e, w.Company.ID) // not warned: its endpoint receives nothing
		c := reportTopSecret(t, e, svc)
		if c.Full {
			t.Error("the reporter sees the whole case")
		}
		c, err := svc.Incident(e.ctx, e.as("helene"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Rule != "A13.1" || c.State != "open" || c.OrganisationID != w.SRE.ID || c.Originator != w.DirectorAuth.ID {
			t.Fatalf("case %+v", c.Incident)
		}
		want := []policy.IncidentRecipient{rcp(w.Anne.ID, cleared.AsSecurityOfficer), rcp(w.Helene.ID, cleared.AsNSA), rcp(w.Director.ID, cleared.AsOriginator)}
		if got := warned(c); !slices.Equal(got, want) {
			t.Fatalf("warned %v, want %v", got, want)
		}
		ds := deliveriesOf(t, e, string(c.ID))
		var mails, hooks []string
		for _, d := range ds {
			if strings.Contains(string(d.Body), w.TopSecret.Title) || strings.Contains(d.Subject, w.TopSecret.Title) {
				t.Errorf("message %s carries the piece's title", d.ID)
			}
			if !d.NextAttempt.Equal(c.Reported) || d.Attempts != 0 {
				t.Errorf("message %s not due at once: %+v", d.ID, d)
			}
			switch d.Medium {
			case cleared.MediumEmail:
				mails = append(mails, d.Address)
			case cleared.MediumWebhook:
				hooks = append(hooks, d.Address)
				var ev registry.IncidentEvent
				if err := json.Unmarshal(d.Body, &ev); err != nil || ev.Type != "incident.reported" || ev.Incident != c.ID ||
					ev.Kind != cleared.IncidentCompromise || ev.URL != "/api/incidents/"+string(c.ID) || ev.Rule != "A13.1" {
					t.Errorf("webhook body %s: %v", d.Body, err)
				}
			}
		}
		slices.Sort(mails)
		if want := []string{"anne.muller@sre.example.lu", "claire.schmit@sre.example.lu", "helene.weber@ans.example.lu"}; !slices.Equal(mails, want) {
			t.Errorf("e-mails to %v, want %v", mails, want)
		}
		slices.Sort(hooks)
		wantHooks := []string{string(sreHook.ID), string(nsaHook.ID)}
		slices.Sort(wantHooks)
		if !slices.Equal(hooks, wantHooks) {
			t.Errorf("webhook calls to %v, want %v (once per endpoint)", hooks, wantHooks)
		}
		if svc.woken.Load() != 1 {
			t.Errorf("the dispatcher was woken %d times, want once", svc.woken.Load())
		}
		if last := e.Last(t, 2)[0]; last.Entry.Action != string(act.IncidentReport) || !last.Entry.Allowed || last.Entry.Object != string(c.ID) {
			t.Errorf("the report's entry %+v", last.Entry)
		}
		// The case shows each warning and its e-mail, pending: "says so" before the dispatcher has tried.
		anneCase, err := svc.Incident(e.ctx, e.as("anne"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !anneCase.Full || !anneCase.Mine || !anneCase.Investigator || len(anneCase.Webhooks) != 2 ||
			len(anneCase.Notifications[0].Emails) != 1 || anneCase.Notifications[0].Emails[0].State != "pending" {
			t.Fatalf("the officer's case %+v", anneCase)
		}
		// A13.1: a mail server that does not answer delays a warning and the case says so; a delivery says when.
		failed := anneCase.Notifications[0].Emails[0].Delivery
		failed.Attempts, failed.NextAttempt, failed.LastError = 1, c.Reported.Add(time.Minute), "delayed: the mail server did not answer"
		sent := anneCase.Webhooks[0].Delivery
		sent.Attempts, sent.NextAttempt, sent.Delivered = 1, time.Time{}, c.Reported.Add(time.Second)
		if err := e.st.Update(e.ctx, func(tx store.Tx) error {
			if err := tx.RecordAttempt(failed); err != nil {
				return err
			}
			return tx.RecordAttempt(sent)
		}); err != nil {
			t.Fatal(err)
		}
		if anneCase, err = svc.Incident(e.ctx, e.as("anne"), c.ID); err != nil {
			t.Fatal(err)
		}
		if d := anneCase.Notifications[0].Emails[0]; d.State != "delayed" || d.LastError != failed.LastError || d.Attempts != 1 {
			t.Errorf("the delayed e-mail reads %+v", d)
		}
		if d := anneCase.Webhooks[0]; d.State != "delivered" || !d.Delivered.Equal(sent.Delivered) {
			t.Errorf("the delivered webhook call reads %+v", d)
		}
		// On the agenda of each warned until acknowledged (A13.1).
		if !onAgenda(t, e, e.as("anne"), policy.AgendaIncident) || !onAgenda(t, e, e.as("director"), policy.AgendaIncident) {
			t.Error("the incident is not on the agenda of those warned")
		}
		if _, err := svc.AcknowledgeIncident(e.ctx, e.as("anne"), c.ID); err != nil {
			t.Fatal(err)
		}
		if onAgenda(t, e, e.as("anne"), policy.AgendaIncident) {
			t.Error("an acknowledged incident stays on the agenda")
		}
		// A13.1: acknowledged once.
		_, err = svc.AcknowledgeIncident(e.ctx, e.as("anne"), c.ID)
		wantRule(t, err, "A13.1")
	})
}

// A13.1: who may not know the case does not learn it exists: not found, and not in his list; the reporter sees his
// report's state, not the investigation, and may not acknowledge what he was not warned of.
func TestIncidentNoExistenceLeak(t *testing.T) {
	e := newEnv(t)
	svc := newIncidents(e)
	c := reportTopSecret(t, e, svc)
	tom := e.as("lea") // of the company: neither warned nor cleared for the piece
	if _, err := svc.Incident(e.ctx, tom, c.ID); !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("a stranger reads the case: %v, want not found", err)
	}
	if _, err := svc.AcknowledgeIncident(e.ctx, tom, c.ID); !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("a stranger acknowledges: %v, want not found", err)
	}
	if l, _, err := svc.Incidents(e.ctx, tom, "", 0); err != nil || len(l) != 0 {
		t.Fatalf("a stranger's list: %v, %v", l, err)
	}
	mine, err := svc.Incident(e.ctx, e.as("sophie_zone"), c.ID)
	if err != nil || mine.Full || mine.State != "open" || len(mine.Notifications) != 0 {
		t.Fatalf("the reporter's view %+v, %v", mine, err)
	}
	_, err = svc.AcknowledgeIncident(e.ctx, e.as("sophie_zone"), c.ID)
	wantRule(t, err, "A13.1")                                                                                   // the reporter was not warned
	if l, _, err := svc.Incidents(e.ctx, e.as("helene"), "", 0); err != nil || len(l) != 2 || l[0].ID != c.ID { // and the demo's
		t.Fatalf("the NSA's list: %v, %v", l, err)
	}
	// Page by page: the cursor is the last incident of the page; one the reader may not know is bad input.
	first, next, err := svc.Incidents(e.ctx, e.as("helene"), "", 1)
	if err != nil || len(first) != 1 || next != c.ID {
		t.Fatalf("the NSA's first page: %v, %s, %v", first, next, err)
	}
	rest, next, err := svc.Incidents(e.ctx, e.as("helene"), next, 1)
	if err != nil || len(rest) != 1 || rest[0].ID != e.w.Incident.ID {
		t.Fatalf("the NSA's second page: %v, %s, %v", rest, next, err)
	}
	if _, _, err := svc.Incidents(e.ctx, tom, c.ID, 10); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("a stranger continuing after the case: %v, want invalid", err)
	}
	// A13.1, A9.1: a report about a piece one may not know is not found, and writes nothing.
	before := len(openIncidents(t, e))
	_, err = svc.ReportIncident(e.ctx, tom, registry.NewIncident{Kind: cleared.IncidentCompromise, ObjectKind: cleared.IncidentPiece,
		Object: string(e.w.TopSecret.ID), Description: "rumour"})
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("report about an unknown piece: %v, want not found", err)
	}
	if last := e.Last(t, 1)[0]; last.Entry.Action != string(act.IncidentReport) || last.Entry.Allowed {
		t.Errorf("the refusal is not audited: %+v", last.Entry)
	}
	if len(openIncidents(t, e)) != before {
		t.Error("a refused report opened an incident")
	}
	// Bad input names its rule and is not an action.
	_, err = svc.ReportIncident(e.ctx, tom, registry.NewIncident{Kind: "leak", ObjectKind: cleared.IncidentPiece,
		Object: string(e.w.Secret.ID), Description: "x"})
	if !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("unknown kind: %v", err)
	}
}

// A13.2: a threat or an attempt warns the security officer only; a place of another organisation is not found.
func TestIncidentThreatWarnsTheOfficer(t *testing.T) {
	e := newEnv(t)
	w := e.w
	svc := newIncidents(e)
	c, err := svc.ReportIncident(e.ctx, e.as("tom"), registry.NewIncident{Kind: cleared.IncidentAttempt, ObjectKind: cleared.IncidentPlace,
		Object: string(w.Reading.ID), Description: "someone tried the door of the reading room at night"})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = svc.Incident(e.ctx, e.as("luc"), c.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := warned(c), []policy.IncidentRecipient{rcp(w.Luc.ID, cleared.AsSecurityOfficer)}; c.Rule != "A13.2" || !slices.Equal(got, want) {
		t.Fatalf("rule %s, warned %v; want A13.2, %v", c.Rule, got, want)
	}
	ds := deliveriesOf(t, e, string(c.ID))
	if len(ds) != 1 || ds[0].Address != "luc.reding@maee.example.lu" {
		t.Fatalf("deliveries %+v", ds)
	}
	_, err = svc.ReportIncident(e.ctx, e.as("tom"), registry.NewIncident{Kind: cleared.IncidentThreat, ObjectKind: cleared.IncidentPlace,
		Object: string(w.Zone.ID), Description: "x"})
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("a place of another organisation: %v, want not found", err)
	}
}

// A13.1, fail closed: a report whose audit entry cannot be written records nothing and writes no message.
func TestIncidentReportFailsClosed(t *testing.T) {
	e := newEnv(t)
	webhookOf(t, e, e.w.SRE.ID)
	before, dueBefore := len(openIncidents(t, e)), dueMessages(t, e)
	broken := registry.New(act.New(failingStore{e.st}, slog.New(slog.DiscardHandler), nil), e.ring,
		registry.Config{Now: e.clock.Now, Log: slog.New(slog.DiscardHandler)})
	_, err := broken.ReportIncident(e.ctx, e.as("sophie_zone"), registry.NewIncident{Kind: cleared.IncidentCompromise,
		ObjectKind: cleared.IncidentPiece, Object: string(e.w.TopSecret.ID), Description: "lost"})
	if !errors.Is(err, cleared.ErrUnavailable) {
		t.Fatalf("report without its entry: %v, want unavailable", err)
	}
	if n := len(openIncidents(t, e)) - before; n != 0 {
		t.Fatalf("%d incidents recorded without their entry", n)
	}
	if due := dueMessages(t, e); due != dueBefore {
		t.Fatalf("%d messages written without the report's entry", due-dueBefore)
	}
}

// A13.3: the security officer investigates, records the findings and the notice to the head of the body, and
// closes; closing without either is refused naming A13.3; no one else records; the reporter sees it closed.
func TestIncidentCaseWorkflow(t *testing.T) {
	e := newEnv(t)
	svc := newIncidents(e)
	c := reportTopSecret(t, e, svc)
	anne, helene := e.as("anne"), e.as("helene")
	if _, err := svc.RecordIncidentNote(e.ctx, anne, c.ID, "heard Sophie; the train company is searching"); err != nil {
		t.Fatal(err)
	}
	_, err := svc.RecordIncidentNote(e.ctx, helene, c.ID, "the NSA takes over")
	wantRule(t, err, "A13.3") // the NSA reads the case, the officer investigates it
	_, err = svc.RecordIncidentNote(e.ctx, e.as("tom"), c.ID, "x")
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("a stranger's note: %v, want not found", err)
	}
	_, err = svc.CloseIncident(e.ctx, anne, c.ID)
	wantRule(t, err, "A13.3") // no findings
	if _, err := svc.RecordIncidentFindings(e.ctx, anne, c.ID, "the printout was recovered sealed"); err != nil {
		t.Fatal(err)
	}
	_, err = svc.CloseIncident(e.ctx, anne, c.ID)
	wantRule(t, err, "A13.3") // the head of the body not informed
	_, err = svc.RecordHeadNotice(e.ctx, anne, c.ID, registry.HeadNoticeInput{Name: "the Director of the SRE", At: e.clock.Now().Add(time.Hour), How: "letter"})
	if !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("a notice in the future: %v, want invalid", err)
	}
	if _, err := svc.RecordHeadNotice(e.ctx, anne, c.ID, registry.HeadNoticeInput{Name: "the Director of the SRE", At: e.clock.Now(), How: "letter"}); err != nil {
		t.Fatal(err)
	}
	closed, err := svc.CloseIncident(e.ctx, anne, c.ID)
	if err != nil || closed.State != "closed" || closed.ClosedBy != e.w.Anne.ID || len(closed.Notes) != 1 {
		t.Fatalf("closed %+v, %v", closed, err)
	}
	_, err = svc.RecordIncidentNote(e.ctx, anne, c.ID, "later")
	wantRule(t, err, "A13.3") // closed
	mine, err := svc.Incident(e.ctx, e.as("sophie_zone"), c.ID)
	if err != nil || mine.State != "closed" || mine.Findings != "" {
		t.Fatalf("the reporter's view of the closed case %+v, %v", mine, err)
	}
}

// A13.1: a warning not acknowledged escalates exactly at the delay, once, to the officers and the NSA not warned
// yet; an acknowledged one does not; nothing due writes nothing.
func TestIncidentEscalation(t *testing.T) {
	e := newEnv(t)
	svc := newIncidents(e)
	c := reportTopSecret(t, e, svc)
	if _, err := svc.AcknowledgeIncident(e.ctx, e.as("anne"), c.ID); err != nil {
		t.Fatal(err)
	}
	size := e.size(t)
	e.clock.Add(time.Hour - time.Microsecond)
	if n, err := svc.EscalateIncidents(e.ctx); err != nil || n != 0 {
		t.Fatalf("one instant before the delay: %d, %v", n, err)
	}
	if e.size(t) != size {
		t.Error("an escalation with nothing due wrote to the log")
	}
	e.clock.Add(time.Microsecond)
	woken := svc.woken.Load()
	n, err := svc.EscalateIncidents(e.ctx)
	if err != nil || n != 2 { // Hélène's and the Director's; Anne acknowledged
		t.Fatalf("exactly at the delay: %d, %v; want 2", n, err)
	}
	if svc.woken.Load() != woken+1 {
		t.Error("the dispatcher was not woken by the escalation")
	}
	got, err := svc.Incident(e.ctx, e.as("helene"), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var esc []cleared.PersonID
	for _, n := range got.Notifications {
		if n.As == cleared.AsEscalation {
			esc = append(esc, n.Recipient)
		}
	}
	slices.Sort(esc)
	want := []cleared.PersonID{e.w.Anne.ID, e.w.Helene.ID}
	slices.Sort(want)
	if !slices.Equal(esc, want) || len(got.Notes) != 2 || got.Notes[0].Kind != cleared.NoteEscalation {
		t.Fatalf("escalated to %v with notes %+v; want %v", esc, got.Notes, want)
	}
	if n, err := svc.EscalateIncidents(e.ctx); err != nil || n != 0 {
		t.Fatalf("a second escalation: %d, %v", n, err)
	}
	e.clock.Add(24 * time.Hour)
	if n, err := svc.EscalateIncidents(e.ctx); err != nil || n != 0 {
		t.Fatalf("an escalation escalates again: %d, %v", n, err)
	}
}

// A13.1: a register row that fails its seal opens one incident about the row, warning the NSA, however often it
// is raised.
func TestIncidentDetectedTampering(t *testing.T) {
	e := newEnv(t)
	svc := newIncidents(e)
	for range 3 {
		if err := svc.RecordTampering(e.ctx, "grants", "grt_x"); err != nil {
			t.Fatal(err)
		}
	}
	is := detected(t, e, cleared.SourceTampering)
	if len(is) != 1 || is[0].ObjectKind != cleared.IncidentRegisterRow || is[0].Object != "grants/grt_x" || is[0].Source != cleared.SourceTampering {
		t.Fatalf("incidents %+v", is)
	}
	if last := e.Last(t, 1)[0]; last.Entry.Action != string(act.RegisterTampered) {
		t.Errorf("last entry %+v", last.Entry)
	}
	c, err := svc.Incident(e.ctx, e.as("helene"), is[0].ID)
	if err != nil || !slices.Equal(warned(c), []policy.IncidentRecipient{rcp(e.w.Helene.ID, cleared.AsNSA)}) || !c.Investigator {
		t.Fatalf("case %+v, %v", c, err)
	}
	if ds := deliveriesOf(t, e, string(c.ID)); len(ds) != 1 || ds[0].Address != "helene.weber@ans.example.lu" {
		t.Errorf("deliveries %+v", ds)
	}
}

// A13.1: content that fails authentication at a read opens an incident about the piece, in its own action; the
// read still fails closed.
func TestIncidentDetectedContentFailure(t *testing.T) {
	e := newEnv(t)
	w := e.w
	svc := newIncidents(e)
	edit(t, e, `UPDATE piece_contents SET ciphertext = (SELECT ciphertext FROM piece_contents WHERE piece_id = '`+string(w.Restricted.ID)+`')
		WHERE piece_id = '`+string(w.Secret.ID)+`'`, `UPDATE generation SET n = n + 1 WHERE id = 1`)
	time.Sleep(2 * store.GenerationLag)
	for range 2 {
		_, content, err := svc.ReadContent(e.ctx, e.as("tom"), w.Secret.ID)
		if !errors.Is(err, cleared.ErrUnavailable) || content != nil {
			t.Fatalf("a read of the altered content: %v, %d bytes; want unavailable", err, len(content))
		}
	}
	// A person's report about the piece (the demo's) does not absorb what cleared detects.
	is := detected(t, e, cleared.SourceAuthentication)
	if len(is) != 1 || is[0].Object != string(w.Secret.ID) || is[0].Source != cleared.SourceAuthentication ||
		is[0].OrganisationID != w.Ministry.ID || is[0].Originator != w.MinisterAuth.ID {
		t.Fatalf("incidents %+v", is)
	}
	if last := e.Last(t, 1)[0]; last.Entry.Action != string(act.IncidentDetect) {
		t.Errorf("last entry %+v", last.Entry)
	}
}

// A13.1: an inventory closed with items missing opens an incident about each, in the closing's transaction.
func TestIncidentDetectedMissingAtInventory(t *testing.T) {
	e := newEnv(t)
	svc := newIncidents(e)
	anne := e.as("anne")
	inv, err := svc.OpenInventory(e.ctx, anne, registry.NewInventory{OrganisationID: e.w.SRE.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Items) == 0 {
		t.Fatal("the SRE's inventory lists nothing")
	}
	if _, err := svc.CloseInventory(e.ctx, anne, inv.ID, registry.CloseNote{}); err != nil {
		t.Fatal(err)
	}
	is := detected(t, e, cleared.SourceInventory)
	if len(is) != len(inv.Items) {
		t.Fatalf("%d incidents for %d missing items", len(is), len(inv.Items))
	}
	for _, i := range is {
		if i.Source != cleared.SourceInventory || i.ReportedBy != e.w.Anne.ID || i.OrganisationID != e.w.SRE.ID {
			t.Errorf("incident %+v", i)
		}
	}
	if svc.woken.Load() != 1 {
		t.Errorf("woken %d times, want once for the closing", svc.woken.Load())
	}
}
