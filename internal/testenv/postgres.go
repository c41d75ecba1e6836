package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx", to create and drop the schema

	"github.com/cleared/cleared/store/postgres"
	"github.com/cleared/cleared/store/sqlstore"
)

// Postgres opens a store over the PostgreSQL database CLEARED_TEST_POSTGRES names, in a schema of its own (its name
// starts with prefix) dropped when the test ends, and returns it with the URL that reaches that schema (for a test
// that edits rows behind the store's back). It skips the test when the variable is not set. Every package whose
// tests run on both databases opens the second one here.
func Postgres(t testing.TB, prefix string) (*sqlstore.Store, string) {
	t.Helper()
	base := os.Getenv("CLEARED_TEST_POSTGRES")
	if base == "" {
		t.Skip("CLEARED_TEST_POSTGRES not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := prefix + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, u.String()
}
