package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// testAgenda covers the queries of the agenda (registry.Agenda): reviews due among the pieces one may see (A3.2,
// A9.1), clearances expiring among the persons one answers for (A17.1), accounts locked out.
func testAgenda(t *testing.T, open opener) {
	t.Run("ReviewsDue", func(t *testing.T) { testReviewsDue(t, open) })
	t.Run("ExpiringClearances", func(t *testing.T) { testExpiringClearances(t, open) })
	t.Run("LockedAccounts", func(t *testing.T) { testLockedAccounts(t, open) })
}

func testReviewsDue(t *testing.T, open opener) {
	type fixture = readerWorld
	setup := func(t *testing.T) fixture { return newReaderWorld(t, open) }
	// The reader holds SECRET; reviews before day 30 are due.
	query := func(f fixture) store.ReviewQuery {
		return store.ReviewQuery{Person: f.reader.ID, MaxLevel: cleared.Secret, At: t0, By: day(30), Limit: 50}
	}
	due := func(t *testing.T, f fixture, q store.ReviewQuery) []cleared.PieceID {
		t.Helper()
		var ids []cleared.PieceID
		view(t, f.s, func(tx store.Tx) error {
			ps, err := tx.ReviewsDue(q)
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			return err
		})
		return ids
	}
	reviewed := func(f fixture, l cleared.Level, review time.Time) cleared.Piece {
		p := f.w.piece(l, day(-100))
		p.ReviewOn = review
		return p
	}

	t.Run("A3.2_overdue_and_soon_due_earliest_first", func(t *testing.T) {
		f := setup(t)
		soon, overdue, later, edge := reviewed(f, cleared.Secret, day(10)), reviewed(f, cleared.Confidential, day(-3)),
			reviewed(f, cleared.Secret, day(31)), reviewed(f, cleared.Secret, day(30))
		create(t, f.s, soon, overdue, later, edge)
		for _, p := range []cleared.Piece{soon, overdue, later, edge} {
			create(t, f.s, f.w.grant(f.reader.ID, p.ID))
		}
		same(t, "reviews due before day 30 (exclusive), earliest first", due(t, f, query(f)), []cleared.PieceID{overdue.ID, soon.ID})
		view(t, f.s, func(tx store.Tx) error {
			ps, err := tx.ReviewsDue(query(f))
			same(t, "ReviewsDue returns whole pieces", ps, []cleared.Piece{overdue, soon})
			return err
		})
	})
	t.Run("A9.1_only_pieces_one_may_see", func(t *testing.T) {
		f := setup(t)
		d, raised := f.w.dossier(cleared.Secret), f.w.dossier(cleared.TopSecret)
		direct, part, ungranted := reviewed(f, cleared.Secret, day(1)), reviewed(f, cleared.Confidential, day(2)), reviewed(f, cleared.Secret, day(3))
		above, expired, destroyed := reviewed(f, cleared.TopSecret, day(4)), reviewed(f, cleared.Secret, day(5)), reviewed(f, cleared.Secret, day(6))
		others, raisedPart := reviewed(f, cleared.Secret, day(7)), reviewed(f, cleared.TopSecret, day(8))
		part.Dossier, raisedPart.Dossier = d.ID, raised.ID
		ended := f.w.grant(f.reader.ID, expired.ID)
		ended.Until = t0
		create(t, f.s, d, raised, direct, part, ungranted, above, expired, destroyed, others, raisedPart,
			f.w.grant(f.reader.ID, direct.ID), f.w.grant(f.reader.ID, d.ID), f.w.grant(f.reader.ID, above.ID), ended,
			f.w.grant(f.reader.ID, destroyed.ID), f.w.grant(f.w.person.ID, others.ID), f.w.grant(f.reader.ID, raised.ID))
		update(t, f.s, func(tx store.Tx) error { return tx.MarkPieceDestroyed(destroyed.ID, day(-1)) })
		same(t, "reviews due of pieces seen through a grant on them or their dossier, up to SECRET, not destroyed",
			due(t, f, query(f)), []cleared.PieceID{direct.ID, part.ID})
	})
	t.Run("A3.2_limit_and_ties_by_ID", func(t *testing.T) {
		f := setup(t)
		var ps []cleared.Piece
		for range 5 {
			p := reviewed(f, cleared.Restricted, day(5))
			ps = append(ps, p)
			create(t, f.s, p, f.w.grant(f.reader.ID, p.ID))
		}
		want := []cleared.PieceID{}
		for _, p := range ps {
			want = append(want, p.ID)
		}
		slices.Sort(want)
		q := query(f)
		q.Limit = 3
		same(t, "three of five reviews due the same day, by ID", due(t, f, q), want[:3])
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		f := setup(t)
		view(t, f.s, func(tx store.Tx) error {
			q := query(f)
			q.Limit = 0
			_, err := tx.ReviewsDue(q)
			wantKind(t, "ReviewsDue with limit 0", err, cleared.ErrInvalid)
			q = query(f)
			q.By = time.Time{}
			_, err = tx.ReviewsDue(q)
			wantKind(t, "ReviewsDue without a horizon", err, cleared.ErrInvalid)
			return nil
		})
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

func testLockedAccounts(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		acc := func(login string, lockedUntil, disabled time.Time) cleared.Account {
			p := newPerson(w.org.ID)
			a := newAccount(w, p.ID, login)
			a.Failures, a.LockedUntil, a.Disabled = 7, lockedUntil, disabled
			create(t, s, p, a)
			return a
		}
		soon := acc("soon", t0.Add(time.Minute), time.Time{})
		later := acc("later", t0.Add(time.Hour), day(5)) // disabled from a later day: locked now
		acc("ended", t0, time.Time{})                    // locked until t0: free at t0
		acc("never", time.Time{}, time.Time{})
		acc("disabled", t0.Add(time.Hour), day(-2))
		view(t, s, func(tx store.Tx) error {
			got, err := tx.LockedAccounts(t0, 50)
			same(t, "accounts locked out at t0, the first unlocked first", got, []cleared.Account{soon, later})
			if err != nil {
				return err
			}
			got, err = tx.LockedAccounts(t0, 1)
			same(t, "the first account locked out", got, []cleared.Account{soon})
			return err
		})
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.LockedAccounts(t0, 0)
			wantKind(t, "LockedAccounts with limit 0", err, cleared.ErrInvalid)
			_, err = tx.LockedAccounts(time.Time{}, 10)
			wantKind(t, "LockedAccounts without a time", err, cleared.ErrInvalid)
			return nil
		})
	})
}
