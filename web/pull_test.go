package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/store"
)

// Pulling from partners (issue 21 §2, S1, A6.1): cleared polls a partner's TAXII 2.1 collection and MISP feed from
// a cursor. The partner's server here is cleared's own, over HTTPS, read with NATO's client certificate: what it
// releases to NATO comes back as products received from NATO, in NATO's markings.

// countingTransport counts the requests a client sends.
type countingTransport struct {
	base http.RoundTripper
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

// puller returns a sharing service over e's store that pulls with NATO's certificate, and the count of its requests.
func (e *taxiiEnv) puller() (*sharing.Service, *countingTransport) {
	ct := &countingTransport{base: e.nato.Transport}
	s := sharing.New(e.te.Run, e.te.Ring, sharing.Config{Now: e.te.Now, Registry: e.te.Reg,
		PullClient: &http.Client{Transport: ct, Timeout: 20 * time.Second}})
	return s, ct
}

// receivedBy reads the receipts of what source id brought, by piece.
func (e *taxiiEnv) receivedBy(id cleared.SourceID) map[cleared.PieceID]cleared.Receipt {
	e.t.Helper()
	out := map[cleared.PieceID]cleared.Receipt{}
	err := e.te.Store.View(e.t.Context(), func(tx store.Tx) error {
		rs, err := tx.SourceReceipts(id, 1000)
		for _, r := range rs {
			if r.Piece != "" {
				out[r.Piece] = r
			}
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// wantForbidden fails unless err is a refusal under rule.
func wantForbidden(t *testing.T, err error, rule string) {
	t.Helper()
	var f *cleared.ErrForbidden
	if !errors.As(err, &f) || f.Rule != rule {
		t.Errorf("error %v: want a refusal under %s", err, rule)
	}
}

func TestPull_S1_A6_1_TAXII_collection(t *testing.T) {
	e := newTAXIIEnv(t)
	sw, w := e.sw, e.te.World
	pull, requests := e.puller()
	src, err := pull.PutSource(t.Context(), sw.Originator, "", sharing.NewSource{Partner: sw.NATO.Organisation,
		Kind: cleared.SourceTAXII, URL: e.srv.URL + taxiiCollection, Authority: w.PaulAuth.ID})
	if err != nil {
		t.Fatal(err)
	}

	res, err := pull.Poll(t.Context(), src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Registered != 2 || res.Unclassified != 1 || res.Known != 0 || res.Cursor == "" {
		t.Fatalf("first poll %+v: want the SECRET and CONFIDENTIEL products registered, the TLP one passed over, a cursor", res)
	}
	got := e.receivedBy(src.ID)
	markings := map[string]bool{}
	for id, r := range got {
		if r.Partner != sw.NATO.Organisation || r.Format != cleared.FormatSTIX || r.By != w.Paul.ID {
			t.Errorf("receipt of %s: %+v, want NATO as originator, STIX, registered by paul", id, r)
		}
		p, err := e.te.Reg.Piece(t.Context(), sw.Originator, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Foreign == nil || p.Foreign.Marking != r.Marking {
			t.Errorf("piece %s under %+v, receipt marking %q: want the NATO marking kept (A6.1)", id, p.Foreign, r.Marking)
		}
		markings[r.Marking+" as "+p.Level.String()] = true
	}
	for _, want := range []string{"NATO SECRET as SECRET", "NATO CONFIDENTIAL as CONFIDENTIAL"} {
		if !markings[want] {
			t.Errorf("received %v: want %s", markings, want)
		}
	}

	t.Run("S1 a poll with nothing new is one round trip and registers nothing", func(t *testing.T) {
		before := requests.n.Load()
		res, err := pull.Poll(t.Context(), src.ID)
		if err != nil || res.Registered+res.Known+res.Withdrawn != 0 {
			t.Fatalf("poll %+v, %v: want nothing", res, err)
		}
		if n := requests.n.Load() - before; n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("S1 a new release is received at the next poll, once", func(t *testing.T) {
		e.te.Clock.Add(time.Minute)
		rel := e.release("ORAGE : nouvelle infrastructure", sw.NATO)
		if res, err := pull.Poll(t.Context(), src.ID); err != nil || res.Registered != 1 {
			t.Fatalf("poll after a release: %+v, %v: want it registered", res, err)
		}
		if res, err := pull.Poll(t.Context(), src.ID); err != nil || res.Registered != 0 {
			t.Errorf("poll again: %+v, %v: want nothing", res, err)
		}

		e.te.Clock.Add(time.Minute)
		if _, err := e.te.Share.Revoke(t.Context(), sw.Originator, rel.ID, "superseded"); err != nil {
			t.Fatal(err)
		}
		if res, err := pull.Poll(t.Context(), src.ID); err != nil || res.Withdrawn != 1 || res.Registered != 0 {
			t.Errorf("poll after a revocation: %+v, %v: want the withdrawal recorded, nothing registered", res, err)
		}
	})
	t.Run("S1 a partner suspended is not polled, and the source says why", func(t *testing.T) {
		nato := sw.NATO
		if _, err := e.te.Share.RecordPartner(t.Context(), cleared.Actor{Person: w.Helene.ID}, nato.Organisation, sharing.NewPartner{
			Scheme: nato.Scheme, MaxLevel: nato.MaxLevel, Groups: nato.Groups, Channels: nato.Channels, Certificates: nato.Certificates,
			AccreditedFrom: nato.AccreditedFrom, AccreditedUntil: nato.AccreditedUntil, Suspended: true}); err != nil {
			t.Fatal(err)
		}
		before := requests.n.Load()
		_, err := pull.Poll(t.Context(), src.ID)
		wantForbidden(t, err, "S1")
		if n := requests.n.Load() - before; n != 0 {
			t.Errorf("%d requests to a suspended partner's server, want none", n)
		}
		ss, err := e.te.Share.Sources(t.Context(), sw.Originator, "", 10)
		if err != nil || len(ss) != 1 || !strings.Contains(ss[0].LastError, "suspended") {
			t.Errorf("sources %+v, %v: want the source's last error to say the partner is suspended", ss, err)
		}
	})
}

func TestPull_S1_A6_1_MISP_feed(t *testing.T) {
	e := newTAXIIEnv(t)
	sw, w := e.sw, e.te.World
	pull, requests := e.puller()
	src, err := pull.PutSource(t.Context(), sw.Originator, "", sharing.NewSource{Partner: sw.NATO.Organisation,
		Kind: cleared.SourceMISPFeed, URL: e.srv.URL + "/misp/feed/", Authority: w.PaulAuth.ID, Dossier: w.Dossier.ID})
	if err != nil {
		t.Fatal(err)
	}
	res, err := pull.Poll(t.Context(), src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Registered != 2 || res.Unclassified != 1 || !strings.HasPrefix(res.Cursor, "etag:") {
		t.Fatalf("first poll %+v: want the two classified events registered, the TLP one passed over, the manifest's ETag", res)
	}
	got := e.receivedBy(src.ID)
	for id, r := range got {
		p, err := e.te.Reg.Piece(t.Context(), sw.Originator, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Format != cleared.FormatMISP || r.Partner != sw.NATO.Organisation || p.Dossier != w.Dossier.ID ||
			p.Foreign == nil || !strings.HasPrefix(p.Foreign.Marking, "NATO ") {
			t.Errorf("piece %s (%+v) from %+v: want a MISP event of NATO under its NATO marking, in the source's dossier", id, p.Foreign, r)
		}
	}
	if len(got) != 2 {
		t.Errorf("%d pieces received from the feed, want 2", len(got))
	}
	t.Run("S1 the feed unchanged: one request, answered 304", func(t *testing.T) {
		before := requests.n.Load()
		res, err := pull.Poll(t.Context(), src.ID)
		if err != nil || res.Registered+res.Known+res.Unclassified != 0 {
			t.Fatalf("poll %+v, %v: want nothing", res, err)
		}
		if n := requests.n.Load() - before; n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
}

func TestPull_S1_refusals(t *testing.T) {
	e := newTAXIIEnv(t)
	sw, w := e.sw, e.te.World
	pull, _ := e.puller()
	good := sharing.NewSource{Partner: sw.NATO.Organisation, Kind: cleared.SourceTAXII, URL: e.srv.URL + taxiiCollection, Authority: w.PaulAuth.ID}
	for _, c := range []struct {
		name string
		edit func(*sharing.NewSource)
		says string
	}{
		{"plain http", func(s *sharing.NewSource) { s.URL = strings.Replace(s.URL, "https:", "http:", 1) }, "https"},
		{"credentials in the address", func(s *sharing.NewSource) { s.URL = strings.Replace(s.URL, "https://", "https://u:p@", 1) }, "credentials"},
		{"a query", func(s *sharing.NewSource) { s.URL += "?added_after=x" }, "query"},
		{"no final slash", func(s *sharing.NewSource) { s.URL = strings.TrimSuffix(s.URL, "/") }, "slash"},
		{"an unknown kind", func(s *sharing.NewSource) { s.Kind = "rss" }, "kind"},
		{"an organisation not in the register of partners", func(s *sharing.NewSource) { s.Partner = w.SRE.ID }, "register of partners"},
	} {
		t.Run("S1 "+c.name+" is refused", func(t *testing.T) {
			in := good
			c.edit(&in)
			_, err := pull.PutSource(t.Context(), sw.Originator, "", in)
			if !errors.Is(err, cleared.ErrInvalid) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("PutSource: %v, want invalid saying %q", err, c.says)
			}
		})
	}
	t.Run("A5.1 one who does not hold the authority records no source", func(t *testing.T) {
		_, err := pull.PutSource(t.Context(), cleared.Actor{Person: w.Lea.ID}, "", good)
		wantForbidden(t, err, "A5.1")
	})
	t.Run("S1 another holder may not take a source over", func(t *testing.T) {
		src, err := pull.PutSource(t.Context(), sw.Originator, "", good)
		if err != nil {
			t.Fatal(err)
		}
		other := good
		other.Authority = w.DirectorAuth.ID
		_, err = pull.PutSource(t.Context(), cleared.Actor{Person: w.Director.ID, Terminal: w.ZoneTerm.ID}, src.ID, other)
		wantForbidden(t, err, "S1")
	})
	t.Run("S1 a server that redirects is not followed", func(t *testing.T) {
		src, err := pull.PutSource(t.Context(), sw.Originator, "", sharing.NewSource{Partner: sw.NATO.Organisation, Kind: cleared.SourceMISPFeed,
			URL: e.srv.URL + "/ui/", Authority: w.PaulAuth.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pull.Poll(t.Context(), src.ID); err == nil {
			t.Fatal("a poll of a page that is not a feed succeeded")
		}
		ss, err := e.te.Share.Sources(t.Context(), sw.Originator, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ss {
			if s.ID == src.ID && (!strings.Contains(s.LastError, "redirects") || !s.Succeeded.IsZero()) {
				t.Errorf("source %+v: want its last error to say the server redirects, never succeeded", s)
			}
		}
	})
}

// A foreign TAXII server that sends a product whose marking cleared cannot resolve: the poll fails, the cursor does
// not move, nothing is registered, and the source's last error, which every reader of the sources sees, does not
// carry the product's title (the partner's classified words); the audit entry keeps the whole error.
func TestPull_A6_1_unresolved_marking_moves_no_cursor_and_leaks_no_title(t *testing.T) {
	e := newTAXIIEnv(t)
	sw, w := e.sw, e.te.World
	sent := received("8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f", "Operation BLUEBIRD", cleared.Secret, cleared.SchemeNATO, "NATO SECRET")
	bundle := bytes.ReplaceAll(stixBundle(t, sent), []byte("NATO SECRET"), []byte("ATOMAL SECRET"))
	var env struct {
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(bundle, &env); err != nil {
		t.Fatal(err)
	}
	page, _ := json.Marshal(map[string]any{"more": false, "objects": env.Objects})
	var asked atomic.Value
	foreign := httptest.NewTLSServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		asked.Store(r.URL.RawQuery)
		rw.Header().Set("Content-Type", taxiiAccept)
		rw.Header().Set("X-TAXII-Date-Added-Last", "2026-12-01T10:00:00.000000Z")
		rw.Write(page)
	}))
	t.Cleanup(foreign.Close)
	pull := sharing.New(e.te.Run, e.te.Ring, sharing.Config{Now: e.te.Now, Registry: e.te.Reg, PullClient: foreign.Client()})
	src, err := pull.PutSource(t.Context(), sw.Originator, "", sharing.NewSource{Partner: sw.NATO.Organisation,
		Kind: cleared.SourceTAXII, URL: foreign.URL + "/api1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/", Authority: w.PaulAuth.ID})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		_, err = pull.Poll(t.Context(), src.ID)
		var failed *sharing.PollError
		if !errors.As(err, &failed) || !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("poll: %v, want a failed poll (the marking refused)", err)
		}
		if q := asked.Load().(string); strings.Contains(q, "added_after") {
			t.Errorf("the poll after a failure asked %q: want the same start, the cursor unmoved", q)
		}
	}
	if got := e.receivedBy(src.ID); len(got) != 0 {
		t.Errorf("%d pieces registered from a refused document", len(got))
	}
	ss, err := e.te.Share.Sources(t.Context(), sw.Originator, "", 10)
	if err != nil || len(ss) != 1 {
		t.Fatal(ss, err)
	}
	if le := ss[0].LastError; !strings.Contains(le, "A6.1") || strings.Contains(le, "BLUEBIRD") || ss[0].Cursor != "" {
		t.Errorf("source after the failure: last error %q, cursor %q: want the rule, not the title, and no cursor", le, ss[0].Cursor)
	}
}

// BenchmarkPoll_nothing_new polls a partner that published 500 products, nothing since the last poll: TAXII from
// its cursor (one request, an empty envelope) and a MISP feed (one request, 304). The issue asks under 1 s; MISP
// took 2 h 45 min to sync with CIRCL when nothing changed (MISP #4814).
func BenchmarkPoll_nothing_new(b *testing.B) {
	e := newTAXIIEnv(b)
	for i := range 500 {
		e.release("Bench "+strconv.Itoa(i), e.sw.NATO)
	}
	for _, c := range []struct {
		name string
		kind cleared.SourceKind
		path string
	}{{"taxii", cleared.SourceTAXII, taxiiCollection}, {"misp_feed", cleared.SourceMISPFeed, "/misp/feed/"}} {
		b.Run(c.name, func(b *testing.B) {
			pull, requests := e.puller()
			src, err := pull.PutSource(b.Context(), e.sw.Originator, "", sharing.NewSource{Partner: e.sw.NATO.Organisation,
				Kind: c.kind, URL: e.srv.URL + c.path, Authority: e.te.World.PaulAuth.ID})
			if err != nil {
				b.Fatal(err)
			}
			// The first poll reads everything; the MISP feed's events are then known from the TAXII poll (the same
			// products of the same partner under the same UUIDs), and are not fetched.
			if res, err := pull.Poll(b.Context(), src.ID); err != nil || res.Registered+res.Known < 500 && c.kind == cleared.SourceTAXII {
				b.Fatalf("first poll: %+v, %v", res, err)
			}
			before := requests.n.Load()
			for b.Loop() {
				if res, err := pull.Poll(b.Context(), src.ID); err != nil || res.Registered+res.Known != 0 {
					b.Fatalf("poll: %+v, %v", res, err)
				}
			}
			b.ReportMetric(float64(requests.n.Load()-before)/float64(b.N), "requests/poll")
		})
	}
}

// importOf is a STIX import of ps sent by partner, classified as authority.
func importOf(t *testing.T, partner cleared.OrganisationID, authority cleared.AuthorityID, ps ...cleared.SharedProduct) sharing.Import {
	return sharing.Import{Format: cleared.FormatSTIX, Data: stixBundle(t, ps...), Partner: partner, Authority: authority}
}

// A partner's server that always says there is more is read at most 100 pages a poll, never forever, and the poll
// says it stopped (pending); its cursor does not move on pages that brought nothing.
func TestPull_S1_endless_server_is_read_a_bounded_number_of_pages(t *testing.T) {
	e := newTAXIIEnv(t)
	sw, w := e.sw, e.te.World
	var asked atomic.Int64
	endless := httptest.NewTLSServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		n := asked.Add(1)
		rw.Header().Set("Content-Type", taxiiAccept)
		fmt.Fprintf(rw, `{"more":true,"next":"p%d","objects":[]}`, n)
	}))
	t.Cleanup(endless.Close)
	pull := sharing.New(e.te.Run, e.te.Ring, sharing.Config{Now: e.te.Now, Registry: e.te.Reg, PullClient: endless.Client()})
	src, err := pull.PutSource(t.Context(), sw.Originator, "", sharing.NewSource{Partner: sw.NATO.Organisation,
		Kind: cleared.SourceTAXII, URL: endless.URL + "/api1/collections/c1/", Authority: w.PaulAuth.ID})
	if err != nil {
		t.Fatal(err)
	}
	res, err := pull.Poll(t.Context(), src.ID)
	if err != nil || !res.Pending || res.Cursor != "" {
		t.Errorf("poll of an endless server: %+v, %v: want it stopped, pending, no cursor", res, err)
	}
	if n := asked.Load(); n != 100 {
		t.Errorf("%d pages read, want 100", n)
	}
}
