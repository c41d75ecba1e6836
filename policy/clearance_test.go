package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func TestClearanceExpiry(t *testing.T) {
	issued := time.Date(2021, 11, 23, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		level cleared.Level
		want  time.Time
	}{
		{"A17.1 TRES SECRET lasts five years", cleared.TopSecret, time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)},
		{"A17.1 SECRET lasts ten years", cleared.Secret, time.Date(2031, 11, 23, 10, 0, 0, 0, time.UTC)},
		{"A17.1 CONFIDENTIEL lasts ten years", cleared.Confidential, time.Date(2031, 11, 23, 10, 0, 0, 0, time.UTC)},
		{"A17.1 RESTREINT lasts ten years", cleared.Restricted, time.Date(2031, 11, 23, 10, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClearanceExpiry(tt.level, issued); !got.Equal(tt.want) {
				t.Fatalf("a %s clearance issued %s expires %s, want %s", tt.level, issued, got, tt.want)
			}
		})
	}
}

func TestClearanceValid(t *testing.T) {
	p := cleared.NewPersonID()
	tsToday := clearance(p, cleared.TopSecret, now.AddDate(-5, 0, 0)) // expires at now exactly
	// A reform that gives TRES SECRET eight years, recorded on a clearance issued six years ago under it.
	reform := clearance(p, cleared.TopSecret, now.AddDate(-6, 0, 0))
	reform.Expires = reform.Issued.AddDate(8, 0, 0)
	// A record claiming more than any version of the law may give: it counts as the longest (20 years).
	longRecord := clearance(p, cleared.Secret, now.AddDate(-cleared.MaxClearanceValidityYears, 0, 0))
	longRecord.Expires = longRecord.Issued.AddDate(30, 0, 0)
	// A clearance recorded without an expiry expires as the 2004 law says.
	unrecorded := clearance(p, cleared.TopSecret, now.AddDate(-5, 0, 0))
	unrecorded.Expires = time.Time{}
	tests := []struct {
		name string
		c    cleared.Clearance
		at   time.Time
		want Decision
	}{
		{"A17.1 active clearance within its term is valid", clearance(p, cleared.Secret, now.AddDate(-3, 0, 0)), now, allow()},
		{"A17.1 TRES SECRET clearance expiring today is valid the instant before", tsToday, now.Add(-time.Nanosecond), allow()},
		{"A17.1 TRES SECRET clearance expiring today grants nothing at expiry", tsToday, now, refuse("A17.1")},
		{"A17.1 SECRET clearance issued nine years ago is valid", clearance(p, cleared.Secret, now.AddDate(-9, 0, 0)), now, allow()},
		{"A17.1 SECRET clearance issued ten years ago has expired", clearance(p, cleared.Secret, now.AddDate(-10, 0, 0)), now, refuse("A17.1")},
		{"A17.1 the validity a reform gave, recorded at issue, is honoured", reform, now, allow()},
		{"A17.1 a recorded expiry beyond any law's validity counts as the longest, at its instant", longRecord, now, refuse("A17.1")},
		{"A17.1 a recorded expiry beyond any law's validity is valid the instant before the longest", longRecord, now.Add(-time.Nanosecond), allow()},
		{"A17.1 a clearance recorded without an expiry follows Art. 17 of 2004", unrecorded, now, refuse("A17.1")},
		{"A17.1 a clearance recorded without an expiry is valid the instant before", unrecorded, now.Add(-time.Nanosecond), allow()},
		{"A17.1 clearance recorded expired grants nothing", withStatus(clearance(p, cleared.Secret, now.AddDate(-1, 0, 0)), cleared.ClearanceExpired), now, refuse("A17.1")},
		{"A17.1 clearance not issued yet grants nothing", clearance(p, cleared.Secret, now.Add(days(1))), now, refuse("A17.1")},
		{"A27.1 withdrawn clearance grants nothing", withStatus(clearance(p, cleared.Secret, now.AddDate(-1, 0, 0)), cleared.ClearanceWithdrawn), now, refuse("A27.1")},
		{"A27.1 suspended clearance grants nothing", withStatus(clearance(p, cleared.Secret, now.AddDate(-1, 0, 0)), cleared.ClearanceSuspended), now, refuse("A27.1")},
		{"A16.1 clearance without a classified level grants nothing", clearance(p, cleared.Unclassified, now.AddDate(-1, 0, 0)), now, refuse("A16.1")},
		{"A17.1 clearance with a status the law does not know grants nothing", withStatus(clearance(p, cleared.Secret, now.AddDate(-1, 0, 0)), "renewed"), now, refuse("A17.1")},
		{"A17.1 clearance issued exactly now is valid", clearance(p, cleared.Secret, now), now, allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, ClearanceValid(tt.c, tt.at), tt.want) })
	}
}

func TestBestClearance(t *testing.T) {
	p := cleared.NewPersonID()
	cs := []cleared.Clearance{
		clearance(p, cleared.Confidential, now.AddDate(-2, 0, 0)),
		clearance(p, cleared.TopSecret, now.AddDate(-6, 0, 0)), // expired
		withStatus(clearance(p, cleared.Secret, now.AddDate(-1, 0, 0)), cleared.ClearanceWithdrawn),
	}
	if l, ok := BestClearance(cs, now); !ok || l != cleared.Confidential {
		t.Fatalf("A17.1 best valid clearance = %s %v, want CONFIDENTIAL: expired and withdrawn ones count for nothing", l, ok)
	}
	if _, ok := BestClearance(cs[1:], now); ok {
		t.Fatal("A17.1 only expired or withdrawn clearances: want none valid")
	}
}

func TestGrantClearanceLevel(t *testing.T) {
	tests := []struct {
		name              string
		required, granted cleared.Level
		want              Decision
	}{
		{"A16.1 clearance at the level the post requires", cleared.Secret, cleared.Secret, allow()},
		{"A16.1 clearance below what the post requires", cleared.Secret, cleared.Confidential, allow()},
		{"A16.1 clearance above what the post requires is refused", cleared.Confidential, cleared.Secret, refuse("A16.1")},
		{"A16.1 TRES SECRET for a SECRET post is refused", cleared.Secret, cleared.TopSecret, refuse("A16.1")},
		{"A16.1 post needing no classified level gets no clearance", cleared.Unclassified, cleared.Restricted, refuse("A16.1")},
		{"A16.1 unclassified is no clearance level", cleared.Secret, cleared.Unclassified, refuse("A16.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, GrantClearanceLevel(tt.required, tt.granted), tt.want) })
	}
}

func TestCommissionMayAct(t *testing.T) {
	p := cleared.NewPersonID()
	m := cleared.CommissionMember{Person: p, Designator: "Premier ministre", From: now.AddDate(-1, 0, 0), Until: now.AddDate(2, 0, 0),
		President: true, PresidentFrom: now.AddDate(-1, 0, 0)}
	ts := []cleared.Clearance{clearance(p, cleared.TopSecret, now.AddDate(-1, 0, 0))}
	tsEndsToday := []cleared.Clearance{clearance(p, cleared.TopSecret, now.AddDate(-5, 0, 0))}
	secret := []cleared.Clearance{clearance(p, cleared.Secret, now.AddDate(-1, 0, 0))}
	other := []cleared.Clearance{clearance(cleared.NewPersonID(), cleared.TopSecret, now.AddDate(-1, 0, 0))}
	ended := m
	ended.Until = now
	oldPresident := m
	oldPresident.PresidentFrom = now.AddDate(-3, 0, 0)
	tests := []struct {
		name        string
		m           cleared.CommissionMember
		cs          []cleared.Clearance
		asPresident bool
		want        Decision
	}{
		{"A27.3 member with a valid TRES SECRET clearance acts", m, ts, false, allow()},
		{"A27.3 president within three years of election acts as president", m, ts, true, allow()},
		{"A27.3 member with only a SECRET clearance cannot act", m, secret, false, refuse("A27.3")},
		{"A27.3 member whose TRES SECRET clearance expires today cannot act", m, tsEndsToday, false, refuse("A27.3")},
		{"A27.3 member without clearance cannot act", m, nil, false, refuse("A27.3")},
		{"A27.3 another person's clearance does not count", m, other, false, refuse("A27.3")},
		{"A27.3 member whose term ended cannot act", ended, ts, false, refuse("A27.3")},
		{"A27.3 presidency ends three years after election", oldPresident, ts, true, refuse("A27.3")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, CommissionMayAct(tt.m, tt.cs, tt.asPresident, now), tt.want) })
	}
}

func TestClearanceStatus(t *testing.T) {
	p := cleared.NewPersonID()
	ts := clearance(p, cleared.TopSecret, now.AddDate(-5, 0, 0)) // expires exactly now
	tests := []struct {
		name string
		c    cleared.Clearance
		at   time.Time
		want cleared.ClearanceStatus
	}{
		{"A17.1 an active clearance before its expiry reads active", ts, now.Add(-time.Nanosecond), cleared.ClearanceActive},
		{"A17.1 an active clearance at the moment of its expiry reads expired", ts, now, cleared.ClearanceExpired},
		{"A17.1 an active clearance after its expiry reads expired", ts, now.Add(time.Hour), cleared.ClearanceExpired},
		{"A17.1 a recorded expiry earlier than Art. 17's counts", func() cleared.Clearance {
			c := clearance(p, cleared.Secret, now.AddDate(-1, 0, 0))
			c.Expires = now
			return c
		}(), now, cleared.ClearanceExpired},
		{"A27.1 a withdrawn clearance stays withdrawn past its expiry", withStatus(ts, cleared.ClearanceWithdrawn), now, cleared.ClearanceWithdrawn},
		{"A27.1 a suspended clearance stays suspended", withStatus(ts, cleared.ClearanceSuspended), now.Add(-time.Hour), cleared.ClearanceSuspended},
		{"A17.1 an expired record stays expired", withStatus(clearance(p, cleared.Secret, now), cleared.ClearanceExpired), now, cleared.ClearanceExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClearanceStatus(tt.c, tt.at); got != tt.want {
				t.Fatalf("status %s, want %s", got, tt.want)
			}
			// The status shown and the validity decided agree at every instant.
			if got, valid := ClearanceStatus(tt.c, tt.at), ClearanceValid(tt.c, tt.at).Allowed; valid != (got == cleared.ClearanceActive) && !tt.at.Before(tt.c.Issued) {
				t.Fatalf("shown %s but valid %v", got, valid)
			}
		})
	}
	t.Run("ClearancesAt copies", func(t *testing.T) {
		cs := []cleared.Clearance{ts}
		out := ClearancesAt(cs, now)
		if out[0].Status != cleared.ClearanceExpired || cs[0].Status != cleared.ClearanceActive {
			t.Fatalf("%v %v", out[0].Status, cs[0].Status)
		}
	})
}
