package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// judicialFixture: a judge with no clearance and no grant, named by orders on pieces of the access fixture.
type judicialFixture struct {
	accessFixture
	judge cleared.PersonID
	order cleared.JudicialOrder // in force, on f.secret, f.topSecret and the dossier
}

func newJudicial() judicialFixture {
	f := judicialFixture{accessFixture: newAccess(), judge: cleared.NewPersonID()}
	f.order = cleared.JudicialOrder{ID: cleared.NewJudicialOrderID(), Court: "Tribunal d'arrondissement de Luxembourg",
		Reference: "JI-2026-17", Issued: now.AddDate(0, 0, -2), Persons: []cleared.PersonID{f.judge},
		Pieces: []cleared.PieceID{f.secret.ID, f.topSecret.ID}, Dossiers: []cleared.DossierID{f.dossier.ID},
		From: now.AddDate(0, 0, -1), Until: now.AddDate(0, 1, 0)}
	return f
}

// judge is the judge's subject at term, named by orders, with no clearance and no grant.
func (f judicialFixture) judgeAt(term *cleared.Terminal, orders ...cleared.JudicialOrder) *Subject {
	return &Subject{Person: f.judge, Grants: NewGrantSet(nil), Terminal: term, Orders: NewJudicialSet(f.judge, orders)}
}

// byOrder is an allowing decision by an order.
func byOrder() Decision { return Decision{Allowed: true, Order: &cleared.JudicialOrderRef{}} }

func checkByOrder(t *testing.T, got, want Decision, o cleared.JudicialOrder) {
	t.Helper()
	checkDecision(t, got, want)
	switch {
	case !got.Allowed:
	case want.Order == nil && got.Order != nil:
		t.Fatalf("allowed by the order %s, want allowed by clearance and need-to-know", got.Order.Reference)
	case want.Order != nil && got.Order == nil:
		t.Fatal("allowed without naming the order, want allowed by the order")
	case want.Order != nil && (got.Order.ID != o.ID || got.Order.Reference != o.Reference || got.Order.Court != o.Court):
		t.Fatalf("allowed by %+v, want by the order %s", *got.Order, o.ID)
	}
}

func TestConsultA9_5(t *testing.T) {
	f := newJudicial()
	o := f.order
	startsNow, endsNow, expired, notYet, endedNow, endedEarlier, endsLater := o, o, o, o, o, o, o
	startsNow.From = now
	endsNow.Until = now
	expired.From, expired.Until = now.AddDate(0, -2, 0), now.AddDate(0, -1, 0)
	notYet.From = now.Add(time.Minute)
	endedNow.Ended = now
	endedEarlier.Ended = now.Add(-time.Hour)
	endsLater.Ended = now.Add(time.Second) // ended by the court, effective a second from now: still in force
	startsNext, endsNext := o, o
	startsNext.From = now.Add(time.Nanosecond)
	endsNext.Until = now.Add(time.Nanosecond)
	otherJudge := o
	otherJudge.Persons = []cleared.PersonID{cleared.NewPersonID()}
	onPiece := o
	onPiece.Pieces, onPiece.Dossiers = []cleared.PieceID{f.secret.ID}, nil
	onDossierExpired := expired
	onDossierExpired.Pieces = nil
	// A cleared holder with a grant, also named by an order: his read rests on need-to-know, not on the order.
	holder := f.subject(cleared.Secret, f.office)
	holder.Person = f.judge
	holder.Orders = NewJudicialSet(f.judge, []cleared.JudicialOrder{o})
	// A holder whose clearance was withdrawn, with a grant in force: A17.1 until an order in force covers the piece.
	withdrawn := f.subject(cleared.Secret, f.office)
	withdrawn.Clearances = []cleared.Clearance{withStatus(clearance(f.person, cleared.Secret, now.AddDate(-1, 0, 0)), cleared.ClearanceWithdrawn)}
	withdrawnExpiredOrder := *withdrawn
	withdrawnExpiredOrder.Orders = NewJudicialSet(f.person, []cleared.JudicialOrder{withPerson(expired, f.person)})
	withdrawnOrder := *withdrawn
	withdrawnOrder.Orders = NewJudicialSet(f.person, []cleared.JudicialOrder{withPerson(o, f.person)})
	inOtherDossier := cleared.Piece{ID: cleared.NewPieceID(), Level: cleared.Secret, Dossier: cleared.NewDossierID()}

	tests := []struct {
		name  string
		s     *Subject
		piece cleared.Piece
		know  Decision // Consult: may he know it for a read
		use   Decision // UseRead: may he read its content here
	}{
		{"A9.5 a judge named by an order in force reads a covered SECRET piece without clearance or grant", f.judgeAt(f.office, o), f.secret, byOrder(), byOrder()},
		{"A9.5 a part of a covered dossier is covered", f.judgeAt(f.zone, o), f.inDossier, byOrder(), byOrder()},
		{"A9.5 an expired order on the dossier alone refuses a part of it, naming A9.5", f.judgeAt(f.zone, onDossierExpired), f.inDossier, refuse("A9.5"), refuse("A9.5")},
		{"A9.5 an order on a piece alone does not cover its dossier's other parts", f.judgeAt(f.zone, onPiece), f.inDossier, hide("A9.1"), hide("A9.1")},
		{"A9.5 an order that starts exactly now is in force", f.judgeAt(f.office, startsNow), f.secret, byOrder(), byOrder()},
		{"A9.5 an order not yet in force refuses, naming A9.5: the order told him the piece exists", f.judgeAt(f.office, notYet), f.secret, refuse("A9.5"), refuse("A9.5")},
		{"A9.5 an order that starts a nanosecond from now is not yet in force", f.judgeAt(f.office, startsNext), f.secret, refuse("A9.5"), refuse("A9.5")},
		{"A9.5 an order that ends a nanosecond from now is still in force", f.judgeAt(f.office, endsNext), f.secret, byOrder(), byOrder()},
		{"A9.5 an order that ends exactly now is no longer in force", f.judgeAt(f.office, endsNow), f.secret, refuse("A9.5"), refuse("A9.5")},
		{"A9.5 an expired order refuses, naming A9.5", f.judgeAt(f.office, expired), f.secret, refuse("A9.5"), refuse("A9.5")},
		{"A9.5 an order ended exactly now by the court refuses", f.judgeAt(f.office, endedNow), f.secret, refuse("A9.5"), refuse("A9.5")},
		{"A9.5 an order ended earlier refuses", f.judgeAt(f.office, endedEarlier), f.secret, refuse("A9.5"), refuse("A9.5")},
		{"A9.5 an order ended with effect a second from now is still in force", f.judgeAt(f.office, endsLater), f.secret, byOrder(), byOrder()},
		{"A9.5 an expired order and one in force on the same piece: the one in force gives access", f.judgeAt(f.office, expired, o), f.secret, byOrder(), byOrder()},
		{"A9.5 outside its scope, another piece stays hidden", f.judgeAt(f.office, o), f.otherPiece, hide("A9.1"), hide("A9.1")},
		{"A9.5 outside its scope, a piece of another dossier stays hidden", f.judgeAt(f.office, o), inOtherDossier, hide("A9.1"), hide("A9.1")},
		{"A9.5 an order naming another person gives this judge nothing, and stays hidden", f.judgeAt(f.office, otherJudge), f.secret, hide("A9.1"), hide("A9.1")},
		{"A9.5 no order at all: hidden, as need-to-know decides", f.judgeAt(f.office), f.secret, hide("A9.1"), hide("A9.1")},
		{"A9.3 an order does not lift the public place: the piece is known, its content not shown", f.judgeAt(f.public, o), f.secret, byOrder(), refuse("A9.3")},
		{"A9.3 an order does not lift the unregistered terminal", f.judgeAt(nil, o), f.secret, byOrder(), refuse("A9.3")},
		{"A8.2 an order does not lift the security zone for TRES SECRET", f.judgeAt(f.office, o), f.topSecret, byOrder(), refuse("A8.2")},
		{"A8.2 TRES SECRET by order inside a security zone is read", f.judgeAt(f.zone, o), f.topSecret, byOrder(), byOrder()},
		{"A8.1 an order does not lift the terminal's accreditation", f.judgeAt(f.lowTerm, o), f.secret, byOrder(), refuse("A8.1")},
		{"A9.1 a holder with clearance and a grant reads by need-to-know, not by the order", holder, f.secret, allow(), allow()},
		{"A17.1 a withdrawn clearance with a grant, and an expired order, is told A17.1", &withdrawnExpiredOrder, f.secret, refuse("A17.1"), refuse("A17.1")},
		{"A9.5 a withdrawn clearance does not stop an order in force", &withdrawnOrder, f.secret, byOrder(), byOrder()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := TargetOf(tt.piece, f.dossier)
			t.Run("consult", func(t *testing.T) { checkByOrder(t, Consult(tt.s, tg, now), tt.know, o) })
			t.Run("use", func(t *testing.T) { checkByOrder(t, UseRead(tt.s, tg, now), tt.use, o) })
			t.Run("know is unchanged", func(t *testing.T) {
				// A9.5 is distinct from need-to-know: Know, which acts (copies, grants, downgrades) decide by, never
				// allows by an order.
				if d := Know(tt.s, tg, now); d.Order != nil {
					t.Fatal("Know allowed by an order")
				}
			})
		})
	}
}

func withPerson(o cleared.JudicialOrder, p cleared.PersonID) cleared.JudicialOrder {
	o.Persons = []cleared.PersonID{p}
	return o
}

func TestDescribeReadA9_5(t *testing.T) {
	f := newJudicial()
	o := f.order
	tests := []struct {
		name     string
		s        *Subject
		piece    cleared.Piece
		want     Decision
		withhold bool
	}{
		{"A9.5 a covered piece is described, by the order", f.judgeAt(f.office, o), f.secret, byOrder(), false},
		{"A9.3 a covered piece at a public terminal is not even listed", f.judgeAt(f.public, o), f.secret, refuse("A9.3"), false},
		{"A8.2 a covered TRES SECRET piece outside a zone is listed by reference, its title withheld", f.judgeAt(f.office, o), f.topSecret, byOrder(), true},
		{"A9.5 a piece outside the order is not listed", f.judgeAt(f.office, o), f.otherPiece, hide("A9.1"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, withhold := DescribeRead(tt.s, TargetOf(tt.piece, f.dossier), now)
			checkByOrder(t, d, tt.want, o)
			if withhold != tt.withhold {
				t.Fatalf("title withheld %v, want %v", withhold, tt.withhold)
			}
		})
	}
}

func TestJudicialSetInForce(t *testing.T) {
	f := newJudicial()
	expired := f.order
	expired.Until = now
	ps, ds := NewJudicialSet(f.judge, []cleared.JudicialOrder{f.order}).InForce(now)
	if len(ps) != 2 || len(ds) != 1 {
		t.Fatalf("in force: %d pieces and %d dossiers, want 2 and 1", len(ps), len(ds))
	}
	// A9.5: an order ending exactly now covers nothing now.
	if ps, ds := NewJudicialSet(f.judge, []cleared.JudicialOrder{expired}).InForce(now); len(ps)+len(ds) != 0 {
		t.Fatalf("an order ending now covers %v and %v", ps, ds)
	}
	if n := NewJudicialSet(cleared.NewPersonID(), []cleared.JudicialOrder{f.order}).Len(); n != 0 {
		t.Fatalf("a set of a person the order does not name holds %d orders", n)
	}
}

func TestJudicialRegisterA9_5(t *testing.T) {
	nsa := cleared.Person{ID: cleared.NewPersonID(), Roles: []cleared.Role{cleared.RoleNSAOfficer}}
	judge := cleared.Person{ID: cleared.NewPersonID()}
	order := cleared.JudicialOrder{Persons: []cleared.PersonID{judge.ID}}
	valid := []cleared.Clearance{clearance(nsa.ID, cleared.Secret, now.AddDate(-1, 0, 0))}
	checkDecision(t, JudicialRegister(nsa, valid, now), allow())
	checkDecision(t, JudicialRegister(nsa, nil, now), refuse("A20.1"))                                              // A20.1: an NSA officer acts cleared
	checkDecision(t, JudicialRegister(judge, nil, now), refuse("A9.5"))                                             // A9.5: the NSA records the order
	checkDecision(t, ReadJudicialOrder(judge, nil, order, now), allow())                                            // A9.5: the person named reads it
	checkDecision(t, ReadJudicialOrder(nsa, valid, order, now), allow())                                            // the NSA reads every order
	checkDecision(t, ReadJudicialOrder(nsa, nil, order, now), refuse("A20.1"))                                      // uncleared NSA officer
	checkDecision(t, ReadJudicialOrder(cleared.Person{ID: cleared.NewPersonID()}, valid, order, now), hide("A9.5")) // anyone else
}

// The set counts the orders that name its person, and a set that was never built counts none.
func TestJudicialSetLen(t *testing.T) {
	f := newJudicial()
	other := withPerson(f.order, cleared.NewPersonID())
	if n := NewJudicialSet(f.judge, []cleared.JudicialOrder{f.order, f.order, other}).Len(); n != 2 {
		t.Fatalf("Len = %d, want the 2 orders naming the judge", n)
	}
	if n := (*JudicialSet)(nil).Len(); n != 0 {
		t.Fatalf("nil set: Len = %d", n)
	}
}
