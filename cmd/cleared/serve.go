package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/cleared/cleared/keyring/webhook"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/web"
)

const (
	demoPassFile = "demo-passphrase"
	demoMetaKey  = "demo"
)

func runServe(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("serve", "[--demo] [flags]")
	var st storage
	st.flags(fs, "")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	isDemo := fs.Bool("demo", false, "load the demonstration data set (in ./cleared-demo unless --data is given); never on real data")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	cpEvery := fs.Duration("checkpoint-interval", time.Minute, "run the audit checkpoint hook at least this often (every group commit signs the log's head)")
	cpEntries := fs.Uint64("checkpoint-entries", 1000, "run the audit checkpoint hook after this many new entries, sooner than the interval")
	tlsOpt := tlsFlags(fs) // tls.go
	publicURL := fs.String("public-url", "", "the address users open (e.g. https://cleared.example.lu), the origin security keys sign for; default: the listening address, with localhost for a loopback address")
	oidcOpt := oidcFlags(fs)
	var witnesses witnessFlag // witness.go
	fs.Var(&witnesses, "witness", "a witness to send the audit checkpoints to, as URL=KEY (its URL and verifier key); repeat for each")
	witnessEvery := fs.Duration("witness-interval", time.Minute, "send the latest audit checkpoint to the witnesses this often")
	notifyOpt := notifyFlags(fs)   // notify.go
	pullOpt := pullFlags(fs, true) // pull.go
	escalate := fs.Duration("incident-escalate-after", registry.DefaultEscalation,
		"how long a warning of a security incident waits for its acknowledgement before it escalates (A13.1)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *escalate <= 0 {
		return usagef("--incident-escalate-after must be positive")
	}
	if err := notifyOpt.check(); err != nil {
		return err
	}
	if err := oidcOpt.check(); err != nil {
		return err
	}
	if *witnessEvery <= 0 {
		return usagef("--witness-interval must be positive")
	}
	pullClient, err := pullOpt.client()
	if err != nil {
		return err
	}
	web.TuneGC()
	st.env(a)
	if st.data == "" {
		st.data = "cleared-data"
		if *isDemo {
			st.data = "cleared-demo"
		}
	}
	log, err := newLogger(a, *logFormat, *logLevel)
	if err != nil {
		return err
	}
	// Listen first: the public URL, which security keys sign for, may need the port the system chose.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	defer ln.Close()
	scheme := "http"
	if tlsOpt.on {
		scheme = "https"
	}
	if *publicURL == "" {
		*publicURL = defaultPublicURL(scheme, ln.Addr().String())
	}
	wa, err := auth.NewWebAuthn(*publicURL)
	if err != nil {
		return usagef("--public-url %q: %v", *publicURL, err)
	}
	idp, err := oidcOpt.provider(ctx, *publicURL)
	if err != nil {
		return err
	}
	if idp != nil {
		log.Info("sign-in through an identity provider", "issuer", oidcOpt.issuer, "name", idp.Name(),
			"redirect", strings.TrimSuffix(*publicURL, "/")+web.OIDCCallbackPath)
	}
	var sv services
	met := web.NewMetrics()
	var wk waker // the registry wakes the notifications' dispatcher after writing warnings (A13.1)
	cfg := serviceConfig{log: log, observe: met.Decision, webauthn: wa, tampered: met.Tampered, wake: wk.Wake,
		webhookLoopbackHTTP: notifyOpt.webhookLoopbackHTTP, escalation: *escalate, pullClient: pullClient}
	if *isDemo {
		sv, err = openDemo(ctx, a, st, cfg)
	} else {
		sv, err = st.open(ctx, a, cfg)
	}
	if err != nil {
		return err
	}
	defer sv.db.Close()
	ncfg, err := notifyOpt.config(publicHost(*publicURL), log)
	if err != nil {
		return err
	}
	// A warning not acknowledged in time escalates (A13.1): checked with the dispatcher's periodic jobs.
	ncfg.Periodic = append(ncfg.Periodic, func(ctx context.Context) error {
		_, err := sv.reg.EscalateIncidents(ctx)
		return err
	})
	// A vetting case whose deadline passed without the signed questionnaire and consent closes (A26.1).
	ncfg.Periodic = append(ncfg.Periodic, func(ctx context.Context) error {
		_, err := sv.vet.CloseOverdue(ctx)
		return err
	})
	// A clearance 12, 6 or 3 months before its expiry: its holder and his security officers are reminded (A17.1).
	ncfg.Periodic = append(ncfg.Periodic, func(ctx context.Context) error {
		_, err := sv.vet.RemindRenewals(ctx)
		return err
	})
	// The personal data of vetting cases past their retention is erased, once a day (A23.2).
	ncfg.Periodic = append(ncfg.Periodic, daily(func(ctx context.Context) error {
		_, err := sv.vet.Purge(ctx, false)
		return err
	}))
	notifyStop, err := startNotify(ctx, sv, ncfg, &wk, log)
	if err != nil {
		return err
	}
	defer notifyStop() // before the database closes: sends under way record their outcome
	// Releases committed on the other servers of a PostgreSQL database wake this one's live feed (livefeed.go).
	liveStop, err := startLiveFeed(ctx, st, sv.share, log)
	if err != nil {
		return err
	}
	defer liveStop()
	tlsConf, _, err := tlsOpt.config(sv.reg, st.data, *addr, time.Now())
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           web.New(web.Config{Registry: sv.reg, Auth: sv.auth, Vetting: sv.vet, Sharing: sv.share, Ready: sv.reg.Ready, Log: log, Metrics: met, DemoTerminals: *isDemo, OIDC: idp}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // a 32 MiB piece over a slow link
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		TLSConfig:         tlsConf, // nil without --tls
	}
	log.Info("cleared serving", "url", *publicURL, "listen", ln.Addr().String(), "data", st.data, "database", dbName(st), "version", version)
	if *isDemo {
		printDemoAccounts(a, *publicURL)
	}
	fmt.Fprintf(a.stdout, "cleared listening on %s (open %s)\n", scheme+"://"+ln.Addr().String(), *publicURL)
	// Checkpoints every interval or every N entries, and a last one at shutdown, before the database closes.
	cpCtx, cpStop := context.WithCancel(context.WithoutCancel(ctx))
	cpDone := make(chan struct{})
	go func() { defer close(cpDone); sv.reg.RunCheckpoints(cpCtx, *cpEvery, *cpEntries) }()
	// Witnesses get each checkpoint in a loop of their own: one that is down delays nothing.
	wDone := make(chan struct{})
	go func() {
		defer close(wDone)
		sv.reg.RunWitnesses(cpCtx, *witnessEvery, witnesses.registry(), func(w registry.Witness, err error) { met.Witness(w.URL(), err) })
	}()
	// Partners' sources are polled in a loop of their own (pull.go): a slow partner delays nothing else.
	pDone := make(chan struct{})
	go func() { defer close(pDone); runPulls(cpCtx, sv.share, *pullOpt.every, log) }()
	defer func() { cpStop(); <-cpDone; <-wDone; <-pDone }()
	return serveUntilDone(ctx, srv, func() error { return serveOn(srv, ln) }, log)
}

// serveUntilDone runs serve (srv's Serve or ServeTLS) until it fails or ctx ends, then shuts srv down, giving
// requests under way 10 seconds to finish.
func serveUntilDone(ctx context.Context, srv *http.Server, serve func() error, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- serve() }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// publicHost is the host of the public URL, the name cleared gives its mail server.
func publicHost(publicURL string) string {
	if u, err := url.Parse(publicURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// defaultPublicURL is the address users open when none is configured: the listening one, with localhost for a
// loopback or unspecified address (browsers take localhost as a secure context, and security keys need a host
// name, not an IP address).
func defaultPublicURL(scheme, addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return scheme + "://" + addr
	}
	if ip := net.ParseIP(host); ip != nil && (ip.IsLoopback() || ip.IsUnspecified()) {
		host = "localhost"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

func dbName(st storage) string {
	if st.db == "" {
		return "sqlite:" + filepath.Join(st.data, sqliteFile)
	}
	return redact(st.db)
}

// openDemo opens the demo folder, creating it with the demo data set on first use. It refuses a folder or database
// that holds real data: demo accounts have well-known tokens.
func openDemo(ctx context.Context, a *app, st storage, cfg serviceConfig) (services, error) {
	log := cfg.log
	_, err := os.Stat(st.keyringPath())
	switch {
	case err == nil:
		pass, err := demoPassphrase(a, st)
		if err != nil {
			return services{}, err
		}
		ring, err := keyring.Load(st.keyringPath(), pass)
		if err != nil {
			return services{}, err
		}
		db, err := st.openStore(ctx)
		if err != nil {
			return services{}, err
		}
		if v, err := metaOf(ctx, db, demoMetaKey); err != nil || v != "true" {
			db.Close()
			return services{}, fmt.Errorf("%s holds data that is not the demo's: --demo refuses to use it (its accounts have well-known tokens)", st.data)
		}
		signer, err := auditSigner(ring)
		if err != nil {
			db.Close()
			return services{}, err
		}
		sv := newServices(db, ring, signer, cfg)
		if err := openSealed(ctx, sv, ring, st.keyringPath(), pass, cfg); err != nil {
			db.Close()
			return services{}, err
		}
		log.Warn("DEMO MODE: demonstration data with well-known tokens; never put real data here", "data", st.data)
		return sv, nil
	case !errors.Is(err, fs.ErrNotExist):
		return services{}, fmt.Errorf("data folder %s: %w", st.data, err)
	}

	if err := os.MkdirAll(st.data, 0o700); err != nil {
		return services{}, fmt.Errorf("create demo folder: %w", err)
	}
	pass := []byte(a.getenv(passEnv))
	if len(pass) == 0 {
		var b [18]byte
		if _, err := rand.Read(b[:]); err != nil {
			return services{}, err
		}
		pass = []byte(base64.RawURLEncoding.EncodeToString(b[:]))
		if err := os.WriteFile(filepath.Join(st.data, demoPassFile), append(pass, '\n'), 0o600); err != nil {
			return services{}, fmt.Errorf("write demo passphrase: %w", err)
		}
		log.Warn("DEMO MODE: created a passphrase for the demo key ring and wrote it in clear to "+filepath.Join(st.data, demoPassFile)+"; a real installation never does this",
			"data", st.data)
	}
	now := time.Now().UTC()
	ring, err := keyring.New()
	if err != nil {
		return services{}, err
	}
	signer, err := newAuditKey(ring, st.data)
	if err != nil {
		return services{}, err
	}
	if _, err := newTerminalCA(ring, st.data, now); err != nil {
		return services{}, err
	}
	db, err := st.openStore(ctx)
	if err != nil {
		return services{}, err
	}
	if n, err := countPersons(ctx, db); err != nil || n > 0 {
		db.Close()
		if err == nil {
			err = fmt.Errorf("the database already holds %d persons: --demo loads only into an empty database", n)
		}
		return services{}, err
	}
	ring.NewRegisterKey()
	if _, err := ensureSigningCA(ring, st.data, now); err != nil {
		db.Close()
		return services{}, err
	}
	if _, _, err := webhook.EnsureKey(ring); err != nil { // saved with the ring below
		db.Close()
		return services{}, err
	}
	sv := newServices(db, ring, signer, cfg)
	if _, err := sealStore(db, ring, sv.reg, cfg); err != nil {
		db.Close()
		return services{}, err
	}
	_, err = demo.Load(ctx, sv.demo(), now)
	if err == nil {
		err = db.Update(ctx, func(tx store.Tx) error { return tx.SetMeta(demoMetaKey, "true") })
	}
	if err == nil {
		err = keyring.Save(st.keyringPath(), ring, pass)
	}
	if err != nil {
		db.Close()
		return services{}, fmt.Errorf("load demo data: %w", err)
	}
	log.Warn("DEMO MODE: loaded the demonstration data set; its accounts have well-known tokens, never put real data here", "data", st.data)
	return sv, nil
}

// demoPassphrase returns the demo key ring's passphrase: the environment's, else the one the demo wrote.
func demoPassphrase(a *app, st storage) ([]byte, error) {
	if v := a.getenv(passEnv); v != "" {
		return []byte(v), nil
	}
	b, err := os.ReadFile(filepath.Join(st.data, demoPassFile))
	if err != nil {
		return nil, fmt.Errorf("demo key ring in %s: set %s to its passphrase (%w)", st.data, passEnv, err)
	}
	return []byte(strings.TrimSpace(string(b))), nil
}

func metaOf(ctx context.Context, db store.Store, key string) (v string, err error) {
	err = db.View(ctx, func(tx store.Tx) error {
		v, err = tx.Meta(key)
		if errors.Is(err, cleared.ErrNotFound) {
			v, err = "", nil
		}
		return err
	})
	return v, err
}

func countPersons(ctx context.Context, db store.Store) (n int, err error) {
	err = db.View(ctx, func(tx store.Tx) error {
		n, err = tx.CountPersons()
		return err
	})
	return n, err
}
