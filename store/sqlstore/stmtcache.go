package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache keeps statements prepared on a pool, by query, for the transactions of that pool to reuse
// (Dialect.Prepare): SQLite's driver compiles every statement it is given, and compiling took a third of the time
// of a short read transaction and a fifth of a group commit's when each transaction prepared its own. A
// transaction cannot prepare on the pool while it holds a connection (SQLite's writer has just the one), so a
// query met for the first time is prepared in the transaction, and on the pool once the transaction has ended.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxPrepared bounds how many statements a cache keeps. The store's queries are constants but for a few built for
// a number of items (nodes appended or asked for), so the bound is only a guard.
const maxPrepared = 512

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: make(map[string]*sql.Stmt)}
}

// get returns the statement kept for query, or nil.
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// keep prepares the queries it does not have yet. The caller holds no connection of the pool. A query that fails
// to prepare is left to be prepared in each transaction, as before.
func (c *stmtCache) keep(queries []string) {
	for _, q := range queries {
		c.mu.Lock()
		_, ok := c.m[q]
		full := len(c.m) >= maxPrepared
		c.mu.Unlock()
		if ok || full {
			continue
		}
		st, err := c.db.PrepareContext(context.Background(), q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, ok := c.m[q]; ok {
			st.Close() // another transaction kept it meanwhile
		} else {
			c.m[q] = st
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, st := range c.m {
		err = errors.Join(err, st.Close())
	}
	clear(c.m)
	return err
}
