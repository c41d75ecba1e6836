package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/witness"
)

// witnessVerifyFlags are audit verify's --witness KEY[@URL]… and --quorum K.
type witnessVerifyFlags struct {
	args   listFlag
	quorum int
	ws     witnessArgs
}

func (wf *witnessVerifyFlags) flags(fs *flag.FlagSet) {
	fs.Var(&wf.args, "witness", "a witness's verifier key, or KEY@URL to ask that witness what it cosigned last; repeat for each")
	fs.IntVar(&wf.quorum, "quorum", 0, "how many of the witnesses must have cosigned a checkpoint the log extends (default: all of them)")
}

// parse reads the witnesses given and checks the quorum against them.
func (wf *witnessVerifyFlags) parse() (err error) {
	if wf.ws, err = parseWitnessArgs(wf.args); err != nil {
		return err
	}
	switch {
	case wf.quorum == 0:
		wf.quorum = len(wf.ws)
	case len(wf.ws) == 0:
		return usagef("--quorum needs --witness")
	case wf.quorum < 0 || wf.quorum > len(wf.ws):
		return usagef("--quorum %d: want 1 to %d, the number of witnesses given", wf.quorum, len(wf.ws))
	}
	return nil
}

// check checks the log that audit.Verify recomputed (rep, which verified) against what the witnesses cosigned
// (witness.CheckLog), saying on stderr what each vouches for. It prints a FAIL line for each witness reporting a
// checkpoint the log does not extend, or one signed by another key, and one if the quorum is not met, and then
// returns errSilent; otherwise what to add to the OK line. No witness given: nothing to check. The proofs are
// read in a snapshot of their own: the tree only grows, and each proof is checked against rep's root.
func (wf *witnessVerifyFlags) check(ctx context.Context, a *app, db store.Store, logKey string, rep audit.Report) (string, error) {
	if len(wf.ws) == 0 {
		return "", nil
	}
	var findings []witness.Finding
	err := db.View(ctx, func(tx store.Tx) error {
		found, err := wf.ws.cosigned(ctx, a, tx, logKey)
		if err != nil {
			return err
		}
		findings, err = witness.CheckLog(tx, logKey, rep.Size, rep.Root, found)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("verification against the witnesses could not run: %w", err)
	}
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
		return "", errSilent
	}
	if len(vouched) < wf.quorum {
		fmt.Fprintf(a.stdout, "FAIL: %d of the %d witnesses given cosigned a checkpoint this log extends, the quorum is %d\n", len(vouched), len(wf.ws), wf.quorum)
		return "", errSilent
	}
	noun := "witnesses"
	if len(vouched) == 1 {
		noun = "witness"
	}
	return fmt.Sprintf(", cosigned by %d %s (quorum %d)", len(vouched), noun, wf.quorum), nil
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
