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
	// OriginatorConsent is the reference of the foreign originator's consent (a NATO or EU piece: A1.1), as the
	// person acting declares it; kept in the marking history.
	OriginatorConsent string `json:"originator_consent,omitempty"`
}

// Declassification is the input of Declassify: why the classification is lifted.
type Declassification struct {
	Reason            string `json:"reason"`
	OriginatorConsent string `json:"originator_consent,omitempty"` // as for Downgrading
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
	return s.relevel(ctx, a, id, act.PieceDowngrade, policy.ActionDowngrade, in.Level, in.Reason, in.OriginatorConsent)
}

// Declassify lifts a piece's classification (Art. 5 al. 2, A5.2): it becomes UNCLASSIFIED and is marked
// DECLASSIFIE (A7.2). See relevel for who may and what changes.
func (s *Service) Declassify(ctx context.Context, a cleared.Actor, id cleared.PieceID, in Declassification) (p cleared.Piece, err error) {
	defer cleared.Wrap(&err, "declassify %s", id)
	if err := id.Validate(); err != nil {
		return p, err
	}
	return s.relevel(ctx, a, id, act.PieceDeclassify, policy.ActionDeclassify, cleared.Unclassified, in.Reason, in.OriginatorConsent)
}

// relevelled is the audit payload of a downgrade or a declassification.
type relevelled struct {
	From      cleared.Level       `json:"from"`
	To        cleared.Level       `json:"to"`
	Marking   string              `json:"marking"`
	Authority cleared.AuthorityID `json:"authority"`
	Reason    string              `json:"reason"`
	Consent   string              `json:"originator_consent,omitempty"`
	// Dossier is the piece's dossier, whose level stays where it is (A4.2: never lowered with a part).
	Dossier      cleared.DossierID `json:"dossier,omitempty"`
	DossierLevel *cleared.Level    `json:"dossier_level,omitempty"`
}

// relevel sets piece id at level to, as action a on the piece. The actor must know the piece (A9.1: else
// not-found, and nothing said); he acts as one of the authorities he holds that may act for the piece's originator
// (A5.2: the originator, its successor in office, the principal that delegated it), competent at this moment
// (A5.1) and, unless a member of the Government, cleared at least at the piece's present level (A5.3); the piece
// is not destroyed; a piece classified under a treaty keeps a marking of its scheme, so its new level must have
// one in the equivalence table in force (A6.1); the rule profiles bind the act (A1.1): where one asks for the
// foreign originator's consent, the actor gives its reference (consent), or the act is refused. In one
// transaction the piece takes its new level and marking, the history of its markings gains a line (the
// classification's first, for a piece never re-marked) (A7.2), and its data key is re-wrapped for its new binding
// (keyring.Rewrap), so that its content stays readable at the new level and at no other. A dossier holding the
// piece keeps its level (A4.2: it may be above its parts, and is never lowered with one).
func (s *Service) relevel(ctx context.Context, a cleared.Actor, id cleared.PieceID, name act.Name, action policy.Action, to cleared.Level, reason, consent string) (p cleared.Piece, err error) {
	if err := cleared.CheckLine("reason", reason, 1, maxMarkingReason); err != nil {
		return p, err
	}
	if err := cleared.CheckLine("originator_consent", consent, 0, maxMarking); err != nil {
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
		f, err := relevelFacts(tx, me, old)
		if err != nil {
			return err
		}
		as, d, asked, err := s.decideRelevel(tx, f, me, old, action, to, now, consent != "")
		if err != nil {
			return err
		}
		if !d.Allowed {
			return x.Deny(string(id), d)
		}
		if consent != "" && !asked {
			// A consent no rule asks for would read, in the history, as if one had been needed.
			return cleared.Invalidf("no rule profile asks for the originator's consent to change this piece: leave originator_consent out")
		}
		foreign, err := foreignMarking(tx, x, old, to)
		if err != nil {
			return err
		}
		history, stored, err := markingHistory(tx, old)
		if err != nil {
			return err
		}
		p = old
		p.Level = to
		if foreign != nil {
			p.Foreign = foreign
		}
		m := cleared.PieceMarking{Piece: id, Seq: history[len(history)-1].Seq + 1, Level: to, Marking: p.Marking(), From: now,
			Authority: as, By: me.ID, Reason: reason, Consent: consent}
		if !stored {
			// Never re-marked: the classification's line is written with the first change.
			if err := tx.AddPieceMarking(history[0]); err != nil {
				return err
			}
		}
		if err := tx.AddPieceMarking(m); err != nil {
			return err
		}
		if err := tx.SetPieceMarking(id, to, foreign); err != nil {
			return err
		}
		if old.Kind == cleared.Electronic {
			if err := s.rewrap(ctx, tx, old, p); err != nil {
				return err
			}
		}
		payload := relevelled{From: old.Level, To: to, Marking: m.Marking, Authority: as, Reason: reason, Consent: consent,
			Dossier: old.Dossier}
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

// decideRelevel decides whether me may set piece p at level to, as action (downgrade or declassify), at t: the
// base rules (policy.DowngradePiece over the authorities he holds, A5.1, A5.2, A5.3), then the rule profiles
// (A1.1), of whose duties this service performs only one: the foreign originator's consent, when consented says
// its reference is given. It returns the authority he acts as, and whether a profile asks for that consent.
func (s *Service) decideRelevel(tx store.Tx, f relevelers, me cleared.Person, p cleared.Piece, action policy.Action, to cleared.Level, t time.Time, consented bool) (cleared.AuthorityID, policy.Decision, bool, error) {
	as, base := policy.DowngradePiece(p, f.candidates, f.actsFor, to, t)
	o, err := s.outcome(tx, base, action, p, me.OrganisationID, t)
	if err != nil {
		return "", policy.Decision{}, false, err
	}
	var performed []policy.Duty
	if consented {
		performed = append(performed, policy.DutyOriginatorConsent)
	}
	return as, policy.Duties(o, performed...), has(o, policy.DutyOriginatorConsent), nil
}

// foreignMarking returns the marking of a piece classified under a treaty at its new level to, from the
// equivalence table in force (A6.1), or nil for a national piece or a declassification (the piece is then marked
// DECLASSIFIE, and its scheme's marking stays in its history). A level the table gives no marking in the piece's
// scheme is refused.
func foreignMarking(tx store.EquivalenceTables, x *act.Act, p cleared.Piece, to cleared.Level) (*cleared.ForeignMarking, error) {
	if p.Foreign == nil || !to.Classified() {
		return nil, nil
	}
	var inForce *cleared.EquivalenceTable
	table, err := tx.Equivalence(x.Now)
	switch {
	case err == nil:
		inForce = &table
	case !errors.Is(err, cleared.ErrNotFound):
		return nil, err
	}
	m, d := policy.ForeignEquivalent(inForce, p.Foreign.Scheme, to)
	if !d.Allowed {
		return nil, x.Deny(string(p.ID), d)
	}
	return &cleared.ForeignMarking{Scheme: p.Foreign.Scheme, Marking: m}, nil
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

// PieceMarkings returns the history of the markings of a piece (A7.2), oldest first, to whoever may read the
// piece (A9.1, or a judicial order in force, A9.5); anyone else gets cleared.ErrNotFound, as for an ID that does not exist. At a terminal where the
// piece's title is withheld (A8.1, A8.2), so are the grounds of each marking.
func (s *Service) PieceMarkings(ctx context.Context, a cleared.Actor, id cleared.PieceID) (ms []cleared.PieceMarking, err error) {
	defer cleared.Wrap(&err, "markings of %s", id)
	if err := id.Validate(); err != nil {
		return nil, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.PieceMarkings, now, func(tx store.Tx, x *act.Act) error {
		p, sub, tg, err := s.consultedPiece(tx, x, id) // a read: a judicial order in force allows it too (A9.5)
		if err != nil {
			return err
		}
		d, withhold := policy.DescribeRead(sub, tg, now)
		if !d.Allowed {
			return x.Deny(string(id), d)
		}
		byOrder(x, p, d)
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

// Relevelling is what an actor may do to a piece's marking: the classified levels he may downgrade it to, whether
// he may declassify it, and whether he must then give the reference of the foreign originator's consent (A1.1).
type Relevelling struct {
	Levels     []cleared.Level
	Declassify bool
	Consent    bool
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
			if _, d, _, err := s.decideRelevel(tx, f, me, p, policy.ActionDowngrade, l, now, true); err != nil {
				return err
			} else if d.Allowed {
				r.Levels = append(r.Levels, l)
			}
		}
		_, d, asked, err := s.decideRelevel(tx, f, me, p, policy.ActionDeclassify, cleared.Unclassified, now, true)
		// The form asks for the consent where a profile would refuse the act without it.
		r.Declassify, r.Consent = d.Allowed, d.Allowed && asked
		return err
	})
	if errors.Is(err, cleared.ErrNotFound) {
		return Relevelling{}, nil
	}
	return r, err
}
