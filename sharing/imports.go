package sharing

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing/misp"
	"github.com/cleared/cleared/sharing/stix"
	"github.com/cleared/cleared/store"
)

// Products received from partners (S1), a STIX 2.1 bundle or a MISP event, registered as pieces like any other:
// received foreign classified information is classified under its foreign marking, at the national level the
// equivalence table in force gives it (A6.1); what cleared cannot resolve is refused, never registered lower. Each
// piece commits with its receipt, which names the partner as the product's originator and its version, so that a
// product received again (a poll that overlaps the last) is registered once.

// MaxImportBytes is the largest document Import reads: the larger of the parsers' limits.
const MaxImportBytes = max(stix.MaxBundleBytes, misp.MaxEventBytes)

// importReviewYears is how long an imported piece waits for its review (A3.2): the partner's classification is
// not ours to shorten, so the usual term.
const importReviewYears = 5

// Classifier is what an import needs of the registry: Classify registers a piece (A4.1, A5.1), Equivalence reads
// the equivalence table in force (A6.1). *registry.Service is one.
type Classifier interface {
	Classify(ctx context.Context, a cleared.Actor, in registry.NewPiece) (cleared.Piece, error)
	Equivalence(ctx context.Context, a cleared.Actor) (cleared.EquivalenceTable, error)
}

// Import is a partner's document to register.
type Import struct {
	Format    cleared.ImportFormat
	Data      []byte
	Partner   cleared.OrganisationID // who sent it: each piece's foreign originator
	Authority cleared.AuthorityID    // the classifying authority the actor holds and classifies as (A5.1)
	Dossier   cleared.DossierID
	Source    cleared.SourceID // the pull that brought it; "" for a document imported by hand
	// SkipUnclassified passes over the products that carry no classification (a partner's feed mixes TLP-only
	// products with classified ones): they are answered Unclassified, not registered. Without it, one refuses the
	// document, so that whoever imports by hand learns that cleared registers classified pieces only (A4.1).
	SkipUnclassified bool
}

// Imported is what became of one product of the document.
type Imported struct {
	UUID    string
	Title   string
	Piece   *cleared.Piece // the piece registered; nil when withdrawn or known
	Skipped int            // objects of the product cleared does not read
	Revoked bool           // the partner withdrew the product: nothing registered
	Known   bool           // received before at this version: not registered again
	// Unclassified: the product carries no classification and was passed over (Import.SkipUnclassified).
	Unclassified bool
}

// received is one product of a partner's document, as both parsers read it.
type received struct {
	uuid    string
	version time.Time
	product cleared.Product
	marking string
	// national: the marking is a national one (SECRET LUX), read as a level rather than through the table.
	national bool
	revoked  bool
	skipped  int
}

// Import registers the products of a partner's document: each is classified (registry Classify) under its
// marking by a as in.Authority, its receipt committed with it. The document is read and every product checked
// first (its marking present and resolved in the equivalence table in force), so that a refusal of the document
// creates nothing; products received before at the same version are answered Known and registered once.
func (s *Service) Import(ctx context.Context, a cleared.Actor, in Import) (out []Imported, err error) {
	defer cleared.Wrap(&err, "import")
	if s.reg == nil {
		return nil, cleared.Unavailablef("this server registers no product: its sharing service has no registry")
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	products, err := parseReceived(in.Format, in.Data)
	if err != nil {
		return nil, err
	}
	known, err := s.checkReceived(ctx, in.Partner, products)
	if err != nil {
		return nil, err
	}
	table, err := s.equivalenceInForce(ctx, a)
	if err != nil {
		return nil, err
	}
	reviewOn := s.clock().AddDate(importReviewYears, 0, 0)
	pieces := make([]registry.NewPiece, len(products))
	levels := make([]cleared.Level, len(products))
	out = make([]Imported, len(products))
	var order []int
	var withdrawn []int
	for i, p := range products {
		out[i] = Imported{UUID: p.uuid, Title: p.product.Title, Skipped: p.skipped, Revoked: p.revoked, Known: known[i]}
		switch {
		case known[i]:
			continue
		case p.revoked:
			withdrawn = append(withdrawn, i)
			continue
		case in.SkipUnclassified && unclassified(p):
			out[i].Unclassified = true
			continue
		}
		np, level, err := importedPiece(i, p, table)
		if err != nil {
			return nil, err
		}
		np.Authority, np.Dossier, np.ReviewOn = in.Authority, in.Dossier, reviewOn
		np.Then = receipt(in, p)
		pieces[i], levels[i] = np, level
		order = append(order, i)
	}

	// Not atomic across products: Classify registers one piece per call. The checks that could fail on one product
	// and not another (marking, level, content, a receipt) ran above. What remains is the same for every product
	// (the authority held and in office, A5.1; the dossier) or grows with the level (the authority's clearance,
	// A5.1; the terminal's accreditation, A8.1, A8.2), so the highest levels go first: if any refuses, it is the
	// first, before anything is created. A failure of the store halfway leaves the pieces before it registered,
	// each with its receipt, so that the same document sent again registers the rest only.
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(levels[y], levels[x]) })
	for n, i := range order {
		p, err := s.reg.Classify(ctx, a, pieces[i])
		if err != nil {
			return nil, aboutProduct(i, products[i].product.Title, n, err)
		}
		out[i].Piece = &p
	}
	for _, i := range withdrawn {
		if err := s.withdrawn(ctx, a, in, products[i]); err != nil {
			return nil, aboutProduct(i, products[i].product.Title, len(order), err)
		}
	}
	return out, nil
}

func (in Import) check() error {
	if err := in.Format.Validate(); err != nil {
		return err
	}
	if in.Partner == "" {
		return cleared.Invalidf("the partner that sent the document is required: it is recorded as the products' originator (A6.1)")
	}
	if err := in.Partner.Validate(); err != nil {
		return cleared.Invalidf("partner: %s", cleared.Message(err))
	}
	if in.Authority == "" {
		return cleared.Invalidf("the authority is required: the classifying authority you hold and classify the products as (A5.1)")
	}
	if err := in.Authority.Validate(); err != nil {
		return cleared.Invalidf("authority: %s", cleared.Message(err))
	}
	if in.Dossier != "" {
		if err := in.Dossier.Validate(); err != nil {
			return cleared.Invalidf("dossier: %s", cleared.Message(err))
		}
	}
	if in.Source != "" {
		if err := in.Source.Validate(); err != nil {
			return err
		}
	}
	if len(in.Data) > MaxImportBytes {
		return cleared.Invalidf("the document is %d bytes, at most %d", len(in.Data), MaxImportBytes)
	}
	return nil
}

// checkReceived reports, for each product, whether it was received from the partner before at its version; the
// partner must be in the register (a product's originator is a partner the NSA recorded, S1).
func (s *Service) checkReceived(ctx context.Context, partner cleared.OrganisationID, ps []received) ([]bool, error) {
	known := make([]bool, len(ps))
	err := s.store.View(ctx, func(tx store.Tx) error {
		if _, err := tx.Partner(partner); err != nil {
			if errors.Is(err, cleared.ErrNotFound) {
				return cleared.Invalidf("organisation %s is not in the register of partners: the NSA records a partner before "+
					"its products are received (S1)", partner)
			}
			return err
		}
		for i, p := range ps {
			rs, err := tx.Received(partner, p.uuid)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if r.Version.Equal(p.version) {
					known[i] = true
				}
			}
		}
		return nil
	})
	return known, err
}

// receipt returns what records the receipt of p in the transaction that registers its piece.
func receipt(in Import, p received) func(tx store.Tx, piece cleared.Piece) error {
	return func(tx store.Tx, piece cleared.Piece) error {
		return tx.RecordReceipt(cleared.Receipt{Partner: in.Partner, UUID: p.uuid, Version: p.version, Format: in.Format,
			Marking: p.marking, Piece: piece.ID, Source: in.Source, Received: piece.Created, By: piece.CreatedBy})
	}
}

// withdrawn records that the partner withdrew p: a receipt without a piece, so that a later poll does not take it
// for new. The pieces registered from earlier versions stay (their review is their originator's to make).
func (s *Service) withdrawn(ctx context.Context, a cleared.Actor, in Import, p received) error {
	now := s.clock()
	return s.run.Do(ctx, a, act.SharingWithdrawn, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		r := cleared.Receipt{Partner: in.Partner, UUID: p.uuid, Version: p.version, Format: in.Format, Marking: p.marking,
			Revoked: true, Source: in.Source, Received: now, By: me.ID}
		x.Object, x.Payload = p.uuid, r
		return tx.RecordReceipt(r)
	})
}

// parseReceived reads the partner's document with the parser of its format.
func parseReceived(format cleared.ImportFormat, data []byte) ([]received, error) {
	if format == cleared.FormatMISP {
		im, err := misp.Parse(data)
		if err != nil {
			return nil, err
		}
		return []received{{uuid: im.UUID, version: im.Modified, product: im.Product, marking: im.Marking,
			national: im.Scheme == cleared.SchemeNational, revoked: im.Revoked, skipped: im.Skipped}}, nil
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
		out[i] = received{uuid: im.UUID, version: im.Modified, product: im.Product, marking: im.Marking, national: national,
			revoked: im.Revoked, skipped: im.Skipped}
	}
	return out, nil
}

// equivalenceInForce returns the equivalence table in force, nil where there is none (then every foreign marking
// is refused, A6.1).
func (s *Service) equivalenceInForce(ctx context.Context, a cleared.Actor) (*cleared.EquivalenceTable, error) {
	t, err := s.reg.Equivalence(ctx, a)
	switch {
	case errors.Is(err, cleared.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &t, nil
}

// unclassified reports whether p carries no classification: no marking, or a national one that is not a level
// of classification.
func unclassified(p received) bool {
	if p.marking == "" {
		return true
	}
	l, err := cleared.ParseLevel(p.marking)
	return p.national && (err != nil || !l.Classified())
}

// importedPiece builds the classification of product i and the level it will have, refusing here what Classify
// would refuse for this product alone: no marking (cleared registers classified pieces only, A4.1), a marking with
// no national equivalent (A6.1), content too large.
func importedPiece(i int, p received, table *cleared.EquivalenceTable) (registry.NewPiece, cleared.Level, error) {
	name := fmt.Sprintf("product %d (%s, %q)", i+1, p.uuid, short(p.product.Title, 80))
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
				"classified pieces only (A4.1); an unclassified product is not imported", name, short(p.marking, 80))
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

// aboutProduct names product i in err, the nth classified of the document (those before it are registered), and
// keeps err's kind and rule.
func aboutProduct(i int, title string, n int, err error) error {
	what := fmt.Sprintf("product %d (%q)", i+1, short(title, 80))
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

// short cuts s to n runes, marking the cut.
func short(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// PieceReceipt returns the receipt of a piece received from a partner: the partner that sent it (its foreign
// originator), the partner's identifier and version of the product, and its marking as received (A6.1). Whoever
// may know the piece reads it; ErrNotFound when the piece was not received from a partner.
func (s *Service) PieceReceipt(ctx context.Context, a cleared.Actor, piece cleared.PieceID) (r cleared.Receipt, err error) {
	defer cleared.Wrap(&err, "receipt of %s", piece)
	if err := piece.Validate(); err != nil {
		return r, err
	}
	err = s.run.Read(ctx, a, act.PieceRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, _, _, err := s.releaser(tx, x, piece); err != nil {
			return err
		}
		r, err = tx.PieceReceipt(piece)
		x.Payload = map[string]string{"receipt_of": string(piece)}
		return err
	})
	return r, err
}
