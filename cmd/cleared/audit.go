package main

import (
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
	if len(args) > 0 && args[0] == "verify" && wantsRegisters(args[1:]) {
		return runAuditVerifyRegisters(ctx, a, args[1:]) // audit_registers.go
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
                                                           recompute the log; check its signed heads, tree and
                                                           payloads, and that K witnesses cosigned a head it extends
  cleared audit verify --registers                         check the seal of every register row (needs the passphrase)
  cleared audit tail [-n 20]                               the last entries
  cleared audit show SEQ                                   one entry with its payload
  cleared audit checkpoint                                 the latest signed head (cosigned by the witnesses, if any),
                                                           to keep outside the system
  cleared audit prove --seq N --size M                     inclusion proof of entry N in the tree of size M
  cleared audit prove --from M --to N                      consistency proof from size M to size N
  cleared audit prove --server URL [--checkpoint FILE] --seq N   ask a server, check its answers (see --server --help)
These read the database (prove --server asks a server instead): no passphrase is needed, except by verify --registers.
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
	var wf witnessVerifyFlags // witness_verify.go
	db, f, err := auditStore(ctx, a, "verify", "[--checkpoint FILE] [--vkey FILE] [--witness KEY[@URL]… [--quorum K]]", args, func(f *auditFlags) {
		trusted = f.String("checkpoint", "", "a signed checkpoint kept earlier: prove the log today extends it")
		vkeyPath = f.String("vkey", "", "the log's verifier key file (default: audit.vkey in the data folder)")
		wf.flags(f.FlagSet)
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if f.NArg() > 0 {
		return usagef("unexpected argument %q", f.Arg(0))
	}
	if err := wf.parse(); err != nil {
		return err
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
	var rep audit.Report
	err = db.View(ctx, func(tx store.Tx) error {
		rep, err = audit.Verify(ctx, tx, strings.TrimSpace(string(vkey)), opts)
		return err
	})
	fmt.Fprintln(a.stderr)
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
	cosigned, err := wf.check(ctx, a, db, strings.TrimSpace(string(vkey)), rep)
	if err != nil {
		return err
	}
	extends += cosigned
	fmt.Fprintf(a.stdout, "OK: %d entries, signed heads verified: %d, tree nodes checked: %d, payloads erased: %d, root %s%s\n",
		rep.Size, rep.Checkpoints, rep.Nodes, rep.Erased, base64.StdEncoding.EncodeToString(rep.Root), extends)
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
			return errors.New("no signed head yet: the log is empty")
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
	if proveServerMode(args) {
		return runAuditProveServer(ctx, a, args)
	}
	var seq, size, from, to *int64
	db, f, err := auditStore(ctx, a, "prove", "--seq N --size M | --from M --to N\n(to check a server's answers instead: cleared audit prove --server URL --help)", args, func(f *auditFlags) {
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
