package policy

import (
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

// TestDowngradePiece carries A5.2 (only the originator or who acts for it), A5.1 (competent at the moment) and
// A5.3 (cleared, unless a member of the Government) for a downgrade or a declassification through the authorities
// a person holds.
func TestDowngradePiece(t *testing.T) {
	f := newAuthorities()
	classified := now.AddDate(0, -6, 0)
	piece := func(l cleared.Level) cleared.Piece {
		return cleared.Piece{ID: cleared.NewPieceID(), Level: l, Originator: f.delegate.ID, Created: classified}
	}
	// The delegate classified while the director's delegation was in force: the director acts for him.
	byDelegate := ActsFor(f.delegate, classified, []cleared.Delegation{f.delegation}, f.all)
	// The director left office, handing over to his successor.
	director := f.director
	director.Until = now.Add(-days(10))
	director.Successor = f.successor.ID
	handedOver := ActsFor(f.delegate, classified, []cleared.Delegation{f.delegation},
		map[cleared.AuthorityID]cleared.ClassifyingAuthority{director.ID: director, f.successor.ID: f.successor, f.delegate.ID: f.delegate})
	successor := Authority{Office: f.successor, Person: cleared.Person{ID: f.successor.PersonID},
		Clearances: []cleared.Clearance{clearance(f.successor.PersonID, cleared.TopSecret, now.AddDate(0, -1, 0))}}
	uncleared := successor
	uncleared.Clearances = nil
	lowCleared := successor
	lowCleared.Clearances = []cleared.Clearance{clearance(f.successor.PersonID, cleared.Confidential, now.AddDate(0, -1, 0))}
	expired := successor
	expired.Clearances = []cleared.Clearance{clearance(f.successor.PersonID, cleared.TopSecret, now.AddDate(-5, 0, 0))} // expires exactly now
	destroyed := piece(cleared.Secret)
	destroyed.Destroyed = now

	tests := []struct {
		name       string
		p          cleared.Piece
		candidates []Authority
		actsFor    []cleared.AuthorityID
		to         cleared.Level
		want       Decision
		as         cleared.AuthorityID
	}{
		{"A5.2 the originating delegate downgrades", piece(cleared.Secret), []Authority{f.delegateFacts(f.delegation)}, byDelegate,
			cleared.Confidential, allow(), f.delegate.ID},
		{"A5.2 the originating delegate declassifies", piece(cleared.Secret), []Authority{f.delegateFacts(f.delegation)}, byDelegate,
			cleared.Unclassified, allow(), f.delegate.ID},
		{"A5.2 the delegating principal downgrades", piece(cleared.Secret), []Authority{f.directorFacts()}, byDelegate,
			cleared.Restricted, allow(), f.director.ID},
		{"A5.2 the principal's successor in office downgrades", piece(cleared.TopSecret), []Authority{successor}, handedOver,
			cleared.Secret, allow(), f.successor.ID},
		{"A5.2 of two authorities held, the one acting for the originator is chosen", piece(cleared.Secret),
			[]Authority{f.ministerFacts(), successor}, handedOver, cleared.Confidential, allow(), f.successor.ID},
		{"A5.2 a stranger holding another authority is refused", piece(cleared.Secret), []Authority{f.ministerFacts()}, byDelegate,
			cleared.Confidential, refuse("A5.2"), ""},
		{"A5.2 a person holding no authority is refused", piece(cleared.Secret), nil, byDelegate,
			cleared.Confidential, refuse("A5.2"), ""},
		{"A5.2 the same level is not a downgrade", piece(cleared.Secret), []Authority{f.delegateFacts(f.delegation)}, byDelegate,
			cleared.Secret, refuse("A5.2"), ""},
		{"A5.2 a higher level is not a downgrade", piece(cleared.Secret), []Authority{f.delegateFacts(f.delegation)}, byDelegate,
			cleared.TopSecret, refuse("A5.2"), ""},
		{"A5.2 an unknown level is refused", piece(cleared.Secret), []Authority{f.delegateFacts(f.delegation)}, byDelegate,
			cleared.Level(-1), refuse("A5.2"), ""},
		{"A5.1 the predecessor out of office cannot act any more", piece(cleared.Secret), []Authority{{Office: director}}, handedOver,
			cleared.Confidential, refuse("A5.1"), ""},
		{"A5.1 the delegate whose delegation ended cannot act", piece(cleared.Secret), []Authority{f.delegateFacts()}, byDelegate,
			cleared.Confidential, refuse("A5.1"), ""},
		{"A5.3 a successor without clearance is refused", piece(cleared.Secret), []Authority{uncleared}, handedOver,
			cleared.Confidential, refuse("A5.3"), ""},
		{"A5.3 a successor cleared below the piece's level is refused", piece(cleared.Secret), []Authority{lowCleared}, handedOver,
			cleared.Restricted, refuse("A5.3"), ""},
		{"A5.3 a clearance that expires exactly now no longer counts", piece(cleared.Secret), []Authority{expired}, handedOver,
			cleared.Restricted, refuse("A5.3"), ""},
		{"A5.3 a member of the Government needs no clearance", cleared.Piece{Level: cleared.TopSecret, Originator: f.minister.ID},
			[]Authority{f.ministerFacts()}, []cleared.AuthorityID{f.minister.ID}, cleared.Unclassified, allow(), f.minister.ID},
		{"A10.1 a piece destroyed exactly now keeps its marking", destroyed, []Authority{f.delegateFacts(f.delegation)}, byDelegate,
			cleared.Confidential, refuse("A10.1"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as, d := DowngradePiece(tt.p, tt.candidates, tt.actsFor, tt.to, now)
			checkDecision(t, d, tt.want)
			if as != tt.as {
				t.Fatalf("acts as %q, want %q", as, tt.as)
			}
		})
	}
}

// TestDuties carries A1.1: a duty a profile adds and the service does not perform refuses the act; the consent
// of a foreign originator before a downgrade is one.
func TestDuties(t *testing.T) {
	ps, err := NewProfiles(NATOProfile(), EUProfile())
	if err != nil {
		t.Fatal(err)
	}
	nato := cleared.Piece{Level: cleared.Secret, Foreign: &cleared.ForeignMarking{Scheme: cleared.SchemeNATO, Marking: "NATO SECRET"}}
	national := cleared.Piece{Level: cleared.Secret}
	tests := []struct {
		name      string
		base      Decision
		p         cleared.Piece
		a         Action
		performed []Duty
		want      Decision
	}{
		{"A1.1 a national piece is downgraded with no duty", Allow, national, ActionDowngrade, nil, allow()},
		{"A1.1 a NATO piece waits for its originator's consent before a downgrade", Allow, nato, ActionDowngrade, nil, refuse("A1.1")},
		{"A1.1 a NATO piece waits for its originator's consent before a declassification", Allow, nato, ActionDeclassify, nil, refuse("A1.1")},
		{"A1.1 a performed consent lets the downgrade go ahead", Allow, nato, ActionDowngrade, []Duty{DutyOriginatorConsent}, allow()},
		{"A1.1 a base refusal stays", deny("A5.2", "not the originator"), nato, ActionDowngrade, nil, refuse("A5.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Decide(tt.base, RequestOf(tt.a, tt.p, "", now), ps)
			checkDecision(t, Duties(o, tt.performed...), tt.want)
		})
	}
}

// A1.1: the refusal says which duty is missing: the originator's consent asks for its reference; any other duty is
// named as one the service does not perform.
func TestDutiesSayWhatIsMissing(t *testing.T) {
	consent := Outcome{Decision: Allow, Obligations: []Obligation{{Duty: DutyOriginatorConsent, Rule: "A1.1", Profile: "NATO"}}}
	other := Outcome{Decision: Allow, Obligations: []Obligation{{Duty: DutyInventory, Rule: "A1.1", Profile: "EU"}}}
	if d := Duties(consent); d.Allowed || !strings.Contains(d.Reason, "NATO: the originator of the piece consents") || !strings.Contains(d.Reason, "originator_consent") {
		t.Errorf("the consent missing: %q", d.Reason)
	}
	if d := Duties(other); d.Allowed || !strings.Contains(d.Reason, "EU: the act comes with a duty (inventory)") {
		t.Errorf("an inventory missing: %q", d.Reason)
	}
}

// TestForeignEquivalent_downgrade carries A6.1: a piece classified under a treaty changes level only to a level its scheme
// has a marking for in the table in force.
func TestForeignEquivalent_downgrade(t *testing.T) {
	table := cleared.DefaultEquivalence()
	noEU := cleared.DefaultEquivalence()
	noEU.Schemes = map[cleared.Scheme]map[cleared.Level]string{cleared.SchemeNATO: table.Schemes[cleared.SchemeNATO]}
	tests := []struct {
		name    string
		table   *cleared.EquivalenceTable
		scheme  cleared.Scheme
		l       cleared.Level
		marking string
		want    Decision
	}{
		{"A6.1 NATO SECRET downgraded is NATO CONFIDENTIAL", &table, cleared.SchemeNATO, cleared.Confidential, "NATO CONFIDENTIAL", allow()},
		{"A6.1 a scheme the table lacks is refused", &noEU, cleared.SchemeEU, cleared.Confidential, "", refuse("A6.1")},
		{"A6.1 no table in force is refused", nil, cleared.SchemeNATO, cleared.Confidential, "", refuse("A6.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, d := ForeignEquivalent(tt.table, tt.scheme, tt.l)
			checkDecision(t, d, tt.want)
			if m != tt.marking {
				t.Fatalf("marking %q, want %q", m, tt.marking)
			}
		})
	}
}
