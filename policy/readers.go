package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Who reads which register (issue 18 §0). The registers of persons and clearances hold personal data (A23.1); a
// grant tells that a piece or a dossier exists (A9.1); a dossier's level is set by its originating authority
// (A4.2, A5.2).

// ClearanceFile decides whether reader, holding readerClearances and security officer of officerOf at t, may read
// clearance c, whose holder belongs to organisation holderOrg (the organisation itself for a facility clearance):
// the rule of a person's file (PersonFile, A23.1), since a clearance is part of it. The holder reads his own; an NSA
// officer (A20.1) and a security officer of the holder's organisation read it while they hold a valid clearance.
// Anyone else may not know it exists.
func ClearanceFile(reader cleared.Person, readerClearances []cleared.Clearance, officerOf []cleared.OrganisationID, c cleared.Clearance, holderOrg cleared.OrganisationID, t time.Time) Decision {
	if c.HolderKind == cleared.HolderPerson && c.PersonID == reader.ID {
		return Allow
	}
	return PersonFile(reader, readerClearances, officerOf, cleared.Person{ID: c.PersonID, OrganisationID: holderOrg}, t)
}

// GrantReader is who asks to read a grant: as Granter, the subject with the authorities he holds and the
// organisations he is security officer of at t.
type GrantReader = Granter

// ReadGrant decides whether reader may read grant g on target tg, whose originator may be acted for by actsFor
// (ActsFor) and which organisation holder holds, at t (Art. 9 al. 1, A9.1). The grantee reads his own grant (it
// tells him nothing he was not told). Anyone else must know the target (Know; else hidden, as the target), and be
// who granted it, an authority acting for the originator, or a security officer of the holding organisation: those
// who may grant need-to-know (GrantNeedToKnow) answer for it. Others may not know the grant exists.
func ReadGrant(reader GrantReader, g cleared.Grant, tg Target, actsFor []cleared.AuthorityID, holder cleared.OrganisationID, t time.Time) Decision {
	if reader.Subject.Person == g.PersonID {
		return Allow
	}
	if d := Know(reader.Subject, tg, t); !d.Allowed {
		return d
	}
	if reader.Subject.Person == g.GrantedBy {
		return Allow
	}
	for _, a := range reader.Authorities {
		if actingFor(a, actsFor) {
			return Allow
		}
	}
	for _, o := range reader.OfficerOf {
		if o == holder {
			return Allow
		}
	}
	return hidden("A9.1", "a grant is read by its grantee, who granted it, the originating authority and the holding organisation's security officer")
}

// SetDossierLevel decides whether authority a may set a dossier from level from to level to, when its parts are at
// parts, at t (Art. 4 al. 2, A4.2; Art. 5 al. 2, A5.2). Only the authority that opened the dossier or who acts for
// it (actsFor, see ActsFor) sets its level (A5.2); never below its highest part (A4.2); higher than its parts is
// allowed. Raising it is classifying the aggregate: a is competent and cleared for the new level (A5.1, A5.3).
// Lowering it is a downgrade (Downgrade, A5.2). found is false when the actor holds no authority acting for the
// originator, refused in the words of A5.2.
func SetDossierLevel(a Authority, found bool, actsFor []cleared.AuthorityID, from, to cleared.Level, parts []cleared.Level, t time.Time) Decision {
	if d := Level(to); !d.Allowed {
		return d
	}
	if !found || !actingFor(a.Office.ID, actsFor) {
		return deny("A5.2", "only the authority that opened the dossier, its successor or the principal that delegated it sets its level")
	}
	if d := DossierLevel(to, parts); !d.Allowed {
		return d
	}
	if to == from {
		return deny("A4.2", "the dossier is already at this level")
	}
	if to < from {
		return Downgrade(a, actsFor, from, to, t)
	}
	return first(Competent(a, t), ClassifierClearance(a, to, t))
}
