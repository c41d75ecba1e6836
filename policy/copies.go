package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Reproduction (Art. 9 al. 4, A9.4) and inventories (A1.1, A13.1): who consents to a copy, who holds one, who sees
// the copies of a piece, who destroys one, who takes an inventory. The copy itself is decided by Copy and
// Consented (access.go).

// ConsentAuthority decides whether one holding the authorities mine (in office at the decision) may consent to,
// or refuse, the reproduction of a piece whose originator's actsFor lists those who may act for it (A9.4, A5.2):
// it returns the first of mine that acts for the originator, by which the decision is recorded.
func ConsentAuthority(mine, actsFor []cleared.AuthorityID) (cleared.AuthorityID, Decision) {
	for _, a := range mine {
		if actingFor(a, actsFor) {
			return a, Allow
		}
	}
	return "", deny("A9.4", "only the authority that classified the piece, or one acting for it, consents to its reproduction")
}

// CopyHolder decides whether the subject holder may be given a copy of the target at t (A9.1): whoever holds a
// copy holds the piece, so he needs its clearance and need-to-know. The refusal is not hidden: the maker, who
// knows the piece, is told why the holder he named cannot hold it (the holder's file is not shown).
func CopyHolder(holder *Subject, tg Target, t time.Time) Decision {
	if d := Know(holder, tg, t); !d.Allowed {
		return deny("A9.1", "the holder named for the copy has no valid clearance at the piece's level or no need-to-know of it")
	}
	return Allow
}

// CopyViewer is who asks to see the copies of a piece he may know: himself, whether he acts for the piece's
// originator (A5.2), is an NSA officer (A20.1), and the organisations he is security officer of.
type CopyViewer struct {
	Person     cleared.PersonID
	Originator bool
	NSA        bool
	OfficerOf  []cleared.OrganisationID
}

// SeeCopy reports whether the viewer, who may know the copy's piece (Know, A9.1), sees copy c in its register
// (A9.4: tracked like a piece): the originator and the NSA see every copy, a security officer those his
// organisation holds, a holder his own, and the maker those he made.
func SeeCopy(v CopyViewer, c cleared.Copy) bool {
	return v.Originator || v.NSA || c.Holder == v.Person || c.CreatedBy == v.Person || isOfficer(v.OfficerOf, c.OrganisationID)
}

// DestroyCopy decides whether person p, security officer of officerOf, may destroy copy c (Art. 10 al. 1, A10.1):
// its holder or a security officer of the organisation that holds it; a copy destroyed already, or whose
// destruction report awaits its countersignature (pending), is refused. Whether a signed report is needed is
// ReportNeeded's, as for a piece (A10.2).
func DestroyCopy(p cleared.PersonID, officerOf []cleared.OrganisationID, c cleared.Copy, pending bool) Decision {
	switch {
	case c.Holder != p && !isOfficer(officerOf, c.OrganisationID):
		return deny("A10.1", "only the holder of the copy or the security officer of its organisation destroys it")
	case !c.Destroyed.IsZero():
		return deny("A10.1", "the copy is destroyed already")
	case pending:
		return deny("A10.2", "the destruction of this copy awaits the security officer's countersignature")
	}
	return Allow
}

// TakeInventory decides whether one who is security officer of officerOf, or an NSA officer (nsa), may take the
// inventory of organisation org's pieces and copies, or of a holder of org (A1.1: the EU's and NATO's handling
// rules ask them periodically; the security officer answers for what his organisation holds, Art. 2 point 8).
func TakeInventory(officerOf []cleared.OrganisationID, nsa bool, org cleared.OrganisationID) Decision {
	if nsa || isOfficer(officerOf, org) {
		return Allow
	}
	return deny("A1.1", "only the organisation's security officer, or the NSA, takes the inventory of its pieces and copies")
}

func isOfficer(orgs []cleared.OrganisationID, org cleared.OrganisationID) bool {
	for _, o := range orgs {
		if o == org && org != "" {
			return true
		}
	}
	return false
}

// UnperformedDuty is the refusal of an act that a rule profile binds to a duty the service cannot perform for it
// (A1.1): skipping the duty would relax the profile, so the act is refused, naming the profile and the duty.
func UnperformedDuty(ob Obligation, act string) Decision {
	return deny(profileRule, ob.Profile+": the rule profile asks "+string(ob.Duty)+" of "+act+", which cleared cannot do")
}
