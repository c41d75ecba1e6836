package vetting_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx", to read PostgreSQL's files

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// disk reads the bytes of a database as they are on disk: for SQLite its file and write-ahead log; for PostgreSQL
// the files of every table, TOAST table and index of the test's schema after a CHECKPOINT, and with vacuum, after
// VACUUM FULL of the tables that held the case's data (what docs/vetting.md asks an operator to run).
type disk func(t *testing.T, vacuum bool) []byte

// onBothDisks runs f on the demo world over SQLite and, when CLEARED_TEST_POSTGRES is set, PostgreSQL, with the
// reader of the database's bytes on disk.
func onBothDisks(t *testing.T, f func(t *testing.T, e *env, d disk)) {
	t.Run("sqlite", func(t *testing.T) {
		e := newEnv(t)
		f(t, e, func(t *testing.T, _ bool) []byte {
			var all []byte
			for _, p := range []string{e.Path, e.Path + "-wal"} {
				b, err := os.ReadFile(p)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				all = append(all, b...)
			}
			return all
		})
	})
	t.Run("postgres", func(t *testing.T) {
		st, url := testenv.Postgres(t, "cleared_retention_")
		te := testenv.New(t, testenv.Options{Store: st})
		w := te.World
		e := &env{Env: te, nsa: cleared.Actor{Person: w.Helene.ID}, anne: cleared.Actor{Person: w.Anne.ID}, luc: cleared.Actor{Person: w.Luc.ID}}
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		f(t, e, func(t *testing.T, vacuum bool) []byte {
			if vacuum {
				for _, table := range []string{"audit_entries", "vetting_cases", "vetting_retention", "vetting_answers", "vetting_signatures"} {
					if _, err := db.Exec("VACUUM FULL " + table); err != nil {
						t.Fatal(err)
					}
				}
			}
			if _, err := db.Exec("CHECKPOINT"); err != nil {
				t.Fatal(err)
			}
			rows, err := db.Query(`SELECT pg_read_binary_file(pg_relation_filepath(c.oid)) FROM pg_class c
				WHERE pg_relation_filepath(c.oid) IS NOT NULL AND (c.relnamespace = current_schema()::regnamespace
				OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relnamespace = current_schema()::regnamespace))`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var all []byte
			for rows.Next() {
				var b []byte
				if err := rows.Scan(&b); err != nil {
					t.Fatal(err)
				}
				all = append(all, b...)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return all
		})
	})
}

// A23.2: the proof. A follow-up case whose trigger, answers and hold reason carry markers is refused, held, then
// purged at the hold's review date: afterwards no marker, no ciphertext of the answers and not the wrapped data key
// is left in the database's bytes on disk (SQLite: file and WAL; PostgreSQL: after VACUUM FULL), nor readable
// through the case, its signatures or the retention page; the audit log still verifies.
func TestPurge_A23_2_no_byte_left(t *testing.T) {
	onBothDisks(t, func(t *testing.T, e *env, d disk) {
		w := e.World
		markTrigger, markAnswer, markHold := "MARK-TRIGGER-7f3a9c", "MARK-ANSWER-51be0d", "MARK-HOLD-c28e44"
		post := must(e.Vet.RecordPost(e.Ctx, e.anne, vetting.NewPost{OrganisationID: w.SRE.ID, Title: "Analyste", Level: cleared.Secret}))
		c := must(e.Vet.OpenCase(e.Ctx, e.anne, vetting.NewCase{PersonID: w.Paul.ID, Post: post.ID, Kind: cleared.KindFollowUp,
			Trigger: "signalement " + markTrigger}))
		paul := cleared.Actor{Person: w.Paul.ID}
		for _, sec := range vetting.Sections {
			a := answers[sec]
			if sec == vetting.SectionVulnerability {
				a = `{"foreign_contacts":true,"pressure":false,"details":"famille ` + markAnswer + `"}`
			}
			must(e.Vet.SaveSection(e.Ctx, paul, c.ID, sec, []byte(a)))
		}
		must(e.Vet.SignQuestionnaire(e.Ctx, paul, c.ID))
		// The decision is helper dec's: the case is closed refused through the store.
		closed := e.Clock.Now().UTC().Truncate(time.Microsecond)
		var secrets [][]byte // the answers' ciphertexts and the wrapped key, as stored
		err := e.Store.Update(e.Ctx, func(tx store.Tx) error {
			k, err := tx.VettingCaseKey(c.ID)
			if err != nil {
				return err
			}
			secrets = append(secrets, k.Wrapped)
			as, err := tx.VettingAnswers(c.ID)
			for _, a := range as {
				secrets = append(secrets, a.Ciphertext)
			}
			if err != nil {
				return err
			}
			cur, err := tx.VettingCase(c.ID)
			if err != nil {
				return err
			}
			cur.Stage, cur.Closed, cur.Updated = cleared.StageRefused, closed, closed
			return tx.UpdateVettingCase(cur)
		})
		if err != nil {
			t.Fatal(err)
		}
		review := closed.AddDate(1, 0, 0)
		must(e.Vet.HoldCase(e.Ctx, e.nsa, c.ID, vetting.Hold{Reason: "enquête connexe en cours " + markHold, Review: review}))
		markers := [][]byte{[]byte(markTrigger), []byte(markHold)}
		found := func(b []byte, what [][]byte) []string {
			var out []string
			for _, m := range what {
				if bytes.Contains(b, m) {
					out = append(out, string(m[:min(len(m), 24)]))
				}
			}
			return out
		}
		// The control: before the purge, what the scan looks for is there to be found.
		if got := found(d(t, false), append(markers, secrets...)); len(got) != len(markers)+len(secrets) {
			t.Fatalf("before the purge, the scan finds %d of %d: it cannot prove their absence", len(got), len(markers)+len(secrets))
		}
		// Six months after the refusal, the hold keeps the data; at its review date, the purge takes it.
		e.Clock.Set(closed.AddDate(0, 6, 0))
		if ids := caseIDs(must(e.Vet.Purge(e.Ctx, true))); slices.Contains(ids, c.ID) {
			t.Fatalf("a held case is due: %v", ids)
		}
		e.Clock.Set(review)
		before := e.Size(t)
		rep := must(e.Vet.Purge(e.Ctx, true))
		if !slices.Contains(caseIDs(rep), c.ID) || !rep.DryRun || e.Size(t) != before {
			t.Fatalf("dry run: %v, audit %d -> %d", caseIDs(rep), before, e.Size(t))
		}
		rep = must(e.Vet.Purge(e.Ctx, false))
		if !slices.Contains(caseIDs(rep), c.ID) {
			t.Fatalf("purge: %v", caseIDs(rep))
		}
		// PostgreSQL's VACUUM FULL copies a dead row version that a transaction older than the purge may still see
		// (any in the cluster's database: here, other tests'): it goes at a VACUUM FULL once those have ended.
		got := found(d(t, true), append(markers, secrets...))
		for try := 0; len(got) > 0 && try < 20; try++ {
			time.Sleep(250 * time.Millisecond)
			got = found(d(t, true), append(markers, secrets...))
		}
		if len(got) > 0 {
			t.Errorf("after the purge, the database's bytes still hold %q", got)
		}
		// Every read route: the person's case and signatures, the NSA's view, the retention page.
		var reads []any
		reads = append(reads, must(e.Vet.Case(e.Ctx, paul, c.ID)), must(e.Vet.Case(e.Ctx, e.nsa, c.ID)),
			must(e.Vet.Signatures(e.Ctx, paul, c.ID)), must(e.Vet.Retention(e.Ctx, e.nsa)))
		for _, r := range reads {
			b := must(json.Marshal(r))
			if got := found(b, [][]byte{[]byte(markTrigger), []byte(markAnswer), []byte(markHold)}); len(got) > 0 {
				t.Errorf("a read still shows %q", got)
			}
		}
		if v := must(e.Vet.Case(e.Ctx, paul, c.ID)); len(v.Answers) != 0 || v.Stage != cleared.StageRefused || !v.Closed.Equal(closed) {
			t.Errorf("the purged case: %+v", v)
		}
		v := must(e.Vet.Retention(e.Ctx, e.nsa))
		if i := slices.IndexFunc(v.Purged, func(r vetting.RetentionCase) bool { return r.ID == c.ID }); i < 0 || !v.Purged[i].Purged.Equal(review) {
			t.Errorf("the retention page's purged cases: %+v", v.Purged)
		}
		// The audit log verifies, its erased payloads recorded.
		err = e.Store.View(e.Ctx, func(tx store.Tx) error {
			rep, err := audit.Verify(e.Ctx, tx, e.VKey, audit.VerifyOptions{})
			if err == nil && rep.FirstBad != nil {
				t.Errorf("audit verify: %+v", rep.FirstBad)
			}
			if rep.Erased == 0 {
				t.Error("no payload erased")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// A purge is once; a hold of a purged case is refused.
		if rep := must(e.Vet.Purge(e.Ctx, false)); len(rep.Cases) != 0 {
			t.Errorf("purged again: %+v", rep)
		}
		_, err = e.Vet.HoldCase(e.Ctx, e.nsa, c.ID, vetting.Hold{Reason: "x", Review: review.AddDate(1, 0, 0)})
		testenv.WantRule(t, err, "A23.2")
	})
}

// A23.2: who records a hold, on which case; what the retention page shows and to whom.
func TestHoldCase_A23_2(t *testing.T) {
	in := newIntake(t)
	w := in.World
	c := in.open(t)
	in.fill(t, c.ID)
	review := in.Clock.Now().AddDate(1, 0, 0)
	hold := vetting.Hold{Reason: "procédure pénale connexe", Review: review}
	t.Run("A23.2 an open case is not held", func(t *testing.T) {
		_, err := in.Vet.HoldCase(in.Ctx, in.nsa, c.ID, hold)
		testenv.WantRule(t, err, "A23.2")
	})
	closed := in.Clock.Now().UTC().Truncate(time.Microsecond)
	err := in.Store.Update(in.Ctx, func(tx store.Tx) error {
		cur, err := tx.VettingCase(c.ID)
		if err != nil {
			return err
		}
		cur.Stage, cur.Closed, cur.Updated = cleared.StageWithdrawn, closed, closed
		return tx.UpdateVettingCase(cur)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("A23.2 an NSA officer holds a closed case's data, reason audited, due at the review date", func(t *testing.T) {
		before := in.Size(t)
		rc := must(in.Vet.HoldCase(in.Ctx, in.nsa, c.ID, hold))
		if !rc.Due.Equal(review.UTC().Truncate(time.Microsecond)) || rc.HeldBy != w.Helene.ID || rc.HoldReason != hold.Reason {
			t.Errorf("hold %+v", rc)
		}
		last := in.Last(t, 1)[0]
		if in.Size(t) != before+1 || last.Action != "vetting_retention.hold" || last.Object != string(c.ID) {
			t.Errorf("audit: %+v", last)
		}
		v := must(in.Vet.Retention(in.Ctx, in.nsa))
		if i := slices.IndexFunc(v.Held, func(r vetting.RetentionCase) bool { return r.ID == c.ID }); i < 0 || v.Held[i].HoldReason != hold.Reason {
			t.Errorf("held %+v", v.Held)
		}
	})
	t.Run("A23.2 the person's security officer knows the case but is refused", func(t *testing.T) {
		_, err := in.Vet.HoldCase(in.Ctx, in.anne, c.ID, hold)
		testenv.WantRule(t, err, "A23.2")
	})
	t.Run("A23.2 the person under vetting is refused", func(t *testing.T) {
		_, err := in.Vet.HoldCase(in.Ctx, in.actor, c.ID, hold)
		testenv.WantRule(t, err, "A23.2")
	})
	t.Run("A23.2 another organisation's officer does not know the case: 404", func(t *testing.T) {
		_, err := in.Vet.HoldCase(in.Ctx, in.luc, c.ID, hold)
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A23.2 a review date now or beyond five years is refused", func(t *testing.T) {
		for _, r := range []time.Time{in.Clock.Now(), in.Clock.Now().AddDate(5, 0, 1)} {
			_, err := in.Vet.HoldCase(in.Ctx, in.nsa, c.ID, vetting.Hold{Reason: "x", Review: r})
			testenv.WantRule(t, err, "A23.2")
		}
	})
	t.Run("A23.2 bad input: no reason, no review date, a malformed ID", func(t *testing.T) {
		before := in.Size(t)
		for _, h := range []vetting.Hold{{Review: review}, {Reason: "x"}, {Reason: strings.Repeat("x", 3000), Review: review}} {
			_, err := in.Vet.HoldCase(in.Ctx, in.nsa, c.ID, h)
			wantKind(t, err, cleared.ErrInvalid)
		}
		_, err := in.Vet.HoldCase(in.Ctx, in.nsa, "vet_", hold)
		wantKind(t, err, cleared.ErrInvalid)
		if in.Size(t) != before {
			t.Error("bad input reached the audit log")
		}
	})
	t.Run("A23.2 the retention page is the NSA's", func(t *testing.T) {
		for _, a := range []cleared.Actor{in.anne, in.actor} {
			_, err := in.Vet.Retention(in.Ctx, a)
			testenv.WantRule(t, err, "A23.2")
		}
	})
}

// A23.2: a withdrawal is due six months after its closing, exactly; a granted case of a person still on his post
// is never due, and five years after his assignment ends, exactly.
func TestPurgeDue_A23_2_boundaries(t *testing.T) {
	in := newIntake(t)
	w := in.World
	now := in.Clock.Now().UTC().Truncate(time.Microsecond)
	withdrawn := in.open(t)
	setCase(t, in.env, withdrawn.ID, cleared.StageWithdrawn, now)
	p := in.person(t, w.SRE.ID, "Jean Hoffmann")
	a := must(in.Vet.Assign(in.Ctx, in.anne, vetting.NewAssignment{PersonID: p.ID, Post: in.post.ID}))
	granted := must(in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: p.ID, Post: in.post.ID}))
	setCase(t, in.env, granted.ID, cleared.StageGranted, now)
	due := func(at time.Time) []cleared.VettingCaseID { // of this test's cases (the demo holds one of its own)
		in.Clock.Set(at)
		var ids []cleared.VettingCaseID
		for _, id := range caseIDs(must(in.Vet.Purge(in.Ctx, true))) {
			if id == withdrawn.ID || id == granted.ID {
				ids = append(ids, id)
			}
		}
		return ids
	}
	six := now.AddDate(0, 6, 0)
	if got := due(six.Add(-time.Microsecond)); len(got) != 0 {
		t.Errorf("due before six months: %v", got)
	}
	if got := due(six); len(got) != 1 || got[0] != withdrawn.ID {
		t.Errorf("due at six months: %v", got)
	}
	if got := due(now.AddDate(30, 0, 0)); len(got) != 1 {
		t.Errorf("a person still on his post: %v", got)
	}
	in.Clock.Set(now.AddDate(1, 0, 0))
	ended := in.Clock.Now().UTC().Truncate(time.Microsecond)
	must(in.Vet.EndAssignment(in.Ctx, in.anne, a.ID, ended))
	if got := due(ended.AddDate(5, 0, 0).Add(-time.Microsecond)); len(got) != 1 {
		t.Errorf("due before five years: %v", got)
	}
	if got := due(ended.AddDate(5, 0, 0)); len(got) != 2 {
		t.Errorf("due at five years: %v", got)
	}
}

// caseIDs lists the cases of a purge's report.
func caseIDs(rep vetting.PurgeReport) []cleared.VettingCaseID {
	var ids []cleared.VettingCaseID
	for _, c := range rep.Cases {
		ids = append(ids, c.ID)
	}
	return ids
}

// setCase closes case id at stage at closed through the store, as the deciding authority's part (helper dec)
// will.
func setCase(t *testing.T, e *env, id cleared.VettingCaseID, stage cleared.CaseStage, closed time.Time) {
	t.Helper()
	err := e.Store.Update(e.Ctx, func(tx store.Tx) error {
		cur, err := tx.VettingCase(id)
		if err != nil {
			return err
		}
		cur.Stage, cur.Closed, cur.Updated = stage, closed, closed
		return tx.UpdateVettingCase(cur)
	})
	if err != nil {
		t.Fatal(err)
	}
}
