package registry

import (
	"cmp"
	"sync"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// What an access decision reads (a terminal's certificate, a session, the person with clearances and grants, the
// piece and its content) is the same for every request of a signed-in user, and reading it again costs more than
// the decision. The service keeps it in memory, for reads only, under two conditions that keep it exact:
//
//   - an entry holds the store's Generation read before the data was, and is used only while the Generation has
//     not moved. Every committed change other than an audit append moves it before its caller is answered
//     (changes by another process within store.GenerationLag), so a revoked terminal, session, clearance or
//     grant, a downgraded or destroyed piece, is never served from memory once its change has returned;
//   - an entry is at most cacheAge old, because the data were read for one moment: a grant that starts later was
//     not among the person's grants then. The policy itself is decided again at every request, with its own time.
//
// Writes (Update) never use what is kept here: they decide on what their own transaction reads.
const (
	cacheAge      = 2 * time.Second
	cacheEntries  = 4096     // per kind; when full, a kind is emptied (cheaper than tracking use)
	cacheContents = 512      // contents kept at most: with cacheContent, 32 MiB
	cacheContent  = 64 << 10 // contents larger than this are read from the store each time
)

// memo is one kind of kept data, at most max entries (cacheEntries if 0).
type memo[K comparable, V any] struct {
	max int
	mu  sync.RWMutex
	m   map[K]memoEntry[V]
}

type memoEntry[V any] struct {
	gen uint64
	at  time.Time
	v   V
}

// get returns the value kept for k, if it was filled at generation gen and is young enough.
func (c *memo[K, V]) get(k K, gen uint64) (V, bool) {
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	if !ok || e.gen != gen || time.Since(e.at) > cacheAge {
		var zero V
		return zero, false
	}
	return e.v, true
}

// put keeps v for k, read at generation gen, the Generation read before v was.
func (c *memo[K, V]) put(k K, gen uint64, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cmp.Or(c.max, cacheEntries) {
		c.m = make(map[K]memoEntry[V])
	}
	c.m[k] = memoEntry[V]{gen: gen, at: time.Now(), v: v}
}

// caches is what the service keeps.
type caches struct {
	certificates memo[[32]byte, certificateRecord]
	sessions     memo[[32]byte, cleared.Session]
	subjects     memo[cleared.Actor, subjectRecord]
	pieces       memo[cleared.PieceID, pieceRecord]
	contents     memo[cleared.PieceID, store.Content]
}

// certificateRecord is a client certificate and its terminal (nil if it is gone).
type certificateRecord struct {
	cert     cleared.TerminalCertificate
	terminal *cleared.Terminal
}

// subjectRecord is an actor's person and subject (clearances, grants, terminal). The subject is shared by the
// requests that find it: the policy only reads it.
type subjectRecord struct {
	sub    *policy.Subject
	person cleared.Person
}

// pieceRecord is a piece and what the policy decides it by.
type pieceRecord struct {
	piece  cleared.Piece
	target policy.Target
}
