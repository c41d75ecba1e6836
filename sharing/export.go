package sharing

import (
	"context"
	"errors"
	"slices"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Export returns release id rendered for partner org, as the partner's systems would receive it, for the
// originator to hand over by other means (a file over an accredited channel outside cleared's routes), and records
// that delivery (route export) as a transmission of the piece to the partner (A11.2). Who acts for the originator
// exports (policy.ExportRelease); the partner must be one the release may reach now: in its audience, its agreement
// in force, the level within its gate and a channel accredited for it (policy.PartnerGate). One who may not know
// the piece or the release gets not found.
func (s *Service) Export(ctx context.Context, a cleared.Actor, id cleared.ReleaseID, org cleared.OrganisationID) (it Item, err error) {
	defer cleared.Wrap(&err, "export release %s for %s", id, org)
	if err := id.Validate(); err != nil {
		return it, err
	}
	if err := org.Validate(); err != nil {
		return it, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.SharingExport, now, func(tx store.Tx, x *act.Act) error {
		r, err := s.loadRelease(tx, x, id)
		if err != nil {
			return err
		}
		_, _, rel, err := s.releaser(tx, x, r.Piece)
		if err != nil {
			return err
		}
		x.Object = string(id)
		// Who may export is settled before he learns whether org is a partner.
		if d := policy.ExportRelease(rel, r, true); !d.Allowed {
			return x.Deny(string(id), d)
		}
		p, err := tx.Partner(org)
		if errors.Is(err, cleared.ErrNotFound) || isTampered(err) {
			return cleared.Invalidf("%s is not in the register of partners", org)
		} else if err != nil {
			return err
		}
		if d := policy.ExportRelease(rel, r, slices.Contains(r.Audience, org)); !d.Allowed {
			return x.Deny(string(id), d)
		}
		g, err := gate(tx, p, x)
		if err != nil {
			return err
		}
		f, fits := g.channels[r.Level]
		var ch *cleared.Channel
		if fits {
			ch = &f.ch
		}
		if d := policy.PartnerGate(p, r.Level, g.eq, ch, f.prod, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		it, _, err = s.deliverOne(tx, g, r, cleared.RouteExport, map[cleared.PersonID]cleared.OrganisationID{}, x)
		if err != nil {
			return err
		}
		if it.Product.UUID == "" {
			return cleared.Unavailablef("the product of release %s cannot be read", id)
		}
		x.Payload = map[string]any{"partner": org, "route": cleared.RouteExport}
		return nil
	})
	return it, err
}
