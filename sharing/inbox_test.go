package sharing_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/store"
)

// The staging inbox (issue 21 §3): what a partner posts waits, sealed, for a classifying authority (S1, A5.1).

func receive(t *testing.T, e *testenv.Env, p cleared.Partner, title string) cleared.InboxItem {
	t.Helper()
	it, err := e.Share.Receive(e.Ctx, p, testenv.Envelope(t, title))
	if err != nil {
		t.Fatalf("receive from %s: %v", p.Name, err)
	}
	return it
}

func inboxCount(t *testing.T, e *testenv.Env, sw *testenv.SharingWorld) int {
	t.Helper()
	its, err := e.Share.Inbox(e.Ctx, sw.Originator, "", "", 500)
	if err != nil {
		t.Fatal(err)
	}
	return len(its)
}

func TestReceive_S1_staged_sealed_pending(t *testing.T) {
	e, sw := world(t)
	it := receive(t, e, sw.NATO, "Botnet C2 rotation")
	if it.State != cleared.InboxPending || it.Partner != sw.NATO.Organisation || it.Reports != 1 || len(it.Objects) < 4 {
		t.Fatalf("item %+v: want pending, from NATO, one report and its objects", it)
	}
	if last := e.Last(t, 1)[0]; last.Action != "inbox.receive" || !last.Allowed || last.Object != string(it.ID) {
		t.Errorf("last audit entry %s %s allowed %v, want inbox.receive of %s", last.Action, last.Object, last.Allowed, it.ID)
	}
	// Its content is classified: stored encrypted, bound to the item, and opens to the bundle cleared imports.
	var c store.InboxContent
	if err := e.Store.View(e.Ctx, func(tx store.Tx) (err error) { c, err = tx.InboxContent(it.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(c.Ciphertext, []byte("Botnet")) {
		t.Fatal("the envelope is stored in clear")
	}
	plain, err := e.Ring.OpenRecord(string(it.ID), keyring.DataKey{KEK: c.KEK, Wrapped: c.WrappedKey}, "envelope", c.Ciphertext)
	if err != nil || !bytes.Contains(plain, []byte(`"type":"bundle"`)) || !bytes.Contains(plain, []byte("Botnet C2 rotation")) {
		t.Fatalf("the sealed content opens to %.80q, %v: want the bundle", plain, err)
	}
	if _, err := e.Ring.OpenRecord(string(cleared.NewInboxID()), keyring.DataKey{KEK: c.KEK, Wrapped: c.WrappedKey}, "envelope", c.Ciphertext); err == nil {
		t.Error("the content opens for another item")
	}
}

func TestReceive_S1_refused_envelope_stages_nothing(t *testing.T) {
	e, sw := world(t)
	good := string(testenv.Envelope(t, "Phishing wave"))
	for name, in := range map[string]string{
		"a duplicate key":       strings.Replace(good, `"type":"report"`, `"type":"report","type":"report"`, 1),
		"a spoofed TLP marking": strings.Replace(good, `"tlp_2_0":"amber"`, `"tlp_2_0":"clear"`, 1),
		"deep nesting":          `{"objects":[` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `]}`,
		"a bundle":              strings.Replace(good, `{"objects":`, `{"type":"bundle","id":"bundle--44444444-4444-4444-8444-444444444444","objects":`, 1),
	} {
		if _, err := e.Share.Receive(e.Ctx, sw.NATO, []byte(in)); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	if n := inboxCount(t, e, sw); n != 0 {
		t.Fatalf("%d items staged from refused envelopes", n)
	}
}

func TestReceive_S1_suspended_partner_refused(t *testing.T) {
	e, sw := world(t)
	in := sharing.NewPartner{Scheme: sw.NATO.Scheme, MaxLevel: sw.NATO.MaxLevel, Groups: sw.NATO.Groups, Channels: sw.NATO.Channels,
		Certificates: sw.NATO.Certificates, AccreditedFrom: sw.NATO.AccreditedFrom, Suspended: true}
	if _, err := e.Share.RecordPartner(e.Ctx, cleared.Actor{Person: e.World.Helene.ID}, sw.NATO.Organisation, in); err != nil {
		t.Fatal(err)
	}
	// The record given is the one it had when it authenticated: the service decides on the stored one.
	_, err := e.Share.Receive(e.Ctx, sw.NATO, testenv.Envelope(t, "Late news"))
	testenv.WantRule(t, err, "S1")
	if n := inboxCount(t, e, sw); n != 0 {
		t.Fatalf("%d items staged from a suspended partner", n)
	}
}

func TestStatus_S1_only_the_partner_that_posted(t *testing.T) {
	e, sw := world(t)
	it := receive(t, e, sw.NATO, "Botnet C2 rotation")
	got, err := e.Share.Status(e.Ctx, sw.NATO, it.ID.UUID())
	if err != nil || got.ID != it.ID {
		t.Fatalf("status for the partner that posted: %+v, %v", got, err)
	}
	if _, err := e.Share.Status(e.Ctx, sw.EU, it.ID.UUID()); !errors.Is(err, cleared.ErrNotFound) {
		t.Errorf("status for another partner: %v, want not found", err)
	}
	if _, err := e.Share.Status(e.Ctx, sw.NATO, cleared.NewInboxID().UUID()); !errors.Is(err, cleared.ErrNotFound) {
		t.Errorf("status never given: %v, want not found", err)
	}
}

func TestInbox_S1_A5_1_who_reads_and_refuses(t *testing.T) {
	e, sw := world(t)
	it := receive(t, e, sw.NATO, "Botnet C2 rotation")
	nsa, clerk := cleared.Actor{Person: e.World.Helene.ID}, cleared.Actor{Person: e.World.Sophie.ID}
	for name, a := range map[string]cleared.Actor{"A5.1 a classifying authority": sw.Originator, "S1 the NSA": nsa} {
		its, err := e.Share.Inbox(e.Ctx, a, cleared.InboxPending, "", 10)
		if err != nil || len(its) != 1 || its[0].ID != it.ID {
			t.Errorf("%s lists %v, %v: want the item", name, its, err)
		}
		if got, err := e.Share.InboxItem(e.Ctx, a, it.ID); err != nil || got.ID != it.ID {
			t.Errorf("%s reads %+v, %v", name, got, err)
		}
	}
	_, err := e.Share.Inbox(e.Ctx, clerk, "", "", 10)
	testenv.WantRule(t, err, "A5.1")
	if _, err := e.Share.InboxItem(e.Ctx, clerk, it.ID); !errors.Is(err, cleared.ErrNotFound) {
		t.Errorf("A5.1 who holds no authority reads an item: %v, want not found", err)
	}
	if _, err := e.Share.Refuse(e.Ctx, clerk, it.ID, "no"); !errors.Is(err, cleared.ErrNotFound) {
		t.Errorf("A5.1 who holds no authority refuses an item: %v, want not found", err)
	}

	refused, err := e.Share.Refuse(e.Ctx, sw.Originator, it.ID, "Duplicate of our own reporting")
	if err != nil {
		t.Fatal(err)
	}
	if refused.State != cleared.InboxRefused || refused.Reason != "Duplicate of our own reporting" ||
		refused.DecidedBy != e.World.Paul.ID || refused.Decided.IsZero() {
		t.Errorf("refused item %+v", refused)
	}
	if got, _ := e.Share.Status(e.Ctx, sw.NATO, it.ID.UUID()); got.State != cleared.InboxRefused {
		t.Errorf("the partner's status says %s, want refused", got.State)
	}
	if _, err := e.Share.Refuse(e.Ctx, nsa, it.ID, "again"); !errors.Is(err, cleared.ErrConflict) {
		t.Errorf("refused twice: %v, want conflict", err)
	}
	if _, err := e.Share.Refuse(e.Ctx, sw.Originator, it.ID, ""); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("refused without a reason: %v, want invalid", err)
	}
	if its, _ := e.Share.Inbox(e.Ctx, nsa, cleared.InboxPending, "", 10); len(its) != 0 {
		t.Errorf("pending after the refusal: %v", its)
	}
}

func TestImportInbox_S1_A5_1_A6_1_pieces_registered_item_imported(t *testing.T) {
	e, sw := world(t)
	it := receive(t, e, sw.NATO, "Botnet C2 rotation")
	nsa, clerk := cleared.Actor{Person: e.World.Helene.ID}, cleared.Actor{Person: e.World.Sophie.ID}
	// A5.1: only who holds the authority given classifies; the NSA reads the inbox but holds none of Paul's.
	_, _, err := e.Share.ImportInbox(e.Ctx, nsa, it.ID, e.World.PaulAuth.ID, "")
	testenv.WantRule(t, err, "A5.1")
	if _, _, err := e.Share.ImportInbox(e.Ctx, clerk, it.ID, e.World.PaulAuth.ID, ""); !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("who may not read the inbox imports: %v, want not found", err)
	}

	got, out, err := e.Share.ImportInbox(e.Ctx, sw.Originator, it.ID, e.World.PaulAuth.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Piece == nil {
		t.Fatalf("imported %+v: want one piece", out)
	}
	p := *out[0].Piece
	// A6.1: NATO RESTRICTED is registered at its national equivalent, the partner its foreign originator.
	if p.Level != cleared.Restricted || p.Title != "Botnet C2 rotation" {
		t.Errorf("piece %s at %s, want Botnet C2 rotation at RESTREINT", p.Title, p.Level)
	}
	if got.State != cleared.InboxImported || got.DecidedBy != e.World.Paul.ID || len(got.Pieces) != 1 || got.Pieces[0] != p.ID {
		t.Errorf("item after the import %+v", got)
	}
	if st, _ := e.Share.Status(e.Ctx, sw.NATO, it.ID.UUID()); st.State != cleared.InboxImported {
		t.Errorf("the partner's status says %s, want imported", st.State)
	}
	if _, _, err := e.Share.ImportInbox(e.Ctx, sw.Originator, it.ID, e.World.PaulAuth.ID, ""); !errors.Is(err, cleared.ErrConflict) {
		t.Errorf("imported twice: %v, want conflict", err)
	}
	if _, err := e.Share.Refuse(e.Ctx, sw.Originator, it.ID, "too late"); !errors.Is(err, cleared.ErrConflict) {
		t.Errorf("refused once imported: %v, want conflict", err)
	}
}

// An envelope of more objects than an item names is refused whole: its status would make every list of the inbox
// heavy (S1).
func TestReceive_S1_too_many_objects_refused(t *testing.T) {
	e, sw := world(t)
	env := string(testenv.Envelope(t, "Many observables"))
	var b strings.Builder
	for i := range sharing.MaxInboxObjects {
		fmt.Fprintf(&b, `,{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--%08x-0000-4000-8000-000000000000","value":"198.51.100.7"}`, i)
	}
	big := strings.TrimSuffix(env, "]}") + b.String() + "]}"
	if _, err := e.Share.Receive(e.Ctx, sw.NATO, []byte(big)); !errors.Is(err, cleared.ErrInvalid) || !strings.Contains(err.Error(), "at most") {
		t.Fatalf("receive %d objects: %v, want invalid", sharing.MaxInboxObjects+5, err)
	}
	if n := inboxCount(t, e, sw); n != 0 {
		t.Fatalf("%d items staged", n)
	}
}

// The inbox end to end on both databases: a partner posts two envelopes; one is imported, one refused; the
// partner's status follows (S1, A5.1, A6.1).
func TestInbox_S1_A5_1_end_to_end_on_both_databases(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run("backend="+backend, func(t *testing.T) {
			var o testenv.Options
			if backend == "postgres" {
				o.Store, _ = testenv.Postgres(t, "cleared_sharing_inbox_")
			}
			e := testenv.New(t, o)
			sw := testenv.NewSharingWorld(t, e, nil)
			first, second := receive(t, e, sw.NATO, "Botnet C2 rotation"), receive(t, e, sw.NATO, "Phishing wave")
			if _, err := e.Share.Status(e.Ctx, sw.EU, first.ID.UUID()); !errors.Is(err, cleared.ErrNotFound) {
				t.Errorf("another partner's status: %v, want not found", err)
			}
			imported, out, err := e.Share.ImportInbox(e.Ctx, sw.Originator, first.ID, e.World.PaulAuth.ID, "")
			if err != nil || len(out) != 1 || out[0].Piece == nil || imported.State != cleared.InboxImported {
				t.Fatalf("import: %+v %+v %v", imported, out, err)
			}
			if _, err := e.Share.Refuse(e.Ctx, cleared.Actor{Person: e.World.Helene.ID}, second.ID, "Not ours to hold"); err != nil {
				t.Fatal(err)
			}
			for id, want := range map[cleared.InboxID]cleared.InboxState{first.ID: cleared.InboxImported, second.ID: cleared.InboxRefused} {
				if st, err := e.Share.Status(e.Ctx, sw.NATO, id.UUID()); err != nil || st.State != want {
					t.Errorf("status of %s: %s, %v; want %s", id, st.State, err, want)
				}
			}
			if its, err := e.Share.Inbox(e.Ctx, sw.Originator, cleared.InboxPending, "", 10); err != nil || len(its) != 0 {
				t.Errorf("pending after the decisions: %v, %v", its, err)
			}
		})
	}
}
