package registry

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// What reads' access decisions read is kept in memory under the conditions package facts states (memo.go there).
const (
	cacheContents = 512      // contents kept at most: with cacheContent, 32 MiB
	cacheContent  = 64 << 10 // contents larger than this are read from the store each time
)

// caches is what the service keeps.
type caches struct {
	subjects facts.Subjects
	pieces   facts.Memo[cleared.PieceID, pieceRecord]
	contents facts.Memo[cleared.PieceID, store.Content]
}

// pieceRecord is a piece and what the policy decides it by.
type pieceRecord struct {
	piece  cleared.Piece
	target policy.Target
}
