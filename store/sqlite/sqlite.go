// Package sqlite opens cleared's embedded database: a SQLite file, through modernc.org/sqlite (pure Go, so the
// binary stays static), with the schema migrations embedded in the binary and applied when the file is opened.
// The queries are those of package sqlstore, shared with PostgreSQL.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"strings"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open opens the database file at path, creating it if it does not exist, and migrates its schema to the version
// this binary knows. The directory must exist. It refuses a database whose schema is newer than this binary
// (written by a later version of cleared), and a path that cannot be opened as a database (a directory, another
// kind of file, no permission), with an error of kind cleared.ErrUnavailable naming the path.
//
// Every connection runs with:
//
//   - journal_mode=WAL: readers do not block the writer nor each other;
//   - synchronous=FULL: a commit is on disk (the WAL is synced) before Update returns, as the audit log's
//     append-only guarantee demands; NORMAL would lose the last commits on power failure;
//   - foreign_keys=ON: SQLite leaves references unchecked unless asked, per connection;
//   - busy_timeout=10000: wait up to 10 s for another process's lock rather than fail at once;
//   - temp_store=MEMORY (the writer only): the journal of the savepoints of a group commit (store/sqlstore) is
//     kept in memory; written to a temporary file, it cost a sixth of the writer's time;
//   - secure_delete=ON: deleted and overwritten content (a destroyed data key, A10.1; an erased audit payload,
//     A23.2) is zeroed in the file.
//
// SQLite allows one writer at a time, and a transaction that starts reading and then writes can fail with
// SQLITE_BUSY when another has written in between. So writes go through a pool of one connection whose
// transactions begin IMMEDIATE (taking the write lock at BEGIN, in order), and View uses a separate pool of
// read-only connections.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	// The driver reads what follows "?" as parameters and "file:" as a URI; the store needs a file.
	if path == "" || strings.Contains(path, "?") || strings.HasPrefix(path, "file:") || path == ":memory:" {
		return nil, cleared.Invalidf("sqlite: database path %q: want the name of a file (without ?)", path)
	}
	// Create the file readable by its owner only; SQLite gives the -wal and -shm files the same mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, openError(path, err)
	}
	pragmas := []string{
		"busy_timeout(10000)",
		"foreign_keys(1)",
		"journal_mode(WAL)",
		"synchronous(FULL)",
		"secure_delete(1)",
	}
	wq := url.Values{"_pragma": append(pragmas[:len(pragmas):len(pragmas)], "temp_store(2)"), "_txlock": {"immediate"}}
	write, err := sql.Open("sqlite", path+"?"+wq.Encode())
	if err != nil {
		return nil, openError(path, err)
	}
	write.SetMaxOpenConns(1)
	// The first connection sets the journal mode (which is stored in the file), so it is opened and checked
	// before any reader.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, openError(path, err)
	}
	if err := migrate(ctx, write, path); err != nil {
		write.Close()
		return nil, err
	}

	rq := url.Values{"_pragma": append(pragmas[:len(pragmas):len(pragmas)], "query_only(1)")}
	read, err := sql.Open("sqlite", path+"?"+rq.Encode())
	if err != nil {
		write.Close()
		return nil, openError(path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	if err := read.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		return nil, openError(path, err)
	}
	return sqlstore.New(dialect, write, read, nil), nil
}

func openError(path string, err error) error {
	return fmt.Errorf("sqlite: open database %s: %w: %w", path, cleared.ErrUnavailable, err)
}

// migrate applies the embedded migrations that the database lacks, and refuses a database newer than them.
func migrate(ctx context.Context, db *sql.DB, path string) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys)
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	current, known, err := p.GetVersions(ctx)
	if err != nil {
		return openError(path, err)
	}
	if current > known {
		return fmt.Errorf("sqlite: database %s has schema version %d, newer than this binary knows (%d): run a newer cleared: %w",
			path, current, known, cleared.ErrUnavailable)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite: migrate database %s from version %d to %d: %w: %w", path, current, known, cleared.ErrUnavailable, err)
	}
	return nil
}

// dialect is SQLite's part of the shared SQL code: one writer, so no serialization failures to retry and no rows
// to lock. An erased audit payload (A23.2) is zeroed in the database file by secure_delete, but the write-ahead
// log still holds the pages as they were written before; checkpointing the log into the file and truncating it
// removes those copies too. The checkpoint waits for readers of older snapshots to finish (up to the busy
// timeout), which holds up the writer; erasures are rare (retention purges), so that is a price worth paying.
var dialect = sqlstore.Dialect{
	Name:       "sqlite",
	Kind:       kind,
	Prepare:    true,
	Anonymous:  true,
	AfterErase: `PRAGMA wal_checkpoint(TRUNCATE)`,
	View:       sql.TxOptions{ReadOnly: true},
}

// kind classifies a SQLite error by its result code.
func kind(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return nil
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		return cleared.ErrConflict
	}
	switch e.Code() & 0xff { // the primary result code
	case sqlite3.SQLITE_CONSTRAINT, sqlite3.SQLITE_MISMATCH, sqlite3.SQLITE_TOOBIG:
		return cleared.ErrInvalid
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_NOTADB,
		sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM,
		sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_PROTOCOL:
		return cleared.ErrUnavailable
	}
	return nil
}
