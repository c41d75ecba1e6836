package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A13.1: `cleared incident escalate` runs the escalation once over a data folder; nothing due escalates nothing.
func TestIncidentEscalateCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(t, pass, initArgs(dir)...); code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	code, out, errs := run(t, pass, "incident", "escalate", "--data", dir, "--after", "30m")
	if code != 0 || !strings.Contains(out, "0 warning(s) escalated") {
		t.Fatalf("escalate: exit %d: %s %s", code, out, errs)
	}
	if code, _, _ := run(t, pass, "incident", "escalate", "--data", dir, "--after", "0s"); code != 2 {
		t.Errorf("a delay of zero: exit %d, want 2", code)
	}
	if code, _, _ := run(t, pass, "incident", "close"); code != 2 {
		t.Errorf("an unknown verb: exit %d, want 2", code)
	}
}
