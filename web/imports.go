package web

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing/misp"
	"github.com/cleared/cleared/sharing/stix"
)

// Issue 21: products received from partners (S1), a STIX 2.1 bundle or a MISP event, registered as pieces like any
// other. Received foreign classified information is classified under its foreign marking, at the national level
// the equivalence table in force gives it (A6.1); what cleared cannot resolve is refused, never registered lower.

// maxImportBody is the body limit of POST /api/imports: the largest document the parsers read.
const maxImportBody = max(stix.MaxBundleBytes, misp.MaxEventBytes)

// importReviewYears is how long an imported piece waits for its review (A3.2): the partner's classification is not
// ours to shorten, so the usual term.
const importReviewYears = 5

// received is one product of a partner's document, as both parsers read it.
type received struct {
	uuid    string
	product cleared.Product
	marking string
	// national: the marking is a national one (SECRET LUX), read as a level rather than through the table.
	national bool
	revoked  bool
	skipped  int
}

// importItem is one product in the answer: the piece registered for it, or revoked (a product the partner
// withdrew, not registered).
type importItem struct {
	Piece   *pieceJSON `json:"piece,omitempty"`
	UUID    string     `json:"uuid"`
	Skipped int        `json:"skipped"`
	Revoked bool       `json:"revoked,omitempty"`
}

// importProducts serves POST /api/imports?format=stix|misp&authority=&dossier=: each product of the partner's
// document is classified (Classify) under its marking by the actor as the authority given. The document is read
// and every product checked first (its marking present and resolved in the equivalence table in force), so that a
// refusal of the document creates nothing.
func (s *server) importProducts(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return cleared.Invalidf("malformed query string: %v", err)
	}
	for k, v := range q {
		if k != "format" && k != "authority" && k != "dossier" {
			return cleared.Invalidf("unknown parameter %q: an import takes format, authority and dossier", truncate(k, 40))
		}
		if len(v) != 1 {
			return cleared.Invalidf("parameter %s given %d times: give it once", k, len(v))
		}
	}
	format := q.Get("format")
	if format != "stix" && format != "misp" {
		return cleared.Invalidf("format %q: want stix (a STIX 2.1 bundle) or misp (a MISP event)", truncate(format, 40))
	}
	authority := cleared.AuthorityID(q.Get("authority"))
	if authority == "" {
		return cleared.Invalidf("parameter authority is required: the classifying authority you hold and classify the products as (A5.1)")
	}
	if err := authority.Validate(); err != nil {
		return cleared.Invalidf("parameter authority: %s", cleared.Message(err))
	}
	dossier := cleared.DossierID(q.Get("dossier"))
	if dossier != "" {
		if err := dossier.Validate(); err != nil {
			return cleared.Invalidf("parameter dossier: %s", cleared.Message(err))
		}
	}
	if err := checkImportType(format, r.Header.Get("Content-Type")); err != nil {
		return err
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return decodeError(err)
	}
	products, err := parseReceived(format, data)
	if err != nil {
		return err
	}

	table, err := s.equivalenceInForce(r, a)
	if err != nil {
		return err
	}
	reviewOn := time.Now().UTC().AddDate(importReviewYears, 0, 0)
	pieces := make([]registry.NewPiece, len(products))
	levels := make([]cleared.Level, len(products))
	var order []int
	for i, p := range products {
		if p.revoked {
			continue
		}
		in, level, err := importedPiece(i, p, table)
		if err != nil {
			return err
		}
		in.Authority, in.Dossier, in.ReviewOn = authority, dossier, reviewOn
		pieces[i], levels[i] = in, level
		order = append(order, i)
	}

	// Not atomic: Classify registers one piece per call, and a piece created cannot be taken back through the
	// service. The checks that could fail on one product and not another (marking, level, content) ran above.
	// What remains is the same for every product (the authority held and in office, A5.1; the dossier) or grows
	// with the level (the authority's clearance, A5.1; the terminal's accreditation, A8.1, A8.2), so the highest
	// levels go first: if any refuses, it is the first, before anything is created. A failure of the store or a
	// cancelled request halfway leaves the pieces before it registered; the error says how many.
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(levels[y], levels[x]) })
	items := make([]importItem, len(products))
	var top cleared.Piece
	for n, i := range order {
		p, err := s.reg.Classify(r.Context(), a, pieces[i])
		if err != nil {
			return aboutProduct(i, products[i].product.Title, n, err)
		}
		out := pieceOut(p)
		items[i].Piece = &out
		if n == 0 {
			top = p
		}
	}
	for i, p := range products {
		items[i].UUID, items[i].Skipped, items[i].Revoked = p.uuid, p.skipped, p.revoked
	}
	h := http.Header{"Location": {"/api/pieces"}}
	if len(order) > 0 {
		h.Set("Classification", top.NationalMarking()) // A7.1: the highest level in the answer
	}
	return writeJSON(w, http.StatusCreated, struct {
		Items []importItem `json:"items"`
	}{items}, h)
}

// checkImportType accepts the media types partners send: STIX as application/stix+json (of version 2.1, if it
// says) or application/json, MISP as application/json.
func checkImportType(format, ct string) error {
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil {
		cs, hasCharset := params["charset"]
		utf8 := !hasCharset || strings.EqualFold(cs, "utf-8")
		v, hasVersion := params["version"]
		switch {
		case mt == "application/json" && utf8:
			return nil
		case format == "stix" && mt == "application/stix+json" && utf8 && (!hasVersion || v == "2.1"):
			return nil
		}
	}
	want := "application/json"
	if format == "stix" {
		want = "application/stix+json;version=2.1 or application/json"
	}
	return &statusError{status: http.StatusUnsupportedMediaType, detail: "A " + format + " import is sent as " + want + "."}
}

// parseReceived reads the partner's document with the parser of its format.
func parseReceived(format string, data []byte) ([]received, error) {
	if format == "misp" {
		im, err := misp.Parse(data)
		if err != nil {
			return nil, err
		}
		return []received{{uuid: im.UUID, product: im.Product, marking: im.Marking, national: im.Scheme == cleared.SchemeNational,
			revoked: im.Revoked, skipped: im.Skipped}}, nil
	}
	ims, err := stix.Parse(data)
	if err != nil {
		return nil, err
	}
	if len(ims) == 0 {
		return nil, cleared.Invalidf("the bundle holds no report: cleared imports products, which STIX carries as reports")
	}
	out := make([]received, len(ims))
	for i, im := range ims {
		_, err := cleared.ParseLevel(im.Marking)
		national := err == nil && strings.HasSuffix(strings.ToUpper(im.Marking), " LUX")
		out[i] = received{uuid: im.UUID, product: im.Product, marking: im.Marking, national: national, revoked: im.Revoked, skipped: im.Skipped}
	}
	return out, nil
}

// equivalenceInForce returns the equivalence table in force, nil where there is none (then every foreign marking
// is refused, A6.1).
func (s *server) equivalenceInForce(r *http.Request, a cleared.Actor) (*cleared.EquivalenceTable, error) {
	t, err := s.reg.Equivalence(r.Context(), a)
	switch {
	case errors.Is(err, cleared.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &t, nil
}

// importedPiece builds the classification of product i and the level it will have, refusing here what Classify
// would refuse for this product alone: no marking (cleared registers classified pieces only, A4.1), a marking with
// no national equivalent (A6.1), content too large.
func importedPiece(i int, p received, table *cleared.EquivalenceTable) (registry.NewPiece, cleared.Level, error) {
	name := fmt.Sprintf("product %d (%s, %q)", i+1, p.uuid, truncate(p.product.Title, 80))
	if p.marking == "" {
		return registry.NewPiece{}, 0, cleared.Invalidf("%s has no classification marking: cleared registers classified pieces "+
			"only (A4.1); an unclassified product is not imported", name)
	}
	in := registry.NewPiece{Kind: cleared.Electronic, Title: p.product.Title, Reasons: []cleared.Reason{cleared.ReasonInternational},
		ContentType: "application/json"}
	var level cleared.Level
	if p.national {
		l, err := cleared.ParseLevel(p.marking)
		if err != nil || !l.Classified() {
			return registry.NewPiece{}, 0, cleared.Invalidf("%s: the marking %q is not a national classification: cleared registers "+
				"classified pieces only (A4.1); an unclassified product is not imported", name, truncate(p.marking, 80))
		}
		in.Level, level = l, l
	} else {
		_, l, d := policy.ForeignLevel(table, p.marking, cleared.Unclassified)
		if !d.Allowed {
			return registry.NewPiece{}, 0, cleared.Invalidf("%s: %s (%s): nothing was imported", name, d.Reason, d.Rule)
		}
		in.ForeignMarking, level = p.marking, l
	}
	content, err := json.Marshal(p.product)
	if err != nil {
		return registry.NewPiece{}, 0, fmt.Errorf("%s: encode content: %w", name, err)
	}
	if len(content) > registry.MaxContentSize {
		return registry.NewPiece{}, 0, cleared.Invalidf("%s is %d bytes as a piece's content, at most %d", name, len(content), registry.MaxContentSize)
	}
	in.Content = content
	return in, level, nil
}

// aboutProduct names product i in err, the nth classified of the request (those before it are registered), and
// keeps err's kind and rule.
func aboutProduct(i int, title string, n int, err error) error {
	what := fmt.Sprintf("product %d (%q)", i+1, truncate(title, 80))
	if n > 0 {
		what += fmt.Sprintf(", after %d product(s) were registered", n)
	}
	var f *cleared.ErrForbidden
	switch {
	case errors.As(err, &f):
		return &cleared.ErrForbidden{Rule: f.Rule, Reason: what + ": " + f.Reason, AuditSeq: f.AuditSeq}
	case errors.Is(err, cleared.ErrInvalid) && cleared.Message(err) != "":
		return cleared.Invalidf("%s: %s", what, cleared.Message(err))
	}
	return fmt.Errorf("%s: %w", what, err)
}
