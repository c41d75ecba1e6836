package sqlstore

import (
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// judicialOrderCodec seals the rows of judicial_orders: an order in force gives access without clearance or
// need-to-know (A9.5), so who it names, what it covers and its period must be what the NSA recorded.
var judicialOrderCodec = codec[cleared.JudicialOrder]{table: "judicial_orders",
	key: func(o cleared.JudicialOrder) string { return string(o.ID) },
	row: func(o cleared.JudicialOrder) ([]any, error) {
		persons, err := joinList("persons", o.Persons)
		if err != nil {
			return nil, err
		}
		pieces, err := joinList("pieces", o.Pieces)
		if err != nil {
			return nil, err
		}
		dossiers, err := joinList("dossiers", o.Dossiers)
		if err != nil {
			return nil, err
		}
		return []any{string(o.ID), o.Court, o.Reference, ns(o.Issued), persons, pieces, dossiers, ns(o.From), ns(o.Until),
			string(o.RecordedBy), ns(o.Recorded), ns(o.Ended), null(o.EndedBy), o.EndReason}, nil
	}}

// judicialOrderColumns are the columns scanJudicialOrder reads, and the MAC.
const judicialOrderColumns = `o.id, o.court, o.reference, o.issued, o.persons, o.pieces, o.dossiers, o.valid_from,
	o.valid_until, o.recorded_by, o.recorded, o.ended, o.ended_by, o.end_reason, o.mac`

func scanJudicialOrder(s scanner) (cleared.JudicialOrder, error) {
	var o cleared.JudicialOrder
	var persons, pieces, dossiers string
	err := s.Scan(&o.ID, &o.Court, &o.Reference, ts(&o.Issued), &persons, &pieces, &dossiers, ts(&o.From), ts(&o.Until),
		&o.RecordedBy, ts(&o.Recorded), ts(&o.Ended), opt(&o.EndedBy), &o.EndReason)
	o.Persons, o.Pieces, o.Dossiers = splitList[cleared.PersonID](persons), splitList[cleared.PieceID](pieces),
		splitList[cleared.DossierID](dossiers)
	return o, err
}

// CreateJudicialOrder stores o and indexes it by the persons it names; ErrConflict if its ID, or its court and
// reference, exist already, ErrInvalid if a person it names does not exist.
func (tx *Tx) CreateJudicialOrder(o cleared.JudicialOrder) error {
	err := checkTimes(o.Issued, o.From, o.Until, o.Recorded, o.Ended)
	var args []any
	if err == nil {
		args, err = sealRow(tx, judicialOrderCodec, o)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO judicial_orders (id, court, reference, issued, persons, pieces, dossiers, valid_from,
			valid_until, recorded_by, recorded, ended, ended_by, end_reason, mac)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, args...)
	}
	for _, p := range o.Persons {
		if err != nil {
			break
		}
		_, err = tx.exec(`INSERT INTO judicial_order_persons (person_id, order_id) VALUES ($1, $2)`, p, o.ID)
	}
	if err != nil {
		return tx.errorf(err, "create judicial order %s", o.ID)
	}
	return nil
}

// JudicialOrder returns the order with the given ID; ErrNotFound if there is none.
func (tx *Tx) JudicialOrder(id cleared.JudicialOrderID) (cleared.JudicialOrder, error) {
	o, err := get(tx, checked(tx, judicialOrderCodec, scanJudicialOrder),
		`SELECT `+judicialOrderColumns+` FROM judicial_orders o WHERE o.id = $1`, id)
	if err != nil {
		return cleared.JudicialOrder{}, tx.notFound(err, "judicial order", id)
	}
	return o, nil
}

// EndJudicialOrder records the order's end at at by by, for reason; ErrNotFound if there is no such order,
// ErrConflict if it was ended already.
func (tx *Tx) EndJudicialOrder(id cleared.JudicialOrderID, at time.Time, by cleared.PersonID, reason string) error {
	if err := checkTimeSet("end", at); err != nil {
		return tx.errorf(err, "end judicial order %s", id)
	}
	o, err := tx.JudicialOrder(id)
	if err != nil {
		return err
	}
	if !o.Ended.IsZero() {
		return cleared.Conflictf("judicial order %v was ended already", id)
	}
	o.Ended, o.EndedBy, o.EndReason = at, by, reason
	mac, err := macOf(tx, judicialOrderCodec, o)
	if err == nil {
		_, err = tx.exec(`UPDATE judicial_orders SET ended = $2, ended_by = $3, end_reason = $4, mac = $5 WHERE id = $1`,
			id, ns(at), null(by), reason, mac)
	}
	if err != nil {
		return tx.errorf(err, "end judicial order %s", id)
	}
	return nil
}

// JudicialOrderList lists the orders by ID, after p.After, at most p.Limit of them.
func (tx *Tx) JudicialOrderList(p store.Page) ([]cleared.JudicialOrder, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	os, err := list(tx, checked(tx, judicialOrderCodec, scanJudicialOrder), `
		SELECT `+judicialOrderColumns+` FROM judicial_orders o WHERE o.id > $1 ORDER BY o.id LIMIT $2`, p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list judicial orders")
	}
	return os, nil
}

// PersonJudicialOrders lists the orders the index finds for person, by ID. The index is not sealed: the caller
// decides on the orders' own persons (policy.NewJudicialSet).
func (tx *Tx) PersonJudicialOrders(person cleared.PersonID) ([]cleared.JudicialOrder, error) {
	os, err := list(tx, checked(tx, judicialOrderCodec, scanJudicialOrder), `
		SELECT `+judicialOrderColumns+` FROM judicial_order_persons n JOIN judicial_orders o ON o.id = n.order_id
		WHERE n.person_id = $1 ORDER BY o.id`, person)
	if err != nil {
		return nil, tx.errorf(err, "list judicial orders of %s", person)
	}
	return os, nil
}
