package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// testLog is a log of 320 entries with payloads, and signed heads kept at sizes 50, 100, … 300 and 320, each
// naming the one before it, as the store's group commits sign them.
type testLog struct {
	*memLog
	skey, vkey string
}

const (
	testLogSize  = 320
	testLogLast  = 300 // the last signed head before the one of the whole log
	testLogHeads = 7
)

func newTestLog(tb testing.TB) *testLog {
	tb.Helper()
	l := &testLog{memLog: &memLog{}}
	l.skey, l.vkey = testKey(tb)
	for n := 50; n <= testLogSize; n += 50 {
		n = min(n, testLogSize)
		appendN(tb, l.memLog, n)
		l.signHead(tb)
		if n == testLogLast {
			n = testLogSize - 50
		}
	}
	return l
}

// signHead signs the log's head chained to the latest stored head, and stores it, as a group commit does.
func (l *testLog) signHead(tb testing.TB) {
	tb.Helper()
	root, err := Root(l.memLog, l.head)
	if err != nil {
		tb.Fatal(err)
	}
	c := Checkpoint{Origin: testOrigin, Size: l.head, Root: root}
	if len(l.cps) > 0 {
		prev, err := OpenCheckpoint(l.cps[len(l.cps)-1].Note, l.vkey)
		if err != nil {
			tb.Fatal(err)
		}
		link := prev.Link()
		c.Prev = &link
	}
	l.cps = append(l.cps, StoredCheckpoint{Size: l.head, Note: l.sign(tb, c, l.skey), Created: t0})
}

// signed returns the log's checkpoint of size n signed with its key, as an auditor obtains and keeps it.
func (l *testLog) signed(tb testing.TB, n uint64) []byte {
	tb.Helper()
	root, err := Root(l.memLog, n)
	if err != nil {
		tb.Fatal(err)
	}
	return l.sign(tb, Checkpoint{Origin: testOrigin, Size: n, Root: root}, l.skey)
}

func (l *testLog) sign(tb testing.TB, c Checkpoint, skey string) []byte {
	tb.Helper()
	b, err := Sign(c, skey)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// checkpointIndex returns the index in l.cps of the checkpoint of size n.
func (l *testLog) checkpointIndex(n uint64) int {
	for i, c := range l.cps {
		if c.Size == n {
			return i
		}
	}
	panic("no checkpoint of that size")
}

// rewrite replaces the stored tree, records and payloads with those an attacker without the signing key can
// compute from the entries as they now are: every stored hash then agrees with the entries.
func (l *testLog) rewrite(tb testing.TB) {
	tb.Helper()
	fresh := &memLog{}
	for i, r := range l.records {
		if _, err := Append(fresh, r.Entry, l.payloads[i].Data); err != nil {
			tb.Fatal(err)
		}
	}
	l.records, l.payloads, l.levels, l.head = fresh.records, fresh.payloads, fresh.levels, fresh.head
}

func TestVerify_OK(t *testing.T) {
	l := newTestLog(t)
	var calls [][2]uint64
	rep, err := Verify(context.Background(), l, l.vkey, VerifyOptions{
		Progress: func(done, total uint64) { calls = append(calls, [2]uint64{done, total}) },
	})
	if err != nil {
		t.Fatal(err)
	}
	root, _ := Root(l.memLog, testLogSize)
	if rep.FirstBad != nil || rep.Size != testLogSize || !bytes.Equal(rep.Root, root) || rep.Checkpoints != testLogHeads || rep.Erased != 0 ||
		rep.Nodes != 2*testLogSize-2 {
		t.Errorf("Verify = %+v, FirstBad %+v; want %d entries, root %x, %d signed heads, %d nodes", rep, rep.FirstBad, testLogSize,
			root, testLogHeads, 2*testLogSize-2)
	}
	if len(calls) < 2 || calls[0] != [2]uint64{0, testLogSize} || calls[len(calls)-1] != [2]uint64{testLogSize, testLogSize} {
		t.Errorf("progress calls %v, want from 0 to %d of %d", calls, testLogSize, testLogSize)
	}

	for _, n := range []uint64{0, 1, 50, 77, testLogLast, testLogSize} {
		rep, err := Verify(context.Background(), l, l.vkey, VerifyOptions{Trusted: l.signed(t, n)})
		if err != nil || rep.FirstBad != nil {
			t.Errorf("Verify with the trusted checkpoint of size %d = %v, FirstBad %+v", n, err, rep.FirstBad)
		}
	}
}

func TestVerify_EmptyLog(t *testing.T) {
	skey, vkey := testKey(t)
	m := &memLog{}
	emptyRoot := HashPayload(nil) // RFC 6962: the root of the empty tree is the SHA-256 of the empty string
	empty, err := Sign(Checkpoint{Origin: testOrigin, Size: 0, Root: emptyRoot[:]}, skey)
	if err != nil {
		t.Fatal(err)
	}
	m.cps = []StoredCheckpoint{{Size: 0, Note: empty, Created: t0}}
	rep, err := Verify(context.Background(), m, vkey, VerifyOptions{Trusted: empty})
	if err != nil || rep.FirstBad != nil || rep.Size != 0 || rep.Checkpoints != 1 || !bytes.Equal(rep.Root, emptyRoot[:]) {
		t.Errorf("Verify of the empty log = %+v, %v", rep, err)
	}
}

// TestVerify_A23_2_Erasure: a payload erased at its retention deadline leaves its marker and the log still
// verifies, every proof with it; an "erased" payload whose data is still there is caught.
func TestVerify_A23_2_Erasure(t *testing.T) {
	l := newTestLog(t)
	erase(t, l, 10, 299)
	rep, err := Verify(context.Background(), l, l.vkey, VerifyOptions{Trusted: l.signed(t, testLogSize)})
	if err != nil || rep.FirstBad != nil || rep.Erased != 2 {
		t.Fatalf("Verify after erasure = %v, FirstBad %+v, %d erased; want OK with 2 erased", err, rep.FirstBad, rep.Erased)
	}
	root, _ := Root(l.memLog, testLogSize)
	p, err := InclusionProof(l.memLog, 10, testLogSize)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyInclusion(10, testLogSize, l.records[10].LeafHash, p, root); err != nil {
		t.Errorf("the inclusion proof of an entry whose payload was erased: %v", err)
	}

	l.payloads[10].Data = testPayload(10) // marked erased, but the data is still there
	rep, err = Verify(context.Background(), l, l.vkey, VerifyOptions{})
	if err != nil || rep.FirstBad == nil || rep.FirstBad.Seq != 10 || !strings.Contains(rep.FirstBad.What, "erased") {
		t.Errorf("Verify = %v, FirstBad %+v; want entry 10, erased but still stored", err, rep.FirstBad)
	}
}

// erasureTime is when erase erases.
var erasureTime = t0.Add(180 * 24 * time.Hour)

// erase erases the payloads of entries seqs and appends, for each, the entry that records it, as
// registry.EraseAuditPayload does in one transaction, then signs the log's head.
func erase(tb testing.TB, l *testLog, seqs ...uint64) {
	tb.Helper()
	const reason = "A23.2 retention: 6 months after refusal"
	for _, seq := range seqs {
		l.payloads[seq] = Payload{Seq: seq, Erased: erasureTime, Reason: reason}
		e := Entry{Time: erasureTime, Actor: "per_00000000000000000000000001", Action: ActionErasePayload, Allowed: true}
		if _, err := Append(l.memLog, e, fmt.Appendf(nil, `{"reason":%q,"seq":%d}`, reason, seq)); err != nil {
			tb.Fatal(err)
		}
	}
	l.signHead(tb)
}

// TestVerify_A23_2_ErasureAccounted: an erased payload needs the entry that records its erasure, and an entry that
// records an erasure needs the payload erased. Without these, a database administrator could erase a payload he
// would rather no one read (the payload is outside the tree), or restore one, and the log would say nothing.
func TestVerify_A23_2_ErasureAccounted(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tamper  func(l *testLog)
		seq     uint64
		because string
	}{
		{"payload erased by hand, no erasure entry", func(l *testLog) {
			l.payloads[77] = Payload{Seq: 77, Erased: erasureTime, Reason: "A23.2"}
		}, 77, "no entry records that erasure"},
		{"erased payload restored by hand", func(l *testLog) {
			l.payloads[10] = Payload{Seq: 10, Data: testPayload(10)}
		}, 10, "not erased"},
		{"erasure marker's reason edited", func(l *testLog) {
			l.payloads[10].Reason = "another reason"
		}, 10, "erasure marker"},
		{"erasure marker's time edited", func(l *testLog) {
			l.payloads[10].Erased = erasureTime.Add(time.Hour)
		}, 10, "erasure marker"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestLog(t)
			erase(t, l, 10)
			tc.tamper(l)
			rep, err := Verify(context.Background(), l, l.vkey, VerifyOptions{})
			if err != nil || rep.FirstBad == nil || rep.FirstBad.Seq != tc.seq || !strings.Contains(rep.FirstBad.What, tc.because) {
				t.Fatalf("Verify = %v, FirstBad %+v; want entry %d, %q", err, rep.FirstBad, tc.seq, tc.because)
			}
			t.Logf("entry %d: %s", rep.FirstBad.Seq, rep.FirstBad.What)
		})
	}
}

// TestVerify_Tampered alters the stored log as someone with full access to the database could, without the signing
// key, and requires that Verify names the first entry concerned and says why. This is what makes the NSA's answers
// to "who saw this piece, who received it, who destroyed it" (A10.2, A11.2, A13.1) evidence: a record of reading,
// receiving or destroying cannot be edited, deleted, reordered or rewritten without the log saying so.
func TestVerify_Tampered(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tamper  func(t *testing.T, l *testLog) (trusted []byte)
		seq     uint64
		because string // a word of the problem's sentence
	}{
		{"payload edited", func(t *testing.T, l *testLog) []byte {
			l.payloads[120].Data = testPayload(121)
			return nil
		}, 120, "payload"},
		{"entry edited, stored leaf hash kept", func(t *testing.T, l *testLog) []byte {
			l.records[120].Actor = "per_00000000000000000000000009"
			return nil
		}, 120, "leaf hash"},
		{"decision edited from refusal to allowed", func(t *testing.T, l *testLog) []byte {
			l.records[122].Allowed, l.records[122].Rule = true, ""
			return nil
		}, 122, "leaf hash"},
		{"entry edited and its stored leaf hash recomputed", func(t *testing.T, l *testLog) []byte {
			r := &l.records[120]
			r.Actor = "per_00000000000000000000000009"
			r.LeafHash, _ = r.Entry.LeafHash()
			return nil
		}, 120, "stored tree node (level 0, index 120)"},
		{"entry edited and every stored hash recomputed", func(t *testing.T, l *testLog) []byte {
			l.records[120].Actor = "per_00000000000000000000000009"
			l.rewrite(t)
			return nil
		}, 100, "checkpoint of size 150"},
		{"entry after the last checkpoint edited, its leaf hash recomputed", func(t *testing.T, l *testLog) []byte {
			r := &l.records[310]
			r.Object = "pce_00000000000000000000000001"
			r.LeafHash, _ = r.Entry.LeafHash()
			return nil
		}, 310, "stored tree node (level 0, index 310)"},
		{"entry after the last checkpoint edited, every hash recomputed, auditor's checkpoint", func(t *testing.T, l *testLog) []byte {
			kept := l.signed(t, testLogSize)
			l.records[310].Object = "pce_00000000000000000000000001"
			l.rewrite(t)
			return kept
		}, testLogLast, "checkpoint of size 320"},
		{"entry deleted", func(t *testing.T, l *testLog) []byte {
			l.records = append(l.records[:77:77], l.records[78:]...)
			l.payloads = append(l.payloads[:77:77], l.payloads[78:]...)
			return nil
		}, 77, "missing"},
		{"payload deleted, no erasure marker", func(t *testing.T, l *testLog) []byte {
			l.payloads = append(l.payloads[:77:77], l.payloads[78:]...)
			return nil
		}, 77, "payload"},
		{"last entry deleted", func(t *testing.T, l *testLog) []byte {
			l.records, l.payloads = l.records[:testLogSize-1], l.payloads[:testLogSize-1]
			return nil
		}, testLogSize - 1, "missing"},
		{"two entries swapped", func(t *testing.T, l *testLog) []byte {
			a, b := &l.records[30], &l.records[31]
			a.Entry, b.Entry = b.Entry, a.Entry
			a.LeafHash, b.LeafHash = b.LeafHash, a.LeafHash
			a.Seq, b.Seq = 30, 31
			l.payloads[30].Data, l.payloads[31].Data = l.payloads[31].Data, l.payloads[30].Data
			return nil
		}, 30, "leaf hash"},
		{"log truncated below a checkpoint", func(t *testing.T, l *testLog) []byte {
			l.truncate(250)
			return nil
		}, 250, "removed"},
		{"log truncated after the last checkpoint, auditor's checkpoint", func(t *testing.T, l *testLog) []byte {
			kept := l.signed(t, testLogSize)
			l.truncate(testLogLast)
			return kept
		}, testLogLast, "removed"},
		{"log truncated and rewritten, checkpoints kept", func(t *testing.T, l *testLog) []byte {
			l.truncate(160)
			for i := 160; i < testLogSize; i++ {
				e := testEntry(i)
				e.Action = "piece.classify"
				if _, err := Append(l.memLog, e, nil); err != nil {
					t.Fatal(err)
				}
			}
			return nil
		}, 150, "checkpoint of size 200"},
		{"log truncated and rewritten, later checkpoints deleted, auditor's checkpoint", func(t *testing.T, l *testLog) []byte {
			kept := l.signed(t, testLogLast)
			l.truncate(160)
			l.cps = l.cps[:l.checkpointIndex(150)+1]
			for i := 160; i < testLogSize; i++ {
				e := testEntry(i)
				e.Action = "piece.classify"
				if _, err := Append(l.memLog, e, nil); err != nil {
					t.Fatal(err)
				}
			}
			return kept
		}, 150, "trusted checkpoint"},
		{"log rewritten and every checkpoint signed again with a stolen key, auditor's checkpoint", func(t *testing.T, l *testLog) []byte {
			kept := l.signed(t, testLogLast)
			l.records[120].Actor = "per_00000000000000000000000009"
			l.rewrite(t)
			for i := range l.cps {
				l.cps[i].Note = l.signed(t, l.cps[i].Size)
			}
			return kept
		}, 0, "signed again"},
		{"checkpoint replaced by one signed with another key", func(t *testing.T, l *testLog) []byte {
			forger, _ := testKey(t)
			root, _ := Root(l.memLog, 200)
			l.cps[l.checkpointIndex(200)].Note = l.sign(t, Checkpoint{Origin: testOrigin, Size: 200, Root: root}, forger)
			return nil
		}, 150, "signature"},
		{"checkpoint's root altered", func(t *testing.T, l *testLog) []byte {
			cp := &l.cps[l.checkpointIndex(200)]
			c, err := OpenCheckpoint(cp.Note, l.vkey)
			if err != nil {
				t.Fatal(err)
			}
			altered := HashPayload([]byte("another root"))
			cp.Note = bytes.Replace(cp.Note, []byte(b64(c.Root)), []byte(b64(altered[:])), 1)
			return nil
		}, 150, "signature"},
		{"checkpoint with another root signed with the log's key", func(t *testing.T, l *testLog) []byte {
			altered := HashPayload([]byte("another root"))
			c, _ := OpenCheckpoint(l.cps[l.checkpointIndex(200)].Note, l.vkey)
			c.Root = altered[:]
			l.cps[l.checkpointIndex(200)].Note = l.sign(t, c, l.skey)
			return nil
		}, 150, "do not hash"},
		{"signed head deleted", func(t *testing.T, l *testLog) []byte {
			l.cps = slices.Delete(l.cps, l.checkpointIndex(200), l.checkpointIndex(200)+1)
			return nil
		}, 150, "a signed head was deleted"},
		{"first signed head deleted", func(t *testing.T, l *testLog) []byte {
			l.cps = l.cps[1:]
			return nil
		}, 0, "a signed head was deleted"},
		{"latest signed head deleted", func(t *testing.T, l *testLog) []byte {
			l.cps = l.cps[:len(l.cps)-1]
			return nil
		}, testLogLast, "not covered by a signed head"},
		{"every signed head deleted, entry rewritten", func(t *testing.T, l *testLog) []byte {
			l.cps = nil
			l.records[120].Actor = "per_00000000000000000000000009"
			l.rewrite(t)
			return nil
		}, 0, "not covered by a signed head"},
		{"entry appended with its leaf hash, nodes and head", func(t *testing.T, l *testLog) []byte {
			appendN(t, l.memLog, testLogSize+1)
			return nil
		}, testLogSize, "not covered by a signed head"},
		{"signed head replaced by an older head of the chain", func(t *testing.T, l *testLog) []byte {
			old := l.cps[l.checkpointIndex(100)]
			l.cps[l.checkpointIndex(150)].Note = old.Note
			return nil
		}, 100, "signed for size 100"},
		{"log's head root altered", func(t *testing.T, l *testLog) []byte {
			l.root = bytes.Clone(l.root)
			l.root[0] ^= 1
			return nil
		}, testLogSize, "head records root"},
		{"stored tree node deleted", func(t *testing.T, l *testLog) []byte {
			l.levels[3] = l.levels[3][:10*hashSize] // nodes (3, 10) and after
			return nil
		}, 80, "lacks node (level 3, index 10)"},
		{"stored tree node added", func(t *testing.T, l *testLog) []byte {
			extra := HashPayload([]byte("node"))
			l.levels[0] = append(l.levels[0], extra[:]...)
			return nil
		}, testLogSize, "beyond the log's"},
		{"checkpoint kept under another size", func(t *testing.T, l *testLog) []byte {
			l.cps[l.checkpointIndex(200)].Note = l.cps[l.checkpointIndex(250)].Note
			return nil
		}, 150, "signed for size 250"},
		{"stored tree node of the last checkpoint altered", func(t *testing.T, l *testLog) []byte {
			l.node(5, 8)[0] ^= 1 // covers entries 256 to 287, a root of the compact range of 300
			return nil
		}, 256, "stored tree node (level 5, index 8)"},
		{"stored tree node after the last checkpoint altered", func(t *testing.T, l *testLog) []byte {
			l.node(6, 4)[0] ^= 1 // covers entries 256 to 319
			return nil
		}, 256, "stored tree node (level 6, index 4)"},
		{"stored tree node of a consistency proof altered, auditor's checkpoint", func(t *testing.T, l *testLog) []byte {
			l.node(2, 25)[0] ^= 1 // entries 100 to 103: no checkpoint's root, but the proof from 100 needs it
			return l.signed(t, 100)
		}, 100, "stored tree node (level 2, index 25)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestLog(t)
			trusted := tc.tamper(t, l)
			rep, err := Verify(context.Background(), l, l.vkey, VerifyOptions{Trusted: trusted})
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if rep.FirstBad == nil {
				t.Fatalf("tampered log verified: %+v", rep)
			}
			if rep.FirstBad.Seq != tc.seq || !strings.Contains(rep.FirstBad.What, tc.because) {
				t.Errorf("FirstBad = entry %d: %s\nwant entry %d, %q", rep.FirstBad.Seq, rep.FirstBad.What, tc.seq, tc.because)
			}
			t.Logf("entry %d: %s", rep.FirstBad.Seq, rep.FirstBad.What)
		})
	}
}

// TestVerify_TruncatedToASignedHead shows what the chain of signed heads alone cannot tell, and why checkpoints
// are kept outside the system (by auditors, or by witnesses): a log cut back to one of its signed heads, with the
// later heads deleted, agrees with everything stored; only a checkpoint kept elsewhere tells. Rewriting the cut
// part again needs the log's key: without it, the rewritten entries are covered by no signed head.
func TestVerify_TruncatedToASignedHead(t *testing.T) {
	l := newTestLog(t)
	kept := l.signed(t, testLogSize)
	l.truncate(testLogLast)
	l.cps = l.cps[:l.checkpointIndex(testLogLast)+1]
	rep, err := Verify(context.Background(), l, l.vkey, VerifyOptions{})
	if err != nil || rep.FirstBad != nil {
		t.Fatalf("without the kept checkpoint: %v, %+v; the stored log is consistent", err, rep.FirstBad)
	}
	rep, err = Verify(context.Background(), l, l.vkey, VerifyOptions{Trusted: kept})
	if err != nil || rep.FirstBad == nil || rep.FirstBad.Seq != testLogLast {
		t.Fatalf("with the kept checkpoint: %v, %+v; want entry %d", err, rep.FirstBad, testLogLast)
	}
	for i := testLogLast; i < testLogSize; i++ {
		if _, err := Append(l.memLog, testEntry(i), []byte("rewritten")); err != nil {
			t.Fatal(err)
		}
	}
	rep, err = Verify(context.Background(), l, l.vkey, VerifyOptions{})
	if err != nil || rep.FirstBad == nil || rep.FirstBad.Seq != testLogLast || !strings.Contains(rep.FirstBad.What, "not covered") {
		t.Fatalf("rewritten without the key: %v, %+v; want entry %d not covered", err, rep.FirstBad, testLogLast)
	}
}

// TestVerify_ASignedHeadPerEntry: at low load every group commit holds one action, so the log has a signed head
// per entry. Verify pages through them (CheckpointPager) rather than holding them all, across pages, and still
// finds a deleted one.
func TestVerify_ASignedHeadPerEntry(t *testing.T) {
	const n = verifyBatch + 50
	l := &testLog{memLog: &memLog{}}
	l.skey, l.vkey = testKey(t)
	for i := 1; i <= n; i++ {
		appendN(t, l.memLog, i)
		l.signHead(t)
	}
	rep, err := Verify(context.Background(), pagedLog{l.memLog}, l.vkey, VerifyOptions{})
	if err != nil || rep.FirstBad != nil || rep.Checkpoints != n {
		t.Fatalf("Verify = %+v, %v; want OK with %d signed heads", rep, err, n)
	}
	l.cps = slices.Delete(l.cps, verifyBatch+20, verifyBatch+21) // the head of size verifyBatch+21, on the second page
	rep, err = Verify(context.Background(), pagedLog{l.memLog}, l.vkey, VerifyOptions{})
	if err != nil || rep.FirstBad == nil || !strings.Contains(rep.FirstBad.What, "a signed head was deleted") {
		t.Fatalf("Verify = %+v, %v; want a deleted head", rep.FirstBad, err)
	}
}

// reordered serves the records of a log with two of them in each other's place, as a store that lost its order would.
type reordered struct {
	*testLog
	a, b uint64
}

func (r reordered) AuditRecords(from uint64, limit int) ([]Record, error) {
	rs, err := r.testLog.AuditRecords(from, limit)
	rs = append([]Record(nil), rs...)
	for i := range rs {
		if rs[i].Seq == r.a && i+1 < len(rs) {
			rs[i], rs[i+1] = rs[i+1], rs[i]
			break
		}
	}
	return rs, err
}

func TestVerify_OutOfOrder(t *testing.T) {
	l := newTestLog(t)
	rep, err := Verify(context.Background(), reordered{l, 30, 31}, l.vkey, VerifyOptions{})
	if err != nil || rep.FirstBad == nil || rep.FirstBad.Seq != 30 || !strings.Contains(rep.FirstBad.What, "reordered") {
		t.Fatalf("Verify = %v, %+v; want entry 30 reordered", err, rep.FirstBad)
	}
}

// noNodes is a source that cannot read the tree's nodes, such as an export of entries and checkpoints.
type noNodes struct{ Source }

func TestVerify_WithoutNodes(t *testing.T) {
	l := newTestLog(t)
	l.node(6, 4)[0] ^= 1 // not looked at
	rep, err := Verify(context.Background(), noNodes{l}, l.vkey, VerifyOptions{Trusted: l.signed(t, 100)})
	if err != nil || rep.FirstBad != nil || rep.Checkpoints != testLogHeads {
		t.Fatalf("Verify = %v, %+v", err, rep)
	}
	l.records[120].Actor = "per_00000000000000000000000009"
	rep, err = Verify(context.Background(), noNodes{l}, l.vkey, VerifyOptions{})
	if err != nil || rep.FirstBad == nil || rep.FirstBad.Seq != 120 {
		t.Fatalf("Verify = %v, %+v; want entry 120", err, rep.FirstBad)
	}
}

func TestVerify_Errors(t *testing.T) {
	l := newTestLog(t)
	forger, _ := testKey(t)
	root, _ := Root(l.memLog, 100)
	forged := l.sign(t, Checkpoint{Origin: testOrigin, Size: 100, Root: root}, forger)

	t.Run("ErrBadSignature for a trusted checkpoint of another key", func(t *testing.T) {
		_, err := Verify(context.Background(), l, l.vkey, VerifyOptions{Trusted: forged})
		if !errors.Is(err, ErrBadSignature) {
			t.Errorf("Verify = %v, want ErrBadSignature", err)
		}
	})
	t.Run("ErrInvalid for a malformed trusted checkpoint", func(t *testing.T) {
		_, err := Verify(context.Background(), l, l.vkey, VerifyOptions{Trusted: []byte("hello\n")})
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("Verify = %v, want ErrInvalid", err)
		}
	})
	t.Run("ErrInvalid for a malformed key", func(t *testing.T) {
		_, err := Verify(context.Background(), l, "cleared.example/audit", VerifyOptions{})
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("Verify = %v, want ErrInvalid", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Verify(ctx, l, l.vkey, VerifyOptions{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Verify = %v, want context.Canceled", err)
		}
	})
	t.Run("storage error", func(t *testing.T) {
		broken := errors.New("disk on fire")
		_, err := Verify(context.Background(), failing{l, broken}, l.vkey, VerifyOptions{})
		if !errors.Is(err, broken) {
			t.Errorf("Verify = %v, want the storage error", err)
		}
	})
}

type failing struct {
	*testLog
	err error
}

func (f failing) AuditPayloads(uint64, int) ([]Payload, error) { return nil, f.err }
