package registry

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// NewPiece is the input of Classify.
type NewPiece struct {
	// Authority is the classifying authority the actor holds and acts as.
	Authority cleared.AuthorityID `json:"authority"`
	Kind      cleared.PieceKind   `json:"kind"`
	Title     string              `json:"title"`
	// Level is the national level. For a piece classified under a treaty, give ForeignMarking instead (or both,
	// agreeing): the level then comes from the equivalence table in force (A6.1).
	Level          cleared.Level     `json:"level"`
	ForeignMarking string            `json:"foreign_marking,omitempty"`
	Reasons        []cleared.Reason  `json:"reasons"`
	ReviewOn       time.Time         `json:"review_on"`
	Dossier        cleared.DossierID `json:"dossier,omitempty"`
	// Electronic pieces.
	Content     []byte `json:"content,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	// Physical pieces.
	Custodian cleared.PersonID `json:"custodian,omitempty"`
	Location  cleared.PlaceID  `json:"location,omitempty"`
	// Then, if set, runs in the classification's transaction once the piece is stored, so that what the caller
	// records of the piece commits with it or not at all (a product received: its receipt, package sharing); its
	// error undoes the classification.
	Then func(tx store.Tx, p cleared.Piece) error `json:"-"`
}

func (in NewPiece) validate() error {
	if err := in.Authority.Validate(); err != nil {
		return err
	}
	if err := in.Kind.Validate(); err != nil {
		return err
	}
	if err := cleared.CheckLine("title", in.Title, 1, maxTitle); err != nil {
		return err
	}
	if !in.Level.Valid() {
		return cleared.Invalidf("unknown level")
	}
	for _, r := range in.Reasons {
		if err := r.Validate(); err != nil {
			return err
		}
	}
	if in.ForeignMarking != "" {
		// A marking is read against the table by policy.ForeignLevel; here only its form is checked.
		if err := cleared.CheckName("foreign_marking", in.ForeignMarking, maxMarking); err != nil {
			return err
		}
	}
	if in.Dossier != "" {
		if err := in.Dossier.Validate(); err != nil {
			return err
		}
	}
	switch in.Kind {
	case cleared.Electronic:
		if len(in.Content) == 0 {
			return cleared.Invalidf("an electronic piece needs its content")
		}
		if len(in.Content) > MaxContentSize {
			return cleared.Invalidf("content is %d bytes, at most %d", len(in.Content), MaxContentSize)
		}
		if in.Custodian != "" || in.Location != "" {
			return cleared.Invalidf("an electronic piece has content, not a custodian or location")
		}
		if err := cleared.CheckLine("content_type", in.ContentType, 1, 100); err != nil {
			return err
		}
		if err := checkStampable(in.ContentType, in.Content); err != nil {
			return err
		}
	case cleared.Physical:
		if len(in.Content) > 0 {
			return cleared.Invalidf("a physical piece has a custodian and a location, not content")
		}
		if err := in.Custodian.Validate(); err != nil {
			return err
		}
		if err := in.Location.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Classify classifies a new piece: the actor acts as a classifying authority he holds, which must be competent
// (A5.1) and cleared at least at the level, unless a member of the Government (A5.3); the classification names its
// reasons (A3.1) and a review date (A3.2). An electronic piece's content passes through the actor's terminal, so it
// is taken only from a terminal where content at the piece's level could be read (policy.Terminal: registered and
// not public, A9.3; accredited for the level, A8.1; in a security zone for TOP SECRET, A8.2), the level being the
// one given, national for a foreign marking, since the text is processed there at that level; the content is then
// encrypted under its own key. A physical piece (no content passes through the terminal, so any terminal will do)
// is kept in a place accredited for its level (A8.1), a security zone for TOP SECRET (A8.2). A piece added to
// a dossier raises the dossier to its level if higher (A4.2). The classifier receives need-to-know of the piece
// until its review date, as an explicit grant (A9.1).
func (s *Service) Classify(ctx context.Context, a cleared.Actor, in NewPiece) (p cleared.Piece, err error) {
	defer cleared.Wrap(&err, "classify")
	if in.Kind == cleared.Electronic && in.ContentType == "" {
		in.ContentType = "application/octet-stream"
	}
	if err := in.validate(); err != nil {
		return p, err
	}
	now := s.clock()
	id := cleared.NewPieceID()
	err = s.run.Do(ctx, a, act.PieceClassify, now, func(tx store.Tx, x *act.Act) error {
		var raised *dossierRaise // set anew at each run: the database may retry
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		auth, err := facts.Authority(tx, in.Authority)
		if err != nil && !errors.Is(err, cleared.ErrNotFound) {
			return err
		}
		// Who acts is settled before what he marks: one who holds no authority learns nothing of the table (A5.1).
		if d := policy.HoldsAuthority(me.ID, auth.Office, err == nil); !d.Allowed {
			return x.Deny(string(in.Authority), d)
		}
		level, foreign, err := resolveLevel(tx, x, id, in)
		if err != nil {
			return err
		}
		if d := policy.Classify(auth, level, in.Reasons, in.ReviewOn, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		if in.Kind == cleared.Electronic {
			term, err := actorTerminal(tx, a)
			if err != nil {
				return err
			}
			if d := policy.Terminal(term, level, now); !d.Allowed {
				return x.Deny(string(id), d)
			}
		}
		p = cleared.Piece{ID: id, Kind: in.Kind, Title: in.Title, Level: level, Reason: in.Reasons, ReviewOn: in.ReviewOn.UTC(),
			Originator: auth.Office.ID, OrganisationID: me.OrganisationID, Dossier: in.Dossier, Foreign: foreign,
			Custodian: in.Custodian, Location: in.Location, Created: now, CreatedBy: me.ID}
		if in.Kind == cleared.Physical {
			if err := checkCustody(tx, x, p); err != nil {
				return err
			}
		} else {
			p.ContentType, p.ContentSize = in.ContentType, int64(len(in.Content))
		}
		if in.Dossier != "" {
			if raised, err = s.addToDossier(tx, x, in.Dossier, level); err != nil {
				return err
			}
		}
		x.Object, x.Payload = string(id), classified{Piece: p, Raised: raised}
		if err := tx.CreatePiece(p); err != nil {
			return err
		}
		if raised != nil { // A4.2: the raise joins the dossier's level history (dossiers.go)
			if err := addLevel(tx, cleared.DossierLevelChange{Dossier: raised.Dossier, Cause: cleared.LevelRaised,
				From: raised.From, To: raised.To, Piece: id, By: me.ID, At: now}); err != nil {
				return err
			}
		}
		if in.Kind == cleared.Electronic {
			sealed, err := s.ring.Seal(id, keyring.BindingOf(p), in.Content)
			if err != nil {
				return cleared.Unavailablef("encrypt content: %v", err)
			}
			if err := tx.PutContent(store.Content{Piece: id, KEK: sealed.KEK, WrappedKey: sealed.WrappedKey, Ciphertext: sealed.Ciphertext}); err != nil {
				return err
			}
		}
		// The classifier keeps need-to-know past the review date (A3.2): the review is his to make, and an overdue
		// one must stay in his sight, not vanish with his access to the piece.
		if err := tx.CreateGrant(cleared.Grant{ID: cleared.NewGrantID(), PersonID: me.ID, Piece: id, From: now, Until: p.ReviewOn.AddDate(0, 0, reviewGraceDays),
			Reason: "originator of the classification", GrantedBy: me.ID, Created: now}); err != nil {
			return err
		}
		if in.Then != nil {
			if err := in.Then(tx, p); err != nil {
				return err
			}
		}
		ms, merr := markings(tx, now) // the answer is marked as every later read of it (A7.1)
		p.Markings = ms
		return merr
	})
	return p, err
}

// actorTerminal loads the terminal the actor acts from: nil for none, or one that is unknown, which is no terminal
// (A9.3), as for an access decision (see subject).
func actorTerminal(tx store.Places, a cleared.Actor) (*cleared.Terminal, error) {
	if a.Terminal == "" {
		return nil, nil
	}
	t, err := tx.Terminal(a.Terminal)
	switch {
	case errors.Is(err, cleared.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &t, nil
}

// resolveLevel returns the national level of a new piece and its foreign marking, if any, from the equivalence
// table in force, as policy.ForeignLevel decides (A6.1).
func resolveLevel(tx store.EquivalenceTables, x *act.Act, id cleared.PieceID, in NewPiece) (cleared.Level, *cleared.ForeignMarking, error) {
	if in.ForeignMarking == "" {
		return in.Level, nil, nil
	}
	var inForce *cleared.EquivalenceTable
	table, err := tx.Equivalence(x.Now)
	switch {
	case err == nil:
		inForce = &table
	case !errors.Is(err, cleared.ErrNotFound):
		return 0, nil, err
	}
	fm, level, d := policy.ForeignLevel(inForce, in.ForeignMarking, in.Level)
	if !d.Allowed {
		return 0, nil, x.Deny(string(id), d)
	}
	return level, &fm, nil
}

// custodyReader reads a piece's custodian and place.
type custodyReader interface {
	store.Registers
	store.Places
}

// checkCustody checks that a physical piece's custodian exists and its location may hold it (A8.1, A8.2, A9.3).
func checkCustody(tx custodyReader, x *act.Act, p cleared.Piece) error {
	if _, err := tx.Person(p.Custodian); err != nil {
		return err
	}
	pl, err := tx.Place(p.Location)
	if err != nil {
		return err
	}
	if d := policy.Custody(pl, p.Level); !d.Allowed {
		return x.Deny(string(p.ID), d)
	}
	return nil
}

// addToDossier raises the dossier to level if the new part is higher (A4.2). The actor must know the dossier.
func (s *Service) addToDossier(tx store.Tx, x *act.Act, id cleared.DossierID, level cleared.Level) (*dossierRaise, error) {
	d, err := tx.Dossier(id)
	if errors.Is(err, cleared.ErrNotFound) {
		return nil, x.Hide(string(id))
	}
	if err != nil {
		return nil, err
	}
	sub, _, err := facts.Subject(tx, x.Actor, x.Now)
	if err != nil {
		return nil, err
	}
	if dec := policy.Know(sub, dossierTarget(d), x.Now); !dec.Allowed {
		return nil, x.Deny(string(id), dec)
	}
	if l, raised := policy.AddPart(d.Level, level); raised {
		// A4.2: the raise is part of this action and recorded in its audit payload.
		s.log.Info("dossier raised", "dossier", id, "from", d.Level, "to", l, "rule", "A4.2")
		return &dossierRaise{Dossier: id, From: d.Level, To: l}, tx.SetDossierLevel(id, l)
	}
	return nil, nil
}

// classified is the audit payload of a classification: the piece's metadata (never its content) and the raise of
// its dossier, if any.
type classified struct {
	Piece  cleared.Piece `json:"piece"`
	Raised *dossierRaise `json:"dossier_raised,omitempty"`
}

// dossierRaise is recorded when adding a part raises its dossier (A4.2).
type dossierRaise struct {
	Dossier cleared.DossierID `json:"dossier"`
	From    cleared.Level     `json:"from"`
	To      cleared.Level     `json:"to"`
}

func dossierTarget(d cleared.Dossier) policy.Target {
	return policy.Target{Dossier: d.ID, Level: d.Level, DossierLevel: d.Level}
}

// NewDossier is the input of CreateDossier.
type NewDossier struct {
	Authority cleared.AuthorityID `json:"authority"`
	Title     string              `json:"title"`
	Level     cleared.Level       `json:"level"`
}

// CreateDossier creates an empty dossier (an aggregate, Art. 4 al. 2) at a level the authority may give (A5.1,
// A5.3); pieces added later raise it if they are higher (A4.2). The creator receives need-to-know of the dossier.
func (s *Service) CreateDossier(ctx context.Context, a cleared.Actor, in NewDossier) (d cleared.Dossier, err error) {
	defer cleared.Wrap(&err, "create dossier")
	if err := in.Authority.Validate(); err != nil {
		return d, err
	}
	if err := cleared.CheckLine("title", in.Title, 1, maxTitle); err != nil {
		return d, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.DossierCreate, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		auth, err := facts.Authority(tx, in.Authority)
		if err != nil && !errors.Is(err, cleared.ErrNotFound) {
			return err
		}
		if d := policy.HoldsAuthority(me.ID, auth.Office, err == nil); !d.Allowed {
			return x.Deny(string(in.Authority), d)
		}
		dec := policy.DossierLevel(in.Level, nil)
		if dec.Allowed {
			dec = policy.Competent(auth, now)
		}
		if dec.Allowed {
			dec = policy.ClassifierClearance(auth, in.Level, now)
		}
		if !dec.Allowed {
			return x.Deny(string(in.Authority), dec)
		}
		d = cleared.Dossier{ID: cleared.NewDossierID(), Title: in.Title, Level: in.Level, Originator: auth.Office.ID,
			OrganisationID: me.OrganisationID, Created: now, CreatedBy: me.ID}
		x.Object, x.Payload = string(d.ID), d
		if err := tx.CreateDossier(d); err != nil {
			return err
		}
		if err := addLevel(tx, cleared.DossierLevelChange{Dossier: d.ID, Cause: cleared.LevelCreated, To: d.Level,
			Authority: d.Originator, By: me.ID, At: now}); err != nil { // A4.2: the history starts here (dossiers.go)
			return err
		}
		if err := tx.CreateGrant(cleared.Grant{ID: cleared.NewGrantID(), PersonID: me.ID, Dossier: d.ID, From: now, Until: now.AddDate(5, 0, 0),
			Reason: "originator of the dossier", GrantedBy: me.ID, Created: now}); err != nil {
			return err
		}
		ms, merr := markings(tx, now) // the answer is marked as every later read of it (A7.1)
		d.Markings = ms
		return merr
	})
	return d, err
}

// reviewGraceDays is how long past its review date the classifier's own need-to-know of a piece lasts.
const reviewGraceDays = 365

// Piece returns a piece's metadata, marking included, to whoever may know it exists (A9.1). Anyone else gets
// cleared.ErrNotFound, exactly as for an ID that does not exist.
func (s *Service) Piece(ctx context.Context, a cleared.Actor, id cleared.PieceID) (p cleared.Piece, err error) {
	defer cleared.Wrap(&err, "piece %s", id)
	if err := id.Validate(); err != nil {
		return p, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.PieceRead, now, func(tx store.Tx, x *act.Act) error {
		var sub *policy.Subject
		var tg policy.Target
		if p, sub, tg, err = s.consultedPiece(tx, x, id); err != nil {
			return err
		}
		d, withhold := policy.DescribeRead(sub, tg, now)
		if !d.Allowed {
			p = cleared.Piece{}
			return x.Deny(string(id), d)
		}
		if withhold {
			p = p.WithholdTitle()
		}
		p = byOrder(x, p, d) // A9.5: a read by a judicial order says so
		return nil
	})
	return p, err
}

// knownPiece loads a piece the actor may know, and the actor's subject, and makes it the action's object. A
// missing piece and one the actor may not know are refused alike: not found, and audited (A9.1).
func (s *Service) knownPiece(tx store.Tx, x *act.Act, id cleared.PieceID) (cleared.Piece, *policy.Subject, policy.Target, error) {
	return s.pieceKnownBy(tx, x, id, policy.Know)
}

// consultedPiece is knownPiece for a read, which a judicial order in force also allows (policy.Consult, A9.5).
func (s *Service) consultedPiece(tx store.Tx, x *act.Act, id cleared.PieceID) (cleared.Piece, *policy.Subject, policy.Target, error) {
	return s.pieceKnownBy(tx, x, id, policy.Consult)
}

// pieceKnownBy is knownPiece deciding by know.
func (s *Service) pieceKnownBy(tx store.Tx, x *act.Act, id cleared.PieceID, know func(*policy.Subject, policy.Target, time.Time) policy.Decision) (cleared.Piece, *policy.Subject, policy.Target, error) {
	sub, err := s.cache.subjects.Of(tx, x)
	if err != nil {
		return cleared.Piece{}, nil, policy.Target{}, err
	}
	p, tg, err := s.piece(tx, x, id)
	// A piece whose row, or whose dossier's, fails its seal is shown to no one, and answered as a missing one so
	// that no one learns it exists (the store has raised it, A13.1).
	var tampered *store.TamperedError
	if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
		return cleared.Piece{}, nil, tg, x.Hide(string(id))
	}
	if err != nil {
		return p, nil, tg, err
	}
	if d := know(sub, tg, x.Now); !d.Allowed {
		return cleared.Piece{}, nil, policy.Target{}, x.Deny(string(id), d)
	}
	x.Object = string(id)
	return p, sub, tg, nil
}

// piece loads a piece and what the policy decides it by, kept in memory for reads (see cache.go).
func (s *Service) piece(tx store.Tx, x *act.Act, id cleared.PieceID) (cleared.Piece, policy.Target, error) {
	ms, err := markings(tx, x.Now)
	if err != nil {
		return cleared.Piece{}, policy.Target{}, err
	}
	if x.Cached {
		if r, ok := s.cache.pieces.Get(id, x.Gen); ok {
			r.piece.Markings = ms
			return r.piece, r.target, nil
		}
	}
	p, err := tx.Piece(id)
	if err != nil {
		return p, policy.Target{}, err
	}
	p.Markings = ms
	tg, err := target(tx, p)
	if err != nil {
		return p, tg, err
	}
	if x.Cached {
		s.cache.pieces.Put(id, x.Gen, pieceRecord{piece: p, target: tg})
	}
	return p, tg, nil
}

// content loads a piece's encrypted content, kept in memory for reads when it is small (see cache.go).
func (s *Service) content(tx store.Tx, x *act.Act, id cleared.PieceID) (store.Content, error) {
	if x.Cached {
		if c, ok := s.cache.contents.Get(id, x.Gen); ok {
			return c, nil
		}
	}
	c, err := tx.Content(id)
	if err == nil && x.Cached && len(c.Ciphertext) <= cacheContent {
		s.cache.contents.Put(id, x.Gen, c)
	}
	return c, err
}

func target(tx store.Pieces, p cleared.Piece) (policy.Target, error) {
	if p.Dossier == "" {
		return policy.TargetOf(p, cleared.Dossier{}), nil
	}
	d, err := tx.Dossier(p.Dossier)
	if err != nil {
		return policy.Target{}, err
	}
	return policy.TargetOf(p, d), nil
}

// ReadContent returns an electronic piece's decrypted content. The actor must know the piece (A9.1, else
// not-found) and use it from a terminal where it may be shown: registered and not public (A9.3), accredited for its
// level (A8.1), in a security zone for TOP SECRET (A8.2). Content is decrypted only after the policy allows.
func (s *Service) ReadContent(ctx context.Context, a cleared.Actor, id cleared.PieceID) (p cleared.Piece, content []byte, err error) {
	defer cleared.Wrap(&err, "read content of %s", id)
	if err := id.Validate(); err != nil {
		return p, nil, err
	}
	now := s.clock()
	var c store.Content
	err = s.run.Read(ctx, a, act.PieceReadContent, now, func(tx store.Tx, x *act.Act) error {
		var sub *policy.Subject
		var tg policy.Target
		if p, sub, tg, err = s.consultedPiece(tx, x, id); err != nil {
			return err
		}
		switch {
		case p.Kind != cleared.Electronic:
			return cleared.Conflictf("a physical piece has no content in cleared: ask its custodian")
		case !p.Destroyed.IsZero():
			return cleared.Conflictf("the piece was destroyed on %s", p.Destroyed.Format(time.DateOnly))
		}
		d := policy.UseRead(sub, tg, now)
		if !d.Allowed {
			return x.Deny(string(id), d)
		}
		p = byOrder(x, p, d) // A9.5: a read by a judicial order says so
		c, err = s.content(tx, x, id)
		return err
	})
	if err != nil {
		return p, nil, err
	}
	content, err = s.ring.Open(id, keyring.BindingOf(p), keyring.Sealed{KEK: c.KEK, WrappedKey: c.WrappedKey, Ciphertext: c.Ciphertext})
	if err != nil {
		if errors.Is(err, keyring.ErrKeyDestroyed) {
			return p, nil, err
		}
		if errors.Is(err, keyring.ErrCorrupt) {
			// Ciphertext or wrapped key fails authentication: altered in the database, or moved from another
			// piece. That may be a compromise (Art. 13): say so loudly, show nothing.
			s.log.ErrorContext(ctx, "content failed authentication: possible tampering, an incident is opened (A13.1)",
				"piece", id, "actor", a.Person)
			s.detectContentFailure(ctx, p, "")
		}
		return p, nil, cleared.Unavailablef("decrypt content: %v", err)
	}
	return p, content, nil
}

// ListPieces lists the pieces the actor may know, newest first, after the cursor (nil for the first page). It
// returns the cursor of the next page, nil at the end. The list is filtered by the same rule as a read (A9.1, and
// A9.5 for the pieces a judicial order in force covers: DescribeRead) before anything is counted, so it never
// reveals a piece the actor may not know.
func (s *Service) ListPieces(ctx context.Context, a cleared.Actor, after *store.PieceCursor, limit int) (ps []cleared.Piece, next *store.PieceCursor, err error) {
	defer cleared.Wrap(&err, "list pieces")
	limit = page(limit)
	now := s.clock()
	err = s.run.Read(ctx, a, act.PieceList, now, func(tx store.Tx, x *act.Act) error {
		sub, _, err := facts.Subject(tx, a, now)
		if err != nil {
			return err
		}
		dossiers := map[cleared.DossierID]cleared.Dossier{}
		// describe decides a piece as a read of it would (A9.1, A9.5, then A9.3, A8.1, A8.2: nothing classified at
		// a public terminal, no title where the content could not be shown).
		describe := func(p cleared.Piece) (cleared.Piece, bool, error) {
			var d cleared.Dossier
			if p.Dossier != "" {
				var found bool
				if d, found = dossiers[p.Dossier]; !found {
					if d, err = tx.Dossier(p.Dossier); err != nil {
						return p, false, err
					}
					dossiers[p.Dossier] = d
				}
			}
			dec, withhold := policy.DescribeRead(sub, policy.TargetOf(p, d), now)
			if !dec.Allowed {
				return p, false, nil
			}
			if withhold {
				p = p.WithholdTitle()
			}
			return byOrder(nil, p, dec), true, nil
		}
		ceiling, ok := cleared.TopSecret, sub.ClearanceExempt
		if !ok {
			ceiling, ok = policy.BestClearance(sub.Clearances, now)
		}
		if ok { // no valid clearance: nothing to know by need-to-know
			x.Payload = map[string]string{"ceiling": ceiling.String()}
		}
		// The query applies A9.1; the policy decides again, so a list is never wider than a read. A page holds
		// only pieces the caller may know, and its cursor is taken from the last piece shown: a piece the policy
		// hides must not shorten a page, end it, or lend its ID and date to the cursor. So read until limit+1
		// known pieces are found (the last one only tells that a next page exists) or the query is exhausted.
		cur := after
		for ok && len(ps) <= limit {
			raw, err := tx.VisiblePieces(store.VisibleQuery{Person: sub.Person, MaxLevel: ceiling, At: now, After: cur, Limit: limit + 1})
			if err != nil {
				return err
			}
			for _, p := range raw {
				p, known, err := describe(p)
				if err != nil {
					return err
				}
				if known {
					ps = append(ps, p)
					if len(ps) > limit {
						break
					}
				}
			}
			if len(raw) < limit+1 {
				break
			}
			last := raw[len(raw)-1]
			cur = &store.PieceCursor{Created: last.Created, ID: last.ID}
		}
		// A9.5: the pieces the judicial orders in force naming him cover, merged in their place. The pieces found
		// above are the first limit+1 his grants give after the cursor, and these are all the orders give: the
		// first limit+1 of both are the page.
		if sub.Orders.Len() > 0 {
			jps, err := judicialPieces(tx, sub, now, after)
			if err != nil {
				return err
			}
			seen := map[cleared.PieceID]bool{}
			for _, p := range ps {
				seen[p.ID] = true
			}
			for _, p := range jps {
				if seen[p.ID] {
					continue
				}
				p, known, err := describe(p)
				if err != nil {
					return err
				}
				if known {
					ps = append(ps, p)
				}
			}
			slices.SortFunc(ps, piecesNewestFirst)
		}
		if len(ps) > limit {
			ps = ps[:limit]
			last := ps[limit-1]
			next = &store.PieceCursor{Created: last.Created, ID: last.ID}
		}
		ms, err := markings(tx, now)
		for i := range ps {
			ps[i].Markings = ms
		}
		return err
	})
	return ps, next, err
}

// markings are the national markings of the levels under the law in force at t (A4.1, A7.1): a reform that renames
// the levels is applied to every rendering from its entry into force.
func markings(tx store.Laws, t time.Time) (map[cleared.Level]string, error) {
	l, err := law(tx, t)
	if err != nil {
		return nil, err
	}
	return l.Markings(), nil
}
