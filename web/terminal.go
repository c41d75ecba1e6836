package web

import (
	"crypto/sha256"
	"net/http"

	"github.com/cleared/cleared"
)

// requestTerminal returns the registered terminal a request comes from (A8.2, A9.3). A client certificate the TLS
// handshake verified against the server's CA names it: the service looks the certificate up by its fingerprint,
// and an unknown, revoked or expired one is cleared.ErrUnauthenticated (the service logs that refusal). bound is
// the terminal the request's credentials are bound to (an API token's), "" for none: a certificate naming
// another terminal is cleared.ErrUnauthenticated too, since a token bound to a workstation must not be used from
// another. Without a certificate the request comes from bound; "" is no registered terminal, a public place.
func (s *server) requestTerminal(r *http.Request, bound cleared.TerminalID) (cleared.TerminalID, error) {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return bound, nil
	}
	// Only a chain the handshake verified counts: a configuration that asks for certificates without verifying
	// them (tls.RequestClientCert) must not let any certificate through.
	if len(r.TLS.VerifiedChains) == 0 || len(r.TLS.VerifiedChains[0]) == 0 {
		return "", cleared.ErrUnauthenticated
	}
	sum := sha256.Sum256(r.TLS.VerifiedChains[0][0].Raw)
	t, err := s.auth.TerminalByCertificate(r.Context(), sum[:])
	if err != nil {
		return "", err
	}
	if bound != "" && bound != t {
		s.log.WarnContext(r.Context(), "credentials bound to one terminal presented from another", "bound", bound, "certificate", t)
		return "", cleared.ErrUnauthenticated
	}
	return t, nil
}
