package witness

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
)

// Cosigned is a checkpoint of the log that a witness cosigned, as a verifier found it: the witness's verifier key,
// the log's note with the witness's cosignature line(s), and where it came from (the witness itself, or the log's
// server, which keeps what witnesses answer).
type Cosigned struct {
	Witness string
	Note    []byte
	From    string
}

// Finding is what [CheckLog] concluded of one cosigned checkpoint.
type Finding struct {
	Cosigned
	// Size is the size the witness cosigned, once its cosignature verified.
	Size uint64
	// Extends reports that the log extends the checkpoint: the witness vouches for the log's first Size entries.
	Extends bool
	// Problem says why not, in a sentence, when Extends is false.
	Problem string
}

// CheckLog checks a log against checkpoints its witnesses cosigned. The log is given as audit.Verify recomputed it
// from its entries, size entries with root hash root, and tr, the stored tree, gives the consistency proofs: each
// proof is checked against root, so a stored tree that lies can only make a check fail, never pass.
//
// A checkpoint is vouched for if it carries a valid cosignature by its witness and a valid signature by the log's
// key logKey, and the log extends it: same root at the same size, or a consistency proof from its size to the
// log's. Otherwise its Finding says why: no valid cosignature, signed by another key than the log's (a log signed
// again with a new key), more entries than the log has (a truncated log), or a root the log does not extend (a log
// rewritten and signed again: a fork). A malformed logKey is [cleared.ErrInvalid]; a storage error is returned.
func CheckLog(tr audit.TreeReader, logKey string, size uint64, root []byte, found []Cosigned) ([]Finding, error) {
	lv, err := note.NewVerifier(logKey)
	if err != nil {
		return nil, cleared.Invalidf("malformed log verifier key: want <name>+<hash>+<key>")
	}
	out := make([]Finding, 0, len(found))
	for _, c := range found {
		f, err := check(tr, lv, size, root, c)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func check(tr audit.TreeReader, lv note.Verifier, size uint64, root []byte, c Cosigned) (Finding, error) {
	f := Finding{Cosigned: c}
	wv, err := NewVerifier(c.Witness)
	if err != nil {
		f.Problem = cleared.Message(err)
		return f, nil
	}
	n, err := note.Open(c.Note, note.VerifierList(wv))
	if err != nil {
		f.Problem = fmt.Sprintf("the checkpoint holds no valid cosignature by this witness (%v)", err)
		return f, nil
	}
	cp, err := ParseCheckpoint(n.Text)
	if err != nil {
		f.Problem = fmt.Sprintf("it cosigned a malformed checkpoint: %s", cleared.Message(err))
		return f, nil
	}
	f.Size = cp.Size
	if _, err := note.Open(c.Note, note.VerifierList(lv)); err != nil || cp.Origin != lv.Name() {
		f.Problem = fmt.Sprintf("it cosigned a checkpoint of size %d of log %s that is not signed by the log's key %s+%08x: the log was signed with another key",
			cp.Size, cp.Origin, lv.Name(), lv.KeyHash())
		return f, nil
	}
	switch {
	case cp.Size > size:
		f.Problem = fmt.Sprintf("it cosigned the log at %d entries, the log now has %d: entries were removed", cp.Size, size)
	case cp.Size == size && !bytes.Equal(cp.Root, root):
		f.Problem = fmt.Sprintf("it cosigned another root at the log's size %d: the log was rewritten and signed again (a fork)", size)
	case cp.Size == 0 && !bytes.Equal(cp.Root, rfc6962.DefaultHasher.EmptyRoot()):
		f.Problem = "it cosigned an empty log whose root is not the empty tree's"
	case cp.Size == size || cp.Size == 0:
		f.Extends = true
	default:
		p, err := audit.ConsistencyProof(tr, cp.Size, size)
		switch {
		case errors.Is(err, cleared.ErrNotFound) || errors.Is(err, cleared.ErrInvalid):
			f.Problem = fmt.Sprintf("the stored tree gives no consistency proof from the size %d it cosigned: %v", cp.Size, err)
		case err != nil:
			return f, err
		default:
			if err := audit.VerifyConsistency(cp.Size, size, p, cp.Root, root); err != nil {
				f.Problem = fmt.Sprintf("the log does not extend the checkpoint of size %d it cosigned: the log was rewritten and signed again (a fork), or its stored tree damaged: %s",
					cp.Size, cleared.Message(err))
			} else {
				f.Extends = true
			}
		}
	}
	return f, nil
}
