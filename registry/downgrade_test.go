package registry_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// onBothDatabases runs f on the demo world over SQLite, and over PostgreSQL when CLEARED_TEST_POSTGRES names a
// database (in a schema of its own, dropped at the end).
func onBothDatabases(t *testing.T, f func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) { f(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) {
		st, _ := testenv.Postgres(t, "cleared_downgrade_")
		f(t, wrap(testenv.New(t, testenv.Options{Store: st})))
	})
}

// grantOf gives person to need-to-know of piece p, granted by by.
func (e *env) grantOf(t *testing.T, by, to cleared.Person, p cleared.PieceID) {
	t.Helper()
	if _, err := e.svc.Grant(e.ctx, who(by, ""), registry.NewGrant{PersonID: to.ID, Piece: p,
		Until: e.clock.Now().AddDate(0, 6, 0), Reason: "reprise du dossier"}); err != nil {
		t.Fatalf("grant to %s: %v", to.Name, err)
	}
}

// successor makes Sophie the SRE Director who succeeds Claire Schmit in office, from now on.
func (e *env) successor(t *testing.T) cleared.ClassifyingAuthority {
	t.Helper()
	au, err := e.svc.RegisterAuthority(e.ctx, who(e.w.Helene, ""), registry.NewAuthority{PersonID: e.w.Sophie.ID,
		Kind: cleared.AuthoritySREDirector, Title: "Directrice du SRE", From: e.clock.Now(), Predecessor: e.w.DirectorAuth.ID})
	if err != nil {
		t.Fatal(err)
	}
	return au
}

// payloadOf is the payload of audit entry seq.
func (e *env) payloadOf(t *testing.T, seq uint64) string {
	t.Helper()
	var p []byte
	if err := e.st.View(e.ctx, func(tx store.Tx) error {
		pl, err := tx.AuditPayload(seq)
		p = pl.Data
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return string(p)
}

func wantMarkings(t *testing.T, ms []cleared.PieceMarking, want ...string) {
	t.Helper()
	var got []string
	for i, m := range ms {
		got = append(got, m.Marking)
		if m.Seq != i+1 {
			t.Errorf("marking %d has seq %d", i, m.Seq)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("A7.2 marking history %q, want %q", got, want)
	}
}

// Issue 18 §1, done when: the successor in office downgrades what his predecessor classified; the marking history
// shows both markings; the content stays readable; the TOP SECRET piece now SECRET reaches a SECRET-cleared holder
// given need-to-know.
func TestDowngrade_A5_2_successor_in_office(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		ts := e.w.TopSecret
		// Before: Paul (SECRET) cannot be given need-to-know of a TOP SECRET piece (A9.1).
		if _, err := e.svc.Grant(e.ctx, who(e.w.Director, ""), registry.NewGrant{PersonID: e.w.Paul.ID, Piece: ts.ID,
			Until: e.clock.Now().AddDate(0, 6, 0), Reason: "analyse"}); err == nil {
			t.Fatal("A9.1 a SECRET-cleared person was given need-to-know of a TOP SECRET piece")
		}
		e.clock.Add(24 * 60 * 60e9)
		succ := e.successor(t)
		e.clock.Add(60e9)
		sophie := who(e.w.Sophie, e.w.ZoneTerm.ID)
		p, err := e.svc.Downgrade(e.ctx, sophie, ts.ID, registry.Downgrading{Level: cleared.Secret, Reason: "opération ORAGE close"})
		if err != nil {
			t.Fatalf("A5.2 the successor in office downgrades: %v", err)
		}
		if p.Level != cleared.Secret || p.Marking() != "SECRET LUX" {
			t.Fatalf("A7.2 after the downgrade: %s marked %q", p.Level, p.Marking())
		}
		rec := e.Last(t, 1)[0]
		if rec.Action != "piece.downgrade" || !rec.Allowed || rec.Object != string(ts.ID) ||
			!strings.Contains(e.payloadOf(t, rec.Seq), string(succ.ID)) {
			t.Errorf("audit entry %s %v %s %s", rec.Action, rec.Allowed, rec.Object, e.payloadOf(t, rec.Seq))
		}
		ms, err := e.svc.PieceMarkings(e.ctx, sophie, ts.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantMarkings(t, ms, "TRES SECRET LUX", "SECRET LUX")
		if ms[0].Authority != e.w.DirectorAuth.ID || ms[0].By != e.w.Director.ID || ms[1].Authority != succ.ID ||
			ms[1].By != e.w.Sophie.ID || ms[1].Reason != "opération ORAGE close" || !ms[1].From.Equal(e.clock.Now()) {
			t.Errorf("A7.2 history: %+v", ms)
		}
		// The content opens at the new binding (re-wrapped in the same transaction).
		if _, c, err := e.svc.ReadContent(e.ctx, sophie, ts.ID); err != nil || !strings.Contains(string(c), "ORAGE") {
			t.Fatalf("content after the downgrade: %q, %v", c, err)
		}
		// A9.1: a SECRET-cleared holder given need-to-know now sees it, reads it at a SECRET terminal.
		e.grantOf(t, e.w.Sophie, e.w.Paul, ts.ID)
		paul := who(e.w.Paul, e.w.OfficeTerm.ID)
		if !slices.Contains(e.titles(t, paul), ts.Title) {
			t.Error("A9.1 the piece downgraded to SECRET is not in the list of a SECRET-cleared holder with need-to-know")
		}
		if _, c, err := e.svc.ReadContent(e.ctx, paul, ts.ID); err != nil || !strings.Contains(string(c), "ORAGE") {
			t.Fatalf("A9.1 Paul reads the downgraded piece: %q, %v", c, err)
		}
		// The predecessor is out of office: he no longer acts for the originator (A5.1).
		_, err = e.svc.Declassify(e.ctx, who(e.w.Director, e.w.ZoneTerm.ID), ts.ID, registry.Declassification{Reason: "x"})
		wantRule(t, err, "A5.1")
	})
}

// Issue 18 §1, done when: downgrade by a stranger refused (A5.2), by the delegating principal allowed.
func TestDowngrade_A5_2_stranger_and_principal(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		conf := e.w.Confidential // classified by Paul, delegate of the Director
		// Anne knows the TOP SECRET piece (need-to-know, cleared) but holds no authority: a stranger to it.
		_, err := e.svc.Downgrade(e.ctx, who(e.w.Anne, ""), e.w.TopSecret.ID, registry.Downgrading{Level: cleared.Secret, Reason: "x"})
		wantRule(t, err, "A5.2")
		if rec := e.Last(t, 1)[0]; rec.Action != "piece.downgrade" || rec.Allowed || rec.Rule != "A5.2" {
			t.Errorf("the refusal is not audited: %+v", rec)
		}
		// The minister holds an authority, and is given need-to-know of Paul's piece: still a stranger to it.
		e.grantOf(t, e.w.Paul, e.w.Minister, conf.ID)
		_, err = e.svc.Downgrade(e.ctx, who(e.w.Minister, ""), conf.ID, registry.Downgrading{Level: cleared.Restricted, Reason: "x"})
		wantRule(t, err, "A5.2")
		_, err = e.svc.Declassify(e.ctx, who(e.w.Minister, ""), conf.ID, registry.Declassification{Reason: "x"})
		wantRule(t, err, "A5.2")
		// The Director delegated Paul when he classified: she acts for him.
		e.grantOf(t, e.w.Paul, e.w.Director, conf.ID)
		p, err := e.svc.Downgrade(e.ctx, who(e.w.Director, ""), conf.ID, registry.Downgrading{Level: cleared.Restricted, Reason: "contrat signé"})
		if err != nil {
			t.Fatalf("A5.2 the delegating principal downgrades: %v", err)
		}
		if p.Marking() != "RESTREINT LUX" {
			t.Fatalf("marking %q", p.Marking())
		}
		// Lea reads it as before, at the new level.
		e.clock.Add(60e9)
		got, err := e.svc.Piece(e.ctx, who(e.w.Lea, e.w.OfficeTerm.ID), conf.ID)
		if err != nil || got.Level != cleared.Restricted {
			t.Fatalf("piece after downgrade: %v %v", got.Level, err)
		}
		ms, err := e.svc.PieceMarkings(e.ctx, who(e.w.Paul, e.w.OfficeTerm.ID), conf.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantMarkings(t, ms, "CONFIDENTIEL LUX", "RESTREINT LUX")
		if ms[1].Authority != e.w.DirectorAuth.ID {
			t.Errorf("the downgrade is credited to %s, want the Director's office", ms[1].Authority)
		}
	})
}

func TestDowngradeRefusals(t *testing.T) {
	e := newEnv(t)
	paul := who(e.w.Paul, e.w.OfficeTerm.ID)
	conf := e.w.Confidential
	size := e.Size(t)
	t.Run("A5.2 the same level is not a downgrade", func(t *testing.T) {
		_, err := e.svc.Downgrade(e.ctx, paul, conf.ID, registry.Downgrading{Level: cleared.Confidential, Reason: "x"})
		wantRule(t, err, "A5.2")
	})
	t.Run("A5.2 a higher level is not a downgrade", func(t *testing.T) {
		_, err := e.svc.Downgrade(e.ctx, paul, conf.ID, registry.Downgrading{Level: cleared.Secret, Reason: "x"})
		wantRule(t, err, "A5.2")
	})
	t.Run("a downgrade to UNCLASSIFIED is a declassification", func(t *testing.T) {
		_, err := e.svc.Downgrade(e.ctx, paul, conf.ID, registry.Downgrading{Level: cleared.Unclassified, Reason: "x"})
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("got %v, want invalid", err)
		}
	})
	t.Run("grounds are required", func(t *testing.T) {
		_, err := e.svc.Downgrade(e.ctx, paul, conf.ID, registry.Downgrading{Level: cleared.Restricted})
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("got %v, want invalid", err)
		}
	})
	t.Run("A9.1 a piece one may not know is not found", func(t *testing.T) {
		for _, id := range []cleared.PieceID{e.w.TopSecret.ID, cleared.NewPieceID()} {
			_, err := e.svc.Downgrade(e.ctx, paul, id, registry.Downgrading{Level: cleared.Restricted, Reason: "x"})
			if !errors.Is(err, cleared.ErrNotFound) {
				t.Fatalf("got %v, want not found", err)
			}
			if _, err := e.svc.PieceMarkings(e.ctx, paul, id); !errors.Is(err, cleared.ErrNotFound) {
				t.Fatalf("markings: got %v, want not found", err)
			}
		}
	})
	t.Run("a consent no profile asks for is refused", func(t *testing.T) {
		_, err := e.svc.Downgrade(e.ctx, paul, conf.ID, registry.Downgrading{Level: cleared.Restricted, Reason: "x", OriginatorConsent: "ref"})
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("got %v, want invalid", err)
		}
	})
	t.Run("A1.1 a NATO piece waits for its originator's consent", func(t *testing.T) {
		_, err := e.svc.Downgrade(e.ctx, paul, e.w.NATO.ID, registry.Downgrading{Level: cleared.Confidential, Reason: "x"})
		wantRule(t, err, "A1.1")
		_, err = e.svc.Declassify(e.ctx, paul, e.w.NATO.ID, registry.Declassification{Reason: "x"})
		wantRule(t, err, "A1.1")
	})
	t.Run("A10.1 a destroyed piece keeps its marking", func(t *testing.T) {
		err := e.st.Update(e.ctx, func(tx store.Tx) error { return tx.MarkPieceDestroyed(e.w.Restricted.ID, e.clock.Now()) })
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Declassify(e.ctx, paul, e.w.Restricted.ID, registry.Declassification{Reason: "x"})
		wantRule(t, err, "A10.1")
	})
	t.Run("nothing changed", func(t *testing.T) {
		p, err := e.svc.Piece(e.ctx, paul, conf.ID)
		if err != nil || p.Level != cleared.Confidential {
			t.Fatalf("%v %v", p.Level, err)
		}
		ms, err := e.svc.PieceMarkings(e.ctx, paul, conf.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantMarkings(t, ms, "CONFIDENTIEL LUX")
		// Each refusal above is audited (two bad inputs are not: nothing was asked of the policy).
		if n := e.Size(t) - size; n < 8 {
			t.Errorf("%d audit entries for the refusals", n)
		}
	})
}

// A4.2: a part downgraded leaves its dossier's level; A7.2: a declassified piece is UNCLASSIFIED and says so.
func TestDeclassify_A7_2_dossier_keeps_its_level(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		paul := who(e.w.Paul, e.w.OfficeTerm.ID)
		p, err := e.svc.Declassify(e.ctx, paul, e.w.PartA.ID, registry.Declassification{Reason: "chronologie publiée"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Level != cleared.Unclassified || p.Marking() != cleared.DeclassifiedMarking {
			t.Fatalf("A7.2 declassified: %s %q", p.Level, p.Marking())
		}
		var d cleared.Dossier
		if err := e.st.View(e.ctx, func(tx store.Tx) (err error) { d, err = tx.Dossier(e.w.Dossier.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if d.Level != cleared.Secret {
			t.Fatalf("A4.2 the dossier fell to %s with its part", d.Level)
		}
		if rec := e.Last(t, 1)[0]; rec.Action != "piece.declassify" || !strings.Contains(e.payloadOf(t, rec.Seq), `"dossier_level":"SECRET"`) {
			t.Errorf("audit: %s %s", rec.Action, e.payloadOf(t, rec.Seq))
		}
		// The content opens, at a SECRET terminal as before.
		if _, c, err := e.svc.ReadContent(e.ctx, paul, e.w.PartA.ID); err != nil || !strings.Contains(string(c), "Chronologie") {
			t.Fatalf("content after declassification: %q %v", c, err)
		}
		ms, err := e.svc.PieceMarkings(e.ctx, paul, e.w.PartA.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantMarkings(t, ms, "CONFIDENTIEL LUX", cleared.DeclassifiedMarking)
		if ms[1].Level != cleared.Unclassified {
			t.Errorf("level %s", ms[1].Level)
		}
		// Nothing is lower than UNCLASSIFIED.
		_, err = e.svc.Declassify(e.ctx, paul, e.w.PartA.ID, registry.Declassification{Reason: "encore"})
		wantRule(t, err, "A5.2")
	})
}

// MayRelevel offers the form only to who the policy lets act.
func TestMayRelevel(t *testing.T) {
	e := newEnv(t)
	r, err := e.svc.MayRelevel(e.ctx, who(e.w.Paul, ""), e.w.Confidential.ID)
	if err != nil || !slices.Equal(r.Levels, []cleared.Level{cleared.Restricted}) || !r.Declassify || r.Consent {
		t.Fatalf("Paul on his CONFIDENTIEL piece: %+v %v", r, err)
	}
	// A1.1: on a NATO piece, the form asks for the originator's consent.
	r, err = e.svc.MayRelevel(e.ctx, who(e.w.Paul, ""), e.w.NATO.ID)
	if err != nil || len(r.Levels) != 2 || !r.Declassify || !r.Consent {
		t.Fatalf("Paul on the NATO piece: %+v %v", r, err)
	}
	for _, c := range []struct {
		name string
		a    cleared.Actor
		p    cleared.PieceID
	}{
		{"A5.2 a stranger", who(e.w.Anne, ""), e.w.TopSecret.ID},
		{"A9.1 one who may not know the piece", who(e.w.Max, ""), e.w.TopSecret.ID},
	} {
		r, err := e.svc.MayRelevel(e.ctx, c.a, c.p)
		if err != nil || len(r.Levels) != 0 || r.Declassify {
			t.Errorf("%s: %+v %v", c.name, r, err)
		}
	}
}

// A1.1: a NATO piece is downgraded with the reference of its originator's consent, kept in its history; A6.1: it
// is then marked in its scheme at the new level.
func TestDowngrade_A1_1_NATO_with_consent(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		paul := who(e.w.Paul, e.w.OfficeTerm.ID)
		nato := e.w.NATO.ID
		_, err := e.svc.Downgrade(e.ctx, paul, nato, registry.Downgrading{Level: cleared.Confidential, Reason: "x"})
		wantRule(t, err, "A1.1")
		p, err := e.svc.Downgrade(e.ctx, paul, nato, registry.Downgrading{Level: cleared.Confidential, Reason: "accord du NOS",
			OriginatorConsent: "NATO/NOS/2026-114"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Marking() != "NATO CONFIDENTIAL / CONFIDENTIEL LUX" {
			t.Fatalf("A6.1 marking after the downgrade: %q", p.Marking())
		}
		ms, err := e.svc.PieceMarkings(e.ctx, paul, nato)
		if err != nil {
			t.Fatal(err)
		}
		wantMarkings(t, ms, "NATO SECRET / SECRET LUX", "NATO CONFIDENTIAL / CONFIDENTIEL LUX")
		if ms[0].Consent != "" || ms[1].Consent != "NATO/NOS/2026-114" {
			t.Errorf("A1.1 the consent is not kept: %+v", ms)
		}
		if _, c, err := e.svc.ReadContent(e.ctx, who(e.w.Sophie, e.w.OfficeTerm.ID), nato); err != nil || !strings.Contains(string(c), "NATO") {
			t.Fatalf("content after the downgrade: %q %v", c, err)
		}
		p, err = e.svc.Declassify(e.ctx, paul, nato, registry.Declassification{Reason: "déclassifié par l'OTAN", OriginatorConsent: "NATO/NOS/2026-120"})
		if err != nil || p.Marking() != cleared.DeclassifiedMarking {
			t.Fatalf("declassify: %q %v", p.Marking(), err)
		}
	})
}
