package sharing

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
)

// Pulling from partners (S1): the client side of TAXII 2.1 and of MISP feeds. A poll asks for what is new since
// the source's cursor and hands back the documents to import and the cursor after them; it never writes. With
// nothing new it costs one round trip: TAXII answers an empty envelope to added_after, a MISP feed answers 304 to
// the manifest's validator.

// Limits of one poll.
const (
	pullPageLimit = 1000 // objects asked per TAXII page
	pullMaxPages  = 100  // pages per poll; the cursor moves to the last, the next poll goes on
	pullMaxEvents = 1000 // MISP events fetched per poll
	pullTimeout   = 2 * time.Minute
	maxSourceURL  = 2000
	taxiiAccept   = "application/taxii+json;version=2.1"
)

// pulled is what a poll brought: documents in the source's format, and the cursor after them.
type pulled struct {
	docs   [][]byte
	cursor string
	// pending: the poll stopped at a limit with more to read; the next poll goes on from cursor.
	pending bool
}

// checkSourceURL refuses an address cleared will not pull from: HTTPS only (the partner's server is reached over
// TLS, with cleared's client certificate), no credentials in it, a path that ends with a slash (TAXII's URLs do;
// a MISP feed's files are named below it).
func checkSourceURL(raw string) (*url.URL, error) {
	if len(raw) > maxSourceURL {
		return nil, cleared.Invalidf("url: at most %d characters", maxSourceURL)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, cleared.Invalidf("url %q: %v", short(raw, 80), err)
	case u.Scheme != "https" || u.Host == "" || u.Opaque != "":
		return nil, cleared.Invalidf("url %q: want an https:// address: a partner's server is reached over TLS", short(raw, 80))
	case u.User != nil:
		return nil, cleared.Invalidf("url: no credentials in the address: cleared presents its client certificate")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, cleared.Invalidf("url: no query or fragment: give the collection's (TAXII) or the feed's (MISP) address")
	case !strings.HasSuffix(u.Path, "/"):
		return nil, cleared.Invalidf("url %q: end it with a slash: TAXII's collection URL, or the MISP feed's directory", short(raw, 80))
	}
	return u, nil
}

// fetcher makes the requests of a poll.
type fetcher struct {
	client *http.Client
	max    int64
}

// get requests u with the headers given and reads the answer, at most f.max bytes; a status other than 200 and
// 304 is an error naming it.
func (f fetcher) get(ctx context.Context, u string, h http.Header) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return resp, nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.max+1))
	switch {
	case err != nil:
		return nil, nil, fmt.Errorf("GET %s: read: %w", u, err)
	case int64(len(body)) > f.max:
		return nil, nil, fmt.Errorf("GET %s: the answer is over %d bytes", u, f.max)
	case resp.StatusCode != http.StatusOK:
		return nil, nil, fmt.Errorf("GET %s: %s: %s", u, resp.Status, short(string(bytes.TrimSpace(body)), 200))
	}
	return resp, body, nil
}

// pullTAXII reads the objects added to the collection at base since cursor (a TAXII timestamp; empty for all),
// following next until the server says no more, and returns them as one STIX bundle, so that a report and the
// objects it refers to, split across pages, are read together.
func pullTAXII(ctx context.Context, f fetcher, base *url.URL, cursor string) (pulled, error) {
	out := pulled{cursor: cursor}
	var objects []json.RawMessage
	var size int
	next, dated := "", false
	for page := range pullMaxPages {
		q := url.Values{"limit": {strconv.Itoa(pullPageLimit)}}
		if cursor != "" {
			q.Set("added_after", cursor)
		}
		if next != "" {
			q.Set("next", next)
		}
		u := base.JoinPath("objects/")
		u.RawQuery = q.Encode()
		resp, body, err := f.get(ctx, u.String(), http.Header{"Accept": {taxiiAccept}})
		if err != nil {
			return out, err
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/taxii+json") {
			return out, fmt.Errorf("GET %s: answered %q, not a TAXII 2.1 envelope", u, short(ct, 60))
		}
		var env struct {
			More    bool              `json:"more"`
			Next    string            `json:"next"`
			Objects []json.RawMessage `json:"objects"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			return out, fmt.Errorf("GET %s: not a TAXII envelope: %w", u, err)
		}
		if len(objects) > 0 && size+len(body) > int(f.max) {
			// The poll's bundle would be over what Import reads: this page waits for the next poll, which starts
			// after the last page kept.
			out.pending = true
			break
		}
		objects = append(objects, env.Objects...)
		size += len(body) // each page's envelope outweighs the bundle's own wrapping: the bundle stays within f.max
		if last := resp.Header.Get("X-TAXII-Date-Added-Last"); last != "" && len(env.Objects) > 0 {
			if _, err := time.Parse(time.RFC3339Nano, last); err != nil {
				return out, fmt.Errorf("GET %s: X-TAXII-Date-Added-Last %q is not a timestamp", u, short(last, 40))
			}
			out.cursor, dated = last, true
		}
		if !env.More || env.Next == "" && len(env.Objects) == 0 {
			break
		}
		if page == pullMaxPages-1 {
			out.pending = true
		}
		next = env.Next
		if next == "" {
			// A server that pages by added_after alone: go on from the last object's time.
			cursor = out.cursor
		}
	}
	if len(objects) > 0 {
		if !dated {
			return out, errors.New("the server sent objects without X-TAXII-Date-Added-Last: cleared cannot tell where the next poll starts")
		}
		doc, err := json.Marshal(struct {
			Type    string            `json:"type"`
			ID      string            `json:"id"`
			Objects []json.RawMessage `json:"objects"`
		}{"bundle", "bundle--" + randomUUID(), objects})
		if err != nil {
			return out, err
		}
		out.docs = [][]byte{doc}
	}
	return out, nil
}

// pullMISP reads the feed at base: its manifest, unless unchanged since the validator in cursor, then each event
// it lists that the partner changed since it was last received (known reports it), as <uuid>.json. The cursor
// after is the manifest's validator (its ETag, or else its Last-Modified).
func pullMISP(ctx context.Context, f fetcher, base *url.URL, cursor string, known func(uuid string, version time.Time) (bool, error)) (pulled, error) {
	out := pulled{cursor: cursor}
	h := http.Header{"Accept": {"application/json"}}
	if tag, ok := strings.CutPrefix(cursor, "etag:"); ok {
		h.Set("If-None-Match", tag)
	} else if date, ok := strings.CutPrefix(cursor, "date:"); ok {
		h.Set("If-Modified-Since", date)
	}
	u := base.JoinPath("manifest.json")
	resp, body, err := f.get(ctx, u.String(), h)
	if err != nil {
		return out, err
	}
	if resp.StatusCode == http.StatusNotModified {
		return out, nil
	}
	var manifest map[string]struct {
		Timestamp json.RawMessage `json:"timestamp"`
	}
	if err := json.Unmarshal(body, &manifest); err != nil {
		return out, fmt.Errorf("GET %s: not a MISP manifest: %w", u, err)
	}
	var fetched int
	for uuid, e := range manifest {
		if !cleared.ValidUUID(uuid) {
			return out, fmt.Errorf("GET %s: %q is not a UUID: the manifest is refused", u, short(uuid, 60))
		}
		version, err := mispTimestamp(e.Timestamp)
		if err != nil {
			return out, fmt.Errorf("GET %s: event %s: %w", u, uuid, err)
		}
		if ok, err := known(uuid, version); err != nil || ok {
			if err != nil {
				return out, err
			}
			continue
		}
		if fetched == pullMaxEvents {
			out.pending = true // the validator is not kept: the next poll reads the manifest again
			return out, nil
		}
		_, doc, err := f.get(ctx, base.JoinPath(uuid+".json").String(), http.Header{"Accept": {"application/json"}})
		if err != nil {
			return out, err
		}
		out.docs = append(out.docs, doc)
		fetched++
	}
	switch {
	case resp.Header.Get("ETag") != "":
		out.cursor = "etag:" + resp.Header.Get("ETag")
	case resp.Header.Get("Last-Modified") != "":
		out.cursor = "date:" + resp.Header.Get("Last-Modified")
	default:
		out.cursor = ""
	}
	return out, nil
}

// mispTimestamp reads a manifest's timestamp: Unix seconds, as a string or a number.
func mispTimestamp(raw json.RawMessage) (time.Time, error) {
	s := strings.Trim(string(raw), `"`)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, fmt.Errorf("timestamp %q is not Unix seconds", short(s, 30))
	}
	return time.Unix(n, 0).UTC(), nil
}

// randomUUID returns a random (version 4) UUID.
func randomUUID() string {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
