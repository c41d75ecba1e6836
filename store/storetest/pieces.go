package storetest

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func testDossier(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		d := w.dossier(cleared.Secret)
		create(t, s, d)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Dossier(d.ID)
			same(t, "Dossier", got, d)
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Dossier(cleared.NewDossierID())
			wantKind(t, "Dossier of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		d := w.dossier(cleared.Secret)
		create(t, s, d)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateDossier(d) })
		wantKind(t, "CreateDossier with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("SetLevel", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		d := w.dossier(cleared.Confidential)
		create(t, s, d)
		update(t, s, func(tx store.Tx) error { return tx.SetDossierLevel(d.ID, cleared.TopSecret) })
		d.Level = cleared.TopSecret
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Dossier(d.ID)
			same(t, "Dossier after SetDossierLevel", got, d)
			return err
		})
	})
	t.Run("SetLevel_ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.SetDossierLevel(cleared.NewDossierID(), cleared.Secret)
		})
		wantKind(t, "SetDossierLevel of an unknown ID", err, cleared.ErrNotFound)
	})
	t.Run("Parts", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		d := w.dossier(cleared.Secret)
		first, second, outside := w.piece(cleared.Secret, day(-9)), w.piece(cleared.Restricted, day(-8)), w.piece(cleared.Secret, day(-7))
		first.Dossier, second.Dossier = d.ID, d.ID
		second.Destroyed = day(-1)
		create(t, s, d, second, first, outside)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.DossierParts(d.ID)
			same(t, "DossierParts, oldest first, destroyed ones included", got, []cleared.Piece{first, second})
			return err
		})
	})
}

func testPiece(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		d := w.dossier(cleared.TopSecret)
		place := newPlace(w)
		electronic := w.piece(cleared.Secret, day(-3))
		electronic.Reason = []cleared.Reason{cleared.ReasonSecurity, cleared.ReasonInternational}
		electronic.Dossier = d.ID
		electronic.Foreign = &cleared.ForeignMarking{Scheme: cleared.SchemeNATO, Marking: "NATO SECRET"}
		physical := cleared.Piece{
			ID: cleared.NewPieceID(), Kind: cleared.Physical, Title: "Carte d'état-major", Level: cleared.TopSecret,
			Reason: []cleared.Reason{cleared.ReasonPotential}, ReviewOn: day(3650), Originator: w.auth.ID,
			OrganisationID: w.org.ID, Custodian: w.person.ID, Location: place.ID, Created: day(-2),
			CreatedBy: w.person.ID,
		}
		create(t, s, d, place, electronic, physical)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Piece{electronic, physical} {
				got, err := tx.Piece(want.ID)
				if err != nil {
					return err
				}
				same(t, "Piece", got, want)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Piece(cleared.NewPieceID())
			wantKind(t, "Piece of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		create(t, s, p)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreatePiece(p) })
		wantKind(t, "CreatePiece with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid_unknown_dossier", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		p.Dossier = cleared.NewDossierID()
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreatePiece(p) })
		wantKind(t, "CreatePiece in a dossier that does not exist", err, cleared.ErrInvalid)
	})
	t.Run("A10.1_mark_destroyed", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		create(t, s, p)
		update(t, s, func(tx store.Tx) error { return tx.MarkPieceDestroyed(p.ID, t0) })
		p.Destroyed = t0
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Piece(p.ID)
			same(t, "Piece after MarkPieceDestroyed", got, p)
			return err
		})
	})
	t.Run("A10.1_mark_destroyed_ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		create(t, s, p)
		update(t, s, func(tx store.Tx) error { return tx.MarkPieceDestroyed(p.ID, t0) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.MarkPieceDestroyed(p.ID, day(1)) })
		wantKind(t, "MarkPieceDestroyed of a destroyed piece", err, cleared.ErrConflict)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Piece(p.ID)
			same(t, "destruction time after a second MarkPieceDestroyed", got.Destroyed, t0)
			return err
		})
	})
	t.Run("A10.1_mark_destroyed_ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.MarkPieceDestroyed(cleared.NewPieceID(), t0) })
		wantKind(t, "MarkPieceDestroyed of an unknown piece", err, cleared.ErrNotFound)
	})
}

func testContent(t *testing.T, open opener) {
	setup := func(t *testing.T) (store.Store, store.Content) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		c := store.Content{Piece: p.ID, KEK: "kek-2025-01", WrappedKey: []byte("wrapped data key, 40 bytes of it......."),
			Ciphertext: []byte("nonce and AES-256-GCM ciphertext")}
		create(t, s, p, c)
		return s, c
	}
	t.Run("OK", func(t *testing.T) {
		s, want := setup(t)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Content(want.Piece)
			same(t, "Content", got, want)
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		create(t, s, p)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Content(p.ID)
			wantKind(t, "Content of a piece without content", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s, c := setup(t)
		c.WrappedKey = []byte("another key")
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.PutContent(c) })
		wantKind(t, "PutContent of a piece that has content", err, cleared.ErrConflict)
	})
	t.Run("A10.1_destroy_key_keeps_ciphertext", func(t *testing.T) {
		s, c := setup(t)
		update(t, s, func(tx store.Tx) error { return tx.DestroyContentKey(c.Piece) })
		want := c
		want.WrappedKey = nil
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Content(c.Piece)
			same(t, "Content after DestroyContentKey", got, want)
			return err
		})
	})
	t.Run("A10.1_destroyed_key_stays_destroyed", func(t *testing.T) {
		s, c := setup(t)
		update(t, s, func(tx store.Tx) error { return tx.DestroyContentKey(c.Piece) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.DestroyContentKey(c.Piece) })
		wantKind(t, "DestroyContentKey twice", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.PutContent(c) })
		wantKind(t, "PutContent after the key was destroyed", err, cleared.ErrConflict)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Content(c.Piece)
			if got.WrappedKey != nil {
				t.Errorf("wrapped key came back: %q", got.WrappedKey)
			}
			return err
		})
	})
	t.Run("A10.1_destroy_key_ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.DestroyContentKey(cleared.NewPieceID()) })
		wantKind(t, "DestroyContentKey of a piece without content", err, cleared.ErrNotFound)
	})
}

// visible returns the IDs VisiblePieces answers, in its order.
func visible(t *testing.T, s store.Store, q store.VisibleQuery) []cleared.PieceID {
	t.Helper()
	var ids []cleared.PieceID
	view(t, s, func(tx store.Tx) error {
		ps, err := tx.VisiblePieces(q)
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		return err
	})
	return ids
}

// readerWorld is a fresh store with a world and a reader in its organisation, for the queries that start from
// one person's grants (VisiblePieces, ReviewsDue).
type readerWorld struct {
	s      store.Store
	w      world
	reader cleared.Person
}

func newReaderWorld(t *testing.T, open opener) readerWorld {
	s := open(t)
	w := newWorld(t, s)
	reader := newPerson(w.org.ID)
	create(t, s, reader)
	return readerWorld{s, w, reader}
}

func testVisiblePieces(t *testing.T, open opener) {
	// Each case: a world, a reader, pieces, and the grants given; the reader holds SECRET at t0.
	type fixture = readerWorld
	setup := func(t *testing.T) fixture { return newReaderWorld(t, open) }
	query := func(f fixture) store.VisibleQuery {
		return store.VisibleQuery{Person: f.reader.ID, MaxLevel: cleared.Secret, At: t0, Limit: 50}
	}
	check := func(t *testing.T, f fixture, what string, want ...cleared.PieceID) {
		t.Helper()
		same(t, what, visible(t, f.s, query(f)), want)
	}

	t.Run("A9.1_direct_grant", func(t *testing.T) {
		f := setup(t)
		granted, other := f.w.piece(cleared.Secret, day(-2)), f.w.piece(cleared.Restricted, day(-1))
		create(t, f.s, granted, other, f.w.grant(f.reader.ID, granted.ID))
		check(t, f, "pieces visible with one direct grant", granted.ID)
		view(t, f.s, func(tx store.Tx) error {
			ps, err := tx.VisiblePieces(query(f))
			same(t, "VisiblePieces returns whole pieces", ps, []cleared.Piece{granted})
			return err
		})
	})
	t.Run("A9.1_no_grant_sees_nothing", func(t *testing.T) {
		f := setup(t)
		create(t, f.s, f.w.piece(cleared.Restricted, day(-1)))
		check(t, f, "pieces visible without a grant, whatever the level")
	})
	t.Run("A9.1_dossier_grant_covers_parts", func(t *testing.T) {
		f := setup(t)
		d, elsewhere := f.w.dossier(cleared.Secret), f.w.dossier(cleared.Secret)
		first, second, outside := f.w.piece(cleared.Secret, day(-3)), f.w.piece(cleared.Confidential, day(-2)), f.w.piece(cleared.Secret, day(-1))
		first.Dossier, second.Dossier, outside.Dossier = d.ID, d.ID, elsewhere.ID
		create(t, f.s, d, elsewhere, first, second, outside, f.w.grant(f.reader.ID, d.ID))
		check(t, f, "parts visible through a grant on their dossier, newest first", second.ID, first.ID)
	})
	t.Run("A9.1_expired_grant_excluded", func(t *testing.T) {
		f := setup(t)
		p, q := f.w.piece(cleared.Secret, day(-2)), f.w.piece(cleared.Secret, day(-1))
		expired, endsNow := f.w.grant(f.reader.ID, p.ID), f.w.grant(f.reader.ID, q.ID)
		expired.Until = day(-1)
		endsNow.Until = t0 // Until is exclusive
		create(t, f.s, p, q, expired, endsNow)
		check(t, f, "pieces visible through grants that ended")
	})
	t.Run("A9.1_expired_dossier_grant_excluded", func(t *testing.T) {
		f := setup(t)
		d := f.w.dossier(cleared.Secret)
		p := f.w.piece(cleared.Secret, day(-2))
		p.Dossier = d.ID
		g := f.w.grant(f.reader.ID, d.ID)
		g.Until = day(-1)
		create(t, f.s, d, p, g)
		check(t, f, "parts visible through a dossier grant that ended")
	})
	t.Run("A9.1_grant_not_yet_started_excluded", func(t *testing.T) {
		f := setup(t)
		later, now := f.w.piece(cleared.Secret, day(-2)), f.w.piece(cleared.Secret, day(-1))
		starts, started := f.w.grant(f.reader.ID, later.ID), f.w.grant(f.reader.ID, now.ID)
		starts.From = t0.Add(time.Nanosecond)
		started.From = t0 // From is inclusive
		create(t, f.s, later, now, starts, started)
		check(t, f, "pieces visible through a grant starting after t0 and one starting at t0", now.ID)
	})
	t.Run("A9.1_revoked_grant_excluded", func(t *testing.T) {
		f := setup(t)
		p, q := f.w.piece(cleared.Secret, day(-2)), f.w.piece(cleared.Secret, day(-1))
		revoked, revokedLater := f.w.grant(f.reader.ID, p.ID), f.w.grant(f.reader.ID, q.ID)
		revokedLater.Revoked = day(1) // revoked after t0: still in force at t0
		create(t, f.s, p, q, revoked, revokedLater)
		update(t, f.s, func(tx store.Tx) error { return tx.RevokeGrant(revoked.ID, t0) })
		check(t, f, "pieces visible through a grant revoked at t0 and one revoked after", q.ID)
	})
	t.Run("A9.1_level_above_clearance_excluded", func(t *testing.T) {
		f := setup(t)
		d := f.w.dossier(cleared.TopSecret)
		secret, topSecret, part := f.w.piece(cleared.Secret, day(-3)), f.w.piece(cleared.TopSecret, day(-2)), f.w.piece(cleared.TopSecret, day(-1))
		part.Dossier = d.ID
		create(t, f.s, d, secret, topSecret, part,
			f.w.grant(f.reader.ID, secret.ID), f.w.grant(f.reader.ID, topSecret.ID), f.w.grant(f.reader.ID, d.ID))
		check(t, f, "pieces visible to a SECRET holder with grants on SECRET and TOP SECRET pieces", secret.ID)
	})
	t.Run("A9.1_destroyed_piece_excluded", func(t *testing.T) {
		f := setup(t)
		d := f.w.dossier(cleared.Secret)
		destroyed, part, kept := f.w.piece(cleared.Secret, day(-3)), f.w.piece(cleared.Secret, day(-2)), f.w.piece(cleared.Secret, day(-1))
		part.Dossier = d.ID
		create(t, f.s, d, destroyed, part, kept,
			f.w.grant(f.reader.ID, destroyed.ID), f.w.grant(f.reader.ID, d.ID), f.w.grant(f.reader.ID, kept.ID))
		update(t, f.s, func(tx store.Tx) error {
			if err := tx.MarkPieceDestroyed(destroyed.ID, day(-1)); err != nil {
				return err
			}
			return tx.MarkPieceDestroyed(part.ID, day(-1))
		})
		check(t, f, "pieces visible after two of three were destroyed", kept.ID)
	})
	t.Run("A9.1_other_persons_grant_excluded", func(t *testing.T) {
		f := setup(t)
		d := f.w.dossier(cleared.Secret)
		p, part := f.w.piece(cleared.Secret, day(-2)), f.w.piece(cleared.Secret, day(-1))
		part.Dossier = d.ID
		create(t, f.s, d, p, part, f.w.grant(f.w.person.ID, p.ID), f.w.grant(f.w.person.ID, d.ID))
		check(t, f, "pieces visible to a reader when only another person holds grants")
	})
	t.Run("A9.1_direct_and_dossier_grant_once", func(t *testing.T) {
		f := setup(t)
		d := f.w.dossier(cleared.Secret)
		p := f.w.piece(cleared.Secret, day(-1))
		p.Dossier = d.ID
		create(t, f.s, d, p, f.w.grant(f.reader.ID, p.ID), f.w.grant(f.reader.ID, p.ID), f.w.grant(f.reader.ID, d.ID))
		check(t, f, "a piece covered by two direct grants and a dossier grant", p.ID)
	})
	t.Run("A9.1_pages_newest_first_each_once", func(t *testing.T) {
		f := setup(t)
		d := f.w.dossier(cleared.Secret)
		objects := []any{d}
		var want []cleared.Piece
		for i := range 23 {
			// Pieces share creation times in threes, so the ID breaks ties.
			p := f.w.piece(cleared.Levels[i%3], day(-i/3))
			switch i % 4 {
			case 0:
				objects = append(objects, p, f.w.grant(f.reader.ID, p.ID))
			case 1:
				p.Dossier = d.ID
				objects = append(objects, p)
			case 2:
				p.Dossier = d.ID
				objects = append(objects, p, f.w.grant(f.reader.ID, p.ID))
			case 3:
				objects = append(objects, p, f.w.grant(f.reader.ID, p.ID), f.w.grant(f.reader.ID, p.ID))
			}
			want = append(want, p)
		}
		objects = append(objects, f.w.grant(f.reader.ID, d.ID))
		create(t, f.s, objects...)
		slices.SortFunc(want, func(a, b cleared.Piece) int {
			return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(b.ID, a.ID))
		})

		var got []cleared.Piece
		q := query(f)
		q.Limit = 4
		for range 10 {
			var page []cleared.Piece
			view(t, f.s, func(tx store.Tx) error {
				var err error
				page, err = tx.VisiblePieces(q)
				return err
			})
			got = append(got, page...)
			if len(page) < q.Limit {
				break
			}
			last := page[len(page)-1]
			q.After = &store.PieceCursor{Created: last.Created, ID: last.ID}
		}
		same(t, "every visible piece, newest first, four at a time", got, want)
	})
	t.Run("ErrInvalid_limit", func(t *testing.T) {
		f := setup(t)
		view(t, f.s, func(tx store.Tx) error {
			q := query(f)
			q.Limit = 0
			_, err := tx.VisiblePieces(q)
			wantKind(t, "VisiblePieces with limit 0", err, cleared.ErrInvalid)
			return nil
		})
	})
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
