package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A26.1: `cleared vetting close-overdue` runs the closing once over a data folder; nothing overdue closes nothing.
func TestVettingCloseOverdueCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(t, pass, initArgs(dir)...); code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	code, out, errs := run(t, pass, "vetting", "close-overdue", "--data", dir)
	if code != 0 || !strings.Contains(out, "0 case(s) closed for non-cooperation") {
		t.Fatalf("close-overdue: exit %d: %s %s", code, out, errs)
	}
	if code, _, _ := run(t, pass, "vetting", "open"); code != 2 {
		t.Errorf("an unknown verb: exit %d, want 2", code)
	}
}

// A17.1: `cleared vetting remind-renewals` runs the reminders once over a data folder; nothing due sends nothing.
func TestVettingRemindRenewalsCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(t, pass, initArgs(dir)...); code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	code, out, errs := run(t, pass, "vetting", "remind-renewals", "--data", dir)
	if code != 0 || !strings.Contains(out, "0 clearance(s) reminded for renewal") {
		t.Fatalf("remind-renewals: exit %d: %s %s", code, out, errs)
	}
}

// A23.2: `cleared purge` and `cleared purge --dry-run` run the retention purge once over a data folder; nothing
// due erases nothing, and the audit log still verifies.
func TestPurgeCommand_A23_2(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(t, pass, initArgs(dir)...); code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	code, out, errs := run(t, pass, "purge", "--dry-run", "--data", dir)
	if code != 0 || !strings.Contains(out, "0 case(s) due for erasure (dry run: nothing erased)") {
		t.Fatalf("purge --dry-run: exit %d: %s %s", code, out, errs)
	}
	code, out, errs = run(t, pass, "purge", "--data", dir)
	if code != 0 || !strings.Contains(out, "0 case(s) purged") {
		t.Fatalf("purge: exit %d: %s %s", code, out, errs)
	}
	if code, out, errs := run(t, pass, "audit", "verify", "--data", dir); code != 0 {
		t.Fatalf("audit verify: exit %d: %s %s", code, out, errs)
	}
	if code, _, _ := run(t, pass, "purge", "--now"); code != 2 {
		t.Errorf("an unknown flag: exit %d, want 2", code)
	}
}
