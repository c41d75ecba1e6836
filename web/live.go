package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/sharing/misp"
	"github.com/cleared/cleared/sharing/stix"
)

// The live feed (issue 21, S1): a partner's system holds one request open and receives, as server-sent events,
// each product released to it as soon as the release is committed, and each revocation of one it received. It is
// filtered per subscriber on the server: a partner is woken only by changes that reach it (sharing.Subscribe), and
// what it is sent is decided by the same Deliver as the TAXII server, so that each first delivery is recorded as a
// transmission (A11.2). A connection resumes where it left off with Last-Event-ID (an opaque position, sealed for
// the partner: sharing.Service.Position), as
// browsers' and libraries' EventSource clients send it on reconnecting; nothing committed in between is lost.

// liveKeepalive is how often an idle stream sends a comment, so that proxies do not close it.
const liveKeepalive = 25 * time.Second

// liveBatch is how many changes one read of the feed takes at most.
const liveBatch = 100

// liveFeed serves GET /live/feed: format=stix (the default: one STIX 2.1 bundle per product), misp (one MISP
// event) or json (cleared's own product JSON); after, or the Last-Event-ID header, the position to resume after.
func (s *server) liveFeed(w http.ResponseWriter, r *http.Request) {
	if err := s.liveStream(w, r); err != nil {
		s.fail(w, r, err)
	}
}

func (s *server) liveStream(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requestPartner(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	for k := range q {
		if k != "format" && k != "after" {
			return cleared.Invalidf("unknown parameter %q: the live feed takes format and after", truncate(k, 40))
		}
	}
	format := q.Get("format")
	switch format {
	case "":
		format = "stix"
	case "stix", "misp", "json":
	default:
		return cleared.Invalidf("format must be stix, misp or json")
	}
	pos := q.Get("after")
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		pos = id
	}
	after, _, err := s.share.ParsePosition(p.Organisation, pos)
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	// The stream outlives the server's write timeout, which is for ordinary answers.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil && err != http.ErrNotSupported {
		return err
	}
	// Subscribed before the first read, so that a change committed between the read and the wait wakes it.
	wake, cancel := s.share.Subscribe(p.Organisation)
	defer cancel()
	// The first read decides the answer's status: a partner whose gate is closed gets the refusal, not a stream.
	items, more, err := s.share.Deliver(r.Context(), p, cleared.RouteLive, after, liveBatch)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	tick := time.NewTicker(liveKeepalive)
	defer tick.Stop()
	for {
		for _, it := range items {
			id, err := s.share.Position(p.Organisation, it.Seq, 0)
			if err != nil {
				return nil
			}
			if err := writeEvent(w, id, it, format, p); err != nil {
				return nil // the partner went away or the product cannot be rendered; it resumes from its last id
			}
			after = it.Seq
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
		if !more {
			select {
			case <-r.Context().Done():
				return nil
			case <-tick.C:
				if _, err := fmt.Fprint(w, ": keepalive\n\n"); err != nil {
					return nil
				}
				if err := rc.Flush(); err != nil {
					return nil
				}
				continue
			case <-wake:
			}
		}
		if items, more, err = s.share.Deliver(r.Context(), p, cleared.RouteLive, after, liveBatch); err != nil {
			// The gate closed while connected (suspended, agreement ended): say so and end the stream.
			fmt.Fprintf(w, "event: error\ndata: %s\n\n", oneLine(cleared.Message(err)))
			rc.Flush()
			return nil
		}
	}
}

// writeEvent writes one change as an event: its id is the sealed position after it, its type product or revoked.
func writeEvent(w http.ResponseWriter, id string, it sharing.Item, format string, p cleared.Partner) error {
	var data []byte
	var err error
	switch format {
	case "json":
		data, err = json.Marshal(it.Product)
	case "misp":
		data, err = misp.Event(it.Product, misp.Options{})
	default:
		data, err = stix.Bundle([]cleared.SharedProduct{it.Product}, stix.Options{ACS: p.ACS})
	}
	if err != nil {
		return err
	}
	kind := "product"
	if it.Product.Revoked {
		kind = "revoked"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\nevent: %s\n", id, kind)
	for line := range strings.SplitSeq(string(data), "\n") {
		b.WriteString("data: ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	_, err = io.WriteString(w, b.String())
	return err
}

// oneLine keeps a message on one data line.
func oneLine(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\r", " "), "\n", " ") }
