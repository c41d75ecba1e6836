package registry_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

const mib = 1 << 20

// The encryption alone and its raw AES-GCM baseline are in package keyring; run both packages in one command to
// compare: go test -run '^$' -bench 1MiB ./keyring ./registry

// BenchmarkRawSQLiteInsert1MiB is the database's own ceiling: one durable INSERT of a 1 MiB blob per
// transaction, WAL and synchronous=FULL as cleared runs it, no encryption.
func BenchmarkRawSQLiteInsert1MiB(b *testing.B) {
	path := filepath.Join(b.TempDir(), "raw.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	blob := make([]byte, mib)
	rand.Read(blob)
	b.SetBytes(mib)
	for b.Loop() {
		if _, err := db.Exec(`INSERT INTO t (b) VALUES ($1)`, blob); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSealAndStore1MiB encrypts 1 MiB under a fresh data key, wraps the key, and stores both in SQLite in
// one durable transaction (synchronous=FULL).
func BenchmarkSealAndStore1MiB(b *testing.B) {
	ctx := context.Background()
	w := benchWorld(b)
	plain := make([]byte, mib)
	rand.Read(plain)
	b.SetBytes(mib)
	b.ResetTimer()
	for b.Loop() {
		p := w.piece
		p.ID = cleared.NewPieceID()
		sealed, err := w.ring.Seal(p.ID, keyring.BindingOf(p), plain)
		if err != nil {
			b.Fatal(err)
		}
		err = w.st.Update(ctx, func(tx store.Tx) error {
			if err := tx.CreatePiece(p); err != nil {
				return err
			}
			return tx.PutContent(store.Content{Piece: p.ID, KEK: sealed.KEK, WrappedKey: sealed.WrappedKey, Ciphertext: sealed.Ciphertext})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClassify1MiB is the whole service action: policy, encryption, piece, content and grant in one
// transaction.
func BenchmarkClassify1MiB(b *testing.B) {
	ctx := context.Background()
	w := benchWorld(b)
	plain := make([]byte, mib)
	rand.Read(plain)
	b.SetBytes(mib)
	b.ResetTimer()
	for b.Loop() {
		_, err := w.svc.Classify(ctx, w.actor, registry.NewPiece{Authority: w.auth, Kind: cleared.Electronic, Title: "bench",
			Level: cleared.Secret, Reasons: []cleared.Reason{"a"}, ReviewOn: w.piece.ReviewOn, Content: plain})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// benchFixture is the demo world on a fresh SQLite store, with the delegate Paul at his office terminal as the
// classifier and reader.
type benchFixture struct {
	st       store.Store
	ring     *keyring.Ring
	svc      *registry.Service
	actor    cleared.Actor
	auth     cleared.AuthorityID
	piece    cleared.Piece   // a template for rows written directly
	readable cleared.PieceID // a piece the actor may read
}

func benchWorld(b *testing.B) benchFixture {
	b.Helper()
	// The real clock: a benchmark runs for seconds, and its grants and sessions must stay in force meanwhile.
	e := testenv.New(b, testenv.Options{Now: func() time.Time { return time.Now().UTC() }})
	p := e.World.Secret
	p.ContentSize = mib
	return benchFixture{st: e.Store, ring: e.Ring, svc: e.Reg, actor: e.As("paul"), auth: e.World.PaulAuth.ID,
		piece: p, readable: e.World.Confidential.ID}
}

// BenchmarkAuditedActions measures whole audited actions from many concurrent callers: a holder reading a piece's
// metadata (subject, policy, audit entry, durable commit), on SQLite with group commit. Goal: 20 000 actions/s.
func BenchmarkAuditedActions(b *testing.B) {
	w := benchWorld(b)
	ctx := context.Background()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := w.svc.Piece(ctx, w.actor, w.readable); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "actions/s")
}
