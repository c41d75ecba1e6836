package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func (w world) inventory() cleared.Inventory {
	return cleared.Inventory{ID: cleared.NewInventoryID(), OrganisationID: w.org.ID, OpenedBy: w.person.ID, Opened: day(-1)}
}

func testInventory(t *testing.T, open opener) {
	t.Run("A13.1_items_checked_and_closed_with_what_is_missing", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-5))
		create(t, s, p)
		c := w.copyOf(p.ID, 1)
		createCopies(t, s, nil, []cleared.Copy{c})
		inv := w.inventory()
		update(t, s, func(tx store.Tx) error {
			return tx.CreateInventory(inv, []cleared.InventoryItem{{Piece: p.ID}, {Piece: p.ID, Copy: c.ID}})
		})
		yes, no := true, false
		present := cleared.InventoryItem{Inventory: inv.ID, Number: 1, Piece: p.ID, Present: &yes, CheckedBy: w.person.ID, Checked: day(0)}
		missing := cleared.InventoryItem{Inventory: inv.ID, Number: 2, Piece: p.ID, Copy: c.ID, Present: &no, Note: "not in the safe",
			CheckedBy: w.person.ID, Checked: day(0)}
		update(t, s, func(tx store.Tx) error {
			if err := tx.CheckInventoryItem(present); err != nil {
				return err
			}
			return tx.CheckInventoryItem(missing)
		})
		inv.Closed, inv.ClosedBy, inv.Missing, inv.Note = day(0), w.person.ID, 1, "one copy missing"
		update(t, s, func(tx store.Tx) error { return tx.CloseInventory(inv) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CloseInventory(inv) })
		wantKind(t, "CloseInventory twice", err, cleared.ErrConflict)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Inventory(inv.ID)
			if err != nil {
				return err
			}
			same(t, "Inventory", got, inv)
			its, err := tx.InventoryItems(inv.ID)
			if err != nil {
				return err
			}
			same(t, "InventoryItems", its, []cleared.InventoryItem{present, missing})
			list, err := tx.Inventories(w.org.ID, 10)
			if err != nil {
				return err
			}
			same(t, "Inventories of the organisation", list, []cleared.Inventory{inv})
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Inventory(cleared.NewInventoryID())
			wantKind(t, "Inventory of an unknown ID", err, cleared.ErrNotFound)
			err = tx.CheckInventoryItem(cleared.InventoryItem{Inventory: cleared.NewInventoryID(), Number: 1})
			wantKind(t, "CheckInventoryItem of an unknown item", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("HeldPieces", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		pl := newPlace(w)
		held := w.piece(cleared.Secret, day(-5))
		kept := w.piece(cleared.Confidential, day(-4))
		kept.Kind, kept.Custodian, kept.Location, kept.ContentType, kept.ContentSize = cleared.Physical, w.person.ID, pl.ID, "", 0
		gone := w.piece(cleared.Secret, day(-3))
		create(t, s, pl, held, kept, gone)
		update(t, s, func(tx store.Tx) error { return tx.MarkPieceDestroyed(gone.ID, day(0)) })
		view(t, s, func(tx store.Tx) error {
			ps, err := tx.HeldPieces(w.org.ID, "")
			if err != nil {
				return err
			}
			same(t, "HeldPieces of the organisation, not destroyed", ps, []cleared.Piece{held, kept})
			ps, err = tx.HeldPieces("", w.person.ID)
			if err != nil {
				return err
			}
			same(t, "HeldPieces of a custodian", ps, []cleared.Piece{kept})
			return nil
		})
	})
}
