package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// RevokeTerminal decides whether person p, with clearances and security officer of officerOf at t, may revoke a
// terminal of organisation org (org is empty for a terminal in no place): the security officer who registers the
// organisation's terminals may end them (Art. 9 al. 2, A9.2), and so may a cleared NSA officer (A20.1), who
// must be able to cut off a compromised workstation of any organisation.
func RevokeTerminal(p cleared.Person, clearances []cleared.Clearance, officerOf []cleared.OrganisationID, org cleared.OrganisationID, t time.Time) Decision {
	if NSARegister(p, clearances, t).Allowed {
		return Allow
	}
	if org != "" && EstablishPlace(officerOf, org).Allowed {
		return Allow
	}
	return deny("A9.2", "only the security officer of the terminal's organisation or the National Security Authority revokes a terminal")
}

// TerminalCertificate decides whether a client certificate the server's CA issued still speaks for its terminal
// at t (A8.2, A9.3): it was recorded when issued (c is nil if not), it is neither revoked nor expired, and its
// terminal t is not revoked. A certificate refused here is no terminal: the request is not authenticated.
func TerminalCertificate(c *cleared.TerminalCertificate, term *cleared.Terminal, t time.Time) Decision {
	switch {
	case c == nil:
		return deny("A9.3", "the certificate is not one the server issued to a registered terminal")
	case !c.Revoked.IsZero() && !t.Before(c.Revoked):
		return deny("A9.3", "the certificate was revoked")
	case !t.Before(c.NotAfter):
		return deny("A9.3", "the certificate has expired")
	case term == nil || term.ID != c.Terminal:
		return deny("A9.3", "the certificate's terminal is not registered")
	case !term.Revoked.IsZero() && !t.Before(term.Revoked):
		return deny("A9.3", "the certificate's terminal was revoked")
	}
	return Allow
}
