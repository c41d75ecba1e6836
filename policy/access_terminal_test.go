package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// TestTerminal decides where content at each level may pass, whether shown (Use) or typed and sent (a
// classification): the rows read as the law, the same for both.
func TestTerminal(t *testing.T) {
	zone := &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.TopSecret, SecurityZone: true}
	office := &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.Secret}
	conf := &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.Confidential}
	restricted := &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.Restricted}
	zoneAtConf := &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.Confidential, SecurityZone: true}
	kiosk := &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.Unclassified, Public: true}
	publicHigh := &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.TopSecret, SecurityZone: true, Public: true}
	revoked := &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.TopSecret, SecurityZone: true, Revoked: now.Add(-time.Hour)}
	revokedNow := &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.TopSecret, SecurityZone: true, Revoked: now}
	revokedLater := &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.TopSecret, SecurityZone: true, Revoked: now.Add(time.Hour)}

	tests := []struct {
		name  string
		term  *cleared.Terminal
		level cleared.Level
		want  Decision
	}{
		{"A8.2 TRES SECRET in a security zone accredited TRES SECRET is allowed", zone, cleared.TopSecret, allow()},
		{"A8.1 SECRET on a terminal accredited SECRET is allowed", office, cleared.Secret, allow()},
		{"A8.1 CONFIDENTIEL on a terminal accredited SECRET is allowed", office, cleared.Confidential, allow()},
		{"A8.1 RESTREINT on a terminal accredited RESTREINT is allowed", restricted, cleared.Restricted, allow()},
		{"A8.1 SECRET in a security zone accredited TRES SECRET is allowed", zone, cleared.Secret, allow()},
		{"A9.3 a terminal revoked later still counts now", revokedLater, cleared.TopSecret, allow()},

		{"A9.3 classified content on no registered terminal is refused", nil, cleared.Restricted, refuse("A9.3")},
		{"A9.3 TRES SECRET on no registered terminal is refused", nil, cleared.TopSecret, refuse("A9.3")},
		{"A9.3 classified content on a revoked terminal is refused", revoked, cleared.Restricted, refuse("A9.3")},
		{"A9.3 a terminal revoked at this very moment is refused", revokedNow, cleared.Secret, refuse("A9.3")},
		{"A9.3 RESTREINT at the public kiosk is refused", kiosk, cleared.Restricted, refuse("A9.3")},
		{"A9.3 a public place is refused whatever its accreditation", publicHigh, cleared.TopSecret, refuse("A9.3")},
		{"A8.2 TRES SECRET outside a security zone is refused", office, cleared.TopSecret, refuse("A8.2")},
		{"A8.2 TRES SECRET outside a zone is refused before the accreditation", conf, cleared.TopSecret, refuse("A8.2")},
		{"A8.1 TRES SECRET in a zone accredited only CONFIDENTIEL is refused", zoneAtConf, cleared.TopSecret, refuse("A8.1")},
		{"A8.1 SECRET on a terminal accredited CONFIDENTIEL is refused", conf, cleared.Secret, refuse("A8.1")},
		{"A8.1 CONFIDENTIEL on a terminal accredited RESTREINT is refused", restricted, cleared.Confidential, refuse("A8.1")},
		{"A8.1 RESTREINT on an unaccredited terminal is refused", &cleared.Terminal{ID: cleared.NewTerminalID()}, cleared.Restricted, refuse("A8.1")},

		{"A9.3 unclassified content on no registered terminal is allowed", nil, cleared.Unclassified, allow()},
		{"A9.3 unclassified content at the public kiosk is allowed", kiosk, cleared.Unclassified, allow()},
		{"A9.3 unclassified content on a revoked terminal is allowed", revoked, cleared.Unclassified, allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Terminal(tt.term, tt.level, now)
			checkDecision(t, d, tt.want)
			if !d.Allowed && d.Hidden {
				t.Fatalf("refusal by %s is hidden: the terminal rules apply to content the subject already knows of", d.Rule)
			}
		})
	}
}

// TestUseIsKnowThenTerminal checks that Use decides the terminal exactly as Terminal does, once Know allows.
func TestUseIsKnowThenTerminal(t *testing.T) {
	f := newAccess()
	terms := []*cleared.Terminal{nil, f.zone, f.office, f.public, f.lowTerm, f.revoked}
	for _, p := range []cleared.Piece{f.restricted, f.secret, f.topSecret} {
		for _, term := range terms {
			s := f.subject(cleared.TopSecret, term)
			tg := TargetOf(p, cleared.Dossier{})
			if got, want := Use(s, tg, now), Terminal(term, p.Level, now); got != want {
				t.Errorf("A9.3 A8.1 A8.2 %s at terminal %+v: Use gives %+v, Terminal %+v", p.Level, term, got, want)
			}
		}
	}
}
