package web_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/web"
)

var (
	loadFor     = flag.Duration("load", 0, "run the HTTP load test for this long (e.g. 20s); 0 skips it")
	loadWorkers = flag.Int("load-workers", 32, "concurrent clients of the load test")
	loadWrk     = flag.Bool("load-wrk", false, "with -load, drive the piece reads with wrk (Debian package wrk) instead of the Go generator")
	loadRate    = flag.Int("load-rate", 0, "offer this many requests per second on a fixed schedule instead of as many as the clients can send (open loop)")
)

// loadRig is the whole stack of a piece read: TLS with a client certificate of the zone's terminal, Sophie's
// session cookie, the policy, the audit append, the decryption of a 10 KiB piece, on SQLite in a file.
type loadRig struct {
	url    string
	client *http.Client
	cookie *http.Cookie
	close  func()
}

// newLoadRig builds the rig. With noClientCert, the browser presents no certificate and the session's terminal is
// the one chosen at sign-in, as in the demonstration (web.Config.DemoTerminals): for a load generator that cannot
// present a client certificate (wrk). Everything else a request costs is the same.
func newLoadRig(tb testing.TB, noClientCert bool) *loadRig {
	tb.Helper()
	ctx := context.Background()
	te := testenv.New(tb, testenv.Options{Now: time.Now})
	st, svc, w := te.Store, te.Reg, te.World
	now := time.Now().UTC()
	content := make([]byte, 10<<10)
	for i := range content {
		content[i] = byte('a' + i%26)
	}
	p, err := svc.Classify(ctx, cleared.Actor{Person: w.Director.ID, Terminal: w.ZoneTerm.ID}, registry.NewPiece{Authority: w.DirectorAuth.ID,
		Kind: cleared.Electronic, Title: "Charge de 10 Kio", Level: cleared.Secret, Reasons: []cleared.Reason{cleared.ReasonSecurity},
		Content: content, ContentType: "text/plain", ReviewOn: now.AddDate(5, 0, 0)})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := svc.Grant(ctx, cleared.Actor{Person: w.Director.ID}, registry.NewGrant{PersonID: w.Sophie.ID, Piece: p.ID,
		Until: now.AddDate(0, 1, 0), Reason: "load test"}); err != nil {
		tb.Fatal(err)
	}

	ca, err := pki.NewCA("cleared load test", now)
	if err != nil {
		tb.Fatal(err)
	}
	srvCert, srvKey, err := ca.IssueServer([]string{"127.0.0.1"}, now, time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	cliCert, cliKey, _, err := svc.IssueTerminalCertificate(ctx, registry.NewTerminalCertificate{Terminal: w.ZoneTerm.ID, TTL: time.Hour}, ca)
	if err != nil {
		tb.Fatal(err)
	}
	h := web.New(web.Config{Registry: svc, Auth: te.Auth, Ready: st.Ping, Log: slog.New(slog.DiscardHandler), DemoTerminals: noClientCert})
	srv := httptest.NewUnstartedServer(h)
	sc, err := tls.X509KeyPair(srvCert, srvKey)
	if err != nil {
		tb.Fatal(err)
	}
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{sc}, ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: ca.Pool(), MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	cc, err := tls.X509KeyPair(cliCert, cliKey)
	if err != nil {
		tb.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Certificate())
	clientTLS := &tls.Config{Certificates: []tls.Certificate{cc}, RootCAs: roots}
	if noClientCert {
		clientTLS.Certificates = nil
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: clientTLS, MaxIdleConnsPerHost: 256}}

	in, err := te.Auth.Login(ctx, auth.LoginInput{Login: "sophie", Password: demo.Password("sophie"), Terminal: w.ZoneTerm.ID})
	if err != nil {
		tb.Fatal(err)
	}
	code, _ := account.TOTPCode(demo.TOTPSecret("sophie"), time.Now())
	// The second factor replaces the session's secret (no session fixation): the new one is the cookie.
	active, err := te.Auth.SecondFactor(ctx, in.Secret, w.ZoneTerm.ID, code)
	if err != nil {
		tb.Fatal(err)
	}
	return &loadRig{url: srv.URL + "/ui/pieces/" + string(p.ID) + "/content", client: client,
		cookie: &http.Cookie{Name: "cleared_session", Value: active.Secret},
		close:  func() { srv.Close(); st.Close() }}
}

// get reads the piece once and checks the answer.
func (r *loadRig) get() error {
	req, _ := http.NewRequest(http.MethodGet, r.url, nil)
	req.AddCookie(r.cookie)
	res, err := r.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		return err
	}
	// A7.1: the 10 KiB text comes set on stamped pages, a PDF of its own size with the text attached.
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || n < 10<<10 {
		return fmt.Errorf("status %d, %q, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), n)
	}
	return nil
}

// BenchmarkPieceReadHTTP reads a 10 KiB piece through the whole stack, from parallel clients.
func BenchmarkPieceReadHTTP(b *testing.B) {
	r := newLoadRig(b, false)
	defer r.close()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := r.get(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// TestLoadPieceReads measures requests per second and latency percentiles of piece reads through the whole
// stack, and beside it the same TLS server answering 10 KiB from memory with nothing else (the ceiling of Go's
// HTTPS on this machine). Run with -load 20s; figures go in docs/benchmarks.md.
func TestLoadPieceReads(t *testing.T) {
	if *loadFor == 0 {
		t.Skip("run with -load DURATION")
	}
	defer web.TuneGC()() // as cleared serve runs
	r := newLoadRig(t, false)
	defer r.close()
	if err := r.get(); err != nil {
		t.Fatal(err)
	}
	full := runLoad(t, r.get, *loadFor, *loadWorkers, *loadRate)
	t.Logf("cleared piece read (TLS+mTLS, session, policy, audit, decrypt 10 KiB): %s", full)

	blob := make([]byte, 10<<10)
	bare := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(blob) }))
	bare.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	bare.StartTLS()
	defer bare.Close()
	c := bare.Client()
	c.Transport.(*http.Transport).MaxIdleConnsPerHost = 256
	bareGet := func() error {
		res, err := c.Get(bare.URL)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		_, err = io.Copy(io.Discard, res.Body)
		return err
	}
	t.Logf("beside it, bare net/http over TLS serving 10 KiB from memory: %s", runLoad(t, bareGet, *loadFor, *loadWorkers, *loadRate))
}

type loadResult struct {
	n             int64
	errors        int64
	rate          float64
	p50, p99, max time.Duration
}

func (r loadResult) String() string {
	return fmt.Sprintf("%d requests, %d errors, %.0f req/s, p50 %v, p99 %v, max %v", r.n, r.errors, r.rate,
		r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.max.Round(10*time.Microsecond))
}

// runLoad sends requests from workers clients for d. With rate 0, each client sends its next request as soon as
// the last is answered (closed loop: the figure is the most the server answers). With a rate, requests are due on a
// fixed schedule of rate per second, and a request's latency counts from when it was due, not from when a client
// was free to send it: a server that falls behind shows it in the percentiles (no coordinated omission).
func runLoad(t *testing.T, get func() error, d time.Duration, workers, rate int) loadResult {
	if rate > 0 {
		// Every client opens its connection (a TLS handshake each) before the schedule starts.
		runLoad(t, get, time.Second, workers, 0)
	}
	var errs atomic.Int64
	lats := make([][]time.Duration, workers)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	var due chan time.Time
	if rate > 0 {
		due = make(chan time.Time, rate) // a second of backlog at most; beyond, the schedule waits
		go func() {
			defer close(due)
			every := time.Second / time.Duration(rate)
			for at := start; at.Before(deadline); at = at.Add(every) {
				time.Sleep(time.Until(at))
				due <- at
			}
		}()
	}
	for i := range workers {
		wg.Go(func() {
			for {
				var s time.Time
				if due != nil {
					at, ok := <-due
					if !ok {
						return
					}
					s = at
				} else if s = time.Now(); !s.Before(deadline) {
					return
				}
				if err := get(); err != nil {
					if errs.Add(1) == 1 {
						t.Log(err)
					}
					continue
				}
				lats[i] = append(lats[i], time.Since(s))
			}
		})
	}
	wg.Wait()
	el := time.Since(start)
	all := slices.Concat(lats...)
	slices.Sort(all)
	res := loadResult{n: int64(len(all)), errors: errs.Load(), rate: float64(len(all)) / el.Seconds()}
	if len(all) > 0 {
		res.p50, res.p99, res.max = all[len(all)/2], all[len(all)*99/100], all[len(all)-1]
	}
	return res
}

// TestLoadPieceReadsWrk drives the same piece reads with wrk, a load generator in C that costs the shared cores far
// less than Go's HTTP client, beside the bare TLS server. wrk presents no client certificate, so the rig binds the
// session to the zone terminal at sign-in (demonstration mode); the terminal's certificate lookup, cached, is the
// only part a request skips. Run with -load 20s -load-wrk.
func TestLoadPieceReadsWrk(t *testing.T) {
	if *loadFor == 0 || !*loadWrk {
		t.Skip("run with -load DURATION -load-wrk")
	}
	defer web.TuneGC()() // as cleared serve runs
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		t.Skip("wrk is not installed (apt-get install wrk)")
	}
	r := newLoadRig(t, true)
	defer r.close()
	if err := r.get(); err != nil {
		t.Fatal(err)
	}
	run := func(url string, header ...string) string {
		args := []string{"-t1", "-c" + strconv.Itoa(*loadWorkers), "-d" + loadFor.String(), "--latency"}
		for _, h := range header {
			args = append(args, "-H", h)
		}
		out, err := exec.Command(wrk, append(args, url)...).CombinedOutput()
		if err != nil {
			t.Fatalf("wrk: %v\n%s", err, out)
		}
		if strings.Contains(string(out), "Non-2xx") {
			t.Fatalf("wrk saw refusals:\n%s", out)
		}
		return string(out)
	}
	t.Logf("cleared piece read (TLS, session, policy, audit, decrypt 10 KiB), wrk:\n%s", run(r.url, "Cookie: cleared_session="+r.cookie.Value))

	blob := make([]byte, 10<<10)
	bare := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(blob) }))
	bare.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	bare.StartTLS()
	defer bare.Close()
	t.Logf("beside it, bare net/http over TLS serving 10 KiB from memory, wrk:\n%s", run(bare.URL))
}
