// Package pki is the server's own certificate authority. It issues the client certificates by which a registered
// terminal proves, in the TLS handshake, that a request comes from it, and the server certificate that
// `cleared serve --tls` presents when no other is given.
//
// The terminal a request comes from decides what it may show: TRES SECRET content only on a terminal inside a
// security zone (Art. 8, A8.2), and no classified content at all on a request from no registered terminal, which
// counts as a public place (Art. 9 al. 3, A9.3). A bearer token can be bound to a terminal, but a token is a
// secret that travels; a client certificate's private key stays in the workstation's browser or key store, so it
// is the stronger proof of where a request comes from.
//
// # Keys and formats
//
// Every key is ECDSA on P-256, every signature ECDSA with SHA-256. The CA's certificate is PEM ("CERTIFICATE"),
// its private key PKCS#8 DER ([CA.KeyDER]); the key ring keeps both ([FromRing], [CA.Store]) and the data folder
// publishes the certificate as ca.crt, for browsers and operators to trust. An issued certificate comes with its
// private key as PEM ("PRIVATE KEY", PKCS#8).
//
// A terminal certificate names the terminal in its subject's CommonName ("trm_…"), is good for client
// authentication only (extended key usage clientAuth), and has a random 128-bit serial. The server finds it again
// by its fingerprint, the SHA-256 of its DER ([Fingerprint]): what decides is the record kept when it was issued
// (revoked or not, for which terminal), not the certificate's own fields.
package pki

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
)

// Names of the CA's parts in the key ring.
const (
	// RingKey is the secret holding the CA's private key (PKCS#8 DER).
	RingKey = "terminal-ca"
	// RingCert is the secret holding the CA's certificate (PEM), so the ring alone restores the CA: ca.crt in the
	// data folder is a copy for others to trust, not what the server reads.
	RingCert = "terminal-ca-cert"
)

// CALifetime is how long a new CA's certificate is valid. Certificates it issues end at the latest when it does.
const CALifetime = 10 * 366 * 24 * time.Hour

// skew is how far before its issue time a certificate starts to be valid, so a client whose clock is a little
// behind the server's accepts it.
const skew = 5 * time.Minute

// ErrNoCA is returned by [FromRing] when the key ring holds no CA: the data folder was made before terminals
// had certificates. `cleared terminal ca` creates one.
var ErrNoCA = errors.New("the key ring holds no terminal certificate authority")

// CA is a certificate authority: its certificate and private key. Its methods are safe for concurrent use.
type CA struct {
	cert    *x509.Certificate
	certPEM []byte
	key     *ecdsa.PrivateKey
}

// NewCA creates a certificate authority named name (its CommonName), valid from now for [CALifetime]. It may sign
// end-entity certificates only (path length zero).
func NewCA(name string, now time.Time) (*CA, error) {
	if name == "" || len(name) > 64 {
		return nil, cleared.Invalidf("a CA's name has 1 to 64 characters")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, _, err := newSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: name, Organization: []string{"cleared"}},
		NotBefore:             now.Add(-skew).UTC(),
		NotAfter:              now.Add(CALifetime).UTC(),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create CA certificate: %w", err)
	}
	return LoadCA(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), mustPKCS8(key))
}

func mustPKCS8(key *ecdsa.PrivateKey) []byte {
	b, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic("pki: PKCS#8 of a P-256 key: " + err.Error()) // cannot happen for a key of a supported curve
	}
	return b
}

// LoadCA reads a CA from its certificate (PEM, one "CERTIFICATE" block and nothing else) and its private key
// (PKCS#8 DER). It refuses, with an error of kind [cleared.ErrInvalid], anything but a CA certificate with an
// ECDSA P-256 key that matches the private key, so a certificate swapped in the data folder cannot pass for ours.
func LoadCA(certPEM, keyDER []byte) (*CA, error) {
	block, rest := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, cleared.Invalidf("CA certificate: want one PEM block of type CERTIFICATE")
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, cleared.Invalidf("CA certificate: data after the certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, cleared.Invalidf("CA certificate: %v", err)
	}
	if !cert.IsCA || !cert.BasicConstraintsValid || cert.KeyUsage&x509.KeyUsageCertSign == 0 {
		return nil, cleared.Invalidf("CA certificate: not a certificate authority's (basic constraints, key usage)")
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		return nil, cleared.Invalidf("CA certificate: want an ECDSA P-256 key")
	}
	k, err := x509.ParsePKCS8PrivateKey(keyDER)
	if err != nil {
		return nil, cleared.Invalidf("CA private key: %v", err)
	}
	key, ok := k.(*ecdsa.PrivateKey)
	if !ok || !key.PublicKey.Equal(pub) {
		return nil, cleared.Invalidf("CA private key: does not match the CA certificate")
	}
	return &CA{cert: cert, certPEM: pem.EncodeToMemory(block), key: key}, nil
}

// FromRing loads the CA kept in the key ring; [ErrNoCA] if the ring holds none.
func FromRing(r *keyring.Ring) (*CA, error) {
	keyDER, ok := r.Secret(RingKey)
	if !ok {
		return nil, ErrNoCA
	}
	defer clear(keyDER)
	certPEM, ok := r.Secret(RingCert)
	if !ok {
		return nil, fmt.Errorf("%w: the ring holds its key but not its certificate", ErrNoCA)
	}
	return LoadCA(certPEM, keyDER)
}

// Store puts the CA into the key ring, replacing any CA it held. Like every secret of the ring, it lives only in
// memory until the ring is saved.
func (c *CA) Store(r *keyring.Ring) {
	der := c.KeyDER()
	defer clear(der)
	r.SetSecret(RingKey, der)
	r.SetSecret(RingCert, c.certPEM)
}

// Certificate returns the CA's certificate.
func (c *CA) Certificate() *x509.Certificate { return c.cert }

// CertPEM returns the CA's certificate as PEM: what ca.crt holds.
func (c *CA) CertPEM() []byte { return bytes.Clone(c.certPEM) }

// KeyDER returns the CA's private key as PKCS#8 DER, to keep in the sealed key ring and nowhere else.
func (c *CA) KeyDER() []byte { return mustPKCS8(c.key) }

// Pool returns a pool holding the CA's certificate alone: the roots against which terminal certificates are
// verified (tls.Config.ClientCAs), or the server's certificate by a client.
func (c *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(c.cert)
	return p
}

// String describes the CA without its key.
func (c *CA) String() string {
	return fmt.Sprintf("pki.CA{%q, until %s}", c.cert.Subject.CommonName, c.cert.NotAfter.Format(time.DateOnly))
}

// IssueServer issues a certificate for a TLS server reachable as hosts (DNS names or IP addresses), valid from now
// for ttl, for server authentication only. It returns the certificate and its new private key, both PEM.
func (c *CA) IssueServer(hosts []string, now time.Time, ttl time.Duration) (certPEM, keyPEM []byte, err error) {
	defer cleared.Wrap(&err, "issue server certificate")
	if len(hosts) == 0 {
		return nil, nil, cleared.Invalidf("a server certificate names at least one host")
	}
	tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: hosts[0], Organization: []string{"cleared"}},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			continue
		}
		if h == "" || len(h) > 253 || strings.ContainsAny(h, " /:@\\") {
			return nil, nil, cleared.Invalidf("host %q: want a DNS name or an IP address", h)
		}
		tmpl.DNSNames = append(tmpl.DNSNames, h)
	}
	certPEM, keyPEM, _, _, err = c.issue(tmpl, now, ttl)
	return certPEM, keyPEM, err
}

// IssueTerminal issues the client certificate of terminal id, valid from now for ttl (cut at the CA's own end),
// for client authentication only. It returns the certificate and its new private key, both PEM, the serial in
// hexadecimal, and the certificate's fingerprint (SHA-256 of its DER), by which the server finds it again.
func (c *CA) IssueTerminal(id cleared.TerminalID, now time.Time, ttl time.Duration) (certPEM, keyPEM []byte, serial string, fingerprint []byte, err error) {
	defer cleared.Wrap(&err, "issue certificate of terminal %s", id)
	if err := id.Validate(); err != nil {
		return nil, nil, "", nil, err
	}
	tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: string(id), Organization: []string{"cleared terminal"}},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	return c.issue(tmpl, now, ttl)
}

// IssuePartner issues the client certificate of partner organisation org's systems (its TAXII client, its MISP's
// feed fetcher), as IssueTerminal does a terminal's: the NSA records its fingerprint in the partner's record, by
// which the server finds the partner again (S1).
func (c *CA) IssuePartner(org cleared.OrganisationID, now time.Time, ttl time.Duration) (certPEM, keyPEM []byte, serial string, fingerprint []byte, err error) {
	defer cleared.Wrap(&err, "issue certificate of partner %s", org)
	if err := org.Validate(); err != nil {
		return nil, nil, "", nil, err
	}
	tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: string(org), Organization: []string{"cleared partner"}},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	return c.issue(tmpl, now, ttl)
}

// issue completes tmpl with a fresh key, a random serial and the validity [now-skew, now+ttl], cut at the CA's
// end, and signs it.
func (c *CA) issue(tmpl *x509.Certificate, now time.Time, ttl time.Duration) (certPEM, keyPEM []byte, serial string, fingerprint []byte, err error) {
	if ttl <= 0 {
		return nil, nil, "", nil, cleared.Invalidf("a certificate lives more than zero")
	}
	if !now.Before(c.cert.NotAfter) || now.Before(c.cert.NotBefore) {
		return nil, nil, "", nil, cleared.Invalidf("the CA is not valid at %s (valid %s to %s)", now.Format(time.RFC3339),
			c.cert.NotBefore.Format(time.RFC3339), c.cert.NotAfter.Format(time.RFC3339))
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, "", nil, err
	}
	n, serial, err := newSerial()
	if err != nil {
		return nil, nil, "", nil, err
	}
	tmpl.SerialNumber = n
	tmpl.NotBefore = now.Add(-skew).UTC()
	tmpl.NotAfter = now.Add(ttl).UTC()
	if tmpl.NotAfter.After(c.cert.NotAfter) {
		tmpl.NotAfter = c.cert.NotAfter
	}
	tmpl.BasicConstraintsValid = true
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, &key.PublicKey, c.key)
	if err != nil {
		return nil, nil, "", nil, err
	}
	keyDER := mustPKCS8(key)
	defer clear(keyDER)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
		serial, Fingerprint(der), nil
}

// newSerial returns a random positive 128-bit serial number and its hexadecimal form (32 digits).
func newSerial() (*big.Int, string, error) {
	var b [16]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			return nil, "", err
		}
		if n := new(big.Int).SetBytes(b[:]); n.Sign() > 0 {
			return n, hex.EncodeToString(b[:]), nil
		}
	}
}

// Fingerprint returns the SHA-256 of a certificate's DER: the key under which the server keeps it.
func Fingerprint(der []byte) []byte {
	sum := sha256.Sum256(der)
	return sum[:]
}

// ParseCertificate reads one PEM "CERTIFICATE" block, as IssueTerminal and IssueServer write it.
func ParseCertificate(certPEM []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, cleared.Invalidf("want a PEM block of type CERTIFICATE")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, cleared.Invalidf("certificate: %v", err)
	}
	return cert, nil
}
