package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/keyring/sign"
	"github.com/cleared/cleared/registry"
)

// E2, A10.2: `cleared verify-signature` verifies each signature of a destruction report offline, with the CA's
// certificate alone, and refuses one over another document.
func TestVerifySignature_E2(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	tom, luc := e.As("tom"), e.As("luc")
	d, err := e.Reg.Destroy(e.Ctx, tom, e.World.Secret.ID, registry.NewDestruction{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Reg.Countersign(e.Ctx, luc, d.ID, registry.Countersignature{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	caPEM, err := e.Reg.SigningCA()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := e.Reg.DestructionDocument(e.Ctx, luc, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	ca, content, other := write("ca.pem", caPEM), write("report.txt", doc), write("other.txt", append(doc, 'x'))
	for n, who := range map[int]string{1: "Tom", 2: "Luc"} {
		cms, err := e.Reg.DestructionSignature(e.Ctx, luc, d.ID, n)
		if err != nil {
			t.Fatal(err)
		}
		sig := write("sig.der", cms)
		code, out, errs := run(t, nil, "verify-signature", "--ca", ca, "--content", content, sig)
		if code != 0 || !strings.HasPrefix(out, "OK: signed by ") || !strings.Contains(out, who) {
			t.Errorf("signature %d: exit %d: %s %s", n, code, out, errs)
		}
		code, out, _ = run(t, nil, "verify-signature", "--ca", ca, "--content", other, sig)
		if code != 1 || !strings.HasPrefix(out, "FAIL: ") {
			t.Errorf("signature %d over another document: exit %d: %s", n, code, out)
		}
	}
	if code, _, errs := run(t, nil, "verify-signature", "--ca", ca, filepath.Join(dir, "sig.der")); code != 2 || !strings.Contains(errs, "--content") {
		t.Errorf("without --content: exit %d: %s", code, errs)
	}
}

// E2: init makes the signing CA in the sealed key ring and publishes its certificate in the data folder.
func TestInit_makes_the_signing_CA(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(t, pass, initArgs(dir)...); code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	ring, err := keyring.Load(filepath.Join(dir, keyringFile), []byte(pass[passEnv]))
	if err != nil {
		t.Fatal(err)
	}
	ca, err := sign.FromRing(ring)
	if err != nil {
		t.Fatalf("the key ring holds no signing CA: %v", err)
	}
	file, err := os.ReadFile(filepath.Join(dir, signingCAFile))
	if err != nil || string(file) != string(ca.CertPEM()) {
		t.Errorf("%s: %v; want the CA's certificate", signingCAFile, err)
	}
}
