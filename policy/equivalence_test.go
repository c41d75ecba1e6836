package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func TestForeignEquivalent(t *testing.T) {
	table := cleared.DefaultEquivalence()
	table.Version = 2
	// A partner whose scheme has no RESTREINT: France's markings since 2021 have no equivalent of it.
	table.Schemes["FR"] = map[cleared.Level]string{cleared.TopSecret: "TRES SECRET", cleared.Secret: "SECRET FR"}
	for _, tc := range []struct {
		name    string
		table   *cleared.EquivalenceTable
		scheme  cleared.Scheme
		level   cleared.Level
		want    Decision
		marking string
	}{
		{"A6.1 SECRET is NATO SECRET", &table, "NATO", cleared.Secret, allow(), "NATO SECRET"},
		{"A6.1 TRES SECRET is TRES SECRET UE", &table, "EU", cleared.TopSecret, allow(), "TRES SECRET UE/EU TOP SECRET"},
		{"A6.1 SECRET is SECRET FR", &table, "FR", cleared.Secret, allow(), "SECRET FR"},
		{"A6.1 RESTREINT has no French equivalent and is refused", &table, "FR", cleared.Restricted, refuse("A6.1"), ""},
		{"A6.1 CONFIDENTIEL has no French equivalent and is refused", &table, "FR", cleared.Confidential, refuse("A6.1"), ""},
		{"A6.1 a partner the table does not know is refused", &table, "DE", cleared.Secret, refuse("A6.1"), ""},
		{"A6.1 an unclassified level has no equivalent", &table, "NATO", cleared.Unclassified, refuse("A6.1"), ""},
		{"A6.1 an invalid level has no equivalent", &table, "NATO", cleared.Level(9), refuse("A6.1"), ""},
		{"A6.1 without a table in force nothing has an equivalent", nil, "NATO", cleared.Secret, refuse("A6.1"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, d := ForeignEquivalent(tc.table, tc.scheme, tc.level)
			checkDecision(t, d, tc.want)
			if m != tc.marking {
				t.Fatalf("marking %q, want %q", m, tc.marking)
			}
		})
	}
}

// A6.1: a table version that drops a partner's equivalent of a level makes its markings unknown from its date: the
// table in force is chosen by date, as the law's parameters are.
func TestForeignLevelFollowsTheTableInForce(t *testing.T) {
	v1 := cleared.DefaultEquivalence()
	v1.Schemes["FR"] = map[cleared.Level]string{cleared.Secret: "SECRET DEFENSE", cleared.Confidential: "CONFIDENTIEL DEFENSE"}
	v2 := cleared.DefaultEquivalence()
	v2.Version, v2.ValidFrom = 2, time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)
	v2.Schemes["FR"] = map[cleared.Level]string{cleared.Secret: "SECRET"}
	for _, tc := range []struct {
		name    string
		table   *cleared.EquivalenceTable
		marking string
		want    Decision
		level   cleared.Level
	}{
		{"A6.1 before the reform CONFIDENTIEL DEFENSE is CONFIDENTIEL", &v1, "CONFIDENTIEL DEFENSE", allow(), cleared.Confidential},
		{"A6.1 after it CONFIDENTIEL DEFENSE has no equivalent", &v2, "CONFIDENTIEL DEFENSE", refuse("A6.1"), 0},
		{"A6.1 after it SECRET (FR) is SECRET", &v2, "SECRET", allow(), cleared.Secret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, l, d := ForeignLevel(tc.table, tc.marking, cleared.Unclassified)
			checkDecision(t, d, tc.want)
			if d.Allowed && l != tc.level {
				t.Fatalf("level %v, want %v", l, tc.level)
			}
		})
	}
}
