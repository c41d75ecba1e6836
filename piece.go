package cleared

import "time"

// PieceKind distinguishes electronic pieces, whose content cleared holds encrypted, from physical ones (paper,
// media, equipment, materials), of which it holds custody and location only (A2.1).
type PieceKind string

// Kinds of piece.
const (
	Electronic PieceKind = "electronic"
	Physical   PieceKind = "physical"
)

// Validate reports an unknown kind as [ErrInvalid].
func (k PieceKind) Validate() error {
	switch k {
	case Electronic, Physical:
		return nil
	}
	return Invalidf("unknown piece kind %q: want electronic or physical", truncate(string(k), 30))
}

// Reason is one of the three interests of Art. 3 that justify a classification (A3.1).
type Reason string

// The interests of Art. 3.
const (
	// ReasonSecurity (a): the security of Luxembourg and of the States it is bound to by a common-defence agreement.
	ReasonSecurity Reason = "a"
	// ReasonInternational (b): Luxembourg's international relations.
	ReasonInternational Reason = "b"
	// ReasonPotential (c): Luxembourg's scientific or economic potential.
	ReasonPotential Reason = "c"
)

// Validate reports a reason other than a, b or c as [ErrInvalid].
func (r Reason) Validate() error {
	switch r {
	case ReasonSecurity, ReasonInternational, ReasonPotential:
		return nil
	}
	return Invalidf("unknown classification reason %q: want a (security), b (international relations) or c (scientific or economic potential), Art. 3", truncate(string(r), 20))
}

// Piece is a classified piece (Art. 2 point 9): a document, information, data, equipment, materials or substance.
// Electronic pieces have content, stored encrypted under the piece's own key; physical pieces have a custodian and
// a location.
type Piece struct {
	ID     PieceID   `json:"id"`
	Kind   PieceKind `json:"kind"`
	Title  string    `json:"title"`
	Level  Level     `json:"level"`
	Reason []Reason  `json:"reasons"` // A3.1: at least one
	// ReviewOn is the date by which the classification must be reviewed (A3.2: classified for the time necessary).
	ReviewOn time.Time `json:"review_on"`
	// Originator is the authority that classified the piece (A5.2: it alone downgrades or declassifies).
	Originator     AuthorityID     `json:"originator"`
	OrganisationID OrganisationID  `json:"organisation_id"` // the holding organisation, whose security officer answers for it
	Dossier        DossierID       `json:"dossier,omitempty"`
	Foreign        *ForeignMarking `json:"foreign,omitempty"` // the original marking of a piece classified under a treaty (A6.1)
	// Physical pieces.
	Custodian PersonID `json:"custodian,omitempty"`
	Location  PlaceID  `json:"location,omitempty"`
	// Electronic pieces.
	ContentType string `json:"content_type,omitempty"`
	ContentSize int64  `json:"content_size,omitempty"`

	Created   time.Time `json:"created"`
	CreatedBy PersonID  `json:"created_by"`
	Destroyed time.Time `json:"destroyed,omitzero"`
	// Markings are the national markings of the levels under the law's parameters in force when the piece was read
	// (a reform may rename the levels, A4.1, A7.1), set by the registry on what it hands out; nil, the 2004 law's.
	// Never stored; shared, never written through.
	Markings map[Level]string `json:"-"`
	// TitleWithheld is set, and Title emptied, on the copy shown at a terminal that may not show the piece's
	// content (A8.1, A8.2): the reference and the marking stay, what it is about does not. Never stored.
	TitleWithheld bool `json:"title_withheld,omitempty"`
	// Access is AccessJudicialOrder, and JudicialOrder names the order, on the copy handed out to one who reads
	// the piece by a judicial order rather than by clearance and need-to-know (A9.5). Never stored.
	Access        string            `json:"access,omitempty"`
	JudicialOrder *JudicialOrderRef `json:"judicial_order,omitempty"`
}

// WithholdTitle returns p as it is shown where its title may not be (A8.1, A8.2).
func (p Piece) WithholdTitle() Piece {
	p.Title, p.TitleWithheld = "", true
	return p
}

// Marking is the marking the piece carries wherever it is shown (A7.1, Art. 7 al. 3): "SECRET LUX" for a national
// piece, "NATO SECRET / SECRET LUX" for a piece classified under a treaty (its original marking, then the national
// equivalent). A declassified piece (UNCLASSIFIED, which no classification gives) carries DeclassifiedMarking,
// its foreign marking no longer (A7.2).
func (p Piece) Marking() string {
	if !p.Level.Classified() {
		return DeclassifiedMarking
	}
	if p.Foreign != nil && p.Foreign.Marking != "" {
		return p.Foreign.Marking + " / " + p.NationalMarking()
	}
	return p.NationalMarking()
}

// NationalMarking is the national marking of the piece's level: under the law in force when it was read
// (Markings), or the 2004 law's.
func (p Piece) NationalMarking() string { return nationalMarking(p.Markings, p.Level) }

func nationalMarking(ms map[Level]string, l Level) string {
	if m := ms[l]; m != "" && l.Classified() {
		return m
	}
	return l.Marking()
}

// Dossier is an aggregate of pieces (Art. 4 al. 2, A4.2): its level is at least the highest of its parts, and may be
// set higher than every part.
type Dossier struct {
	ID             DossierID      `json:"id"`
	Title          string         `json:"title"`
	Level          Level          `json:"level"`
	Originator     AuthorityID    `json:"originator"`
	OrganisationID OrganisationID `json:"organisation_id"`
	Created        time.Time      `json:"created"`
	CreatedBy      PersonID       `json:"created_by"`
	// Markings: as a piece's (Piece.Markings). Never stored.
	Markings map[Level]string `json:"-"`
}

// Marking is the dossier's national marking: under the law in force when it was read (Markings), or the 2004
// law's.
func (d Dossier) Marking() string { return nationalMarking(d.Markings, d.Level) }

// Grant is an explicit need-to-know (besoin d'en connaître, Art. 9 al. 1, A9.1) of a person for one piece or one
// dossier (then for all its parts), from From until Until (exclusive). Need-to-know is never implied by level.
type Grant struct {
	ID        GrantID   `json:"id"`
	PersonID  PersonID  `json:"person_id"`
	Piece     PieceID   `json:"piece,omitempty"`
	Dossier   DossierID `json:"dossier,omitempty"`
	From      time.Time `json:"from"`
	Until     time.Time `json:"until"`
	Reason    string    `json:"reason"` // the function that makes the need to know
	GrantedBy PersonID  `json:"granted_by"`
	Created   time.Time `json:"created"`
	Revoked   time.Time `json:"revoked,omitzero"`
}

// ActiveAt reports whether the grant is in force at t.
func (g Grant) ActiveAt(t time.Time) bool {
	return !t.Before(g.From) && t.Before(g.Until) && (g.Revoked.IsZero() || t.Before(g.Revoked))
}

// CopyConsent is the originator's prior express consent to reproduce a TOP SECRET piece (Art. 9 al. 4, A9.4).
type CopyConsent struct {
	Piece  PieceID     `json:"piece"`
	By     AuthorityID `json:"by"`
	To     PersonID    `json:"to"`     // who may make the copies: the one who asked
	Copies int         `json:"copies"` // how many copies the consent covers
	Given  time.Time   `json:"given"`
	Until  time.Time   `json:"until"`
}

// DestructionRecord is the report (procès-verbal) of the destruction of a SECRET or TOP SECRET piece (Art. 10 al. 2,
// A10.2): written and signed by whoever destroyed the piece, countersigned by the security officer.
type DestructionRecord struct {
	Piece          PieceID   `json:"piece"`
	DestroyedBy    PersonID  `json:"destroyed_by"`
	DestroyerSig   []byte    `json:"destroyer_signature,omitempty"`
	Countersigner  PersonID  `json:"countersigner,omitempty"`
	CountersignSig []byte    `json:"countersignature,omitempty"`
	Written        time.Time `json:"written"`
}
