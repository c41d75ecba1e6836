package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing"
)

// Pulling from partners (issue 21 §2, S1): the client certificate cleared presents to partners' servers, the roots
// it checks them against, and the round of polls the server runs.

const sourceUsage = `Usage:
  cleared source poll [--source ID] [--pull-cert FILE --pull-key FILE] [--pull-ca FILE]
Polls every source that is not paused (or the one given) once: what is new on the partner's TAXII collection or
MISP feed is registered by the source's registrar, as its authority (docs/sharing.md). The server does this on its
own every --pull-every; this runs it once. Takes --data DIR and --db URL. Sources are recorded through the API
(POST /api/sources).`

// pullOptions are the flags of pulling.
type pullOptions struct {
	every         *time.Duration
	cert, key, ca *string
}

// pullFlags defines the pull flags on fs; every is only for serve.
func pullFlags(fs *flag.FlagSet, every bool) pullOptions {
	var o pullOptions
	if every {
		o.every = fs.Duration("pull-every", 5*time.Minute, "poll the partners' sources this often (0: never; cleared source poll polls at once)")
	}
	o.cert = fs.String("pull-cert", "", "the client certificate (PEM) cleared presents to partners' servers when it polls them")
	o.key = fs.String("pull-key", "", "its private key (PEM)")
	o.ca = fs.String("pull-ca", "", "the certificates (PEM) partners' servers are checked against, instead of the system's roots")
	return o
}

// client returns the HTTP client of polls: nil (the sharing service's default) without certificate or roots.
func (o pullOptions) client() (*http.Client, error) {
	if o.every != nil && *o.every < 0 {
		return nil, usagef("--pull-every must not be negative")
	}
	if (*o.cert == "") != (*o.key == "") {
		return nil, usagef("--pull-cert and --pull-key go together")
	}
	if *o.cert == "" && *o.ca == "" {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if *o.cert != "" {
		c, err := tls.LoadX509KeyPair(*o.cert, *o.key)
		if err != nil {
			return nil, fmt.Errorf("--pull-cert, --pull-key: %w", err)
		}
		cfg.Certificates = []tls.Certificate{c}
	}
	if *o.ca != "" {
		pem, err := os.ReadFile(*o.ca)
		if err != nil {
			return nil, fmt.Errorf("--pull-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--pull-ca %s: no PEM certificate in it", *o.ca)
		}
		cfg.RootCAs = pool
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = cfg
	return &http.Client{Transport: tr}, nil
}

// runPulls polls the sources every interval until ctx ends; a round that fails is logged, the next one runs.
func runPulls(ctx context.Context, share *sharing.Service, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := share.PollAll(ctx); err != nil && ctx.Err() == nil {
			log.Warn("the round of polls of partners' sources failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func runSource(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "poll" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(a.stderr, sourceUsage)
			return nil
		}
		return usagef("want 'cleared source poll' (cleared source --help)")
	}
	fs := a.newFlags("source poll", "[--source ID] [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	one := fs.String("source", "", "the source to poll (src_…); all that are not paused if not given")
	po := pullFlags(fs, false)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st.env(a)
	client, err := po.client()
	if err != nil {
		return err
	}
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log, pullClient: client})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	if *one == "" {
		n, err := sv.share.PollAll(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "%d source(s) polled (failures are logged, and kept as each source's last error)\n", n)
		return nil
	}
	res, err := sv.share.Poll(ctx, cleared.SourceID(*one))
	if err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	fmt.Fprintf(a.stdout, "source %s: %d registered, %d known, %d withdrawn, %d unclassified passed over\n",
		res.Source, res.Registered, res.Known, res.Withdrawn, res.Unclassified)
	return nil
}
