package web

import (
	"crypto/sha256"
	"net/http"

	"github.com/cleared/cleared"
)

// requestPartner returns the partner whose system sends the request (S1): the TAXII server, the MISP feed and the
// live feed serve partners' machines, which authenticate by a client certificate, never by a person's token. The
// certificate must chain to the server's client CA (the handshake verified it: the NSA issues partners'
// certificates as it does terminals') and its fingerprint must be one the partner's record lists; the service
// refuses, and records, an unknown certificate or a partner suspended or out of its agreement. No certificate,
// or one the handshake did not verify, is cleared.ErrUnauthenticated.
func (s *server) requestPartner(r *http.Request) (cleared.Partner, error) {
	if s.share == nil {
		return cleared.Partner{}, cleared.Unavailablef("sharing with partners is not configured on this server")
	}
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 || len(r.TLS.VerifiedChains[0]) == 0 {
		return cleared.Partner{}, cleared.ErrUnauthenticated
	}
	sum := sha256.Sum256(r.TLS.VerifiedChains[0][0].Raw)
	return s.share.PartnerByCertificate(r.Context(), sum[:])
}
