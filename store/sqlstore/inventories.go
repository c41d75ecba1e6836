package sqlstore

import (
	"database/sql"
	"strconv"

	"github.com/cleared/cleared"
)

// inventoryCodec seals the rows of inventories: what was found missing is the record of a possible compromise
// (A13.1).
var inventoryCodec = codec[cleared.Inventory]{table: "inventories",
	key: func(v cleared.Inventory) string { return string(v.ID) },
	row: func(v cleared.Inventory) ([]any, error) {
		return []any{string(v.ID), string(v.OrganisationID), null(v.Holder), string(v.OpenedBy), ns(v.Opened),
			null(v.ClosedBy), ns(v.Closed), int64(v.Missing), v.Note}, nil
	}}

// inventoryColumns are the columns scanInventory reads, and the MAC.
const inventoryColumns = `id, organisation_id, holder, opened_by, opened, closed_by, closed, missing, note, mac`

func scanInventory(s scanner) (cleared.Inventory, error) {
	var v cleared.Inventory
	err := s.Scan(&v.ID, &v.OrganisationID, opt(&v.Holder), &v.OpenedBy, ts(&v.Opened), opt(&v.ClosedBy), ts(&v.Closed),
		&v.Missing, &v.Note)
	return v, err
}

// inventoryItemCodec seals the rows of inventory_items.
var inventoryItemCodec = codec[cleared.InventoryItem]{table: "inventory_items",
	key: func(it cleared.InventoryItem) string { return string(it.Inventory) + "/" + itoa(it.Number) },
	row: func(it cleared.InventoryItem) ([]any, error) {
		var present any
		if it.Present != nil {
			present = int64(bit(*it.Present))
		}
		return []any{string(it.Inventory), int64(it.Number), string(it.Piece), null(it.Copy), present, it.Note,
			null(it.CheckedBy), ns(it.Checked)}, nil
	}}

// inventoryItemColumns are the columns scanInventoryItem reads, and the MAC.
const inventoryItemColumns = `inventory_id, number, piece_id, copy_id, present, note, checked_by, checked, mac`

func scanInventoryItem(s scanner) (cleared.InventoryItem, error) {
	var (
		it      cleared.InventoryItem
		present sql.NullInt64
	)
	err := s.Scan(&it.Inventory, &it.Number, &it.Piece, opt(&it.Copy), &present, &it.Note, opt(&it.CheckedBy), ts(&it.Checked))
	if present.Valid {
		b := present.Int64 == 1
		it.Present = &b
	}
	return it, err
}

// CreateInventory stores inv and its items, numbered from 1 in the order given; ErrConflict if its ID exists.
func (tx *Tx) CreateInventory(inv cleared.Inventory, items []cleared.InventoryItem) error {
	err := checkTimes(inv.Opened, inv.Closed)
	var args []any
	if err == nil {
		args, err = sealRow(tx, inventoryCodec, inv)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO inventories (`+inventoryColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, args...)
	}
	for i, it := range items {
		if err != nil {
			break
		}
		it.Inventory, it.Number = inv.ID, i+1
		if err = checkTimes(it.Checked); err == nil {
			args, err = sealRow(tx, inventoryItemCodec, it)
		}
		if err == nil {
			_, err = tx.exec(`INSERT INTO inventory_items (`+inventoryItemColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, args...)
		}
	}
	if err != nil {
		return tx.errorf(err, "create inventory %s", inv.ID)
	}
	return nil
}

// Inventory returns the inventory with the given ID; ErrNotFound if there is none.
func (tx *Tx) Inventory(id cleared.InventoryID) (cleared.Inventory, error) {
	v, err := get(tx, checked(tx, inventoryCodec, scanInventory), `SELECT `+inventoryColumns+` FROM inventories WHERE id = $1`, id)
	if err != nil {
		return cleared.Inventory{}, tx.notFound(err, "inventory", id)
	}
	return v, nil
}

// Inventories lists the inventories of org (every one if empty), newest first, at most limit.
func (tx *Tx) Inventories(org cleared.OrganisationID, limit int) ([]cleared.Inventory, error) {
	if err := checkPage(limit); err != nil {
		return nil, err
	}
	query, args := `SELECT `+inventoryColumns+` FROM inventories ORDER BY opened DESC, id DESC LIMIT $1`, []any{limit}
	if org != "" {
		query, args = `SELECT `+inventoryColumns+` FROM inventories WHERE organisation_id = $1
			ORDER BY opened DESC, id DESC LIMIT $2`, []any{string(org), limit}
	}
	vs, err := list(tx, checked(tx, inventoryCodec, scanInventory), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list inventories")
	}
	return vs, nil
}

// InventoryItems lists an inventory's items by number.
func (tx *Tx) InventoryItems(id cleared.InventoryID) ([]cleared.InventoryItem, error) {
	its, err := list(tx, checked(tx, inventoryItemCodec, scanInventoryItem), `SELECT `+inventoryItemColumns+`
		FROM inventory_items WHERE inventory_id = $1 ORDER BY number`, id)
	if err != nil {
		return nil, tx.errorf(err, "list items of inventory %s", id)
	}
	return its, nil
}

// CheckInventoryItem stores whether an item is present, its note, who checked it and when; ErrNotFound if the
// inventory has no such item.
func (tx *Tx) CheckInventoryItem(it cleared.InventoryItem) error {
	if err := checkTimes(it.Checked); err != nil {
		return tx.errorf(err, "check item %d of inventory %s", it.Number, it.Inventory)
	}
	old, err := get(tx, checked(tx, inventoryItemCodec, scanInventoryItem), `SELECT `+inventoryItemColumns+`
		FROM inventory_items WHERE inventory_id = $1 AND number = $2`, it.Inventory, it.Number)
	if err != nil {
		return tx.notFound(err, "inventory item", string(it.Inventory)+"/"+itoa(it.Number))
	}
	old.Present, old.Note, old.CheckedBy, old.Checked = it.Present, it.Note, it.CheckedBy, it.Checked
	vals, err := inventoryItemCodec.row(old)
	var mac []byte
	if err == nil {
		mac, err = macOf(tx, inventoryItemCodec, old)
	}
	if err == nil {
		_, err = tx.exec(`UPDATE inventory_items SET present = $3, note = $4, checked_by = $5, checked = $6, mac = $7
			WHERE inventory_id = $1 AND number = $2`, old.Inventory, old.Number, vals[4], old.Note, null(old.CheckedBy),
			ns(old.Checked), mac)
	}
	if err != nil {
		return tx.errorf(err, "check item %d of inventory %s", it.Number, it.Inventory)
	}
	return nil
}

// CloseInventory records the inventory's closing; ErrNotFound if there is none, ErrConflict if it is closed.
func (tx *Tx) CloseInventory(inv cleared.Inventory) error {
	if err := checkTimeSet("closing", inv.Closed); err != nil {
		return tx.errorf(err, "close inventory %s", inv.ID)
	}
	old, err := tx.Inventory(inv.ID)
	if err != nil {
		return err
	}
	if !old.Closed.IsZero() {
		return cleared.Conflictf("inventory %v is already closed", inv.ID)
	}
	old.Closed, old.ClosedBy, old.Missing, old.Note = inv.Closed, inv.ClosedBy, inv.Missing, inv.Note
	mac, err := macOf(tx, inventoryCodec, old)
	if err == nil {
		_, err = tx.exec(`UPDATE inventories SET closed = $2, closed_by = $3, missing = $4, note = $5, mac = $6 WHERE id = $1`,
			old.ID, ns(old.Closed), null(old.ClosedBy), int64(old.Missing), old.Note, mac)
	}
	if err != nil {
		return tx.errorf(err, "close inventory %s", inv.ID)
	}
	return nil
}

// HeldPieces lists the pieces not destroyed that org holds (custodian empty), or the physical pieces custodian
// keeps, by creation then ID.
func (tx *Tx) HeldPieces(org cleared.OrganisationID, custodian cleared.PersonID) ([]cleared.Piece, error) {
	column, value := "p.organisation_id", string(org)
	if custodian != "" {
		column, value = "p.custodian", string(custodian)
	}
	ps, err := list(tx, checked(tx, pieceCodec, scanPiece), `SELECT `+pieceColumns+` FROM pieces p
		WHERE `+column+` = $1 AND p.destroyed IS NULL ORDER BY p.created, p.id`, value)
	if err != nil {
		return nil, tx.errorf(err, "list pieces held by %s", value)
	}
	return ps, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
