package witness

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the state's database: pure Go, so the binary stays static

	"github.com/cleared/cleared"
)

// record is what a witness keeps of one log: the latest checkpoint it cosigned.
type record struct {
	Origin string
	Size   uint64
	Root   []byte
	// Note is the log's checkpoint note as the witness verified it: the body and the log's signature lines only.
	Note []byte
	// Cosignature is the witness's signature line(s) on it.
	Cosignature []byte
	Updated     time.Time
}

// state is a witness's own small database: one row per log it has cosigned. It is a SQLite file of its own, not
// cleared's database: a witness runs at a partner authority, apart from the log it watches.
type state struct{ db *sql.DB }

const stateSchema = `
CREATE TABLE IF NOT EXISTS logs (
	origin      TEXT    NOT NULL PRIMARY KEY,
	size        INTEGER NOT NULL CHECK (size >= 0),
	root        BLOB    NOT NULL CHECK (length(root) = 32),
	note        BLOB    NOT NULL,
	cosignature BLOB    NOT NULL,
	updated_ns  INTEGER NOT NULL
) STRICT`

// openState opens (creating it, readable by its owner only) the state file at path. Writes are durable when they
// return (synchronous FULL) and begin IMMEDIATE, so two witness processes on one file take turns.
func openState(ctx context.Context, path string) (*state, error) {
	if path == "" || strings.Contains(path, "?") || strings.HasPrefix(path, "file:") {
		return nil, cleared.Invalidf("witness state %q: want the name of a file", path)
	}
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600); err != nil {
		return nil, fmt.Errorf("witness state: %w", err)
	} else {
		f.Close()
	}
	q := url.Values{
		"_pragma": {"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)"},
		"_txlock": {"immediate"},
	}
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("witness state: %w", err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, stateSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("witness state %s: %w", path, err)
	}
	return &state{db: db}, nil
}

func (s *state) close() error { return s.db.Close() }

const recordColumns = `origin, size, root, note, cosignature, updated_ns`

func scanRecord(row interface{ Scan(...any) error }) (record, error) {
	var r record
	var size, updated int64
	err := row.Scan(&r.Origin, &size, &r.Root, &r.Note, &r.Cosignature, &updated)
	r.Size, r.Updated = uint64(size), time.Unix(0, updated).UTC()
	return r, err
}

// get returns the record of origin; ErrNotFound if the witness never cosigned a checkpoint of that log.
func (s *state) get(ctx context.Context, origin string) (record, error) {
	r, err := scanRecord(s.db.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM logs WHERE origin = $1`, origin))
	if errors.Is(err, sql.ErrNoRows) {
		return record{}, cleared.NotFoundf("no checkpoint of log %q cosigned", origin)
	}
	if err != nil {
		return record{}, fmt.Errorf("witness state: read %s: %w", origin, err)
	}
	return r, nil
}

// conflictError says that the size a request started from is not the size the witness knows.
type conflictError struct{ known uint64 }

func (e *conflictError) Error() string {
	return fmt.Sprintf("the witness last cosigned size %d", e.known)
}

// advance runs next on the record of origin (nil if none) in one write transaction, and stores the record it
// returns, with a compare-and-swap on the size: the row is replaced only if its size is still the one next was
// given, so two requests can never both move the log from one size, one of them rolling the other back. If next
// fails, nothing is written. The transaction commits, durably, before advance returns.
func (s *state) advance(ctx context.Context, origin string, next func(cur *record) (record, error)) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("witness state: %w", err)
	}
	defer tx.Rollback()
	var cur *record
	r, err := scanRecord(tx.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM logs WHERE origin = $1`, origin))
	switch {
	case err == nil:
		cur = &r
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("witness state: read %s: %w", origin, err)
	}
	n, err := next(cur)
	if err != nil {
		return err
	}
	var res sql.Result
	if cur == nil {
		res, err = tx.ExecContext(ctx, `INSERT INTO logs (`+recordColumns+`) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (origin) DO NOTHING`,
			origin, int64(n.Size), n.Root, n.Note, n.Cosignature, n.Updated.UnixNano())
	} else {
		res, err = tx.ExecContext(ctx, `UPDATE logs SET size = $1, root = $2, note = $3, cosignature = $4, updated_ns = $5
			WHERE origin = $6 AND size = $7 AND root = $8`,
			int64(n.Size), n.Root, n.Note, n.Cosignature, n.Updated.UnixNano(), origin, int64(cur.Size), cur.Root)
	}
	if err != nil {
		return fmt.Errorf("witness state: write %s: %w", origin, err)
	}
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		// Another writer moved the log since it was read: refuse, saying what it knows now.
		known, err := s.knownSize(ctx, tx, origin)
		if err != nil {
			return err
		}
		return &conflictError{known: known}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("witness state: commit %s: %w", origin, err)
	}
	return nil
}

func (s *state) knownSize(ctx context.Context, tx *sql.Tx, origin string) (uint64, error) {
	var size int64
	err := tx.QueryRowContext(ctx, `SELECT size FROM logs WHERE origin = $1`, origin).Scan(&size)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("witness state: read %s: %w", origin, err)
	}
	return uint64(size), nil
}
