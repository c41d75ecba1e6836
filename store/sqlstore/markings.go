package sqlstore

import (
	"strconv"

	"github.com/cleared/cleared"
)

// markingCodec seals the rows of piece_markings: a forged line of history (a piece shown as always UNCLASSIFIED, a
// downgrade credited to another authority) fails its check.
var markingCodec = codec[cleared.PieceMarking]{table: "piece_markings",
	key: func(m cleared.PieceMarking) string { return string(m.Piece) + "/" + strconv.Itoa(m.Seq) },
	row: func(m cleared.PieceMarking) ([]any, error) {
		return []any{string(m.Piece), int64(m.Seq), int64(m.Level), m.Marking, ns(m.From), string(m.Authority),
			string(m.By), m.Reason, null(m.Consent)}, nil
	}}

const markingColumns = `piece_id, seq, level, marking, valid_from, authority, set_by, reason, consent, mac`

func scanMarking(s scanner) (cleared.PieceMarking, error) {
	var m cleared.PieceMarking
	err := s.Scan(&m.Piece, &m.Seq, &m.Level, &m.Marking, ts(&m.From), &m.Authority, &m.By, &m.Reason, opt(&m.Consent))
	return m, err
}

// AddPieceMarking stores m; ErrConflict if the piece has a marking of that Seq, ErrInvalid if the piece does not
// exist or Seq is below 1.
func (tx *Tx) AddPieceMarking(m cleared.PieceMarking) error {
	err := checkTimes(m.From)
	var args []any
	if err == nil {
		args, err = sealRow(tx, markingCodec, m)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO piece_markings (`+markingColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "add marking %d of piece %s", m.Seq, m.Piece)
	}
	return nil
}

// PieceMarkings lists the markings stored for a piece, oldest first; a row that fails its seal is left out (and
// raised).
func (tx *Tx) PieceMarkings(id cleared.PieceID) ([]cleared.PieceMarking, error) {
	ms, err := list(tx, checked(tx, markingCodec, scanMarking),
		`SELECT `+markingColumns+` FROM piece_markings WHERE piece_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, tx.errorf(err, "list markings of piece %s", id)
	}
	return ms, nil
}

// SetPieceMarking changes a piece's level and, for a piece classified under a treaty, its foreign marking
// (foreign nil: unchanged), and seals its row anew; ErrNotFound if there is no such piece. The row is read through
// its check first, so a tampered row is never sealed as if it were sound.
func (tx *Tx) SetPieceMarking(id cleared.PieceID, l cleared.Level, foreign *cleared.ForeignMarking) error {
	if !l.Valid() {
		return tx.errorf(cleared.Invalidf("invalid level %d", int8(l)), "set marking of piece %s", id)
	}
	p, err := tx.Piece(id)
	if err != nil {
		return err
	}
	p.Level = l
	if foreign != nil {
		f := *foreign
		p.Foreign = &f
	}
	var scheme, marking any
	if p.Foreign != nil {
		scheme, marking = string(p.Foreign.Scheme), p.Foreign.Marking
	}
	mac, err := macOf(tx, pieceCodec, p)
	if err == nil {
		_, err = tx.exec(`UPDATE pieces SET level = $2, foreign_scheme = $3, foreign_marking = $4, mac = $5 WHERE id = $1`,
			id, int(l), scheme, marking, mac)
	}
	if err != nil {
		return tx.errorf(err, "set marking of piece %s", id)
	}
	return nil
}

// RewrapContentKey replaces a piece's wrapped data key and the name of the key-encryption key that wrapped it.
// ErrNotFound if the piece has no content, ErrConflict if its key was destroyed, ErrInvalid if the new key is
// missing.
func (tx *Tx) RewrapContentKey(id cleared.PieceID, kek string, wrapped []byte) error {
	if len(wrapped) == 0 || kek == "" {
		return tx.errorf(cleared.Invalidf("content of piece %s: wrapped key and key-encryption key are required", id),
			"rewrap key of piece %s", id)
	}
	ok, err := tx.execOne(`UPDATE piece_keys SET kek = $2, wrapped_key = $3 WHERE piece_id = $1 AND wrapped_key IS NOT NULL`,
		id, kek, wrapped)
	if err != nil {
		return tx.errorf(err, "rewrap key of piece %s", id)
	}
	if ok {
		return nil
	}
	return tx.absentOrDone("piece_keys", "piece_id", "content of piece", id, "has its key destroyed already")
}
