package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/cleared/cleared/keyring/webhook"
	"log/slog"
	"net"
	"net/mail"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/notify"
)

// notifyOptions are serve's flags for the notifications that leave cleared (A13.1, package notify): the mail server
// and the webhook calls.
type notifyOptions struct {
	smtpAddr, smtpFrom, smtpUser, smtpPassFile, smtpHello string
	smtpStartTLS                                          bool
	smtpTimeout, webhookTimeout                           time.Duration
	webhookLoopbackHTTP                                   bool
	workers                                               int
}

func notifyFlags(fs *flag.FlagSet) *notifyOptions {
	o := &notifyOptions{}
	fs.StringVar(&o.smtpAddr, "smtp-addr", "", "the mail server (host:port) that relays cleared's e-mails, such as incident warnings (A13.1); without it, e-mails wait in the outbox, never dropped, until a server is configured")
	fs.StringVar(&o.smtpFrom, "smtp-from", "", "the sender address of cleared's e-mails (required with --smtp-addr)")
	fs.StringVar(&o.smtpUser, "smtp-username", "", "user name for the mail server's AUTH PLAIN, only over TLS (or to a loopback server)")
	fs.StringVar(&o.smtpPassFile, "smtp-password-file", "", "file holding the password of --smtp-username")
	fs.BoolVar(&o.smtpStartTLS, "smtp-starttls", false, "require STARTTLS: refuse to send to a mail server that does not offer it (without this flag STARTTLS is still used whenever offered, and its certificate must verify)")
	fs.StringVar(&o.smtpHello, "smtp-hello", "", "the name cleared gives in EHLO; default: the host of --public-url")
	fs.DurationVar(&o.smtpTimeout, "smtp-timeout", 30*time.Second, "bound of one attempt to hand an e-mail to the mail server")
	fs.DurationVar(&o.webhookTimeout, "webhook-timeout", 10*time.Second, "bound of one webhook call; a receiver slower than this is tried again later")
	fs.BoolVar(&o.webhookLoopbackHTTP, "webhook-allow-http-loopback", false, "accept webhook endpoints in plain http:// to a loopback host (a receiver on this machine, tests); every other endpoint is https://")
	fs.IntVar(&o.workers, "notify-workers", 16, "how many e-mails and webhook calls are sent at once")
	return o
}

// check refuses flags that cannot work together.
func (o *notifyOptions) check() error {
	if o.smtpAddr == "" {
		if o.smtpFrom != "" || o.smtpUser != "" || o.smtpPassFile != "" || o.smtpStartTLS {
			return usagef("--smtp-from, --smtp-username, --smtp-password-file and --smtp-starttls go with --smtp-addr")
		}
	} else {
		if _, _, err := net.SplitHostPort(o.smtpAddr); err != nil {
			return usagef("--smtp-addr %q: want host:port, e.g. mail.example.lu:587", o.smtpAddr)
		}
		if _, err := mail.ParseAddress(o.smtpFrom); err != nil {
			return usagef("--smtp-addr needs --smtp-from, the sender address (e.g. cleared@ans.example.lu)")
		}
		if (o.smtpUser == "") != (o.smtpPassFile == "") {
			return usagef("--smtp-username and --smtp-password-file go together")
		}
	}
	if o.webhookTimeout <= 0 || o.smtpTimeout <= 0 || o.workers < 1 {
		return usagef("--webhook-timeout, --smtp-timeout and --notify-workers must be positive")
	}
	return nil
}

// config is the dispatcher's configuration, the mail password read from its file; helloHost names cleared in EHLO
// when --smtp-hello is not given.
func (o *notifyOptions) config(helloHost string, log *slog.Logger) (notify.Config, error) {
	m := notify.SMTP{Addr: o.smtpAddr, From: o.smtpFrom, Username: o.smtpUser, RequireTLS: o.smtpStartTLS,
		Hello: o.smtpHello, Timeout: o.smtpTimeout}
	if m.Hello == "" {
		m.Hello = helloHost
	}
	if o.smtpPassFile != "" {
		b, err := os.ReadFile(o.smtpPassFile)
		if err != nil {
			return notify.Config{}, fmt.Errorf("--smtp-password-file: %w", err)
		}
		if m.Password = strings.TrimRight(string(b), "\r\n"); m.Password == "" {
			return notify.Config{}, fmt.Errorf("--smtp-password-file %s is empty", o.smtpPassFile)
		}
	}
	return notify.Config{Mail: m, WebhookTimeout: o.webhookTimeout, Workers: o.workers, Log: log}, nil
}

// waker is the registry's Wake, bound to the dispatcher once it exists: the services are built before it, over the
// store it reads.
type waker struct {
	d atomic.Pointer[notify.Dispatcher]
}

func (w *waker) Wake() {
	if d := w.d.Load(); d != nil {
		d.Wake()
	}
}

// startNotify builds the dispatcher over the server's services and runs it until ctx ends; the returned function
// stops it and waits for the sends under way. Without a mail server it says so loudly: e-mails wait, never dropped.
func startNotify(ctx context.Context, sv services, cfg notify.Config, wk *waker, log *slog.Logger) (stop func(), err error) {
	cfg.Store, cfg.Ring = sv.db, sv.ring
	d, err := notify.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	if cfg.Mail.Addr == "" {
		log.Error("NO MAIL SERVER: cleared serve has no --smtp-addr; incident warnings by e-mail (A13.1) wait in the outbox, retried, until one is configured")
	} else {
		log.Info("notifications by e-mail", "smtp", cfg.Mail.Addr, "from", cfg.Mail.From, "require_starttls", cfg.Mail.RequireTLS)
	}
	wk.d.Store(d)
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	return func() { cancel(); <-done }, nil
}

// saveWebhookKey makes cleared's webhook signing key in the ring if it holds none, and saves the ring with it, so
// that receivers keep the public key they were given across restarts.
func saveWebhookKey(ring *keyring.Ring, path string, pass []byte, c serviceConfig) error {
	_, made, err := webhook.EnsureKey(ring)
	if err != nil || !made {
		return err
	}
	if err := keyring.Save(path, ring, pass); err != nil {
		return fmt.Errorf("save the key ring with its new webhook key: %w", err)
	}
	logger(c).Warn("webhooks: the key ring had no webhook signing key; made one and saved the ring")
	return nil
}
