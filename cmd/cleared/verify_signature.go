package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/cleared/cleared/keyring/sign"
)

// runVerifySignature is `cleared verify-signature --ca ca.pem --content doc sig.der`: it verifies, offline, a
// detached CMS signature cleared made (a destruction report's, E2) as `openssl cms -verify` would: over exactly
// the content's bytes, by one signer whose certificate chains to the CA given, at the signing time the signature
// carries (or --at). It knows no revocation: the destruction record (GET /api/destructions/{id}) tells whether
// cleared still holds each signature valid.
func runVerifySignature(_ context.Context, a *app, args []string) error {
	fs := a.newFlags("verify-signature", "--ca ca.pem --content FILE SIGNATURE.der")
	caFile := fs.String("ca", "", "the signing CA's certificate, PEM (GET /api/ca); repeatable by concatenation")
	content := fs.String("content", "", "the signed document, its exact bytes (GET /api/destructions/{id}/document)")
	at := fs.String("at", "", "verify the certificate chain at this time (RFC 3339) instead of the signing time")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%v", err)
	}
	if fs.NArg() != 1 || *caFile == "" || *content == "" {
		return usagef("want --ca ca.pem --content FILE and one signature file, e.g. cleared verify-signature --ca ca.pem --content report.txt sig.der")
	}
	caPEM, err := os.ReadFile(*caFile)
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		return fmt.Errorf("%s holds no PEM certificate", *caFile)
	}
	doc, err := os.ReadFile(*content)
	if err != nil {
		return err
	}
	sig, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	if b, _ := pem.Decode(sig); b != nil {
		sig = b.Bytes
	}
	when := time.Time{}
	if *at != "" {
		if when, err = time.Parse(time.RFC3339, *at); err != nil {
			return usagef("--at %q: want an RFC 3339 time, e.g. 2026-11-23T10:00:00Z", *at)
		}
	}
	signed, err := sign.Verify(sig, doc, roots, when)
	if err != nil {
		fmt.Fprintf(a.stdout, "FAIL: %v\n", err)
		return errSilent
	}
	c := signed.Certificate
	fmt.Fprintf(a.stdout, "OK: signed by %s (%s) on %s with certificate %s issued by %s\n", c.Subject.CommonName,
		c.Subject.SerialNumber, signed.Time.Format(time.RFC3339), sign.Fingerprint(c.Raw), c.Issuer.CommonName)
	return nil
}
