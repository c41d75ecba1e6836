package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Judicial access (Art. 9 al. 1: "Sans préjudice des compétences propres des autorités judiciaires", A9.5). A
// judicial order recorded by the NSA gives the persons it names a read of the pieces and dossiers it covers during
// its period, without a clearance and without need-to-know: distinct from need-to-know, it is decided apart (Consult,
// DescribeRead, UseRead) and used only by reads, never by an act (a copy, a grant, a downgrade, a destruction decide
// by Know). The other protections stay: nothing classified at a public place (A9.3), a terminal accredited for the
// level (A8.1), TOP SECRET in a security zone (A8.2).

// JudicialSet indexes the judicial orders naming one person by the pieces and dossiers they cover, as GrantSet
// indexes grants. Build it once per subject with NewJudicialSet.
type JudicialSet struct {
	pieces   map[cleared.PieceID][]cleared.JudicialOrder
	dossiers map[cleared.DossierID][]cleared.JudicialOrder
	orders   []cleared.JudicialOrder
}

// NewJudicialSet indexes the orders of os that name person; an order that does not name him is left out, however
// it was found (the store finds orders through an index the seal does not cover: the sealed row decides).
func NewJudicialSet(person cleared.PersonID, os []cleared.JudicialOrder) *JudicialSet {
	s := &JudicialSet{pieces: map[cleared.PieceID][]cleared.JudicialOrder{}, dossiers: map[cleared.DossierID][]cleared.JudicialOrder{}}
	for _, o := range os {
		if !o.Names(person) {
			continue
		}
		s.orders = append(s.orders, o)
		for _, p := range o.Pieces {
			s.pieces[p] = append(s.pieces[p], o)
		}
		for _, d := range o.Dossiers {
			s.dossiers[d] = append(s.dossiers[d], o)
		}
	}
	return s
}

// Len returns how many orders the set holds.
func (s *JudicialSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.orders)
}

// InForce returns the pieces and dossiers covered at t by an order of the set in force.
func (s *JudicialSet) InForce(t time.Time) ([]cleared.PieceID, []cleared.DossierID) {
	if s == nil {
		return nil, nil
	}
	var ps []cleared.PieceID
	var ds []cleared.DossierID
	for p, os := range s.pieces {
		if inForce(os, t) != nil {
			ps = append(ps, p)
		}
	}
	for d, os := range s.dossiers {
		if inForce(os, t) != nil {
			ds = append(ds, d)
		}
	}
	return ps, ds
}

func inForce(os []cleared.JudicialOrder, t time.Time) *cleared.JudicialOrder {
	for i := range os {
		if os[i].InForceAt(t) {
			return &os[i]
		}
	}
	return nil
}

// order returns an order of the set in force at t on the target piece or on its dossier, and whether an order of
// the set covers the target at all, in force or not.
func (s *JudicialSet) order(tg Target, t time.Time) (*cleared.JudicialOrder, bool) {
	if s == nil {
		return nil, false
	}
	byPiece := s.pieces[tg.Piece]
	var byDossier []cleared.JudicialOrder
	if tg.Dossier != "" {
		byDossier = s.dossiers[tg.Dossier]
	}
	if o := inForce(byPiece, t); o != nil {
		return o, true
	}
	if o := inForce(byDossier, t); o != nil {
		return o, true
	}
	return nil, len(byPiece)+len(byDossier) > 0
}

// Consult decides whether the subject may know the target for a read at t (A9.1, A9.5): by Know (clearance and
// need-to-know) first; where Know refuses, by a judicial order in force at t naming him on the piece or on its
// dossier, whatever his clearance (the allowing decision carries the order in Order). A subject named by an order
// on the target that is not in force at t (not yet, expired, or ended by the court) knows the piece exists, the
// order told him: he is refused with A9.5, not hidden. Anyone else gets Know's refusal.
func Consult(s *Subject, tg Target, t time.Time) Decision {
	d := Know(s, tg, t)
	if d.Allowed {
		return d
	}
	o, covered := s.Orders.order(tg, t)
	switch {
	case o != nil:
		return Decision{Allowed: true, Order: o.Ref()}
	case covered && d.Hidden:
		return deny("A9.5", "the judicial order naming you on this piece is not in force at this date")
	}
	return d
}

// DescribeRead is Describe for a read: Consult in place of Know, then the terminal (A9.3, A8.1, A8.2), which an
// order does not lift. An allowing decision keeps the order it rests on.
func DescribeRead(s *Subject, tg Target, t time.Time) (d Decision, withhold bool) {
	return describe(s, Consult(s, tg, t), tg, t)
}

// UseRead is Use for a read: Consult in place of Know, then the terminal (Terminal: A9.3, A8.1, A8.2). An allowing
// decision keeps the order it rests on.
func UseRead(s *Subject, tg Target, t time.Time) Decision {
	d := Consult(s, tg, t)
	if !d.Allowed {
		return d
	}
	if td := Terminal(s.Terminal, tg.Level, t); !td.Allowed {
		return td
	}
	return d
}

// JudicialRegister decides whether p, holding clearances, may record or end a judicial order at t (A9.5, A20.1):
// the order is served on the National Security Authority, whose cleared officers record it, as they keep its
// other registers (NSARegister).
func JudicialRegister(p cleared.Person, clearances []cleared.Clearance, t time.Time) Decision {
	if !p.HasRole(cleared.RoleNSAOfficer) {
		return deny("A9.5", "a judicial order is recorded, and ended, by the National Security Authority on which it was served")
	}
	return NSARegister(p, clearances, t)
}

// ReadJudicialOrder decides whether reader, holding readerClearances, may read order o at t (A9.5): a person it
// names reads it (it tells him what he may consult); an NSA officer holding a valid clearance reads every order.
// Anyone else may not know it exists.
func ReadJudicialOrder(reader cleared.Person, readerClearances []cleared.Clearance, o cleared.JudicialOrder, t time.Time) Decision {
	if o.Names(reader.ID) {
		return Allow
	}
	if !reader.HasRole(cleared.RoleNSAOfficer) {
		return hidden("A9.5", "a judicial order is read by the persons it names and by the NSA")
	}
	return NSARegister(reader, readerClearances, t)
}
