package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing/misp"
)

// The MISP feed (issue 21, S1): the products released to a partner as a MISP feed (manifest.json, hashes.csv and
// one <uuid>.json per event), the format MISP's "Fetch and store all feed data" reads. Like the TAXII server and the
// live feed it serves partners' systems by client certificate and is filtered per partner; each first delivery of
// a product to the partner by this route is recorded as a transmission (A11.2). A revoked product stays in the
// feed, as an event tagged cleared:revoked with no attributes: a MISP that fetched it replaces its copy.

// mispFeedMax is how many products one feed lists at most: beyond that, partners use TAXII, which pages.
const mispFeedMax = 20000

// mispFeed serves GET /misp/feed/{file}: manifest.json, hashes.csv or <uuid>.json.
func (s *server) mispFeed(w http.ResponseWriter, r *http.Request) {
	if err := s.mispFeedFile(w, r); err != nil {
		s.fail(w, r, err)
	}
}

func (s *server) mispFeedFile(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requestPartner(r)
	if err != nil {
		return err
	}
	if r.URL.RawQuery != "" {
		return cleared.Invalidf("the MISP feed takes no parameters")
	}
	file := r.PathValue("file")
	uuid, isEvent := strings.CutSuffix(file, ".json")
	if file != "manifest.json" && file != "hashes.csv" && (!isEvent || !cleared.ValidUUID(uuid)) {
		return cleared.ErrNotFound
	}
	products, err := s.partnerProducts(r, p)
	if err != nil {
		return err
	}
	o := misp.Options{}
	var body []byte
	ctype := "application/json"
	switch file {
	case "manifest.json":
		body, err = misp.Manifest(products, o)
	case "hashes.csv":
		body, err = misp.Hashes(products)
		ctype = "text/csv; charset=utf-8"
	default:
		err = cleared.ErrNotFound
		for _, sp := range products {
			if sp.UUID == uuid {
				body, err = misp.Event(sp, o)
				break
			}
		}
	}
	if err != nil {
		return err
	}
	// A validator, so that a MISP (or cleared) polling the feed with nothing new gets 304 and no body: the feed
	// is the partner's own, so its tag says nothing another partner could read.
	sum := sha256.Sum256(body)
	tag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", tag)
	w.Header().Set("Cache-Control", "no-store")
	if r.Header.Get("If-None-Match") == tag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Header().Set("Content-Type", ctype)
	_, err = w.Write(body)
	return err
}

// partnerProducts reads every change delivered to partner p, keeping each release's last state.
func (s *server) partnerProducts(r *http.Request, p cleared.Partner) ([]cleared.SharedProduct, error) {
	var (
		after int64
		order []cleared.ReleaseID
		last  = map[cleared.ReleaseID]cleared.SharedProduct{}
	)
	for {
		items, more, err := s.share.Deliver(r.Context(), p, cleared.RouteMISPFeed, after, 500)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if _, ok := last[it.Release.ID]; !ok {
				order = append(order, it.Release.ID)
			}
			last[it.Release.ID] = it.Product
			after = it.Seq
		}
		if len(order) > mispFeedMax {
			return nil, cleared.Unavailablef("more than %d products for this partner: read them with TAXII, which pages", mispFeedMax)
		}
		if !more {
			break
		}
	}
	out := make([]cleared.SharedProduct, 0, len(order))
	for _, id := range order {
		out = append(out, last[id])
	}
	return out, nil
}
