package sqlite_test

import (
	"database/sql"
	"flag"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
	"github.com/cleared/cleared/store/storetest"
)

// BenchmarkVisiblePieces100k measures the first page (50 pieces) of the list a reader sees (A9.1), among 100 000
// pieces of which the reader holds about 200 grants: 180 on pieces and 20 on dossiers of 20 parts each, with 20 000
// grants of other persons beside them. The database is built once, outside the timed loop, in one transaction.
func BenchmarkVisiblePieces100k(b *testing.B) {
	const (
		pieces         = 100_000
		dossiers       = 500
		partsEach      = 20
		directGrants   = 180
		dossierGrants  = 20
		othersGrants   = 20_000
		othersPersons  = 100
		limit          = 50
		maxLevelReader = cleared.Secret
	)
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "cleared.db"))
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SetSealKey(storetest.SealKey); err != nil {
		b.Fatal(err)
	}
	defer s.Close()

	now := time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.UTC)
	rng := rand.New(rand.NewPCG(1, 2))
	org := cleared.Organisation{ID: cleared.NewOrganisationID(), Name: "Ministère", Kind: cleared.PublicBody, Country: "LU", Created: now.AddDate(-3, 0, 0)}
	creator := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org.ID, Name: "Creator", Created: org.Created}
	reader := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org.ID, Name: "Reader", Created: org.Created}
	auth := cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID(), PersonID: creator.ID, Kind: cleared.AuthorityGovernmentMember,
		Title: "Ministre", From: org.Created, Created: org.Created, CreatedBy: creator.ID, OrgID: org.ID}
	grant := func(person cleared.PersonID) cleared.Grant {
		from := now.AddDate(0, 0, -rng.IntN(300))
		return cleared.Grant{ID: cleared.NewGrantID(), PersonID: person, From: from, Until: from.AddDate(1, 0, 0),
			Reason: "desk", GrantedBy: creator.ID, Created: from}
	}

	err = s.Update(b.Context(), func(tx store.Tx) error {
		for _, err := range []error{tx.CreateOrganisation(org), tx.CreatePerson(creator), tx.CreatePerson(reader), tx.CreateAuthority(auth)} {
			if err != nil {
				return err
			}
		}
		ds := make([]cleared.DossierID, dossiers)
		for i := range ds {
			d := cleared.Dossier{ID: cleared.NewDossierID(), Title: "Dossier", Level: cleared.TopSecret, Originator: auth.ID,
				OrganisationID: org.ID, Created: org.Created, CreatedBy: creator.ID}
			if err := tx.CreateDossier(d); err != nil {
				return err
			}
			ds[i] = d.ID
		}
		others := make([]cleared.PersonID, othersPersons)
		for i := range others {
			p := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org.ID, Name: "Other", Created: org.Created}
			if err := tx.CreatePerson(p); err != nil {
				return err
			}
			others[i] = p.ID
		}
		ids := make([]cleared.PieceID, pieces)
		for i := range ids {
			created := now.Add(-time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour))))
			p := cleared.Piece{ID: cleared.NewPieceID(), Kind: cleared.Electronic, Title: "Piece", Level: cleared.Levels[rng.IntN(4)],
				Reason: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: created.AddDate(5, 0, 0), Originator: auth.ID,
				OrganisationID: org.ID, ContentType: "application/pdf", ContentSize: 4096, Created: created, CreatedBy: creator.ID}
			if i < dossiers*partsEach {
				p.Dossier = ds[i/partsEach]
			}
			if rng.IntN(50) == 0 {
				p.Destroyed = now.AddDate(0, 0, -1)
			}
			if err := tx.CreatePiece(p); err != nil {
				return err
			}
			ids[i] = p.ID
		}
		for range directGrants {
			g := grant(reader.ID)
			g.Piece = ids[dossiers*partsEach+rng.IntN(pieces-dossiers*partsEach)]
			if err := tx.CreateGrant(g); err != nil {
				return err
			}
		}
		for _, i := range rng.Perm(dossiers)[:dossierGrants] {
			g := grant(reader.ID)
			g.Dossier = ds[i]
			if err := tx.CreateGrant(g); err != nil {
				return err
			}
		}
		for range othersGrants {
			g := grant(others[rng.IntN(othersPersons)])
			g.Piece = ids[rng.IntN(pieces)]
			if err := tx.CreateGrant(g); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}

	q := store.VisibleQuery{Person: reader.ID, MaxLevel: maxLevelReader, At: now, Limit: limit}
	var n int
	for b.Loop() {
		err := s.View(b.Context(), func(tx store.Tx) error {
			ps, err := tx.VisiblePieces(q)
			n = len(ps)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if n != limit {
		b.Fatalf("first page holds %d pieces, want %d", n, limit)
	}
}

// The audit log's append benchmarks (architecture, principle 2: group commit). Compare, in one run:
//
//	go test -run '^$' -bench 'Raw|Durable' ./store/sqlite
//
// BenchmarkRawBatchedInsert is the database's ceiling for durable rows: 256 plain INSERTs of a row the size of an
// audit entry (a 32-byte hash and a 200-byte blob) in one transaction, with the pragmas cleared runs with (WAL,
// synchronous=FULL), through database/sql and one prepared statement. BenchmarkDurableAppendsGroupCommit makes
// one Update per entry from many goroutines, which the store gathers into group commits;
// BenchmarkDurableAppendsSerial makes them one after the other, one fsync each.

func BenchmarkRawBatchedInsert(b *testing.B) {
	const rows = 256
	path := filepath.Join(b.TempDir(), "raw.db")
	q := url.Values{"_pragma": {"journal_mode(WAL)", "synchronous(FULL)", "secure_delete(1)"}, "_txlock": {"immediate"}}
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE scratch (id INTEGER PRIMARY KEY, hash BLOB NOT NULL, data BLOB NOT NULL) STRICT`); err != nil {
		b.Fatal(err)
	}
	hash, data := make([]byte, 32), make([]byte, 200)
	for b.Loop() {
		err := func() error {
			tx, err := db.Begin()
			if err != nil {
				return err
			}
			defer tx.Rollback()
			st, err := tx.Prepare(`INSERT INTO scratch (hash, data) VALUES ($1, $2)`)
			if err != nil {
				return err
			}
			for range rows {
				if _, err := st.Exec(hash, data); err != nil {
					return err
				}
			}
			return tx.Commit()
		}()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkDurableAppends: durable audit appends with group commit (many callers) and without (one caller).
func BenchmarkDurableAppends(b *testing.B) { storetest.BenchmarkGroupCommit(b, openBench) }

func openBench(b *testing.B) store.Store {
	b.Helper()
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "cleared.db"))
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SetSealKey(storetest.SealKey); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return storetest.Signed(b, s)
}

// auditEntries is the size of the log BenchmarkVerifyLog makes and verifies: small by default, so that a run of
// every benchmark stays short; the figure of docs/benchmarks.md is for -audit-entries 10000000.
var auditEntries = flag.Int("audit-entries", 100_000, "entries of the log BenchmarkVerifyLog verifies")

// BenchmarkVerifyLog makes a log of -audit-entries entries (storetest.GenerateAudit), then measures cleared audit
// verify of it: every entry, payload, signed head and stored node. Goal: 10 000 000 entries in under 60 s.
//
//	go test -run '^$' -bench VerifyLog -benchtime 1x -timeout 30m ./store/sqlite -audit-entries 10000000
func BenchmarkVerifyLog(b *testing.B) {
	s := openBench(b)
	start := time.Now()
	storetest.GenerateAudit(b, s, *auditEntries)
	b.Logf("%d entries generated in %v", *auditEntries, time.Since(start).Round(time.Second))
	_, vkey := storetest.AuditKeys(b)
	b.ResetTimer()
	storetest.BenchmarkVerify(b, s, vkey)
}
