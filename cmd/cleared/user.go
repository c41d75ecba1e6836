package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"os"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// runUser gives a registered person an account for the web UI: an operator's act on the server, as for the first
// accounts of a new installation (afterwards an admin creates them in the UI).
func runUser(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintf(a.stderr, "Usage: cleared user add --person ID --login NAME [--password-file FILE]\n")
			return nil
		}
		return usagef("want 'cleared user add --person ID --login NAME [--password-file FILE]'")
	}
	fs := a.newFlags("user add", "--person ID --login NAME [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	person := fs.String("person", "", "ID of the registered person the account is for (required)")
	login := fs.String("login", "", "login: 2 to 64 lower-case letters, digits, '.', '-', '_' (required)")
	pwFile := fs.String("password-file", "", "file holding the first password (at least 12 characters); without it a random one is made and printed")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st.env(a)
	if *person == "" || *login == "" {
		return usagef("--person and --login are required")
	}
	pw, err := firstPassword(*pwFile)
	if err != nil {
		return err
	}
	log, _ := newLogger(a, "text", "warn")
	svc, db, err := st.open(ctx, a, registry.Config{Log: log})
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := svc.AddAccount(ctx, registry.NewAccount{PersonID: cleared.PersonID(*person), Login: *login, Password: pw})
	if err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	fmt.Fprintf(a.stderr, "Account %s for %s. Give the person, apart and once, what follows; the TOTP secret goes in an authenticator app.\n",
		r.Account.ID, r.Account.PersonID)
	fmt.Fprintf(a.stdout, "login:       %s\n", r.Account.Login)
	if *pwFile == "" {
		fmt.Fprintf(a.stdout, "password:    %s\n", pw)
	}
	fmt.Fprintf(a.stdout, "TOTP secret: %s\nTOTP URI:    %s\n", r.TOTPSecret, r.TOTPURI)
	return nil
}

// firstPassword reads the password file, or makes a random password.
func firstPassword(file string) (string, error) {
	if file == "" {
		var b [15]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		return strings.ToLower(base32.StdEncoding.EncodeToString(b[:])), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("--password-file: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}
