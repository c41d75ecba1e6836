package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// BenchmarkUse10kGrants measures the full access decision (clearance, need-to-know, terminal, level) for a holder
// of 10 000 grants. Goal: under 100 ns and no allocation.
func BenchmarkUse10kGrants(b *testing.B) {
	p := cleared.NewPersonID()
	grants := make([]cleared.Grant, 10000)
	for i := range grants {
		grants[i] = cleared.Grant{PersonID: p, Piece: cleared.NewPieceID(), From: now.AddDate(-1, 0, 0), Until: now.AddDate(1, 0, 0)}
	}
	s := &Subject{Person: p, Grants: NewGrantSet(grants),
		Clearances: []cleared.Clearance{clearance(p, cleared.TopSecret, now.AddDate(-1, 0, 0))},
		Terminal:   &cleared.Terminal{AccreditedLevel: cleared.TopSecret, SecurityZone: true}}
	tg := Target{Piece: grants[7777].Piece, Level: cleared.TopSecret}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if d := Use(s, tg, now); !d.Allowed {
			b.Fatal(d.Reason)
		}
	}
}

// BenchmarkUseRefused10kGrants measures a refusal (no grant for the piece), the common case for lists.
func BenchmarkUseRefused10kGrants(b *testing.B) {
	p := cleared.NewPersonID()
	grants := make([]cleared.Grant, 10000)
	for i := range grants {
		grants[i] = cleared.Grant{PersonID: p, Piece: cleared.NewPieceID(), From: now.AddDate(-1, 0, 0), Until: now.AddDate(1, 0, 0)}
	}
	s := &Subject{Person: p, Grants: NewGrantSet(grants),
		Clearances: []cleared.Clearance{clearance(p, cleared.Secret, now.AddDate(-1, 0, 0))}}
	tg := Target{Piece: cleared.NewPieceID(), Level: cleared.Secret}
	at := now.Add(time.Second)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if d := Use(s, tg, at); d.Allowed {
			b.Fatal("allowed without grant")
		}
	}
}
