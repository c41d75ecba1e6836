package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
	"github.com/cleared/cleared/store/sqlstore"
	"github.com/cleared/cleared/store/storetest"
)

// template is a database migrated once per test binary. Migrating a new database is most of what a storage
// test costs (a quarter of a second with -race), so each test opens a copy of this one; TestOpen_* open new ones.
var template struct {
	once sync.Once
	dir  string
	db   []byte
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if template.dir != "" {
		os.RemoveAll(template.dir)
	}
	os.Exit(code)
}

// open opens a copy of the template database in a temporary directory, closed at the end of the test.
func open(t testing.TB) store.Store {
	t.Helper()
	s, _ := openPath(t)
	return s
}

// openPath is open, which also returns the database's file.
func openPath(t testing.TB) (*sqlstore.Store, string) {
	t.Helper()
	path := copyTemplate(t)
	s, err := sqlite.Open(t.Context(), path)
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
	return storetest.Signed(t, s), path
}

// copyTemplate copies the template database to a temporary directory and returns the copy's path.
func copyTemplate(t testing.TB) string {
	t.Helper()
	template.once.Do(func() {
		template.dir, template.err = os.MkdirTemp("", "cleared-sqlite-template-")
		if template.err != nil {
			return
		}
		path := filepath.Join(template.dir, "cleared.db")
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			template.err = err
			return
		}
		// Closing the last connection checkpoints the write-ahead log into the file and removes the log.
		if template.err = s.Close(); template.err == nil {
			template.db, template.err = os.ReadFile(path)
		}
	})
	if template.err != nil {
		t.Fatal(template.err)
	}
	path := filepath.Join(t.TempDir(), "cleared.db")
	if err := os.WriteFile(path, template.db, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

func TestOpen_reopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cleared.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(t.Context(), func(tx store.Tx) error { return tx.SetMeta("k", "v") })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	err = s.View(t.Context(), func(tx store.Tx) error {
		v, err := tx.Meta("k")
		if v != "v" {
			t.Errorf("Meta after reopening = %q, want %q", v, "v")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpen_errors(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte("these are not the pages of a SQLite database, just text, long enough to fill a header"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path string
	}{
		{"directory", dir},
		{"not_a_database", notDB},
		{"missing_directory", filepath.Join(dir, "no", "such", "cleared.db")},
		{"under_a_file", filepath.Join(notDB, "cleared.db")},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := sqlite.Open(t.Context(), c.path)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", c.path)
			}
			if !errors.Is(err, cleared.ErrUnavailable) {
				t.Errorf("Open(%q): %v, want kind %q", c.path, err, cleared.ErrUnavailable)
			}
			if !strings.Contains(err.Error(), c.path) {
				t.Errorf("Open(%q): %v: the message does not name the path", c.path, err)
			}
		})
	}
	t.Run("memory", func(t *testing.T) {
		_, err := sqlite.Open(t.Context(), ":memory:")
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("Open(:memory:): %v, want kind %q", err, cleared.ErrInvalid)
		}
	})
}

// TestOpen_newer_schema opens a database that a later cleared migrated further, which this one must refuse.
func TestOpen_newer_schema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cleared.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(t.Context(), path)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a database with a newer schema")
	}
	if !errors.Is(err, cleared.ErrUnavailable) || !strings.Contains(err.Error(), "9999") {
		t.Errorf("Open of a newer schema: %v, want kind %q naming version 9999", err, cleared.ErrUnavailable)
	}
}

// TestAudit_head_survives_reopen closes the database after appends and opens it again: the log's size, its
// entries and its checkpoints are where they were.
func TestAudit_head_survives_reopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cleared.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Signed(t, s)
	for seq := range uint64(3) {
		err := s.Update(t.Context(), func(tx store.Tx) error { return appendAt(tx, seq, []byte("payload")) })
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	storetest.Signed(t, s)
	err = s.Update(t.Context(), func(tx store.Tx) error {
		n, err := tx.AuditSize()
		if err != nil {
			return err
		}
		if n != 3 {
			t.Errorf("AuditSize after reopening = %d, want 3", n)
		}
		latest, err := tx.LatestCheckpoint()
		if err != nil {
			return err
		}
		if latest.Size != 3 {
			t.Errorf("LatestCheckpoint after reopening has size %d, want 3", latest.Size)
		}
		return appendAt(tx, 3, []byte("payload")) // the next seq is 3, and only 3
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAudit_no_fork_across_processes appends from two stores opened on one file, as two processes would: SQLite's
// write lock makes them take turns, and the log has every entry once.
func TestAudit_no_fork_across_processes(t *testing.T) {
	storetest.AppendConcurrently(t, openTwice(t)...)
}

// openTwice opens two stores on one new file, as two processes would, closed at the end of the test.
func openTwice(t *testing.T) []store.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cleared.db")
	var stores []store.Store
	for range 2 {
		s, err := sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetSealKey(storetest.SealKey); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, storetest.Signed(t, s))
	}
	return stores
}

// TestGeneration_across_processes: a change committed through another store on the same file (a command run
// beside the server) moves this store's Generation, so that nothing the server cached outlives it.
func TestGeneration_across_processes(t *testing.T) {
	stores := openTwice(t)
	storetest.GenerationAcrossProcesses(t, stores[0], stores[1])
}

// TestAudit_A23_2_erased_payload_leaves_the_files checks that an erased payload's bytes are gone from the
// database file and its write-ahead log, not just hidden: secure_delete zeroes them in the file, and the log that
// held the page as first written is checkpointed and truncated after the erasure commits.
func TestAudit_A23_2_erased_payload_leaves_the_files(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cleared.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.Signed(t, s)
	// A payload long enough that the erasure marker written in its place cannot cover it, and with no repeats, so
	// that any piece of it left behind is found.
	var notes strings.Builder
	for i := range 8 {
		fmt.Fprintf(&notes, "%x", sha256.Sum256([]byte{byte(i)}))
	}
	secret := []byte(`{"subject":"Jean Dupont","notes":"` + notes.String() + `"}`)
	other := []byte(`{"subject":"kept"}`)
	for seq, p := range [][]byte{secret, other} {
		err := s.Update(t.Context(), func(tx store.Tx) error { return appendAt(tx, uint64(seq), p) })
		if err != nil {
			t.Fatal(err)
		}
	}
	files := func() []byte {
		var all []byte
		for _, name := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(name)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return all
	}
	if !bytes.Contains(files(), secret) {
		t.Fatal("the payload is not in the files before erasure: the test looks in the wrong place")
	}
	err = s.Update(t.Context(), func(tx store.Tx) error {
		return tx.EraseAuditPayload(0, time.Unix(2, 0), "A23.2 retention: 6 months after refusal")
	})
	if err != nil {
		t.Fatal(err)
	}
	all := files()
	for i := 0; i+32 <= len(secret); i += 32 {
		if bytes.Contains(all, secret[i:i+32]) {
			t.Fatalf("A23.2: bytes %d to %d of the erased payload are still in the database file or its write-ahead log",
				i, i+32)
		}
	}
	if !bytes.Contains(all, other) {
		t.Error("the payload that was not erased is gone from the files")
	}
}

// appendAt appends an entry, which must be entry seq, through audit.Append.
func appendAt(tx store.Tx, seq uint64, payload []byte) error {
	r, err := audit.Append(tx, audit.Entry{Time: time.Unix(int64(seq), 0).UTC(), Action: "piece.read", Allowed: true}, payload)
	if err == nil && r.Seq != seq {
		return fmt.Errorf("appended entry %d, want %d", r.Seq, seq)
	}
	return err
}

// stopped is a SQLite database file that a test edits with database/sql while no store has it open, as sqlite3
// would.
type stopped struct{ path string }

func (d stopped) Open(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), d.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SetSealKey(storetest.SealKey); err != nil {
		t.Fatal(err)
	}
	return s
}

func (d stopped) Exec(t *testing.T, query string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", d.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestAudit_tampering edits a stopped database as a hostile database administrator would (issue 17, §2).
func TestAudit_tampering(t *testing.T) {
	storetest.Tampering(t, func(t *testing.T) storetest.Stopped { return stopped{copyTemplate(t)} })
}

func TestAudit_unsigned_store_appends_nothing(t *testing.T) {
	storetest.Unsigned(t, stopped{copyTemplate(t)}.Open(t))
}

// TestTampering runs the sealed registers' suite, the database edited through a connection of its own.
func TestTampering(t *testing.T) {
	storetest.RunTampering(t, func(t *testing.T) (storetest.Sealed, *sql.DB) {
		s, path := openPath(t)
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return s, db
	})
}
