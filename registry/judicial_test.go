package registry_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// judicialWorld is the demo world with a judicial organisation and an investigating judge, in the register, with no
// clearance and no grant.
type judicialWorld struct {
	*env
	judge cleared.Person
}

func newJudicialWorld(t *testing.T, e *env) judicialWorld {
	t.Helper()
	nsa := e.as("helene")
	parquet, err := e.svc.RegisterOrganisation(e.ctx, nsa, registry.NewOrganisation{Name: "Cabinet d'instruction, Tribunal d'arrondissement", Kind: cleared.PublicBody, Country: "LU"})
	if err != nil {
		t.Fatal(err)
	}
	judge, err := e.svc.RegisterPerson(e.ctx, nsa, registry.NewPerson{OrganisationID: parquet.ID, Name: "Nadia Kremer"})
	if err != nil {
		t.Fatal(err)
	}
	return judicialWorld{env: e, judge: judge}
}

// order is an order naming the judge on the SECRET note and the dossier BRUME, in force from now for 30 days.
func (j judicialWorld) order(ref string) registry.NewJudicialOrder {
	now := j.clock.Now()
	return registry.NewJudicialOrder{Court: "Tribunal d'arrondissement de Luxembourg, cabinet d'instruction", Reference: ref,
		Issued: now.Add(-time.Hour), Persons: []cleared.PersonID{j.judge.ID}, Pieces: []cleared.PieceID{j.w.Secret.ID},
		Dossiers: []cleared.DossierID{j.w.Dossier.ID}, From: now, Until: now.AddDate(0, 0, 30)}
}

// lastEntry is the last audit entry and its payload.
func (j judicialWorld) lastEntry(t *testing.T) (action string, allowed bool, rule, payload string) {
	t.Helper()
	r := j.Last(t, 1)[0]
	return r.Entry.Action, r.Entry.Allowed, r.Entry.Rule, j.payloadOf(t, r.Entry.Seq)
}

func wantByOrder(t *testing.T, what string, p cleared.Piece, o cleared.JudicialOrder) {
	t.Helper()
	if p.Access != cleared.AccessJudicialOrder || p.JudicialOrder == nil || p.JudicialOrder.ID != o.ID || p.JudicialOrder.Reference != o.Reference {
		t.Fatalf("%s: access %q by %+v, want by the judicial order %s", what, p.Access, p.JudicialOrder, o.Reference)
	}
}

// A9.5: a recorded judicial order gives the judge it names a read of what it covers, without clearance or grant,
// shown as such on the read and in its audit entry; outside its scope the piece stays hidden, outside its period
// he is told A9.5; the terminal rules stay; the NSA alone records and ends it.
func TestJudicialAccessA9_5(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		j := newJudicialWorld(t, e)
		w, ctx, svc := e.w, e.ctx, e.svc
		nsa := e.as("helene")
		atOffice := who(j.judge, w.OfficeTerm.ID) // SECRET, outside a security zone
		// Before any order: nothing to know (A9.1), not even in a list.
		if _, err := svc.Piece(ctx, atOffice, w.Secret.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("before the order: %v, want not found", err)
		}

		// A9.5: only the NSA records an order; the refusal names its rule, is audited, and records nothing.
		_, err := svc.RecordJudicialOrder(ctx, e.as("anne"), j.order("JI-2026-001"))
		wantRule(t, err, "A9.5")
		if action, allowed, rule, _ := j.lastEntry(t); action != "judicial_order.record" || allowed || rule != "A9.5" {
			t.Fatalf("last entry %s allowed=%v rule=%s, want judicial_order.record refused by A9.5", action, allowed, rule)
		}
		if os, err := svc.JudicialOrders(ctx, nsa, "", 50); err != nil || len(os) != 1 || os[0].ID != w.Order.ID {
			t.Fatalf("orders after the refusal: %v, %v; want the demo's alone", os, err)
		}

		o, err := svc.RecordJudicialOrder(ctx, nsa, j.order("JI-2026-001"))
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != cleared.JudicialOrderInForce || o.RecordedBy != w.Helene.ID {
			t.Fatalf("recorded %+v, want in force, recorded by the NSA officer", o)
		}
		// The same court and reference twice is a conflict.
		if _, err := svc.RecordJudicialOrder(ctx, nsa, j.order("JI-2026-001")); !errors.Is(err, cleared.ErrConflict) {
			t.Fatalf("the same order again: %v, want a conflict", err)
		}

		// A9.5: the covered piece is read, without clearance or grant, and the read says so. The judge's subject was
		// kept in memory by his read before the order (facts.Subjects): the order moved the store's generation, so
		// this read sees it.
		p, err := svc.Piece(ctx, atOffice, w.Secret.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantByOrder(t, "Piece", p, o)
		if action, allowed, _, payload := j.lastEntry(t); action != "piece.read" || !allowed ||
			!strings.Contains(payload, `"access":"judicial_order"`) || !strings.Contains(payload, string(o.ID)) {
			t.Fatalf("audit of the read: %s allowed=%v payload %s; want piece.read naming the order", action, allowed, payload)
		}
		p, content, err := svc.ReadContent(ctx, atOffice, w.Secret.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantByOrder(t, "ReadContent", p, o)
		if !strings.Contains(string(content), "SECRET") {
			t.Fatalf("content %q", content)
		}
		if action, _, _, payload := j.lastEntry(t); action != "piece.read_content" || !strings.Contains(payload, o.Reference) {
			t.Fatalf("audit of the content read: %s payload %s; want the order named", action, payload)
		}
		// A part of the covered dossier, and the dossier itself.
		part, err := svc.Piece(ctx, atOffice, w.PartA.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantByOrder(t, "dossier part", part, o)
		f, err := svc.Dossier(ctx, atOffice, w.Dossier.ID)
		if err != nil || f.Access != cleared.AccessJudicialOrder || len(f.Parts) != 2 {
			t.Fatalf("dossier by order: %+v, %v; want it and its two parts, by the order", f, err)
		}

		// Outside its scope: another piece is hidden, as if it did not exist.
		if _, err := svc.Piece(ctx, atOffice, w.Confidential.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("a piece the order does not cover: %v, want not found", err)
		}
		// A9.3: an order does not lift the public place; A8.1: nor the terminal's accreditation.
		_, err = svc.Piece(ctx, who(j.judge, w.Kiosk.ID), w.Secret.ID)
		wantRule(t, err, "A9.3")
		_, _, err = svc.ReadContent(ctx, who(j.judge, ""), w.Secret.ID)
		wantRule(t, err, "A9.3")

		// Lists hold what the order covers, marked, and nothing else (principle 4).
		ps, _, err := svc.ListPieces(ctx, atOffice, nil, 50)
		if err != nil {
			t.Fatal(err)
		}
		var ids []cleared.PieceID
		for _, p := range ps {
			wantByOrder(t, "listed "+p.Title, p, o)
			ids = append(ids, p.ID)
		}
		slices.Sort(ids)
		want := []cleared.PieceID{w.Secret.ID, w.PartA.ID, w.PartB.ID}
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Fatalf("the judge's list: %v, want %v", ids, want)
		}
		// Pages of one: the same pieces, in the same order, each once.
		var paged []cleared.PieceID
		var cur *store.PieceCursor
		for range 5 {
			page, next, err := svc.ListPieces(ctx, atOffice, cur, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page {
				paged = append(paged, p.ID)
			}
			if next == nil {
				break
			}
			cur = next
		}
		var listed []cleared.PieceID
		for _, p := range ps {
			listed = append(listed, p.ID)
		}
		if !slices.Equal(paged, listed) {
			t.Fatalf("paged one by one: %v, want %v", paged, listed)
		}
		if ps, _, err := svc.ListPieces(ctx, who(j.judge, w.Kiosk.ID), nil, 50); err != nil || len(ps) != 0 {
			t.Fatalf("the judge's list at the kiosk: %d pieces, %v; want none (A9.3)", len(ps), err)
		}
		ds, err := svc.Dossiers(ctx, atOffice, "", 50)
		if err != nil || len(ds) != 1 || ds[0].ID != w.Dossier.ID {
			t.Fatalf("the judge's dossiers: %v, %v; want BRUME", ds, err)
		}
		// A cleared reader with a grant is not marked: his read rests on need-to-know.
		sp, err := svc.Piece(ctx, e.as("sophie_office"), w.Secret.ID)
		if err != nil || sp.Access != "" || sp.JudicialOrder != nil {
			t.Fatalf("Sophie's read: %+v, %v; want by need-to-know, unmarked", sp, err)
		}

		// An order gives a read, nothing else: no copy (decided by need-to-know alone).
		if _, err := svc.MakeCopies(ctx, atOffice, w.Secret.ID, registry.NewCopies{Copies: 1, Reason: "pièce à conviction"}); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("copy by the judge: %v, want not found", err)
		}

		// Who reads the order: the judge and the NSA; anyone else may not know it exists.
		if got, err := svc.JudicialOrder(ctx, atOffice, o.ID); err != nil || got.ID != o.ID {
			t.Fatalf("the judge reads his order: %v", err)
		}
		if _, err := svc.JudicialOrder(ctx, e.as("anne"), o.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("the security officer reads the order: %v, want not found", err)
		}
		if mine, err := svc.JudicialOrders(ctx, atOffice, "", 50); err != nil || len(mine) != 1 {
			t.Fatalf("the judge's orders: %v, %v", mine, err)
		}
		if theirs, err := svc.JudicialOrders(ctx, e.as("anne"), "", 50); err != nil || len(theirs) != 0 {
			t.Fatalf("the security officer's orders: %v, %v; want none", theirs, err)
		}

		// Ending: the judge may not; the NSA ends it, and from then on the judge is told A9.5 (he knows the piece).
		_, err = svc.EndJudicialOrder(ctx, atOffice, o.ID, registry.JudicialOrderEnd{Reason: "non-lieu"})
		wantRule(t, err, "A9.5")
		ended, err := svc.EndJudicialOrder(ctx, nsa, o.ID, registry.JudicialOrderEnd{Reason: "Ordonnance de mainlevée du 7 décembre"})
		if err != nil || ended.Status != cleared.JudicialOrderEnded {
			t.Fatalf("end: %+v, %v", ended, err)
		}
		if _, err := svc.EndJudicialOrder(ctx, nsa, o.ID, registry.JudicialOrderEnd{Reason: "again"}); !errors.Is(err, cleared.ErrConflict) {
			t.Fatalf("ending twice: %v, want a conflict", err)
		}
		_, err = svc.Piece(ctx, atOffice, w.Secret.ID)
		wantRule(t, err, "A9.5")
		if action, allowed, rule, _ := j.lastEntry(t); action != "piece.read" || allowed || rule != "A9.5" {
			t.Fatalf("audit of the refused read: %s allowed=%v rule=%s", action, allowed, rule)
		}
		if ps, _, err := svc.ListPieces(ctx, atOffice, nil, 50); err != nil || len(ps) != 0 {
			t.Fatalf("the judge's list after the end: %d pieces, %v; want none", len(ps), err)
		}
	})
}

// A9.5, time boundaries: an order is refused before its period (A9.5, not hidden), allowed from its first instant,
// refused from its last.
func TestJudicialOrderPeriodA9_5(t *testing.T) {
	e := newEnv(t)
	j := newJudicialWorld(t, e)
	in := j.order("JI-2026-002")
	in.From = e.clock.Now().Add(time.Hour)
	in.Until = in.From.Add(24 * time.Hour)
	o, err := e.svc.RecordJudicialOrder(e.ctx, e.as("helene"), in)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != cleared.JudicialOrderPending {
		t.Fatalf("status %s, want pending", o.Status)
	}
	judge := who(j.judge, e.w.OfficeTerm.ID)
	_, err = e.svc.Piece(e.ctx, judge, e.w.Secret.ID)
	wantRule(t, err, "A9.5") // not yet in force
	e.clock.Set(in.From)
	if _, err := e.svc.Piece(e.ctx, judge, e.w.Secret.ID); err != nil {
		t.Fatalf("at the first instant of the period: %v", err)
	}
	e.clock.Set(in.Until.Add(-time.Nanosecond))
	if _, err := e.svc.Piece(e.ctx, judge, e.w.Secret.ID); err != nil {
		t.Fatalf("at the last instant of the period: %v", err)
	}
	e.clock.Set(in.Until)
	_, err = e.svc.Piece(e.ctx, judge, e.w.Secret.ID)
	wantRule(t, err, "A9.5") // ends at until
	// An expired order is not ended again.
	if _, err := e.svc.EndJudicialOrder(e.ctx, e.as("helene"), o.ID, registry.JudicialOrderEnd{Reason: "x"}); !errors.Is(err, cleared.ErrConflict) {
		t.Fatalf("ending an expired order: %v, want a conflict", err)
	}
}

// Every bad field of an order is refused with a clear error, before anything is recorded.
func TestRecordJudicialOrderInvalid(t *testing.T) {
	e := newEnv(t)
	j := newJudicialWorld(t, e)
	now := e.clock.Now()
	for _, tc := range []struct {
		name string
		edit func(*registry.NewJudicialOrder)
		want string
	}{
		{"no court", func(in *registry.NewJudicialOrder) { in.Court = "" }, "court"},
		{"no reference", func(in *registry.NewJudicialOrder) { in.Reference = "" }, "reference"},
		{"no issue date", func(in *registry.NewJudicialOrder) { in.Issued = time.Time{} }, "issued"},
		{"issued in the future", func(in *registry.NewJudicialOrder) { in.Issued = now.Add(time.Hour) }, "issued"},
		{"period ends before it starts", func(in *registry.NewJudicialOrder) { in.Until = in.From }, "until"},
		{"period before the issue", func(in *registry.NewJudicialOrder) { in.From = in.Issued.Add(-time.Hour) }, "from"},
		{"period over", func(in *registry.NewJudicialOrder) {
			in.From, in.Until = in.Issued, now
		}, "until"},
		{"no person", func(in *registry.NewJudicialOrder) { in.Persons = nil }, "persons"},
		{"a person twice", func(in *registry.NewJudicialOrder) { in.Persons = append(in.Persons, in.Persons[0]) }, "persons"},
		{"a malformed person", func(in *registry.NewJudicialOrder) { in.Persons = []cleared.PersonID{"per_x"} }, "persons"},
		{"an unknown person", func(in *registry.NewJudicialOrder) { in.Persons = []cleared.PersonID{cleared.NewPersonID()} }, "persons"},
		{"nothing covered", func(in *registry.NewJudicialOrder) { in.Pieces, in.Dossiers = nil, nil }, "pieces"},
		{"an unknown piece", func(in *registry.NewJudicialOrder) { in.Pieces = []cleared.PieceID{cleared.NewPieceID()} }, "pieces"},
		{"an unknown dossier", func(in *registry.NewJudicialOrder) { in.Dossiers = []cleared.DossierID{cleared.NewDossierID()} }, "dossiers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := j.order("JI-BAD")
			tc.edit(&in)
			_, err := e.svc.RecordJudicialOrder(e.ctx, e.as("helene"), in)
			if !errors.Is(err, cleared.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want invalid naming %s", err, tc.want)
			}
		})
	}
	if os, err := e.svc.JudicialOrders(e.ctx, e.as("helene"), "", 50); err != nil || len(os) != 1 || os[0].ID != e.w.Order.ID {
		t.Fatalf("orders recorded: %v, %v; want the demo's alone", os, err)
	}
}

// The demo's investigating judge (A9.5): no clearance, no grant, named by an order on the contract's
// specifications, reads them at the SRE's office terminal, marked as read by the order; nothing else.
func TestDemoJudgeA9_5(t *testing.T) {
	e := newEnv(t)
	w := e.w
	judge := who(w.Kremer, w.OfficeTerm.ID)
	p, err := e.svc.Piece(e.ctx, judge, w.Confidential.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantByOrder(t, "the demo judge's read", p, w.Order)
	ps, _, err := e.svc.ListPieces(e.ctx, judge, nil, 50)
	if err != nil || len(ps) != 1 || ps[0].ID != w.Confidential.ID {
		t.Fatalf("the demo judge's list: %v, %v; want the specifications alone", ps, err)
	}
	if _, err := e.svc.Piece(e.ctx, judge, w.Secret.ID); !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("a piece outside the order: %v, want not found", err)
	}
}

// A9.5, A13.1: a database administrator cannot give himself judicial access. Naming another person in the index of
// an order gives that person nothing (the sealed row names who it names); widening the order's scope in its row
// fails its seal, so the order gives no one anything, and the row is raised.
func TestSealedRegisters_A9_5_judicial_order_edited_gives_no_access(t *testing.T) {
	e := newEnv(t)
	w := e.w
	stopServer(t, e)
	// Nina (no clearance) indexed as named by the demo order; the order widened to the TOP SECRET piece.
	edit(t, e, `INSERT INTO judicial_order_persons (person_id, order_id) VALUES ('`+string(w.Nina.ID)+`', '`+string(w.Order.ID)+`')`)
	d := restart(t, e)
	_, err := d.svc.Piece(e.ctx, who(w.Nina, w.OfficeTerm.ID), w.Confidential.ID)
	refused(t, "nina, indexed by the administrator", nil, err)
	if p, err := d.svc.Piece(e.ctx, who(w.Kremer, w.OfficeTerm.ID), w.Confidential.ID); err != nil || p.JudicialOrder == nil {
		t.Fatalf("the judge the order names: %v, want read by the order", err)
	}
	stopServer2(t, d)
	edit(t, e, `UPDATE judicial_orders SET pieces = pieces || ',`+string(w.TopSecret.ID)+`' WHERE id = '`+string(w.Order.ID)+`'`)
	d = restart(t, e)
	_, err = d.svc.Piece(e.ctx, who(w.Kremer, w.ZoneTerm.ID), w.TopSecret.ID)
	refused(t, "the judge, on a piece the administrator added", nil, err)
	_, err = d.svc.Piece(e.ctx, who(w.Kremer, w.OfficeTerm.ID), w.Confidential.ID)
	refused(t, "the judge, by the edited order", nil, err)
	d.wantRaised(t, "judicial_orders", string(w.Order.ID))
}

// stopServer2 closes a restarted store.
func stopServer2(t *testing.T, d *dba) {
	t.Helper()
	if err := d.st.Close(); err != nil {
		t.Fatal(err)
	}
}
