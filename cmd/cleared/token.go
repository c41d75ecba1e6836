package main

import (
	"context"
	"fmt"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
)

func runToken(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintf(a.stderr, "Usage: cleared token create --person ID [--terminal ID] [--label TEXT] [--ttl 720h]\n")
			return nil
		}
		return usagef("want 'cleared token create --person ID [--terminal ID] [--label TEXT] [--ttl DURATION]'")
	}
	fs := a.newFlags("token create", "--person ID [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	person := fs.String("person", "", "ID of the person the token acts for (required)")
	terminal := fs.String("terminal", "", "ID of the registered terminal requests with this token come from; none: no classified content is shown (A9.3)")
	label := fs.String("label", "API token", "what the token is for")
	ttl := fs.Duration("ttl", 30*24*time.Hour, "how long the token lives (at most 8784h)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st.env(a)
	if *person == "" {
		return usagef("--person is required")
	}
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	secret, k, err := sv.auth.CreateToken(ctx, auth.NewToken{PersonID: cleared.PersonID(*person), Terminal: cleared.TerminalID(*terminal), Label: *label, TTL: *ttl})
	if err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	fmt.Fprintf(a.stderr, "Token %s for %s, expires %s. The secret is shown once:\n", k.ID, k.PersonID, k.Expires.Format(time.RFC3339))
	fmt.Fprintln(a.stdout, secret)
	return nil
}
