package store

import "github.com/cleared/cleared"

// Inventories holds the inventories of the pieces and copies an organisation or a holder holds, as the EU's and
// NATO's handling rules ask (A1.1), and their reconciliation (A13.1).
type Inventories interface {
	// CreateInventory stores inv and its items, numbered from 1 in the order given.
	CreateInventory(inv cleared.Inventory, items []cleared.InventoryItem) error
	Inventory(id cleared.InventoryID) (cleared.Inventory, error)
	// Inventories lists the inventories of organisation org (every one if empty), newest first, at most limit.
	Inventories(org cleared.OrganisationID, limit int) ([]cleared.Inventory, error)
	// InventoryItems lists an inventory's items by number.
	InventoryItems(id cleared.InventoryID) ([]cleared.InventoryItem, error)
	// CheckInventoryItem stores whether an item is present, its note, who checked it and when; ErrNotFound if the
	// inventory has no such item.
	CheckInventoryItem(it cleared.InventoryItem) error
	// CloseInventory records the inventory's closing (closed, closed_by, missing, note); ErrConflict if it is
	// already closed.
	CloseInventory(inv cleared.Inventory) error
	// HeldPieces lists the pieces not destroyed that organisation org holds (custodian empty), or the physical
	// pieces custodian keeps, by creation then ID.
	HeldPieces(org cleared.OrganisationID, custodian cleared.PersonID) ([]cleared.Piece, error)
}
