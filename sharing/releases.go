package sharing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// NewRelease is the input of Release: the releasability sets (the product goes to any partner of any set; no
// partner sees them) and the TLP and PAP markings for CERTs.
type NewRelease struct {
	Sets   []cleared.ReleasabilitySet `json:"sets"`
	TLP    cleared.TLP                `json:"tlp,omitempty"`
	PAP    cleared.PAP                `json:"pap,omitempty"`
	Reason string                     `json:"reason,omitempty"`
}

func (in NewRelease) validate() error {
	if err := in.TLP.Validate(); err != nil {
		return err
	}
	if err := in.PAP.Validate(); err != nil {
		return err
	}
	return cleared.CheckText("reason", in.Reason, 0, 2000)
}

// Release releases product piece to the partners of in.Sets (S1), or proposes it for a second person's approval
// from FourEyes up. The releaser must act for the piece's originator (A5.2); one who may not know the piece gets
// not found (A9.1), one who may but does not act for its originator is refused with S1. The piece must be an
// electronic one, not destroyed, whose content is a product (cleared.Product in JSON). Every partner named must be
// in the register and every group have a member; the audience (the partners reached) is fixed now (policy.Audience).
// A level with no equivalent in a partner's scheme is not refused here but never delivered to it (A6.1,
// policy.PartnerGate): the originator sees that partner among those who cannot receive it (Releases).
func (s *Service) Release(ctx context.Context, a cleared.Actor, piece cleared.PieceID, in NewRelease) (r cleared.Release, err error) {
	defer cleared.Wrap(&err, "release %s", piece)
	if err := piece.Validate(); err != nil {
		return r, err
	}
	if err := in.validate(); err != nil {
		return r, err
	}
	now := s.clock()
	rang := false // doorbells written for the dispatcher (push.go)
	err = s.run.Do(ctx, a, act.ReleasePropose, now, func(tx store.Tx, x *act.Act) error {
		me, p, rel, err := s.releaser(tx, x, piece)
		if err != nil {
			return err
		}
		d, second := policy.ProposeRelease(rel, p.Level, s.fourEyes)
		if !d.Allowed {
			return x.Deny(string(piece), d)
		}
		if err := s.checkProduct(tx, p); err != nil {
			return err
		}
		partners, err := allPartners(tx)
		if err != nil {
			return err
		}
		if err := policy.CheckSets(in.Sets, partners); err != nil {
			return err
		}
		r = cleared.Release{ID: cleared.NewReleaseID(), Piece: p.ID, Level: p.Level, Sets: in.Sets, TLP: in.TLP, PAP: in.PAP,
			State: cleared.ReleaseReleased, ProposedBy: me.ID, Proposed: now, Reason: in.Reason}
		if second {
			r.State = cleared.ReleaseProposed
		} else {
			r.Released = now
			r.Audience = policy.Audience(in.Sets, values(partners))
		}
		if err := tx.CreateRelease(&r); err != nil {
			return err
		}
		x.Object, x.Payload = string(r.ID), r
		rang, err = s.push(tx, r, x)
		return err
	})
	if err == nil {
		s.changed(r, rang)
	}
	return r, err
}

// Approve approves a proposed release as the second person (four eyes, S1): he acts for the originator and did not
// propose it. The audience is fixed now, on the register as it stands.
func (s *Service) Approve(ctx context.Context, a cleared.Actor, id cleared.ReleaseID) (r cleared.Release, err error) {
	defer cleared.Wrap(&err, "approve release %s", id)
	if err := id.Validate(); err != nil {
		return r, err
	}
	now := s.clock()
	rang := false // doorbells written for the dispatcher (push.go)
	err = s.run.Do(ctx, a, act.ReleaseApprove, now, func(tx store.Tx, x *act.Act) error {
		if r, err = s.loadRelease(tx, x, id); err != nil {
			return err
		}
		me, p, rel, err := s.releaser(tx, x, r.Piece)
		if err != nil {
			return err
		}
		if d := policy.ApproveRelease(rel, r); !d.Allowed {
			return x.Deny(string(id), d)
		}
		if err := s.checkProduct(tx, p); err != nil {
			return err
		}
		partners, err := allPartners(tx)
		if err != nil {
			return err
		}
		r.State, r.ApprovedBy, r.Released = cleared.ReleaseReleased, me.ID, now
		r.Audience = policy.Audience(r.Sets, values(partners))
		if err := tx.UpdateRelease(&r); err != nil {
			return err
		}
		x.Object, x.Payload = string(id), r
		rang, err = s.push(tx, r, x)
		return err
	})
	if err == nil {
		s.changed(r, rang)
	}
	return r, err
}

// Revoke revokes a release (S1): who acts for the originator, or an NSA officer. Delivery stops at once; partners
// that received it are sent its revocation (a STIX revocation, a MISP deletion) by the routes that carry changes.
func (s *Service) Revoke(ctx context.Context, a cleared.Actor, id cleared.ReleaseID, reason string) (r cleared.Release, err error) {
	defer cleared.Wrap(&err, "revoke release %s", id)
	if err := id.Validate(); err != nil {
		return r, err
	}
	if err := cleared.CheckText("reason", reason, 1, 2000); err != nil {
		return r, err
	}
	now := s.clock()
	rang := false // doorbells written for the dispatcher (push.go)
	err = s.run.Do(ctx, a, act.ReleaseRevoke, now, func(tx store.Tx, x *act.Act) error {
		if r, err = s.loadRelease(tx, x, id); err != nil {
			return err
		}
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		rel, err := s.releaserOf(tx, me, r.Piece, now)
		if err != nil {
			return err
		}
		if d := policy.RevokeRelease(rel, r); !d.Allowed {
			return x.Deny(string(id), d)
		}
		r.State, r.RevokedBy, r.Revoked, r.Reason = cleared.ReleaseRevoked, me.ID, now, reason
		if err := tx.UpdateRelease(&r); err != nil {
			return err
		}
		x.Object, x.Payload = string(id), r
		rang, err = s.push(tx, r, x)
		return err
	})
	if err == nil {
		s.changed(r, rang)
	}
	return r, err
}

// PieceReleases lists the releases of product piece, oldest first, to who acts for its originator and to NSA
// officers (A11.2); anyone else who may know the piece is refused with S1, one who may not gets not found.
func (s *Service) PieceReleases(ctx context.Context, a cleared.Actor, piece cleared.PieceID) (rs []cleared.Release, err error) {
	defer cleared.Wrap(&err, "releases of %s", piece)
	if err := piece.Validate(); err != nil {
		return nil, err
	}
	err = s.run.Read(ctx, a, act.ReleaseList, s.clock(), func(tx store.Tx, x *act.Act) error {
		_, _, rel, err := s.releaser(tx, x, piece)
		if err != nil {
			return err
		}
		if d := policy.ListReleases(rel); !d.Allowed {
			return x.Deny(string(piece), d)
		}
		rs, err = tx.PieceReleases(piece)
		x.Payload = map[string]int{"count": len(rs)}
		return err
	})
	return rs, err
}

// Pending lists the releases waiting for a second person that the actor may approve: those of pieces whose
// originator he acts for, proposed by another. Pages are by release ID.
func (s *Service) Pending(ctx context.Context, a cleared.Actor, after string, limit int) (rs []cleared.Release, err error) {
	defer cleared.Wrap(&err, "pending releases")
	limit = page(limit)
	now := s.clock()
	err = s.run.Read(ctx, a, act.ReleaseList, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		for len(rs) < limit {
			batch, err := tx.Releases(store.Page{After: after, Limit: maxListLimit})
			if err != nil {
				return err
			}
			for _, r := range batch {
				if r.State != cleared.ReleaseProposed {
					continue
				}
				rel, err := s.releaserOf(tx, me, r.Piece, now)
				if err != nil {
					return err
				}
				if policy.ApproveRelease(rel, r).Allowed && len(rs) < limit {
					rs = append(rs, r)
				}
			}
			if len(batch) < maxListLimit {
				break
			}
			after = string(batch[len(batch)-1].ID)
		}
		x.Payload = map[string]int{"count": len(rs)}
		return nil
	})
	return rs, err
}

// releaser loads the actor, the piece he acts on and whether he acts for its originator; a piece he may not know
// is not found (A9.1), unless he is an NSA officer (who revokes and lists without need-to-know, A11.2).
func (s *Service) releaser(tx store.Tx, x *act.Act, id cleared.PieceID) (cleared.Person, cleared.Piece, policy.Releaser, error) {
	sub, me, err := facts.Subject(tx, x.Actor, x.Now)
	if err != nil {
		return me, cleared.Piece{}, policy.Releaser{}, err
	}
	p, err := tx.Piece(id)
	var tampered *store.TamperedError
	if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
		return me, p, policy.Releaser{}, x.Hide(string(id))
	} else if err != nil {
		return me, p, policy.Releaser{}, err
	}
	rel, err := s.releaserOf(tx, me, id, x.Now)
	if err != nil {
		return me, p, rel, err
	}
	if !rel.NSA && !rel.Originator {
		tg, err := target(tx, p)
		if err != nil {
			return me, p, rel, err
		}
		if d := policy.Know(sub, tg, x.Now); !d.Allowed {
			return me, p, rel, x.Deny(string(id), d)
		}
	}
	x.Object = string(id)
	return me, p, rel, nil
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

// releaserOf describes me as a releaser of piece id at t.
func (s *Service) releaserOf(tx store.Tx, me cleared.Person, id cleared.PieceID, t time.Time) (policy.Releaser, error) {
	rel := policy.Releaser{Person: me.ID, NSA: me.HasRole(cleared.RoleNSAOfficer)}
	p, err := tx.Piece(id)
	if err != nil {
		return rel, err
	}
	rel.Originator, err = facts.ActsForOriginator(tx, me.ID, p, t)
	return rel, err
}

// loadRelease loads release id; one that does not exist, or whose row fails its seal, is not found.
func (s *Service) loadRelease(tx store.Tx, x *act.Act, id cleared.ReleaseID) (cleared.Release, error) {
	r, err := tx.Release(id)
	var tampered *store.TamperedError
	if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
		return r, x.Hide(string(id))
	}
	return r, err
}

// checkProduct refuses a piece that cannot be shared: physical, destroyed, or whose content is not a product.
func (s *Service) checkProduct(tx store.Tx, p cleared.Piece) error {
	switch {
	case p.Kind != cleared.Electronic:
		return cleared.Invalidf("a physical piece is not a product: only an electronic piece whose content is a product is shared")
	case !p.Destroyed.IsZero():
		return cleared.Conflictf("the piece was destroyed on %s", p.Destroyed.Format(time.DateOnly))
	}
	_, err := s.product(tx, p)
	return err
}

// product opens the content of piece p and reads it as a product.
func (s *Service) product(tx store.Pieces, p cleared.Piece) (cleared.Product, error) {
	var pr cleared.Product
	plain, err := s.open(tx, p)
	if err != nil {
		return pr, err
	}
	dec := json.NewDecoder(bytes.NewReader(plain))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pr); err != nil {
		return pr, cleared.Invalidf("the content of piece %s is not a product (JSON with title, summary, indicators): %v", p.ID, err)
	}
	if err := pr.Validate(); err != nil {
		return pr, cleared.Invalidf("the content of piece %s is not a valid product: %s", p.ID, cleared.Message(err))
	}
	return pr, nil
}

// allPartners loads the register of partners, by organisation.
func allPartners(tx store.Sharing) (map[cleared.OrganisationID]cleared.Partner, error) {
	out := map[cleared.OrganisationID]cleared.Partner{}
	after := ""
	for {
		ps, err := tx.Partners(store.Page{After: after, Limit: maxListLimit})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			out[p.Organisation] = p
		}
		if len(ps) < maxListLimit {
			return out, nil
		}
		after = string(ps[len(ps)-1].Organisation)
	}
}

func values(m map[cleared.OrganisationID]cleared.Partner) []cleared.Partner {
	out := make([]cleared.Partner, 0, len(m))
	for _, p := range m {
		out = append(out, p)
	}
	return out
}
