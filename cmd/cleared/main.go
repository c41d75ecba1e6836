// Command cleared runs the cleared server and its operator commands: init creates a data folder with its database,
// sealed key ring and first NSA officer; serve runs the JSON API; token creates API tokens; version prints the
// version. main only wires: every rule lives in the packages it calls.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// app carries what commands share, so tests can drive run with their own streams and environment.
type app struct {
	stdin  *os.File
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, a *app, args []string) error
}

var commands = []command{
	{"init", "create a data folder: database, sealed key ring, first NSA officer", runInit},
	{"serve", "run the JSON API (add --demo for a demonstration data set)", runServe},
	{"token", "create API tokens (cleared token create --help)", runToken},
	{"terminal", "issue, list and revoke terminals' client certificates (cleared terminal --help)", runTerminal},
	{"partner", "issue partners' client certificates, list the register of partners (cleared partner --help)", runPartner},
	{"source", "poll the partners' sources once (cleared source --help)", runSource},
	{"user", "give a registered person a web account, link one to an identity provider (cleared user --help)", runUser},
	{"inventory", "open or close an inventory of pieces and copies (cleared inventory --help)", runInventory},
	{"incident", "escalate the warnings of incidents not acknowledged in time (cleared incident --help)", runIncident},
	{"vetting", "close the vetting cases overdue for non-cooperation (cleared vetting --help)", runVetting},
	{"purge", "erase the vetting cases' personal data due under Art. 23 (cleared purge --help)", runPurge},
	{"demo", "list the demonstration's accounts, print a demo login's TOTP code", runDemo},
	{"audit", "verify the audit log, read its entries, print its latest checkpoint", runAudit},
	{"witness", "run a witness that cosigns a cleared audit log's checkpoints (cleared witness --help)", runWitness},
	{"profile", "record and list rule profiles (A1.1) (cleared profile --help)", runProfile},
	{"law", "record a version of the law's parameters (A17.1) (cleared law --help)", runLaw},
	{"version", "print the version", runVersion},
	{"verify-signature", "verify a signature of a destruction report offline (cleared verify-signature --help)", runVerifySignature},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(a.main(ctx, os.Args[1:]))
}

// main runs one command and returns the process exit code: 0 on success, 1 on failure, 2 on a usage error.
func (a *app) main(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		a.usage()
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(ctx, a, args[1:])
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errSilent):
				return 1
			case errors.As(err, new(usageError)):
				fmt.Fprintf(a.stderr, "cleared %s: %v\n", c.name, err)
				return 2
			}
			fmt.Fprintf(a.stderr, "cleared %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(a.stderr, "cleared: unknown command %q\n\n", args[0])
	a.usage()
	return 2
}

func (a *app) usage() {
	fmt.Fprintf(a.stderr, "cleared: classified pieces and security clearances under the law of 15 June 2004.\n\nUsage: cleared <command> [flags]\n\nCommands:\n")
	cs := append([]command(nil), commands...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(a.stderr, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(a.stderr, "\nRun 'cleared <command> --help' for a command's flags.\n")
}

// errSilent fails a command that has already said why on standard output.
var errSilent = errors.New("failed")

// usageError is a mistake in the command line; it exits with status 2 and says what to type.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// newFlags returns a flag set whose errors are returned, not printed and exited, with a usage line.
func (a *app) newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("cleared "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.Usage = func() {
		fmt.Fprintf(a.stderr, "Usage: cleared %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags and refuses stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", strings.Join(fs.Args(), " "))
	}
	return nil
}

func runVersion(_ context.Context, a *app, args []string) error {
	fs := a.newFlags("version", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "cleared %s\n", version)
	return nil
}
