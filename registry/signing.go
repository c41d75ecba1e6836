package registry

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring/sign"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Signatures (E2). The model, written out in docs/signing.md: a person signs through cleared, which holds his
// private key sealed by the key ring, once he is signed in (password and second factor, or a token bound to him);
// the signer is always the authenticated actor, never a person named in the request. A person whose organisation
// runs its own PKI may instead sign outside cleared with a certificate of that PKI registered to him, and hand the
// signature in (Countersign's Signature); cleared then verifies it as any verifier would. Either way a certificate
// revoked or expired at the time of signing does not sign, and a signature by anyone but the actor, or over other
// bytes than the document, is refused.

// signingCA returns cleared's signing CA from the key ring, made there at first use. The server makes it at start
// and saves the ring (cmd/cleared), so that the CA outlives the process; a ring that lacks one here (tests) gets
// one in memory.
func (s *Service) signingCA(now time.Time) (*sign.CA, error) {
	ca, _, err := sign.Ensure(s.ring, now)
	if err != nil {
		return nil, cleared.Unavailablef("the signing CA is not available: %v", err)
	}
	return ca, nil
}

// SigningCA returns the certificate of cleared's signing CA, PEM: what verifies every signature cleared makes
// (GET /api/ca). It is public.
func (s *Service) SigningCA() ([]byte, error) {
	ca, err := s.signingCA(s.clock())
	if err != nil {
		return nil, err
	}
	return ca.CertPEM(), nil
}

// roots returns the certificates a signature by a person of org may chain to: cleared's CA and the CAs imported
// for org.
func (s *Service) roots(tx store.Signatures, org cleared.OrganisationID, now time.Time) (*x509.CertPool, error) {
	ca, err := s.signingCA(now)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.Certificate())
	cas, err := tx.SigningCAs(org)
	if err != nil {
		return nil, err
	}
	for _, c := range cas {
		cert, err := x509.ParseCertificate(c.DER)
		if err != nil {
			return nil, cleared.Unavailablef("imported CA %s: %v", c.Fingerprint, err)
		}
		pool.AddCert(cert)
	}
	return pool, nil
}

// signAs signs doc as person p with the certificate cleared holds for him: the newest he holds a key of. One who
// has none is issued one at first use, as the CA is; one whose certificates are all revoked or expired is refused
// (E2): a revoked certificate cannot be replaced by merely signing again, the security officer issues a new one.
func (s *Service) signAs(tx store.Tx, x *act.Act, p cleared.Person, doc []byte) (cleared.SigningCertificate, []byte, error) {
	certs, err := tx.PersonCertificates(p.ID)
	if err != nil {
		return cleared.SigningCertificate{}, nil, err
	}
	c, issue, d := policy.ChooseCertificate(certs, p.ID, x.Now)
	if !d.Allowed {
		return c, nil, x.Deny(c.Fingerprint, d)
	}
	if issue {
		if c, err = s.issue(tx, p, p.ID, x.Now); err != nil {
			return c, nil, err
		}
	}
	cert, err := x509.ParseCertificate(c.DER)
	if err != nil {
		return c, nil, cleared.Unavailablef("signing certificate: %v", err)
	}
	key, err := sign.OpenKey(s.ring, c.Fingerprint, c.KEK, c.SealedKey)
	if err != nil {
		return c, nil, cleared.Unavailablef("the signing key cannot be opened: %v", err)
	}
	cms, err := sign.Sign(doc, cert, key)
	if err != nil {
		return c, nil, cleared.Unavailablef("sign: %v", err)
	}
	return c, cms, nil
}

// acceptSignature checks a signature p made outside cleared over doc (E2): it verifies over exactly doc, with a
// certificate chaining to cleared's CA or to one imported for p's organisation, registered to p, valid and not
// revoked now. Any other is refused by E2.
func (s *Service) acceptSignature(tx store.Tx, x *act.Act, p cleared.Person, doc, cms []byte) (cleared.SigningCertificate, error) {
	roots, err := s.roots(tx, p.OrganisationID, x.Now)
	if err != nil {
		return cleared.SigningCertificate{}, err
	}
	signed, err := sign.Verify(cms, doc, roots, x.Now)
	if err != nil {
		why := strings.TrimPrefix(err.Error(), sign.ErrBadSignature.Error()+": ")
		return cleared.SigningCertificate{}, x.Deny("", policy.HandedSignature(false, why, false))
	}
	c, err := tx.SigningCertificate(sign.Fingerprint(signed.Certificate.Raw))
	if errors.Is(err, cleared.ErrNotFound) {
		return c, x.Deny("", policy.HandedSignature(true, "", false))
	}
	if err != nil {
		return c, err
	}
	if d := policy.SignWith(c, p.ID, x.Now); !d.Allowed {
		return c, x.Deny(c.Fingerprint, d)
	}
	return c, nil
}

// issue issues a signing certificate to p from cleared's CA and records it, its key sealed by the key ring.
func (s *Service) issue(tx store.Signatures, p cleared.Person, by cleared.PersonID, now time.Time) (cleared.SigningCertificate, error) {
	ca, err := s.signingCA(now)
	if err != nil {
		return cleared.SigningCertificate{}, err
	}
	der, key, err := ca.Issue(sign.Holder{Person: p.ID, Name: p.Name, Organisation: p.OrganisationID}, now, sign.PersonLifetime)
	if err != nil {
		return cleared.SigningCertificate{}, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return cleared.SigningCertificate{}, err
	}
	fp := sign.Fingerprint(der)
	kek, sealed, err := sign.SealKey(s.ring, fp, key)
	if err != nil {
		return cleared.SigningCertificate{}, err
	}
	c := cleared.SigningCertificate{Fingerprint: fp, Person: p.ID, OrganisationID: p.OrganisationID,
		Issuer: cleared.IssuerCleared, Serial: cert.SerialNumber.Text(16), NotBefore: cert.NotBefore.UTC(),
		NotAfter: cert.NotAfter.UTC(), DER: der, KEK: kek, SealedKey: sealed, Issued: now, IssuedBy: by}
	return c, tx.CreateSigningCertificate(c)
}

// certificateManager loads the actor and the holder and decides whether the actor manages the holder's signing
// certificates (E2).
func certificateManager(tx store.Tx, x *act.Act, holder cleared.PersonID, revoke bool) (cleared.Person, error) {
	me, err := facts.ActorPerson(tx, x.Actor)
	if err != nil {
		return me, err
	}
	h, err := tx.Person(holder)
	if errors.Is(err, cleared.ErrNotFound) {
		return h, cleared.NotFoundf("person %s not found", holder)
	}
	if err != nil {
		return h, err
	}
	cs, err := tx.PersonClearances(me.ID)
	if err != nil {
		return h, err
	}
	officerOf, err := facts.OfficerOf(tx, me.ID, x.Now)
	if err != nil {
		return h, err
	}
	nsa := policy.NSARegister(me, cs, x.Now).Allowed
	if d := policy.ManageCertificate(me.ID, nsa, officerOf, h, revoke); !d.Allowed {
		return h, x.Deny(string(holder), d)
	}
	return h, nil
}

// IssueCertificate issues a new signing certificate to person from cleared's CA, its key kept sealed by the key
// ring (E2): by an NSA officer or the security officer of the person's organisation, typically after a revocation.
func (s *Service) IssueCertificate(ctx context.Context, a cleared.Actor, person cleared.PersonID) (c cleared.SigningCertificate, err error) {
	defer cleared.Wrap(&err, "issue signing certificate")
	if err := person.Validate(); err != nil {
		return c, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.SigningCertificateIssue, now, func(tx store.Tx, x *act.Act) error {
		h, err := certificateManager(tx, x, person, false)
		if err != nil {
			return err
		}
		if c, err = s.issue(tx, h, x.Actor.Person, now); err != nil {
			return err
		}
		x.Object, x.Payload = c.Fingerprint, c
		return nil
	})
	return c, err
}

// ImportCertificate registers a certificate the organisation's PKI issued to person (PEM), so that he signs with
// it outside cleared (E2). It must chain to a CA imported for his organisation (ImportCA) and name him in its
// subject's serialNumber, as cleared's own certificates do.
func (s *Service) ImportCertificate(ctx context.Context, a cleared.Actor, person cleared.PersonID, certPEM []byte) (c cleared.SigningCertificate, err error) {
	defer cleared.Wrap(&err, "import signing certificate")
	if err := person.Validate(); err != nil {
		return c, err
	}
	cert, err := sign.ParseCertificatePEM(certPEM)
	if err != nil {
		return c, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.SigningCertificateImport, now, func(tx store.Tx, x *act.Act) error {
		h, err := certificateManager(tx, x, person, false)
		if err != nil {
			return err
		}
		if sign.PersonOf(cert) != h.ID {
			return cleared.Invalidf("the certificate's subject names %q in its serialNumber, not %s", cert.Subject.SerialNumber, h.ID)
		}
		cas, err := tx.SigningCAs(h.OrganisationID)
		if err != nil {
			return err
		}
		var issuer string
		for _, ca := range cas {
			parent, err := x509.ParseCertificate(ca.DER)
			if err == nil && bytes.Equal(cert.RawIssuer, parent.RawSubject) && cert.CheckSignatureFrom(parent) == nil {
				issuer = ca.Fingerprint
			}
		}
		if issuer == "" {
			return cleared.Invalidf("the certificate was not issued by a CA imported for the person's organisation")
		}
		c = cleared.SigningCertificate{Fingerprint: sign.Fingerprint(cert.Raw), Person: h.ID, OrganisationID: h.OrganisationID,
			Issuer: issuer, Serial: cert.SerialNumber.Text(16), NotBefore: cert.NotBefore.UTC(), NotAfter: cert.NotAfter.UTC(),
			DER: cert.Raw, Issued: now, IssuedBy: x.Actor.Person}
		x.Object, x.Payload = c.Fingerprint, c
		return tx.CreateSigningCertificate(c)
	})
	return c, err
}

// RevokeCertificate revokes a signing certificate from now (E2): by an NSA officer, the security officer of its
// holder's organisation, or its holder. It signs nothing more; what it signed before stays valid, and a signature
// that claims a later time is refused.
func (s *Service) RevokeCertificate(ctx context.Context, a cleared.Actor, fingerprint string) (c cleared.SigningCertificate, err error) {
	defer cleared.Wrap(&err, "revoke signing certificate")
	if len(fingerprint) != 64 || strings.Trim(fingerprint, "0123456789abcdef") != "" {
		return c, cleared.Invalidf("a certificate fingerprint is 64 lower-case hexadecimal digits (SHA-256 of its DER)")
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.SigningCertificateRevoke, now, func(tx store.Tx, x *act.Act) error {
		if c, err = tx.SigningCertificate(fingerprint); err != nil {
			return err
		}
		if _, err := certificateManager(tx, x, c.Person, true); err != nil {
			return err
		}
		if !c.Revoked.IsZero() {
			return cleared.Conflictf("the certificate was revoked on %s already", c.Revoked.Format(time.RFC3339))
		}
		c.Revoked, c.RevokedBy = now, x.Actor.Person
		x.Object, x.Payload = fingerprint, map[string]any{"person": c.Person, "revoked": now}
		return tx.RevokeSigningCertificate(fingerprint, now, x.Actor.Person)
	})
	return c, err
}

// PersonCertificates lists a person's signing certificates, to whoever manages them (E2) and to the person.
func (s *Service) PersonCertificates(ctx context.Context, a cleared.Actor, person cleared.PersonID) (cs []cleared.SigningCertificate, err error) {
	defer cleared.Wrap(&err, "signing certificates")
	if err := person.Validate(); err != nil {
		return nil, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.SigningCertificateList, now, func(tx store.Tx, x *act.Act) error {
		if a.Person != person {
			if _, err := certificateManager(tx, x, person, false); err != nil {
				return err
			}
		}
		x.Object = string(person)
		cs, err = tx.PersonCertificates(person)
		return err
	})
	return cs, err
}

// ImportCA imports an organisation's own certificate authority (PEM), whose certificates then sign for the
// organisation's persons once each is imported (ImportCertificate): by an NSA officer only (A20.1), as the
// registers are.
func (s *Service) ImportCA(ctx context.Context, a cleared.Actor, org cleared.OrganisationID, certPEM []byte) (c cleared.SigningCA, err error) {
	defer cleared.Wrap(&err, "import signing CA")
	if err := org.Validate(); err != nil {
		return c, err
	}
	cert, err := sign.ParseCertificatePEM(certPEM)
	if err != nil {
		return c, err
	}
	if err := sign.CheckCA(cert); err != nil {
		return c, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.SigningCAImport, now, func(tx store.Tx, x *act.Act) error {
		if _, err := facts.RequireNSA(tx, x); err != nil {
			return err
		}
		if _, err := tx.Organisation(org); err != nil {
			return err
		}
		c = cleared.SigningCA{Fingerprint: sign.Fingerprint(cert.Raw), OrganisationID: org, Subject: cert.Subject.String(),
			DER: cert.Raw, Imported: now, ImportedBy: x.Actor.Person}
		x.Object, x.Payload = c.Fingerprint, c
		return tx.CreateSigningCA(c)
	})
	return c, err
}
