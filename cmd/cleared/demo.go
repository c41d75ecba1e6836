package main

import (
	"context"
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
	case len(args) == 2 && args[0] == "code":
		for _, l := range demo.WebLogins {
			if l.Login == args[1] {
				code, err := account.TOTPCode(demo.TOTPSecret(l.Login), time.Now())
				if err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, code)
				return nil
			}
		}
		return usagef("no demo login %q: see 'cleared demo accounts'", args[1])
	case len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help"):
		fmt.Fprintf(a.stderr, "Usage: cleared demo accounts\n       cleared demo code LOGIN\n")
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
