package storetest

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

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
