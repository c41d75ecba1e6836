package sqlstore

import (
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Issue 21: products received from partners and the sources they are pulled from (S1, A6.1). Both are sealed: a
// receipt names a piece's foreign originator, whose consent a downgrade needs (A1.1); a source names the server
// whose products are registered and who registers them, which the database must not redirect.

// receiptCodec seals the rows of receipts.
var receiptCodec = codec[cleared.Receipt]{table: "receipts",
	key: func(r cleared.Receipt) string { return string(r.Partner) + " " + r.UUID + " " + versionKey(r.Version) },
	row: func(r cleared.Receipt) ([]any, error) {
		return []any{string(r.Partner), r.UUID, versionNS(r.Version), string(r.Format), r.Marking, null(r.Piece), bit(r.Revoked),
			null(r.Source), ns(r.Received), string(r.By)}, nil
	}}

// versionNS is the stored form of a receipt's version: Unix nanoseconds, 0 when the product has none.
func versionNS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func versionKey(t time.Time) string { return time.Unix(0, versionNS(t)).UTC().Format(time.RFC3339Nano) }

const receiptColumns = `r.partner, r.uuid, r.version, r.format, r.marking, r.piece_id, r.revoked, r.source_id, r.received,
	r.received_by, r.mac`

func scanReceipt(s scanner) (cleared.Receipt, error) {
	var r cleared.Receipt
	var version int64
	err := s.Scan(&r.Partner, &r.UUID, &version, &r.Format, &r.Marking, opt(&r.Piece), &r.Revoked, opt(&r.Source),
		ts(&r.Received), &r.By)
	if version != 0 {
		r.Version = time.Unix(0, version).UTC()
	}
	return r, err
}

// RecordReceipt stores r; ErrConflict if the product of that UUID and version was received from the partner
// already, or if r's piece is another receipt's.
func (tx *Tx) RecordReceipt(r cleared.Receipt) error {
	if err := checkTimes(r.Version, r.Received); err != nil {
		return tx.errorf(err, "record receipt %s", r.UUID)
	}
	if err := r.Format.Validate(); err != nil {
		return err
	}
	if r.UUID == "" || (r.Piece == "") != r.Revoked {
		return cleared.Invalidf("receipt %q: a product received has a UUID, and a piece unless the partner withdrew it", r.UUID)
	}
	// Asked first, so that the refusal is a conflict and leaves the transaction usable.
	n, err := get(tx, scanInt, `SELECT count(*) FROM receipts WHERE (partner = $1 AND uuid = $2 AND version = $3)
		OR piece_id = $4`, string(r.Partner), r.UUID, versionNS(r.Version), string(r.Piece))
	if err == nil && n > 0 {
		err = cleared.Conflictf("product %s of %s at version %s was received already", r.UUID, r.Partner, versionKey(r.Version))
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, receiptCodec, r)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO receipts (partner, uuid, version, format, marking, piece_id, revoked, source_id,
			received, received_by, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "record receipt %s", r.UUID)
	}
	return nil
}

// Received lists the receipts of a partner's product, latest version first.
func (tx *Tx) Received(partner cleared.OrganisationID, uuid string) ([]cleared.Receipt, error) {
	rs, err := list(tx, checked(tx, receiptCodec, scanReceipt), `SELECT `+receiptColumns+` FROM receipts r
		WHERE r.partner = $1 AND r.uuid = $2 ORDER BY r.version DESC`, string(partner), uuid)
	if err != nil {
		return nil, tx.errorf(err, "list receipts of %s", uuid)
	}
	return rs, nil
}

// SourceReceipts lists the receipts of what source id brought, most recent first, at most limit.
func (tx *Tx) SourceReceipts(id cleared.SourceID, limit int) ([]cleared.Receipt, error) {
	if err := checkPage(limit); err != nil {
		return nil, err
	}
	rs, err := list(tx, checked(tx, receiptCodec, scanReceipt), `SELECT `+receiptColumns+` FROM receipts r
		WHERE r.source_id = $1 ORDER BY r.received DESC, r.partner, r.uuid, r.version LIMIT $2`, string(id), limit)
	if err != nil {
		return nil, tx.errorf(err, "list receipts of source %s", id)
	}
	return rs, nil
}

// PieceReceipt returns the receipt of the product a piece was registered for; ErrNotFound if none.
func (tx *Tx) PieceReceipt(piece cleared.PieceID) (cleared.Receipt, error) {
	r, err := get(tx, checked(tx, receiptCodec, scanReceipt), `SELECT `+receiptColumns+` FROM receipts r
		WHERE r.piece_id = $1`, string(piece))
	if err != nil {
		return cleared.Receipt{}, tx.notFound(err, "receipt of piece", piece)
	}
	return r, nil
}

// sourceCodec seals the rows of sources.
var sourceCodec = codec[cleared.Source]{table: "sources",
	key: func(s cleared.Source) string { return string(s.ID) },
	row: func(s cleared.Source) ([]any, error) {
		return []any{string(s.ID), string(s.Partner), string(s.Kind), s.URL, string(s.Registrar.Person), null(s.Registrar.Terminal),
			string(s.Authority), null(s.Dossier), bit(s.Paused), ns(s.Recorded), s.Cursor, ns(s.Polled), s.LastError,
			ns(s.Succeeded)}, nil
	}}

const sourceColumns = `s.id, s.partner, s.kind, s.url, s.registrar, s.terminal, s.authority_id, s.dossier_id, s.paused,
	s.recorded, s.cursor, s.polled, s.last_error, s.succeeded, s.mac`

func scanSource(sc scanner) (cleared.Source, error) {
	var s cleared.Source
	err := sc.Scan(&s.ID, &s.Partner, &s.Kind, &s.URL, &s.Registrar.Person, opt(&s.Registrar.Terminal), &s.Authority,
		opt(&s.Dossier), &s.Paused, ts(&s.Recorded), &s.Cursor, ts(&s.Polled), &s.LastError, ts(&s.Succeeded))
	return s, err
}

// PutSource stores s, replacing the source of its ID if there is one.
func (tx *Tx) PutSource(s cleared.Source) error {
	if err := checkTimes(s.Recorded, s.Polled, s.Succeeded); err != nil {
		return tx.errorf(err, "put source %s", s.ID)
	}
	if err := s.Kind.Validate(); err != nil {
		return err
	}
	args, err := sealRow(tx, sourceCodec, s)
	if err == nil {
		_, err = tx.exec(`INSERT INTO sources (id, partner, kind, url, registrar, terminal, authority_id, dossier_id, paused,
			recorded, cursor, polled, last_error, succeeded, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
			$13, $14, $15) ON CONFLICT (id) DO UPDATE SET partner = excluded.partner, kind = excluded.kind, url = excluded.url,
			registrar = excluded.registrar, terminal = excluded.terminal, authority_id = excluded.authority_id,
			dossier_id = excluded.dossier_id, paused = excluded.paused, recorded = excluded.recorded, cursor = excluded.cursor,
			polled = excluded.polled, last_error = excluded.last_error, succeeded = excluded.succeeded, mac = excluded.mac`, args...)
	}
	if err != nil {
		return tx.errorf(err, "put source %s", s.ID)
	}
	return nil
}

// Source returns the source with the given ID; ErrNotFound if there is none.
func (tx *Tx) Source(id cleared.SourceID) (cleared.Source, error) {
	s, err := get(tx, checked(tx, sourceCodec, scanSource), `SELECT `+sourceColumns+` FROM sources s WHERE s.id = $1`, string(id))
	if err != nil {
		return cleared.Source{}, tx.notFound(err, "source", id)
	}
	return s, nil
}

// Sources lists the sources by ID.
func (tx *Tx) Sources(pg store.Page) ([]cleared.Source, error) {
	if err := checkPage(pg.Limit); err != nil {
		return nil, err
	}
	ss, err := list(tx, checked(tx, sourceCodec, scanSource), `SELECT `+sourceColumns+` FROM sources s WHERE s.id > $1
		ORDER BY s.id LIMIT $2`, pg.After, pg.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list sources")
	}
	return ss, nil
}
