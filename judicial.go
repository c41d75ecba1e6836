package cleared

import (
	"slices"
	"time"
)

// JudicialOrderID identifies a recorded judicial order (Art. 9 al. 1, A9.5).
type JudicialOrderID string

// PrefixJudicialOrder is the prefix of judicial orders' IDs.
const PrefixJudicialOrder = "jud_"

// NewJudicialOrderID returns a fresh judicial order ID.
func NewJudicialOrderID() JudicialOrderID { return JudicialOrderID(NewID(PrefixJudicialOrder)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id JudicialOrderID) Validate() error {
	return checkID(string(id), PrefixJudicialOrder, "judicial order")
}

// AccessJudicialOrder is the Access of a piece handed out by a judicial order rather than by clearance and
// need-to-know (A9.5).
const AccessJudicialOrder = "judicial_order"

// JudicialOrder is an order of a judicial authority (a court, an investigating judge, the public prosecutor)
// served on the National Security Authority, which records it (Art. 9 al. 1: "sans préjudice des compétences
// propres des autorités judiciaires", A9.5). During its period, [From, Until), and until it is ended (the court
// lifts it), the persons it names may consult the pieces it covers, and every part of the dossiers it covers,
// without a clearance or a need-to-know grant: the law preserves the judicial authorities' own powers. The other
// protections of a piece stay (nothing classified at a public place, A9.3; a terminal accredited for the level,
// A8.1; TOP SECRET in a security zone, A8.2), and the order gives a read, nothing else: no copy, no grant, no
// change.
type JudicialOrder struct {
	ID JudicialOrderID `json:"id"`
	// Court is the judicial authority that issued the order; Reference its number there.
	Court     string    `json:"court"`
	Reference string    `json:"reference"`
	Issued    time.Time `json:"issued"`
	// Persons are those the order names (judges, investigators): persons of the register, with or without a
	// clearance.
	Persons  []PersonID  `json:"persons"`
	Pieces   []PieceID   `json:"pieces"`
	Dossiers []DossierID `json:"dossiers"`
	From     time.Time   `json:"from"`
	Until    time.Time   `json:"until"`
	// RecordedBy is the NSA officer who recorded the order, at Recorded.
	RecordedBy PersonID  `json:"recorded_by"`
	Recorded   time.Time `json:"recorded"`
	// Ended is when the order was ended before its term (the court lifted it), by EndedBy, for EndReason.
	Ended     time.Time `json:"ended,omitzero"`
	EndedBy   PersonID  `json:"ended_by,omitempty"`
	EndReason string    `json:"end_reason,omitempty"`
	// Status is where the order stands when it is handed out (StatusAt), set by the registry; never stored.
	Status JudicialOrderStatus `json:"status,omitempty"`
}

// InForceAt reports whether the order gives access at t: within [From, Until), and not ended at or before t.
func (o JudicialOrder) InForceAt(t time.Time) bool {
	return !t.Before(o.From) && t.Before(o.Until) && (o.Ended.IsZero() || t.Before(o.Ended))
}

// Names reports whether the order names person p.
func (o JudicialOrder) Names(p PersonID) bool { return slices.Contains(o.Persons, p) }

// Ref is how a read by the order names it.
func (o JudicialOrder) Ref() *JudicialOrderRef {
	return &JudicialOrderRef{ID: o.ID, Court: o.Court, Reference: o.Reference}
}

// JudicialOrderRef names, on a read it allowed, the judicial order a piece was given by (A9.5).
type JudicialOrderRef struct {
	ID        JudicialOrderID `json:"id"`
	Court     string          `json:"court"`
	Reference string          `json:"reference"`
}

// JudicialOrderStatus is where an order stands at a time: waiting for its period, in force, ended by the court, or
// expired.
type JudicialOrderStatus string

// The states of a judicial order.
const (
	JudicialOrderPending JudicialOrderStatus = "pending"
	JudicialOrderInForce JudicialOrderStatus = "in_force"
	JudicialOrderEnded   JudicialOrderStatus = "ended"
	JudicialOrderExpired JudicialOrderStatus = "expired"
)

// StatusAt is where the order stands at t.
func (o JudicialOrder) StatusAt(t time.Time) JudicialOrderStatus {
	switch {
	case !o.Ended.IsZero() && !t.Before(o.Ended):
		return JudicialOrderEnded
	case !t.Before(o.Until):
		return JudicialOrderExpired
	case t.Before(o.From):
		return JudicialOrderPending
	}
	return JudicialOrderInForce
}
