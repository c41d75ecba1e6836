package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Signatures holds what electronic signatures are judged by (E2): the organisations' imported certificate
// authorities and the persons' signing certificates, with their revocation. Certificates are keyed by the SHA-256
// of their DER, in lower-case hexadecimal.
type Signatures interface {
	// CreateSigningCA stores an organisation's imported CA; ErrConflict if its fingerprint exists, ErrInvalid if
	// the organisation does not.
	CreateSigningCA(c cleared.SigningCA) error
	// SigningCAs lists the CAs imported for an organisation, oldest first.
	SigningCAs(org cleared.OrganisationID) ([]cleared.SigningCA, error)
	// CreateSigningCertificate stores c; ErrConflict if its fingerprint (or its issuer and serial) exists,
	// ErrInvalid if its person does not.
	CreateSigningCertificate(c cleared.SigningCertificate) error
	// SigningCertificate returns a certificate by fingerprint; ErrNotFound if there is none.
	SigningCertificate(fingerprint string) (cleared.SigningCertificate, error)
	// PersonCertificates lists a person's certificates, oldest first.
	PersonCertificates(person cleared.PersonID) ([]cleared.SigningCertificate, error)
	// RevokeSigningCertificate revokes a certificate at t, by whom; ErrNotFound if there is none, ErrConflict if it
	// is revoked already.
	RevokeSigningCertificate(fingerprint string, at time.Time, by cleared.PersonID) error
}
