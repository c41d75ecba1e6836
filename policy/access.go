package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// GrantSet indexes a person's need-to-know grants by piece and by dossier, so an access decision looks one up
// without scanning (a holder may have tens of thousands). Build it once per request with NewGrantSet.
type GrantSet struct {
	pieces   map[cleared.PieceID][]span
	dossiers map[cleared.DossierID][]span
}

// span is a grant's validity in Unix nanoseconds, [from, until).
type span struct{ from, until int64 }

// NewGrantSet indexes the grants of one person. Revoked grants count until their revocation.
func NewGrantSet(gs []cleared.Grant) *GrantSet {
	s := &GrantSet{pieces: map[cleared.PieceID][]span{}, dossiers: map[cleared.DossierID][]span{}}
	for _, g := range gs {
		sp := span{g.From.UnixNano(), g.Until.UnixNano()}
		if !g.Revoked.IsZero() && g.Revoked.UnixNano() < sp.until {
			sp.until = g.Revoked.UnixNano()
		}
		if g.Piece != "" {
			s.pieces[g.Piece] = append(s.pieces[g.Piece], sp)
		}
		if g.Dossier != "" {
			s.dossiers[g.Dossier] = append(s.dossiers[g.Dossier], sp)
		}
	}
	return s
}

// covers reports whether a grant of the set in force at t is on the target piece or on its dossier.
func (s *GrantSet) covers(tg Target, t time.Time) bool {
	if s == nil {
		return false
	}
	ns := t.UnixNano()
	return covers(s.pieces[tg.Piece], ns) || tg.Dossier != "" && covers(s.dossiers[tg.Dossier], ns)
}

// Len returns how many objects the set covers.
func (s *GrantSet) Len() int { return len(s.pieces) + len(s.dossiers) }

func covers(sps []span, t int64) bool {
	for _, sp := range sps {
		if sp.from <= t && t < sp.until {
			return true
		}
	}
	return false
}

// Subject is who asks for access: the person, whether Art. 14 exempts him from holding a clearance (members of
// the Government), his clearances, his grants, and the terminal the request comes from (nil: none registered, a
// revoked one, or unknown — treated as a public place, A9.3). Orders are the judicial orders naming him (A9.5),
// which only reads consult (Consult).
type Subject struct {
	Person          cleared.PersonID
	ClearanceExempt bool
	Clearances      []cleared.Clearance
	Grants          *GrantSet
	Terminal        *cleared.Terminal
	Orders          *JudicialSet
}

// Target is what access is asked for: a piece at its level, and the dossier it belongs to, if any, at the
// dossier's level.
type Target struct {
	Piece        cleared.PieceID
	Level        cleared.Level
	Dossier      cleared.DossierID
	DossierLevel cleared.Level
}

// TargetOf describes piece p in dossier d (d is ignored if p belongs to no dossier).
func TargetOf(p cleared.Piece, d cleared.Dossier) Target {
	t := Target{Piece: p.ID, Level: p.Level, Dossier: p.Dossier}
	if p.Dossier != "" {
		t.DossierLevel = d.Level
	}
	return t
}

// Know decides whether the subject may know that the target exists, see its metadata and find it in lists
// (Art. 9 al. 1, A9.1): a clearance valid at t at the piece's level or higher (unless exempt, A14.1) and a
// need-to-know grant in force at t, on the piece or on its dossier. Through a dossier grant the subject reaches the
// aggregate, so the clearance must reach the dossier's level too (A4.2). Refusals are hidden, but one: a subject
// whose clearance expired or was withdrawn while he holds a grant in force on the target already knows the piece
// exists (the grant told him), so he is told why he may no longer see it (A17.1, a 403 that names its entry). One
// who never held a clearance cannot have been granted need-to-know (GrantNeedToKnow): that stays hidden.
func Know(s *Subject, tg Target, t time.Time) Decision {
	if !tg.Level.Classified() && !tg.DossierLevel.Classified() {
		return Allow
	}
	best, ok := cleared.Unclassified, false
	if s.ClearanceExempt {
		best, ok = cleared.TopSecret, true
	} else {
		best, ok = BestClearance(s.Clearances, t)
	}
	if !ok {
		if awaitsBriefing(s.Clearances, t) && s.Grants.covers(tg, t) {
			return deny("A18.1", "your clearance grants access only once you have signed the declaration after your security briefing (a first briefing, or a re-briefing overdue)")
		}
		if len(s.Clearances) > 0 && s.Grants.covers(tg, t) {
			return deny("A17.1", "your security clearance has expired or was withdrawn: your need-to-know of this piece no longer gives access")
		}
		return hidden("A9.1", "access to a classified piece requires a valid security clearance")
	}
	if best < tg.Level {
		return hidden("A9.1", "the clearance is below the piece's level")
	}
	if s.Grants == nil {
		return hidden("A9.1", "access requires a need-to-know grant for the piece")
	}
	ns := t.UnixNano()
	if covers(s.Grants.pieces[tg.Piece], ns) {
		return Allow
	}
	if tg.Dossier != "" && covers(s.Grants.dossiers[tg.Dossier], ns) {
		if best < tg.DossierLevel {
			return hidden("A9.1", "the clearance is below the dossier's level")
		}
		return Allow
	}
	return hidden("A9.1", "access requires a need-to-know grant for the piece or its dossier")
}

// Describe decides how much of the target the subject may be shown, listed or described, at his terminal at t
// (A9.3, A8.1, A8.2 applied to what is said of a piece, not only to its content). First Know (A9.1). Then, for a
// classified piece: at a public or unregistered terminal nothing, not even that it exists in a list (A9.3,
// refused: a 403 when he asks for it by its ID, since his grant already told him it exists); at a registered
// terminal that may not show its content (accredited below its level, A8.1, or outside a zone for TOP SECRET,
// A8.2), its reference and marking but not its title, which says what the content is about (withhold is true).
func Describe(s *Subject, tg Target, t time.Time) (d Decision, withhold bool) {
	return describe(s, Know(s, tg, t), tg, t)
}

// describe is Describe past the decision known, which says whether the subject may know the target (Know, or
// Consult for a read): an allowing decision is returned as it is, the order it rests on kept.
func describe(s *Subject, known Decision, tg Target, t time.Time) (d Decision, withhold bool) {
	if !known.Allowed {
		return known, false
	}
	if !tg.Level.Classified() && !tg.DossierLevel.Classified() {
		return known, false
	}
	td := Terminal(s.Terminal, tg.Level, t) // the piece's level, as for its content (Use)
	switch {
	case td.Allowed:
		return known, false
	case td.Rule == "A9.3":
		return deny("A9.3", "nothing classified is shown at a public or unregistered terminal, not even its title"), false
	}
	return known, true
}

// Use decides whether the subject may see the target's content from its terminal at t: Know (A9.1), then the
// terminal (Terminal: A9.3, A8.1, A8.2). Only the A9.1 refusals are hidden: past them the subject knows the piece
// exists and is told why he cannot read it here.
func Use(s *Subject, tg Target, t time.Time) Decision {
	if d := Know(s, tg, t); !d.Allowed {
		return d
	}
	return Terminal(s.Terminal, tg.Level, t)
}

// Terminal decides whether content at level l may pass through terminal term at t, shown or read there (Art. 9
// al. 3, Art. 8) or typed and sent from there: unclassified content anywhere; classified content only on a
// registered terminal, not revoked at t, not in a public place (A9.3; nil is no registered terminal), accredited
// for l (A8.1), and inside a security zone for TOP SECRET (A8.2). The refusals are not hidden: the subject
// already knows of the content.
func Terminal(term *cleared.Terminal, l cleared.Level, t time.Time) Decision {
	if !l.Classified() {
		return Allow
	}
	switch {
	case term == nil || (!term.Revoked.IsZero() && !t.Before(term.Revoked)):
		return deny("A9.3", "classified content is not shown on an unregistered terminal")
	case term.Public:
		return deny("A9.3", "classified pieces cannot be shown, read or consulted in a public place")
	case l == cleared.TopSecret && !term.SecurityZone:
		return deny("A8.2", "TRES SECRET pieces are used only in a security zone")
	case term.AccreditedLevel < l:
		return deny("A8.1", "this terminal is not accredited for the piece's level")
	}
	return Allow
}

// Copy decides whether the subject may reproduce the target, in part or whole, at t (Art. 9 al. 4, A9.4): he may
// use it (Use), and for TOP SECRET he holds the prior express consent of the originator (see Consented).
func Copy(s *Subject, tg Target, consent *cleared.CopyConsent, actsFor []cleared.AuthorityID, made int, t time.Time) Decision {
	if d := Use(s, tg, t); !d.Allowed {
		return d
	}
	if tg.Level != cleared.TopSecret {
		return Allow
	}
	return Consented(s.Person, tg.Piece, consent, actsFor, made, t)
}

// Consented decides whether person holds the prior express consent of a piece's originator to reproduce it
// (A9.4, and A1.1 where a rule profile asks it below TOP SECRET): given for this piece, to him, by the originator
// or one acting for it (actsFor, see ActsFor), in force at t, and not used up by the made copies already.
func Consented(person cleared.PersonID, piece cleared.PieceID, consent *cleared.CopyConsent, actsFor []cleared.AuthorityID, made int, t time.Time) Decision {
	switch {
	case consent == nil || consent.Piece != piece:
		return deny("A9.4", "reproducing this piece needs the prior express consent of the authority that classified it: request it first")
	case consent.To != person:
		return deny("A9.4", "the originator's consent was given to another person")
	case !actingFor(consent.By, actsFor):
		return deny("A9.4", "the consent was not given by the authority that classified the piece")
	case t.Before(consent.Given) || !t.Before(consent.Until):
		return deny("A9.4", "the originator's consent is not in force at this date")
	case made >= consent.Copies:
		return deny("A9.4", "the originator's consent covers no more copies")
	}
	return Allow
}

func actingFor(id cleared.AuthorityID, actsFor []cleared.AuthorityID) bool {
	for _, a := range actsFor {
		if a == id {
			return true
		}
	}
	return false
}

// Destruction decides whether the destruction of a piece at level l is complete (Art. 10, A10.2): for SECRET and
// TOP SECRET, the report is signed by whoever destroyed the piece and countersigned by another person, a security
// officer of the holding organisation in office at t. The caller has verified the signatures cryptographically;
// here only their presence and the signers' standing are decided.
func Destruction(l cleared.Level, r cleared.DestructionRecord, org cleared.OrganisationID, officers []cleared.SecurityOfficer, t time.Time) Decision {
	if l < cleared.Secret {
		return Allow
	}
	switch {
	case r.DestroyedBy == "" || len(r.DestroyerSig) == 0:
		return deny("A10.2", "the destruction report must be signed by whoever destroyed the piece")
	case r.Countersigner == "" || len(r.CountersignSig) == 0:
		return deny("A10.2", "the destruction report must be countersigned by the security officer")
	case r.Countersigner == r.DestroyedBy:
		return deny("A10.2", "the security officer countersigning cannot be the person who destroyed the piece")
	}
	for _, o := range officers {
		if o.PersonID == r.Countersigner && o.OrganisationID == org && o.ActiveAt(t) {
			return Allow
		}
	}
	return deny("A10.2", "the countersigner is not a security officer of the holding organisation")
}

// Transmit decides whether a piece at level l may be sent electronically over channel ch at t (Art. 11 al. 1,
// A11.1): CONFIDENTIEL and above only over a channel accredited at t, up to at least l, protected by a
// cryptographic product the NSA approved. RESTREINT and unclassified pieces need no accredited channel (ch may be
// nil).
func Transmit(l cleared.Level, ch *cleared.Channel, t time.Time) Decision {
	if l < cleared.Confidential {
		return Allow
	}
	switch {
	case ch == nil:
		return deny("A11.1", "CONFIDENTIEL, SECRET and TRES SECRET pieces are sent only over an accredited channel")
	case !ch.ActiveAt(t):
		return deny("A11.1", "the channel's accreditation is not in force at this date")
	case ch.CryptoProduct == "":
		return deny("A11.1", "the channel has no cryptographic system approved by the NSA")
	case ch.MaxLevel < l:
		return deny("A11.1", "the channel is accredited only up to "+ch.MaxLevel.French())
	}
	return Allow
}

// awaitsBriefing reports whether one of cs is refused at t only for want of the declaration after a briefing
// (A18.1): the subject, who knows of the piece through his grant, is told so rather than that his clearance expired.
func awaitsBriefing(cs []cleared.Clearance, t time.Time) bool {
	for i := range cs {
		if ClearanceValid(cs[i], t).Rule == "A18.1" {
			return true
		}
	}
	return false
}
