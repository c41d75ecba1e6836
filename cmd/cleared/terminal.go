package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/registry"
)

// Files terminal issue writes.
const (
	terminalCertFile = "terminal.crt"
	terminalKeyFile  = "terminal.key"
)

const terminalUsage = `Usage:
  cleared terminal issue --terminal ID --out DIR [--ttl 8760h] [--by PERSON]   a client certificate for a terminal
  cleared terminal list [--json]                                                terminals and their certificates
  cleared terminal revoke --terminal ID --by PERSON                             end a terminal and its certificates
  cleared terminal ca                                                           create the CA of a data folder made without one
Each takes --data DIR and --db URL. A request presenting a terminal's certificate (cleared serve --tls) comes from
that terminal: TRES SECRET content only in a security zone (A8.2), nothing classified from no terminal (A9.3).
See docs/terminals.md.
`

func runTerminal(ctx context.Context, a *app, args []string) error {
	sub := map[string]func(context.Context, *app, []string) error{
		"issue": runTerminalIssue, "list": runTerminalList, "revoke": runTerminalRevoke, "ca": runTerminalCA,
	}
	if len(args) > 0 {
		if f, ok := sub[args[0]]; ok {
			return f(ctx, a, args[1:])
		}
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Fprint(a.stderr, terminalUsage)
			return nil
		}
	}
	return usagef("want one of: issue, list, revoke, ca\n\n%s", terminalUsage)
}

// noCA explains what to do with a data folder whose key ring holds no terminal CA.
func noCA(err error, data string) error {
	if errors.Is(err, pki.ErrNoCA) {
		return fmt.Errorf("%w: this data folder was made before terminals had certificates; run 'cleared terminal ca --data %s' once", err, data)
	}
	return err
}

func runTerminalIssue(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("terminal issue", "--terminal ID --out DIR [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	terminal := fs.String("terminal", "", "ID of the registered terminal (trm_…) the certificate is for (required)")
	out := fs.String("out", "", "folder to write terminal.crt, terminal.key and ca.crt to (required; created 0700)")
	ttl := fs.Duration("ttl", 365*24*time.Hour, "how long the certificate lives (at most 8784h)")
	by := fs.String("by", "", "ID of the person the audit log records as issuing it (default: the security officer who registered the terminal)")
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	switch {
	case *terminal == "":
		return usagef("--terminal is required")
	case *out == "":
		return usagef("--out is required: the folder to write the certificate and its key to")
	}
	// Refuse before issuing: an issued certificate is recorded, and its key must not overwrite another's.
	for _, f := range []string{terminalCertFile, terminalKeyFile} {
		if _, err := os.Stat(filepath.Join(*out, f)); err == nil {
			return fmt.Errorf("%s already holds %s: choose another --out", *out, f)
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	ca, err := sv.reg.TerminalCA()
	if err != nil {
		return noCA(err, st.data)
	}
	certPEM, keyPEM, c, err := sv.reg.IssueTerminalCertificate(ctx, registry.NewTerminalCertificate{
		Terminal: cleared.TerminalID(*terminal), IssuedBy: cleared.PersonID(*by), TTL: *ttl}, ca)
	if err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	defer clear(keyPEM)
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", *out, err)
	}
	crt, key, caPath := filepath.Join(*out, terminalCertFile), filepath.Join(*out, terminalKeyFile), filepath.Join(*out, caFile)
	if err := writeNew(key, keyPEM, 0o600); err != nil {
		return err
	}
	if err := writeNew(crt, certPEM, 0o644); err != nil {
		return err
	}
	if err := writeCACert(ca, caPath); err != nil {
		return err
	}
	p12 := filepath.Join(*out, "terminal.p12")
	fmt.Fprintf(a.stdout, `Issued a client certificate to terminal %s.
  serial       %s
  fingerprint  SHA-256 %s
  valid until  %s
  files        %s, %s (private key, 0600), %s (the CA to trust)

Install it in the terminal's browser as a PKCS#12 file (the export asks for a password to protect it):
  openssl pkcs12 -export -in %s -inkey %s -certfile %s -name "cleared %s" -out %s
then import %s as "your certificate" and %s as an authority trusted to identify websites (docs/terminals.md).
Delete %s once it is installed; the server keeps only the certificate's fingerprint.
`, c.Terminal, c.Serial, hex.EncodeToString(c.Fingerprint), c.NotAfter.Format(time.RFC3339), crt, key, caPath,
		shellQuote(crt), shellQuote(key), shellQuote(caPath), c.Terminal, shellQuote(p12), p12, caPath, key)
	return nil
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, b []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// shellQuote quotes a path for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./+:=@", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func runTerminalList(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("terminal list", "[--json] [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	asJSON := fs.Bool("json", false, "print JSON, one terminal per line")
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	// The terminals' rows are sealed (architecture, principle 9): reading them needs the key ring's register key,
	// so the passphrase.
	sv, err := st.open(ctx, a, serviceConfig{log: quiet})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	svc := sv.reg
	now := time.Now()
	enc := json.NewEncoder(a.stdout)
	var after cleared.TerminalID
	for {
		ts, err := svc.TerminalsWithCertificates(ctx, after, 500)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if *asJSON {
				if err := enc.Encode(t); err != nil {
					return err
				}
				continue
			}
			printTerminal(a, t, now)
		}
		if len(ts) < 500 {
			return nil
		}
		after = ts[len(ts)-1].ID
	}
}

func printTerminal(a *app, t registry.TerminalRecord, now time.Time) {
	var flags []string
	if t.SecurityZone {
		flags = append(flags, "security zone")
	}
	if t.Public {
		flags = append(flags, "public place")
	}
	if !t.Revoked.IsZero() {
		flags = append(flags, "REVOKED "+t.Revoked.Format(time.RFC3339))
	}
	fmt.Fprintf(a.stdout, "%s  %-24q  accredited %s  place %s", t.ID, t.Name, t.AccreditedLevel, t.Place)
	if len(flags) > 0 {
		fmt.Fprintf(a.stdout, "  [%s]", strings.Join(flags, ", "))
	}
	fmt.Fprintln(a.stdout)
	for _, c := range t.Certificates {
		state := "valid"
		switch {
		case !c.Revoked.IsZero():
			state = "revoked " + c.Revoked.Format(time.RFC3339)
		case !now.Before(c.NotAfter):
			state = "expired"
		}
		fmt.Fprintf(a.stdout, "    certificate %s  SHA-256 %s  until %s  issued %s by %s  %s\n", c.Serial,
			hex.EncodeToString(c.Fingerprint), c.NotAfter.Format(time.DateOnly), c.Issued.Format(time.DateOnly), c.IssuedBy, state)
	}
}

func runTerminalRevoke(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("terminal revoke", "--terminal ID --by PERSON [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	terminal := fs.String("terminal", "", "ID of the terminal to revoke (required)")
	by := fs.String("by", "", "ID of the person who revokes it: the security officer of the terminal's organisation or an NSA officer (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	switch {
	case *terminal == "":
		return usagef("--terminal is required")
	case *by == "":
		return usagef("--by is required: the security officer of the terminal's organisation, or an NSA officer, who revokes it (A9.2)")
	}
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	if err := sv.reg.RevokeTerminal(ctx, cleared.Actor{Person: cleared.PersonID(*by)}, cleared.TerminalID(*terminal)); err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	fmt.Fprintf(a.stdout, "Revoked terminal %s and its certificates: requests presenting them are refused from now on.\n", *terminal)
	return nil
}

// runTerminalCA creates the terminal CA of a data folder made before cleared init created one, and saves the key
// ring with it. It refuses a ring that holds one already: replacing it would strand every issued certificate.
func runTerminalCA(_ context.Context, a *app, args []string) error {
	fs := a.newFlags("terminal ca", "[--data DIR]")
	var st storage
	st.flags(fs, "cleared-data")
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	if _, err := os.Stat(st.keyringPath()); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no key ring in %s: run 'cleared init --data %s' first", st.data, st.data)
	}
	pass, err := keyring.PassphraseSource{Env: passEnv, Getenv: a.getenv, Stdin: a.stdin, Stderr: a.stderr}.Passphrase()
	if err != nil {
		return err
	}
	defer clear(pass)
	ring, err := keyring.Load(st.keyringPath(), pass)
	if err != nil {
		return err
	}
	if ca, err := pki.FromRing(ring); err == nil {
		if err := writeCACert(ca, filepath.Join(st.data, caFile)); err != nil {
			return err
		}
		return fmt.Errorf("the key ring in %s already holds a terminal CA (%s): kept, and its certificate written again to %s",
			st.data, caSummary(ca.Certificate()), filepath.Join(st.data, caFile))
	}
	ca, err := newTerminalCA(ring, st.data, time.Now())
	if err != nil {
		return err
	}
	if err := keyring.Save(st.keyringPath(), ring, pass); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Created the terminal CA %s.\nIts certificate is %s; its key is in the sealed key ring.\n",
		caSummary(ca.Certificate()), filepath.Join(st.data, caFile))
	return nil
}
