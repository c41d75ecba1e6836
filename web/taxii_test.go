package web_test

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/web"
)

// The TAXII 2.1 server end to end over HTTPS with the partners' client certificates (issue 21 §3): the sharing
// world of testenv (NATO up to SECRET, the EU up to CONFIDENTIEL, a CERT that reads TLP) and its three releases.

const (
	taxiiAccept     = "application/taxii+json;version=2.1"
	taxiiCollection = "/taxii2/cleared/collections/2f6d1c8e-5a43-4b7e-9d1f-0c6e8a3b7d52/"
)

type taxiiEnv struct {
	t                    testing.TB
	te                   *testenv.Env
	sw                   *testenv.SharingWorld
	ca                   *pki.CA
	srv                  *httptest.Server
	nato, eu, cert, none *http.Client
	logs                 *lockedBuffer
}

func newTAXIIEnv(t testing.TB) *taxiiEnv {
	t.Helper()
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	te := testenv.New(t, testenv.Options{Log: log})
	ca, err := pki.NewCA("cleared test CA", time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	sw := testenv.NewSharingWorld(t, te, ca)
	srv := startPartnerServer(t, te, ca, log)
	e := &taxiiEnv{t: t, te: te, sw: sw, ca: ca, srv: srv, logs: logs}
	e.nato, e.eu, e.cert, e.none = e.client(sw.NATOCert), e.client(sw.EUCert), e.client(sw.CERTCert), e.client()
	return e
}

// startPartnerServer serves te's API over TLS with a server certificate of ca, asking for client certificates of
// ca: what partners' systems reach.
func startPartnerServer(t testing.TB, te *testenv.Env, ca *pki.CA, log *slog.Logger) *httptest.Server {
	t.Helper()
	certPEM, keyPEM, err := ca.IssueServer([]string{"127.0.0.1"}, time.Now().Add(-time.Minute), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(web.New(web.Config{Registry: te.Reg, Auth: te.Auth, Sharing: te.Share, Log: log}))
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert},
		ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: ca.Pool()}
	srv.Config.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError) // refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// partnerClient returns an HTTPS client that trusts ca and presents cert, if one is given.
func partnerClient(t testing.TB, ca *pki.CA, cert ...tls.Certificate) *http.Client {
	cfg := &tls.Config{RootCAs: ca.Pool()}
	if len(cert) == 1 {
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert[0], nil }
	}
	tr := &http.Transport{TLSClientConfig: cfg}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 20 * time.Second}
}

// client returns an HTTPS client that trusts the CA and presents cert, if one is given.
func (e *taxiiEnv) client(cert ...tls.Certificate) *http.Client {
	return partnerClient(e.t, e.ca, cert...)
}

// get sends GET path through c with the Accept header given ("" for TAXII 2.1's).
func (e *taxiiEnv) get(c *http.Client, path, accept string) response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if accept == "" {
		accept = taxiiAccept
	}
	req.Header.Set("Accept", accept)
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: body}
}

// taxiiObject is what the tests read of a STIX object.
type taxiiObject struct {
	ID       string          `json:"id"`
	Type     string          `json:"type"`
	Modified string          `json:"modified"`
	Revoked  bool            `json:"revoked"`
	Name     string          `json:"name"`
	Raw      json.RawMessage `json:"-"`
}

type taxiiEnvelope struct {
	More    bool              `json:"more"`
	Next    string            `json:"next"`
	Objects []json.RawMessage `json:"objects"`
}

// page reads one envelope answered 200 in TAXII's media type.
func (e *taxiiEnv) page(c *http.Client, path string) (taxiiEnvelope, []taxiiObject, response) {
	e.t.Helper()
	r := e.get(c, path, "")
	if r.status != http.StatusOK {
		e.t.Fatalf("GET %s: %d %s", path, r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != taxiiAccept {
		e.t.Fatalf("GET %s: Content-Type %q, want %q", path, ct, taxiiAccept)
	}
	var env taxiiEnvelope
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		e.t.Fatalf("GET %s: not an envelope: %v\n%s", path, err, r.body)
	}
	var objs []taxiiObject
	for _, raw := range env.Objects {
		var o taxiiObject
		if err := json.Unmarshal(raw, &o); err != nil {
			e.t.Fatal(err)
		}
		o.Raw = raw
		objs = append(objs, o)
	}
	return env, objs, r
}

// all walks every page of the partner's objects with limit n and returns them in order.
func (e *taxiiEnv) all(c *http.Client, n int) []taxiiObject {
	e.t.Helper()
	var out []taxiiObject
	next := ""
	for range 1000 {
		q := url.Values{"limit": {strconv.Itoa(n)}}
		if next != "" {
			q.Set("next", next)
		}
		env, objs, _ := e.page(c, taxiiCollection+"objects/?"+q.Encode())
		if len(objs) > n {
			e.t.Fatalf("a page of %d objects for limit %d", len(objs), n)
		}
		out = append(out, objs...)
		if !env.More {
			if env.Next != "" {
				e.t.Fatalf("next %q on the last page", env.Next)
			}
			return out
		}
		next = env.Next
	}
	e.t.Fatal("the pages never end")
	return nil
}

// wantTAXIIError checks a TAXII error message of the given status.
func wantTAXIIError(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != taxiiAccept {
		t.Errorf("Content-Type %q, want %q", ct, taxiiAccept)
	}
	var te struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		HTTPStatus  string `json:"http_status"`
	}
	if err := json.Unmarshal(r.body, &te); err != nil || te.Title == "" || te.HTTPStatus != strconv.Itoa(status) {
		t.Errorf("not a TAXII error message of status %d: %s (%v)", status, r.body, err)
	}
}

func reportID(r cleared.Release) string { return "report--" + sharing.ReleaseUUID(r.ID) }

// reports returns the ids of the reports among objs, in order.
func reports(objs []taxiiObject) []string {
	var out []string
	for _, o := range objs {
		if o.Type == "report" {
			out = append(out, o.ID)
		}
	}
	return out
}

func TestTAXII_S1_partner_sees_only_its_releases(t *testing.T) {
	e := newTAXIIEnv(t)
	sw := e.sw
	secret, conf, open := reportID(sw.SecretRelease), reportID(sw.ConfidentialRelease), reportID(sw.OpenRelease)
	cases := []struct {
		name    string
		c       *http.Client
		want    []string
		hidden  []string
		marking string // a marking the partner's objects must carry
	}{
		{"NATO up to SECRET", e.nato, []string{secret, conf, open}, nil, "NATO SECRET"},
		{"EU up to CONFIDENTIEL", e.eu, []string{conf, open}, []string{secret}, "CONFIDENTIEL UE/EU CONFIDENTIAL"},
		{"CERT, TLP only", e.cert, []string{open}, []string{secret, conf}, "TLP:GREEN"},
	}
	notFound := e.get(e.nato, taxiiCollection+"objects/report--00000000-0000-4000-8000-000000000000/", "")
	wantTAXIIError(t, notFound, http.StatusNotFound)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			objs := e.all(c.c, 1000)
			if got := reports(objs); !slices.Equal(got, c.want) {
				t.Fatalf("reports %v, want %v", got, c.want)
			}
			var body bytes.Buffer
			for _, o := range objs {
				body.Write(o.Raw)
			}
			if !strings.Contains(body.String(), c.marking) {
				t.Errorf("no %q in the partner's objects", c.marking)
			}
			_, _, man := e.page(c.c, taxiiCollection+"manifest/")
			for _, h := range c.hidden {
				if strings.Contains(body.String(), h) || bytes.Contains(man.body, []byte(h)) {
					t.Errorf("%s is served to this partner", h)
				}
				// Another partner's object reads exactly as one that never existed.
				r := e.get(c.c, taxiiCollection+"objects/"+h+"/", "")
				if r.status != http.StatusNotFound || !bytes.Equal(r.body, notFound.body) {
					t.Errorf("another partner's object: %d %s, want the 404 of a missing one %s", r.status, r.body, notFound.body)
				}
			}
			for _, h := range []string{sw.SecretPiece.Title, "ORAGE network: infrastructure"} {
				if !slices.Contains(c.want, secret) && strings.Contains(body.String(), h) {
					t.Errorf("the SECRET product's title reaches this partner")
				}
			}
			// Its own object is served alone, in its current version.
			_, one, _ := e.page(c.c, taxiiCollection+"objects/"+c.want[0]+"/")
			if len(one) != 1 || one[0].ID != c.want[0] {
				t.Errorf("object %s: %v", c.want[0], one)
			}
		})
	}

	t.Run("discovery, API root and the collection", func(t *testing.T) {
		var disc struct {
			Default  string   `json:"default"`
			APIRoots []string `json:"api_roots"`
		}
		r := e.get(e.eu, "/taxii2/", "application/taxii+json")
		if err := json.Unmarshal(r.body, &disc); err != nil || r.status != 200 || disc.Default != "/taxii2/cleared/" {
			t.Fatalf("discovery %d %s", r.status, r.body)
		}
		var root struct {
			Versions []string `json:"versions"`
			Max      int      `json:"max_content_length"`
		}
		r = e.get(e.eu, disc.APIRoots[0], "")
		if err := json.Unmarshal(r.body, &root); err != nil || !slices.Equal(root.Versions, []string{taxiiAccept}) || root.Max != 8<<20 {
			t.Fatalf("API root %d %s", r.status, r.body)
		}
		var cols struct {
			Collections []struct {
				ID       string `json:"id"`
				CanRead  bool   `json:"can_read"`
				CanWrite bool   `json:"can_write"`
			} `json:"collections"`
		}
		r = e.get(e.eu, "/taxii2/cleared/collections/", "")
		if err := json.Unmarshal(r.body, &cols); err != nil || len(cols.Collections) != 1 || !cols.Collections[0].CanRead || !cols.Collections[0].CanWrite {
			t.Fatalf("collections %d %s", r.status, r.body)
		}
		if p := "/taxii2/cleared/collections/" + cols.Collections[0].ID + "/"; p != taxiiCollection {
			t.Fatalf("collection at %s, want %s", p, taxiiCollection)
		}
		if r := e.get(e.eu, taxiiCollection, ""); r.status != 200 || !bytes.Contains(r.body, []byte(`"can_read":true`)) {
			t.Fatalf("collection %d %s", r.status, r.body)
		}
	})

	t.Run("filters: match[type], match[id], added_after", func(t *testing.T) {
		_, objs, _ := e.page(e.nato, taxiiCollection+"objects/?match[type]=report,note")
		for _, o := range objs {
			if o.Type != "report" && o.Type != "note" {
				t.Errorf("match[type]=report,note gave a %s", o.Type)
			}
		}
		if got := reports(objs); len(got) != 3 {
			t.Errorf("reports %v", got)
		}
		_, objs, _ = e.page(e.nato, taxiiCollection+"objects/?match[id]="+conf)
		if len(objs) != 1 || objs[0].ID != conf {
			t.Errorf("match[id]: %v", objs)
		}
		_, objs, r := e.page(e.nato, taxiiCollection+"manifest/?match[type]=report")
		last := r.header.Get("X-TAXII-Date-Added-Last")
		if len(objs) != 3 || r.header.Get("X-TAXII-Date-Added-First") == "" || last == "" {
			t.Fatalf("manifest %s, headers %v", r.body, r.header)
		}
		if _, objs, _ := e.page(e.nato, taxiiCollection+"objects/?added_after="+url.QueryEscape(last)); len(objs) != 0 {
			t.Errorf("added_after the last date: %d objects", len(objs))
		}
	})
}

// release classifies a CONFIDENTIEL product (no second person needed) and releases it to partner p.
func (e *taxiiEnv) release(title string, p cleared.Partner) cleared.Release {
	e.t.Helper()
	w, sw := e.te.World, e.sw
	piece, err := e.te.Reg.Classify(e.te.Ctx, sw.Originator, registry.NewPiece{Authority: w.PaulAuth.ID, Kind: cleared.Electronic,
		Title: title, Level: cleared.Confidential, Reasons: []cleared.Reason{cleared.ReasonSecurity},
		ReviewOn: e.te.Clock.Now().AddDate(2, 0, 0), Content: testenv.Product(title, 4), ContentType: "application/json"})
	if err != nil {
		e.t.Fatal(err)
	}
	r, err := e.te.Share.Release(e.te.Ctx, sw.Originator, piece.ID, sharing.NewRelease{
		Sets: []cleared.ReleasabilitySet{{Partners: []cleared.OrganisationID{p.Organisation}}}})
	if err != nil || r.State != cleared.ReleaseReleased {
		e.t.Fatalf("release %s: %v (%s)", title, err, r.State)
	}
	return r
}

// own are the objects of the products themselves (reports, indicators, notes), which no two releases share.
func own(objs []taxiiObject) []string {
	var out []string
	for _, o := range objs {
		if o.Type != "identity" && o.Type != "marking-definition" {
			out = append(out, o.ID+"@"+o.Modified)
		}
	}
	return out
}

func TestTAXII_S1_pagination_by_cursor_never_skips_or_repeats(t *testing.T) {
	e := newTAXIIEnv(t)
	var rels []cleared.Release
	for i := range 6 {
		rels = append(rels, e.release("Wave "+strconv.Itoa(i), e.sw.NATO))
	}
	e.release("For the EU only", e.sw.EU)

	// Walk with limit 3 (every release renders to more), a release added after the second page.
	var walked []taxiiObject
	next, pages := "", 0
	for {
		q := url.Values{"limit": {"3"}}
		if next != "" {
			q.Set("next", next)
		}
		env, objs, _ := e.page(e.nato, taxiiCollection+"objects/?"+q.Encode())
		if len(objs) > 3 {
			t.Fatalf("page %d: %d objects for limit 3", pages, len(objs))
		}
		walked = append(walked, objs...)
		pages++
		if pages == 2 {
			rels = append(rels, e.release("Added between pages", e.sw.NATO))
		}
		if !env.More {
			break
		}
		if pages > 500 {
			t.Fatal("the pages never end")
		}
		next = env.Next
	}
	whole := e.all(e.nato, 1000)
	got, want := own(walked), own(whole)
	if !slices.Equal(got, want) {
		t.Fatalf("walked by 3:\n%v\nwant, in one page:\n%v", got, want)
	}
	seen := map[string]bool{}
	for _, k := range got {
		if seen[k] {
			t.Errorf("%s served twice", k)
		}
		seen[k] = true
	}
	for _, r := range rels {
		if !slices.Contains(reports(walked), reportID(r)) {
			t.Errorf("release %s never served", r.ID)
		}
	}
	if n := len(reports(walked)); n != 3+len(rels) {
		t.Errorf("%d reports, want %d", n, 3+len(rels))
	}
	if pages < 10 {
		t.Errorf("only %d pages of 3", pages)
	}

	t.Run("manifest pages alike", func(t *testing.T) {
		var ids []string
		next := ""
		for range 500 {
			q := url.Values{"limit": {"4"}, "match[type]": {"report"}}
			if next != "" {
				q.Set("next", next)
			}
			r := e.get(e.nato, taxiiCollection+"manifest/?"+q.Encode(), "")
			var man struct {
				More    bool   `json:"more"`
				Next    string `json:"next"`
				Objects []struct {
					ID, DateAdded, Version, MediaType string
				} `json:"objects"`
			}
			if err := json.Unmarshal(r.body, &man); err != nil || r.status != 200 {
				t.Fatalf("manifest %d %s", r.status, r.body)
			}
			for _, o := range man.Objects {
				ids = append(ids, o.ID)
			}
			if !man.More {
				break
			}
			next = man.Next
		}
		if !slices.Equal(ids, reports(whole)) {
			t.Fatalf("manifest %v, want %v", ids, reports(whole))
		}
	})
}

func TestTAXII_S1_no_certificate_or_unknown_certificate_401(t *testing.T) {
	e := newTAXIIEnv(t)
	for _, path := range []string{"/taxii2/", taxiiCollection + "objects/"} {
		wantTAXIIError(t, e.get(e.none, path, ""), http.StatusUnauthorized)
	}
	// A certificate of the partners' CA that no partner's record lists: the SRE is an organisation, not a partner.
	certPEM, keyPEM, _, _, err := e.ca.IssuePartner(e.te.World.SRE.ID, time.Now().Add(-time.Minute), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	wantTAXIIError(t, e.get(e.client(cert), taxiiCollection+"objects/", ""), http.StatusUnauthorized)
	// A certificate of another CA does not get past the handshake.
	other, err := pki.NewCA("another CA", time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM, _, _, err = other.IssuePartner(e.sw.NATO.Organisation, time.Now().Add(-time.Minute), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if cert, err = tls.X509KeyPair(certPEM, keyPEM); err != nil {
		t.Fatal(err)
	}
	if res, err := e.client(cert).Get(e.srv.URL + "/taxii2/"); err == nil {
		res.Body.Close()
		t.Fatalf("another CA's certificate: %d, want the handshake refused", res.StatusCode)
	}
	// A bearer token is no partner's credential.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+taxiiCollection+"objects/", nil)
	req.Header.Set("Authorization", "Bearer "+e.te.World.Token("sophie_zone"))
	req.Header.Set("Accept", taxiiAccept)
	res, err := e.none.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a person's token: %d, want 401", res.StatusCode)
	}
}

func TestTAXII_S1_revoked_release_comes_back_revoked(t *testing.T) {
	e := newTAXIIEnv(t)
	secret := reportID(e.sw.SecretRelease)
	before := e.all(e.nato, 1000)
	if !slices.Contains(reports(before), secret) {
		t.Fatal("NATO does not have the SECRET product")
	}
	env, _, _ := e.page(e.nato, taxiiCollection+"objects/?limit=1000")
	if env.More {
		t.Fatal("more after the whole collection")
	}
	if _, err := e.te.Share.Revoke(e.te.Ctx, e.sw.Originator, e.sw.SecretRelease.ID, "source compromised"); err != nil {
		t.Fatal(err)
	}
	after := e.all(e.nato, 1000)
	var revoked []taxiiObject
	for _, o := range after {
		if strings.Contains(string(o.Raw), secret) {
			revoked = append(revoked, o)
		}
	}
	if len(revoked) == 0 {
		t.Fatal("the revoked release is gone, not revoked")
	}
	for _, o := range revoked {
		if !o.Revoked {
			t.Errorf("%s %s not revoked after the revocation", o.Type, o.ID)
		}
	}
	if got := reports(after); len(got) != 3 || got[2] != secret {
		t.Errorf("reports after the revocation %v: want the revoked one last, once", got)
	}
	_, one, _ := e.page(e.nato, taxiiCollection+"objects/"+secret+"/")
	if len(one) != 1 || !one[0].Revoked {
		t.Errorf("the object's current version: %+v", one)
	}
	// The EU never received it: it learns nothing of the revocation either.
	if slices.Contains(reports(e.all(e.eu, 1000)), secret) {
		t.Error("the EU sees the revoked SECRET release")
	}
}

func TestTAXII_A11_2_fetch_recorded_as_transmission(t *testing.T) {
	e := newTAXIIEnv(t)
	recipients := func() []cleared.OrganisationID {
		t.Helper()
		sent, err := e.te.Reg.Recipients(e.te.Ctx, e.sw.Originator, e.sw.ConfidentialPiece.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []cleared.OrganisationID
		for _, s := range sent {
			out = append(out, s.RecipientOrganisation)
		}
		return out
	}
	if got := recipients(); len(got) != 0 {
		t.Fatalf("recipients before any fetch: %v", got)
	}
	e.all(e.eu, 1000)
	e.all(e.eu, 1000) // fetched again: one transmission
	if got := recipients(); !slices.Equal(got, []cleared.OrganisationID{e.sw.EU.Organisation}) {
		t.Fatalf("recipients after the EU's fetch: %v, want the EU once", got)
	}
}

// A partner whose gate is closed (its record changed since it authenticated, its channels gone) is refused by the
// service; the refusal is answered as s.fail would, 403, in TAXII's error format naming the rule. No partner of the
// world can be brought there over HTTPS without also failing authentication (401), so the rendering is tested alone.
func TestTAXII_S1_closed_gate_403(t *testing.T) {
	status, header, body := web.TAXIIFail(&cleared.ErrForbidden{Rule: "A11.1", Reason: "no channel accredited to reach the partner"})
	wantTAXIIError(t, response{status: status, header: header, body: body}, http.StatusForbidden)
	var te struct {
		Description string            `json:"description"`
		Details     map[string]string `json:"details"`
	}
	if err := json.Unmarshal(body, &te); err != nil || te.Details["rule"] != "A11.1" || !strings.Contains(te.Description, "no channel") {
		t.Errorf("refusal %s: want details.rule A11.1 and the reason", body)
	}
	status, _, body = web.TAXIIFail(fmt.Errorf("deliver to org_x: %w", cleared.ErrNotFound))
	if status != http.StatusNotFound || bytes.Contains(body, []byte("org_x")) {
		t.Errorf("not found: %d %s", status, body)
	}
}

func TestTAXII_content_negotiation_406(t *testing.T) {
	e := newTAXIIEnv(t)
	for _, accept := range []string{"application/json", "application/taxii+json;version=2.0", "application/taxii+json;q=0", "text/html"} {
		wantTAXIIError(t, e.get(e.nato, taxiiCollection+"objects/", accept), http.StatusNotAcceptable)
	}
	for _, accept := range []string{"application/taxii+json", "application/json, application/taxii+json;version=2.1;q=0.5", "*/*"} {
		if r := e.get(e.nato, "/taxii2/", accept); r.status != http.StatusOK {
			t.Errorf("Accept %q: %d", accept, r.status)
		}
	}
}

func TestTAXII_bad_cursor_or_query_400(t *testing.T) {
	e := newTAXIIEnv(t)
	env, _, _ := e.page(e.nato, taxiiCollection+"objects/?limit=2")
	if !env.More || env.Next == "" {
		t.Fatalf("no next after a page of 2: %+v", env)
	}
	for _, q := range []string{"next=%21%21", "next=" + env.Next + "A", "next=" + env.Next + "%3D%3D", "next=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"limit=0", "limit=x", "limit=1&limit=2", "match[type]=NOT%20A%20TYPE", "match[id]=report--x", "added_after=yesterday",
		"match[version]=yesterday", "match[version]=last,2026-13-01T00:00:00Z", "match[spec_version]=two",
		"match[spec_version]=2.1&match[spec_version]=2.0", "colour=blue"} {
		wantTAXIIError(t, e.get(e.nato, taxiiCollection+"objects/?"+q, ""), http.StatusBadRequest)
	}
	wantTAXIIError(t, e.get(e.nato, "/taxii2/?x=1", ""), http.StatusBadRequest)
	wantTAXIIError(t, e.get(e.nato, taxiiCollection+"objects/not-an-id/", ""), http.StatusBadRequest)
	// S1: a cursor is sealed for its partner: NATO's, replayed by the EU, is refused, and shows no sequence number.
	wantTAXIIError(t, e.get(e.eu, taxiiCollection+"objects/?next="+env.Next, ""), http.StatusBadRequest)
	if len(env.Next) != 22 {
		t.Errorf("next %q is not a sealed position", env.Next)
	}
}

func TestTAXII_unknown_collection_or_path_404(t *testing.T) {
	e := newTAXIIEnv(t)
	for _, p := range []string{
		"/taxii2/cleared/collections/00000000-0000-4000-8000-000000000000/",
		"/taxii2/cleared/collections/00000000-0000-4000-8000-000000000000/objects/",
		"/taxii2/cleared/collections/00000000-0000-4000-8000-000000000000/manifest/",
		"/taxii2/other/",
		taxiiCollection + "status/",
	} {
		wantTAXIIError(t, e.get(e.cert, p, ""), http.StatusNotFound)
	}
}

// BenchmarkTAXIIObjects serves a page of 100 objects from a collection of 60 releases of 6 objects each.
func BenchmarkTAXIIObjects(b *testing.B) {
	e := newTAXIIEnv(b)
	for i := range 60 {
		e.release("Bench "+strconv.Itoa(i), e.sw.NATO)
	}
	// Every release delivered once first: the benchmark measures the pages, not the first transmissions.
	e.all(e.nato, 1000)
	b.ResetTimer()
	for b.Loop() {
		if _, objs, _ := e.page(e.nato, taxiiCollection+"objects/?limit=100"); len(objs) != 100 {
			b.Fatalf("%d objects", len(objs))
		}
	}
}

// FuzzTAXIIQuery: the query string and the Accept header of a TAXII request are read without panic; a bad query
// is ErrInvalid (400), never another error.
func FuzzTAXIIQuery(f *testing.F) {
	for _, s := range []string{"limit=3&next=AQA", "match[type]=report,indicator", "match[id]=report--00000000-0000-4000-8000-000000000000",
		"added_after=2026-01-02T15:04:05.000Z", "limit=1&limit=2", "%zz", "match[type]=" + strings.Repeat("a,", 200)} {
		f.Add(s, taxiiAccept)
	}
	f.Add("", "application/json;q=0.5, */*;q=0")
	f.Add("", "application/taxii+json;version=2.1;q=abc")
	f.Fuzz(func(t *testing.T, query, accept string) {
		if err := web.ParseTAXIIPageQuery(query); err != nil && !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("%q: %v, want invalid", query, err)
		}
		// Any Accept is read without panic; one that allows TAXII still does beside another media type.
		if web.AcceptsTAXII([]string{accept}) && !web.AcceptsTAXII([]string{"text/html", accept}) {
			t.Fatalf("Accept %q allows TAXII alone but not beside text/html", accept)
		}
	})
}

// TestTAXII_A11_2_one_object_read_is_one_delivery: reading one report by its id delivers that release alone; the
// partner's other releases are not recorded as delivered. An indicator is read in the collection's pages.
func TestTAXII_A11_2_one_object_read_is_one_delivery(t *testing.T) {
	e := newTAXIIEnv(t)
	_, one, _ := e.page(e.nato, taxiiCollection+"objects/"+reportID(e.sw.OpenRelease)+"/")
	if len(one) != 1 || one[0].ID != reportID(e.sw.OpenRelease) {
		t.Fatalf("the report: %v", one)
	}
	recipients := func(p cleared.PieceID) int {
		sent, err := e.te.Reg.Recipients(e.te.Ctx, e.sw.Originator, p)
		if err != nil {
			t.Fatal(err)
		}
		return len(sent)
	}
	if n := recipients(e.sw.OpenPiece.ID); n != 1 {
		t.Errorf("the report read: %d transmissions, want 1", n)
	}
	if n := recipients(e.sw.SecretPiece.ID) + recipients(e.sw.ConfidentialPiece.ID); n != 0 {
		t.Errorf("releases not read were recorded as delivered: %d transmissions", n)
	}
	objs := e.all(e.nato, 1000)
	var indicator string
	for _, o := range objs {
		if o.Type == "indicator" {
			indicator = o.ID
		}
	}
	wantTAXIIError(t, e.get(e.nato, taxiiCollection+"objects/"+indicator+"/", ""), http.StatusNotFound)
	// Its versions: one, the release's last state.
	r := e.get(e.nato, taxiiCollection+"objects/"+reportID(e.sw.OpenRelease)+"/versions/", "")
	var v struct {
		More     bool     `json:"more"`
		Versions []string `json:"versions"`
	}
	if err := json.Unmarshal(r.body, &v); r.status != http.StatusOK || err != nil || len(v.Versions) != 1 || v.More {
		t.Fatalf("versions: %d %s", r.status, r.body)
	}
	wantTAXIIError(t, e.get(e.cert, taxiiCollection+"objects/"+reportID(e.sw.SecretRelease)+"/versions/", ""), http.StatusNotFound)
}
