package store

import "github.com/cleared/cleared"

// Markings holds the history of the markings a piece carried (Art. 7 al. 2, A7.2) and the changes a downgrade
// or a declassification makes to the piece (Art. 5 al. 2, A5.2): its level, and its data key re-wrapped for it.
type Markings interface {
	// AddPieceMarking stores m; ErrConflict if the piece has a marking of that Seq, ErrInvalid if the piece does
	// not exist.
	AddPieceMarking(m cleared.PieceMarking) error
	// PieceMarkings lists the markings stored for a piece, oldest first (a row that fails its seal left out).
	PieceMarkings(id cleared.PieceID) ([]cleared.PieceMarking, error)
	// SetPieceMarking changes a piece's level and, if foreign is not nil, its foreign marking (A6.1: the marking
	// of its scheme at the new level); ErrNotFound if there is no such piece.
	SetPieceMarking(id cleared.PieceID, l cleared.Level, foreign *cleared.ForeignMarking) error
	// RewrapContentKey replaces the wrapped data key of a piece, and the key-encryption key that wrapped it, with
	// a key re-wrapped for the piece's new binding (keyring.Ring.Rewrap). ErrNotFound if the piece has no content,
	// ErrConflict if its key was destroyed (nothing can bring it back).
	RewrapContentKey(id cleared.PieceID, kek string, wrapped []byte) error
}
