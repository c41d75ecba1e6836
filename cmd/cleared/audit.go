package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/witness"
)

const (
	// auditSecret names the audit log's signer key inside the sealed key ring.
	auditSecret = "audit-signer"
	// vkeyFile is the log's public verifier key in the data folder, for anyone who verifies checkpoints.
	vkeyFile = "audit.vkey"
)

// newAuditKey creates the audit log's Ed25519 signing key, keeps it in the key ring (sealed with the rest) and
// writes the public verifier key to the data folder. The origin names this installation in every checkpoint.
func newAuditKey(ring *keyring.Ring, dir string) (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	skey, vkey, err := audit.NewKey("cleared/audit/" + hex.EncodeToString(b[:]))
	if err != nil {
		return "", err
	}
	ring.SetSecret(auditSecret, []byte(skey))
	if err := os.WriteFile(filepath.Join(dir, vkeyFile), []byte(vkey+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("write audit verifier key: %w", err)
	}
	return skey, nil
}

// auditSigner returns the signer key kept in the ring.
func auditSigner(ring *keyring.Ring) (string, error) {
	b, ok := ring.Secret(auditSecret)
	if !ok {
		return "", errors.New("the key ring holds no audit signing key: it was not made by 'cleared init'")
	}
	return string(b), nil
}

func runAudit(ctx context.Context, a *app, args []string) error {
	sub := map[string]func(context.Context, *app, []string) error{
		"verify": runAuditVerify, "tail": runAuditTail, "show": runAuditShow, "checkpoint": runAuditCheckpoint,
		"prove": runAuditProve,
	}
	if len(args) > 0 {
		if f, ok := sub[args[0]]; ok {
			return f(ctx, a, args[1:])
		}
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(a.stderr, auditUsage)
		return nil
	}
	return usagef("want one of: verify, tail, show, checkpoint, prove\n\n%s", auditUsage)
}

const auditUsage = `Usage:
  cleared audit verify [--checkpoint FILE] [--vkey FILE] [--witness KEY[@URL]… [--quorum K]]
                                                           recompute the log and check every checkpoint and payload,
                                                           and that K witnesses cosigned a checkpoint it extends
  cleared audit tail [-n 20]                               the last entries
  cleared audit show SEQ                                   one entry with its payload
  cleared audit checkpoint                                 the latest checkpoint (cosigned by the witnesses, if any),
                                                           to keep outside the system
  cleared audit prove --seq N --size M                     inclusion proof of entry N in the tree of size M
  cleared audit prove --from M --to N                      consistency proof from size M to size N
These read the database only: no passphrase is needed.
`

// auditFlags are the parsed flags of an audit command and the data folder it names.
type auditFlags struct {
	*flag.FlagSet
	st storage
}

// auditStore parses an audit command's flags and opens the store; the audit commands need no key ring.
func auditStore(ctx context.Context, a *app, name, synopsis string, args []string, extra func(*auditFlags)) (store.Store, *auditFlags, error) {
	f := &auditFlags{FlagSet: a.newFlags("audit "+name, synopsis)}
	f.st.flags(f.FlagSet, "cleared-data")
	if extra != nil {
		extra(f)
	}
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, err
		}
		return nil, nil, usagef("%v", err)
	}
	f.st.env(a)
	db, err := f.st.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	return db, f, nil
}

func runAuditVerify(ctx context.Context, a *app, args []string) error {
	var trusted, vkeyPath *string
	var witnessArgs listFlag
	var quorum *int
	db, f, err := auditStore(ctx, a, "verify", "[--checkpoint FILE] [--vkey FILE] [--witness KEY[@URL]… [--quorum K]]", args, func(f *auditFlags) {
		trusted = f.String("checkpoint", "", "a signed checkpoint kept earlier: prove the log today extends it")
		vkeyPath = f.String("vkey", "", "the log's verifier key file (default: audit.vkey in the data folder)")
		f.Var(&witnessArgs, "witness", "a witness's verifier key, or KEY@URL to ask that witness what it cosigned last; repeat for each")
		quorum = f.Int("quorum", 0, "how many of the witnesses must have cosigned a checkpoint the log extends (default: all of them)")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if f.NArg() > 0 {
		return usagef("unexpected argument %q", f.Arg(0))
	}
	ws, err := parseWitnessArgs(witnessArgs)
	if err != nil {
		return err
	}
	switch {
	case *quorum == 0:
		*quorum = len(ws)
	case len(ws) == 0:
		return usagef("--quorum needs --witness")
	case *quorum < 0 || *quorum > len(ws):
		return usagef("--quorum %d: want 1 to %d, the number of witnesses given", *quorum, len(ws))
	}
	if *vkeyPath == "" {
		*vkeyPath = filepath.Join(f.st.data, vkeyFile)
	}
	vkey, err := os.ReadFile(*vkeyPath)
	if err != nil {
		return fmt.Errorf("verifier key: %w", err)
	}
	opts := audit.VerifyOptions{Progress: func(done, total uint64) {
		fmt.Fprintf(a.stderr, "\rverified %d of %d entries", done, total)
	}}
	if *trusted != "" {
		if opts.Trusted, err = os.ReadFile(*trusted); err != nil {
			return fmt.Errorf("trusted checkpoint: %w", err)
		}
	}
	logKey := strings.TrimSpace(string(vkey))
	var rep audit.Report
	var findings []witness.Finding
	err = db.View(ctx, func(tx store.Tx) error {
		rep, err = audit.Verify(ctx, tx, logKey, opts)
		fmt.Fprintln(a.stderr)
		if err != nil || rep.FirstBad != nil || len(ws) == 0 {
			return err
		}
		found, err := ws.cosigned(ctx, a, tx, logKey)
		if err != nil {
			return err
		}
		findings, err = witness.CheckLog(tx, logKey, rep.Size, rep.Root, found)
		return err
	})
	if err != nil {
		return fmt.Errorf("verification could not run: %w", err)
	}
	if rep.FirstBad != nil {
		fmt.Fprintf(a.stdout, "FAIL: entry %d: %s\n", rep.FirstBad.Seq, rep.FirstBad.What)
		return errSilent
	}
	extends := ""
	if *trusted != "" {
		extends = ", extends the trusted checkpoint"
	}
	if len(ws) > 0 {
		vouched, bad := map[string]bool{}, false
		for _, fd := range findings {
			if fd.Extends {
				vouched[fd.Witness] = true
				fmt.Fprintf(a.stderr, "witness %s (%s): cosigned the log at %d entries, which it extends\n", keyName(fd.Witness), fd.From, fd.Size)
			} else {
				bad = true
				fmt.Fprintf(a.stdout, "FAIL: witness %s (%s): %s\n", keyName(fd.Witness), fd.From, fd.Problem)
			}
		}
		if bad {
			return errSilent
		}
		if len(vouched) < *quorum {
			fmt.Fprintf(a.stdout, "FAIL: %d of the %d witnesses given cosigned a checkpoint this log extends, the quorum is %d\n", len(vouched), len(ws), *quorum)
			return errSilent
		}
		extends += fmt.Sprintf(", cosigned by %d witnesses (quorum %d)", len(vouched), *quorum)
	}
	fmt.Fprintf(a.stdout, "OK: %d entries, checkpoints verified: %d, payloads erased: %d, root %s%s\n",
		rep.Size, rep.Checkpoints, rep.Erased, base64.StdEncoding.EncodeToString(rep.Root), extends)
	return nil
}

func runAuditTail(ctx context.Context, a *app, args []string) error {
	var n *int
	db, f, err := auditStore(ctx, a, "tail", "[-n 20]", args, func(f *auditFlags) { n = f.Int("n", 20, "how many entries") })
	if err != nil {
		return err
	}
	defer db.Close()
	if f.NArg() > 0 || *n < 1 || *n > 10000 {
		return usagef("-n takes 1 to 10000 and no other argument")
	}
	return db.View(ctx, func(tx store.Tx) error {
		size, err := tx.AuditSize()
		if err != nil {
			return err
		}
		from := uint64(0)
		if size > uint64(*n) {
			from = size - uint64(*n)
		}
		rs, err := tx.AuditRecords(from, *n)
		if err != nil {
			return err
		}
		for _, r := range rs {
			fmt.Fprintln(a.stdout, r.Entry.String())
		}
		return nil
	})
}

func runAuditShow(ctx context.Context, a *app, args []string) error {
	db, f, err := auditStore(ctx, a, "show", "SEQ", args, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if f.NArg() != 1 {
		return usagef("want one entry number")
	}
	seq, err := strconv.ParseUint(f.Arg(0), 10, 64)
	if err != nil {
		return usagef("entry number %q: want a whole number", f.Arg(0))
	}
	return db.View(ctx, func(tx store.Tx) error {
		rs, err := tx.AuditRecords(seq, 1)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return cleared.NotFoundf("no audit entry %d", seq)
		}
		p, err := tx.AuditPayload(seq)
		if err != nil {
			return err
		}
		out := struct {
			audit.Record
			Payload json.RawMessage `json:"payload,omitempty"`
			Erased  *time.Time      `json:"payload_erased,omitempty"`
			Reason  string          `json:"erasure_reason,omitempty"`
		}{Record: rs[0], Reason: p.Reason}
		if len(p.Data) > 0 && json.Valid(p.Data) {
			out.Payload = p.Data
		}
		if !p.Erased.IsZero() {
			out.Erased = &p.Erased
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	})
}

func runAuditCheckpoint(ctx context.Context, a *app, args []string) error {
	db, f, err := auditStore(ctx, a, "checkpoint", "", args, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if f.NArg() > 0 {
		return usagef("unexpected argument %q", f.Arg(0))
	}
	return db.View(ctx, func(tx store.Tx) error {
		// The newest checkpoint the witnesses cosigned, with their cosignatures, else the latest signed.
		if cs, err := tx.CosignedCheckpoint(); err == nil {
			_, err = a.stdout.Write(registry.CosignedNote(cs).Note)
			return err
		} else if !errors.Is(err, cleared.ErrNotFound) {
			return err
		}
		cp, err := tx.LatestCheckpoint()
		if errors.Is(err, cleared.ErrNotFound) {
			return errors.New("no checkpoint yet: the server signs one every minute and when it stops")
		}
		if err != nil {
			return err
		}
		_, err = a.stdout.Write(cp.Note)
		return err
	})
}

// runAuditProve prints an inclusion or a consistency proof as JSON (hashes in base64), to check with any RFC 6962
// implementation against the roots of checkpoints one holds.
func runAuditProve(ctx context.Context, a *app, args []string) error {
	var seq, size, from, to *int64
	db, f, err := auditStore(ctx, a, "prove", "--seq N --size M | --from M --to N", args, func(f *auditFlags) {
		seq = f.Int64("seq", -1, "entry to prove included")
		size = f.Int64("size", -1, "tree size (a checkpoint's) the entry is proved in")
		from = f.Int64("from", -1, "smaller tree size of a consistency proof")
		to = f.Int64("to", -1, "larger tree size of a consistency proof")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	inclusion := *seq >= 0 && *size > 0 && *from < 0 && *to < 0
	consistency := *from > 0 && *to > 0 && *seq < 0 && *size < 0
	if f.NArg() > 0 || inclusion == consistency {
		return usagef("want either --seq N --size M, or --from M --to N (sizes at least 1)")
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return db.View(ctx, func(tx store.Tx) error {
		if inclusion {
			if *seq >= *size {
				return usagef("entry %d is not in a tree of size %d", *seq, *size)
			}
			rs, err := tx.AuditRecords(uint64(*seq), 1)
			if err != nil {
				return err
			}
			if len(rs) != 1 {
				return cleared.NotFoundf("no audit entry %d", *seq)
			}
			proof, err := audit.InclusionProof(tx, uint64(*seq), uint64(*size))
			if err != nil {
				return err
			}
			root, err := audit.Root(tx, uint64(*size))
			if err != nil {
				return err
			}
			return enc.Encode(map[string]any{"record": rs[0], "size": *size, "root": root, "proof": proof})
		}
		proof, err := audit.ConsistencyProof(tx, uint64(*from), uint64(*to))
		if err != nil {
			return err
		}
		return enc.Encode(map[string]any{"from": *from, "to": *to, "proof": proof})
	})
}

// witnessArg is a witness given to audit verify: its verifier key, and where to ask it, if given.
type witnessArg struct {
	key    string
	client *witness.Client // nil: read what the server kept of its cosignatures
}

type witnessArgs []witnessArg

// parseWitnessArgs reads --witness KEY or KEY@URL (URL starting with http:// or https://).
func parseWitnessArgs(args []string) (witnessArgs, error) {
	var ws witnessArgs
	seen := map[string]bool{}
	for _, arg := range args {
		key, u := arg, ""
		for _, scheme := range []string{"@https://", "@http://"} {
			if i := strings.LastIndex(arg, scheme); i > 0 {
				key, u = arg[:i], arg[i+1:]
				break
			}
		}
		if _, err := witness.NewVerifier(key); err != nil {
			return nil, usagef("--witness %.80q: %v", arg, err)
		}
		if seen[key] {
			return nil, usagef("--witness: the witness %s is given twice", keyName(key))
		}
		seen[key] = true
		w := witnessArg{key: key}
		if u != "" {
			c, err := witness.NewClient(u, key, witnessHTTP)
			if err != nil {
				return nil, usagef("--witness %.80q: %v", arg, err)
			}
			w.client = c
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// cosigned gathers what each witness cosigned last: asked of the witness itself when its URL is given, else read
// from the cosignatures the server kept. A witness that cannot be asked, or of which nothing is kept, does not
// count towards the quorum, and is said so on stderr.
func (ws witnessArgs) cosigned(ctx context.Context, a *app, tx store.Tx, logKey string) ([]witness.Cosigned, error) {
	origin := keyName(logKey)
	var out []witness.Cosigned
	for _, w := range ws {
		if w.client != nil {
			n, err := w.client.Latest(ctx, origin)
			if err != nil {
				fmt.Fprintf(a.stderr, "witness %s (%s): %v\n", keyName(w.key), w.client.URL(), err)
				continue
			}
			out = append(out, witness.Cosigned{Witness: w.key, Note: n, From: w.client.URL()})
			continue
		}
		c, err := tx.LatestCosignature(w.key)
		if errors.Is(err, cleared.ErrNotFound) {
			fmt.Fprintf(a.stderr, "witness %s: no cosignature of it is kept in the database\n", keyName(w.key))
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, witness.Cosigned{Witness: w.key, Note: append(bytes.Clone(c.Note), c.Signature...), From: "kept by the server"})
	}
	return out, nil
}

// keyName is the name in a verifier key "<name>+<hash>+<key>".
func keyName(key string) string {
	name, _, _ := strings.Cut(key, "+")
	return name
}
