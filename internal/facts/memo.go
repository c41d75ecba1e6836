package facts

import (
	"cmp"
	"sync"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
)

// What an access decision reads (a terminal's certificate, a session, the person with clearances and grants, the
// piece and its content) is the same for every request of a signed-in user, and reading it again costs more than
// the decision. The services keep it in memory, for reads only, under two conditions that keep it exact:
//
//   - an entry holds the store's Generation read before the data was, and is used only while the Generation has
//     not moved. Every committed change other than an audit append moves it before its caller is answered
//     (changes by another process within store.GenerationLag), so a revoked terminal, session, clearance or
//     grant, a downgraded or destroyed piece, is never served from memory once its change has returned;
//   - an entry is at most CacheAge old, because the data were read for one moment: a grant that starts later was
//     not among the person's grants then. The policy itself is decided again at every request, with its own time.
//
// Writes (Update) never use what is kept here: they decide on what their own transaction reads.
//
// Everything kept here comes from a store read that checked the row's seal (architecture, principle 9; store's
// TamperedError): a row that fails is never returned, so it is never kept, and a row edited in the database after
// it was kept is read, and refused, once the generation moves or CacheAge passes (registry's seal_test.go).
const (
	CacheAge     = 2 * time.Second
	CacheEntries = 4096 // per kind; when full, a kind is emptied (cheaper than tracking use)
)

// Memo is one kind of kept data, at most Max entries (CacheEntries if 0). The zero Memo is empty and ready.
type Memo[K comparable, V any] struct {
	Max int
	mu  sync.RWMutex
	m   map[K]memoEntry[V]
}

type memoEntry[V any] struct {
	gen uint64
	at  time.Time
	v   V
}

// Get returns the value kept for k, if it was filled at generation gen and is young enough.
func (c *Memo[K, V]) Get(k K, gen uint64) (V, bool) {
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	if !ok || e.gen != gen || time.Since(e.at) > CacheAge {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put keeps v for k, read at generation gen, the Generation read before v was.
func (c *Memo[K, V]) Put(k K, gen uint64, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cmp.Or(c.Max, CacheEntries) {
		c.m = make(map[K]memoEntry[V])
	}
	c.m[k] = memoEntry[V]{gen: gen, at: time.Now(), v: v}
}

// Subjects keeps actors' subjects for reads. The subject is shared by the requests that find it: the policy only
// reads it.
type Subjects struct {
	m Memo[cleared.Actor, *policy.Subject]
}

// Of returns the subject of x's actor at x's time: kept in memory when x is a read (act.Runner.Read), else loaded.
func (c *Subjects) Of(tx SubjectReader, x *act.Act) (*policy.Subject, error) {
	if !x.Cached {
		sub, _, err := Subject(tx, x.Actor, x.Now)
		return sub, err
	}
	if sub, ok := c.m.Get(x.Actor, x.Gen); ok {
		return sub, nil
	}
	sub, _, err := Subject(tx, x.Actor, x.Now)
	if err != nil {
		return nil, err
	}
	c.m.Put(x.Actor, x.Gen, sub)
	return sub, nil
}
