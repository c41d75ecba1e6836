package main

import (
	"context"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
)

// recordPartner registers a foreign service and records it as a NATO partner, through the services, as the API would.
func recordPartner(t *testing.T, dir string, officer cleared.PersonID) cleared.OrganisationID {
	t.Helper()
	ctx := context.Background()
	a := &app{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return pass[k] }}
	sv, err := (&storage{data: dir}).open(ctx, a, serviceConfig{log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.db.Close()
	me := cleared.Actor{Person: officer}
	org, err := sv.reg.RegisterOrganisation(ctx, me, registry.NewOrganisation{Name: "NATO Office of Security", Kind: cleared.ForeignPartner, Country: "BE"})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := sv.reg.RegisterChannel(ctx, me, registry.NewChannel{Name: "NATO link", MaxLevel: cleared.Secret, CryptoProduct: "TACLANE",
		From: time.Now().AddDate(-1, 0, 0), Until: time.Now().AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sv.share.RecordPartner(ctx, me, org.ID, sharing.NewPartner{Scheme: cleared.SchemeNATO, MaxLevel: cleared.Secret,
		Channels: []cleared.ChannelID{ch.ID}}); err != nil {
		t.Fatal(err)
	}
	return org.ID
}

func TestPartner_S1_issue_records_the_certificate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, initArgs(dir)...)
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	officer := cleared.PersonID(regexp.MustCompile(`per_[a-z2-7]{26}`).FindString(out))
	org := recordPartner(t, dir, officer)
	certDir := filepath.Join(t.TempDir(), "nato")

	t.Run("bad command lines", func(t *testing.T) {
		for _, args := range [][]string{
			{"partner", "issue", "--data", dir, "--by", string(officer), "--out", certDir},
			{"partner", "issue", "--data", dir, "--partner", string(org), "--out", certDir},
			{"partner", "issue", "--data", dir, "--partner", string(org), "--by", string(officer)},
			{"partner", "issue", "--data", dir, "--partner", string(org), "--by", string(officer), "--out", certDir, "--ttl", "0s"},
			{"partner", "list", "--data", dir},
			{"partner", "frobnicate"},
		} {
			if code, _, _ := run(t, pass, args...); code != 2 {
				t.Errorf("%v: exit %d, want 2", args, code)
			}
		}
		if code, _, errs := run(t, pass, "partner", "issue", "--data", dir, "--partner", "org_aaaaaaaaaaaaaaaaaaaaaaaaaa", "--by", string(officer), "--out", certDir); code != 1 || !strings.Contains(errs, "not found") {
			t.Errorf("unknown partner: exit %d: %s", code, errs)
		}
		if _, err := os.Stat(certDir); err == nil {
			t.Error("a refused issue wrote files")
		}
	})

	code, out, errs = run(t, pass, "partner", "issue", "--data", dir, "--partner", string(org), "--by", string(officer), "--out", certDir)
	if code != 0 {
		t.Fatalf("issue: exit %d: %s", code, errs)
	}
	for f, mode := range map[string]os.FileMode{"partner.crt": 0o644, "partner.key": 0o600, "ca.crt": 0o644} {
		fi, err := os.Stat(filepath.Join(certDir, f))
		if err != nil || fi.Mode().Perm() != mode {
			t.Fatalf("%s: %v, want mode %v", f, err, mode)
		}
	}
	certPEM, _ := os.ReadFile(filepath.Join(certDir, "partner.crt"))
	cert, err := pki.ParseCertificate(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	fp := hex.EncodeToString(pki.Fingerprint(cert.Raw))
	if !strings.Contains(out, fp) {
		t.Errorf("the fingerprint %s is not printed:\n%s", fp, out)
	}
	code, out, errs = run(t, pass, "partner", "list", "--data", dir, "--by", string(officer))
	if code != 0 || !strings.Contains(out, string(org)) || !strings.Contains(out, "1 certificate(s)") || !strings.Contains(out, "in force") {
		t.Fatalf("list: exit %d: %s %s", code, out, errs)
	}
	code, out, _ = run(t, pass, "partner", "list", "--data", dir, "--by", string(officer), "--json")
	if code != 0 || !strings.Contains(out, fp) {
		t.Fatalf("list --json does not hold the recorded fingerprint: %s", out)
	}
	if code, _, errs := run(t, pass, "partner", "issue", "--data", dir, "--partner", string(org), "--by", string(officer), "--out", certDir); code != 1 || !strings.Contains(errs, "already holds") {
		t.Fatalf("overwrite: exit %d: %s", code, errs)
	}
}
