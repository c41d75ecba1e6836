package registry

import (
	"context"
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/pdf"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// otherFormatsKey is the setting (store.Settings) that holds an organisation's choice for files that cannot be
// stamped. It is not sealed: it decides how a piece is marked, never who may read it, and the worst a changed row
// can do is wrap what would have been refused, marked all the same.
func otherFormatsKey(org cleared.OrganisationID) string {
	return "rendering.other_formats." + string(org)
}

// otherFormats reads org's choice; an organisation that has not chosen refuses (the default).
func otherFormats(tx store.Settings, org cleared.OrganisationID) (cleared.OtherFormats, error) {
	v, err := tx.Meta(otherFormatsKey(org))
	if errors.Is(err, cleared.ErrNotFound) {
		return cleared.OtherFormatsRefuse, nil
	}
	return cleared.OtherFormats(v), err
}

// OtherFormats returns organisation org's choice for files that cannot be stamped (A7.1): refuse (the default)
// or wrap, and whether a may change it (policy.ChooseOtherFormats), so that a page offers the form only to him.
// Any person signed in may read it, as they may read the organisation.
func (s *Service) OtherFormats(ctx context.Context, a cleared.Actor, org cleared.OrganisationID) (o cleared.OtherFormats, mayChoose bool, err error) {
	defer cleared.Wrap(&err, "other formats of %s", org)
	if err := org.Validate(); err != nil {
		return o, false, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.OrganisationRead, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		x.Object = string(org)
		if _, err := tx.Organisation(org); err != nil {
			return err
		}
		officerOf, err := facts.OfficerOf(tx, me.ID, now)
		if err != nil {
			return err
		}
		mayChoose = policy.ChooseOtherFormats(officerOf, org).Allowed
		o, err = otherFormats(tx, org)
		return err
	})
	return o, mayChoose, err
}

// SetOtherFormats records organisation org's choice for files that cannot be stamped (A7.1). Only its security
// officer chooses (refused with A7.1 otherwise).
func (s *Service) SetOtherFormats(ctx context.Context, a cleared.Actor, org cleared.OrganisationID, o cleared.OtherFormats) (err error) {
	defer cleared.Wrap(&err, "set other formats of %s", org)
	if err := org.Validate(); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	now := s.clock()
	return s.run.Do(ctx, a, act.OrganisationOtherFormats, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		if _, err := tx.Organisation(org); err != nil {
			return err
		}
		officerOf, err := facts.OfficerOf(tx, me.ID, now)
		if err != nil {
			return err
		}
		if d := policy.ChooseOtherFormats(officerOf, org); !d.Allowed {
			return x.Deny(string(org), d)
		}
		x.Object, x.Payload = string(org), map[string]string{"other_formats": string(o)}
		return tx.SetMeta(otherFormatsKey(org), string(o))
	})
}

// Rendering decides how the content of p, read by a (ReadContent), is delivered so that it carries its marking
// (A7.1): stamped, rendered as text or wrapped, from p's media type and its organisation's choice, then through the
// rule profiles as a read (A1.1). A refusal is recorded (piece.render) and returned as *cleared.ErrForbidden naming
// its rule. An allowed rendering adds no entry: the read of the content already has its own.
func (s *Service) Rendering(ctx context.Context, a cleared.Actor, p cleared.Piece) (r policy.Rendering, err error) {
	defer cleared.Wrap(&err, "rendering of %s", p.ID)
	now := s.clock()
	r, d, other, err := s.renderingOf(ctx, a, p, now)
	if err != nil {
		return 0, err
	}
	if !d.Allowed {
		x := s.run.Act(a, act.PieceRender, now)
		x.Object, x.Payload = string(p.ID), map[string]string{"content_type": p.ContentType, "other_formats": string(other)}
		return 0, x.Record(ctx, d, d.Err())
	}
	return r, nil
}

// WouldRender tells, without recording anything, how p's content would be delivered to a, or the refusal: for a
// page that offers the download only where it would be given (the delivery itself decides again, in Rendering).
func (s *Service) WouldRender(ctx context.Context, a cleared.Actor, p cleared.Piece) (policy.Rendering, policy.Decision, error) {
	r, d, _, err := s.renderingOf(ctx, a, p, s.clock())
	return r, d, err
}

func (s *Service) renderingOf(ctx context.Context, a cleared.Actor, p cleared.Piece, now time.Time) (r policy.Rendering, d policy.Decision, other cleared.OtherFormats, err error) {
	err = s.store.View(ctx, func(tx store.Tx) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		if other, err = otherFormats(tx, p.OrganisationID); err != nil {
			return err
		}
		r, d = policy.Render(p.ContentType, other)
		// A1.1: a delivery is a read of the piece, which the rule profiles may refuse or bind with duties. None
		// is performed here, so one met refuses (fail closed).
		o, err := s.outcome(tx, d, policy.ActionRead, p, me.OrganisationID, now)
		if err != nil {
			return err
		}
		d = policy.Delivered(o)
		return nil
	})
	return r, d, other, err
}

// checkStampable refuses, when a piece is classified, a PDF that could never be delivered with its marking
// (A7.1): corrupt, encrypted, or one the stamping cannot read. Nothing is stored.
func checkStampable(contentType string, content []byte) error {
	if r, _ := policy.Render(contentType, cleared.OtherFormatsRefuse); r != policy.Stamped {
		return nil
	}
	return pdf.Check(content)
}
