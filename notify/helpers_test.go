package notify_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"github.com/cleared/cleared/keyring/webhook"
	"io"
	"log/slog"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/notify"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
)

// env is one test's outbox: a store whose rows are sealed, the key ring, an organisation to register endpoints of.
type env struct {
	store store.Store
	ring  *keyring.Ring
	org   cleared.OrganisationID
	// woken is the dispatcher started last: enqueue wakes it, as the registry does after its commit.
	woken *notify.Dispatcher
}

// onBothDatabases runs f over SQLite, and over PostgreSQL when CLEARED_TEST_POSTGRES names a database (in a schema
// of its own, dropped at the end).
func onBothDatabases(t *testing.T, f func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) {
		st, err := sqlite.Open(t.Context(), t.TempDir()+"/cleared.db")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		f(t, newEnv(t, st))
	})
	t.Run("postgres", func(t *testing.T) {
		st := openPostgres(t)
		f(t, newEnv(t, st))
	})
}

type sealable interface {
	store.Store
	SetSealKey(key []byte) error
}

// openPostgres opens the PostgreSQL store of the test harness (skipped when CLEARED_TEST_POSTGRES is not set).
func openPostgres(tb testing.TB) sealable {
	st, _ := testenv.Postgres(tb, "cleared_notify_")
	return st
}

func newEnv(tb testing.TB, st sealable) *env {
	tb.Helper()
	ring, err := keyring.New()
	if err != nil {
		tb.Fatal(err)
	}
	if err := st.SetSealKey(ring.NewRegisterKey()); err != nil {
		tb.Fatal(err)
	}
	org := cleared.Organisation{ID: cleared.NewOrganisationID(), Name: "Haut-Commissariat à la Protection nationale",
		Kind: cleared.PublicBody, Country: "LU", Created: time.Now().UTC().Add(-time.Hour)}
	if err := st.Update(context.Background(), func(tx store.Tx) error { return tx.CreateOrganisation(org) }); err != nil {
		tb.Fatal(err)
	}
	return &env{store: st, ring: ring, org: org.ID}
}

// webhook registers an endpoint at u in the scheme given, as the registry does; it returns it and, for HMAC, the
// secret shown once.
func (e *env) webhook(tb testing.TB, u string, scheme cleared.WebhookScheme) (cleared.Webhook, []byte) {
	tb.Helper()
	w := cleared.Webhook{ID: cleared.NewWebhookID(), OrganisationID: e.org, URL: u, Scheme: scheme,
		CreatedBy: cleared.NewPersonID(), Created: time.Now().UTC()}
	var secret []byte
	if scheme == cleared.WebhookHMAC {
		secret = webhook.NewSecret()
		var err error
		if w.KEK, w.Secret, err = e.ring.SealValue(webhook.SecretPurpose(w.ID), secret); err != nil {
			tb.Fatal(err)
		}
	}
	if err := e.store.Update(context.Background(), func(tx store.Tx) error { return tx.CreateWebhook(w) }); err != nil {
		tb.Fatal(err)
	}
	return w, secret
}

// email and call build a message due now, about cause.
func email(cause, to, subject, body string) cleared.Delivery {
	now := time.Now().UTC()
	return cleared.Delivery{ID: cleared.NewDeliveryID(), Medium: cleared.MediumEmail, Recipient: cleared.NewPersonID(),
		Address: to, Subject: subject, Body: []byte(body), Cause: cause, Created: now, NextAttempt: now}
}

func call(cause string, w cleared.Webhook, body string) cleared.Delivery {
	now := time.Now().UTC()
	return cleared.Delivery{ID: cleared.NewDeliveryID(), Medium: cleared.MediumWebhook, Address: string(w.ID),
		Subject: "incident", Body: []byte(body), Cause: cause, Created: now, NextAttempt: now}
}

func (e *env) enqueue(tb testing.TB, ds ...cleared.Delivery) {
	tb.Helper()
	err := e.store.Update(context.Background(), func(tx store.Tx) error {
		for _, d := range ds {
			if err := tx.EnqueueDelivery(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if e.woken != nil {
		e.woken.Wake()
	}
}

func (e *env) delivery(tb testing.TB, id cleared.DeliveryID) cleared.Delivery {
	tb.Helper()
	var d cleared.Delivery
	err := e.store.View(context.Background(), func(tx store.Tx) error {
		var err error
		d, err = tx.Delivery(id)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// fast is a back-off for tests: retries within a few tens of milliseconds.
var fast = notify.Backoff{Base: 20 * time.Millisecond, Max: 80 * time.Millisecond, Jitter: 0.2}

// start runs a dispatcher over e with cfg's SMTP and back-off until the test ends or stop is called; stop waits for
// it to return.
func (e *env) start(tb testing.TB, cfg notify.Config) (d *notify.Dispatcher, stop func()) {
	tb.Helper()
	cfg.Store, cfg.Ring = e.store, e.ring
	if cfg.Backoff == (notify.Backoff{}) {
		cfg.Backoff = fast
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	d, err := notify.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	e.woken = d
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	tb.Cleanup(stop)
	return d, stop
}

// eventually waits up to 10 s for cond.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	tb.Fatalf("%s: not within 10 s", what)
}

// smtpServer is a small SMTP server in the test's process: it accepts every message, or, while down, answers each
// connection "421" and closes it, as a mail server that is stopping does.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	down bool
	got  []received
	// tls, if set, is offered by STARTTLS; AUTH PLAIN is then offered over it, and auth holds what it received.
	tls  *tls.Config
	auth []string
	// arrived is signalled (without blocking) at each message.
	arrived chan struct{}
}

// received is one message as the server read it.
type received struct {
	At       time.Time
	From, To string
	Msg      *mail.Message
	Body     string // decoded from quoted-printable
	TLS      bool   // received after STARTTLS
}

func newSMTPServer(tb testing.TB) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &smtpServer{ln: ln, arrived: make(chan struct{}, 1)}
	go s.serve()
	tb.Cleanup(func() { ln.Close() })
	return s
}

func (s *smtpServer) Addr() string { return s.ln.Addr().String() }

func (s *smtpServer) setDown(down bool) { s.mu.Lock(); s.down = down; s.mu.Unlock() }

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

func (s *smtpServer) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.session(c)
	}
}

func (s *smtpServer) session(c net.Conn) {
	defer func() { c.Close() }()
	tp := textproto.NewConn(c)
	s.mu.Lock()
	down, conf := s.down, s.tls
	s.mu.Unlock()
	if down {
		tp.PrintfLine("421 test server not available")
		return
	}
	tp.PrintfLine("220 test ESMTP")
	var from, to string
	secure := false
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			tp.PrintfLine("250-test greets %s", arg)
			if conf != nil && !secure {
				tp.PrintfLine("250-STARTTLS")
			}
			if secure {
				tp.PrintfLine("250-AUTH PLAIN")
			}
			tp.PrintfLine("250 8BITMIME")
		case "STARTTLS":
			tp.PrintfLine("220 go ahead")
			tc := tls.Server(c, conf)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, tp, secure = tc, textproto.NewConn(tc), true
		case "AUTH":
			mech, b64, _ := strings.Cut(arg, " ")
			raw, err := base64.StdEncoding.DecodeString(b64)
			if !secure || mech != "PLAIN" || err != nil {
				tp.PrintfLine("535 no")
				continue
			}
			s.mu.Lock()
			s.auth = append(s.auth, string(raw))
			s.mu.Unlock()
			tp.PrintfLine("235 ok")
		case "HELO", "RSET", "NOOP":
			tp.PrintfLine("250 ok")
		case "MAIL":
			from = strings.Trim(strings.TrimPrefix(arg, "FROM:"), "<>")
			if i := strings.Index(from, ">"); i >= 0 {
				from = from[:i]
			}
			tp.PrintfLine("250 ok")
		case "RCPT":
			to = strings.Trim(strings.TrimPrefix(arg, "TO:"), "<>")
			tp.PrintfLine("250 ok")
		case "DATA":
			tp.PrintfLine("354 go ahead")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			r := received{At: time.Now(), From: from, To: to, TLS: secure}
			if r.Msg, err = mail.ReadMessage(strings.NewReader(string(data))); err != nil {
				tp.PrintfLine("554 malformed: %v", err)
				continue
			}
			b, _ := io.ReadAll(quotedprintable.NewReader(r.Msg.Body))
			r.Body = string(b)
			s.mu.Lock()
			s.got = append(s.got, r)
			s.mu.Unlock()
			select {
			case s.arrived <- struct{}{}:
			default:
			}
			tp.PrintfLine("250 queued")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("502 unknown command")
		}
	}
}

// testCert returns a TLS configuration for a server at 127.0.0.1 with a fresh self-signed certificate, and the pool
// of roots that trusts it.
func testCert(tb testing.TB) (*tls.Config, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test smtp"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

// receiver is a webhook endpoint that verifies each call as a receiver would (notify.VerifyWebhook), and answers
// the status its fail function gives (200 when nil).
type receiver struct {
	srv  *httptest.Server
	mu   sync.Mutex
	key  any
	fail func() int
	got  []call1
	bad  []error
}

// call1 is one verified call.
type call1 struct {
	At       time.Time
	Delivery string
	Body     string
}

func newReceiver(tb testing.TB) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(bufio.NewReader(req.Body))
		r.mu.Lock()
		defer r.mu.Unlock()
		if err := notify.VerifyWebhook(req.Header, body, r.key, time.Now(), 0); err != nil {
			r.bad = append(r.bad, err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if r.fail != nil {
			if code := r.fail(); code != 0 {
				w.WriteHeader(code)
				return
			}
		}
		r.got = append(r.got, call1{At: time.Now(), Delivery: req.Header.Get(notify.HeaderDelivery), Body: string(body)})
	}))
	tb.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) setKey(k any) { r.mu.Lock(); r.key = k; r.mu.Unlock() }

func (r *receiver) calls() []call1 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call1(nil), r.got...)
}

func publicKey(tb testing.TB, ring *keyring.Ring) ed25519.PublicKey {
	k, err := webhook.PublicKey(ring)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func decodeHeader(tb testing.TB, v string) string {
	s, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
