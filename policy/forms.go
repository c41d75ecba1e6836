package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// What a person may attempt at all (issue 18 §0: "offer an action in the UI only to someone the policy would let do
// it"). Each decision is the part of an act's rule that depends on who acts, not on what he names: the act itself
// is decided again, whole, when it is done. The UI hides the links to a form these refuse, and answers the form's
// page with the refusal.

// Offer holds what the forms' decisions need about one person at t.
type Offer struct {
	Person     cleared.Person
	Clearances []cleared.Clearance
	// OfficerOf are the organisations he is security officer of at t.
	OfficerOf []cleared.OrganisationID
	// Authorities are the classifying authorities he holds (in office or not).
	Authorities []cleared.ClassifyingAuthority
}

func (o Offer) inOffice(t time.Time) []cleared.ClassifyingAuthority {
	var out []cleared.ClassifyingAuthority
	for _, a := range o.Authorities {
		if a.InOfficeAt(t) {
			out = append(out, a)
		}
	}
	return out
}

// OfferRegister: the NSA's registers (organisations, persons, security officers, clearances, authorities,
// channels, the equivalence table) are kept by a cleared NSA officer (A20.1, NSARegister).
func OfferRegister(o Offer, t time.Time) Decision { return NSARegister(o.Person, o.Clearances, t) }

// OfferPlaces: places and terminals are registered by the security officer of their organisation (A9.2): one who
// is officer of none has nothing to register.
func OfferPlaces(o Offer) Decision {
	if len(o.OfficerOf) == 0 {
		return deny("A9.2", "only an organisation's security officer registers its places and terminals")
	}
	return Allow
}

// OfferClassify: classifying a piece or opening a dossier is done as a classifying authority one holds, in office
// (A5.1).
func OfferClassify(o Offer, t time.Time) Decision {
	if len(o.inOffice(t)) == 0 {
		return deny("A5.1", "you hold no classifying authority in office")
	}
	return Allow
}

// OfferGrant: need-to-know is granted by a classifying authority (or who acts for it) or by a security officer
// (A9.1, GrantNeedToKnow): one who is neither grants nothing.
func OfferGrant(o Offer, t time.Time) Decision {
	if len(o.inOffice(t)) == 0 && len(o.OfficerOf) == 0 {
		return deny("A9.1", "need-to-know is granted by a classifying authority or a security officer")
	}
	return Allow
}

// OfferDelegate: a delegation is recorded by an NSA officer or by the principal who delegates, in office (A5.1,
// RegisterDelegation).
func OfferDelegate(o Offer, t time.Time) Decision {
	for _, a := range o.inOffice(t) {
		if a.Kind.Principal() {
			return Allow
		}
	}
	if d := NSARegister(o.Person, o.Clearances, t); !d.Allowed {
		return deny("A5.1", "a delegation is recorded by the delegating member of the Government, Chief of Staff or SRE Director, or by the NSA")
	}
	return Allow
}

// OfferAccounts: accounts are managed by an administrator (AccountAdmin).
func OfferAccounts(o Offer) Decision { return AccountAdmin(o.Person) }

// OfferJudicialOrder: a judicial order is recorded by a cleared NSA officer (A9.5, JudicialRegister).
func OfferJudicialOrder(o Offer, t time.Time) Decision {
	return JudicialRegister(o.Person, o.Clearances, t)
}
