package web_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
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

// productJSON is the content of a product titled title, with two indicators.
func productJSON(title string) []byte {
	b, _ := json.Marshal(cleared.Product{Title: title, Summary: "Évaluation.", Indicators: []cleared.Indicator{
		{Type: "ip-dst", Value: "203.0.113.9", ToIDS: true}, {Type: "domain", Value: "c2.orage.example", Comment: "C2"}}})
	return b
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
		piece, err := e.te.Reg.Classify(t.Context(), sw.Originator, registry.NewPiece{Authority: w.PaulAuth.ID, Kind: cleared.Electronic,
			Title: "ORAGE : nouvelle infrastructure", Level: cleared.Confidential, Reasons: []cleared.Reason{cleared.ReasonInternational},
			ReviewOn: e.te.Now().AddDate(1, 0, 0), Content: productJSON("ORAGE : nouvelle infrastructure"), ContentType: "application/json"})
		if err != nil {
			t.Fatal(err)
		}
		rel, err := e.te.Share.Release(t.Context(), sw.Originator, piece.ID, sharing.NewRelease{
			Sets: []cleared.ReleasabilitySet{{Partners: []cleared.OrganisationID{sw.NATO.Organisation}}}})
		if err != nil {
			t.Fatal(err)
		}
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
