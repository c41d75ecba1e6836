// Package postgres opens cleared's database on a PostgreSQL server, through pgx (a pgxpool pool, seen by the
// shared SQL code of package sqlstore as a database/sql *sql.DB). The schema migrations are embedded in the binary
// and applied when the database is opened, under an advisory lock, so that several servers sharing one database
// may start at once. Its Notifier carries NOTIFY and LISTEN between those servers, so that a release committed on
// one wakes the live feeds connected to the others (S1).
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// connectTimeout bounds each connection attempt when the URL sets no connect_timeout: an unreachable server is
// reported as unavailable rather than waited for.
const connectTimeout = 5 * time.Second

// Open connects to the database at url (postgres://user:password@host:port/database?sslmode=…, or the
// key=value form) and migrates its schema to the version this binary knows. Tables live in the connection's
// current schema (the first of search_path, which the URL may set: ?search_path=cleared). It refuses a database
// whose schema is newer than this binary. A server that cannot be reached is an error of kind
// cleared.ErrUnavailable; a malformed url is cleared.ErrInvalid. Messages never show the password.
func Open(ctx context.Context, url string) (*sqlstore.Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx redacts the password in the URL it quotes.
		return nil, fmt.Errorf("postgres: %w: %w", cleared.ErrInvalid, err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	name := describe(cfg.ConnConfig.Config)

	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w: %w", name, cleared.ErrInvalid, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect to %s: %w: %w", name, cleared.ErrUnavailable, err)
	}
	db := stdlib.OpenDBFromPool(pool)
	if err := migrate(ctx, db, name); err != nil {
		db.Close()
		pool.Close()
		return nil, err
	}
	return sqlstore.New(dialect, db, db, pool.Close), nil
}

// describe names the database in messages: postgres://user@host:port/database, without the password.
func describe(c pgconn.Config) string {
	return fmt.Sprintf("postgres://%s@%s/%s", c.User, net.JoinHostPort(c.Host, strconv.Itoa(int(c.Port))), c.Database)
}

// migrate applies the embedded migrations the database lacks, holding a session advisory lock so that servers
// starting together apply them once, and refuses a database newer than them.
func migrate(ctx context.Context, db *sql.DB, name string) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	// One lock per schema, so that databases in different schemas (tests, several installations) do not wait
	// for each other.
	var schema sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("postgres: migrate %s: %w: %w", name, cleared.ErrUnavailable, err)
	}
	if !schema.Valid {
		return fmt.Errorf("postgres: migrate %s: no schema to create tables in (search_path names none that exists): %w",
			name, cleared.ErrUnavailable)
	}
	h := fnv.New64a()
	h.Write([]byte("cleared migrations " + schema.String))
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(int64(h.Sum64())),
		lock.WithLockTimeout(1, 300), // retry every second, for five minutes
	)
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	current, known, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate %s: %w: %w", name, cleared.ErrUnavailable, err)
	}
	if current > known {
		return fmt.Errorf("postgres: database %s (schema %s) has schema version %d, newer than this binary knows (%d): run a newer cleared: %w",
			name, schema.String, current, known, cleared.ErrUnavailable)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrate %s (schema %s) from version %d to %d: %w: %w",
			name, schema.String, current, known, cleared.ErrUnavailable, err)
	}
	return nil
}

// dialect is PostgreSQL's part of the shared SQL code. Update runs SERIALIZABLE, so that a service's
// read-decide-write is as if alone even with several servers on one database; the price is that PostgreSQL may
// abort one of two conflicting transactions (SQLSTATE 40001) or break a deadlock (40P01), and Update then runs
// the function again, up to ten times in all. View runs REPEATABLE READ, one snapshot for the whole transaction.
//
// Every write appends to the audit log, one sequence for all servers, so the writers of several servers must take
// turns at its head. Locking the head's row (SELECT … FOR UPDATE in AuditSize) alone is not enough: the
// transaction that waits for the lock took its snapshot before waiting, so once the other commits it fails with a
// serialization failure, and under steady load from another server its retries can fail ten times in a row
// (TestAudit_no_fork_across_servers lost appends that way). So each Update transaction first takes a lock on the
// head's table in EXCLUSIVE mode, which a statement that reads no data can take before the snapshot exists: the
// writer that waited then sees what the other committed. Reads (ACCESS SHARE) are not blocked.
var dialect = sqlstore.Dialect{
	Name:        "postgres",
	Kind:        kind,
	Retry:       retry,
	Attempts:    10,
	BeginUpdate: `LOCK TABLE audit_head IN EXCLUSIVE MODE`,
	LockRows:    true,
	Update:      sql.TxOptions{Isolation: sql.LevelSerializable},
	View:        sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
}

func retry(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && (e.Code == "40001" || e.Code == "40P01")
}

// kind classifies a PostgreSQL error by its SQLSTATE, and a failure to reach the server.
func kind(err error) error {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return cleared.ErrUnavailable
	}
	var e *pgconn.PgError
	if errors.As(err, &e) {
		switch {
		case e.Code == "23505": // unique_violation
			return cleared.ErrConflict
		case strings.HasPrefix(e.Code, "23"), // integrity constraint violation: foreign key, check, not null
			strings.HasPrefix(e.Code, "22"): // data exception: value out of range, invalid text…
			return cleared.ErrInvalid
		case e.Code == "40001", e.Code == "40P01", // serialization failure, deadlock: try again
			strings.HasPrefix(e.Code, "08"),  // connection exception
			strings.HasPrefix(e.Code, "53"),  // insufficient resources
			strings.HasPrefix(e.Code, "57P"), // server shutting down, cannot connect now
			e.Code == "25006":                // read-only transaction (a standby)
			return cleared.ErrUnavailable
		}
		return nil
	}
	var ne net.Error
	if errors.As(err, &ne) || pgconn.Timeout(err) {
		return cleared.ErrUnavailable
	}
	return nil
}
