package web_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
)

// liveEnv is the server over TLS with the sharing world: partners present the client certificates of sw.
type liveEnv struct {
	t   *testing.T
	te  *testenv.Env
	sw  *testenv.SharingWorld
	ca  *pki.CA
	srv *httptest.Server
}

func newLiveEnv(t *testing.T) *liveEnv {
	t.Helper()
	te := testenv.New(t, testenv.Options{Now: time.Now})
	ca, err := pki.NewCA("cleared test CA", time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	sw := testenv.NewSharingWorld(t, te, ca)
	srv := startPartnerServer(t, te, ca, slog.New(slog.DiscardHandler))
	return &liveEnv{t: t, te: te, sw: sw, ca: ca, srv: srv}
}

func (e *liveEnv) client(cert ...tls.Certificate) *http.Client {
	c := partnerClient(e.t, e.ca, cert...)
	c.Timeout = 0 // a stream stays open
	return c
}

// event is one server-sent event.
type event struct{ id, kind, data string }

// stream opens the live feed and returns its events as they come, and the status.
func (e *liveEnv) stream(ctx context.Context, c *http.Client, query string, header ...string) (<-chan event, int, string) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+"/live/feed"+query, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return nil, res.StatusCode, string(b)
	}
	out := make(chan event, 100)
	go func() {
		defer res.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		var ev event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.id != "" || ev.kind != "" {
					out <- ev
				}
				ev = event{}
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.kind = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.data += line[6:]
			}
		}
	}()
	return out, res.StatusCode, res.Header.Get("Content-Type")
}

func next(t *testing.T, c <-chan event) event {
	t.Helper()
	select {
	case ev, ok := <-c:
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return event{}
}

func TestLive_S1_each_partner_streams_its_own_and_resumes(t *testing.T) {
	e := newLiveEnv(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	nato, status, ctype := e.stream(ctx, e.client(e.sw.NATOCert), "?format=json")
	if status != http.StatusOK || ctype != "text/event-stream; charset=utf-8" {
		t.Fatalf("live feed: %d %s", status, ctype)
	}
	cert, _, _ := e.stream(ctx, e.client(e.sw.CERTCert), "")
	// What was released before the connection comes first, in order; the ids are positions sealed for the partner,
	// not the sequence numbers that count other partners' releases.
	seen := map[string]bool{}
	for _, title := range []string{e.sw.SecretPiece.Title, e.sw.ConfidentialPiece.Title, e.sw.OpenPiece.Title} {
		ev := next(t, nato)
		if ev.kind != "product" || !strings.Contains(ev.data, title) || seen[ev.id] || len(ev.id) != 22 {
			t.Fatalf("NATO's backlog: %+v, want %q with a new opaque id", ev, title)
		}
		seen[ev.id] = true
	}
	if ev := next(t, cert); ev.kind != "product" || !strings.Contains(ev.data, `"type":"bundle"`) || !strings.Contains(ev.data, "TLP:GREEN") && !strings.Contains(ev.data, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb") {
		t.Fatalf("the CERT's one product, as a STIX bundle marked TLP:GREEN: %+v", ev)
	}

	// A new release to the CERT group reaches the CERT at once, and not NATO.
	p, err := e.te.Reg.Classify(e.te.Ctx, e.sw.Originator, newProductPiece(e, "Fresh indicators"))
	if err != nil {
		t.Fatal(err)
	}
	if p, err = e.te.Reg.Declassify(e.te.Ctx, e.sw.Originator, p.ID, declassification()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rel, err := e.te.Share.Release(e.te.Ctx, e.sw.Originator, p.ID, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Groups: []string{"cert"}}}, TLP: cleared.TLPClear})
	if err != nil {
		t.Fatal(err)
	}
	ev := next(t, cert)
	if ev.kind != "product" || ev.id == "" || !strings.Contains(ev.data, "Fresh indicators") {
		t.Fatalf("the new product: %+v", ev)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the new product took %v to arrive (S1: in real time)", d)
	}
	select {
	case ev := <-nato:
		t.Fatalf("NATO was sent a product released to CERTs only: %+v", ev)
	case <-time.After(200 * time.Millisecond):
	}

	// Revoked: the CERT, which received it, is told; resuming after the last id gives nothing old again.
	if _, err := e.te.Share.Revoke(e.te.Ctx, e.sw.Originator, rel.ID, "mistaken"); err != nil {
		t.Fatal(err)
	}
	rev := next(t, cert)
	if rev.kind != "revoked" {
		t.Fatalf("after the revocation: %+v", rev)
	}
	cancel()
	ctx2, cancel2 := context.WithCancel(t.Context())
	defer cancel2()
	again, _, _ := e.stream(ctx2, e.client(e.sw.CERTCert), "", "Last-Event-ID", rev.id)
	select {
	case ev := <-again:
		t.Fatalf("resumed after %s, got %+v", rev.id, ev)
	case <-time.After(300 * time.Millisecond):
	}
}

func TestLive_S1_refusals(t *testing.T) {
	e := newLiveEnv(t)
	ctx := t.Context()
	if _, status, _ := e.stream(ctx, e.client(), ""); status != http.StatusUnauthorized {
		t.Errorf("no certificate: %d, want 401", status)
	}
	// A certificate of the server's CA that no partner's record lists.
	certPEM, keyPEM, _, _, err := e.ca.IssuePartner(cleared.NewOrganisationID(), time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	if _, status, _ := e.stream(ctx, e.client(stranger), ""); status != http.StatusUnauthorized {
		t.Errorf("unknown certificate: %d, want 401", status)
	}
	for _, q := range []string{"?format=xml", "?after=-1", "?after=x", "?colour=blue"} {
		if _, status, body := e.stream(ctx, e.client(e.sw.NATOCert), q); status != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", q, status, body)
		}
	}
	// Suspended: the refusal, with its rule, not a stream.
	nsa := cleared.Actor{Person: e.te.World.Helene.ID}
	eu := e.sw.EU
	if _, err := e.te.Share.RecordPartner(e.te.Ctx, nsa, eu.Organisation, sharing.NewPartner{Scheme: eu.Scheme, MaxLevel: eu.MaxLevel,
		Channels: eu.Channels, Certificates: eu.Certificates, AccreditedFrom: eu.AccreditedFrom, Suspended: true}); err != nil {
		t.Fatal(err)
	}
	if _, status, body := e.stream(ctx, e.client(e.sw.EUCert), ""); status != http.StatusUnauthorized && status != http.StatusForbidden {
		t.Errorf("suspended partner: %d %s", status, body)
	}
}

func newProductPiece(e *liveEnv, title string) registry.NewPiece {
	return registry.NewPiece{Authority: e.te.World.PaulAuth.ID, Kind: cleared.Electronic, Title: title, Level: cleared.Restricted,
		Reasons: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: time.Now().AddDate(1, 0, 0),
		Content: testenv.Product(title, 3), ContentType: "application/json"}
}

func declassification() registry.Declassification {
	return registry.Declassification{Reason: "indicators seen in the open"}
}

func TestMISPFeed_S1_A11_2(t *testing.T) {
	e := newLiveEnv(t)
	get := func(c *http.Client, path string) (int, string, string) {
		t.Helper()
		res, err := c.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), string(b)
	}
	eu, cert := e.client(e.sw.EUCert), e.client(e.sw.CERTCert)
	status, ctype, manifest := get(eu, "/misp/feed/manifest.json")
	if status != http.StatusOK || ctype != "application/json" {
		t.Fatalf("manifest: %d %s %s", status, ctype, manifest)
	}
	secret, conf, open := sharing.ReleaseUUID(e.sw.SecretRelease.ID), sharing.ReleaseUUID(e.sw.ConfidentialRelease.ID), sharing.ReleaseUUID(e.sw.OpenRelease.ID)
	if strings.Contains(manifest, secret) || !strings.Contains(manifest, conf) || !strings.Contains(manifest, open) {
		t.Fatalf("the EU's manifest must list the CONFIDENTIEL and the open product, not the SECRET one:\n%s", manifest)
	}
	status, _, ev := get(eu, "/misp/feed/"+conf+".json")
	if status != http.StatusOK || !strings.Contains(ev, `euci:`) || !strings.Contains(ev, `"tlp:amber"`) {
		t.Fatalf("the EU's event, tagged in its taxonomy: %d %s", status, ev)
	}
	// Another partner's product is not found, as one that never existed.
	if status, _, _ := get(eu, "/misp/feed/"+secret+".json"); status != http.StatusNotFound {
		t.Errorf("the SECRET product to the EU: %d, want 404", status)
	}
	if status, _, body := get(cert, "/misp/feed/manifest.json"); status != http.StatusOK || strings.Contains(body, conf) || !strings.Contains(body, open) {
		t.Errorf("the CERT's manifest: %d %s", status, body)
	}
	if status, ctype, body := get(cert, "/misp/feed/hashes.csv"); status != http.StatusOK || ctype != "text/csv; charset=utf-8" || !strings.Contains(body, open) {
		t.Errorf("hashes: %d %s %s", status, ctype, body)
	}
	for _, path := range []string{"/misp/feed/nothing.txt", "/misp/feed/" + strings.ToUpper(open) + ".json", "/misp/feed/manifest.json?x=1"} {
		if status, _, _ := get(cert, path); status != http.StatusNotFound && status != http.StatusBadRequest {
			t.Errorf("%s: %d", path, status)
		}
	}
	if status, _, _ := get(e.client(), "/misp/feed/manifest.json"); status != http.StatusUnauthorized {
		t.Errorf("no certificate: %d", status)
	}
	// A11.2: the EU's fetch is a transmission of the CONFIDENTIEL piece to it.
	sent, err := e.te.Reg.Recipients(e.te.Ctx, e.sw.Originator, e.sw.ConfidentialPiece.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || sent[0].RecipientOrganisation != e.sw.EU.Organisation {
		t.Fatalf("recipients of the CONFIDENTIEL product: %+v, want the EU once", sent)
	}
}
