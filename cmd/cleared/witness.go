package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/witness"
)

const (
	// witnessKeyFile holds a witness's signer key, readable by its owner only.
	witnessKeyFile = "witness.key"
	// witnessVKeyFile holds its verifier key, to give to the logs' operators and to verifiers.
	witnessVKeyFile = "witness.vkey"
	// witnessStateFile is its state: the latest checkpoint it cosigned of each log.
	witnessStateFile = "witness.db"
)

// witnessHTTP is the client the server and the verifier use to reach witnesses.
var witnessHTTP = &http.Client{Timeout: 30 * time.Second}

func runWitness(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "init":
			return runWitnessInit(ctx, a, args[1:])
		case "serve":
			return runWitnessServe(ctx, a, args[1:])
		case "-h", "--help", "help":
			fmt.Fprint(a.stderr, witnessUsage)
			return nil
		}
	}
	return usagef("want init or serve\n\n%s", witnessUsage)
}

const witnessUsage = `Usage:
  cleared witness init --name NAME [--data DIR]           make the witness's key; prints its verifier key
  cleared witness serve --log KEY… [--data DIR] [--addr]  run the witness (C2SP tlog-witness) for these logs
A witness is run by a partner authority, apart from cleared: it cosigns the audit log's checkpoints only if each
extends the last it cosigned (docs/audit.md, "Witnesses").
`

func runWitnessInit(_ context.Context, a *app, args []string) error {
	fs := a.newFlags("witness init", "--name NAME [--data DIR]")
	name := fs.String("name", "", "the witness's name, a schema-less URL that identifies it (e.g. witness.ans.example/w1)")
	data := fs.String("data", "cleared-witness", "the witness's folder: its key and its state")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *name == "" {
		return usagef("--name is required, e.g. --name witness.ans.example/w1")
	}
	skey, vkey, err := witness.NewKey(*name)
	if err != nil {
		return usagef("--name: %v", err)
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return fmt.Errorf("witness folder: %w", err)
	}
	// O_EXCL: a witness's key is its identity; replacing it silently would make every cosignature so far worthless.
	f, err := os.OpenFile(filepath.Join(*data, witnessKeyFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already holds a witness key: a witness keeps its key for life", *data)
	}
	if err != nil {
		return fmt.Errorf("witness key: %w", err)
	}
	if _, err := fmt.Fprintln(f, skey); err != nil {
		f.Close()
		return fmt.Errorf("witness key: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("witness key: %w", err)
	}
	if err := os.WriteFile(filepath.Join(*data, witnessVKeyFile), []byte(vkey+"\n"), 0o644); err != nil {
		return fmt.Errorf("witness verifier key: %w", err)
	}
	fmt.Fprintf(a.stdout, "%s\n", vkey)
	fmt.Fprintf(a.stderr, "The witness's key is in %s (keep it secret, back it up). Give the line above, its verifier key, to the log's operators (cleared serve --witness URL=KEY) and to its verifiers (cleared audit verify --witness KEY).\n",
		filepath.Join(*data, witnessKeyFile))
	return nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func runWitnessServe(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("witness serve", "--log KEY… [--data DIR] [--addr ADDR]")
	var logs, logFiles listFlag
	fs.Var(&logs, "log", "the verifier key of a log to witness (a cleared installation's audit.vkey); repeat for each")
	fs.Var(&logFiles, "log-file", "a file holding the verifier key of a log to witness; repeat for each")
	data := fs.String("data", "cleared-witness", "the witness's folder, made by 'cleared witness init'")
	state := fs.String("state", "", "the witness's state file (default: witness.db in the folder)")
	addr := fs.String("addr", "127.0.0.1:8081", "address to listen on")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	if err := parse(fs, args); err != nil {
		return err
	}
	for _, f := range logFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("--log-file: %w", err)
		}
		logs = append(logs, strings.TrimSpace(string(b)))
	}
	if len(logs) == 0 {
		return usagef("give the verifier key of at least one log: --log KEY or --log-file audit.vkey")
	}
	log, err := newLogger(a, *logFormat, *logLevel)
	if err != nil {
		return err
	}
	keyPath := filepath.Join(*data, witnessKeyFile)
	info, err := os.Stat(keyPath)
	if err != nil {
		return fmt.Errorf("witness key: %w (run 'cleared witness init' first)", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("witness key %s is readable by others (mode %v): chmod 600 it", keyPath, info.Mode().Perm())
	}
	skey, err := os.ReadFile(keyPath)
	if err != nil {
		return fmt.Errorf("witness key: %w", err)
	}
	if *state == "" {
		*state = filepath.Join(*data, witnessStateFile)
	}
	w, err := witness.New(ctx, witness.Config{Key: strings.TrimSpace(string(skey)), Logs: logs, State: *state, Log: log})
	if err != nil {
		return err
	}
	defer w.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	defer ln.Close()
	srv := &http.Server{
		Handler:           w,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("witness serving", "listen", ln.Addr().String(), "key", w.VerifierKey(), "logs", len(logs), "state", *state)
	fmt.Fprintf(a.stdout, "witness listening on http://%s\n", ln.Addr().String())
	return serveUntilDone(ctx, srv, func() error { return srv.Serve(ln) }, log)
}

// witnessFlag is serve's repeatable --witness URL=KEY.
type witnessFlag []*witness.Client

func (f *witnessFlag) String() string {
	var s []string
	for _, c := range *f {
		s = append(s, c.URL()+"="+c.Key())
	}
	return strings.Join(s, " ")
}

func (f *witnessFlag) Set(v string) error {
	u, key, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("%q: want URL=KEY, the witness's URL and verifier key", v)
	}
	c, err := witness.NewClient(u, key, witnessHTTP)
	if err != nil {
		return err
	}
	*f = append(*f, c)
	return nil
}

// registry returns the witnesses as the registry takes them.
func (f witnessFlag) registry() []registry.Witness {
	ws := make([]registry.Witness, len(f))
	for i, c := range f {
		ws[i] = c
	}
	return ws
}
