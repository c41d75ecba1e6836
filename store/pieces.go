package store

import (
	"time"

	"github.com/cleared/cleared"
)

// PieceCursor is a position in a list of pieces ordered from newest to oldest: Created, then ID descending.
type PieceCursor struct {
	Created time.Time
	ID      cleared.PieceID
}

// VisibleQuery asks for the pieces one person may see at a time: not destroyed, level at most MaxLevel (the
// highest valid clearance the policy found for him), and covered by a grant active at At, on the piece itself or
// on its dossier (A9.1). The results are ordered newest first, after the cursor if one is given.
type VisibleQuery struct {
	Person   cleared.PersonID
	MaxLevel cleared.Level
	At       time.Time
	After    *PieceCursor
	Limit    int
}

// ReviewQuery asks for the pieces one person may see at a time, as VisibleQuery does (not destroyed, level at most
// MaxLevel, covered by a grant active at At on the piece or its dossier, A9.1), whose review date is before By
// (A3.2): overdue or soon due. The results are ordered by review date, then ID; at most Limit of them.
type ReviewQuery struct {
	Person   cleared.PersonID
	MaxLevel cleared.Level
	At, By   time.Time
	Limit    int
}

// Content is the encrypted content of an electronic piece. The wrapped data key is stored apart from the
// ciphertext, so that destroying it (crypto-shredding, A10.1) leaves a ciphertext nobody can decrypt.
type Content struct {
	Piece      cleared.PieceID
	KEK        string // which key-encryption key wrapped the data key
	WrappedKey []byte // nil once the key is destroyed
	Ciphertext []byte
}

// Pieces holds classified pieces, their dossiers (A4.1, A4.2), their encrypted content and its destruction
// (A10.1).
type Pieces interface {
	CreateDossier(d cleared.Dossier) error
	Dossier(id cleared.DossierID) (cleared.Dossier, error)
	SetDossierLevel(id cleared.DossierID, l cleared.Level) error
	// DossierParts lists the pieces of a dossier, destroyed ones included.
	DossierParts(id cleared.DossierID) ([]cleared.Piece, error)
	CreatePiece(p cleared.Piece) error
	Piece(id cleared.PieceID) (cleared.Piece, error)
	// VisiblePieces answers q; see VisibleQuery.
	VisiblePieces(q VisibleQuery) ([]cleared.Piece, error)
	// ReviewsDue answers q; see ReviewQuery.
	ReviewsDue(q ReviewQuery) ([]cleared.Piece, error)
	// MarkPieceDestroyed sets the piece's destruction time; ErrConflict if it is already destroyed.
	MarkPieceDestroyed(id cleared.PieceID, at time.Time) error
	PutContent(c Content) error
	Content(id cleared.PieceID) (Content, error)
	// DestroyContentKey erases the wrapped data key for good; the ciphertext stays.
	DestroyContentKey(id cleared.PieceID) error
}
