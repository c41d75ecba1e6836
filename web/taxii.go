package web

import (
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing/stix"
)

// The TAXII 2.1 server (S1, A11.2; issue 21 §3): this file is its read side, web/taxii_add.go its write side (what
// partners send, staged for a classifying authority). Partners' systems authenticate by client certificate
// (requestPartner), never by a person's token. There is one API root and one collection, "what is released to
// you": each partner reads in it only the releases that reach it, as the sharing service filters them
// (sharing.Service.Deliver), which also records each first delivery as a transmission (A11.2). TAXII servers
// elsewhere control access per collection; here the collection is the same for every partner and its content is
// not, so that no partner learns of another's objects, their number or their existence.
//
// Pages follow the service's monotonic sequence of release changes, not a timestamp: the cursor ("next") is the
// sequence number of the release the page stopped in and the number of that release's objects already sent, so
// that a release rendering to many objects is split across pages, and releases sharing one time are neither
// skipped nor repeated. The cursor is sealed for the partner (sharing.Service.Position): the sequence counts
// every partner's releases, which a plain number would let a partner count. Errors are TAXII error messages (title, description, http_status), not problems.

// TAXII media types and fixed identifiers.
const (
	taxiiMedia = "application/taxii+json;version=2.1"
	stixMedia  = "application/stix+json;version=2.1"
	// taxiiCollection is the one collection's identifier: a fixed random UUID, the same on every server.
	taxiiCollection = "2f6d1c8e-5a43-4b7e-9d1f-0c6e8a3b7d52"
	taxiiAPIRoot    = "/taxii2/cleared/"
	// taxiiMaxContent is the API root's max_content_length: the body limit of every route, so the largest envelope
	// a partner may post (add-objects). Far below stix.MaxBundleBytes: an envelope is parsed in one piece.
	taxiiMaxContent = 8 << 20
)

// Page sizes, in objects.
const (
	taxiiDefaultLimit = 100
	taxiiMaxLimit     = 1000
	// taxiiMaxBatches bounds the service calls of one page, so that a filter matching nothing does not walk the
	// whole collection in one request: the page then comes back short, with more and next.
	taxiiMaxBatches = 16
	// taxiiBatch is the service's largest page of releases.
	taxiiBatch = 500
	// taxiiMaxMatch bounds the values of one match[…] parameter.
	taxiiMaxMatch = 100
)

// taxiiAPI registers the TAXII routes. Each pattern is a subtree (TAXII's URLs end with a slash); taxii answers a
// path below one with a TAXII 404, so that a client of the protocol always reads its error format.
func (s *server) taxiiAPI(handle func(pattern string, h http.Handler)) {
	t := func(pattern string, h taxiiHandler) { handle(pattern, s.taxii(pattern, h)) }
	t("GET /taxii2/", s.taxiiDiscovery)
	t("GET /taxii2/cleared/", s.taxiiRoot)
	t("GET /taxii2/cleared/collections/", s.taxiiCollections)
	t("GET /taxii2/cleared/collections/{id}/", s.taxiiCollectionRead)
	t("GET /taxii2/cleared/collections/{id}/objects/", s.taxiiObjects)
	t("GET /taxii2/cleared/collections/{id}/objects/{object_id}/", s.taxiiObject)
	t("GET /taxii2/cleared/collections/{id}/objects/{object_id}/versions/", s.taxiiVersions)
	t("GET /taxii2/cleared/collections/{id}/manifest/", s.taxiiManifest)
	t("POST /taxii2/cleared/collections/{id}/objects/", s.taxiiAdd)
	t("GET /taxii2/cleared/status/{status_id}/", s.taxiiStatus)
}

// taxiiHandler serves one TAXII route for an authenticated partner. It writes nothing when it returns an error.
type taxiiHandler func(w http.ResponseWriter, r *http.Request, p cleared.Partner) error

var (
	errTAXIIRoute  = &statusError{status: http.StatusNotFound, detail: "No such TAXII resource."}
	errTAXIIAccept = &statusError{status: http.StatusNotAcceptable,
		detail: "This server answers in " + taxiiMedia + " only: send Accept: " + taxiiMedia + "."}
)

// taxii wraps a TAXII handler: the path must be the pattern's exactly, the request must come from a partner's
// system, and the client must accept TAXII 2.1.
func (s *server) taxii(pattern string, h taxiiHandler) http.Handler {
	_, path, _ := strings.Cut(pattern, " ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(unwrap(w), r.Body, taxiiMaxContent)
		err := func() error {
			if r.URL.Path != expandPattern(path, r) {
				return errTAXIIRoute
			}
			p, err := s.requestPartner(r)
			if err != nil {
				return err
			}
			if !acceptsTAXII(r.Header.Values("Accept")) {
				return errTAXIIAccept
			}
			return h(w, r, p)
		}()
		if err != nil {
			s.taxiiFail(w, r, err)
		}
	})
}

// expandPattern fills path's wildcards with the request's values: the one path the pattern means exactly.
func expandPattern(path string, r *http.Request) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(path, '{')
		j := strings.IndexByte(path, '}')
		if i < 0 || j < i {
			b.WriteString(path)
			return b.String()
		}
		b.WriteString(path[:i])
		b.WriteString(r.PathValue(path[i+1 : j]))
		path = path[j+1:]
	}
}

// acceptsTAXII reports whether the Accept header lets the answer be TAXII 2.1: no header (anything goes, RFC
// 9110), or a media range that covers application/taxii+json with no version or version 2.1, not at q=0.
func acceptsTAXII(values []string) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for rng := range strings.SplitSeq(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(rng))
			if err != nil {
				continue
			}
			if q, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
					continue
				}
			}
			switch mt {
			case "*/*", "application/*":
				return true
			case "application/taxii+json":
				if ver, ok := params["version"]; !ok || ver == "2.1" {
					return true
				}
			}
		}
	}
	return false
}

// taxiiError is TAXII 2.1's error message.
type taxiiError struct {
	Title       string            `json:"title"`
	Description string            `json:"description,omitempty"`
	HTTPStatus  string            `json:"http_status"`
	Details     map[string]string `json:"details,omitempty"`
}

// taxiiFail renders err as a TAXII error message, with the status s.fail would answer, and logs the cause the
// client does not see. A refusal by a rule names it in details.rule.
func (s *server) taxiiFail(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err)
	if causeHidden(err) {
		level := slog.LevelError
		if r.Context().Err() != nil {
			level = slog.LevelInfo
		}
		s.log.LogAttrs(r.Context(), level, "request failed", slog.String("method", r.Method),
			slog.String("route", r.Pattern), slog.Int("status", p.Status), slog.String("error", err.Error()))
	}
	e := taxiiError{Title: p.Title, Description: p.Detail, HTTPStatus: strconv.Itoa(p.Status)}
	switch {
	case e.Title == "":
		e.Title = http.StatusText(p.Status)
	case p.Status == http.StatusUnauthorized:
		e.Description = "Present the client certificate the NSA issued to your organisation's system."
	case p.Status == http.StatusNotFound:
		e.Description = detailNotFound // the same words for any object or collection one may not know
	}
	if p.Rule != "" {
		e.Details = map[string]string{"rule": p.Rule}
	}
	b, _ := json.Marshal(e) // strings only: it always encodes
	h := w.Header()
	h.Set("Content-Type", taxiiMedia)
	h.Del("Content-Length")
	w.WriteHeader(p.Status)
	w.Write(append(b, '\n')) //nolint:errcheck // the client may be gone
}

// taxiiWrite answers 200 with v in TAXII's media type.
func taxiiWrite(w http.ResponseWriter, v any, header http.Header) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	for k, vs := range header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", taxiiMedia)
	w.WriteHeader(http.StatusOK)
	w.Write(append(b, '\n')) //nolint:errcheck // the client may be gone
	return nil
}

// taxiiQuery reads the query string: each parameter at most once, and only those the route takes (400 else).
func taxiiQuery(r *http.Request, allowed ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, cleared.Invalidf("malformed query string")
	}
	for k, vs := range q {
		if !slices.Contains(allowed, k) {
			return nil, cleared.Invalidf("unknown query parameter %q: this route takes %s", truncate(k, 40), strings.Join(allowed, ", "))
		}
		if len(vs) != 1 {
			return nil, cleared.Invalidf("give %s at most once", k)
		}
	}
	return q, nil
}

// taxiiDiscovery serves GET /taxii2/: the server's one API root.
func (s *server) taxiiDiscovery(w http.ResponseWriter, r *http.Request, _ cleared.Partner) error {
	if _, err := taxiiQuery(r); err != nil {
		return err
	}
	return taxiiWrite(w, map[string]any{
		"title":       "cleared",
		"description": "The intelligence products released to your organisation (S1).",
		"default":     taxiiAPIRoot,
		"api_roots":   []string{taxiiAPIRoot},
	}, nil)
}

// taxiiRoot serves GET /taxii2/cleared/: the API root.
func (s *server) taxiiRoot(w http.ResponseWriter, r *http.Request, _ cleared.Partner) error {
	if _, err := taxiiQuery(r); err != nil {
		return err
	}
	return taxiiWrite(w, map[string]any{
		"title":              "Products shared with partners",
		"versions":           []string{taxiiMedia},
		"max_content_length": taxiiMaxContent,
	}, nil)
}

// taxiiCollectionResource is the one collection, as every partner sees it: its content is each partner's own, and
// what a partner adds to it goes to cleared's staging inbox, never to another partner.
var taxiiCollectionResource = map[string]any{
	"id":    taxiiCollection,
	"title": "Released to you",
	"description": "The products released to your organisation, in your markings; revoked ones come back revoked. " +
		"What you add is staged for review by a classifying authority; it is not served back.",
	"can_read":    true,
	"can_write":   true,
	"media_types": []string{stixMedia},
}

// taxiiCollections serves GET /taxii2/cleared/collections/.
func (s *server) taxiiCollections(w http.ResponseWriter, r *http.Request, _ cleared.Partner) error {
	if _, err := taxiiQuery(r); err != nil {
		return err
	}
	return taxiiWrite(w, map[string]any{"collections": []any{taxiiCollectionResource}}, nil)
}

// taxiiCollectionRead serves GET /taxii2/cleared/collections/{id}/.
func (s *server) taxiiCollectionRead(w http.ResponseWriter, r *http.Request, _ cleared.Partner) error {
	if err := taxiiCollectionOf(r); err != nil {
		return err
	}
	if _, err := taxiiQuery(r); err != nil {
		return err
	}
	return taxiiWrite(w, taxiiCollectionResource, nil)
}

// taxiiCollectionOf checks the path's collection: any other is not found.
func taxiiCollectionOf(r *http.Request) error {
	if r.PathValue("id") != taxiiCollection {
		return cleared.ErrNotFound
	}
	return nil
}

// taxiiCursor is a position in a partner's stream of objects: every object of the releases before sequence number
// seq was sent, and the first skip objects of the release at seq.
type taxiiCursor struct {
	seq  int64
	skip int
}

// taxiiFilter is a page request's filters: the objects' types and ids, the time after which their release was
// added (or changed), the versions asked for and whether the spec versions asked for include 2.1.
//
// The collection holds each release in its last state only (a revocation replaces the release), so each object
// has one version here: match[version]'s last, first and all each keep it, a timestamp keeps the objects of that
// modified time. Every object is STIX 2.1: match[spec_version] without 2.1 keeps nothing.
type taxiiFilter struct {
	types, ids map[string]bool
	addedAfter time.Time
	versions   []time.Time // nil: any version (last, first, all or no match[version])
	noSpec     bool        // match[spec_version] does not include 2.1
}

var (
	stixTypePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,249}$`)
	stixIDPattern   = regexp.MustCompile(`^[a-z][a-z0-9-]{1,249}--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// taxiiPageQuery reads limit, next, added_after, match[type] and match[id].
func taxiiPageQuery(r *http.Request) (limit int, next string, f taxiiFilter, err error) {
	q, err := taxiiQuery(r, "limit", "next", "added_after", "match[type]", "match[id]", "match[version]", "match[spec_version]")
	if err != nil {
		return 0, next, f, err
	}
	limit = taxiiDefaultLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, next, f, cleared.Invalidf("limit %q: want a whole number from 1", truncate(v, 20))
		}
		limit = min(n, taxiiMaxLimit) // TAXII lets the server send fewer than asked
	}
	next = q.Get("next")
	if v := q.Get("added_after"); v != "" {
		if f.addedAfter, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return 0, next, f, cleared.Invalidf("added_after %q: want a timestamp such as 2026-01-02T15:04:05.000Z", truncate(v, 40))
		}
	}
	if f.types, err = matchSet(q, "match[type]", stixTypePattern); err != nil {
		return 0, next, f, err
	}
	if f.ids, err = matchSet(q, "match[id]", stixIDPattern); err != nil {
		return 0, next, f, err
	}
	if f.versions, err = matchVersions(q); err != nil {
		return 0, next, f, err
	}
	specs, err := matchSet(q, "match[spec_version]", specVersionPattern)
	if err != nil {
		return 0, next, f, err
	}
	f.noSpec = specs != nil && !specs["2.1"]
	return limit, next, f, nil
}

// specVersionPattern is the form of a STIX spec version (2.0, 2.1).
var specVersionPattern = regexp.MustCompile(`^[0-9]{1,2}\.[0-9]{1,2}$`)

// matchVersions reads match[version]: last, first, all or timestamps, comma-separated. Nil when any version is
// kept: absent (TAXII's default is last), or naming last, first or all.
func matchVersions(q url.Values) ([]time.Time, error) {
	v, ok := q["match[version]"]
	if !ok {
		return nil, nil
	}
	parts := strings.Split(v[0], ",")
	if len(parts) > taxiiMaxMatch {
		return nil, cleared.Invalidf("match[version]: at most %d values", taxiiMaxMatch)
	}
	var ts []time.Time
	anyVersion := false
	for _, p := range parts {
		switch p {
		case "last", "first", "all":
			anyVersion = true
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, p)
		if err != nil {
			return nil, cleared.Invalidf("match[version]: %q is not last, first, all or a timestamp", truncate(p, 40))
		}
		ts = append(ts, t)
	}
	if anyVersion {
		return nil, nil
	}
	return ts, nil
}

// matchSet reads a comma-separated match[…] parameter; nil when absent.
func matchSet(q url.Values, name string, valid *regexp.Regexp) (map[string]bool, error) {
	v, ok := q[name]
	if !ok {
		return nil, nil
	}
	parts := strings.Split(v[0], ",")
	if len(parts) > taxiiMaxMatch {
		return nil, cleared.Invalidf("%s: at most %d values", name, taxiiMaxMatch)
	}
	set := make(map[string]bool, len(parts))
	for _, p := range parts {
		if !valid.MatchString(p) {
			return nil, cleared.Invalidf("%s: %q is not a STIX %s", name, truncate(p, 60), strings.TrimSuffix(strings.TrimPrefix(name, "match["), "]"))
		}
		set[p] = true
	}
	return set, nil
}

func (f taxiiFilter) keeps(o stix.Object) bool {
	return !f.noSpec && (f.types == nil || f.types[o.Type]) && (f.ids == nil || f.ids[o.ID]) &&
		(f.versions == nil || slices.ContainsFunc(f.versions, func(t time.Time) bool {
			// At STIX's precision, the millisecond: a version read in an object's modified matches it.
			return t.Truncate(time.Millisecond).Equal(o.Modified.Truncate(time.Millisecond))
		}))
}

// taxiiEntry is one object of a page and the time its release reached the collection (its date_added).
type taxiiEntry struct {
	obj   stix.Object
	added time.Time
}

// taxiiPage walks partner p's releases from cursor c and returns at most limit objects that pass f, each once,
// the position after them and whether more may follow. The service is asked for as many releases as the page is
// expected to need, from the objects kept per release so far: a release the service hands back is recorded as
// delivered (A11.2), so the page fetches few more than it sends.
func (s *server) taxiiPage(r *http.Request, p cleared.Partner, c taxiiCursor, f taxiiFilter, limit int) ([]taxiiEntry, taxiiCursor, bool, error) {
	var out []taxiiEntry
	// The producer's identity and the marking definitions are shared by many releases: once per page.
	seen := map[string]bool{}
	perRelease, releases, objects := 3, 0, 0
	for range taxiiMaxBatches {
		want := min(max((limit-len(out)+perRelease-1)/perRelease, 1), taxiiBatch)
		items, more, err := s.share.DeliverSince(r.Context(), p, cleared.RouteTAXII, max(c.seq-1, 0), f.addedAfter, want)
		if err != nil {
			return nil, c, false, err
		}
		for _, it := range items {
			objs, err := stix.Objects(it.Product, stix.Options{ACS: p.ACS})
			if err != nil {
				// One product that cannot be rendered must not stop the partner's stream: it is passed over.
				s.log.Error("a released product cannot be rendered in STIX: not served", "release", it.Release.ID, "error", err)
				objs = nil
			}
			start := 0
			if it.Seq == c.seq {
				start = min(c.skip, len(objs))
			}
			added := it.Product.Modified
			for i := start; i < len(objs); i++ {
				if len(out) == limit {
					return out, taxiiCursor{seq: it.Seq, skip: i}, true, nil
				}
				key := objs[i].ID + "\x00" + taxiiTime(objs[i].Modified)
				if added.After(f.addedAfter) && f.keeps(objs[i]) && !seen[key] {
					seen[key] = true
					out = append(out, taxiiEntry{obj: objs[i], added: added})
				}
			}
			c = taxiiCursor{seq: it.Seq + 1}
			releases, objects = releases+1, objects+len(objs)
		}
		if !more {
			return out, c, false, nil
		}
		if len(out) == limit {
			return out, c, true, nil
		}
		if releases > 0 && objects > 0 {
			// Objects kept per release: a filter that drops most objects asks for more releases.
			perRelease = max(1, len(out)/releases)
		}
	}
	return out, c, true, nil
}

// taxiiTime writes a TAXII timestamp: UTC, microseconds.
func taxiiTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// taxiiDateHeaders are the page's X-TAXII-Date-Added-First and -Last.
func taxiiDateHeaders(page []taxiiEntry) http.Header {
	h := http.Header{}
	if len(page) > 0 {
		h.Set("X-TAXII-Date-Added-First", taxiiTime(page[0].added))
		h.Set("X-TAXII-Date-Added-Last", taxiiTime(page[len(page)-1].added))
	}
	return h
}

// taxiiEnvelope is TAXII's envelope.
type taxiiEnvelope struct {
	More    bool              `json:"more"`
	Next    string            `json:"next,omitempty"`
	Objects []json.RawMessage `json:"objects,omitempty"`
}

// taxiiRequestPage reads a page request of the collection (its query, the partner's sealed position) and returns
// the page, the sealed position after it when more follow, and whether more follow.
func (s *server) taxiiRequestPage(r *http.Request, p cleared.Partner) (page []taxiiEntry, next string, more bool, err error) {
	if err := taxiiCollectionOf(r); err != nil {
		return nil, "", false, err
	}
	limit, pos, f, err := taxiiPageQuery(r)
	if err != nil {
		return nil, "", false, err
	}
	var c taxiiCursor
	if c.seq, c.skip, err = s.share.ParsePosition(p.Organisation, pos); err != nil {
		return nil, "", false, err
	}
	if f.noSpec {
		// Nothing here is of another spec version: the partner's stream is not walked, nor recorded as delivered.
		return nil, "", false, nil
	}
	page, after, more, err := s.taxiiPage(r, p, c, f, limit)
	if err != nil || !more {
		return page, "", more, err
	}
	next, err = s.share.Position(p.Organisation, after.seq, after.skip)
	return page, next, more, err
}

// taxiiObjects serves GET …/collections/{id}/objects/: a page of the partner's objects, in the order of the
// sequence of release changes.
func (s *server) taxiiObjects(w http.ResponseWriter, r *http.Request, p cleared.Partner) error {
	page, next, more, err := s.taxiiRequestPage(r, p)
	if err != nil {
		return err
	}
	env := taxiiEnvelope{More: more, Next: next}
	for _, e := range page {
		env.Objects = append(env.Objects, e.obj.JSON)
	}
	return taxiiWrite(w, env, taxiiDateHeaders(page))
}

// taxiiManifestRecord is one line of a manifest.
type taxiiManifestRecord struct {
	ID        string `json:"id"`
	DateAdded string `json:"date_added"`
	Version   string `json:"version"`
	MediaType string `json:"media_type"`
}

// taxiiManifest serves GET …/collections/{id}/manifest/: the same pages as objects, as manifest records.
func (s *server) taxiiManifest(w http.ResponseWriter, r *http.Request, p cleared.Partner) error {
	page, next, more, err := s.taxiiRequestPage(r, p)
	if err != nil {
		return err
	}
	out := struct {
		More    bool                  `json:"more"`
		Next    string                `json:"next,omitempty"`
		Objects []taxiiManifestRecord `json:"objects,omitempty"`
	}{More: more, Next: next}
	for _, e := range page {
		out.Objects = append(out.Objects, taxiiManifestRecord{ID: e.obj.ID, DateAdded: taxiiTime(e.added),
			Version: taxiiTime(e.obj.Modified), MediaType: stixMedia})
	}
	return taxiiWrite(w, out, taxiiDateHeaders(page))
}

// taxiiObject serves GET …/collections/{id}/objects/{object_id}/: the current version of one object the partner
// may see; any other is not found, in the same words as an object that never existed.
func (s *server) taxiiObject(w http.ResponseWriter, r *http.Request, p cleared.Partner) error {
	found, err := s.taxiiFind(r, p)
	if err != nil {
		return err
	}
	return taxiiWrite(w, taxiiEnvelope{Objects: []json.RawMessage{found.obj.JSON}}, taxiiDateHeaders([]taxiiEntry{found}))
}

// taxiiVersions serves GET …/objects/{object_id}/versions/: the versions of one object the partner may see. cleared
// keeps a release's last state only (a revocation is its last version), so there is one.
func (s *server) taxiiVersions(w http.ResponseWriter, r *http.Request, p cleared.Partner) error {
	found, err := s.taxiiFind(r, p)
	if err != nil {
		return err
	}
	out := struct {
		More     bool     `json:"more"`
		Versions []string `json:"versions"`
	}{Versions: []string{taxiiTime(found.obj.Modified)}}
	return taxiiWrite(w, out, taxiiDateHeaders([]taxiiEntry{found}))
}

// taxiiFind finds the object {object_id} of the request among those the partner may see.
func (s *server) taxiiFind(r *http.Request, p cleared.Partner) (taxiiEntry, error) {
	if err := taxiiCollectionOf(r); err != nil {
		return taxiiEntry{}, err
	}
	id := r.PathValue("object_id")
	if !stixIDPattern.MatchString(id) {
		return taxiiEntry{}, cleared.Invalidf("object_id: not a STIX identifier (type--UUID)")
	}
	if _, err := taxiiQuery(r); err != nil {
		return taxiiEntry{}, err
	}
	// A report is found by its release (its UUID is the release's): reading it is a delivery of that release
	// alone (A11.2). The other objects (indicators, notes, the producer's identity, marking definitions) are read
	// in the collection's pages: their identifiers do not name a release, and walking the partner's whole stream to
	// find one would record as delivered every release in it.
	typ, uuid, _ := strings.Cut(id, "--")
	if typ != "report" {
		return taxiiEntry{}, cleared.ErrNotFound
	}
	it, ok, err := s.share.DeliverRelease(r.Context(), p, cleared.RouteTAXII, uuid)
	if err != nil {
		return taxiiEntry{}, err
	}
	if !ok {
		return taxiiEntry{}, cleared.ErrNotFound
	}
	objs, err := stix.Objects(it.Product, stix.Options{ACS: p.ACS})
	if err != nil {
		return taxiiEntry{}, err
	}
	for _, o := range objs {
		if o.ID == id {
			return taxiiEntry{obj: o, added: it.Product.Modified}, nil
		}
	}
	return taxiiEntry{}, cleared.ErrNotFound
}
