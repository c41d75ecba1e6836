package storetest

import (
	"crypto/sha256"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func newPlace(w world) cleared.Place {
	return cleared.Place{
		ID: cleared.NewPlaceID(), OrganisationID: w.org.ID, Name: "Salle forte B-12", AccreditedLevel: cleared.TopSecret,
		SecurityZone: true, Officer: w.person.ID, Created: day(-50),
	}
}

func testPlace(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		zone := newPlace(w)
		lobby := newPlace(w)
		lobby.Name, lobby.AccreditedLevel, lobby.SecurityZone, lobby.Public = "Hall d'accueil", cleared.Unclassified, false, true
		create(t, s, zone, lobby)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Place{zone, lobby} {
				got, err := tx.Place(want.ID)
				if err != nil {
					return err
				}
				same(t, "Place", got, want)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Place(cleared.NewPlaceID())
			wantKind(t, "Place of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := newPlace(w)
		create(t, s, p)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreatePlace(p) })
		wantKind(t, "CreatePlace with an existing ID", err, cleared.ErrConflict)
	})
}

func testTerminal(t *testing.T, open opener) {
	newTerminal := func(w world, place cleared.PlaceID) cleared.Terminal {
		return cleared.Terminal{
			ID: cleared.NewTerminalID(), Name: "Poste 12", Place: place, AccreditedLevel: cleared.Secret,
			SecurityZone: true, RegisteredBy: w.person.ID, Created: day(-10),
		}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		place := newPlace(w)
		inZone := newTerminal(w, place.ID)
		roaming := newTerminal(w, "")
		roaming.SecurityZone, roaming.Public, roaming.Revoked = false, true, day(-1)
		create(t, s, place, inZone, roaming)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Terminal{inZone, roaming} {
				got, err := tx.Terminal(want.ID)
				if err != nil {
					return err
				}
				same(t, "Terminal", got, want)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Terminal(cleared.NewTerminalID())
			wantKind(t, "Terminal of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		tm := newTerminal(w, "")
		create(t, s, tm)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateTerminal(tm) })
		wantKind(t, "CreateTerminal with an existing ID", err, cleared.ErrConflict)
	})
}

func testChannel(t *testing.T, open opener) {
	newChannel := func() cleared.Channel {
		return cleared.Channel{
			ID: cleared.NewChannelID(), Name: "Réseau gouvernemental", MaxLevel: cleared.Secret,
			CryptoProduct: "TCE 621", ApprovedBy: cleared.NewPersonID(), From: day(-100), Until: day(265),
			Created: day(-101),
		}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		want := newChannel()
		create(t, s, want)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Channel(want.ID)
			same(t, "Channel", got, want)
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Channel(cleared.NewChannelID())
			wantKind(t, "Channel of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		c := newChannel()
		create(t, s, c)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateChannel(c) })
		wantKind(t, "CreateChannel with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("Page", func(t *testing.T) {
		s := open(t)
		var want []cleared.Channel
		for range 5 {
			c := newChannel()
			create(t, s, c)
			want = append(want, c)
		}
		slices.SortFunc(want, func(a, b cleared.Channel) int { return strings.Compare(string(a.ID), string(b.ID)) })
		got := pageThrough(t, s, 5, func(c cleared.Channel) string { return string(c.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.Channel, error) { return tx.Channels(p) })
		same(t, "Channels, by ID, five at a time", got, want)
	})
}

func testToken(t *testing.T, open opener) {
	newToken := func(w world, secret string) cleared.Token {
		h := sha256.Sum256([]byte(secret))
		return cleared.Token{
			ID: cleared.NewTokenID(), PersonID: w.person.ID, Label: "laptop", Hash: h[:], Created: day(-1),
			Expires: day(89),
		}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		tm := cleared.Terminal{ID: cleared.NewTerminalID(), Name: "Poste 3", RegisteredBy: w.person.ID, Created: day(-9)}
		plain, onTerminal := newToken(w, "secret one"), newToken(w, "secret two")
		onTerminal.Terminal = tm.ID
		create(t, s, tm, plain, onTerminal)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Token{plain, onTerminal} {
				got, err := tx.TokenByHash(want.Hash)
				if err != nil {
					return err
				}
				same(t, "TokenByHash", got, want)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		create(t, s, newToken(w, "secret"))
		view(t, s, func(tx store.Tx) error {
			h := sha256.Sum256([]byte("another secret"))
			_, err := tx.TokenByHash(h[:])
			wantKind(t, "TokenByHash of an unknown secret", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		k := newToken(w, "secret")
		create(t, s, k)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateToken(k) })
		wantKind(t, "CreateToken with an existing ID", err, cleared.ErrConflict)
		sameHash := newToken(w, "secret")
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateToken(sameHash) })
		wantKind(t, "CreateToken with an existing hash", err, cleared.ErrConflict)
	})
	t.Run("Revoke", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		k := newToken(w, "secret")
		create(t, s, k)
		update(t, s, func(tx store.Tx) error { return tx.RevokeToken(k.ID, t0) })
		k.Revoked = t0
		view(t, s, func(tx store.Tx) error {
			got, err := tx.TokenByHash(k.Hash)
			same(t, "token after RevokeToken", got, k)
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RevokeToken(k.ID, day(1)) })
		wantKind(t, "RevokeToken of a revoked token", err, cleared.ErrConflict)
	})
	t.Run("Revoke_ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RevokeToken(cleared.NewTokenID(), t0) })
		wantKind(t, "RevokeToken of an unknown ID", err, cleared.ErrNotFound)
	})
}

func testEquivalence(t *testing.T, open opener) {
	by := cleared.NewPersonID()
	v1 := cleared.DefaultEquivalence()
	v2 := cleared.DefaultEquivalence()
	v2.Version, v2.ValidFrom, v2.Note = 2, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), "Bilateral agreement with France"
	v2.Schemes["FR"] = map[cleared.Level]string{cleared.Secret: "SECRET", cleared.Confidential: "CONFIDENTIEL DEFENSE"}
	// Version 3 corrects version 2 from an earlier date: the highest version in force wins, not the latest date.
	v3 := cleared.DefaultEquivalence()
	v3.Version, v3.ValidFrom, v3.Note = 3, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC), "Correction"
	put := func(t *testing.T, s store.Store, ts ...cleared.EquivalenceTable) {
		update(t, s, func(tx store.Tx) error {
			for _, e := range ts {
				if err := tx.PutEquivalence(e, by, t0); err != nil {
					return err
				}
			}
			return nil
		})
	}
	at := func(t *testing.T, s store.Store, when time.Time) (cleared.EquivalenceTable, error) {
		var e cleared.EquivalenceTable
		err := s.View(t.Context(), func(tx store.Tx) error {
			var err error
			e, err = tx.Equivalence(when)
			return err
		})
		return e, err
	}
	t.Run("A6.1_version_in_force_at_time", func(t *testing.T) {
		s := open(t)
		put(t, s, v1, v2)
		for _, c := range []struct {
			when time.Time
			want cleared.EquivalenceTable
		}{
			{v1.ValidFrom, v1},
			{time.Date(2010, 5, 5, 0, 0, 0, 0, time.UTC), v1},
			{v2.ValidFrom.Add(-time.Nanosecond), v1},
			{v2.ValidFrom, v2},
			{t0, v2},
		} {
			got, err := at(t, s, c.when)
			if err != nil {
				t.Fatalf("Equivalence(%s): %v", c.when, err)
			}
			same(t, "Equivalence at "+c.when.String(), got, c.want)
		}
	})
	t.Run("A6.1_highest_version_in_force_wins", func(t *testing.T) {
		s := open(t)
		put(t, s, v1, v2, v3)
		got, err := at(t, s, t0)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "Equivalence after a correcting version", got.Version, 3)
		got, err = at(t, s, time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		same(t, "Equivalence before the correction took effect", got.Version, 1)
	})
	t.Run("A6.1_ErrNotFound_before_first_version", func(t *testing.T) {
		s := open(t)
		put(t, s, v1)
		_, err := at(t, s, v1.ValidFrom.Add(-time.Nanosecond))
		wantKind(t, "Equivalence before version 1", err, cleared.ErrNotFound)
	})
	t.Run("A6.1_ErrConflict", func(t *testing.T) {
		s := open(t)
		put(t, s, v1)
		again := v2
		again.Version = 1
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.PutEquivalence(again, by, t0) })
		wantKind(t, "PutEquivalence of an existing version", err, cleared.ErrConflict)
	})
	t.Run("A6.1_versions_oldest_first", func(t *testing.T) {
		s := open(t)
		put(t, s, v2, v1)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.EquivalenceVersions()
			same(t, "EquivalenceVersions", got, []cleared.EquivalenceTable{v1, v2})
			return err
		})
	})
}

func testMeta(t *testing.T, open opener) {
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Meta("installation_id")
			wantKind(t, "Meta of an unset key", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		update(t, s, func(tx store.Tx) error { return tx.SetMeta("installation_id", "one") })
		update(t, s, func(tx store.Tx) error { return tx.SetMeta("installation_id", "two") })
		update(t, s, func(tx store.Tx) error { return tx.SetMeta("other", "") })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Meta("installation_id")
			if err != nil {
				return err
			}
			same(t, "Meta after two SetMeta", got, "two")
			got, err = tx.Meta("other")
			same(t, "Meta set to the empty string", got, "")
			return err
		})
	})
}

func testTime(t *testing.T, open opener) {
	t.Run("UTC_nanoseconds", func(t *testing.T) {
		s := open(t)
		paris := time.FixedZone("CET", 3600)
		o := newOrganisation()
		o.Created = time.Date(2031, 12, 31, 23, 59, 59, 999999999, paris)
		create(t, s, o)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Organisation(o.ID)
			if !got.Created.Equal(o.Created) || got.Created.Location() != time.UTC {
				t.Errorf("time %s came back as %s, want the same instant in UTC", o.Created, got.Created)
			}
			return err
		})
	})
	t.Run("ErrInvalid_out_of_range", func(t *testing.T) {
		s := open(t)
		for _, when := range []time.Time{
			time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
			time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC),
		} {
			o := newOrganisation()
			o.Created = when
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateOrganisation(o) })
			wantKind(t, "CreateOrganisation created in "+strconv.Itoa(when.Year()), err, cleared.ErrInvalid)
		}
	})
	t.Run("ErrInvalid_required_time_missing", func(t *testing.T) {
		s := open(t)
		o := newOrganisation()
		o.Created = time.Time{}
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateOrganisation(o) })
		wantKind(t, "CreateOrganisation without a creation time", err, cleared.ErrInvalid)
	})
}

// absent fails the test if the organisation exists.
func absent(t *testing.T, s store.Store, id cleared.OrganisationID, what string) {
	t.Helper()
	err := s.View(t.Context(), func(tx store.Tx) error {
		_, err := tx.Organisation(id)
		return err
	})
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Errorf("%s: organisation %s: got %v, want it absent", what, id, err)
	}
}

func testUpdate(t *testing.T, open opener) {
	t.Run("Error_commits_nothing", func(t *testing.T) {
		s := open(t)
		o := newOrganisation()
		refused := errors.New("refused by policy")
		err := s.Update(t.Context(), func(tx store.Tx) error {
			if err := tx.CreateOrganisation(o); err != nil {
				return err
			}
			return refused
		})
		if err != refused {
			t.Errorf("Update returned %v, want the function's error unchanged", err)
		}
		absent(t, s, o.ID, "after Update whose function failed")
	})
	t.Run("Failed_statement_rolls_back_everything", func(t *testing.T) {
		s := open(t)
		existing := newOrganisation()
		create(t, s, existing)
		o := newOrganisation()
		err := s.Update(t.Context(), func(tx store.Tx) error {
			if err := tx.CreateOrganisation(o); err != nil {
				return err
			}
			return tx.CreateOrganisation(existing)
		})
		wantKind(t, "Update creating a duplicate", err, cleared.ErrConflict)
		absent(t, s, o.ID, "after a failed statement")
	})
	t.Run("Ignored_failed_statement_commits_nothing", func(t *testing.T) {
		s := open(t)
		existing := newOrganisation()
		create(t, s, existing)
		o := newOrganisation()
		err := s.Update(t.Context(), func(tx store.Tx) error {
			if err := tx.CreateOrganisation(o); err != nil {
				return err
			}
			_ = tx.CreateOrganisation(existing) // a careless caller
			return nil
		})
		if err == nil {
			t.Error("Update committed a transaction in which a statement failed")
		}
		absent(t, s, o.ID, "after an ignored failed statement")
	})
	t.Run("Panic_commits_nothing", func(t *testing.T) {
		s := open(t)
		o := newOrganisation()
		func() {
			defer func() { _ = recover() }()
			_ = s.Update(t.Context(), func(tx store.Tx) error {
				if err := tx.CreateOrganisation(o); err != nil {
					return err
				}
				panic("service bug")
			})
		}()
		absent(t, s, o.ID, "after a panic in Update")
	})
	t.Run("Concurrent_increments_all_count", func(t *testing.T) {
		// Each Update reads a counter and writes it plus one: none may be lost (PostgreSQL retries the
		// transactions that collide, SQLite runs them one at a time).
		s := open(t)
		const workers, each = 4, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for range workers {
			wg.Go(func() {
				for range each {
					errs <- s.Update(t.Context(), func(tx store.Tx) error {
						n := 0
						v, err := tx.Meta("counter")
						switch {
						case err == nil:
							n, err = strconv.Atoi(v)
							if err != nil {
								return err
							}
						case !errors.Is(err, cleared.ErrNotFound):
							return err
						}
						return tx.SetMeta("counter", strconv.Itoa(n+1))
					})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent Update: %v", err)
			}
		}
		view(t, s, func(tx store.Tx) error {
			v, err := tx.Meta("counter")
			same(t, "counter after concurrent increments", v, strconv.Itoa(workers*each))
			return err
		})
	})
	t.Run("Ping", func(t *testing.T) {
		s := open(t)
		if err := s.Ping(t.Context()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

func testView(t *testing.T, open opener) {
	t.Run("Sees_committed", func(t *testing.T) {
		s := open(t)
		o := newOrganisation()
		create(t, s, o)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Organisation(o.ID)
			same(t, "Organisation seen by View after Update", got, o)
			return err
		})
	})
	t.Run("Read_only", func(t *testing.T) {
		s := open(t)
		o := newOrganisation()
		err := s.View(t.Context(), func(tx store.Tx) error { return tx.CreateOrganisation(o) })
		if err == nil {
			t.Error("View let a write through")
		}
		absent(t, s, o.ID, "after a write in View")
	})
	t.Run("Error_returned_unchanged", func(t *testing.T) {
		s := open(t)
		mine := errors.New("mine")
		if err := s.View(t.Context(), func(store.Tx) error { return mine }); err != mine {
			t.Errorf("View returned %v, want the function's error unchanged", err)
		}
	})
}
