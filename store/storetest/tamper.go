package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/store"
)

// Stopped is a database a test can stop, edit as a hostile database administrator would (with sqlite3 or psql,
// without the key ring), and start again.
type Stopped interface {
	// Open opens a store on the database, as a server process starting, and closes it at the end of the test.
	Open(t *testing.T) store.Store
	// Exec runs one statement on the database directly, with $1, $2… placeholders, while no store has it open.
	Exec(t *testing.T, query string, args ...any)
}

// tamperedSize is how many entries each tampering test appends first, one group commit each: enough for a stored
// node of level 4.
const tamperedSize = 17

// Tampering runs the tamperings of issue 17 (§2) on a database each fresh returns: each must be detected by
// audit.Verify, naming what is wrong, and a store opened on the database must refuse to extend a log its key did
// not sign (the server fails closed: nothing is written, and it says why).
func Tampering(t *testing.T, fresh func(t *testing.T) Stopped) {
	_, vkey := AuditKeys(t)
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, db Stopped)
		// because is a word of verify's FAIL; refused, that a store opened after must refuse to append.
		because string
		refused bool
	}{
		{"entry appended with consistent leaf hash, nodes and head", forgeEntry, "not covered by a signed head", true},
		{"payload erased without an erasure entry", func(t *testing.T, db Stopped) {
			db.Exec(t, `UPDATE audit_entries SET payload = NULL, erased_ns = $1, erasure_reason = $2 WHERE seq = 2`,
				t0.Add(time.Hour).UnixNano(), "A23.2")
		}, "no entry records that erasure", false},
		{"bit flipped in a stored tree node", func(t *testing.T, db Stopped) {
			db.Exec(t, `UPDATE audit_nodes SET hash = $1 WHERE level = 4 AND idx = 0`, flipped(t, db, 4, 0))
		}, "stored tree node (level 4, index 0)", true},
		{"leaf hash of the right edge altered with its entry", func(t *testing.T, db Stopped) {
			// Entry 16 is the leaf the next append's compact range holds: its stored leaf hash must not be
			// extended from, even with a consistent entry.
			db.Exec(t, `UPDATE audit_entries SET leaf_hash = $1 WHERE seq = 16`, make([]byte, 32))
		}, "does not match its stored leaf hash", true},
		{"entry rewritten with every hash, and every signed head deleted", func(t *testing.T, db Stopped) {
			rewrite(t, db, 3)
			db.Exec(t, `DELETE FROM audit_checkpoints`)
		}, "not covered by a signed head", true},
		{"one signed head deleted", func(t *testing.T, db Stopped) {
			db.Exec(t, `DELETE FROM audit_checkpoints WHERE size = 3`)
		}, "a signed head was deleted", false},
		{"latest signed head deleted", func(t *testing.T, db Stopped) {
			db.Exec(t, `DELETE FROM audit_checkpoints WHERE size = $1`, int64(tamperedSize))
		}, "not covered by a signed head", true},
		{"head's root altered", func(t *testing.T, db Stopped) {
			db.Exec(t, `UPDATE audit_head SET root = $1`, make([]byte, 32))
		}, "head records root", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := fresh(t)
			s := Signed(t, db.Open(t))
			for i := range tamperedSize {
				update(t, s, func(tx store.Tx) error { return appendReal(tx, i) })
			}
			if rep := verifyStore(t, s, vkey); rep.FirstBad != nil {
				t.Fatalf("the log before tampering: FAIL: entry %d: %s", rep.FirstBad.Seq, rep.FirstBad.What)
			}
			s.Close()
			tc.tamper(t, db)

			s = Signed(t, db.Open(t))
			rep := verifyStore(t, s, vkey)
			if rep.FirstBad == nil {
				t.Fatalf("the tampered log verifies: %d entries, %d signed heads", rep.Size, rep.Checkpoints)
			}
			if !strings.Contains(rep.FirstBad.What, tc.because) {
				t.Errorf("verify: FAIL: entry %d: %s\nwant a sentence with %q", rep.FirstBad.Seq, rep.FirstBad.What, tc.because)
			}
			t.Logf("FAIL: entry %d: %s", rep.FirstBad.Seq, rep.FirstBad.What)
			if !tc.refused {
				return
			}
			size := auditSize(t, s)
			heads := checkpoints(t, s)
			for range 2 { // the first refusal stops the writer; the second batch is refused the same way
				err := s.Update(t.Context(), func(tx store.Tx) error { return appendReal(tx, 100) })
				wantKind(t, "an append to a log whose head is not signed", err, cleared.ErrUnavailable)
				if err != nil && !strings.Contains(err.Error(), "not signed by this log's key") {
					t.Errorf("the refusal does not say why: %v", err)
				}
			}
			same(t, "AuditSize after the refused appends", auditSize(t, s), size)
			same(t, "signed heads after the refused appends", checkpoints(t, s), heads)
		})
	}
}

// appendReal appends entry i through audit.Append, as a service does, so that the tree is the real one.
func appendReal(tx store.Tx, i int) error {
	e := audit.Entry{Time: t0.Add(time.Duration(i) * time.Second), Actor: "per_anne", Action: "piece.read",
		Object: "pce_1", Allowed: true}
	_, err := audit.Append(tx, e, auditPayload(uint64(i)))
	return err
}

func verifyStore(t *testing.T, s store.Store, vkey string) audit.Report {
	t.Helper()
	var rep audit.Report
	view(t, s, func(tx store.Tx) (err error) {
		rep, err = audit.Verify(t.Context(), tx, vkey, audit.VerifyOptions{})
		return err
	})
	return rep
}

func checkpoints(t *testing.T, s store.Store) []audit.StoredCheckpoint {
	t.Helper()
	var cs []audit.StoredCheckpoint
	view(t, s, func(tx store.Tx) (err error) {
		cs, err = tx.Checkpoints()
		return err
	})
	return cs
}

// flipped returns the stored node (level, index) with its first bit flipped.
func flipped(t *testing.T, db Stopped, level uint, index uint64) []byte {
	t.Helper()
	s := db.Open(t)
	defer s.Close()
	var h []byte
	view(t, s, func(tx store.Tx) error {
		nodes, err := tx.AuditLevel(level, index, 1)
		if err == nil && len(nodes) == 1 {
			h = nodes[0].Hash
		}
		return err
	})
	if h == nil {
		t.Fatalf("no node (%d, %d)", level, index)
	}
	h[0] ^= 1
	return h
}

// forgeEntry appends an entry as someone with the database and without the log's key can: the entry, its
// payload, the nodes its append completes and the head's new size and root, every hash consistent.
func forgeEntry(t *testing.T, db Stopped) {
	s := db.Open(t)
	var w forger
	view(t, s, func(tx store.Tx) error {
		w.Tx = tx
		e := audit.Entry{Time: t0.Add(time.Hour), Actor: "per_forged", Action: "piece.read", Object: "pce_1", Allowed: true}
		_, err := audit.Append(&w, e, []byte(`{"forged":true}`))
		return err
	})
	s.Close()
	r := w.record
	db.Exec(t, `INSERT INTO audit_entries (seq, time_ns, actor, action, object, allowed, payload_hash, leaf_hash, payload)
		VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8)`,
		int64(r.Seq), r.Time.UnixNano(), string(r.Actor), r.Action, r.Object, r.PayloadHash[:], r.LeafHash, w.payload)
	for _, n := range w.nodes {
		db.Exec(t, `INSERT INTO audit_nodes (level, idx, hash) VALUES ($1, $2, $3)`, int64(n.ID.Level), int64(n.ID.Index), n.Hash)
	}
	db.Exec(t, `UPDATE audit_head SET size = $1, root = $2`, int64(r.Seq+1), w.root)
}

// rewrite changes the actor of entry seq and recomputes every stored hash from the entries, as someone with the
// database and without the log's key can: leaf hashes, nodes and the head's root all agree with the entries.
func rewrite(t *testing.T, db Stopped, seq uint64) {
	s := db.Open(t)
	var recs []audit.Record
	view(t, s, func(tx store.Tx) (err error) {
		recs, err = tx.AuditRecords(0, 1000)
		return err
	})
	s.Close()
	recs[seq].Actor = "per_forged"
	rng := (&compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}).NewEmptyRange(0)
	db.Exec(t, `DELETE FROM audit_nodes`)
	for _, r := range recs {
		leaf, err := r.Entry.LeafHash()
		if err != nil {
			t.Fatal(err)
		}
		db.Exec(t, `UPDATE audit_entries SET actor = $1, leaf_hash = $2 WHERE seq = $3`, string(r.Actor), leaf, int64(r.Seq))
		err = rng.Append(leaf, func(id compact.NodeID, h []byte) {
			db.Exec(t, `INSERT INTO audit_nodes (level, idx, hash) VALUES ($1, $2, $3)`, int64(id.Level), int64(id.Index), h)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	root, err := rng.GetRootHash(nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Exec(t, `UPDATE audit_head SET root = $1`, root)
}

// forger records the append audit.Append computes over a read transaction, instead of writing it.
type forger struct {
	store.Tx
	record  audit.Record
	payload []byte
	nodes   []audit.Node
	root    []byte
}

func (f *forger) AppendAudit(r audit.Record, payload []byte, nodes []audit.Node, root []byte) error {
	if f.root != nil {
		return errors.New("forger: one append only")
	}
	f.record, f.payload, f.nodes, f.root = r, payload, nodes, root
	return nil
}

// Unsigned checks that a store without the log's signer key (SetAuditSigner not called) appends nothing: it
// cannot sign the head, and a log must have no entry that no signed head covers.
func Unsigned(t *testing.T, s store.Store) {
	err := s.Update(t.Context(), func(tx store.Tx) error { return appendReal(tx, 0) })
	wantKind(t, "an append without the signer key", err, cleared.ErrUnavailable)
	same(t, "AuditSize after the refused append", auditSize(t, s), uint64(0))
}
