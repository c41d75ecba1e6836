package policy

import (
	"testing"

	"github.com/cleared/cleared"
)

// holder10k returns a TOP SECRET holder in a security zone with 10 000 grants, and one piece he was granted.
func holder10k() (*Subject, cleared.PieceID) {
	p := cleared.NewPersonID()
	grants := make([]cleared.Grant, 10000)
	for i := range grants {
		grants[i] = cleared.Grant{PersonID: p, Piece: cleared.NewPieceID(), From: now.AddDate(-1, 0, 0), Until: now.AddDate(1, 0, 0)}
	}
	return &Subject{Person: p, Grants: NewGrantSet(grants),
		Clearances: []cleared.Clearance{clearance(p, cleared.TopSecret, now.AddDate(-1, 0, 0))},
		Terminal:   &cleared.Terminal{AccreditedLevel: cleared.TopSecret, SecurityZone: true}}, grants[7777].Piece
}

// BenchmarkUse10kGrants measures the full access decision (clearance, need-to-know, terminal, level) for a holder
// of 10 000 grants. Goal: under 100 ns and no allocation.
func BenchmarkUse10kGrants(b *testing.B) {
	s, granted := holder10k()
	tg := Target{Piece: granted, Level: cleared.TopSecret}
	b.ReportAllocs()
	for b.Loop() {
		if d := Use(s, tg, now); !d.Allowed {
			b.Fatal(d.Reason)
		}
	}
}

// BenchmarkUseRefused10kGrants measures a refusal (no grant for the piece), the common case for lists.
func BenchmarkUseRefused10kGrants(b *testing.B) {
	s, _ := holder10k()
	tg := Target{Piece: cleared.NewPieceID(), Level: cleared.Secret}
	b.ReportAllocs()
	for b.Loop() {
		if d := Use(s, tg, now); d.Allowed {
			b.Fatal("allowed without grant")
		}
	}
}
