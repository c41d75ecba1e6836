package storetest

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Issue 21: the sources cleared pulls from and the products received (S1, A6.1).

// newSource returns a TAXII source of partner, its products registered by the world's person as its authority.
func (w world) newSource(partner cleared.OrganisationID) cleared.Source {
	return cleared.Source{ID: cleared.NewSourceID(), Partner: partner, Kind: cleared.SourceTAXII,
		URL:       "https://taxii.partner.example/api/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/",
		Registrar: cleared.Actor{Person: w.person.ID}, Authority: w.auth.ID, Recorded: day(-10)}
}

// newReceipt returns the receipt of a STIX report of partner registered as piece, brought by source.
func (w world) newReceipt(partner cleared.OrganisationID, piece cleared.PieceID, source cleared.SourceID) cleared.Receipt {
	return cleared.Receipt{Partner: partner, UUID: "report--" + string(cleared.NewID("")), Version: day(-1).UTC(),
		Format: cleared.FormatSTIX, Marking: "NATO SECRET", Piece: piece, Source: source, Received: day(0), By: w.person.ID}
}

func testReceipts(t *testing.T, open opener) {
	t.Run("S1_source_put_get_list_and_cursor_moved", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		src := w.newSource(w.a.Organisation)
		misp := w.newSource(w.b.Organisation)
		misp.Kind, misp.URL, misp.Dossier, misp.Paused = cleared.SourceMISPFeed, "https://misp.partner.example/feed/", "", true
		update(t, s, func(tx store.Tx) error {
			if err := tx.PutSource(src); err != nil {
				return err
			}
			return tx.PutSource(misp)
		})
		second := w.world.piece(cleared.Secret, day(-1))
		create(t, s, second)
		older, newer := w.newReceipt(w.a.Organisation, w.piece.ID, src.ID), w.newReceipt(w.a.Organisation, second.ID, src.ID)
		newer.Received = day(1)
		update(t, s, func(tx store.Tx) error {
			if err := tx.RecordReceipt(older); err != nil {
				return err
			}
			return tx.RecordReceipt(newer)
		})
		view(t, s, func(tx store.Tx) error {
			rs, err := tx.SourceReceipts(src.ID, 10)
			same(t, "SourceReceipts, most recent first", rs, []cleared.Receipt{newer, older})
			if err != nil {
				return err
			}
			rs, err = tx.SourceReceipts(src.ID, 1)
			same(t, "SourceReceipts, limit 1", rs, []cleared.Receipt{newer})
			return err
		})
		src.Cursor, src.Polled, src.Succeeded, src.LastError = "2026-12-07T10:00:00.123456Z", day(1), day(1), ""
		misp.Polled, misp.LastError = day(1), "GET manifest.json: 503 Service Unavailable"
		update(t, s, func(tx store.Tx) error {
			if err := tx.PutSource(src); err != nil {
				return err
			}
			return tx.PutSource(misp)
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Source(src.ID)
			same(t, "Source after its poll", got, src)
			if err != nil {
				return err
			}
			all, err := tx.Sources(store.Page{Limit: 10})
			want := []cleared.Source{src, misp}
			if misp.ID < src.ID {
				want = []cleared.Source{misp, src}
			}
			same(t, "Sources by ID", all, want)
			return err
		})
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.Source(cleared.NewSourceID()); return err })
		wantKind(t, "a source that does not exist", err, cleared.ErrNotFound)
		bad := w.newSource(w.a.Organisation)
		bad.Kind = "rss"
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.PutSource(bad) })
		wantKind(t, "a source of an unknown kind", err, cleared.ErrInvalid)
	})
	t.Run("A6.1_receipt_names_the_foreign_originator_once_per_version", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		second := w.world.piece(cleared.Secret, day(-1))
		create(t, s, second)
		r1 := w.newReceipt(w.a.Organisation, w.piece.ID, "")
		r2 := r1
		r2.Version, r2.Piece, r2.Received = day(0).UTC(), second.ID, day(1)
		withdrawn := r1
		withdrawn.Version, withdrawn.Piece, withdrawn.Revoked = day(1).UTC(), "", true
		update(t, s, func(tx store.Tx) error {
			for _, r := range []cleared.Receipt{r1, r2, withdrawn} {
				if err := tx.RecordReceipt(r); err != nil {
					return err
				}
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.PieceReceipt(second.ID)
			same(t, "PieceReceipt", got, r2)
			if err != nil {
				return err
			}
			all, err := tx.Received(w.a.Organisation, r1.UUID)
			same(t, "Received, latest version first", all, []cleared.Receipt{withdrawn, r2, r1})
			if err != nil {
				return err
			}
			other, err := tx.Received(w.b.Organisation, r1.UUID)
			same(t, "the same UUID from another partner", len(other), 0)
			if err != nil {
				return err
			}
			none, err := tx.SourceReceipts(cleared.NewSourceID(), 10)
			same(t, "SourceReceipts of another source", len(none), 0)
			return err
		})
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.PieceReceipt(cleared.NewPieceID()); return err })
		wantKind(t, "the receipt of a piece not received", err, cleared.ErrNotFound)

		again := r1
		again.Piece = cleared.NewPieceID()
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.RecordReceipt(again) })
		wantKind(t, "the same product at the same version", err, cleared.ErrConflict)
		twice := r1
		twice.UUID, twice.Version = "report--other", time.Time{}
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.RecordReceipt(twice) })
		wantKind(t, "a piece that is another receipt's", err, cleared.ErrConflict)
		for name, r := range map[string]cleared.Receipt{
			"no UUID":                    func() cleared.Receipt { r := r1; r.UUID, r.Version = "", day(5); return r }(),
			"no piece and not withdrawn": func() cleared.Receipt { r := r1; r.Piece, r.Version = "", day(5); return r }(),
			"unknown format":             func() cleared.Receipt { r := r1; r.Format, r.Version = "csv", day(5); return r }(),
		} {
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RecordReceipt(r) })
			wantKind(t, name, err, cleared.ErrInvalid)
		}
	})
}
