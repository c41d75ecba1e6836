package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Destroy decides whether the subject may destroy the target at t (Art. 10 al. 1, A10.1): its holder does, that
// is one who may use it (Use: need-to-know, clearance, a terminal fit for its level), or, for a physical piece, its
// custodian. One who may not know the piece is refused as if it did not exist; a piece already destroyed is
// destroyed once only.
func Destroy(s *Subject, tg Target, custodian bool, destroyed bool, t time.Time) Decision {
	if !custodian {
		if d := Use(s, tg, t); !d.Allowed {
			return d
		}
	}
	if destroyed {
		return deny("A10.1", "the piece is destroyed already")
	}
	return Allow
}

// ReportNeeded decides whether destroying a piece of level l is recorded in a signed and countersigned report
// (A10.2): from SECRET, or lower when a rule profile imposes it (A1.1, DutyDestructionReport).
func ReportNeeded(l cleared.Level, profileDuty bool) bool { return l >= cleared.Secret || profileDuty }

// Countersigner decides whether person may countersign the destruction report destroyer signed for a piece held by
// org, at t (A10.2): a security officer of that organisation in office at t, and not the one who destroyed it (two
// signatures by one person are one signature).
func Countersigner(person, destroyer cleared.PersonID, org cleared.OrganisationID, officers []cleared.SecurityOfficer, t time.Time) Decision {
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
