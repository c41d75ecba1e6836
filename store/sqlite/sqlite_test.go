package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
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
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
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
