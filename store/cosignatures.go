package store

import "time"

// Cosignature is a witness's cosignature of one of the audit log's checkpoints (C2SP tlog-cosignature), as the
// server received it: the witness that signed, identified by its verifier key, the checkpoint's size, the log's
// signed note it cosigned, and the witness's signature line(s) to append to that note.
type Cosignature struct {
	Witness   string
	Size      uint64
	Note      []byte
	Signature []byte
	Created   time.Time
}

// Cosignatures keeps what the witnesses cosigned (package witness), so that the server sends each witness a
// consistency proof from the size it last acknowledged and serves the cosigned checkpoint. Nothing here is
// trusted: a cosignature is checked with the witness's key wherever it is used.
type Cosignatures interface {
	// PutCosignature keeps a cosignature. For a witness and size already kept, the same note replaces the
	// signature (a newer cosignature of the same checkpoint); another note is ErrConflict (the witness would have
	// cosigned two roots for one size). ErrInvalid if the witness, note, signature or time is missing.
	PutCosignature(c Cosignature) error
	// LatestCosignature returns the cosignature of the largest size by witness; ErrNotFound if none.
	LatestCosignature(witness string) (Cosignature, error)
	// CosignedCheckpoint returns, by witness, the cosignatures of the checkpoint the most witnesses cosigned among
	// the 64 largest sizes cosigned, the largest size if tied: the freshest checkpoint with the most cosignatures,
	// which a witness that lags or is down does not hold back for long. ErrNotFound if none is kept.
	CosignedCheckpoint() ([]Cosignature, error)
}
