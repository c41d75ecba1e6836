package sqlstore

import (
	"bytes"
	"database/sql"
	"errors"
	"math"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// PutCosignature keeps a witness's cosignature of a checkpoint. The same note for a witness and size again replaces
// the signature and time (a newer cosignature of the same checkpoint); another note is ErrConflict. ErrInvalid
// without a witness, note, signature or time.
func (tx *Tx) PutCosignature(c store.Cosignature) error {
	if err := tx.putCosignature(c); err != nil {
		return tx.errorf(err, "put cosignature of size %d", c.Size)
	}
	return nil
}

func (tx *Tx) putCosignature(c store.Cosignature) error {
	switch {
	case c.Witness == "" || len(c.Note) == 0 || len(c.Signature) == 0:
		return cleared.Invalidf("a cosignature needs its witness, note and signature")
	case c.Size > math.MaxInt64:
		return cleared.Invalidf("size %d is beyond what the database stores", c.Size)
	}
	if err := checkTimeSet("cosignature", c.Created); err != nil {
		return err
	}
	added, err := tx.execOne(`
		INSERT INTO audit_cosignatures (witness, size, note, signature, created_ns) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (witness, size) DO NOTHING`,
		c.Witness, int64(c.Size), c.Note, c.Signature, c.Created.UnixNano())
	if err != nil || added {
		return err
	}
	kept, err := get(tx, func(s scanner) ([]byte, error) {
		var note []byte
		err := s.Scan(&note)
		return note, err
	}, `SELECT note FROM audit_cosignatures WHERE witness = $1 AND size = $2`, c.Witness, int64(c.Size))
	if err != nil {
		return err
	}
	if !bytes.Equal(kept, c.Note) {
		return cleared.Conflictf("the witness has a cosignature of another checkpoint of size %d", c.Size)
	}
	_, err = tx.exec(`UPDATE audit_cosignatures SET signature = $1, created_ns = $2 WHERE witness = $3 AND size = $4`,
		c.Signature, c.Created.UnixNano(), c.Witness, int64(c.Size))
	return err
}

const cosignatureColumns = `witness, size, note, signature, created_ns`

func scanCosignature(s scanner) (store.Cosignature, error) {
	var (
		c    store.Cosignature
		size int64
	)
	err := s.Scan(&c.Witness, &size, &c.Note, &c.Signature, ts(&c.Created))
	c.Size = uint64(size)
	return c, err
}

// LatestCosignature returns the cosignature of the largest size by witness; ErrNotFound if none is kept.
func (tx *Tx) LatestCosignature(witness string) (store.Cosignature, error) {
	c, err := get(tx, scanCosignature, `
		SELECT `+cosignatureColumns+` FROM audit_cosignatures WHERE witness = $1 ORDER BY size DESC LIMIT 1`, witness)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Cosignature{}, cleared.NotFoundf("no cosignature kept of this witness")
	}
	if err != nil {
		return store.Cosignature{}, tx.errorf(err, "read latest cosignature")
	}
	return c, nil
}

// recentCosigned is how many of the largest sizes cosigned CosignedCheckpoint chooses among.
const recentCosigned = 64

// CosignedCheckpoint returns, by witness, the cosignatures of the size the most witnesses cosigned among the 64
// largest sizes cosigned, the largest if tied; ErrNotFound if none.
func (tx *Tx) CosignedCheckpoint() ([]store.Cosignature, error) {
	cs, err := list(tx, scanCosignature, `
		SELECT `+cosignatureColumns+` FROM audit_cosignatures
		WHERE size = (
			SELECT size FROM audit_cosignatures
			WHERE size >= (SELECT MIN(size) FROM (
				SELECT DISTINCT size FROM audit_cosignatures ORDER BY size DESC LIMIT $1) AS recent)
			GROUP BY size ORDER BY COUNT(*) DESC, size DESC LIMIT 1)
		ORDER BY witness`, recentCosigned)
	if err != nil {
		return nil, tx.errorf(err, "read the cosigned checkpoint")
	}
	if len(cs) == 0 {
		return nil, cleared.NotFoundf("no cosignature kept")
	}
	return cs, nil
}
