package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/postgres"
	"github.com/cleared/cleared/store/sqlite"
)

// Files of a data folder.
const (
	keyringFile = "keyring.sealed"
	sqliteFile  = "cleared.db"
	passEnv     = "CLEARED_PASSPHRASE"
)

// storage holds the flags every command that opens the data shares.
type storage struct {
	data string
	db   string
}

func (s *storage) flags(fs *flag.FlagSet, defaultData string) {
	fs.StringVar(&s.data, "data", defaultData, "data folder: the sealed key ring and, without --db, the SQLite database")
	fs.StringVar(&s.db, "db", "", "PostgreSQL URL (postgres://user@host:5432/db); empty for the embedded SQLite database in the data folder (env CLEARED_DB)")
}

// env fills unset flags from the environment: flags, then environment, then defaults.
func (s *storage) env(a *app) {
	if s.db == "" {
		s.db = a.getenv("CLEARED_DB")
	}
}

func (s *storage) keyringPath() string { return filepath.Join(s.data, keyringFile) }

// openStore opens the database the flags name and runs its migrations.
func (s *storage) openStore(ctx context.Context) (store.Store, error) {
	// The openers return a concrete pointer; return a nil interface on error, never a typed nil.
	if s.db == "" {
		st, err := sqlite.Open(ctx, filepath.Join(s.data, sqliteFile))
		if err != nil {
			return nil, err
		}
		return st, nil
	}
	if !strings.HasPrefix(s.db, "postgres://") && !strings.HasPrefix(s.db, "postgresql://") {
		return nil, usagef("--db %q: want a PostgreSQL URL starting with postgres://", redact(s.db))
	}
	st, err := postgres.Open(ctx, s.db)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// redact hides a password in a URL for messages.
func redact(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.Index(u[i+3:], "@"); j >= 0 {
			cred := u[i+3 : i+3+j]
			if k := strings.Index(cred, ":"); k >= 0 {
				return u[:i+3] + cred[:k] + ":***" + u[i+3+j:]
			}
		}
	}
	return u
}

// openRing loads the sealed key ring with the passphrase from the environment or the terminal.
func (s *storage) openRing(a *app) (*keyring.Ring, error) {
	ring, pass, err := s.openRingPass(a)
	clear(pass)
	return ring, err
}

// openRingPass is openRing, which also returns the passphrase, to save the ring again; the caller clears it.
func (s *storage) openRingPass(a *app) (*keyring.Ring, []byte, error) {
	if _, err := os.Stat(s.keyringPath()); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("no key ring in %s: run 'cleared init --data %s' first", s.data, s.data)
	}
	pass, err := keyring.PassphraseSource{Env: passEnv, Getenv: a.getenv, Stdin: a.stdin, Stderr: a.stderr}.Passphrase()
	if err != nil {
		return nil, nil, err
	}
	ring, err := keyring.Load(s.keyringPath(), pass)
	if err != nil {
		clear(pass)
		return nil, nil, err
	}
	return ring, pass, nil
}

// open opens key ring and store and returns the services over them, with the audit signer from the key ring.
// The store gets the ring's register key (seal.go); a database made before sealed registers is upgraded once.
func (s *storage) open(ctx context.Context, a *app, cfg serviceConfig) (services, error) {
	ring, pass, err := s.openRingPass(a)
	if err != nil {
		return services{}, err
	}
	defer clear(pass)
	signer, err := auditSigner(ring)
	if err != nil {
		return services{}, err
	}
	st, err := s.openStore(ctx)
	if err != nil {
		return services{}, err
	}
	sv := newServices(st, ring, signer, cfg)
	if err := openSealed(ctx, sv, ring, s.keyringPath(), pass, cfg); err != nil {
		st.Close()
		return services{}, err
	}
	return sv, nil
}

// parseDate reads a date (2006-01-02) or an RFC 3339 time.
func parseDate(flagName, v string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, usagef("--%s %q: want a date such as 2024-05-01", flagName, v)
}

// newLogger returns the process's logger: text for people, JSON for log collectors.
func newLogger(a *app, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(a.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(a.stderr, opts)), nil
	}
	return nil, usagef("--log-format %q: want text or json", format)
}

// errText gives a one-line error for the terminal, the kind's sentence first where it helps.
func errText(err error) string {
	var f *cleared.ErrForbidden
	if errors.As(err, &f) {
		return fmt.Sprintf("refused by %s: %s", f.Rule, f.Reason)
	}
	return err.Error()
}
