package vetting_test

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring/sign"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// pendingHolder registers a person of the SRE (Anne is its security officer) with a SECRET clearance granted
// through vetting a day ago and pending its declaration, created through the store as the decision (helper dec)
// creates it.
func (e *env) pendingHolder(t *testing.T, name string) (cleared.Person, cleared.Clearance) {
	t.Helper()
	p := must(e.Reg.RegisterPerson(e.Ctx, e.nsa, registry.NewPerson{OrganisationID: e.World.SRE.ID, Name: name}))
	now := e.Clock.Now().UTC().Truncate(time.Microsecond)
	issued := now.AddDate(0, 0, -1)
	c := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: p.ID, Level: cleared.Secret,
		Issued: issued, Expires: policy.ClearanceExpiry(cleared.Secret, issued), Status: cleared.ClearancePending,
		Source: cleared.SourceVetting, RecordedBy: e.World.Helene.ID, Recorded: issued}
	if err := e.Store.Update(e.Ctx, func(tx store.Tx) error { return tx.CreateClearance(c) }); err != nil {
		t.Fatal(err)
	}
	return p, c
}

func (e *env) clearance(t *testing.T, id cleared.ClearanceID) (c cleared.Clearance) {
	t.Helper()
	if err := e.Store.View(e.Ctx, func(tx store.Tx) (err error) { c, err = tx.Clearance(id); return err }); err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) agenda(t *testing.T, a cleared.Actor, kind policy.AgendaKind) []policy.AgendaItem {
	t.Helper()
	var out []policy.AgendaItem
	for _, it := range must(e.Reg.Agenda(e.Ctx, a)).Items {
		if it.Kind == kind {
			out = append(out, it)
		}
	}
	return out
}

var instructions = vetting.NewBriefing{BriefedBy: "Anne Muller", Instructions: "Instructions de sécurité du SRE, v3"}

// A18.1: a clearance granted through vetting is pending until its holder signs the declaration after the
// briefing: no declaration before a briefing is recorded; only the holder's security officer or the NSA records
// it, never he; only he signs; the first declaration makes the clearance active, signed with his certificate over
// the bilingual text citing Art. 18. On SQLite and PostgreSQL.
func TestBriefingAndDeclaration_A18_1(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		w := e.World
		eva, c := e.pendingHolder(t, "Eva Lenz")
		holder := cleared.Actor{Person: eva.ID}
		if policy.ClearanceValid(c, e.Clock.Now()).Allowed {
			t.Fatal("A18.1: a pending clearance grants access")
		}
		if its := e.agenda(t, e.anne, policy.AgendaBriefing); len(its) != 1 || its[0].Clearance.ID != c.ID {
			t.Errorf("A18.1: the officer's agenda lacks the pending clearance: %+v", its)
		}
		if its := e.agenda(t, holder, policy.AgendaDeclaration); len(its) != 1 || its[0].Briefing != nil {
			t.Errorf("A18.1: the holder's agenda: %+v", its)
		}

		_, err := e.Vet.SignDeclaration(e.Ctx, holder, c.ID)
		testenv.WantRule(t, err, "A18.1") // no briefing recorded yet
		_, err = e.Vet.RecordBriefing(e.Ctx, holder, c.ID, instructions)
		testenv.WantRule(t, err, "A18.1") // not by the holder
		_, err = e.Vet.RecordBriefing(e.Ctx, e.luc, c.ID, instructions)
		wantKind(t, err, cleared.ErrNotFound) // another organisation's officer may not know it
		for name, in := range map[string]vetting.NewBriefing{
			"in the future":           {BriefedOn: e.Clock.Now().Add(time.Hour), BriefedBy: "Anne", Instructions: "v3"},
			"before the issue":        {BriefedOn: c.Issued.Add(-time.Hour), BriefedBy: "Anne", Instructions: "v3"},
			"without instructions":    {BriefedBy: "Anne"},
			"without who gave it":     {Instructions: "v3"},
			"instructions on 2 lines": {BriefedBy: "Anne", Instructions: "v3\nv4"},
		} {
			_, err := e.Vet.RecordBriefing(e.Ctx, e.anne, c.ID, in)
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("%s: got %v, want a 400", name, err)
			}
		}
		if v := must(e.Vet.Briefings(e.Ctx, e.anne, c.ID)); len(v.Briefings) != 0 {
			t.Fatalf("bad input stored a briefing: %+v", v.Briefings)
		}

		v := must(e.Vet.RecordBriefing(e.Ctx, e.anne, c.ID, instructions))
		if len(v.Briefings) != 1 || v.Briefings[0].Number != 1 || v.Briefings[0].RecordedBy != w.Anne.ID || v.Holder || v.Declaration != "" {
			t.Fatalf("recorded %+v", v)
		}
		_, err = e.Vet.RecordBriefing(e.Ctx, e.nsa, c.ID, instructions)
		testenv.WantRule(t, err, "A18.1") // the first still waits for the declaration
		if its := e.agenda(t, holder, policy.AgendaDeclaration); len(its) != 1 || its[0].Briefing == nil {
			t.Errorf("A18.1: the holder is not asked to sign: %+v", its)
		}
		_, err = e.Vet.SignDeclaration(e.Ctx, e.anne, c.ID)
		testenv.WantRule(t, err, "A18.1") // only the holder signs
		_, err = e.Vet.SignDeclaration(e.Ctx, cleared.Actor{Person: w.Paul.ID}, c.ID)
		wantKind(t, err, cleared.ErrNotFound)
		if got := e.clearance(t, c.ID).Status; got != cleared.ClearancePending {
			t.Fatalf("refusals changed the status to %s", got)
		}

		mine := must(e.Vet.Briefings(e.Ctx, holder, c.ID))
		if !mine.Holder || !strings.Contains(mine.Declaration, "article 18") || !strings.Contains(mine.Declaration, "Article 18") {
			t.Fatalf("A18.1: the holder is not shown the declaration: %+v", mine)
		}
		before := e.Size(t)
		v = must(e.Vet.SignDeclaration(e.Ctx, holder, c.ID))
		if e.Size(t) != before+1 {
			t.Error("A18.1: the declaration is not audited in one entry")
		}
		got := e.clearance(t, c.ID)
		if got.Status != cleared.ClearanceActive || !policy.ClearanceValid(got, e.Clock.Now()).Allowed {
			t.Fatalf("A18.1: the first declaration did not activate the clearance: %+v", got)
		}
		b := v.Briefings[0]
		if b.Declared.IsZero() || v.Declaration != "" || v.Overdue || !v.NextDue.Equal(b.BriefedOn.AddDate(0, policy.RebriefingMonths, 0)) {
			t.Fatalf("after the declaration: %+v", v)
		}
		caPEM := must(e.Reg.SigningCA())
		block, _ := pem.Decode(caPEM)
		roots := x509.NewCertPool()
		roots.AddCert(must(x509.ParseCertificate(block.Bytes)))
		signed, err := sign.Verify(b.CMS, vetting.DeclarationDocument(got, b), roots, b.Declared)
		if err != nil || signed.Certificate.Subject.SerialNumber != string(eva.ID) {
			t.Fatalf("E2: the declaration does not verify as the holder's: %v", err)
		}
		_, err = e.Vet.SignDeclaration(e.Ctx, holder, c.ID)
		testenv.WantRule(t, err, "A18.1") // nothing waits any more
		if its := e.agenda(t, e.anne, policy.AgendaBriefing); len(its) != 0 {
			t.Errorf("A18.1: the active clearance stays on the officer's agenda: %+v", its)
		}
	})
}

// A18.1: the re-briefing falls due twelve months after the last declared briefing: not flagged one instant
// before, flagged exactly at that moment on the holder's agenda and on his security officer's, not on another
// organisation's; a new briefing declared clears it.
func TestRebriefing_A18_1(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		now := e.Clock.Now()
		p, c, _ := e.holder(t, "Marc Weis", now.AddDate(-3, 0, 0))
		holder := cleared.Actor{Person: p.ID}
		must(e.Vet.RecordBriefing(e.Ctx, e.anne, c.ID, instructions))
		v := must(e.Vet.SignDeclaration(e.Ctx, holder, c.ID))
		if got := e.clearance(t, c.ID).Status; got != cleared.ClearanceActive {
			t.Fatalf("a declaration changed an active clearance to %s", got)
		}
		due := v.NextDue
		e.Clock.Set(due.Add(-time.Nanosecond))
		if its := e.agenda(t, holder, policy.AgendaDeclaration); len(its) != 0 {
			t.Errorf("A18.1: flagged before it is due: %+v", its)
		}
		e.Clock.Set(due)
		if its := e.agenda(t, holder, policy.AgendaDeclaration); len(its) != 1 || !its[0].Overdue || !its[0].Due.Equal(due) {
			t.Errorf("A18.1: the holder's overdue re-briefing at the due date: %+v", its)
		}
		if its := e.agenda(t, e.anne, policy.AgendaBriefing); len(its) != 1 || its[0].Person.ID != p.ID {
			t.Errorf("A18.1: his officer's agenda: %+v", its)
		}
		if its := e.agenda(t, e.luc, policy.AgendaBriefing); len(its) != 0 {
			t.Errorf("A18.1: another organisation's officer is told: %+v", its)
		}
		if !must(e.Vet.Briefings(e.Ctx, e.anne, c.ID)).Overdue {
			t.Error("A18.1: the briefings do not read overdue")
		}
		must(e.Vet.RecordBriefing(e.Ctx, e.anne, c.ID, instructions))
		if its := e.agenda(t, holder, policy.AgendaDeclaration); len(its) != 1 || its[0].Briefing == nil || its[0].Briefing.Number != 2 {
			t.Errorf("A18.1: the holder is not asked to sign the re-briefing: %+v", its)
		}
		must(e.Vet.SignDeclaration(e.Ctx, holder, c.ID))
		if its := e.agenda(t, e.anne, policy.AgendaBriefing); len(its) != 0 {
			t.Errorf("A18.1: still flagged after the re-briefing: %+v", its)
		}
	})
}

// A18.1, A23.1: a holder reports a change of his circumstances; what changed is sealed under the report's own key
// (not in the database in clear); he and the NSA read it, his security officer only that it was made, another
// organisation's officer nothing; it waits on the NSA's agenda until an NSA officer takes it up, once; his
// security officer may not take it up; a person without a clearance reports nothing. On SQLite and PostgreSQL.
func TestCircumstances_A18_1(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		w := e.World
		sophie := cleared.Actor{Person: w.Sophie.ID}
		details := "Mariage avec Jana Novak, ressortissante tchèque, le 3 octobre"
		_, err := e.Vet.ReportCircumstance(e.Ctx, sophie, vetting.NewCircumstance{Kind: "divorce", Details: details})
		wantKind(t, err, cleared.ErrInvalid)
		_, err = e.Vet.ReportCircumstance(e.Ctx, sophie, vetting.NewCircumstance{Kind: cleared.CircumstanceMarriage, On: "3 octobre", Details: details})
		wantKind(t, err, cleared.ErrInvalid)
		_, err = e.Vet.ReportCircumstance(e.Ctx, cleared.Actor{Person: w.Nina.ID}, vetting.NewCircumstance{Kind: cleared.CircumstanceDebts, Details: "x"})
		testenv.WantRule(t, err, "A18.1")

		r := must(e.Vet.ReportCircumstance(e.Ctx, sophie, vetting.NewCircumstance{Kind: cleared.CircumstanceMarriage, On: "2026-10-03", Details: details}))
		err = e.Store.View(e.Ctx, func(tx store.Tx) error {
			sc, err := tx.Circumstance(r.ID)
			if err == nil && (strings.Contains(string(sc.Ciphertext), "Novak") || len(sc.Key.Wrapped) == 0) {
				t.Error("A23.1: the report is stored in clear or without its key")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for name, a := range map[string]cleared.Actor{"holder": sophie, "nsa": e.nsa} {
			v := must(e.Vet.Circumstance(e.Ctx, a, r.ID))
			if !v.Full || v.Details != details || v.Kind != cleared.CircumstanceMarriage {
				t.Errorf("A18.1: the %s reads %+v", name, v)
			}
		}
		v := must(e.Vet.Circumstance(e.Ctx, e.anne, r.ID))
		if v.Full || v.Details != "" || v.Kind != "" || v.PersonID != w.Sophie.ID {
			t.Errorf("A18.1: the security officer reads %+v", v)
		}
		_, err = e.Vet.Circumstance(e.Ctx, e.luc, r.ID)
		wantKind(t, err, cleared.ErrNotFound)
		if l := must(e.Vet.Circumstances(e.Ctx, e.anne, false)); len(l) != 1 || l[0].ID != r.ID {
			t.Errorf("A18.1: the officer's list: %+v", l)
		}
		if l := must(e.Vet.Circumstances(e.Ctx, e.luc, false)); len(l) != 0 {
			t.Errorf("A18.1: another officer's list: %+v", l)
		}
		if its := e.agenda(t, e.nsa, policy.AgendaCircumstance); len(its) != 1 || its[0].Circumstance.ID != r.ID {
			t.Errorf("A18.1: the NSA's agenda: %+v", its)
		}
		if its := e.agenda(t, e.anne, policy.AgendaCircumstance); len(its) != 0 {
			t.Errorf("A18.1: the officer's agenda: %+v", its)
		}
		_, err = e.Vet.TakeUpCircumstance(e.Ctx, e.anne, r.ID)
		testenv.WantRule(t, err, "A18.1")
		taken := must(e.Vet.TakeUpCircumstance(e.Ctx, e.nsa, r.ID))
		if taken.TakenUpBy != w.Helene.ID {
			t.Errorf("taken up: %+v", taken)
		}
		_, err = e.Vet.TakeUpCircumstance(e.Ctx, e.nsa, r.ID)
		testenv.WantRule(t, err, "A18.1")
		if its := e.agenda(t, e.nsa, policy.AgendaCircumstance); len(its) != 0 {
			t.Errorf("A18.1: a report taken up stays on the agenda: %+v", its)
		}
	})
}

// A18.1: where a rule profile of the holder's organisation says suspend_on_overdue_briefing, his clearance grants
// nothing from the instant his re-briefing falls due: a read of a piece he is granted is refused with A18.1 within
// the request that follows, not one instant before; without the profile the same read is allowed (the re-briefing
// is only flagged); once re-briefed and declared, he reads again. On SQLite and PostgreSQL.
func TestSuspendOnOverdueBriefing_A18_1(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		w := e.World
		now := e.Clock.Now()
		p, c, _ := e.holder(t, "Luc Schmit", now.AddDate(-3, 0, 0))
		must(e.Vet.RecordBriefing(e.Ctx, e.anne, c.ID, instructions))
		due := must(e.Vet.SignDeclaration(e.Ctx, cleared.Actor{Person: p.ID}, c.ID)).NextDue
		must(e.Reg.Grant(e.Ctx, cleared.Actor{Person: w.Paul.ID}, registry.NewGrant{PersonID: p.ID, Piece: w.Confidential.ID,
			Until: due.AddDate(1, 0, 0), Reason: "analyse du cahier des charges"}))
		holder := cleared.Actor{Person: p.ID, Terminal: w.ZoneTerm.ID}
		read := func() error { _, err := e.Reg.Piece(e.Ctx, holder, w.Confidential.ID); return err }

		e.Clock.Set(due)
		if err := read(); err != nil {
			t.Fatalf("A18.1: without a profile an overdue re-briefing is flagged, not suspended: %v", err)
		}
		must(e.Reg.RecordProfile(e.Ctx, e.nsa, cleared.RuleProfile{Name: "SRE", Version: 1, EffectiveFrom: now,
			Scope: cleared.ProfileScope{Organisations: []cleared.OrganisationID{w.SRE.ID}},
			Rules: []cleared.ProfileRule{{Kind: cleared.RuleSuspendOnOverdueBriefing}}}))
		e.Clock.Set(due.Add(-time.Nanosecond))
		if err := read(); err != nil {
			t.Fatalf("A18.1: suspended before the due date: %v", err)
		}
		e.Clock.Set(due)
		testenv.WantRule(t, read(), "A18.1")

		must(e.Vet.RecordBriefing(e.Ctx, e.anne, c.ID, instructions))
		testenv.WantRule(t, read(), "A18.1") // briefed, not yet declared
		must(e.Vet.SignDeclaration(e.Ctx, cleared.Actor{Person: p.ID}, c.ID))
		if err := read(); err != nil {
			t.Fatalf("A18.1: re-briefed and declared, the holder is still refused: %v", err)
		}
	})
}
