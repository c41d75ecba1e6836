package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// A17.1: a reform entered with its date of entry into force (bill 8651) applies from that instant, not before.
func TestLawInForce(t *testing.T) {
	v1 := cleared.DefaultLaw()
	reform := cleared.DefaultLaw()
	reform.Version, reform.ValidFrom, reform.Note = 2, now.Add(24*time.Hour), "Bill 8651"
	reform.ClearanceValidityYears[cleared.TopSecret] = 4
	versions := []cleared.LawParameters{v1, reform}
	for _, tc := range []struct {
		name string
		at   time.Time
		want int
	}{
		{"A17.1 the 2004 law applies today", now, 1},
		{"A17.1 the reform does not apply an instant before its date", reform.ValidFrom.Add(-time.Nanosecond), 1},
		{"A17.1 the reform applies exactly at its date", reform.ValidFrom, 2},
		{"A17.1 the reform applies tomorrow", reform.ValidFrom.Add(time.Hour), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := LawInForce(versions, tc.at)
			if !ok || got.Version != tc.want {
				t.Fatalf("in force at %v: version %d (%v), want %d", tc.at, got.Version, ok, tc.want)
			}
		})
	}
	if _, ok := LawInForce(versions, v1.ValidFrom.Add(-time.Nanosecond)); ok {
		t.Fatal("a version is in force before the first")
	}
}

func TestClearanceExpiryUnder(t *testing.T) {
	issued := time.Date(2021, 11, 23, 10, 0, 0, 0, time.UTC)
	reform := cleared.DefaultLaw()
	reform.ClearanceValidityYears[cleared.TopSecret] = 4
	broken := cleared.DefaultLaw()
	delete(broken.ClearanceValidityYears, cleared.Secret)
	for _, tc := range []struct {
		name   string
		law    cleared.LawParameters
		level  cleared.Level
		want   time.Time
		refuse string
	}{
		{"A17.1 TRES SECRET: five years under the 2004 law", cleared.DefaultLaw(), cleared.TopSecret, issued.AddDate(5, 0, 0), ""},
		{"A17.1 SECRET: ten years under the 2004 law", cleared.DefaultLaw(), cleared.Secret, issued.AddDate(10, 0, 0), ""},
		{"A17.1 RESTREINT: ten years under the 2004 law", cleared.DefaultLaw(), cleared.Restricted, issued.AddDate(10, 0, 0), ""},
		{"A17.1 TRES SECRET: four years under a reform that says so", reform, cleared.TopSecret, issued.AddDate(4, 0, 0), ""},
		{"A17.1 parameters without a validity for the level refuse", broken, cleared.Secret, time.Time{}, "A17.1"},
		{"A16.1 an unclassified clearance is refused", cleared.DefaultLaw(), cleared.Unclassified, time.Time{}, "A16.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, d := ClearanceExpiryUnder(tc.law, tc.level, issued)
			if tc.refuse != "" {
				checkDecision(t, d, refuse(tc.refuse))
				return
			}
			checkDecision(t, d, allow())
			if !got.Equal(tc.want) {
				t.Fatalf("expiry %v, want %v", got, tc.want)
			}
		})
	}
	// The 2004 law as data gives what ClearanceExpiry, its rule as code, gives.
	for _, l := range cleared.Levels {
		got, _ := ClearanceExpiryUnder(cleared.DefaultLaw(), l, issued)
		if !got.Equal(ClearanceExpiry(l, issued)) {
			t.Errorf("%s: %v under DefaultLaw, %v by ClearanceExpiry", l, got, ClearanceExpiry(l, issued))
		}
	}
}
