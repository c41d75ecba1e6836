package sqlstore

import (
	"strconv"
	"time"

	"github.com/cleared/cleared"
)

// destructionCodec seals the rows of destructions: the report's bytes and the completion decide whether a piece
// counts as destroyed (A10.2).
var destructionCodec = codec[cleared.Destruction]{table: "destructions",
	key: func(d cleared.Destruction) string { return string(d.ID) },
	row: func(d cleared.Destruction) ([]any, error) {
		return []any{string(d.ID), string(d.Piece), null(d.Copy), string(d.OrganisationID), int64(d.Level), d.Marking,
			d.Method, string(d.DestroyedBy), ns(d.Created), bit(d.Report), blob(d.Document), ns(d.Completed)}, nil
	}}

const destructionColumns = `id, piece_id, copy_ref, organisation_id, level, marking, method, destroyed_by, created,
	report, document, completed, mac`

func scanDestruction(s scanner) (cleared.Destruction, error) {
	var d cleared.Destruction
	err := s.Scan(&d.ID, &d.Piece, opt(&d.Copy), &d.OrganisationID, &d.Level, &d.Marking, &d.Method, &d.DestroyedBy,
		ts(&d.Created), &d.Report, &d.Document, ts(&d.Completed))
	return d, err
}

// CreateDestruction stores d; ErrConflict if its ID exists, ErrInvalid if its piece or destroyer does not.
func (tx *Tx) CreateDestruction(d cleared.Destruction) error {
	err := checkTimes(d.Created, d.Completed)
	var args []any
	if err == nil {
		args, err = sealRow(tx, destructionCodec, d)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO destructions (`+destructionColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "record destruction %s", d.ID)
	}
	return nil
}

// Destruction returns a record by ID; ErrNotFound if there is none.
func (tx *Tx) Destruction(id cleared.DestructionID) (cleared.Destruction, error) {
	d, err := get(tx, checked(tx, destructionCodec, scanDestruction),
		`SELECT `+destructionColumns+` FROM destructions WHERE id = $1`, id)
	if err != nil {
		return d, tx.notFound(err, "destruction", id)
	}
	return d, nil
}

// PieceDestructions lists the records of a piece, oldest first.
func (tx *Tx) PieceDestructions(piece cleared.PieceID) ([]cleared.Destruction, error) {
	ds, err := list(tx, checked(tx, destructionCodec, scanDestruction),
		`SELECT `+destructionColumns+` FROM destructions WHERE piece_id = $1 ORDER BY created, id`, piece)
	if err != nil {
		return nil, tx.errorf(err, "list destructions of %s", piece)
	}
	return ds, nil
}

// PendingDestructions lists the destructions of an organisation's pieces not yet completed, oldest first.
func (tx *Tx) PendingDestructions(org cleared.OrganisationID) ([]cleared.Destruction, error) {
	ds, err := list(tx, checked(tx, destructionCodec, scanDestruction), `
		SELECT `+destructionColumns+` FROM destructions WHERE organisation_id = $1 AND completed IS NULL
		ORDER BY created, id`, org)
	if err != nil {
		return nil, tx.errorf(err, "list pending destructions of %s", org)
	}
	return ds, nil
}

// CompleteDestruction records that a destruction is complete at t; ErrNotFound if there is none, ErrConflict if it
// is complete already.
func (tx *Tx) CompleteDestruction(id cleared.DestructionID, at time.Time) error {
	if err := checkTimeSet("completion", at); err != nil {
		return tx.errorf(err, "complete destruction %s", id)
	}
	d, err := tx.Destruction(id)
	if err != nil {
		return err
	}
	if d.Done() {
		return cleared.Conflictf("destruction %v is complete already", id)
	}
	d.Completed = at
	mac, err := macOf(tx, destructionCodec, d)
	if err == nil {
		_, err = tx.exec(`UPDATE destructions SET completed = $2, mac = $3 WHERE id = $1`, id, ns(at), mac)
	}
	if err != nil {
		return tx.errorf(err, "complete destruction %s", id)
	}
	return nil
}

// signatureCodec seals the rows of destruction_signatures; the key is the destruction and the number.
var signatureCodec = codec[cleared.Signature]{table: "destruction_signatures",
	key: func(s cleared.Signature) string { return string(s.Destruction) + "/" + strconv.Itoa(s.N) },
	row: func(s cleared.Signature) ([]any, error) {
		return []any{string(s.Destruction), s.N, s.Role, string(s.Signer), s.Certificate, s.CMS, ns(s.Signed)}, nil
	}}

const signatureColumns = `destruction_id, n, role, signer, certificate, cms, signed, mac`

func scanSignature(s scanner) (cleared.Signature, error) {
	var g cleared.Signature
	err := s.Scan(&g.Destruction, &g.N, &g.Role, &g.Signer, &g.Certificate, &g.CMS, ts(&g.Signed))
	return g, err
}

// AddDestructionSignature stores a signature of a destruction's report; ErrConflict if its number exists or its
// signer signed already, ErrInvalid if the destruction, the signer or the certificate does not exist.
func (tx *Tx) AddDestructionSignature(s cleared.Signature) error {
	err := checkTimes(s.Signed)
	if err == nil && (s.N < 1 || len(s.CMS) == 0) {
		err = cleared.Invalidf("a signature is numbered from 1 and carries its CMS")
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, signatureCodec, s)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO destruction_signatures (`+signatureColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "sign destruction %s", s.Destruction)
	}
	return nil
}

// DestructionSignatures lists the signatures of a destruction's report, by number; a row that fails its seal is
// left out.
func (tx *Tx) DestructionSignatures(id cleared.DestructionID) ([]cleared.Signature, error) {
	ss, err := list(tx, checked(tx, signatureCodec, scanSignature),
		`SELECT `+signatureColumns+` FROM destruction_signatures WHERE destruction_id = $1 ORDER BY n`, id)
	if err != nil {
		return nil, tx.errorf(err, "list signatures of destruction %s", id)
	}
	return ss, nil
}
