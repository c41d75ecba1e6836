package storetest

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func testClearance(t *testing.T, open opener) {
	newClearance := func(w world) cleared.Clearance {
		return cleared.Clearance{
			ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.person.ID,
			Level: cleared.Secret, Issued: day(-60), Expires: day(-60).AddDate(5, 0, 0),
			Status: cleared.ClearanceActive, Source: cleared.SourcePaperRegister, Reference: "REG-2019-0042",
			RecordedBy: w.person.ID, Recorded: day(-59),
		}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		psc := newClearance(w)
		older := newClearance(w)
		older.Issued, older.Status = day(-3000), cleared.ClearanceExpired
		fsc := cleared.Clearance{
			ID: cleared.NewClearanceID(), HolderKind: cleared.HolderFacility, OrganisationID: w.org.ID,
			Level: cleared.Confidential, Issued: day(-10), Expires: day(-10).AddDate(5, 0, 0),
			Status: cleared.ClearanceActive, Source: cleared.SourceVetting, RecordedBy: w.person.ID, Recorded: day(-10),
		}
		create(t, s, psc, older, fsc)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Clearance(psc.ID)
			if err != nil {
				return err
			}
			same(t, "Clearance", got, psc)
			list, err := tx.PersonClearances(w.person.ID)
			if err != nil {
				return err
			}
			same(t, "PersonClearances, oldest first, whatever the status", list, []cleared.Clearance{older, psc})
			list, err = tx.FacilityClearances(w.org.ID)
			same(t, "FacilityClearances", list, []cleared.Clearance{fsc})
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Clearance(cleared.NewClearanceID())
			wantKind(t, "Clearance of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := newClearance(w)
		create(t, s, c)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateClearance(c) })
		wantKind(t, "CreateClearance with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("SetStatus", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := newClearance(w)
		create(t, s, c)
		update(t, s, func(tx store.Tx) error { return tx.SetClearanceStatus(c.ID, cleared.ClearanceWithdrawn) })
		c.Status = cleared.ClearanceWithdrawn
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Clearance(c.ID)
			same(t, "Clearance after SetClearanceStatus", got, c)
			return err
		})
	})
	t.Run("SetStatus_ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.SetClearanceStatus(cleared.NewClearanceID(), cleared.ClearanceSuspended)
		})
		wantKind(t, "SetClearanceStatus of an unknown ID", err, cleared.ErrNotFound)
	})
}

func testExpiringClearances(t *testing.T, open opener) {
	// Clearances of persons of two organisations, as the NSA records them: expiry computed from the issue (A17.1).
	type fixture struct {
		s    store.Store
		w    world
		home cleared.Organisation // w.org
		away cleared.Organisation
	}
	setup := func(t *testing.T) fixture {
		s := open(t)
		w := newWorld(t, s)
		away := newOrganisation()
		create(t, s, away)
		return fixture{s: s, w: w, home: w.org, away: away}
	}
	person := func(t *testing.T, f fixture, o cleared.Organisation) cleared.Person {
		p := newPerson(o.ID)
		create(t, f.s, p)
		return p
	}
	clear := func(p cleared.Person, l cleared.Level, expires time.Time) cleared.Clearance {
		years := 10
		if l == cleared.TopSecret {
			years = 5
		}
		issued := expires.AddDate(-years, 0, 0)
		return cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: p.ID, Level: l,
			Issued: issued, Expires: expires, Status: cleared.ClearanceActive, Source: cleared.SourcePaperRegister,
			Reference: "REG", RecordedBy: p.ID, Recorded: issued}
	}
	// Due in the six months from t0: [t0, day(180)).
	query := func(orgs ...cleared.OrganisationID) store.ExpiryQuery {
		return store.ExpiryQuery{Organisations: orgs, From: t0, By: day(180), Limit: 50}
	}
	expiring := func(t *testing.T, f fixture, q store.ExpiryQuery) []cleared.ClearanceID {
		t.Helper()
		var ids []cleared.ClearanceID
		view(t, f.s, func(tx store.Tx) error {
			cs, err := tx.ExpiringClearances(q)
			for _, c := range cs {
				ids = append(ids, c.ID)
			}
			return err
		})
		return ids
	}

	t.Run("A17.1_within_the_window_soonest_first", func(t *testing.T) {
		f := setup(t)
		a, b, c, d, e := person(t, f, f.home), person(t, f, f.home), person(t, f, f.home), person(t, f, f.home), person(t, f, f.home)
		soon, later, gone, far, edge := clear(a, cleared.Secret, day(60)), clear(b, cleared.TopSecret, day(10)),
			clear(c, cleared.Secret, day(-1)), clear(d, cleared.Confidential, day(400)), clear(e, cleared.Secret, day(180))
		atStart := clear(person(t, f, f.home), cleared.Restricted, t0)
		create(t, f.s, soon, later, gone, far, edge, atStart)
		same(t, "clearances expiring in [t0, day 180)", expiring(t, f, query(f.home.ID)),
			[]cleared.ClearanceID{atStart.ID, later.ID, soon.ID})
		view(t, f.s, func(tx store.Tx) error {
			cs, err := tx.ExpiringClearances(query(f.home.ID))
			same(t, "ExpiringClearances returns whole clearances", cs, []cleared.Clearance{atStart, later, soon})
			return err
		})
	})
	t.Run("A17.1_an_expiry_recorded_past_Art_17_is_found_by_the_issue_date", func(t *testing.T) {
		f := setup(t)
		long := clear(person(t, f, f.home), cleared.TopSecret, day(30))
		long.Expires = long.Issued.AddDate(10, 0, 0) // a bad record: Art. 17 ends it at day 30 all the same
		secret := clear(person(t, f, f.home), cleared.Secret, day(40))
		secret.Expires = secret.Issued.AddDate(12, 0, 0)
		create(t, f.s, long, secret)
		same(t, "clearances whose Art. 17 expiry falls in the window", expiring(t, f, query(f.home.ID)),
			[]cleared.ClearanceID{secret.ID, long.ID})
	})
	t.Run("A17.1_not_replaced_not_withdrawn_not_a_facility", func(t *testing.T) {
		f := setup(t)
		renewed, withdrawn, kept := person(t, f, f.home), person(t, f, f.home), person(t, f, f.home)
		old, fresh := clear(renewed, cleared.TopSecret, day(20)), clear(renewed, cleared.TopSecret, day(20).AddDate(1, 0, 0))
		off := clear(withdrawn, cleared.Secret, day(20))
		off.Status = cleared.ClearanceWithdrawn
		// A lower clearance issued before the one that expires does not replace it.
		base, upgrade := clear(kept, cleared.Secret, day(900)), clear(kept, cleared.TopSecret, day(25))
		fsc := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderFacility, OrganisationID: f.home.ID,
			Level: cleared.Confidential, Issued: day(20).AddDate(-10, 0, 0), Expires: day(20), Status: cleared.ClearanceActive,
			Source: cleared.SourceVetting, RecordedBy: f.w.person.ID, Recorded: day(-1)}
		create(t, f.s, old, fresh, off, base, upgrade, fsc)
		same(t, "the last clearance of each person, active, person clearances only", expiring(t, f, query(f.home.ID)),
			[]cleared.ClearanceID{upgrade.ID})
	})
	t.Run("A23.1_organisations_asked_or_all", func(t *testing.T) {
		f := setup(t)
		third := newOrganisation()
		create(t, f.s, third)
		h, a, x := clear(person(t, f, f.home), cleared.Secret, day(10)), clear(person(t, f, f.away), cleared.Secret, day(20)),
			clear(person(t, f, third), cleared.Secret, day(30))
		create(t, f.s, h, a, x)
		same(t, "clearances of one organisation's staff", expiring(t, f, query(f.home.ID)), []cleared.ClearanceID{h.ID})
		same(t, "clearances of two organisations' staff", expiring(t, f, query(f.away.ID, third.ID)), []cleared.ClearanceID{a.ID, x.ID})
		all := query()
		all.All = true
		same(t, "clearances of everyone", expiring(t, f, all), []cleared.ClearanceID{h.ID, a.ID, x.ID})
		same(t, "clearances of no organisation", expiring(t, f, query()), []cleared.ClearanceID(nil))
		limited := all
		limited.Limit = 2
		same(t, "the first two of everyone's", expiring(t, f, limited), []cleared.ClearanceID{h.ID, a.ID})
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		f := setup(t)
		view(t, f.s, func(tx store.Tx) error {
			q := query(f.home.ID)
			q.Limit = 0
			_, err := tx.ExpiringClearances(q)
			wantKind(t, "ExpiringClearances with limit 0", err, cleared.ErrInvalid)
			q = query(f.home.ID)
			q.From = time.Time{}
			_, err = tx.ExpiringClearances(q)
			wantKind(t, "ExpiringClearances without a start", err, cleared.ErrInvalid)
			return nil
		})
	})
}
