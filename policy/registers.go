package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Who keeps which register. The law names the actors; cleared records their acts.

// NSARegister decides whether person p may write the NSA's registers (organisations, persons, clearances,
// classifying authorities, accredited channels, the equivalence table): only NSA staff (Art. 2 point 1, Art. 20,
// A20.1), and only for an NSA officer who is himself cleared at t (exempt: none).
func NSARegister(p cleared.Person, clearances []cleared.Clearance, t time.Time) Decision {
	if !p.HasRole(cleared.RoleNSAOfficer) {
		return deny("A20.1", "only the National Security Authority keeps this register")
	}
	if _, ok := BestClearance(clearances, t); !ok {
		return deny("A20.1", "an NSA officer must hold a valid security clearance to act")
	}
	return Allow
}

// DesignateOfficer decides whether a person holding clearances may be recorded as security officer (Art. 2
// point 8, A2.2): the law defines the security officer as a cleared agent, so he holds a valid clearance at t.
func DesignateOfficer(officer []cleared.Clearance, t time.Time) Decision {
	if _, ok := BestClearance(officer, t); !ok {
		return deny("A2.2", "a security officer must hold a valid security clearance")
	}
	return Allow
}

// Delegate decides whether principal may delegate its power to classify to delegate from from until until (Art. 5
// al. 1, A5.1): the principal is one of the three offices of Art. 5 and in office when the delegation starts, the
// delegate is recorded as a delegate, and the delegation has an end after its start.
func Delegate(principal, delegate cleared.ClassifyingAuthority, from, until time.Time) Decision {
	switch {
	case !principal.Kind.Principal():
		return deny("A5.1", "only a member of the Government, the Chief of Staff of the Army or the SRE Director delegates the power to classify")
	case delegate.Kind != cleared.AuthorityDelegate:
		return deny("A5.1", "the receiving authority must be recorded as a delegate")
	case principal.ID == delegate.ID:
		return deny("A5.1", "an authority cannot delegate to itself")
	case !until.After(from):
		return deny("A5.1", "a delegation ends after it starts")
	case !principal.InOfficeAt(from):
		return deny("A5.1", "the delegating authority is not in office when the delegation starts")
	}
	return Allow
}

// Granter is who asks to give need-to-know: as a subject (he must himself know the target), with the
// authorities he holds in office at t and the organisations he is security officer of at t.
type Granter struct {
	Subject     *Subject
	Authorities []cleared.AuthorityID
	OfficerOf   []cleared.OrganisationID
}

// GrantNeedToKnow decides whether granter may give grantee need-to-know of target from from until until, at t
// (Art. 9 al. 1, A9.1). The granter must know the target (else the refusal is hidden); he is the originator or
// who acts for it (actsFor), or a security officer of the holding organisation holder; the grantee holds, at t, a
// valid clearance at the target's level (or is exempt); the grant ends after it starts and after t.
func GrantNeedToKnow(g Granter, actsFor []cleared.AuthorityID, holder cleared.OrganisationID, grantee *Subject, tg Target, from, until, t time.Time) Decision {
	if d := Know(g.Subject, tg, t); !d.Allowed {
		return d
	}
	may := false
	for _, a := range g.Authorities {
		may = may || actingFor(a, actsFor)
	}
	for _, o := range g.OfficerOf {
		may = may || o == holder
	}
	if !may {
		return deny("A9.1", "need-to-know is granted by the authority that classified the piece or by the holding organisation's security officer")
	}
	level := max(tg.Level, tg.DossierLevel)
	if !grantee.ClearanceExempt {
		best, ok := BestClearance(grantee.Clearances, t)
		if !ok || best < level {
			return deny("A9.1", "the person holds no valid clearance at the level of what he would be granted")
		}
	}
	if !until.After(from) || !until.After(t) {
		return deny("A9.1", "a need-to-know grant ends after it starts and in the future")
	}
	return Allow
}

// EstablishPlace decides whether a person who is security officer of officerOf (at t) may register a place or a
// terminal of organisation org, or establish a security zone there (Art. 9 al. 2, A9.2): only its security officer.
func EstablishPlace(officerOf []cleared.OrganisationID, org cleared.OrganisationID) Decision {
	for _, o := range officerOf {
		if o == org {
			return Allow
		}
	}
	return deny("A9.2", "only the organisation's security officer registers its places and terminals and establishes security zones")
}

// Custody decides whether a place may keep a physical piece at level l (A8.1, A8.2, A9.3): not a public place,
// accredited at least at l, and a security zone for TOP SECRET.
func Custody(pl cleared.Place, l cleared.Level) Decision {
	switch {
	case pl.Public:
		return deny("A9.3", "classified pieces are not kept in a public place")
	case l == cleared.TopSecret && !pl.SecurityZone:
		return deny("A8.2", "TRES SECRET pieces are kept only in a security zone")
	case pl.AccreditedLevel < l:
		return deny("A8.1", "the place is accredited only up to "+pl.AccreditedLevel.French())
	}
	return Allow
}

// PlaceAccreditation decides whether a place may be accredited at level l (A8.1, A8.2, A9.3): a place open to the
// public is neither a security zone nor accredited for classified pieces, and a place accredited for TOP SECRET
// must be a security zone.
func PlaceAccreditation(l cleared.Level, securityZone, public bool) Decision {
	switch {
	case public && securityZone:
		return deny("A9.3", "a place open to the public cannot be a security zone")
	case public && l.Classified():
		return deny("A9.3", "a place open to the public cannot be accredited for classified pieces")
	case l == cleared.TopSecret && !securityZone:
		return deny("A8.2", "a place accredited for TRES SECRET must be a security zone")
	}
	return Allow
}

// TerminalAccreditation decides whether a terminal in place pl may be accredited at level l (A8.1): never above
// its place.
func TerminalAccreditation(pl cleared.Place, l cleared.Level) Decision {
	if l > pl.AccreditedLevel {
		return deny("A8.1", "a terminal cannot be accredited above its place ("+pl.AccreditedLevel.French()+")")
	}
	return Allow
}

// AuthorityHolder decides whether person p may hold an authority of kind k (A5.1): the office of a member of the
// Government is held only by a person recorded as one.
func AuthorityHolder(p cleared.Person, k cleared.AuthorityKind) Decision {
	if k == cleared.AuthorityGovernmentMember && !p.GovernmentMember {
		return deny("A5.1", "the person is not recorded as a member of the Government")
	}
	return Allow
}

// PersonFile decides whether reader, holding readerClearances and security officer of officerOf at t, may read
// the file of person target (A23.1: personal data serves the registers' purposes only). The person reads his own
// file; an NSA officer (A20.1) and a security officer of the person's organisation (Art. 2 point 8) read it while
// they hold a valid clearance at t, as every act of theirs needs. Anyone else may not know the person exists.
func PersonFile(reader cleared.Person, readerClearances []cleared.Clearance, officerOf []cleared.OrganisationID, target cleared.Person, t time.Time) Decision {
	if reader.ID == target.ID {
		return Allow
	}
	officer := false
	for _, o := range officerOf {
		officer = officer || o == target.OrganisationID
	}
	nsa := reader.HasRole(cleared.RoleNSAOfficer)
	if !nsa && !officer {
		return hidden("A23.1", "a person's file is for himself, the NSA and his organisation's security officers")
	}
	if _, ok := BestClearance(readerClearances, t); ok {
		return Allow
	}
	if nsa {
		return deny("A20.1", "an NSA officer must hold a valid security clearance to act")
	}
	return deny("A23.1", "a security officer must hold a valid security clearance to read his staff's files")
}

// AuditReader decides whether person p may read the audit log and its checkpoints (A11.2: the NSA answers the
// originator who received its pieces; auditors check the log): only auditors and NSA officers.
func AuditReader(p cleared.Person) Decision {
	if !p.HasRole(cleared.RoleAuditor) && !p.HasRole(cleared.RoleNSAOfficer) {
		return deny("A11.2", "only auditors and NSA officers read the audit log")
	}
	return Allow
}

// HoldsAuthority decides whether person p may act as the classifying authority office (A5.1); found is false
// when no such authority is recorded, which is refused in the same words, so as not to tell the two apart.
func HoldsAuthority(p cleared.PersonID, office cleared.ClassifyingAuthority, found bool) Decision {
	if !found || office.PersonID != p {
		return deny("A5.1", "you do not hold this classifying authority")
	}
	return Allow
}
