package sqlstore

import (
	"slices"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Issue 21 §3: the staging inbox of envelopes partners post (S1, A5.1).
//
// inbox_items is sealed: the partner decides who reads an item's TAXII status, the state and pieces what became of
// it. The content columns (kek, wrapped_key, ciphertext) are outside the MAC: the AEAD that sealed them, bound to
// the item's ID, refuses them if altered or moved. The uuid column is an index of the status identifier, believed
// only when the sealed ID gives it.

// inboxCodec seals the rows of inbox_items.
var inboxCodec = codec[cleared.InboxItem]{table: "inbox_items",
	key: func(it cleared.InboxItem) string { return string(it.ID) },
	row: func(it cleared.InboxItem) ([]any, error) {
		objects, err := jsonArray(it.Objects)
		if err != nil {
			return nil, err
		}
		pieces, err := jsonList(it.Pieces)
		if err != nil {
			return nil, err
		}
		return []any{string(it.ID), string(it.Partner), ns(it.Received), it.Size, int64(it.Reports), objects,
			string(it.State), null(it.DecidedBy), ns(it.Decided), it.Reason, pieces}, nil
	}}

// inboxColumns are the columns scanInbox reads, and the MAC.
const inboxColumns = `i.id, i.partner, i.received, i.size, i.reports, i.objects, i.state, i.decided_by, i.decided,
	i.reason, i.pieces, i.mac`

func scanInbox(s scanner) (cleared.InboxItem, error) {
	var it cleared.InboxItem
	err := s.Scan(&it.ID, &it.Partner, ts(&it.Received), &it.Size, &it.Reports, arrayScanner[cleared.InboxObject]{&it.Objects, "an inbox item's objects"}, &it.State,
		opt(&it.DecidedBy), ts(&it.Decided), &it.Reason, listScanner[cleared.PieceID]{&it.Pieces})
	return it, err
}

// checkInbox refuses what the table cannot hold as the item it is.
func checkInbox(it *cleared.InboxItem) error {
	if err := checkTimeSet("reception", it.Received); err != nil {
		return err
	}
	if err := checkTimes(it.Decided); err != nil {
		return err
	}
	if err := it.State.Validate(); err != nil {
		return err
	}
	if it.Size < 0 || it.Reports < 0 {
		return cleared.Invalidf("inbox item %s: negative size or count", it.ID)
	}
	for i, p := range it.Pieces {
		if p == "" || slices.Contains(it.Pieces[:i], p) {
			return cleared.Invalidf("inbox item %s: piece %d is empty or given twice", it.ID, i+1)
		}
	}
	return nil
}

// CreateInboxItem stores it, pending, with its sealed content; ErrConflict if its ID exists, ErrInvalid if its
// partner is not one.
func (tx *Tx) CreateInboxItem(it cleared.InboxItem, c store.InboxContent) error {
	if err := checkInbox(&it); err != nil {
		return tx.errorf(err, "create inbox item %s", it.ID)
	}
	if it.State != cleared.InboxPending {
		return cleared.Invalidf("inbox item %s: an item is created pending", it.ID)
	}
	if c.KEK == "" || len(c.WrappedKey) == 0 || len(c.Ciphertext) == 0 {
		return cleared.Invalidf("inbox item %s: its content is stored sealed", it.ID)
	}
	// Asked first, so that the conflict is not reported as the foreign key's invalid reference.
	if ok, err := tx.exists("inbox_items", "id", string(it.ID)); err != nil || ok {
		if err == nil {
			err = cleared.Conflictf("inbox item %s exists", it.ID)
		}
		return tx.errorf(err, "create inbox item %s", it.ID)
	}
	args, err := sealRow(tx, inboxCodec, it)
	if err == nil {
		_, err = tx.exec(`INSERT INTO inbox_items (id, partner, received, size, reports, objects, state, decided_by,
			decided, reason, pieces, mac, uuid, kek, wrapped_key, ciphertext)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			append(args, it.ID.UUID(), c.KEK, c.WrappedKey, c.Ciphertext)...)
	}
	if err != nil {
		return tx.errorf(err, "create inbox item %s", it.ID)
	}
	return nil
}

// UpdateInboxItem stores the decision on it; ErrNotFound if there is no such item. The stored row is read checked
// first, so that no decision seals a row altered outside cleared; its partner, reception, size and objects are
// kept as stored (written back into it).
func (tx *Tx) UpdateInboxItem(it *cleared.InboxItem) error {
	if err := checkInbox(it); err != nil {
		return tx.errorf(err, "update inbox item %s", it.ID)
	}
	old, err := tx.InboxItem(it.ID)
	if err != nil {
		return err
	}
	it.Partner, it.Received, it.Size, it.Reports, it.Objects = old.Partner, old.Received, old.Size, old.Reports, old.Objects
	args, err := sealRow(tx, inboxCodec, *it)
	if err == nil {
		_, err = tx.exec(`UPDATE inbox_items SET partner = $2, received = $3, size = $4, reports = $5, objects = $6,
			state = $7, decided_by = $8, decided = $9, reason = $10, pieces = $11, mac = $12 WHERE id = $1`, args...)
	}
	if err != nil {
		return tx.errorf(err, "update inbox item %s", it.ID)
	}
	return nil
}

// InboxItem returns the item with the given ID; ErrNotFound if there is none.
func (tx *Tx) InboxItem(id cleared.InboxID) (cleared.InboxItem, error) {
	it, err := get(tx, checked(tx, inboxCodec, scanInbox), `SELECT `+inboxColumns+` FROM inbox_items i WHERE i.id = $1`,
		string(id))
	if err != nil {
		return cleared.InboxItem{}, tx.notFound(err, "inbox item", id)
	}
	return it, nil
}

// InboxItemByUUID returns the item whose status identifier is uuid; ErrNotFound if there is none. The uuid column
// is an index, not sealed: the row found is believed only if its sealed ID gives that UUID.
func (tx *Tx) InboxItemByUUID(uuid string) (cleared.InboxItem, error) {
	it, err := get(tx, checked(tx, inboxCodec, scanInbox), `SELECT `+inboxColumns+` FROM inbox_items i WHERE i.uuid = $1`,
		uuid)
	if err != nil {
		return cleared.InboxItem{}, tx.notFound(err, "inbox item", uuid)
	}
	if it.ID.UUID() != uuid {
		return cleared.InboxItem{}, tx.s.tampered("inbox_items", string(it.ID))
	}
	return it, nil
}

// InboxContent returns the sealed content of item id; ErrNotFound if there is none.
func (tx *Tx) InboxContent(id cleared.InboxID) (store.InboxContent, error) {
	c, err := get(tx, func(s scanner) (store.InboxContent, error) {
		var c store.InboxContent
		return c, s.Scan(&c.KEK, &c.WrappedKey, &c.Ciphertext)
	}, `SELECT kek, wrapped_key, ciphertext FROM inbox_items WHERE id = $1`, string(id))
	if err != nil {
		return store.InboxContent{}, tx.notFound(err, "inbox item", id)
	}
	return c, nil
}

// InboxItems lists the items by ID, of one state only unless state is "".
func (tx *Tx) InboxItems(pg store.Page, state cleared.InboxState) ([]cleared.InboxItem, error) {
	if err := checkPage(pg.Limit); err != nil {
		return nil, err
	}
	if state != "" {
		if err := state.Validate(); err != nil {
			return nil, err
		}
	}
	its, err := list(tx, checked(tx, inboxCodec, scanInbox), `SELECT `+inboxColumns+` FROM inbox_items i
		WHERE ($1 = '' OR i.state = $1) AND i.id > $2 ORDER BY i.id LIMIT $3`, string(state), pg.After, pg.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list inbox items")
	}
	return its, nil
}
