package main

import (
	"context"
	"fmt"

	"github.com/cleared/cleared/registry"
)

const incidentUsage = `Usage:
  cleared incident escalate [--after DURATION]
Every warning of a security incident not acknowledged within DURATION (default 1h) of being given escalates once:
the security officers of the organisation concerned and the NSA's officers not yet warned are warned in turn, in the
application, by e-mail and by webhook (A13.1). The server's dispatcher does this on its own; this runs it once.`

// runIncident escalates the warnings of incidents not acknowledged in time, through the registry (the same rule,
// the same audit entry as the server's dispatcher).
func runIncident(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "escalate" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(a.stderr, incidentUsage)
			return nil
		}
		return usagef("want 'cleared incident escalate' (cleared incident --help)")
	}
	fs := a.newFlags("incident escalate", "[flags]")
	var st storage
	st.flags(fs, "cleared-data")
	after := fs.Duration("after", registry.DefaultEscalation, "how long a warning waits for its acknowledgement before it escalates")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st.env(a)
	if *after <= 0 {
		return usagef("--after must be positive")
	}
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log, escalation: *after})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	n, err := sv.reg.EscalateIncidents(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d warning(s) escalated\n", n)
	return nil
}
