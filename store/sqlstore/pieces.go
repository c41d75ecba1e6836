package sqlstore

import (
	"database/sql"
	"strconv"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// dossierCodec seals the rows of dossiers.
var dossierCodec = codec[cleared.Dossier]{table: "dossiers",
	key: func(d cleared.Dossier) string { return string(d.ID) },
	row: func(d cleared.Dossier) ([]any, error) {
		return []any{string(d.ID), d.Title, int64(d.Level), string(d.Originator), string(d.OrganisationID),
			ns(d.Created), string(d.CreatedBy)}, nil
	}}

const dossierColumns = `id, title, level, originator, organisation_id, created, created_by`

func scanDossier(s scanner) (cleared.Dossier, error) {
	var d cleared.Dossier
	err := s.Scan(&d.ID, &d.Title, &d.Level, &d.Originator, &d.OrganisationID, ts(&d.Created), &d.CreatedBy)
	return d, err
}

// CreateDossier stores d; ErrConflict if its ID exists, ErrInvalid if its originator or organisation does not.
func (tx *Tx) CreateDossier(d cleared.Dossier) error {
	err := checkTimes(d.Created)
	var args []any
	if err == nil {
		args, err = sealRow(tx, dossierCodec, d)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO dossiers (`+dossierColumns+`, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create dossier %s", d.ID)
	}
	return nil
}

// Dossier returns the dossier with the given ID; ErrNotFound if there is none.
func (tx *Tx) Dossier(id cleared.DossierID) (cleared.Dossier, error) {
	d, err := get(tx, checked(tx, dossierCodec, scanDossier),
		`SELECT `+dossierColumns+`, mac FROM dossiers WHERE id = $1`, id)
	if err != nil {
		return cleared.Dossier{}, tx.notFound(err, "dossier", id)
	}
	return d, nil
}

// SetDossierLevel changes a dossier's level; ErrNotFound if there is no such dossier.
func (tx *Tx) SetDossierLevel(id cleared.DossierID, l cleared.Level) error {
	d, err := tx.Dossier(id)
	if err != nil {
		return err
	}
	d.Level = l
	mac, err := macOf(tx, dossierCodec, d)
	if err == nil {
		_, err = tx.exec(`UPDATE dossiers SET level = $2, mac = $3 WHERE id = $1`, id, int(l), mac)
	}
	if err != nil {
		return tx.errorf(err, "set level of dossier %s", id)
	}
	return nil
}

// DossierParts lists the pieces of a dossier, destroyed ones included, oldest first.
func (tx *Tx) DossierParts(id cleared.DossierID) ([]cleared.Piece, error) {
	ps, err := list(tx, checked(tx, pieceCodec, scanPiece), `
		SELECT `+pieceColumns+` FROM pieces p
		WHERE p.dossier_id = $1 ORDER BY p.created, p.id`,
		id)
	if err != nil {
		return nil, tx.errorf(err, "list parts of dossier %s", id)
	}
	return ps, nil
}

// pieceCodec seals the rows of pieces.
var pieceCodec = codec[cleared.Piece]{table: "pieces",
	key: func(p cleared.Piece) string { return string(p.ID) },
	row: func(p cleared.Piece) ([]any, error) {
		reasons, err := joinList("reasons", p.Reason)
		if err != nil {
			return nil, err
		}
		var scheme, marking any
		if p.Foreign != nil {
			scheme, marking = string(p.Foreign.Scheme), p.Foreign.Marking
		}
		return []any{string(p.ID), string(p.Kind), p.Title, int64(p.Level), reasons, ns(p.ReviewOn),
			string(p.Originator), string(p.OrganisationID), null(p.Dossier), scheme, marking, null(p.Custodian),
			null(p.Location), p.ContentType, p.ContentSize, ns(p.Created), string(p.CreatedBy), ns(p.Destroyed)}, nil
	}}

// CreatePiece stores p; ErrConflict if its ID exists, ErrInvalid if a piece, authority, organisation, dossier,
// custodian or place it names does not.
func (tx *Tx) CreatePiece(p cleared.Piece) error {
	err := checkTimes(p.ReviewOn, p.Created, p.Destroyed)
	var args []any
	if err == nil {
		args, err = sealRow(tx, pieceCodec, p)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO pieces (id, kind, title, level, reasons, review_on, originator, organisation_id, dossier_id,
				foreign_scheme, foreign_marking, custodian, location, content_type, content_size, created,
				created_by, destroyed, mac)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
			args...)
	}
	if err != nil {
		return tx.errorf(err, "create piece %s", p.ID)
	}
	return nil
}

// pieceColumns are the columns scanPiece reads, of a table aliased p, and the MAC that checked(pieceCodec) reads.
const pieceColumns = `p.id, p.kind, p.title, p.level, p.reasons, p.review_on, p.originator, p.organisation_id,
	p.dossier_id, p.foreign_scheme, p.foreign_marking, p.custodian, p.location, p.content_type, p.content_size,
	p.created, p.created_by, p.destroyed, p.mac`

func scanPiece(s scanner) (cleared.Piece, error) {
	var (
		p               cleared.Piece
		reasons         string
		scheme, marking sql.NullString
	)
	err := s.Scan(&p.ID, &p.Kind, &p.Title, &p.Level, &reasons, ts(&p.ReviewOn), &p.Originator, &p.OrganisationID,
		opt(&p.Dossier), &scheme, &marking, opt(&p.Custodian), opt(&p.Location), &p.ContentType, &p.ContentSize,
		ts(&p.Created), &p.CreatedBy, ts(&p.Destroyed))
	p.Reason = splitList[cleared.Reason](reasons)
	if scheme.Valid || marking.Valid {
		p.Foreign = &cleared.ForeignMarking{Scheme: cleared.Scheme(scheme.String), Marking: marking.String}
	}
	return p, err
}

// Piece returns the piece with the given ID, destroyed or not; ErrNotFound if there is none.
func (tx *Tx) Piece(id cleared.PieceID) (cleared.Piece, error) {
	p, err := get(tx, checked(tx, pieceCodec, scanPiece), `SELECT `+pieceColumns+` FROM pieces p WHERE p.id = $1`, id)
	if err != nil {
		return cleared.Piece{}, tx.notFound(err, "piece", id)
	}
	return p, nil
}

// granted joins, as p, the pieces person $1 holds a need-to-know grant for at time $2 (A9.1), on the piece itself
// or on its dossier. It starts from the person's grants (covering index), never from the pieces table.
const granted = `
		FROM (
			SELECT g.piece_id AS id FROM grants g
			WHERE g.person_id = $1 AND g.piece_id IS NOT NULL
				AND g.valid_from <= $2 AND $2 < g.valid_until AND (g.revoked IS NULL OR $2 < g.revoked)
			UNION
			SELECT d.id FROM grants g JOIN pieces d ON d.dossier_id = g.dossier_id
			WHERE g.person_id = $1 AND g.dossier_id IS NOT NULL
				AND g.valid_from <= $2 AND $2 < g.valid_until AND (g.revoked IS NULL OR $2 < g.revoked)
		) v
		JOIN pieces p ON p.id = v.id`

// VisiblePieces answers q (A9.1): the pieces, not destroyed and of a level at most q.MaxLevel, that a grant of
// q.Person active at q.At covers, on the piece itself or on its dossier; newest first, after q.After, at most
// q.Limit of them. Each piece appears once, whatever the number of grants that cover it.
//
// The query starts from the person's grants (a few hundred at most, found through grants_person), not from the
// pieces (hundreds of thousands), and sorts only the pieces they cover.
func (tx *Tx) VisiblePieces(q store.VisibleQuery) ([]cleared.Piece, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	if err := checkTimeSet("visibility", q.At); err != nil {
		return nil, tx.errorf(err, "list pieces visible to %s", q.Person)
	}
	if c := q.After; c != nil {
		if err := checkTimeSet("cursor", c.Created); err != nil {
			return nil, tx.errorf(err, "list pieces visible to %s", q.Person)
		}
	}
	// A row that fails its seal is left out; the query is run again after it, so that the page is still full and
	// a caller who reads a short page as the end of the list is not cut short by it.
	var out []cleared.Piece
	after := q.After
	for {
		query := `
		SELECT ` + pieceColumns + granted + `
		WHERE p.level <= $3 AND p.destroyed IS NULL`
		args := []any{q.Person, q.At.UnixNano(), int(q.MaxLevel)}
		if after != nil {
			query += ` AND (p.created < $4 OR (p.created = $4 AND p.id < $5))`
			args = append(args, after.Created.UnixNano(), after.ID)
		}
		want := q.Limit - len(out)
		args = append(args, want)
		query += ` ORDER BY p.created DESC, p.id DESC LIMIT $` + strconv.Itoa(len(args))
		var seen int
		var last store.PieceCursor
		check := checked(tx, pieceCodec, func(s scanner) (cleared.Piece, error) {
			p, err := scanPiece(s)
			seen++
			last = store.PieceCursor{Created: p.Created, ID: p.ID}
			return p, err
		})
		ps, err := list(tx, check, query, args...)
		if err != nil {
			return nil, tx.errorf(err, "list pieces visible to %s", q.Person)
		}
		out = append(out, ps...)
		if seen < want || len(ps) == seen {
			return out, nil
		}
		after = &last
	}
}

// MarkPieceDestroyed sets the piece's destruction time; ErrNotFound if there is no such piece, ErrConflict if it
// is already destroyed.
func (tx *Tx) MarkPieceDestroyed(id cleared.PieceID, at time.Time) error {
	if err := checkTimeSet("destruction", at); err != nil {
		return tx.errorf(err, "destroy piece %s", id)
	}
	p, err := tx.Piece(id)
	if err != nil {
		return err
	}
	if !p.Destroyed.IsZero() {
		return cleared.Conflictf("piece %v is already destroyed", id)
	}
	p.Destroyed = at
	mac, err := macOf(tx, pieceCodec, p)
	if err == nil {
		_, err = tx.exec(`UPDATE pieces SET destroyed = $2, mac = $3 WHERE id = $1`, id, ns(at), mac)
	}
	if err != nil {
		return tx.errorf(err, "destroy piece %s", id)
	}
	return nil
}

// absentOrDone explains why an update of a one-way state (destroyed, revoked) changed nothing: the object does
// not exist (ErrNotFound), or it is already in that state (ErrConflict).
func (tx *Tx) absentOrDone(table, column, kind string, id any, done string) error {
	found, err := tx.exists(table, column, id)
	switch {
	case err != nil:
		return tx.errorf(err, "read %s %v", kind, id)
	case !found:
		return cleared.NotFoundf("%s %v not found", kind, id)
	default:
		return cleared.Conflictf("%s %v %s", kind, id, done)
	}
}

// PutContent stores the encrypted content of a piece: the wrapped data key in piece_keys, the ciphertext in
// piece_contents. Content is written once: ErrConflict if the piece has content already (so that no write can
// bring back a destroyed key), ErrInvalid if the piece does not exist or the key is missing.
func (tx *Tx) PutContent(c store.Content) error {
	if len(c.WrappedKey) == 0 || c.KEK == "" {
		return tx.errorf(cleared.Invalidf("content of piece %s: wrapped key and key-encryption key are required", c.Piece),
			"put content of piece %s", c.Piece)
	}
	_, err := tx.exec(`INSERT INTO piece_keys (piece_id, kek, wrapped_key) VALUES ($1, $2, $3)`,
		c.Piece, c.KEK, c.WrappedKey)
	if err == nil {
		_, err = tx.exec(`INSERT INTO piece_contents (piece_id, ciphertext) VALUES ($1, $2)`, c.Piece, c.Ciphertext)
	}
	if err != nil {
		return tx.errorf(err, "put content of piece %s", c.Piece)
	}
	return nil
}

// Content returns the encrypted content of a piece, with WrappedKey nil once the key is destroyed; ErrNotFound if
// the piece has none.
func (tx *Tx) Content(id cleared.PieceID) (store.Content, error) {
	c, err := get(tx, func(s scanner) (store.Content, error) {
		var c store.Content
		err := s.Scan(&c.Piece, &c.KEK, &c.WrappedKey, &c.Ciphertext)
		return c, err
	}, `
		SELECT c.piece_id, k.kek, k.wrapped_key, c.ciphertext
		FROM piece_contents c JOIN piece_keys k ON k.piece_id = c.piece_id
		WHERE c.piece_id = $1`,
		id)
	if err != nil {
		return store.Content{}, tx.notFound(err, "content of piece", id)
	}
	return c, nil
}

// DestroyContentKey erases the wrapped data key of a piece for good (A10.1, crypto-shredding); the ciphertext
// stays. ErrNotFound if the piece has no content, ErrConflict if its key is already destroyed.
//
// The row keeps the name of the key-encryption key. Older copies of the row may survive the update: in
// PostgreSQL's dead tuples until VACUUM, in SQLite's write-ahead log until it is overwritten (SQLite runs with
// secure_delete, so the database file itself keeps no copy), and in backups. Those copies are readable only
// with the key-encryption key that wrapped them, so shredding is complete once that key is rotated away.
func (tx *Tx) DestroyContentKey(id cleared.PieceID) error {
	ok, err := tx.execOne(`UPDATE piece_keys SET wrapped_key = NULL WHERE piece_id = $1 AND wrapped_key IS NOT NULL`, id)
	if err != nil {
		return tx.errorf(err, "destroy key of piece %s", id)
	}
	if ok {
		return nil
	}
	return tx.absentOrDone("piece_keys", "piece_id", "content of piece", id, "has its key destroyed already")
}

// ReviewsDue answers q (A3.2): the pieces q.Person may see at q.At, exactly as VisiblePieces finds them (A9.1),
// whose review date is before q.By, earliest review first.
//
// Like VisiblePieces, the query starts from the person's grants (grants_person), so it reads only the pieces they
// cover, never the whole register.
func (tx *Tx) ReviewsDue(q store.ReviewQuery) ([]cleared.Piece, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	if err := checkTimeSet("visibility", q.At); err != nil {
		return nil, tx.errorf(err, "list reviews due of %s", q.Person)
	}
	if err := checkTimeSet("review", q.By); err != nil {
		return nil, tx.errorf(err, "list reviews due of %s", q.Person)
	}
	ps, err := list(tx, checked(tx, pieceCodec, scanPiece), `
		SELECT `+pieceColumns+granted+`
		WHERE p.level <= $3 AND p.destroyed IS NULL AND p.review_on < $4
		ORDER BY p.review_on, p.id LIMIT $5`,
		q.Person, q.At.UnixNano(), int(q.MaxLevel), q.By.UnixNano(), q.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list reviews due of %s", q.Person)
	}
	return ps, nil
}
