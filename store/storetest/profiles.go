package storetest

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// profileDoc is a version of a ministry's profile taking effect at from.
func profileDoc(name string, version int, from time.Time, level string) cleared.RuleProfile {
	return cleared.RuleProfile{Name: name, Version: version, EffectiveFrom: from, Note: "arrêté ministériel",
		Scope: cleared.ProfileScope{Organisations: []cleared.OrganisationID{"org_ministry"}, Origins: []cleared.Scheme{"NATO"}},
		Rules: []cleared.ProfileRule{{Kind: cleared.RuleDestructionReport, From: level},
			{Kind: cleared.RuleRefuse, From: "SECRET", Actions: []string{"transmit"}, Reason: "by hand"}}}
}

func testProfiles(t *testing.T, open opener) {
	by := cleared.NewPersonID()
	put := func(t *testing.T, s store.Store, ps ...cleared.RuleProfile) {
		update(t, s, func(tx store.Tx) error {
			for _, p := range ps {
				if err := tx.PutProfile(p, by, t0); err != nil {
					return err
				}
			}
			return nil
		})
	}
	m1 := profileDoc("MinDef", 1, day(-30), "CONFIDENTIAL")
	m2 := profileDoc("MinDef", 2, day(10), "RESTRICTED")
	eu := profileDoc("EU", 1, day(-400), "SECRET")
	eu.Scope = cleared.ProfileScope{Origins: []cleared.Scheme{"EU"}}
	t.Run("A1.1_round_trip_versions_oldest_first", func(t *testing.T) {
		s := open(t)
		put(t, s, m2, m1, eu)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.ProfileVersions("MinDef")
			same(t, "ProfileVersions", got, []cleared.RuleProfile{m1, m2})
			return err
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.ProfileVersions("Nobody")
			same(t, "ProfileVersions of an unknown name", len(got), 0)
			return err
		})
	})
	t.Run("A1.1_latest_version_of_each_name", func(t *testing.T) {
		s := open(t)
		put(t, s, m1, m2, eu)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.LatestProfiles()
			same(t, "LatestProfiles", got, []cleared.RuleProfile{eu, m2})
			return err
		})
	})
	t.Run("A1.1_in_force_at_time", func(t *testing.T) {
		s := open(t)
		put(t, s, m1, m2, eu)
		for _, c := range []struct {
			name string
			at   time.Time
			want []cleared.RuleProfile
		}{
			{"before every version", day(-500), nil},
			{"the EU alone", day(-31), []cleared.RuleProfile{eu}},
			{"version 1 exactly at its date", m1.EffectiveFrom, []cleared.RuleProfile{eu, m1}},
			{"version 1 until version 2", m2.EffectiveFrom.Add(-time.Nanosecond), []cleared.RuleProfile{eu, m1}},
			{"version 2 exactly at its date", m2.EffectiveFrom, []cleared.RuleProfile{eu, m2}},
		} {
			view(t, s, func(tx store.Tx) error {
				got, err := tx.ProfilesInForce(c.at)
				if len(got) == 0 {
					got = nil
				}
				same(t, "ProfilesInForce "+c.name, got, c.want)
				return err
			})
		}
	})
	t.Run("A1.1_ErrConflict_on_an_existing_version", func(t *testing.T) {
		s := open(t)
		put(t, s, m1)
		again := m2
		again.Version = 1
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.PutProfile(again, by, t0) })
		wantKind(t, "PutProfile of an existing version", err, cleared.ErrConflict)
	})
}
