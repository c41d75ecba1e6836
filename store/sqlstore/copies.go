package sqlstore

import (
	"strconv"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// copyRequestCodec seals the rows of copy_requests: the consent an approved one gives decides a copy (A9.4).
var copyRequestCodec = codec[cleared.CopyRequest]{table: "copy_requests",
	key: func(r cleared.CopyRequest) string { return string(r.ID) },
	row: func(r cleared.CopyRequest) ([]any, error) {
		return []any{string(r.ID), string(r.Piece), int64(r.Copies), r.Reason, string(r.RequestedBy), ns(r.Created),
			string(r.Status), null(r.DecidedBy), null(r.DecidedAs), ns(r.Decided), r.Note, ns(r.Until), int64(r.Used)}, nil
	}}

// copyRequestColumns are the columns scanCopyRequest reads, and the MAC.
const copyRequestColumns = `id, piece_id, copies, reason, requested_by, created, status, decided_by, decided_as, decided,
	note, valid_until, used, mac`

func scanCopyRequest(s scanner) (cleared.CopyRequest, error) {
	var r cleared.CopyRequest
	err := s.Scan(&r.ID, &r.Piece, &r.Copies, &r.Reason, &r.RequestedBy, ts(&r.Created), &r.Status, opt(&r.DecidedBy),
		opt(&r.DecidedAs), ts(&r.Decided), &r.Note, ts(&r.Until), &r.Used)
	return r, err
}

// CreateCopyRequest stores r; ErrConflict if its ID exists, ErrInvalid if the piece or person it names does not.
func (tx *Tx) CreateCopyRequest(r cleared.CopyRequest) error {
	err := checkTimes(r.Created, r.Decided, r.Until)
	var args []any
	if err == nil {
		args, err = sealRow(tx, copyRequestCodec, r)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO copy_requests (`+copyRequestColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create copy request %s", r.ID)
	}
	return nil
}

// CopyRequest returns the copy request with the given ID; ErrNotFound if there is none.
func (tx *Tx) CopyRequest(id cleared.CopyRequestID) (cleared.CopyRequest, error) {
	r, err := get(tx, checked(tx, copyRequestCodec, scanCopyRequest), `SELECT `+copyRequestColumns+` FROM copy_requests WHERE id = $1`, id)
	if err != nil {
		return cleared.CopyRequest{}, tx.notFound(err, "copy request", id)
	}
	return r, nil
}

// UpdateCopyRequest stores r's decision and use; ErrNotFound if there is no such request. The rest of the row is
// kept as stored: the MAC is computed over the stored row with r's changes.
func (tx *Tx) UpdateCopyRequest(r cleared.CopyRequest) error {
	if err := checkTimes(r.Decided, r.Until); err != nil {
		return tx.errorf(err, "update copy request %s", r.ID)
	}
	old, err := tx.CopyRequest(r.ID)
	if err != nil {
		return err
	}
	old.Status, old.DecidedBy, old.DecidedAs, old.Decided, old.Note, old.Until, old.Used =
		r.Status, r.DecidedBy, r.DecidedAs, r.Decided, r.Note, r.Until, r.Used
	mac, err := macOf(tx, copyRequestCodec, old)
	if err == nil {
		_, err = tx.exec(`UPDATE copy_requests SET status = $2, decided_by = $3, decided_as = $4, decided = $5, note = $6,
			valid_until = $7, used = $8, mac = $9 WHERE id = $1`,
			old.ID, string(old.Status), null(old.DecidedBy), null(old.DecidedAs), ns(old.Decided), old.Note, ns(old.Until),
			int64(old.Used), mac)
	}
	if err != nil {
		return tx.errorf(err, "update copy request %s", r.ID)
	}
	return nil
}

// CopyRequests answers q: the requests on q.Piece, by q.RequestedBy, of q.Status (each if set), oldest first.
func (tx *Tx) CopyRequests(q store.CopyRequestQuery) ([]cleared.CopyRequest, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	query := `SELECT ` + copyRequestColumns + ` FROM copy_requests WHERE 1 = 1`
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		query += ` AND ` + cond + ` = $` + strconv.Itoa(len(args))
	}
	if q.Piece != "" {
		add("piece_id", string(q.Piece))
	}
	if q.RequestedBy != "" {
		add("requested_by", string(q.RequestedBy))
	}
	if q.Status != "" {
		add("status", string(q.Status))
	}
	args = append(args, q.Limit)
	query += ` ORDER BY created, id LIMIT $` + strconv.Itoa(len(args))
	rs, err := list(tx, checked(tx, copyRequestCodec, scanCopyRequest), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list copy requests")
	}
	return rs, nil
}

// copyCodec seals the rows of copies: who holds a copy and where decide who sees it and who destroys it.
var copyCodec = codec[cleared.Copy]{table: "copies",
	key: func(c cleared.Copy) string { return string(c.ID) },
	row: func(c cleared.Copy) ([]any, error) {
		return []any{string(c.ID), string(c.Piece), int64(c.Number), string(c.Kind), string(c.Holder),
			string(c.OrganisationID), null(c.Location), c.Reason, null(c.Request), ns(c.Created), string(c.CreatedBy),
			ns(c.Destroyed), null(c.DestroyedBy)}, nil
	}}

// copyColumns are the columns scanCopy reads, and the MAC.
const copyColumns = `id, piece_id, number, kind, holder, organisation_id, location, reason, request_id, created,
	created_by, destroyed, destroyed_by, mac`

func scanCopy(s scanner) (cleared.Copy, error) {
	var c cleared.Copy
	err := s.Scan(&c.ID, &c.Piece, &c.Number, &c.Kind, &c.Holder, &c.OrganisationID, opt(&c.Location), &c.Reason,
		opt(&c.Request), ts(&c.Created), &c.CreatedBy, ts(&c.Destroyed), opt(&c.DestroyedBy))
	return c, err
}

// CreateCopy stores c; ErrConflict if its ID or its number for the piece exists, ErrInvalid if a piece, person,
// organisation, place or request it names does not.
func (tx *Tx) CreateCopy(c cleared.Copy) error {
	err := checkTimes(c.Created, c.Destroyed)
	var args []any
	if err == nil {
		args, err = sealRow(tx, copyCodec, c)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO copies (`+copyColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create copy %s", c.ID)
	}
	return nil
}

// Copy returns the copy with the given ID, destroyed or not; ErrNotFound if there is none.
func (tx *Tx) Copy(id cleared.CopyID) (cleared.Copy, error) {
	c, err := get(tx, checked(tx, copyCodec, scanCopy), `SELECT `+copyColumns+` FROM copies WHERE id = $1`, id)
	if err != nil {
		return cleared.Copy{}, tx.notFound(err, "copy", id)
	}
	return c, nil
}

// PieceCopies lists the copies of a piece, destroyed ones included, by number.
func (tx *Tx) PieceCopies(piece cleared.PieceID) ([]cleared.Copy, error) {
	cs, err := list(tx, checked(tx, copyCodec, scanCopy), `SELECT `+copyColumns+` FROM copies WHERE piece_id = $1 ORDER BY number`, piece)
	if err != nil {
		return nil, tx.errorf(err, "list copies of %s", piece)
	}
	return cs, nil
}

// HeldCopies lists the copies not destroyed that org holds (holder empty) or that holder holds, by piece and
// number.
func (tx *Tx) HeldCopies(org cleared.OrganisationID, holder cleared.PersonID) ([]cleared.Copy, error) {
	column, value := "organisation_id", string(org)
	if holder != "" {
		column, value = "holder", string(holder)
	}
	cs, err := list(tx, checked(tx, copyCodec, scanCopy), `SELECT `+copyColumns+` FROM copies
		WHERE `+column+` = $1 AND destroyed IS NULL ORDER BY piece_id, number`, value)
	if err != nil {
		return nil, tx.errorf(err, "list copies held by %s", value)
	}
	return cs, nil
}

// MarkCopyDestroyed records the copy's destruction at t by person by; ErrNotFound if there is no such copy,
// ErrConflict if it is already destroyed.
func (tx *Tx) MarkCopyDestroyed(id cleared.CopyID, at time.Time, by cleared.PersonID) error {
	if err := checkTimeSet("destruction", at); err != nil {
		return tx.errorf(err, "destroy copy %s", id)
	}
	c, err := tx.Copy(id)
	if err != nil {
		return err
	}
	if !c.Destroyed.IsZero() {
		return cleared.Conflictf("copy %v is already destroyed", id)
	}
	c.Destroyed, c.DestroyedBy = at, by
	mac, err := macOf(tx, copyCodec, c)
	if err == nil {
		_, err = tx.exec(`UPDATE copies SET destroyed = $2, destroyed_by = $3, mac = $4 WHERE id = $1`, id, ns(at), null(by), mac)
	}
	if err != nil {
		return tx.errorf(err, "destroy copy %s", id)
	}
	return nil
}
