//go:build retentionbench

package vetting_test

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/store"
)

// BenchmarkDailyRetention is the figure (docs/benchmarks.md): the daily purge and expiry scan over 100 000
// persons and 1 000 000 case items, under 30 s on SQLite. Behind the build tag retentionbench, run once:
//
//	go test -tags retentionbench ./vetting -run '^$' -bench DailyRetention -benchtime 1x -timeout 30m
//
// CLEARED_BENCH_PERSONS changes the number of persons (10 items each); CLEARED_BENCH_KEEP, a file name, keeps a
// copy of the database as generated (VACUUM INTO), for the same scan as plain SQL beside it.
//
// Each person has one case of ten questionnaire sections (the case items): 10% open, 9% refused within six
// months, 0.5% refused earlier (due), 60% granted and still assigned, 20% granted and assigned until less than
// five years ago, 0.5% granted whose assignment ended over five years ago (due); each granted one holds a
// clearance, their expiries spread over five years (a fifth within the year: renewal reminders due). Measured:
// the scan that finds the cases due (a dry run), the purge of the 1% due, and the expiry scan with its reminders
// (RemindRenewals).
func BenchmarkDailyRetention(b *testing.B) {
	persons := 100000
	if n, err := strconv.Atoi(os.Getenv("CLEARED_BENCH_PERSONS")); err == nil && n > 0 {
		persons = n
	}
	e := testenv.New(b, testenv.Options{NoDemo: true})
	now := e.Clock.Now().UTC().Truncate(time.Microsecond)
	start := time.Now()
	want := generate(b, e, persons, now)
	b.Logf("generated %d persons, %d cases, %d case items in %s", persons, persons, persons*10, time.Since(start).Round(time.Millisecond))
	if keep := os.Getenv("CLEARED_BENCH_KEEP"); keep != "" {
		if err := vacuumInto(e.Path, keep); err != nil {
			b.Fatal(err)
		}
	}
	var scan, purge, expiry time.Duration
	for b.Loop() {
		t0 := time.Now()
		rep := must(e.Vet.Purge(e.Ctx, true))
		scan = time.Since(t0)
		if len(rep.Cases) != want {
			b.Fatalf("due: %d cases, want %d", len(rep.Cases), want)
		}
		t0 = time.Now()
		rep = must(e.Vet.Purge(e.Ctx, false))
		purge = time.Since(t0)
		if len(rep.Cases) != want {
			b.Fatalf("purged: %d cases, want %d", len(rep.Cases), want)
		}
		t0 = time.Now()
		n := must(e.Vet.RemindRenewals(e.Ctx))
		expiry = time.Since(t0)
		b.Logf("due scan %s, purge of %d cases %s, expiry scan %s (%d clearances reminded); total %s",
			scan.Round(time.Millisecond), want, purge.Round(time.Millisecond), expiry.Round(time.Millisecond), n,
			(scan + purge + expiry).Round(time.Millisecond))
	}
	b.ReportMetric(scan.Seconds(), "scan-s")
	b.ReportMetric(purge.Seconds(), "purge-s")
	b.ReportMetric(expiry.Seconds(), "expiry-s")
	if total := scan + purge + expiry; persons >= 100000 && total > 30*time.Second {
		b.Errorf("the daily purge and expiry scan took %s, over the issue's 30 s", total)
	}
}

// generate writes persons persons of one organisation, their posts' assignments, clearances and cases with ten
// sealed-size sections each, through the store in transactions of a few thousand rows, and returns how many cases
// are due at now.
func generate(b *testing.B, e *testenv.Env, persons int, now time.Time) int {
	b.Helper()
	org := cleared.Organisation{ID: cleared.NewOrganisationID(), Name: "Bench", Kind: cleared.PublicBody, Country: "LU", Created: now.AddDate(-20, 0, 0)}
	officer := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org.ID, Name: "Officer", Created: org.Created}
	post := cleared.Post{ID: cleared.NewPostID(), OrganisationID: org.ID, Title: "Analyst", Level: cleared.Secret,
		Period: cleared.Period{From: org.Created}, CreatedBy: officer.ID, Created: org.Created}
	err := e.Store.Update(e.Ctx, func(tx store.Tx) error {
		if err := tx.CreateOrganisation(org); err != nil {
			return err
		}
		if err := tx.CreatePerson(officer); err != nil {
			return err
		}
		return tx.CreatePost(post)
	})
	if err != nil {
		b.Fatal(err)
	}
	key := store.CaseKey{KEK: "bench-kek", Wrapped: make([]byte, 60)}
	item := make([]byte, 200) // a sealed section's size
	due := 0
	const batch = 2000
	for from := 0; from < persons; from += batch {
		err := e.Store.Update(e.Ctx, func(tx store.Tx) error {
			for i := from; i < min(from+batch, persons); i++ {
				p := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org.ID, Name: fmt.Sprintf("Person %d", i), Created: org.Created}
				if err := tx.CreatePerson(p); err != nil {
					return err
				}
				c := cleared.VettingCase{ID: cleared.NewVettingCaseID(), PersonID: p.ID, OrganisationID: org.ID, Post: post.ID,
					Level: cleared.Secret, Origin: cleared.OriginNational, Kind: cleared.KindInitial, OpenedBy: officer.ID}
				var assigned cleared.Period
				switch r := i % 1000; {
				case r < 100: // open
					c.Stage = cleared.StageInvestigation
					c.Opened = now.AddDate(0, -1, 0)
				case r < 190: // refused within six months
					c.Stage, c.Closed = cleared.StageRefused, now.AddDate(0, -3, 0)
				case r < 195: // refused over six months ago: due
					c.Stage, c.Closed = cleared.StageRefused, now.AddDate(0, -7, 0)
					due++
				case r < 795: // granted, still assigned
					c.Stage, c.Closed = cleared.StageGranted, now.AddDate(-2, 0, 0)
					assigned = cleared.Period{From: c.Closed}
				case r < 995: // granted, assigned until less than five years ago
					c.Stage, c.Closed = cleared.StageGranted, now.AddDate(-6, 0, 0)
					assigned = cleared.Period{From: c.Closed, Until: now.AddDate(-4, 0, 0)}
				default: // granted, assigned until over five years ago: due
					c.Stage, c.Closed = cleared.StageGranted, now.AddDate(-9, 0, 0)
					assigned = cleared.Period{From: c.Closed, Until: now.AddDate(-6, 0, 0)}
					due++
				}
				if c.Opened.IsZero() {
					c.Opened = c.Closed.AddDate(0, -2, 0)
				}
				c.Deadline, c.Updated = c.Opened.AddDate(0, 1, 0), c.Opened
				if !c.Closed.IsZero() {
					c.Updated = c.Closed
				}
				if err := tx.CreateVettingCase(c, key); err != nil {
					return err
				}
				for s := range 10 {
					if err := tx.PutVettingAnswers(store.VettingAnswers{Case: c.ID, Section: "s" + strconv.Itoa(s), Ciphertext: item, Updated: c.Opened}); err != nil {
						return err
					}
				}
				if !assigned.From.IsZero() {
					a := cleared.Assignment{ID: cleared.NewAssignmentID(), PersonID: p.ID, Post: post.ID, OrganisationID: org.ID,
						Period: assigned, CreatedBy: officer.ID, Created: assigned.From}
					if err := tx.CreateAssignment(a); err != nil {
						return err
					}
				}
				if c.Stage == cleared.StageGranted {
					issued := now.AddDate(0, -(i*7)%60, -(i % 28)) // expiries spread over the five years to come
					cl := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: p.ID,
						Level: cleared.Secret, Issued: issued, Expires: issued.AddDate(5, 0, 0), Status: cleared.ClearanceActive,
						Source: cleared.SourceVetting, RecordedBy: officer.ID, Recorded: issued}
					if err := tx.CreateClearance(cl); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return due
}

// vacuumInto copies the SQLite database at path to file, as it is (VACUUM INTO).
func vacuumInto(path, file string) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec("VACUUM INTO ?", file)
	return err
}
