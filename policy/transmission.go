package policy

import (
	"slices"
	"time"

	"github.com/cleared/cleared"
)

// Transmission (Art. 11): a piece, or one of its numbered copies, sent electronically to a person or to an
// organisation. The channel must be accredited up to the piece's level and protected by a cryptographic product
// whose NSA approval is in force (A11.1); a person who receives it must be cleared at its level with need-to-know
// of it (A9.1); an organisation receives over a channel it accepts and, a national recipient of S2, only within its
// scope; the rule profiles add their duties (A1.1). Every transmission is recorded, so that the originator and the
// NSA can tell who received a piece (A11.2).

// ChannelFit decides whether a piece at level l may be sent over channel ch at t (A11.1): Transmit, then, when the
// channel names a product of the NSA's register, that product's approval in force at t. prod is the product the
// channel names (nil when it names none, or when it could not be loaded: then the channel is refused, fail closed).
func ChannelFit(l cleared.Level, ch *cleared.Channel, prod *cleared.CryptoProduct, t time.Time) Decision {
	if d := Transmit(l, ch, t); !d.Allowed || l < cleared.Confidential || ch.Product == "" {
		return d
	}
	switch {
	case prod == nil || prod.ID != ch.Product:
		return deny("A11.1", "the approval of the channel's cryptographic product cannot be checked in the NSA's register")
	case t.Before(prod.ApprovedFrom):
		return deny("A11.1", "the NSA's approval of the cryptographic product "+prod.Name+" is not yet in force: it starts on "+
			prod.ApprovedFrom.Format(time.DateOnly))
	case !t.Before(prod.ApprovedUntil):
		return deny("A11.1", "the NSA's approval of the cryptographic product "+prod.Name+" lapsed on "+
			prod.ApprovedUntil.Format(time.DateOnly)+": the channel may no longer carry classified pieces")
	}
	return Allow
}

// Recipient is who a transmission goes to: a person, described as access decisions see him (his clearances, his
// grants in force, whether Art. 14 exempts him), or an organisation (Organisation set) with its record as an
// addressee (nil when it has none, and then accepts nothing), its kind, and its facility clearances (a company
// holds classified pieces only under one, Art. 15 al. 1 point 2, A15.1).
type Recipient struct {
	Person       *Subject
	Organisation cleared.OrganisationID
	Kind         cleared.OrganisationKind
	Facility     []cleared.Clearance
	Addressee    *cleared.Addressee
}

// TransmissionRequest is what Transmission decides: the piece (its target, at its level and in its dossier), the
// channel and the product it names, the recipient, and the purpose the sender gives.
type TransmissionRequest struct {
	Target    Target
	Channel   *cleared.Channel
	Product   *cleared.CryptoProduct
	Recipient Recipient
	Purpose   string
}

// Transmission decides whether the piece may be sent to the recipient over the channel at t: the channel
// (ChannelFit, A11.1); a person must be cleared at the piece's level, or exempt (A14.1), and hold a need-to-know
// in force on the piece or its dossier (Know, A9.1); an organisation must accept the channel (its addressee record,
// A11.1), a national recipient (S2) have the purpose in its scope, and a company hold a facility clearance in force
// at the piece's level (A15.1). The refusals are not hidden: the sender
// knows the piece, and is told only that this recipient may not receive it, nothing of any other piece.
func Transmission(r TransmissionRequest, t time.Time) Decision {
	if d := ChannelFit(r.Target.Level, r.Channel, r.Product, t); !d.Allowed {
		return d
	}
	rc := r.Recipient
	switch {
	case rc.Person != nil && rc.Organisation == "":
		if !Know(rc.Person, r.Target, t).Allowed {
			return deny("A9.1", "the recipient may not receive this piece: he holds no valid security clearance at its level, or no need-to-know of it")
		}
		return Allow
	case rc.Person == nil && rc.Organisation != "":
		a := rc.Addressee
		switch {
		case a == nil || a.Organisation != rc.Organisation || len(a.Channels) == 0:
			return deny("A11.1", "the organisation has recorded no channel over which it receives classified pieces")
		case r.Channel == nil || !a.Accepts(r.Channel.ID):
			return deny("A11.1", "the organisation does not receive over this channel: send it over one it accepts")
		case a.Type != "" && !slices.Contains(a.Scope, r.Purpose):
			return deny("S2", "this national recipient receives communications only for its purposes ("+scopeList(a.Scope)+
				"): give one of them as purpose")
		}
		if rc.Kind == cleared.Company && r.Target.Level.Classified() {
			if best, ok := BestClearance(rc.Facility, t); !ok || best < r.Target.Level {
				return deny("A15.1", "the company holds no facility security clearance in force at the piece's level: it may not receive it")
			}
		}
		return Allow
	}
	return deny("A11.2", "a transmission goes to one person or one organisation, named")
}

func scopeList(s []string) string {
	if len(s) == 0 {
		return "none recorded"
	}
	out := s[0]
	for _, x := range s[1:] {
		out += ", " + x
	}
	return out
}

// TransmitCopy decides whether person may send copy c of a piece (A9.4: a copy is numbered and tracked like a
// piece): its holder, or a security officer of the organisation holding it (officerOf). A destroyed copy is the
// caller's conflict, decided before.
func TransmitCopy(person cleared.PersonID, officerOf []cleared.OrganisationID, c cleared.Copy) Decision {
	if c.Holder == person || slices.Contains(officerOf, c.OrganisationID) {
		return Allow
	}
	return deny("A9.4", "a numbered copy is sent by its holder, or by the security officer of the organisation that holds it")
}

// TransmitDuties decides whether the duties of o, the outcome of the rule profiles for a transmission (A1.1), are
// performed: the registry entry is (the register of transmissions is the entry, with the piece's reference), the
// originator's consent is when the sender gives the reference of its written consent (consented). A duty cleared
// cannot perform for a transmission refuses it (fail closed).
func TransmitDuties(o Outcome, consented bool) Decision {
	if !o.Allowed {
		return o.Decision
	}
	for _, ob := range o.Obligations {
		switch {
		case ob.Duty == DutyRegistryEntry:
		case ob.Duty == DutyOriginatorConsent && consented:
		case ob.Duty == DutyOriginatorConsent:
			return deny(ob.Rule, ob.Profile+": the originator of the piece consents before it is sent: give the reference of its written consent (originator_consent)")
		default:
			return UnperformedDuty(ob, "a transmission")
		}
	}
	return Allow
}

// TransmissionViewer describes who asks about a transmission: the person, whether he acts for the piece's
// originator (the classifying authority or who acts for it, A5.2), keeps the NSA's registers, and which
// organisations he receives for: those he is security officer of, and his own where it has no security officer in
// office (a national recipient's registry, S2), so that a piece sent to an organisation always has someone to
// confirm its receipt.
type TransmissionViewer struct {
	Person     cleared.PersonID
	Originator bool
	NSA        bool
	OfficerOf  []cleared.OrganisationID
}

// Recipients decides whether the viewer may list every recipient of a piece and of its copies (Art. 11 al. 2,
// A11.2): the originator, who must be able to tell the NSA, and the NSA.
func Recipients(v TransmissionViewer) Decision {
	if v.Originator || v.NSA {
		return Allow
	}
	return deny("A11.2", "only the originator of the piece and the NSA list who received it")
}

// SeeTransmission reports whether the viewer may see a transmission's entry: its sender, its recipient (the
// person, or a security officer of the organisation), the originator and the NSA (A11.2). Anyone else is told it
// does not exist.
func SeeTransmission(v TransmissionViewer, tr cleared.Transmission) bool {
	return v.Originator || v.NSA || tr.Sender == v.Person || receiver(v, tr)
}

func receiver(v TransmissionViewer, tr cleared.Transmission) bool {
	if tr.RecipientPerson != "" {
		return tr.RecipientPerson == v.Person
	}
	return tr.RecipientOrganisation != "" && slices.Contains(v.OfficerOf, tr.RecipientOrganisation)
}

// ConfirmReceipt decides whether the viewer may confirm the receipt of tr (A11.2): the recipient person, or for an
// organisation one of its security officers in office, or one of its members where it has none (OfficerOf says
// which). A receipt already confirmed is the caller's conflict.
func ConfirmReceipt(v TransmissionViewer, tr cleared.Transmission) Decision {
	if receiver(v, tr) {
		return Allow
	}
	return deny("A11.2", "only the recipient, or for an organisation its security officer, confirms the receipt")
}
