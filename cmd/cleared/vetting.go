package main

import (
	"context"
	"fmt"
)

const vettingUsage = `Usage:
  cleared vetting close-overdue
  cleared vetting remind-renewals
close-overdue: every vetting case whose deadline has come without the person's signed questionnaire and consent
closes refused for non-cooperation, and the security officers of the person's organisation are told by e-mail that
the recruitment, appointment or promotion procedure ends (Art. 26, A26.1).
remind-renewals: every person's clearance that has reached 12, 6 or 3 months before its expiry and was not reminded
at that threshold is: an e-mail to the holder and to each security officer in office of his organisation (Art. 17,
A17.1), once per threshold.
The server does both on its own with its periodic jobs; this runs one once.`

// runVetting runs one of the vetting service's periodic jobs once, through package vetting (the same rule, the
// same audit entry as the server's periodic job).
func runVetting(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "close-overdue" && args[0] != "remind-renewals" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(a.stderr, vettingUsage)
			return nil
		}
		return usagef("want 'cleared vetting close-overdue' or 'cleared vetting remind-renewals' (cleared vetting --help)")
	}
	fs := a.newFlags("vetting "+args[0], "[flags]")
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
	if args[0] == "remind-renewals" {
		n, err := sv.vet.RemindRenewals(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "%d clearance(s) reminded for renewal\n", n)
		return nil
	}
	n, err := sv.vet.CloseOverdue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d case(s) closed for non-cooperation\n", n)
	return nil
}
