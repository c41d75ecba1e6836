package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/compact"

	"github.com/cleared/cleared"
)

// The tests of this file name what Verify reports for the tamperings that TestVerify_Tampered does not reach: each
// asserts the entry named and the sentence an auditor reads, so that a verification that names another entry, or
// says another thing, fails (mutation testing, docs/testing.md).

// verifyWant runs Verify on src and requires FirstBad to name entry seq with a sentence containing because.
func verifyWant(t *testing.T, src Source, vkey string, trusted []byte, seq uint64, because string) Report {
	t.Helper()
	rep, err := Verify(context.Background(), src, vkey, VerifyOptions{Trusted: trusted})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if rep.FirstBad == nil {
		t.Fatalf("tampered log verified: %+v", rep)
	}
	if rep.FirstBad.Seq != seq || !strings.Contains(rep.FirstBad.What, because) {
		t.Fatalf("FirstBad = entry %d: %s\nwant entry %d, %q", rep.FirstBad.Seq, rep.FirstBad.What, seq, because)
	}
	t.Logf("entry %d: %s", rep.FirstBad.Seq, rep.FirstBad.What)
	return rep
}

// headAt returns the log's head of size n, chained to the stored signed head of size prev (unchained if prev is 0).
func (l *testLog) headAt(tb testing.TB, n uint64, prev uint64) Checkpoint {
	tb.Helper()
	root, err := Root(l.memLog, n)
	if err != nil {
		tb.Fatal(err)
	}
	c := Checkpoint{Origin: testOrigin, Size: n, Root: root}
	if prev > 0 {
		p, err := OpenCheckpoint(l.cps[l.checkpointIndex(prev)].Note, l.vkey)
		if err != nil {
			tb.Fatal(err)
		}
		link := p.Link()
		c.Prev = &link
	}
	return c
}

// TestVerify_ChainOfHeads: a signed head must name the stored head before it, by size and hash. The log's key signed
// each head below, so only the chain tells them from the heads the log signed.
func TestVerify_ChainOfHeads(t *testing.T) {
	for _, tc := range []struct {
		name    string
		head    func(t *testing.T, l *testLog) Checkpoint // the head stored at size 200 instead
		because string
	}{
		{"a head without a link after a chained head", func(t *testing.T, l *testLog) Checkpoint {
			return l.headAt(t, 200, 0)
		}, "the signed head of size 200 names no previous head, but the head of size 150 before it is chained"},
		{"a head naming the previous head's size with another hash", func(t *testing.T, l *testLog) Checkpoint {
			c := l.headAt(t, 200, 150)
			c.Prev.Hash[0] ^= 1
			return c
		}, "the signed head of size 200 names a previous head of size 150, not the stored head of size 150: the chain of signed heads is broken"},
		{"a head naming an older head than the previous one", func(t *testing.T, l *testLog) Checkpoint {
			return l.headAt(t, 200, 100)
		}, "the signed head of size 200 names a previous head of size 100, not the stored head of size 150"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestLog(t)
			l.cps[l.checkpointIndex(200)].Note = l.sign(t, tc.head(t, l), l.skey)
			verifyWant(t, l, l.vkey, nil, 150, tc.because)
		})
	}

	t.Run("heads signed before heads were chained come first", func(t *testing.T) {
		l := newTestLog(t)
		for i := range l.cps {
			prev := uint64(0) // the heads of 50 and 100 are unchained, the later ones chained from 100
			if l.cps[i].Size > 100 {
				prev = l.cps[i-1].Size
			}
			l.cps[i].Note = l.sign(t, l.headAt(t, l.cps[i].Size, prev), l.skey)
		}
		rep, err := Verify(context.Background(), l, l.vkey, VerifyOptions{})
		if err != nil || rep.FirstBad != nil || rep.Checkpoints != testLogHeads {
			t.Fatalf("Verify = %v, FirstBad %+v, %d heads; want OK with %d heads", err, rep.FirstBad, rep.Checkpoints, testLogHeads)
		}
	})

	t.Run("two unchained heads of one size with other roots", func(t *testing.T) {
		l := newTestLog(t)
		l.cps[0].Note = l.sign(t, l.headAt(t, 50, 0), l.skey)
		other := HashPayload([]byte("another root"))
		again := StoredCheckpoint{Size: 50, Note: l.sign(t, Checkpoint{Origin: testOrigin, Size: 50, Root: other[:]}, l.skey)}
		l.cps = slices.Insert(l.cps, 1, again)
		verifyWant(t, l, l.vkey, nil, 50, "the entries do not hash to the root signed in the checkpoint of size 50: an entry was altered")
	})

	t.Run("the one entry between two heads is named", func(t *testing.T) {
		l := &testLog{memLog: &memLog{}}
		l.skey, l.vkey = testKey(t)
		for i := 1; i <= 8; i++ {
			appendN(t, l.memLog, i)
			l.signHead(t)
		}
		l.records[5].Object = "pce_00000000000000000000000001"
		l.rewrite(t)
		verifyWant(t, l, l.vkey, nil, 5, "checkpoint of size 6: entry 5 was altered")
	})

	t.Run("the entries between two heads are named", func(t *testing.T) {
		l := newTestLog(t)
		l.records[120].Actor = "per_00000000000000000000000009"
		l.rewrite(t)
		verifyWant(t, l, l.vkey, nil, 100, "checkpoint of size 150: one of entries 100 to 149 was altered")
	})
}

// TestVerify_StoredCheckpoints: a stored head that is not a signed note, or one beyond the log that the log's key
// did not sign, is named as such: only a genuine head proves that entries were removed.
func TestVerify_StoredCheckpoints(t *testing.T) {
	t.Run("malformed", func(t *testing.T) {
		l := newTestLog(t)
		l.cps[l.checkpointIndex(200)].Note = []byte("200 entries, trust me\n")
		verifyWant(t, l, l.vkey, nil, 150, "the checkpoint of size 200 is malformed")
	})
	t.Run("forged head beyond a truncated log", func(t *testing.T) {
		l := newTestLog(t)
		l.truncate(testLogLast)
		forger, _ := testKey(t)
		l.cps[l.checkpointIndex(testLogSize)].Note = l.sign(t, Checkpoint{Origin: testOrigin, Size: testLogSize, Root: l.root}, forger)
		verifyWant(t, l, l.vkey, nil, testLogLast, "the checkpoint of size 320 has a bad signature")
	})
	t.Run("trusted checkpoint beyond a log truncated to a signed head", func(t *testing.T) {
		l := newTestLog(t)
		kept := l.signed(t, testLogSize)
		l.truncate(testLogLast)
		l.cps = l.cps[:l.checkpointIndex(testLogLast)+1]
		verifyWant(t, l, l.vkey, kept, testLogLast, "the trusted checkpoint is of size 320, the log now has 300 entries: entries were removed")
	})
	t.Run("every head deleted, heads read a page at a time", func(t *testing.T) {
		l := newTestLog(t)
		l.cps = nil
		verifyWant(t, pagedLog{l.memLog}, l.vkey, nil, 0, "entries 0 to 319 are not covered by a signed head (none is stored)")
	})
	t.Run("latest head deleted", func(t *testing.T) {
		l := newTestLog(t)
		l.cps = l.cps[:len(l.cps)-1]
		verifyWant(t, pagedLog{l.memLog}, l.vkey, nil, testLogLast, "entries 300 to 319 are not covered by a signed head (the latest is at 300)")
	})
	t.Run("heads kept out of order", func(t *testing.T) {
		l := newTestLog(t)
		slices.Reverse(l.cps)
		rep, err := Verify(context.Background(), l, l.vkey, VerifyOptions{})
		if err != nil || rep.FirstBad != nil || rep.Checkpoints != testLogHeads {
			t.Fatalf("Verify = %v, FirstBad %+v; the store returns heads in any order", err, rep.FirstBad)
		}
	})
}

// TestVerify_Entries: entries stored twice, beyond the head, or that no append could have written.
func TestVerify_Entries(t *testing.T) {
	t.Run("entry stored again in the next one's place", func(t *testing.T) {
		l := newTestLog(t)
		l.records[31] = l.records[30]
		verifyWant(t, l, l.vkey, nil, 31, "entry 30 is stored again where entry 31 should be")
	})
	t.Run("entry that cannot be encoded", func(t *testing.T) {
		l := newTestLog(t)
		l.records[40].Action = ""
		verifyWant(t, l, l.vkey, nil, 40, "entry 40 cannot be encoded, so was never appended as it is")
	})
	t.Run("last payload deleted", func(t *testing.T) {
		l := newTestLog(t)
		l.payloads = l.payloads[:testLogSize-1]
		verifyWant(t, l, l.vkey, nil, testLogSize-1, "the payload of entry 319 is missing (deleted without an erasure marker)")
	})
	t.Run("entries beyond the head", func(t *testing.T) {
		l := newTestLog(t)
		l.head = testLogLast
		verifyWant(t, l, l.vkey, nil, testLogLast, "entries 300 to 319 are stored beyond the log's head at 300 entries")
	})
	t.Run("one entry beyond the head", func(t *testing.T) {
		l := newTestLog(t)
		l.head = testLogSize - 1
		verifyWant(t, l, l.vkey, nil, testLogSize-1, "entry 319 is stored beyond the log's head at 319 entries")
	})
	t.Run("entries missing at the end", func(t *testing.T) {
		l := newTestLog(t)
		l.records, l.payloads = l.records[:testLogSize-3], l.payloads[:testLogSize-3]
		verifyWant(t, l, l.vkey, nil, testLogSize-3, "entries 317 to 319 are missing (deleted): the log's head records 320 entries")
	})
}

// appendErasure appends an allowed erasure entry whose payload is payload, and signs the head.
func appendErasure(tb testing.TB, l *testLog, allowed bool, payload string) uint64 {
	tb.Helper()
	e := Entry{Time: erasureTime, Actor: "per_00000000000000000000000001", Action: ActionErasePayload, Allowed: allowed}
	if !allowed {
		e.Rule = "A23.2"
	}
	r, err := Append(l.memLog, e, []byte(payload))
	if err != nil {
		tb.Fatal(err)
	}
	l.signHead(tb)
	return r.Seq
}

// TestVerify_A23_2_ErasureEntries: an erasure entry accounts for one erased payload, once, and only if allowed.
func TestVerify_A23_2_ErasureEntries(t *testing.T) {
	const reason = "A23.2 retention: 6 months after refusal"
	t.Run("erasure entry whose own payload is erased", func(t *testing.T) {
		l := newTestLog(t)
		erase(t, l, 10)
		l.payloads[testLogSize] = Payload{Seq: testLogSize, Erased: erasureTime, Reason: reason}
		verifyWant(t, l, l.vkey, nil, testLogSize, "entry 320 records an erasure, and its own payload, which names the erased entry, is erased")
	})
	for _, tc := range []struct{ name, payload string }{
		{"erasure entry naming itself", fmt.Sprintf(`{"reason":%q,"seq":%d}`, reason, testLogSize)},
		{"erasure entry naming a later entry", fmt.Sprintf(`{"reason":%q,"seq":%d}`, reason, testLogSize+5)},
		{"erasure entry naming no entry", fmt.Sprintf(`{"reason":%q}`, reason)},
		{"erasure entry whose payload is not JSON", "seq 10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestLog(t)
			seq := appendErasure(t, l, true, tc.payload)
			verifyWant(t, l, l.vkey, nil, seq, fmt.Sprintf("entry %d records an erasure but its payload names no earlier entry", seq))
		})
	}
	t.Run("erasure recorded twice", func(t *testing.T) {
		l := newTestLog(t)
		erase(t, l, 10)
		seq := appendErasure(t, l, true, fmt.Sprintf(`{"reason":%q,"seq":10}`, reason))
		verifyWant(t, l, l.vkey, nil, 10, fmt.Sprintf("entry %d records the erasure of the payload of entry 10, which is not erased (restored by hand), or was erased already", seq))
	})
	t.Run("a refused erasure accounts for nothing", func(t *testing.T) {
		l := newTestLog(t)
		l.payloads[10] = Payload{Seq: 10, Erased: erasureTime, Reason: reason}
		appendErasure(t, l, false, fmt.Sprintf(`{"reason":%q,"seq":10}`, reason))
		verifyWant(t, l, l.vkey, nil, 10, "the payload of entry 10 is marked erased on 2027-05-22, and no entry records that erasure")
	})
}

// bothReader is a source that reads records and payloads in one pass (EntryReader), as store.Tx does, and fails if
// they are read apart.
type bothReader struct{ *testLog }

func (b bothReader) AuditEntries(from uint64, limit int) ([]Record, []Payload, error) {
	recs, _ := b.memLog.AuditRecords(from, limit)
	pays, _ := b.memLog.AuditPayloads(from, len(recs))
	return recs, pays, nil
}

func (b bothReader) AuditRecords(uint64, int) ([]Record, error) {
	return nil, errors.New("records read apart from their payloads")
}

func TestVerify_EntryReader(t *testing.T) {
	l := newTestLog(t)
	rep, err := Verify(context.Background(), bothReader{l}, l.vkey, VerifyOptions{})
	if err != nil || rep.FirstBad != nil || rep.Size != testLogSize || rep.Checkpoints != testLogHeads {
		t.Fatalf("Verify = %v, %+v; want the whole log verified", err, rep)
	}
	l.payloads[120].Data = testPayload(121)
	verifyWant(t, bothReader{l}, l.vkey, nil, 120, "the payload of entry 120 does not match the hash its entry records")
}

// keptLevels is a source that keeps the nodes of some levels only, as the stores keep levels 0, 4, 8…: the others
// are neither read nor checked.
type keptLevels struct {
	*testLog
	every uint
}

func (k keptLevels) AuditKeptLevel(l uint) bool { return l%k.every == 0 }

// TestVerify_KeptLevels: only the levels a store keeps are checked, every node of them, and a node the store holds
// at another level (which it never reads) is not a problem.
func TestVerify_KeptLevels(t *testing.T) {
	l := newTestLog(t)
	l.node(1, 7)[0] ^= 1
	extra := HashPayload([]byte("node"))
	l.levels[2] = append(l.levels[2], extra[:]...)
	rep, err := Verify(context.Background(), keptLevels{l, 4}, l.vkey, VerifyOptions{})
	// Levels 0, 4 and 8 of 320 entries: 320, 20 and 1 nodes.
	if err != nil || rep.FirstBad != nil || rep.Nodes != 341 {
		t.Fatalf("Verify = %v, FirstBad %+v, %d nodes; want OK with 341 nodes checked", err, rep.FirstBad, rep.Nodes)
	}
	l.node(4, 3)[0] ^= 1
	verifyWant(t, keptLevels{l, 4}, l.vkey, nil, 48, "stored tree node (level 4, index 3) is not the hash of the entries under it")
}

// levelReader serves the stored nodes of a level with node (level, dup) twice, or fails to read them.
type levelReader struct {
	*testLog
	level uint
	dup   uint64
	err   error
}

func (r levelReader) AuditLevel(level uint, from uint64, limit int) ([]Node, error) {
	nodes, err := r.memLog.AuditLevel(level, from, limit)
	if level != r.level {
		return nodes, err
	}
	if r.err != nil {
		return nil, r.err
	}
	for i, n := range nodes {
		if n.ID.Index == r.dup {
			return slices.Insert(slices.Clone(nodes), i, n), nil
		}
	}
	return nodes, err
}

func TestVerify_StoredNodes(t *testing.T) {
	// Every level is looked at for a node beyond the tree, not only the leaves'.
	for _, level := range []uint{3, 8} {
		t.Run(fmt.Sprintf("node added at level %d", level), func(t *testing.T) {
			l := newTestLog(t)
			extra := HashPayload([]byte("node"))
			l.levels[level] = append(l.levels[level], extra[:]...)
			verifyWant(t, l, l.vkey, nil, testLogSize, fmt.Sprintf("the stored tree holds node (level %d, index %d), beyond the log's 320 entries", level, testLogSize>>level))
		})
	}
	t.Run("node stored twice", func(t *testing.T) {
		l := newTestLog(t)
		verifyWant(t, levelReader{testLog: l, level: 2, dup: 5}, l.vkey, nil, 20, "the stored tree holds node (level 2, index 5) twice or out of order")
	})
	// A storage error is not evidence of tampering: Verify could not run, and says so with an error, as it does
	// when the entries cannot be read, rather than a FAIL naming entry 0.
	for _, level := range []uint{0, 8} {
		t.Run(fmt.Sprintf("nodes of level %d cannot be read", level), func(t *testing.T) {
			l := newTestLog(t)
			broken := errors.New("disk on fire")
			rep, err := Verify(context.Background(), levelReader{testLog: l, level: level, err: broken}, l.vkey, VerifyOptions{})
			if !errors.Is(err, broken) || rep.FirstBad != nil {
				t.Fatalf("Verify = %v, FirstBad %+v; want the storage error, no problem", err, rep.FirstBad)
			}
		})
	}
}

// treeOnly is a source that reads the stored nodes (TreeReader) but cannot list them level by level (not a
// StoredTree): Verify checks the root the stored nodes give at each signed head instead. missing is a node it
// cannot find, err an error of every node read.
type treeOnly struct {
	l       *testLog
	missing *compact.NodeID
	err     error
}

func (s treeOnly) AuditSize() (uint64, error) { return s.l.AuditSize() }
func (s treeOnly) AuditRecords(from uint64, limit int) ([]Record, error) {
	return s.l.AuditRecords(from, limit)
}
func (s treeOnly) AuditPayloads(from uint64, limit int) ([]Payload, error) {
	return s.l.AuditPayloads(from, limit)
}
func (s treeOnly) Checkpoints() ([]StoredCheckpoint, error) { return s.l.Checkpoints() }
func (s treeOnly) AuditNodes(ids []compact.NodeID) ([][]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.missing != nil && slices.Contains(ids, *s.missing) {
		return nil, cleared.NotFoundf("node (%d, %d) not found", s.missing.Level, s.missing.Index)
	}
	return s.l.AuditNodes(ids)
}

func TestVerify_StoredTreeByRoots(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		l := newTestLog(t)
		rep, err := Verify(context.Background(), treeOnly{l: l}, l.vkey, VerifyOptions{Trusted: l.signed(t, 100)})
		if err != nil || rep.FirstBad != nil || rep.Checkpoints != testLogHeads || rep.Nodes != 0 {
			t.Fatalf("Verify = %v, %+v", err, rep)
		}
	})
	t.Run("node altered", func(t *testing.T) {
		l := newTestLog(t)
		l.node(6, 4)[0] ^= 1 // entries 256 to 319: in the root of 320 only
		verifyWant(t, treeOnly{l: l}, l.vkey, nil, testLogLast, "the stored tree at size 320 does not match the entries: one of entries 300 to 319 was altered")
	})
	t.Run("node missing", func(t *testing.T) {
		l := newTestLog(t)
		id := compact.NewNodeID(6, 4)
		verifyWant(t, treeOnly{l: l, missing: &id}, l.vkey, nil, testLogLast, "the stored tree at size 320 is damaged")
	})
	t.Run("node of the consistency proof altered", func(t *testing.T) {
		l := newTestLog(t)
		l.node(2, 25)[0] ^= 1 // entries 100 to 103: in no signed head's root, but in the proof from 100
		verifyWant(t, treeOnly{l: l}, l.vkey, l.signed(t, 100), 100, "the stored tree gives no valid consistency proof from the trusted checkpoint")
	})
	t.Run("node of the consistency proof missing", func(t *testing.T) {
		l := newTestLog(t)
		id := compact.NewNodeID(2, 25)
		verifyWant(t, treeOnly{l: l, missing: &id}, l.vkey, l.signed(t, 100), 100, "the stored tree is damaged")
	})
	t.Run("storage error", func(t *testing.T) {
		l := newTestLog(t)
		broken := errors.New("disk on fire")
		_, err := Verify(context.Background(), treeOnly{l: l, err: broken}, l.vkey, VerifyOptions{})
		if !errors.Is(err, broken) {
			t.Fatalf("Verify = %v, want the storage error", err)
		}
	})
}
