package main

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/registry"
)

// caFile is the terminal CA's certificate in the data folder: a copy for browsers and operators to trust. The
// server itself reads the CA from the sealed key ring.
const caFile = "ca.crt"

// serverCertTTL is the life of the server certificate serve --tls issues itself at each start.
const serverCertTTL = 397 * 24 * time.Hour

// tlsOptions are serve's TLS flags.
type tlsOptions struct {
	on       bool
	cert     string
	key      string
	clientCA string
}

func tlsFlags(fs *flag.FlagSet) *tlsOptions {
	o := &tlsOptions{}
	fs.BoolVar(&o.on, "tls", false, "serve HTTPS; terminals prove where a request comes from with a client certificate (cleared terminal issue; A8.2, A9.3)")
	fs.StringVar(&o.cert, "tls-cert", "", "with --tls: the server's certificate chain (PEM file); default: one issued by the data folder's CA for the host of --addr, localhost, 127.0.0.1 and ::1")
	fs.StringVar(&o.key, "tls-key", "", "with --tls-cert: its private key (PEM file)")
	fs.StringVar(&o.clientCA, "tls-client-ca", "", "with --tls: more CA certificates (PEM file) to verify terminal certificates with, besides the data folder's CA (e.g. a previous CA); a certificate must still be one this server issued")
	return o
}

// config returns the server's TLS configuration, or nil without --tls, and the URL scheme to print. Terminal
// certificates are asked for but not required (tls.VerifyClientCertIfGiven): a request without one comes from
// the terminal its token is bound to, or from none, a public place (A9.3); one with a certificate not issued by
// our CA fails the handshake.
func (o *tlsOptions) config(svc *registry.Service, data, addr string, now time.Time) (*tls.Config, string, error) {
	if !o.on {
		if o.cert != "" || o.key != "" || o.clientCA != "" {
			return nil, "", usagef("--tls-cert, --tls-key and --tls-client-ca need --tls")
		}
		return nil, "http", nil
	}
	if (o.cert == "") != (o.key == "") {
		return nil, "", usagef("--tls-cert and --tls-key go together")
	}
	ca, err := svc.TerminalCA()
	if errors.Is(err, pki.ErrNoCA) {
		return nil, "", fmt.Errorf("%w: this data folder was made before terminals had certificates; run 'cleared terminal ca --data %s' once, then serve --tls again", err, data)
	}
	if err != nil {
		return nil, "", fmt.Errorf("terminal CA: %w", err)
	}
	pool := ca.Pool()
	if o.clientCA != "" {
		b, err := os.ReadFile(o.clientCA)
		if err != nil {
			return nil, "", fmt.Errorf("--tls-client-ca: %w", err)
		}
		if !pool.AppendCertsFromPEM(b) {
			return nil, "", fmt.Errorf("--tls-client-ca %s: no PEM certificate in it", o.clientCA)
		}
	}
	var cert tls.Certificate
	if o.cert != "" {
		cert, err = tls.LoadX509KeyPair(o.cert, o.key)
	} else {
		var certPEM, keyPEM []byte
		certPEM, keyPEM, err = ca.IssueServer(serverHosts(addr), now, serverCertTTL)
		if err == nil {
			cert, err = tls.X509KeyPair(append(certPEM, ca.CertPEM()...), keyPEM)
		}
	}
	if err != nil {
		return nil, "", fmt.Errorf("server certificate: %w", err)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.VerifyClientCertIfGiven,
		ClientCAs:    pool,
	}, "https", nil
}

// serverHosts are the names the default server certificate carries: the host of addr (and this machine's name
// when addr listens on every interface), localhost, 127.0.0.1 and ::1.
func serverHosts(addr string) []string {
	var hosts []string
	seen := map[string]bool{}
	add := func(h string) {
		if h != "" && !seen[h] {
			seen[h] = true
			hosts = append(hosts, h)
		}
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		if name, err := os.Hostname(); err == nil {
			add(name)
		}
	} else {
		add(host)
	}
	add("localhost")
	add("127.0.0.1")
	add("::1")
	return hosts
}

// serveOn serves srv on ln, over TLS if srv has a TLS configuration.
func serveOn(srv *http.Server, ln net.Listener) error {
	if srv.TLSConfig != nil {
		return srv.ServeTLS(ln, "", "")
	}
	return srv.Serve(ln)
}

// newTerminalCA creates the data folder's terminal CA, keeps it in ring (saved sealed by the caller, as the audit
// signing key is) and writes its certificate to ca.crt for browsers and operators to trust.
func newTerminalCA(ring *keyring.Ring, dir string, now time.Time) (*pki.CA, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	ca, err := pki.NewCA("cleared terminal CA "+hex.EncodeToString(b[:]), now)
	if err != nil {
		return nil, err
	}
	ca.Store(ring)
	if err := writeCACert(ca, filepath.Join(dir, caFile)); err != nil {
		return nil, err
	}
	return ca, nil
}

// writeCACert writes the CA's certificate to path, readable by all: it is public.
func writeCACert(ca *pki.CA, path string) error {
	if err := os.WriteFile(path, ca.CertPEM(), 0o644); err != nil {
		return fmt.Errorf("write the terminal CA's certificate: %w", err)
	}
	return nil
}

// caSummary describes a CA for the operator: its name, end and SHA-256 fingerprint (to compare with what a browser
// shows).
func caSummary(c *x509.Certificate) string {
	return fmt.Sprintf("%q, valid until %s, SHA-256 %s", c.Subject.CommonName, c.NotAfter.Format(time.DateOnly),
		hex.EncodeToString(pki.Fingerprint(c.Raw)))
}
