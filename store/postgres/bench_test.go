package postgres_test

import (
	"database/sql"
	"net/url"
	"testing"

	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/postgres"
	"github.com/cleared/cleared/store/sqlstore"
	"github.com/cleared/cleared/store/storetest"
)

// The audit log's append benchmarks on PostgreSQL, beside those of store/sqlite (architecture, principle 2:
// group commit). They need CLEARED_TEST_POSTGRES, and commit durably (synchronous_commit on, whatever the tests
// set), so that every commit waits for the server's fsync:
//
//	CLEARED_TEST_POSTGRES=postgres://… go test -run '^$' -bench 'Raw|Durable' ./store/postgres
//
// BenchmarkRawBatchedInsert is the database's ceiling for durable rows: 256 plain INSERTs of a row the size of an
// audit entry in one transaction, through database/sql and pgx. BenchmarkDurableAppendsGroupCommit makes one Update
// per entry from many goroutines, gathered into group commits; BenchmarkDurableAppendsSerial one after the other.

func BenchmarkRawBatchedInsert(b *testing.B) {
	const rows = 256
	db, err := sql.Open("pgx", durableURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE scratch (id BIGSERIAL PRIMARY KEY, hash BYTEA NOT NULL, data BYTEA NOT NULL)`); err != nil {
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
			for range rows {
				if _, err := tx.Exec(`INSERT INTO scratch (hash, data) VALUES ($1, $2)`, hash, data); err != nil {
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
func BenchmarkDurableAppends(b *testing.B) {
	storetest.BenchmarkGroupCommit(b, func(b *testing.B) store.Store { return openDurable(b) })
}

// durableURL returns the URL of a new schema, dropped at the end of the benchmark, whose commits wait for the disk.
func durableURL(b *testing.B) string {
	b.Helper()
	u, err := url.Parse(serverURL(b))
	if err != nil {
		b.Fatal(err)
	}
	schema := createSchema(b)
	b.Cleanup(func() {
		if err := dropSchema(schema); err != nil {
			b.Error(err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("synchronous_commit", "on")
	u.RawQuery = q.Encode()
	return u.String()
}

func openDurable(b *testing.B) *sqlstore.Store {
	b.Helper()
	s, err := postgres.Open(b.Context(), durableURL(b))
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SetSealKey(storetest.SealKey); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return storetest.Signed(b, s)
}
