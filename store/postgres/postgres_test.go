package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/postgres"
	"github.com/cleared/cleared/store/sqlstore"
	"github.com/cleared/cleared/store/storetest"
)

// serverURL returns the database the tests may use, or skips the test.
func serverURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("CLEARED_TEST_POSTGRES")
	if u == "" {
		t.Skip("CLEARED_TEST_POSTGRES not set: skipping PostgreSQL storage suite")
	}
	return u
}

// admin is one pool per test binary for creating, emptying and dropping the tests' schemas.
var admin = sync.OnceValues(func() (*pgxpool.Pool, error) {
	return pgxpool.New(context.Background(), os.Getenv("CLEARED_TEST_POSTGRES"))
})

// Each test has a schema of its own, which no other test uses at the same time: the store's tables are created in
// the first schema of search_path, which the URL sets. A fresh database per test would cost a copy of the template
// database; a fresh schema costs its migration, about 100 ms of DDL. So the storage suite reuses schemas: when a
// test ends, its schema is emptied (a few ms) and handed to the next test; TestMain drops them all at the end.
// Tests that need a schema in its first state (migrations, versions) take a new one with newSchema.
var schemas struct {
	sync.Mutex
	free, all []string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if os.Getenv("CLEARED_TEST_POSTGRES") != "" {
		schemas.Lock()
		for _, schema := range schemas.all {
			if err := dropSchema(schema); err != nil {
				fmt.Fprintln(os.Stderr, err)
			}
		}
		schemas.Unlock()
	}
	os.Exit(code)
}

// createSchema creates an empty schema with a random name.
func createSchema(t testing.TB) string {
	t.Helper()
	pool, err := admin()
	if err != nil {
		t.Fatal(err)
	}
	schema := "cleared_test_" + strings.ToLower(rand.Text()[:16])
	if _, err := pool.Exec(t.Context(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	return schema
}

func dropSchema(schema string) error {
	pool, err := admin()
	if err == nil {
		_, err = pool.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
	}
	if err != nil {
		return fmt.Errorf("drop schema %s: %w", schema, err)
	}
	return nil
}

// emptySchema deletes every row of the store's tables (not goose's), children first: tables are created after
// the tables they reference, so they are emptied in the reverse order, and a table still referenced is tried
// again.
func emptySchema(schema string) error {
	ctx := context.Background()
	pool, err := admin()
	if err != nil {
		return err
	}
	// The audit log's head is not emptied but reset to its first state, the empty log, and so is the counter of
	// release changes; the data generation's one row is kept (any value will do).
	if _, err := pool.Exec(ctx, `UPDATE `+schema+`.audit_head SET size = 0, root = sha256(''::bytea)`); err != nil {
		return fmt.Errorf("empty schema %s: %w", schema, err)
	}
	if _, err := pool.Exec(ctx, `UPDATE `+schema+`.sharing_seq SET seq = 0`); err != nil {
		return fmt.Errorf("empty schema %s: %w", schema, err)
	}
	rows, err := pool.Query(ctx, `
		SELECT quote_ident(relname) FROM pg_class
		WHERE relnamespace = $1::regnamespace AND relkind = 'r' AND relname NOT IN ('goose_db_version', 'audit_head', 'generation', 'sharing_seq')
		ORDER BY oid DESC`,
		schema)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	for err == nil && len(tables) > 0 {
		var left []string
		for _, table := range tables {
			_, err = pool.Exec(ctx, `DELETE FROM `+schema+`.`+table)
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.Code == "23503" { // foreign_key_violation: its children are not empty yet
				left, err = append(left, table), nil
			}
			if err != nil {
				break
			}
		}
		if len(left) == len(tables) {
			err = fmt.Errorf("cannot empty %v", left)
		}
		tables = left
	}
	if err != nil {
		return fmt.Errorf("empty schema %s: %w", schema, err)
	}
	return nil
}

// schemaURL is the test database's URL with schema as its search_path. Commits need not wait for the disk in
// tests (synchronous_commit=off).
func schemaURL(t testing.TB, schema string) string {
	t.Helper()
	u, err := url.Parse(serverURL(t))
	if err != nil {
		t.Fatalf("CLEARED_TEST_POSTGRES must be a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// newSchema creates an empty schema, dropped at the end of the test, and returns its URL.
func newSchema(t testing.TB) string {
	t.Helper()
	serverURL(t)
	schema := createSchema(t)
	t.Cleanup(func() {
		if err := dropSchema(schema); err != nil {
			t.Error(err)
		}
	})
	return schemaURL(t, schema)
}

// open opens a store in a schema no other test is using, with empty tables, and closes it at the end of the
// test.
func open(t testing.TB) *sqlstore.Store {
	t.Helper()
	return openIn(t, takeSchema(t))
}

// takeSchema returns a schema no other test is using, with empty tables, emptied again and handed to the next
// test at the end of this one.
func takeSchema(t testing.TB) string {
	t.Helper()
	serverURL(t)
	schemas.Lock()
	var schema string
	if n := len(schemas.free); n > 0 {
		schema, schemas.free = schemas.free[n-1], schemas.free[:n-1]
	}
	schemas.Unlock()
	if schema == "" {
		schema = createSchema(t)
		schemas.Lock()
		schemas.all = append(schemas.all, schema)
		schemas.Unlock()
	}
	t.Cleanup(func() { // after the stores opened in it are closed
		if err := emptySchema(schema); err != nil {
			t.Error(err) // the schema is not reused, and TestMain drops it
			return
		}
		schemas.Lock()
		schemas.free = append(schemas.free, schema)
		schemas.Unlock()
	})
	return schema
}

// openIn opens a store in schema, as one server process would, with the suite's audit signer key, and closes it
// at the end of the test.
func openIn(t testing.TB, schema string) *sqlstore.Store {
	t.Helper()
	return storetest.Signed(t, openUnsigned(t, schema))
}

// openUnsigned opens a store in schema without the audit signer key, and closes it at the end of the test.
func openUnsigned(t testing.TB, schema string) *sqlstore.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), schemaURL(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSealKey(storetest.SealKey); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	serverURL(t)
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

// TestUpdate_retries_serialization_failure makes another server's transaction (one that does not wait for the
// store's lock) and an Update read the same row; the other then writes it and commits, and the Update writes it
// too. Under SERIALIZABLE the Update fails with SQLSTATE 40001, and Update runs its function again, in a new
// transaction, so both increments count.
func TestUpdate_retries_serialization_failure(t *testing.T) {
	schema := takeSchema(t)
	s := openIn(t, schema)
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.SetMeta("counter", "") })
	if err != nil {
		t.Fatal(err)
	}
	other, err := pgxpool.New(t.Context(), schemaURL(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	otx, err := other.BeginTx(t.Context(), pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		t.Fatal(err)
	}
	defer otx.Rollback(t.Context())
	var v string
	if err := otx.QueryRow(t.Context(), `SELECT value FROM meta WHERE name = 'counter'`).Scan(&v); err != nil {
		t.Fatal(err)
	}

	runs := 0
	err = s.Update(t.Context(), func(tx store.Tx) error {
		runs++
		v, err := tx.Meta("counter")
		if err != nil {
			return err
		}
		if runs == 1 { // the other server increments the counter under this transaction's feet
			if _, err := otx.Exec(t.Context(), `UPDATE meta SET value = $1 WHERE name = 'counter'`, v+"x"); err != nil {
				return err
			}
			if err := otx.Commit(t.Context()); err != nil {
				return err
			}
		}
		return tx.SetMeta("counter", v+"x") // one x per increment
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if runs < 2 {
		t.Errorf("the function ran %d times: the transaction was not retried", runs)
	}
	err = s.View(t.Context(), func(tx store.Tx) error {
		v, err := tx.Meta("counter")
		if v != "xx" {
			t.Errorf("counter = %q after two increments, want %q", v, "xx")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAudit_no_fork_across_servers appends from two servers sharing one schema: AuditSize locks the log's head,
// so appenders take turns, and a loser of a race is retried rather than given a seq already taken.
func TestAudit_no_fork_across_servers(t *testing.T) {
	schema := takeSchema(t)
	storetest.AppendConcurrently(t, openIn(t, schema), openIn(t, schema))
}

// TestGeneration_across_servers: a change committed by another server on the same schema moves this server's
// Generation within store.GenerationLag.
func TestGeneration_across_servers(t *testing.T) {
	schema := takeSchema(t)
	storetest.GenerationAcrossProcesses(t, openIn(t, schema), openIn(t, schema))
}

func TestOpen_unreachable(t *testing.T) {
	start := time.Now()
	_, err := postgres.Open(t.Context(), "postgres://cleared:hunter2@127.0.0.1:1/cleared?sslmode=disable&connect_timeout=2")
	if !errors.Is(err, cleared.ErrUnavailable) {
		t.Errorf("Open of an unreachable server: %v, want kind %q", err, cleared.ErrUnavailable)
	}
	if err != nil && strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the message shows the password: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Open took %s to report an unreachable server", d)
	}
}

func TestOpen_malformed_url(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://cleared:hunter2@127.0.0.1:notaport/cleared")
	if !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("Open of a malformed URL: %v, want kind %q", err, cleared.ErrInvalid)
	}
	if err != nil && strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the message shows the password: %v", err)
	}
}

// TestOpen_concurrent opens one new database from several servers at once: the migrations run once, under the
// advisory lock, and every server starts.
func TestOpen_concurrent(t *testing.T) {
	u := newSchema(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := postgres.Open(t.Context(), u)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("concurrent Open: %v", err)
		}
	}
}

func TestOpen_newer_schema(t *testing.T) {
	u := newSchema(t)
	s, err := postgres.Open(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	pool, err := pgxpool.New(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	_, err = pool.Exec(t.Context(), `INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, true)`)
	pool.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err = postgres.Open(t.Context(), u)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a database with a newer schema")
	}
	if !errors.Is(err, cleared.ErrUnavailable) || !strings.Contains(err.Error(), "9999") {
		t.Errorf("Open of a newer schema: %v, want kind %q naming version 9999", err, cleared.ErrUnavailable)
	}
}

// TestTampering runs the sealed registers' suite, the database edited through a connection of its own.
func TestTampering(t *testing.T) {
	storetest.RunTampering(t, func(t *testing.T) (storetest.Sealed, *sql.DB) {
		schema := takeSchema(t)
		s := openIn(t, schema)
		db, err := sql.Open("pgx", schemaURL(t, schema))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return s, db
	})
}

// stopped is a schema that a test edits with its own connection while no store has it open, as psql would.
type stopped struct{ schema string }

func (d stopped) Open(t *testing.T) store.Store { return openUnsigned(t, d.schema) }

func (d stopped) Exec(t *testing.T, query string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), schemaURL(t, d.schema))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestAudit_tampering edits a stopped database as a hostile database administrator would (issue 17, §2).
func TestAudit_tampering(t *testing.T) {
	storetest.Tampering(t, func(t *testing.T) storetest.Stopped { return stopped{takeSchema(t)} })
}

func TestAudit_unsigned_store_appends_nothing(t *testing.T) {
	storetest.Unsigned(t, openUnsigned(t, takeSchema(t)))
}
