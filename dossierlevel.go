package cleared

import "time"

// LevelCause says why a dossier's level changed (A4.2).
type LevelCause string

// The causes of a dossier's level change.
const (
	// LevelCreated: the dossier was opened at this level.
	LevelCreated LevelCause = "created"
	// LevelRaised: a part higher than the dossier was added, which raised it (A4.2).
	LevelRaised LevelCause = "raised"
	// LevelSet: its originating authority, or who acts for it (A5.2), set it.
	LevelSet LevelCause = "set"
)

// DossierLevelChange is one entry of a dossier's level history (Art. 4 al. 2, A4.2): the dossier's Seq-th level,
// To, taken at At, from From (Unclassified for its creation), for Cause.
type DossierLevelChange struct {
	Dossier DossierID  `json:"dossier"`
	Seq     int        `json:"seq"`
	Cause   LevelCause `json:"cause"`
	From    Level      `json:"from"`
	To      Level      `json:"to"`
	// Piece is the part whose addition raised the dossier (LevelRaised).
	Piece PieceID `json:"piece,omitempty"`
	// Authority is the authority that set the level (LevelSet) or opened the dossier (LevelCreated).
	Authority AuthorityID `json:"authority,omitempty"`
	Reason    string      `json:"reason,omitempty"`
	By        PersonID    `json:"by"`
	At        time.Time   `json:"at"`
}
