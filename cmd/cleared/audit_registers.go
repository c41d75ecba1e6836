package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/store/sqlstore"
)

// registersFlag is the flag of 'cleared audit verify' that checks the sealed registers instead of the log.
const registersFlag = "registers"

// wantsRegisters reports whether the arguments of 'audit verify' hold --registers (or -registers, =true).
func wantsRegisters(args []string) bool {
	for _, a := range args {
		switch a {
		case "--" + registersFlag, "-" + registersFlag, "--" + registersFlag + "=true", "-" + registersFlag + "=true":
			return true
		case "--":
			return false
		}
	}
	return false
}

// registerVerifier is the store's offline check of every sealed row (store/sqlstore.Store).
type registerVerifier interface {
	SetSealKey(key []byte) error
	VerifyRegisters(ctx context.Context) (int, []sqlstore.BadRow, error)
}

// runAuditVerifyRegisters is 'cleared audit verify --registers': it checks the MAC of every sealed register row
// (architecture, principle 9) with the key ring's register key, so it needs the passphrase, and names each row
// that fails (table and key, never its values). Exit status 1 if any does.
func runAuditVerifyRegisters(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("audit verify", "--registers [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	fs.Bool(registersFlag, false, "check the seal of every register row instead of the log (needs the passphrase)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	st.env(a)
	ring, err := st.openRing(a)
	if err != nil {
		return err
	}
	key, ok := ring.Secret(keyring.RegisterKey)
	if !ok {
		return errors.New("the key ring holds no register key: the registers were never sealed (start the server once: it seals them)")
	}
	db, err := st.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	v, ok := db.(registerVerifier)
	if !ok {
		return errors.New("this store does not seal its registers")
	}
	if err := v.SetSealKey(key); err != nil {
		return err
	}
	n, bad, err := v.VerifyRegisters(ctx)
	if err != nil {
		return fmt.Errorf("verification could not run: %w", err)
	}
	for _, b := range bad {
		fmt.Fprintf(a.stdout, "FAIL: %s %s: fails its seal check (altered outside cleared, possible compromise A13.1)\n", b.Table, b.Key)
	}
	if len(bad) > 0 {
		fmt.Fprintf(a.stdout, "FAIL: %d of %d register rows fail their seal check\n", len(bad), n)
		return errSilent
	}
	fmt.Fprintf(a.stdout, "OK: %d register rows, every one sealed and intact\n", n)
	return nil
}
