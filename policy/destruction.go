package policy

import (
	"slices"
	"time"

	"github.com/cleared/cleared"
)

// Destroy decides whether the subject may destroy the target at t (Art. 10 al. 1, A10.1): its holder does, that
// is one who may use it (Use: need-to-know, clearance, a terminal fit for its level), or, for a physical piece, its
// custodian. One who may not know the piece is refused as if it did not exist; a piece already destroyed is
// destroyed once only (A10.1), and one whose destruction awaits its countersignature is not destroyed twice
// (A10.2).
func Destroy(s *Subject, tg Target, custodian, destroyed, pending bool, t time.Time) Decision {
	if !custodian {
		if d := Use(s, tg, t); !d.Allowed {
			return d
		}
	}
	switch {
	case destroyed:
		return deny("A10.1", "the piece is destroyed already")
	case pending:
		return deny("A10.2", "the destruction of this piece awaits the security officer's countersignature")
	}
	return Allow
}

// DestroyDuties decides whether the destruction can meet every duty the rule profiles attach to it (A1.1): the
// report is one it performs; any other is refused (fail closed), since skipping it would relax the profile.
func DestroyDuties(o Outcome) Decision {
	for _, ob := range o.Obligations {
		if ob.Duty != DutyDestructionReport {
			return deny(profileRule, ob.Profile+": the destruction would owe "+string(ob.Duty)+", which cleared cannot perform")
		}
	}
	return Allow
}

// ReportNeeded decides whether destroying a piece of level l is recorded in a signed and countersigned report
// (A10.2): from SECRET, or lower when a rule profile imposes it (A1.1, DutyDestructionReport).
func ReportNeeded(l cleared.Level, profileDuty bool) bool { return l >= cleared.Secret || profileDuty }

// Countersigner decides whether person may countersign the destruction report destroyer signed for a piece held by
// org, at t (A10.2): a security officer of that organisation in office at t, and not the one who destroyed it (two
// signatures by one person are one signature), nor one who signed it already; a destruction complete already has
// nothing left to countersign.
func Countersigner(person, destroyer cleared.PersonID, org cleared.OrganisationID, officers []cleared.SecurityOfficer, signers []cleared.PersonID, done bool, t time.Time) Decision {
	if done {
		return deny("A10.2", "the destruction is complete already: there is nothing left to countersign")
	}
	if slices.Contains(signers, person) && person != destroyer {
		return deny("A10.2", "you signed this report already")
	}
	if person == destroyer {
		return deny("A10.2", "the report is countersigned by someone other than who destroyed the piece: a second security officer countersigns his own destruction")
	}
	for _, o := range officers {
		if o.PersonID == person && o.OrganisationID == org && o.ActiveAt(t) {
			return Allow
		}
	}
	return deny("A10.2", "only a security officer of the organisation holding the piece countersigns its destruction report")
}

// SignWith decides whether signer may sign at t with certificate c (E2): it is his, not revoked at t, and valid
// at t. A signature made after a revocation proves nothing, so the same rule judges a signature already made, at
// its time.
func SignWith(c cleared.SigningCertificate, signer cleared.PersonID, t time.Time) Decision {
	switch {
	case c.Person != signer:
		return deny("E2", "the signing certificate is not the signer's: a signature by another person is refused")
	case !c.Revoked.IsZero() && !t.Before(c.Revoked):
		return deny("E2", "the signing certificate was revoked on "+c.Revoked.Format(time.RFC3339)+": ask the security officer for a new one")
	case t.Before(c.NotBefore) || !t.Before(c.NotAfter):
		return deny("E2", "the signing certificate is not valid at this date (expired or not yet valid)")
	}
	return Allow
}

// ChooseCertificate picks the certificate signer signs with through cleared at t (E2): the newest of those whose
// key cleared holds that may sign (SignWith). One who has no certificate at all is issued one (issue); one whose
// certificates are all his organisation's signs outside cleared; one whose held certificates are all revoked or
// expired is refused, so that a revocation is not undone by merely signing again.
func ChooseCertificate(certs []cleared.SigningCertificate, signer cleared.PersonID, t time.Time) (c cleared.SigningCertificate, issue bool, d Decision) {
	if len(certs) == 0 {
		return c, true, Allow
	}
	var held []cleared.SigningCertificate
	for _, x := range certs {
		if len(x.SealedKey) > 0 {
			held = append(held, x)
		}
	}
	if len(held) == 0 {
		return c, false, deny("E2", "your signing certificates are your organisation's: sign the document with yours and hand in the signature")
	}
	for _, x := range slices.Backward(held) {
		if SignWith(x, signer, t).Allowed {
			return x, false, Allow
		}
	}
	c = held[len(held)-1]
	return c, false, SignWith(c, signer, t)
}

// HandedSignature decides on a signature made outside cleared and handed in (E2): it verifies (why says how it
// does not), and its certificate is registered in cleared; SignWith then judges the certificate.
func HandedSignature(verifies bool, why string, registered bool) Decision {
	switch {
	case !verifies:
		return deny("E2", "the signature does not verify over this document with a certificate cleared trusts: "+why)
	case !registered:
		return deny("E2", "the signing certificate is not registered in cleared: the security officer imports it first")
	}
	return Allow
}

// ManageCertificate decides whether actor may issue, import or revoke a signing certificate of holder (E2): an
// NSA officer (nsa, already checked cleared), a security officer of the holder's organisation, or, to revoke his
// own (a key he no longer trusts), the holder himself.
func ManageCertificate(actor cleared.PersonID, nsa bool, officerOf []cleared.OrganisationID, holder cleared.Person, revoke bool) Decision {
	if nsa || (revoke && actor == holder.ID) {
		return Allow
	}
	for _, o := range officerOf {
		if o == holder.OrganisationID {
			return Allow
		}
	}
	return deny("E2", "signing certificates are issued and revoked by the NSA or the security officer of the holder's organisation")
}

// SeeDestruction decides whether person may read a destruction record and its report: whoever destroyed the piece,
// a security officer of the holding organisation (he countersigns), an NSA officer or an auditor (they answer for
// the registers), or one who may know the piece (A9.1). Anyone else is answered as if it did not exist.
func SeeDestruction(person cleared.PersonID, d cleared.Destruction, officerOf []cleared.OrganisationID, oversight, knowsPiece bool) Decision {
	if person == d.DestroyedBy || oversight || knowsPiece {
		return Allow
	}
	for _, o := range officerOf {
		if o == d.OrganisationID {
			return Allow
		}
	}
	return NotKnown()
}
