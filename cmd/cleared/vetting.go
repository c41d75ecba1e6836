package main

import (
	"context"
	"fmt"
)

const vettingUsage = `Usage:
  cleared vetting close-overdue
Every vetting case whose deadline has come without the person's signed questionnaire and consent closes refused for
non-cooperation, and the security officers of the person's organisation are told by e-mail that the recruitment,
appointment or promotion procedure ends (Art. 26, A26.1). The server does this on its own with its periodic jobs;
this runs it once.`

// runVetting closes the overdue vetting cases through package vetting (the same rule, the same audit entry as the
// server's periodic job).
func runVetting(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "close-overdue" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(a.stderr, vettingUsage)
			return nil
		}
		return usagef("want 'cleared vetting close-overdue' (cleared vetting --help)")
	}
	fs := a.newFlags("vetting close-overdue", "[flags]")
	var st storage
	st.flags(fs, "cleared-data")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st.env(a)
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	n, err := sv.vet.CloseOverdue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d case(s) closed for non-cooperation\n", n)
	return nil
}
