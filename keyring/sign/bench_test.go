package sign_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring/sign"
)

// benchReport is a destruction report as registry.ReportDocument writes it: the input of every figure of
// docs/benchmarks.md's section on signatures.
var benchReport = []byte(`cleared destruction report v1
Procès-verbal de destruction (loi du 15 juin 2004, art. 10)
destruction: dst_3v5ywqk2ozd6n4xw7l5qkq2zqa
piece: pce_soetgrui3gzre6aqas3i7exjea
title: Note diplomatique : négociations bilatérales
marking: SECRET LUX
kind: electronic
organisation: org_yww4z7ecddmdmz2nmtkyjugxgi (Ministère des Affaires étrangères et européennes)
destroyed-by: per_ecc2dt2xbu4ikd4al3d5jbm4ae (Tom Hoffmann)
destroyed-at: 2026-11-23T10:01:00Z
method: data key erased (crypto-shredding): the content is unrecoverable
countersignature: the security officer of the organisation (A10.2)
`)

type benchSigner struct {
	pool *x509.CertPool
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	sig  []byte
}

// BenchmarkSignReport signs a destruction report: what a destroyer's or an officer's signature costs the server
// (E2). Compare with `openssl cms -sign` on the same report, key and certificate (docs/benchmarks.md).
func BenchmarkSignReport(b *testing.B) {
	s := benchInputs(b)
	b.SetBytes(int64(len(benchReport)))
	for b.Loop() {
		if _, err := sign.Sign(benchReport, s.cert, s.key); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyReport verifies a signature of a destruction report against the CA, as each GET of a
// destruction does for every signature.
func BenchmarkVerifyReport(b *testing.B) {
	s := benchInputs(b)
	b.SetBytes(int64(len(benchReport)))
	for b.Loop() {
		if _, err := sign.Verify(s.sig, benchReport, s.pool, s.cert.NotBefore.Add(1)); err != nil {
			b.Fatal(err)
		}
	}
}

// benchInputs makes a CA, a signer and a signature of benchReport, and, when CLEARED_SIGN_BENCH_DIR names a folder,
// writes them there for openssl to use the same input: ca.pem, signer.pem, signer.key, report.txt, sig.der.
func benchInputs(b *testing.B) benchSigner {
	b.Helper()
	ca, err := sign.NewCA("bench signing CA", now)
	if err != nil {
		b.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.Certificate())
	der, key, err := ca.Issue(sign.Holder{Person: cleared.NewPersonID(), Name: "Tom Hoffmann", Organisation: cleared.NewOrganisationID()}, now, sign.PersonLifetime)
	if err != nil {
		b.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	sig, err := sign.Sign(benchReport, cert, key)
	if err != nil {
		b.Fatal(err)
	}
	if dir := os.Getenv("CLEARED_SIGN_BENCH_DIR"); dir != "" {
		pk, _ := x509.MarshalPKCS8PrivateKey(key)
		for name, data := range map[string][]byte{
			"ca.pem": ca.CertPEM(), "signer.pem": sign.EncodePEM(der), "report.txt": benchReport, "sig.der": sig,
			"signer.key": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}),
		} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
				b.Fatal(err)
			}
		}
	}
	return benchSigner{pool: pool, cert: cert, key: key, sig: sig}
}

// BenchmarkRawECDSAP256 is the anchor within the same run: one ECDSA P-256 signature and one verification of a
// SHA-256 digest with crypto/ecdsa, what a CMS signature cannot go below.
func BenchmarkRawECDSAP256(b *testing.B) {
	s := benchInputs(b)
	digest := sha256.Sum256(benchReport)
	b.Run("sign", func(b *testing.B) {
		for b.Loop() {
			if _, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
	sig, _ := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if !ecdsa.VerifyASN1(&s.key.PublicKey, digest[:], sig) {
				b.Fatal("does not verify")
			}
		}
	})
}
