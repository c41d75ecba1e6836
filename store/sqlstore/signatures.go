package sqlstore

import (
	"time"

	"github.com/cleared/cleared"
)

// signingCACodec seals the rows of signing_cas.
var signingCACodec = codec[cleared.SigningCA]{table: "signing_cas",
	key: func(c cleared.SigningCA) string { return c.Fingerprint },
	row: func(c cleared.SigningCA) ([]any, error) {
		return []any{c.Fingerprint, string(c.OrganisationID), c.Subject, c.DER, ns(c.Imported), string(c.ImportedBy)}, nil
	}}

const signingCAColumns = `fingerprint, organisation_id, subject, der, imported, imported_by, mac`

func scanSigningCA(s scanner) (cleared.SigningCA, error) {
	var c cleared.SigningCA
	err := s.Scan(&c.Fingerprint, &c.OrganisationID, &c.Subject, &c.DER, ts(&c.Imported), &c.ImportedBy)
	return c, err
}

// CreateSigningCA stores an organisation's imported CA; ErrConflict if its fingerprint exists, ErrInvalid if the
// organisation does not.
func (tx *Tx) CreateSigningCA(c cleared.SigningCA) error {
	err := checkTimes(c.Imported)
	var args []any
	if err == nil {
		args, err = sealRow(tx, signingCACodec, c)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO signing_cas (`+signingCAColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "import signing CA of %s", c.OrganisationID)
	}
	return nil
}

// SigningCAs lists the CAs imported for an organisation, oldest first; a row that fails its seal is left out.
func (tx *Tx) SigningCAs(org cleared.OrganisationID) ([]cleared.SigningCA, error) {
	cs, err := list(tx, checked(tx, signingCACodec, scanSigningCA), `
		SELECT `+signingCAColumns+` FROM signing_cas WHERE organisation_id = $1 ORDER BY imported, fingerprint`, org)
	if err != nil {
		return nil, tx.errorf(err, "list signing CAs of %s", org)
	}
	return cs, nil
}

// signingCertificateCodec seals the rows of signing_certificates: who a certificate is for and its revocation
// decide what a signature proves.
var signingCertificateCodec = codec[cleared.SigningCertificate]{table: "signing_certificates",
	key: func(c cleared.SigningCertificate) string { return c.Fingerprint },
	row: func(c cleared.SigningCertificate) ([]any, error) {
		return []any{c.Fingerprint, string(c.Person), string(c.OrganisationID), c.Issuer, c.Serial, ns(c.NotBefore),
			ns(c.NotAfter), c.DER, null(c.KEK), blob(c.SealedKey), ns(c.Issued), string(c.IssuedBy), ns(c.Revoked),
			null(c.RevokedBy)}, nil
	}}

const signingCertificateColumns = `fingerprint, person_id, organisation_id, issuer, serial, not_before, not_after, der,
	kek, sealed_key, issued, issued_by, revoked, revoked_by, mac`

func scanSigningCertificate(s scanner) (cleared.SigningCertificate, error) {
	var c cleared.SigningCertificate
	err := s.Scan(&c.Fingerprint, &c.Person, &c.OrganisationID, &c.Issuer, &c.Serial, ts(&c.NotBefore),
		ts(&c.NotAfter), &c.DER, opt(&c.KEK), &c.SealedKey, ts(&c.Issued), &c.IssuedBy, ts(&c.Revoked),
		opt(&c.RevokedBy))
	return c, err
}

// CreateSigningCertificate stores c; ErrConflict if its fingerprint, or its issuer and serial, exist; ErrInvalid
// if its person does not.
func (tx *Tx) CreateSigningCertificate(c cleared.SigningCertificate) error {
	err := checkTimes(c.NotBefore, c.NotAfter, c.Issued, c.Revoked)
	if err == nil && len(c.DER) == 0 {
		err = cleared.Invalidf("a signing certificate needs its DER")
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, signingCertificateCodec, c)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO signing_certificates (`+signingCertificateColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "record signing certificate of %s", c.Person)
	}
	return nil
}

// SigningCertificate returns a certificate by fingerprint; ErrNotFound if there is none.
func (tx *Tx) SigningCertificate(fingerprint string) (cleared.SigningCertificate, error) {
	c, err := get(tx, checked(tx, signingCertificateCodec, scanSigningCertificate), `
		SELECT `+signingCertificateColumns+` FROM signing_certificates WHERE fingerprint = $1`, fingerprint)
	if err != nil {
		return c, tx.notFound(err, "signing certificate", "with this fingerprint")
	}
	return c, nil
}

// PersonCertificates lists a person's signing certificates, oldest first; a row that fails its seal is left out.
func (tx *Tx) PersonCertificates(person cleared.PersonID) ([]cleared.SigningCertificate, error) {
	cs, err := list(tx, checked(tx, signingCertificateCodec, scanSigningCertificate), `
		SELECT `+signingCertificateColumns+` FROM signing_certificates WHERE person_id = $1 ORDER BY issued, fingerprint`,
		person)
	if err != nil {
		return nil, tx.errorf(err, "list signing certificates of %s", person)
	}
	return cs, nil
}

// RevokeSigningCertificate revokes a certificate at t, by whom; ErrNotFound if there is none, ErrConflict if it is
// revoked already.
func (tx *Tx) RevokeSigningCertificate(fingerprint string, at time.Time, by cleared.PersonID) error {
	if err := checkTimeSet("revocation", at); err != nil {
		return tx.errorf(err, "revoke signing certificate")
	}
	c, err := tx.SigningCertificate(fingerprint)
	if err != nil {
		return err
	}
	if !c.Revoked.IsZero() {
		return cleared.Conflictf("the signing certificate is revoked already")
	}
	c.Revoked, c.RevokedBy = at, by
	mac, err := macOf(tx, signingCertificateCodec, c)
	if err == nil {
		_, err = tx.exec(`UPDATE signing_certificates SET revoked = $2, revoked_by = $3, mac = $4 WHERE fingerprint = $1`,
			fingerprint, ns(at), null(by), mac)
	}
	if err != nil {
		return tx.errorf(err, "revoke signing certificate")
	}
	return nil
}
