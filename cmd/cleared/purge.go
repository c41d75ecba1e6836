package main

import (
	"context"
	"fmt"
	"time"
)

// runPurge runs the retention purge once (Art. 23 al. 2, A23.2), through package vetting: the same rule, the same
// audit entries as the server's daily job. With --dry-run it lists what would be erased and writes nothing.
func runPurge(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("purge", "[--dry-run] [flags]")
	dry := fs.Bool("dry-run", false, "list the cases whose data is due for erasure, erase nothing, write nothing")
	var st storage
	st.flags(fs, "cleared-data")
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	rep, err := sv.vet.Purge(ctx, *dry)
	if err != nil {
		return err
	}
	for _, c := range rep.Cases {
		fmt.Fprintf(a.stdout, "%s\t%s\tdue %s\n", c.ID, c.Stage, c.Due.Format(time.DateOnly))
	}
	if rep.DryRun {
		fmt.Fprintf(a.stdout, "%d case(s) due for erasure (dry run: nothing erased)\n", len(rep.Cases))
		return nil
	}
	fmt.Fprintf(a.stdout, "%d case(s) purged\n", len(rep.Cases))
	return nil
}

// daily runs job at most once a day: the server's periodic jobs run every few minutes, the purge's scan reads every
// closed case.
func daily(job func(ctx context.Context) error) func(ctx context.Context) error {
	var last time.Time
	return func(ctx context.Context) error {
		if !last.IsZero() && time.Since(last) < 24*time.Hour {
			return nil
		}
		if err := job(ctx); err != nil {
			return err
		}
		last = time.Now()
		return nil
	}
}
