package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cleared/cleared/audit/auditclient"
)

// tokenEnv holds the API token of `cleared audit prove --server`, so that it need not be on the command line;
// tokenEnv+"_FILE" names a file that holds it, the form secret managers and container runtimes provide.
const tokenEnv = "CLEARED_TOKEN"

// apiToken returns the token: the flag, else $CLEARED_TOKEN, else the file $CLEARED_TOKEN_FILE names.
func apiToken(a *app, flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	env, file := a.getenv(tokenEnv), a.getenv(tokenEnv+"_FILE")
	switch {
	case env != "" && file != "":
		return "", usagef("both %s and %s_FILE are set: keep one", tokenEnv, tokenEnv)
	case env != "":
		return env, nil
	case file == "":
		return "", usagef("an API token is needed: set %s or %s_FILE (or --token)", tokenEnv, tokenEnv)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", tokenEnv, err)
	}
	tok := strings.TrimRight(string(b), "\r\n")
	if tok == "" {
		return "", fmt.Errorf("%s_FILE: %s is empty", tokenEnv, file)
	}
	return tok, nil
}

// proveServerMode reports whether prove's arguments ask a server (--server) rather than read the database.
func proveServerMode(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "server" {
			return true
		}
	}
	return false
}

const proveServerSynopsis = `--server URL [--vkey FILE | --key KEY] [--checkpoint FILE] [--keep FILE] [--seq N] [--from M --to N]

Checks what a cleared server answers, trusting only the log's verifier key and the checkpoint you kept: the
server's latest checkpoint is signed by the key, extends the kept one, and holds entry N (--seq), whose fields
are hashed again here. Without --seq, --checkpoint is needed and only the consistency is checked; --from and --to
may say the sizes, but M must be the kept checkpoint's and N the server's latest (the only roots held here). The token is read from
$CLEARED_TOKEN or the file $CLEARED_TOKEN_FILE names if --token is not given; it is never printed. Prints one line, OK or FAIL, and exits 0 or 1.`

// runAuditProveServer is `cleared audit prove --server`: the auditor's check of a server it does not trust.
func runAuditProveServer(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("audit prove", proveServerSynopsis)
	server := fs.String("server", "", "the server's base URL, https (http only to this machine)")
	token := fs.String("token", "", "an API token of an auditor or NSA officer (default: $"+tokenEnv+", or the file $"+tokenEnv+"_FILE names)")
	vkeyPath := fs.String("vkey", "", "the log's verifier key file (default: audit.vkey in --data)")
	key := fs.String("key", "", "the log's verifier key itself, <name>+<hash>+<key>, instead of --vkey")
	data := fs.String("data", "cleared-data", "data folder whose audit.vkey is the default --vkey")
	kept := fs.String("checkpoint", "", "a signed checkpoint you kept: prove the server's log extends it")
	keep := fs.String("keep", "", "once every check passed, write the server's checkpoint to this file (it may be --checkpoint's)")
	seq := fs.Int64("seq", -1, "the entry to prove in the server's latest checkpoint")
	from := fs.Int64("from", -1, "with --to: the kept checkpoint's size")
	to := fs.Int64("to", -1, "with --from: the server's latest checkpoint's size")
	size := fs.Int64("size", -1, "not taken with --server: the size is the server's signed checkpoint's")
	if err := parse(fs, args); err != nil {
		return err
	}
	inclusion := *seq >= 0 && *from < 0 && *to < 0
	consistency := *seq < 0 && (*from >= 0 || *to >= 0 || *kept != "")
	switch {
	case *size >= 0:
		return usagef("--size is not taken with --server: the entry is proved in the server's latest signed checkpoint")
	case inclusion == consistency:
		return usagef("want --seq N, or --checkpoint FILE [--from M --to N]")
	case consistency && *kept == "":
		return usagef("a consistency check needs the checkpoint you kept: --checkpoint FILE")
	case *key != "" && *vkeyPath != "":
		return usagef("give the verifier key once: --vkey FILE or --key KEY")
	}
	tok, err := apiToken(a, *token)
	if err != nil {
		return err
	}
	vkey := *key
	if vkey == "" {
		if *vkeyPath == "" {
			*vkeyPath = filepath.Join(*data, vkeyFile)
		}
		b, err := os.ReadFile(*vkeyPath)
		if err != nil {
			return fmt.Errorf("verifier key: %w", err)
		}
		vkey = strings.TrimSpace(string(b))
	}
	c, err := auditclient.New(*server, tok, vkey)
	if err != nil {
		return usagef("%v", err)
	}
	var old *auditclient.Checkpoint
	if *kept != "" {
		b, err := os.ReadFile(*kept)
		if err != nil {
			return fmt.Errorf("kept checkpoint: %w", err)
		}
		cp, err := auditclient.OpenCheckpoint(b, vkey)
		if err != nil {
			fmt.Fprintf(a.stdout, "FAIL: the checkpoint kept in %s: %v\n", *kept, err)
			return errSilent
		}
		if *from >= 0 && uint64(*from) != cp.Size() {
			return usagef("--from %d: the checkpoint kept is of size %d, the only first root held here", *from, cp.Size())
		}
		old = &cp
	}
	line, cp, err := proveServer(ctx, c, old, *seq)
	if err == nil && consistency && *to >= 0 && uint64(*to) != cp.Size() {
		err = fmt.Errorf("--to %d: the server's latest checkpoint is of size %d, the only second root held here", *to, cp.Size())
	}
	if err != nil {
		fmt.Fprintf(a.stdout, "FAIL: %v\n", err)
		return errSilent
	}
	if *keep != "" {
		if err := writeAtomic(*keep, cp.Note()); err != nil {
			return fmt.Errorf("keep the checkpoint: %w", err)
		}
	}
	fmt.Fprintf(a.stdout, "OK: %s\n", line)
	return nil
}

// proveServer runs the checks and says in one line what they proved: the server's checkpoint (signed by the key),
// its consistency with old if any, and the inclusion of entry seq if seq >= 0.
func proveServer(ctx context.Context, c *auditclient.Client, old *auditclient.Checkpoint, seq int64) (line string, cp auditclient.Checkpoint, err error) {
	cp, err = c.Checkpoint(ctx)
	if err != nil {
		return "", cp, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "the log %s has %d entries, root %s, signed by its key", cp.Origin(), cp.Size(), base64.StdEncoding.EncodeToString(cp.Root()))
	if old != nil {
		if err := c.Extends(ctx, *old, cp); err != nil {
			return "", cp, err
		}
		fmt.Fprintf(&b, "; it extends the checkpoint kept, of %d entries", old.Size())
	}
	if seq >= 0 {
		e, err := c.Included(ctx, cp, uint64(seq))
		if err != nil {
			return "", cp, err
		}
		fmt.Fprintf(&b, "; it holds entry %s", e.String())
	}
	return b.String(), cp, nil
}

// writeAtomic replaces path with data, never leaving half a file: a kept checkpoint is the auditor's evidence.
func writeAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".checkpoint-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
