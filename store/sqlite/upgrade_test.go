package sqlite

import (
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/storetest"
)

// TestMigration_00008_carries_the_audit_log_forward writes a log as the versions before 00008 stored it (payloads
// in audit_payloads, every node of the tree, one payload erased, a checkpoint signed without a link), opens the
// database (which migrates it), and requires the log to verify, its proofs to hold, and the next group commit to
// extend it with a signed head chained to the old checkpoint.
func TestMigration_00008_carries_the_audit_log_forward(t *testing.T) {
	const size = 40
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(t.Context(), 6); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rng := (&compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}).NewEmptyRange(0)
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range size {
		payload := fmt.Appendf(nil, `{"n":%d}`, i)
		e := audit.Entry{Seq: uint64(i), Time: t0.Add(time.Duration(i) * time.Second), Actor: "per_anne", Action: "piece.read",
			Allowed: true, PayloadHash: audit.HashPayload(payload)}
		leaf, err := e.LeafHash()
		if err != nil {
			t.Fatal(err)
		}
		exec(`INSERT INTO audit_entries (seq, time_ns, actor, action, allowed, payload_hash, leaf_hash) VALUES ($1, $2, $3, $4, 1, $5, $6)`,
			i, e.Time.UnixNano(), string(e.Actor), e.Action, e.PayloadHash[:], leaf)
		exec(`INSERT INTO audit_payloads (seq, data) VALUES ($1, $2)`, i, payload)
		if err := rng.Append(leaf, func(id compact.NodeID, h []byte) {
			exec(`INSERT INTO audit_nodes (level, idx, hash) VALUES ($1, $2, $3)`, id.Level, id.Index, h)
		}); err != nil {
			t.Fatal(err)
		}
	}
	root, _ := rng.GetRootHash(nil)
	exec(`UPDATE audit_head SET size = $1, root = $2`, size, root)
	signer, vkey := storetest.AuditKeys(t)
	note, err := audit.Sign(audit.Checkpoint{Origin: "cleared.test/audit", Size: size, Root: root}, signer)
	if err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO audit_checkpoints (size, note, created_ns) VALUES ($1, $2, $3)`, size, note, t0.UnixNano())
	exec(`UPDATE audit_payloads SET data = NULL, erased_ns = 1, erasure_reason = 'A23.2' WHERE seq = 7`)
	db.Close()

	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.Signed(t, s)
	var rep audit.Report
	verify := func() {
		t.Helper()
		err := s.View(t.Context(), func(tx store.Tx) (err error) {
			rep, err = audit.Verify(t.Context(), tx, vkey, audit.VerifyOptions{Trusted: note})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	verify()
	// Entry 7's payload was erased with no entry recording it: the migrated log says so, as before.
	if rep.FirstBad == nil || rep.FirstBad.Seq != 7 {
		t.Fatalf("verify after the migration: %+v, want entry 7's erasure unaccounted", rep.FirstBad)
	}
	err = s.View(t.Context(), func(tx store.Tx) error {
		pay, err := tx.AuditPayload(3)
		if err != nil || string(pay.Data) != `{"n":3}` {
			t.Errorf("payload 3 after the migration: %q, %v", pay.Data, err)
		}
		pay, err = tx.AuditPayload(7)
		if err != nil || pay.Data != nil || pay.Reason != "A23.2" {
			t.Errorf("erased payload 7 after the migration: %+v, %v", pay, err)
		}
		for _, seq := range []uint64{0, 17, 39} {
			proof, err := audit.InclusionProof(tx, seq, size)
			if err != nil {
				return err
			}
			rs, _ := tx.AuditRecords(seq, 1)
			if err := audit.VerifyInclusion(seq, size, rs[0].LeafHash, proof, root); err != nil {
				t.Errorf("inclusion of %d after the migration: %v", seq, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(t.Context(), func(tx store.Tx) error {
		_, err := audit.Append(tx, audit.Entry{Time: t0.Add(2 * time.Hour), Action: "piece.read", Allowed: true}, []byte("{}"))
		return err
	})
	if err != nil {
		t.Fatalf("the first append after the migration: %v", err)
	}
	var heads []audit.StoredCheckpoint
	s.View(t.Context(), func(tx store.Tx) (err error) { heads, err = tx.Checkpoints(); return err })
	if len(heads) != 2 {
		t.Fatalf("%d signed heads, want the old checkpoint and the new head", len(heads))
	}
	c, err := audit.OpenCheckpoint(heads[1].Note, vkey)
	old, _ := audit.OpenCheckpoint(note, vkey)
	if err != nil || c.Size != size+1 || c.Prev == nil || *c.Prev != old.Link() {
		t.Fatalf("the new head %+v (%v) does not name the old checkpoint", c, err)
	}
}
