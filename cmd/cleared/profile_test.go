package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// cleared profile add / list and cleared law add, as the NSA scripts them (A1.1, A17.1).
func TestProfileAndLawCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, initArgs(dir)...)
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	officer := regexp.MustCompile(`per_[a-z2-7]{26}`).FindString(out)
	write := func(name, body string) string {
		f := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	ministry := write("mindef.json", `{"name": "MinDef", "version": 1, "scope": {"origins": ["NATO"]},
		"rules": [{"kind": "destruction_report", "from": "CONFIDENTIAL"}]}`)
	relaxing := write("relax.json", `{"name": "Lax", "version": 1, "scope": {"origins": ["EU"]},
		"rules": [{"kind": "destruction_report", "from": "TOP_SECRET"}]}`)
	unknownField := write("bad.json", `{"name": "X", "version": 1, "scope": {"origins": ["EU"]}, "rules": [], "extra": 1}`)
	tomorrow := time.Now().UTC().Add(24 * time.Hour).Format(time.RFC3339)
	reform := write("law.json", `{"valid_from": "`+tomorrow+`", "note": "Projet de loi 8651",
		"clearance_validity_years": {"TOP_SECRET": 4, "SECRET": 10, "CONFIDENTIAL": 10, "RESTRICTED": 10},
		"levels": {"TOP_SECRET": {"name": "TRES SECRET", "marking": "TRES SECRET LUX"}, "SECRET": {"name": "SECRET", "marking": "SECRET LUX"},
		"CONFIDENTIAL": {"name": "CONFIDENTIEL", "marking": "CONFIDENTIEL LUX"}, "RESTRICTED": {"name": "RESTREINT", "marking": "RESTREINT LUX"}}}`)

	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // in stdout, or stderr when the command fails
	}{
		{"A1.1 a ministry's profile is recorded", []string{"profile", "add", ministry, "--data", dir, "--as", officer}, 0, "Profile MinDef version 1 recorded"},
		{"A1.1 a profile that relaxes A10.2 is refused", []string{"profile", "add", relaxing, "--data", dir, "--as", officer}, 1, "refused by A1.1"},
		{"A1.1 an unknown field is refused", []string{"profile", "add", unknownField, "--data", dir, "--as", officer}, 1, "unknown field"},
		{"A1.1 the same version again is refused", []string{"profile", "add", ministry, "--data", dir, "--as", officer}, 1, "the next version is 2"},
		{"A1.1 the list shows the shipped profiles and the ministry's", []string{"profile", "list", "--data", dir, "--as", officer}, 0, "EU\tversion 1"},
		{"A17.1 a reform is recorded with its date", []string{"law", "add", reform, "--data", dir, "--as", officer}, 0, "Law parameters version 2 recorded"},
		{"the officer is required", []string{"profile", "add", ministry, "--data", dir}, 2, "--as PERSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run(t, pass, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s %s", code, tc.code, out, errs)
			}
			if got := out + errs; !strings.Contains(got, tc.out) {
				t.Fatalf("output %q does not say %q", got, tc.out)
			}
		})
	}
	_, out, _ = run(t, pass, "profile", "list", "--data", dir, "--as", officer)
	for _, name := range []string{"EU", "MinDef", "NATO"} {
		if !strings.Contains(out, name+"\t") {
			t.Errorf("the list does not show %s:\n%s", name, out)
		}
	}
	if strings.Contains(out, "Lax") {
		t.Errorf("the refused profile is listed:\n%s", out)
	}
}
