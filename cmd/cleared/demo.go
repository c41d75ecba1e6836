package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
)

// runDemo prints what the demonstration's accounts need: `cleared demo accounts` lists every web login with its
// password and TOTP secret, and every API token; `cleared demo code LOGIN` prints a login's current TOTP code,
// for those without an authenticator app at hand. Everything it prints is public: it is the demo's.
func runDemo(ctx context.Context, a *app, args []string) error {
	switch {
	case len(args) == 1 && args[0] == "accounts":
		printDemoAccounts(a, "http://127.0.0.1:8080")
		return nil
	case len(args) > 0 && args[0] == "code":
		return runDemoCode(a, args[1:])
	case len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help"):
		fmt.Fprintf(a.stderr, "Usage: cleared demo accounts\n       cleared demo code [--data DIR] LOGIN\n")
		return nil
	}
	return usagef("want 'cleared demo accounts' or 'cleared demo code LOGIN'")
}

// printDemoAccounts lists the demo's web logins and API tokens.
func printDemoAccounts(a *app, base string) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nDemo web logins (open %s; the password is LOGIN-demo-password; the code: cleared demo code LOGIN):\n", base)
	fmt.Fprintf(&b, "  %-10s %-24s %-34s %s\n", "login", "password", "TOTP secret", "who")
	for _, l := range demo.WebLogins {
		fmt.Fprintf(&b, "  %-10s %-24s %-34s %s\n", l.Login, demo.Password(l.Login), demo.TOTPSecret(l.Login), l.Role)
	}
	b.WriteString("\nDemo API tokens (requests count as coming from the terminal shown):\n")
	for _, t := range demo.APITokens {
		fmt.Fprintf(&b, "  %-14s %-34s %s\n", t.Key, auth.TokenPrefix+"demo_"+t.Key, t.Role)
	}
	fmt.Fprintf(&b, "\nTry: curl -H 'Authorization: Bearer cleared_demo_sophie_zone' %s/api/pieces\n\n", base)
	fmt.Fprint(a.stdout, b.String())
}

// runDemoCode serves `cleared demo code [--data DIR] LOGIN`: the login's current TOTP code. --data is taken, before
// or after the login, as every command that works on a demo takes it (issue 18 §0: it was refused); the demo's codes
// are the same whatever the folder, so it changes nothing. --help says so.
func runDemoCode(a *app, args []string) error {
	fs := a.newFlags("demo code", "[--data DIR] LOGIN")
	fs.String("data", "cleared-data", "data folder of the demo (accepted for uniformity: the demo's codes do not depend on it)")
	var logins []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return usagef("%v", err)
		}
		if fs.NArg() == 0 {
			break
		}
		logins, args = append(logins, fs.Arg(0)), fs.Args()[1:]
	}
	if len(logins) != 1 {
		fs.Usage()
		return usagef("want one demo login: see 'cleared demo accounts'")
	}
	for _, l := range demo.WebLogins {
		if l.Login == logins[0] {
			code, err := account.TOTPCode(demo.TOTPSecret(l.Login), time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, code)
			return nil
		}
	}
	return usagef("no demo login %q: see 'cleared demo accounts'", logins[0])
}
