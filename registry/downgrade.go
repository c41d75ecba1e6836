package registry

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// maxMarkingReason is the length of the grounds of a downgrade or a declassification.
const maxMarkingReason = 500

// Downgrading is the input of Downgrade: the new, lower, level and why.
type Downgrading struct {
	Level  cleared.Level `json:"level"`
	Reason string        `json:"reason"`
}

// Declassification is the input of Declassify: why the classification is lifted.
type Declassification struct {
	Reason string `json:"reason"`
}

// Downgrade lowers a piece's classification to in.Level (Art. 5 al. 2, A5.2), which must be a classified level
// below the piece's (to lift it, Declassify). See relevel for who may and what changes.
func (s *Service) Downgrade(ctx context.Context, a cleared.Actor, id cleared.PieceID, in Downgrading) (p cleared.Piece, err error) {
	defer cleared.Wrap(&err, "downgrade %s", id)
	if err := id.Validate(); err != nil {
		return p, err
	}
	if !in.Level.Classified() {
		return p, cleared.Invalidf("a downgrade names a classified level below the piece's (RESTRICTED, CONFIDENTIAL or SECRET); to lift the classification, declassify the piece")
	}
	return s.relevel(ctx, a, id, act.PieceDowngrade, policy.ActionDowngrade, in.Level, in.Reason)
}

// Declassify lifts a piece's classification (Art. 5 al. 2, A5.2): it becomes UNCLASSIFIED and is marked
// DECLASSIFIE (A7.2). See relevel for who may and what changes.
func (s *Service) Declassify(ctx context.Context, a cleared.Actor, id cleared.PieceID, in Declassification) (p cleared.Piece, err error) {
	defer cleared.Wrap(&err, "declassify %s", id)
	if err := id.Validate(); err != nil {
		return p, err
	}
	return s.relevel(ctx, a, id, act.PieceDeclassify, policy.ActionDeclassify, cleared.Unclassified, in.Reason)
}

// relevelled is the audit payload of a downgrade or a declassification.
type relevelled struct {
	From      cleared.Level       `json:"from"`
	To        cleared.Level       `json:"to"`
	Marking   string              `json:"marking"`
	Authority cleared.AuthorityID `json:"authority"`
	Reason    string              `json:"reason"`
	// Dossier is the piece's dossier, whose level stays where it is (A4.2: never lowered with a part).
	Dossier      cleared.DossierID `json:"dossier,omitempty"`
	DossierLevel *cleared.Level    `json:"dossier_level,omitempty"`
}

// relevel sets piece id at level to, as action a on the piece. The actor must know the piece (A9.1: else
// not-found, and nothing said); he acts as one of the authorities he holds that may act for the piece's originator
// (A5.2: the originator, its successor in office, the principal that delegated it), competent at this moment
// (A5.1) and, unless a member of the Government, cleared at least at the piece's present level (A5.3); the piece
// is not destroyed; the rule profiles bind the act (A1.1): the consent of a foreign originator, which cleared does
// not record yet, refuses it. In one transaction the piece takes its new level and marking, the history of its
// markings gains a line (the classification's first, for a piece never re-marked) (A7.2), and its data key is
// re-wrapped for its new binding (keyring.Rewrap), so that its content stays readable at the new level and at no
// other. A dossier holding the piece keeps its level (A4.2: it may be above its parts, and is never lowered with
// one).
func (s *Service) relevel(ctx context.Context, a cleared.Actor, id cleared.PieceID, name act.Name, action policy.Action, to cleared.Level, reason string) (p cleared.Piece, err error) {
	if err := cleared.CheckLine("reason", reason, 1, maxMarkingReason); err != nil {
		return p, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, name, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		old, sub, tg, err := s.knownPiece(tx, x, id)
		if err != nil {
			return err
		}
		as, d, err := s.mayRelevel(tx, me, old, action, to, now)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return x.Deny(string(id), d)
		}
		history, stored, err := markingHistory(tx, old)
		if err != nil {
			return err
		}
		p = old
		p.Level = to
		m := cleared.PieceMarking{Piece: id, Seq: history[len(history)-1].Seq + 1, Level: to, Marking: p.Marking(), From: now,
			Authority: as, By: me.ID, Reason: reason}
		if !stored {
			// Never re-marked: the classification's line is written with the first change.
			if err := tx.AddPieceMarking(history[0]); err != nil {
				return err
			}
		}
		if err := tx.AddPieceMarking(m); err != nil {
			return err
		}
		if err := tx.SetPieceLevel(id, to); err != nil {
			return err
		}
		if old.Kind == cleared.Electronic {
			if err := s.rewrap(ctx, tx, old, p); err != nil {
				return err
			}
		}
		payload := relevelled{From: old.Level, To: to, Marking: m.Marking, Authority: as, Reason: reason, Dossier: old.Dossier}
		if old.Dossier != "" {
			kept := tg.DossierLevel
			payload.DossierLevel = &kept
		}
		x.Payload = payload
		// The answer says what a read of the piece would say at the actor's terminal: no title where it may not be
		// shown (A8.1, A8.2, A9.3). The act itself passes no content through the terminal.
		tg.Level = to
		if d, withhold := policy.Describe(sub, tg, now); !d.Allowed || withhold {
			p = p.WithholdTitle()
		}
		return nil
	})
	return p, err
}

// rewrap re-wraps the data key of old's content for p, its new binding, in tx.
func (s *Service) rewrap(ctx context.Context, tx store.Tx, old, p cleared.Piece) error {
	c, err := tx.Content(old.ID)
	if err != nil {
		return err
	}
	sealed, err := s.ring.Rewrap(old.ID, keyring.BindingOf(old), keyring.BindingOf(p),
		keyring.Sealed{KEK: c.KEK, WrappedKey: c.WrappedKey, Ciphertext: c.Ciphertext})
	switch {
	case errors.Is(err, keyring.ErrKeyDestroyed):
		return cleared.Conflictf("the piece's key was destroyed: its content cannot be re-marked")
	case errors.Is(err, keyring.ErrCorrupt):
		s.log.ErrorContext(ctx, "content key failed authentication on a downgrade: possible tampering, report as a security incident (A13.1)",
			"piece", old.ID)
		return cleared.Unavailablef("re-wrap the content key: %v", err)
	case err != nil:
		return cleared.Unavailablef("re-wrap the content key: %v", err)
	}
	return tx.RewrapContentKey(old.ID, sealed.KEK, sealed.WrappedKey)
}

// mayRelevel decides whether me may set piece p at level to, as action (downgrade or declassify), at t: the base
// rules (policy.DowngradePiece over the authorities he holds, A5.1, A5.2, A5.3), then the rule profiles, whose
// duties this service does not perform (A1.1). It returns the authority he acts as.
func (s *Service) mayRelevel(tx store.Tx, me cleared.Person, p cleared.Piece, action policy.Action, to cleared.Level, t time.Time) (cleared.AuthorityID, policy.Decision, error) {
	f, err := relevelFacts(tx, me, p)
	if err != nil {
		return "", policy.Decision{}, err
	}
	return s.decideRelevel(tx, f, me, p, action, to, t)
}

// relevelers is what a decision to re-mark a piece rests on: the authorities the actor holds, and those that act
// for the piece's originator.
type relevelers struct {
	candidates []policy.Authority
	actsFor    []cleared.AuthorityID
}

// relevelFacts loads the relevelers of piece p for me.
func relevelFacts(tx store.Tx, me cleared.Person, p cleared.Piece) (relevelers, error) {
	var f relevelers
	held, err := tx.PersonAuthorities(me.ID)
	if err != nil {
		return f, err
	}
	for _, h := range held {
		a, err := facts.Authority(tx, h.ID)
		if err != nil {
			return f, err
		}
		f.candidates = append(f.candidates, a)
	}
	f.actsFor, err = facts.ActsFor(tx, p.Originator, p.Created)
	return f, err
}

// decideRelevel is mayRelevel on facts already loaded: the page that offers the form asks for every level.
func (s *Service) decideRelevel(tx store.Tx, f relevelers, me cleared.Person, p cleared.Piece, action policy.Action, to cleared.Level, t time.Time) (cleared.AuthorityID, policy.Decision, error) {
	as, base := policy.DowngradePiece(p, f.candidates, f.actsFor, to, t)
	o, err := s.outcome(tx, base, action, p, me.OrganisationID, t)
	if err != nil {
		return "", policy.Decision{}, err
	}
	return as, policy.Duties(o), nil
}

// markingHistory returns the markings piece p carried, oldest first: those stored, or, for a piece never
// re-marked, its classification's, as the piece records it; stored tells which.
func markingHistory(tx store.Markings, p cleared.Piece) (ms []cleared.PieceMarking, stored bool, err error) {
	ms, err = tx.PieceMarkings(p.ID)
	if err != nil || len(ms) > 0 {
		return ms, true, err
	}
	reasons := make([]string, len(p.Reason))
	for i, r := range p.Reason {
		reasons[i] = string(r)
	}
	return []cleared.PieceMarking{{Piece: p.ID, Seq: 1, Level: p.Level, Marking: p.Marking(), From: p.Created,
		Authority: p.Originator, By: p.CreatedBy, Reason: "classification (Art. 3: " + strings.Join(reasons, ", ") + ")"}}, false, nil
}

// PieceMarkings returns the history of the markings of a piece (A7.2), oldest first, to whoever may know the
// piece (A9.1); anyone else gets cleared.ErrNotFound, as for an ID that does not exist. At a terminal where the
// piece's title is withheld (A8.1, A8.2), so are the grounds of each marking.
func (s *Service) PieceMarkings(ctx context.Context, a cleared.Actor, id cleared.PieceID) (ms []cleared.PieceMarking, err error) {
	defer cleared.Wrap(&err, "markings of %s", id)
	if err := id.Validate(); err != nil {
		return nil, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.PieceMarkings, now, func(tx store.Tx, x *act.Act) error {
		p, sub, tg, err := s.knownPiece(tx, x, id)
		if err != nil {
			return err
		}
		d, withhold := policy.Describe(sub, tg, now)
		if !d.Allowed {
			return x.Deny(string(id), d)
		}
		if ms, _, err = markingHistory(tx, p); err != nil {
			return err
		}
		if withhold {
			for i := range ms {
				ms[i].Reason = ""
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ms, nil
}

// Relevelling is what an actor may do to a piece's marking: the classified levels he may downgrade it to, and
// whether he may declassify it.
type Relevelling struct {
	Levels     []cleared.Level
	Declassify bool
}

// MayRelevel tells what the actor may do to the marking of a piece he has just read, as Downgrade and Declassify
// would decide now, so that a page offers the form only to who may use it. It records nothing: it acts on nothing
// and tells nothing beyond what the read told (a piece he may not know gives nothing).
func (s *Service) MayRelevel(ctx context.Context, a cleared.Actor, id cleared.PieceID) (r Relevelling, err error) {
	defer cleared.Wrap(&err, "may re-mark %s", id)
	now := s.clock()
	err = s.store.View(ctx, func(tx store.Tx) error {
		sub, me, err := facts.Subject(tx, a, now)
		if err != nil {
			return err
		}
		p, err := tx.Piece(id)
		if err != nil {
			return err
		}
		tg, err := target(tx, p)
		if err != nil {
			return err
		}
		if !policy.Know(sub, tg, now).Allowed {
			return nil
		}
		f, err := relevelFacts(tx, me, p)
		if err != nil {
			return err
		}
		for _, l := range cleared.Levels {
			if l >= p.Level {
				break
			}
			if _, d, err := s.decideRelevel(tx, f, me, p, policy.ActionDowngrade, l, now); err != nil {
				return err
			} else if d.Allowed {
				r.Levels = append(r.Levels, l)
			}
		}
		_, d, err := s.decideRelevel(tx, f, me, p, policy.ActionDeclassify, cleared.Unclassified, now)
		r.Declassify = d.Allowed
		return err
	})
	if errors.Is(err, cleared.ErrNotFound) {
		return Relevelling{}, nil
	}
	return r, err
}
