package storetest

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/store"
)

// The suite tests how the audit log is stored, not the tree's math (package audit's tests do that): records, nodes
// and roots carry fixed hashes derived from their position.

func fixedHash(format string, args ...any) []byte {
	h := sha256.Sum256(fmt.Appendf(nil, format, args...))
	return h[:]
}

// auditPayload is entry seq's payload, 200 bytes as a service's payload might be.
func auditPayload(seq uint64) []byte {
	p := fmt.Appendf(nil, `{"seq":%d,"reason":"need to know","pad":"`, seq)
	p = append(p, bytes.Repeat([]byte{'-'}, 198-len(p))...)
	return append(p, `"}`...)
}

// auditRecord returns entry seq: every third one a refusal, with its rule.
func auditRecord(seq uint64) audit.Record {
	e := audit.Entry{
		Seq:         seq,
		Time:        t0.Add(time.Duration(seq) * time.Millisecond),
		Actor:       "per_anne",
		Action:      "piece.read_content",
		Object:      "pce_" + strconv.FormatUint(seq, 10),
		Allowed:     true,
		PayloadHash: audit.HashPayload(auditPayload(seq)),
	}
	if seq%3 == 0 {
		e.Allowed, e.Rule, e.Terminal, e.Actor = false, "A9.1", "trm_lobby", ""
	}
	return audit.Record{Entry: e, LeafHash: treeNode(0, seq)}
}

// treeNode returns node (level, index) of the tree whose leaf hashes are fixed: leaf i is fixedHash("leaf i"),
// and each node above is RFC 6962's hash of its children, as a store may recompute it from those it keeps.
func treeNode(level uint, index uint64) []byte {
	if level == 0 {
		return fixedHash("leaf %d", index)
	}
	return rfc6962.DefaultHasher.HashChildren(treeNode(level-1, 2*index), treeNode(level-1, 2*index+1))
}

// treeRoot returns the root of the tree of treeNode's leaves at size, as a store may check it against the nodes.
func treeRoot(size uint64) []byte {
	ids := compact.RangeNodes(0, size, nil)
	hashes := make([][]byte, len(ids))
	for i, id := range ids {
		hashes[i] = treeNode(id.Level, id.Index)
	}
	rng, err := (&compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}).NewRange(0, size, hashes)
	if err != nil {
		panic(err)
	}
	root, err := rng.GetRootHash(nil)
	if err != nil {
		panic(err)
	}
	return root
}

// auditNodes returns the nodes appending entry seq completes: its leaf, and the root of each perfect subtree
// that seq's leaf closes (two nodes on average).
func auditNodes(seq uint64) []audit.Node {
	var nodes []audit.Node
	for level, width := uint(0), uint64(1); (seq+1)%width == 0; level, width = level+1, width*2 {
		index := (seq+1)/width - 1
		nodes = append(nodes, audit.Node{ID: compact.NewNodeID(level, index), Hash: treeNode(level, index)})
	}
	return nodes
}

// appendNext appends the entry whose seq is the log's size, as a service does.
func appendNext(tx store.Tx) (uint64, error) {
	seq, err := tx.AuditSize()
	if err != nil {
		return 0, err
	}
	return seq, tx.AppendAudit(auditRecord(seq), auditPayload(seq), auditNodes(seq), treeRoot(seq+1))
}

// appendEntries appends n entries, one Update each.
func appendEntries(t *testing.T, s store.Store, n int) {
	t.Helper()
	for range n {
		update(t, s, func(tx store.Tx) error {
			_, err := appendNext(tx)
			return err
		})
	}
}

func auditSize(t *testing.T, s store.Store) uint64 {
	t.Helper()
	var n uint64
	view(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.AuditSize()
		return err
	})
	return n
}

func testAudit(t *testing.T, open opener) {
	t.Run("Append_sequence", func(t *testing.T) {
		s := open(t)
		if n := auditSize(t, s); n != 0 {
			t.Fatalf("AuditSize of a new store = %d, want 0", n)
		}
		appendEntries(t, s, 5)
		same(t, "AuditSize after five appends", auditSize(t, s), uint64(5))
		view(t, s, func(tx store.Tx) error {
			got, err := tx.AuditRecords(0, 10)
			var want []audit.Record
			for seq := range uint64(5) {
				want = append(want, auditRecord(seq))
			}
			same(t, "AuditRecords", got, want)
			return err
		})
	})
	t.Run("Append_ErrConflict_wrong_seq_changes_nothing", func(t *testing.T) {
		s := open(t)
		appendEntries(t, s, 2)
		update(t, s, func(tx store.Tx) error {
			for _, seq := range []uint64{1, 3, 0} {
				err := tx.AppendAudit(auditRecord(seq), auditPayload(seq), auditNodes(seq), treeRoot(seq+1))
				wantKind(t, "AppendAudit of seq "+strconv.FormatUint(seq, 10)+" at size 2", err, cleared.ErrConflict)
			}
			n, err := tx.AuditSize()
			same(t, "AuditSize after refused appends, in the same transaction", n, uint64(2))
			if err != nil {
				return err
			}
			// The refusal left the transaction usable: the right seq is taken.
			_, err = appendNext(tx)
			return err
		})
		same(t, "AuditSize", auditSize(t, s), uint64(3))
		view(t, s, func(tx store.Tx) error {
			got, err := tx.AuditRecords(0, 10)
			same(t, "AuditRecords", got, []audit.Record{auditRecord(0), auditRecord(1), auditRecord(2)})
			if err != nil {
				return err
			}
			_, err = tx.AuditNodes([]compact.NodeID{compact.NewNodeID(0, 3)})
			wantKind(t, "AuditNodes of a refused append's leaf", err, cleared.ErrNotFound)
			_, err = tx.AuditPayload(3)
			wantKind(t, "AuditPayload of a refused append", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("Append_ErrInvalid", func(t *testing.T) {
		s := open(t)
		short := auditRecord(0)
		short.LeafHash = short.LeafHash[:31]
		noTime := auditRecord(0)
		noTime.Time = time.Time{}
		for _, c := range []struct {
			name  string
			r     audit.Record
			nodes []audit.Node
			root  []byte
		}{
			{"short leaf hash", short, auditNodes(0), fixedHash("root")},
			{"no time", noTime, auditNodes(0), fixedHash("root")},
			{"short root", auditRecord(0), auditNodes(0), []byte("root")},
			{"short node hash", auditRecord(0), []audit.Node{{ID: compact.NewNodeID(0, 0), Hash: []byte{1}}}, fixedHash("root")},
		} {
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AppendAudit(c.r, nil, c.nodes, c.root) })
			wantKind(t, "AppendAudit with a "+c.name, err, cleared.ErrInvalid)
		}
		same(t, "AuditSize after invalid appends", auditSize(t, s), uint64(0))
	})
	t.Run("Nodes", func(t *testing.T) {
		s := open(t)
		appendEntries(t, s, 4)
		ids := []compact.NodeID{
			compact.NewNodeID(1, 1), compact.NewNodeID(0, 2), compact.NewNodeID(0, 0), compact.NewNodeID(1, 0),
			compact.NewNodeID(0, 2), // asked twice
		}
		view(t, s, func(tx store.Tx) error {
			got, err := tx.AuditNodes(ids)
			if err != nil {
				return err
			}
			want := [][]byte{treeNode(1, 1), treeNode(0, 2), treeNode(0, 0), treeNode(1, 0),
				treeNode(0, 2)}
			same(t, "AuditNodes, in the order asked", got, want)
			_, err = tx.AuditNodes([]compact.NodeID{compact.NewNodeID(0, 1), compact.NewNodeID(2, 1)})
			wantKind(t, "AuditNodes with a node not stored", err, cleared.ErrNotFound)
			got, err = tx.AuditNodes(nil)
			if len(got) != 0 || err != nil {
				t.Errorf("AuditNodes(nil) = %v, %v; want none", got, err)
			}
			return nil
		})
		// Each node is written once: a second append completing the same node would be a fork.
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.AppendAudit(auditRecord(4), auditPayload(4), append(auditNodes(4), auditNodes(3)...), fixedHash("root 5"))
		})
		wantKind(t, "AppendAudit writing an existing node", err, cleared.ErrConflict)
		same(t, "AuditSize after the refused append", auditSize(t, s), uint64(4))
	})
	t.Run("Entries_and_stored_levels", func(t *testing.T) {
		// What a verifier reads: records with their payloads in one read, and every stored node level by level.
		s := open(t)
		appendEntries(t, s, 33)
		update(t, s, func(tx store.Tx) error { return tx.EraseAuditPayload(2, day(180), "A23.2") })
		view(t, s, func(tx store.Tx) error {
			recs, pays, err := tx.AuditEntries(1, 3)
			if err != nil {
				return err
			}
			same(t, "AuditEntries records", recs, []audit.Record{auditRecord(1), auditRecord(2), auditRecord(3)})
			same(t, "AuditEntries payloads", pays, []audit.Payload{{Seq: 1, Data: auditPayload(1)},
				{Seq: 2, Erased: day(180), Reason: "A23.2"}, {Seq: 3, Data: auditPayload(3)}})
			var kept []uint
			for l := range uint(8) {
				if tx.AuditKeptLevel(l) {
					kept = append(kept, l)
				}
			}
			if len(kept) == 0 || tx.AuditKeptLevel(0) {
				t.Errorf("levels kept below 8: %v; want some, and not the leaves (the entries hold them)", kept)
			}
			for _, l := range kept {
				nodes, err := tx.AuditLevel(l, 0, 100)
				if err != nil {
					return err
				}
				if want := 33 >> l; len(nodes) != want {
					t.Errorf("AuditLevel(%d) holds %d nodes, want %d", l, len(nodes), want)
				}
				for i, n := range nodes {
					if n.ID != compact.NewNodeID(l, uint64(i)) || !bytes.Equal(n.Hash, treeNode(l, uint64(i))) {
						t.Errorf("AuditLevel(%d)[%d] = %+v", l, i, n)
					}
				}
			}
			return nil
		})
	})
	t.Run("Records_page", func(t *testing.T) {
		s := open(t)
		appendEntries(t, s, 7)
		var got []audit.Record
		for from := uint64(0); ; {
			var page []audit.Record
			view(t, s, func(tx store.Tx) error {
				var err error
				page, err = tx.AuditRecords(from, 3)
				return err
			})
			got = append(got, page...)
			if len(page) < 3 {
				break
			}
			from = page[len(page)-1].Seq + 1
		}
		var want []audit.Record
		for seq := range uint64(7) {
			want = append(want, auditRecord(seq))
		}
		same(t, "AuditRecords, three at a time", got, want)
		view(t, s, func(tx store.Tx) error {
			rs, err := tx.AuditRecords(7, 3)
			if len(rs) != 0 || err != nil {
				t.Errorf("AuditRecords from the size = %v, %v; want none", rs, err)
			}
			_, err = tx.AuditRecords(0, 0)
			wantKind(t, "AuditRecords with limit 0", err, cleared.ErrInvalid)
			return nil
		})
	})
	t.Run("Payload", func(t *testing.T) {
		s := open(t)
		appendEntries(t, s, 3)
		update(t, s, func(tx store.Tx) error {
			return tx.AppendAudit(auditRecord(3), nil, auditNodes(3), treeRoot(4))
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.AuditPayload(1)
			same(t, "AuditPayload", got, audit.Payload{Seq: 1, Data: auditPayload(1)})
			if err != nil {
				return err
			}
			got, err = tx.AuditPayload(3)
			same(t, "AuditPayload of an empty payload", got, audit.Payload{Seq: 3, Data: []byte{}})
			if err != nil {
				return err
			}
			_, err = tx.AuditPayload(4)
			wantKind(t, "AuditPayload of an entry not appended", err, cleared.ErrNotFound)
			ps, err := tx.AuditPayloads(1, 2)
			same(t, "AuditPayloads(1, 2)", ps, []audit.Payload{{Seq: 1, Data: auditPayload(1)}, {Seq: 2, Data: auditPayload(2)}})
			if err != nil {
				return err
			}
			_, err = tx.AuditPayloads(0, 0)
			wantKind(t, "AuditPayloads with limit 0", err, cleared.ErrInvalid)
			return nil
		})
	})
	t.Run("A23.2_erased_payload_is_gone_entry_and_proofs_stay", func(t *testing.T) {
		s := open(t)
		appendEntries(t, s, 3)
		reason := "A23.2 retention: 6 months after refusal"
		update(t, s, func(tx store.Tx) error { return tx.EraseAuditPayload(1, day(180), reason) })
		marker := audit.Payload{Seq: 1, Erased: day(180), Reason: reason}
		view(t, s, func(tx store.Tx) error {
			got, err := tx.AuditPayload(1)
			same(t, "AuditPayload after erasure", got, marker)
			if err != nil {
				return err
			}
			ps, err := tx.AuditPayloads(0, 10)
			same(t, "AuditPayloads after erasure", ps,
				[]audit.Payload{{Seq: 0, Data: auditPayload(0)}, marker, {Seq: 2, Data: auditPayload(2)}})
			if err != nil {
				return err
			}
			rs, err := tx.AuditRecords(0, 10)
			same(t, "AuditRecords after erasure: entries, payload hashes and leaf hashes stay", rs,
				[]audit.Record{auditRecord(0), auditRecord(1), auditRecord(2)})
			if err != nil {
				return err
			}
			hs, err := tx.AuditNodes([]compact.NodeID{compact.NewNodeID(0, 1), compact.NewNodeID(1, 0)})
			same(t, "AuditNodes after erasure", hs, [][]byte{treeNode(0, 1), treeNode(1, 0)})
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.EraseAuditPayload(1, day(181), reason) })
		wantKind(t, "EraseAuditPayload twice", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.EraseAuditPayload(9, day(180), reason) })
		wantKind(t, "EraseAuditPayload of an entry not appended", err, cleared.ErrNotFound)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.EraseAuditPayload(2, day(180), "") })
		wantKind(t, "EraseAuditPayload without a reason", err, cleared.ErrInvalid)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.EraseAuditPayload(2, time.Time{}, reason) })
		wantKind(t, "EraseAuditPayload without a time", err, cleared.ErrInvalid)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.AuditPayload(1)
			same(t, "AuditPayload after a second erasure was refused", got, marker)
			return err
		})
	})
	t.Run("Checkpoints", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.LatestCheckpoint()
			wantKind(t, "LatestCheckpoint with none kept", err, cleared.ErrNotFound)
			cs, err := tx.Checkpoints()
			if len(cs) != 0 || err != nil {
				t.Errorf("Checkpoints with none kept = %v, %v; want none", cs, err)
			}
			return nil
		})
		cp := func(size uint64) audit.StoredCheckpoint {
			return audit.StoredCheckpoint{Size: size, Note: fmt.Appendf(nil, "cleared.example\n%d\nroot\n\n— sig\n", size),
				Created: day(int(size))}
		}
		update(t, s, func(tx store.Tx) error {
			for _, size := range []uint64{3, 1, 2} {
				if err := tx.PutCheckpoint(cp(size)); err != nil {
					return err
				}
			}
			return nil
		})
		again := cp(2)
		again.Created = day(9) // the same note, signed again later
		update(t, s, func(tx store.Tx) error { return tx.PutCheckpoint(again) })
		fork := cp(2)
		fork.Note = []byte("cleared.example\n2\nanother root\n\n— sig\n")
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.PutCheckpoint(fork) })
		wantKind(t, "PutCheckpoint of another note for a kept size", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.PutCheckpoint(audit.StoredCheckpoint{Size: 4, Created: t0}) })
		wantKind(t, "PutCheckpoint without a note", err, cleared.ErrInvalid)
		view(t, s, func(tx store.Tx) error {
			cs, err := tx.Checkpoints()
			same(t, "Checkpoints, smallest first, the first of a size kept", cs,
				[]audit.StoredCheckpoint{cp(1), cp(2), cp(3)})
			if err != nil {
				return err
			}
			latest, err := tx.LatestCheckpoint()
			same(t, "LatestCheckpoint", latest, cp(3))
			return err
		})
	})
}

// AppendConcurrently checks that appenders on several stores sharing one database (several server processes)
// never fork the log: 4 goroutines per store each append 50 entries, one Update each, reading the size and
// appending at it. The log must end with every entry, seq 0 to n-1, each once, and verify: one unbroken chain of
// signed heads that the stores signed in turn.
func AppendConcurrently(t *testing.T, stores ...store.Store) {
	const goroutines, each = 4, 50
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seqs = make(map[uint64]int)
	)
	errs := make(chan error, len(stores)*goroutines)
	for _, s := range stores {
		for range goroutines {
			wg.Go(func() {
				for range each {
					var seq uint64
					err := s.Update(t.Context(), func(tx store.Tx) error {
						// Through audit.Append, as services append, so that the tree and its signed heads are
						// the real ones and the log can be verified at the end.
						size, err := tx.AuditSize()
						if err != nil {
							return err
						}
						seq = size
						return appendReal(tx, int(size))
					})
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					seqs[seq]++
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("append: %v", err)
	}
	n := uint64(len(stores) * goroutines * each)
	for seq, count := range seqs {
		if count != 1 || seq >= n {
			t.Errorf("seq %d was answered to %d appenders", seq, count)
		}
	}
	for _, s := range stores {
		same(t, "AuditSize", auditSize(t, s), n)
	}
	var got []uint64
	for from := uint64(0); ; {
		var page []audit.Record
		view(t, stores[0], func(tx store.Tx) error {
			var err error
			page, err = tx.AuditRecords(from, 100)
			return err
		})
		for _, r := range page {
			got = append(got, r.Seq)
		}
		if len(page) < 100 {
			break
		}
		from = page[len(page)-1].Seq + 1
	}
	if uint64(len(got)) != n {
		t.Errorf("%d entries stored, want %d", len(got), n)
	}
	for i, seq := range got {
		if seq != uint64(i) {
			t.Fatalf("entry %d has seq %d: the log has a gap or a duplicate", i, seq)
		}
	}
	// Each store signed its own group commits, checking the head the other had signed: one chain of signed heads,
	// unbroken, covering every entry (issue 17: several servers on one PostgreSQL).
	_, vkey := AuditKeys(t)
	rep := verifyStore(t, stores[0], vkey)
	if rep.FirstBad != nil {
		t.Fatalf("the log written by %d stores does not verify: entry %d: %s", len(stores), rep.FirstBad.Seq, rep.FirstBad.What)
	}
	if rep.Size != n || rep.Checkpoints == 0 {
		t.Errorf("verified %d entries and %d signed heads, want %d entries", rep.Size, rep.Checkpoints, n)
	}
}
