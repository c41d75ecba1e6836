package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/cleared/cleared/keyring/webhook"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/registry"
)

func runInit(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("init", "--officer-name NAME --clearance-reference REF [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	name := fs.String("officer-name", "", "full name of the first NSA officer (required)")
	email := fs.String("officer-email", "", "e-mail of the first NSA officer")
	level := fs.String("clearance-level", "TOP_SECRET", "the officer's clearance level, as in the paper register")
	issued := fs.String("clearance-issued", "", "date the officer's clearance was issued, e.g. 2024-05-01 (required)")
	ref := fs.String("clearance-reference", "", "the paper register's reference of the officer's clearance (required)")
	ttl := fs.Duration("token-ttl", 30*24*time.Hour, "life of the officer's first API token")
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	switch {
	case *name == "":
		return usagef("--officer-name is required")
	case *issued == "":
		return usagef("--clearance-issued is required")
	case *ref == "":
		return usagef("--clearance-reference is required")
	}
	lv, err := cleared.ParseLevel(*level)
	if err != nil {
		return usagef("--clearance-level: %v", err)
	}
	iss, err := parseDate("clearance-issued", *issued)
	if err != nil {
		return err
	}
	out, err := initialise(ctx, a, st, registry.FirstOfficer{Name: *name, Email: *email, ClearanceLevel: lv, ClearanceIssued: iss, ClearanceReference: *ref}, *ttl, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Created %s with a sealed key ring and the database.\n", st.data)
	fmt.Fprintf(a.stdout, "First NSA officer: %s (%s)\n", out.officer.Name, out.officer.ID)
	fmt.Fprintf(a.stdout, "Terminal certificate authority: %s/%s (cleared terminal issue, docs/terminals.md)\n", st.data, caFile)
	fmt.Fprintf(a.stdout, "API token for the officer (shown once, expires %s):\n%s\n", out.tokenExpires.Format(time.DateOnly), out.token)
	return nil
}

// quiet discards the service's log lines during init, whose output is for the person at the terminal.
var quiet = slog.New(slog.DiscardHandler)

type initResult struct {
	officer      cleared.Person
	token        string
	tokenExpires time.Time
}

// initialise creates the data folder, seals a new key ring and bootstraps the database. It refuses a folder that
// already holds a key ring, so a second init can never replace the keys that decrypt existing content. pass, if
// not nil, is the passphrase to use (the demo's); otherwise it comes from the environment or the terminal.
func initialise(ctx context.Context, a *app, st storage, first registry.FirstOfficer, ttl time.Duration, pass []byte) (initResult, error) {
	var out initResult
	if _, err := os.Stat(st.keyringPath()); err == nil {
		return out, fmt.Errorf("%s already holds a key ring: refusing to replace it (its keys decrypt the existing content)", st.data)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return out, fmt.Errorf("data folder %s: %w", st.data, err)
	}
	if pass == nil {
		var err error
		pass, err = keyring.PassphraseSource{Env: passEnv, Getenv: a.getenv, Stdin: a.stdin, Stderr: a.stderr, Confirm: true}.Passphrase()
		if err != nil {
			return out, err
		}
		defer clear(pass)
	}
	if err := os.MkdirAll(st.data, 0o700); err != nil {
		return out, fmt.Errorf("create data folder: %w", err)
	}
	ring, err := keyring.New()
	if err != nil {
		return out, err
	}
	signer, err := newAuditKey(ring, st.data)
	if err != nil {
		return out, err
	}
	// The CA whose client certificates tell the server which terminal a request comes from (A8.2, A9.3).
	if _, err := newTerminalCA(ring, st.data, time.Now()); err != nil {
		return out, err
	}
	st2, err := st.openStore(ctx)
	if err != nil {
		return out, err
	}
	defer st2.Close()
	ring.NewRegisterKey()
	sv := newServices(st2, ring, signer, serviceConfig{log: quiet})
	if _, err := sealStore(st2, ring, sv.reg, serviceConfig{log: quiet}); err != nil {
		return out, err
	}
	// The key ring is written only after the database accepted the bootstrap, so a failed init leaves no ring
	// behind and can be run again.
	out.officer, err = sv.reg.Bootstrap(ctx, first)
	if err != nil {
		return out, err
	}
	if _, err := sv.reg.Checkpoint(ctx); err != nil {
		return out, err
	}
	// The CA whose certificates sign destruction reports (E2), made now so that the ring is saved with it.
	if _, err := ensureSigningCA(ring, st.data, time.Now()); err != nil {
		return out, err
	}
	// The key that signs webhook calls (A13.1), made now so that receivers' copy of its public key stays valid.
	if _, _, err := webhook.EnsureKey(ring); err != nil {
		return out, err
	}
	if err := keyring.Save(st.keyringPath(), ring, pass); err != nil {
		return out, err
	}
	out.token, _, err = sv.auth.CreateToken(ctx, auth.NewToken{PersonID: out.officer.ID, Label: "first NSA officer (cleared init)", TTL: ttl})
	if err != nil {
		return out, err
	}
	out.tokenExpires = time.Now().Add(ttl)
	if _, err := sv.reg.Checkpoint(ctx); err != nil {
		return out, err
	}
	return out, nil
}
